from django.urls import path

from terrain.modeles import views

app_name = "modeles"

urlpatterns = [
    path("<str:code>/", views.template_list, name="home"),
    path("<str:code>/televerser/", views.template_upload, name="upload"),
    path("<str:code>/ecrire/", views.template_write, name="write"),
    path("<str:coop_code>/propose/<str:code>/", views.offered_fill, name="offered_fill"),
    path("modele/<str:code>/", views.template_fill, name="fill"),
    path("modele/<str:code>/ouvrir/", views.template_open, name="open"),
    path("modele/<str:code>/modifier/", views.template_edit, name="edit"),
    path("modele/<str:code>/apercu/", views.template_preview, name="preview"),
    path("modele/<str:code>/original/", views.template_source, name="source"),
    path("modele/<str:code>/supprimer/", views.template_delete, name="delete"),
]
