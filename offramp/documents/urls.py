from django.urls import path

from offramp.documents import views

app_name = "documents"
urlpatterns = [
    path("cases/<int:case_id>/documents/", views.case_documents, name="case"),
    path("cases/<int:case_id>/documents/new", views.upload, name="upload"),
    path("cases/<int:case_id>/documents/<int:document_id>", views.download, name="download"),
]
