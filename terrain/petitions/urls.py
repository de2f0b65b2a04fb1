"""The officials' pages of the petitions, mounted under ``/petitions/``."""

from __future__ import annotations

from django.urls import path

from terrain.petitions import views

app_name = "petitions"
urlpatterns = [
    path("structure/<str:code>/", views.petition_list, name="list"),
    path("structure/<str:code>/nouvelle/", views.petition_new, name="new"),
    path("<str:code>/", views.petition_detail, name="detail"),
    path("<str:code>/modifier/", views.petition_edit, name="edit"),
    path("<str:code>/etat/", views.petition_move, name="move"),
    path("<str:code>/signatures.csv", views.signatures_export, name="export"),
]
