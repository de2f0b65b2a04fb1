from __future__ import annotations

from django.urls import path

from terrain.library import views

app_name = "library"
urlpatterns = [
    path("c/<str:code>/", views.home, name="home"),
    path("c/<str:code>/photos/", views.photos, name="photos"),
    path("c/<str:code>/envoyer/", views.upload, name="upload"),
    path("c/<str:code>/nouveau-dossier/", views.folder_create, name="folder_create"),
    path("dossiers/<str:code>/", views.folder, name="folder"),
    path("dossiers/<str:code>/renommer/", views.folder_rename, name="folder_rename"),
    path("dossiers/<str:code>/supprimer/", views.folder_delete, name="folder_delete"),
    path("fichiers/<str:code>/", views.file_detail, name="file"),
    path("fichiers/<str:code>/modifier/", views.file_edit, name="file_edit"),
    path("fichiers/<str:code>/telecharger/", views.download, name="download"),
    path("fichiers/<str:code>/apercu/", views.preview, name="preview"),
    path("fichiers/<str:code>/media/", views.media, name="media"),
    path("fichiers/<str:code>/nouvelle-version/", views.version_add, name="version_add"),
    path("fichiers/<str:code>/photo/", views.photo_edit, name="photo_edit"),
    path("fichiers/<str:code>/supprimer/", views.file_delete, name="file_delete"),
    path("versions/<str:code>/telecharger/", views.version_download, name="version_download"),
    path("versions/<str:code>/restaurer/", views.version_restore, name="version_restore"),
]
