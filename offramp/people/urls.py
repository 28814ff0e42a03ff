from django.urls import path

from offramp.people import views

app_name = "people"
urlpatterns = [
    path("lookup/", views.lookup, name="lookup"),
    path("search/", views.search, name="search"),
    path("cases/<int:case_id>/profile/", views.profile, name="profile"),
    path("cases/<int:case_id>/profile/link", views.profile_link, name="profile_link"),
    path("cases/<int:case_id>/profile/links/<int:link_id>/split", views.profile_split, name="profile_split"),
    path("possible-duplicates/", views.suggestions, name="suggestions"),
    path(
        "possible-duplicates/<int:suggestion_id>/confirm", views.suggestion_confirm, name="suggestion_confirm"
    ),
    path(
        "possible-duplicates/<int:suggestion_id>/dismiss", views.suggestion_dismiss, name="suggestion_dismiss"
    ),
]
