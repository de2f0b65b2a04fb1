from django.urls import path

from terrain.public import views_manage

app_name = "public_manage"
urlpatterns = [
    path("<str:code>/", views_manage.site_edit, name="edit"),
    path("<str:code>/publication/", views_manage.site_publication, name="publication"),
    path("<str:code>/documents/", views_manage.site_documents, name="documents"),
    path("<str:code>/documents/<str:document>/retirer/", views_manage.site_document_remove, name="document_remove"),
]
