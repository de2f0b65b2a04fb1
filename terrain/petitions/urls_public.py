"""Public pages of the petitions, mounted under ``/s/<slug>/petitions/``."""

from __future__ import annotations

from django.urls import path

from terrain.petitions import views_public

app_name = "petitions_public"
urlpatterns = [
    path("", views_public.petition_list, name="list"),
    path("<str:code>/", views_public.detail, name="detail"),
    path("<str:code>/signer/", views_public.sign, name="sign"),
    path("<str:code>/merci/", views_public.thanks, name="thanks"),
    path("<str:code>/compteur/", views_public.counter, name="counter"),
    path("<str:code>/image", views_public.image, name="image"),
    path("<str:code>/confirmer/<str:token>/", views_public.confirm, name="confirm"),
    path("<str:code>/retirer/<str:token>/", views_public.withdraw, name="withdraw"),
]
