from django.urls import path

from offramp.legal import views

app_name = "legal"
urlpatterns = [
    path("legal/", views.legal_list, name="list"),
    path("legal/<int:case_id>/", views.legal_case, name="case"),
    path("legal/<int:case_id>/statement", views.statement_write, name="statement"),
    path("legal/<int:case_id>/notes", views.note_add, name="note"),
    path("legal/<int:case_id>/defender-notes", views.defender_note_add, name="defender_note"),
]
