from django.urls import path

from offramp.privacy import views

# The pages keep the "access" namespace they were first published under.
app_name = "access"
urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("evaluation/deidentified.csv", views.deidentified_export, name="deidentified_export"),
    path("cases/<int:case_id>/disclosures/", views.disclosures, name="disclosures"),
    path("cases/<int:case_id>/consents/new/", views.consent_new, name="consent_new"),
    path("consents/<int:consent_id>/change", views.consent_change, name="consent_change"),
    path("consents/ending/", views.consents_expiring, name="consents_expiring"),
    path(
        "cases/<int:case_id>/consents/<int:consent_id>/form", views.consent_release_form, name="release_form"
    ),
]
