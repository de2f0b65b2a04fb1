from django.urls import path

from terrain.adhesions import views

app_name = "adhesions"
urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/", views.pipeline, name="list"),
    path("<str:code>/chiffres/", views.figures, name="figures"),
    path("<str:code>/export.csv", views.export, name="export"),
    path("demande/<str:code>/", views.detail, name="detail"),
    path("demande/<str:code>/statut/", views.status_change, name="status"),
    path("demande/<str:code>/suivi/", views.assign, name="assign"),
    path("demande/<str:code>/note/", views.note, name="note"),
    path("demande/<str:code>/rappel/", views.remind, name="remind"),
    path("demande/<str:code>/effacer/", views.erase, name="erase"),
]
