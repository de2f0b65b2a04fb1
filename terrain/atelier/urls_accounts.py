"""Connected accounts of a structure (managers only)."""

from __future__ import annotations

from django.urls import path

from terrain.atelier.views import accounts as views

urlpatterns = [
    path("comptes/retour/<str:network>/", views.account_oauth_callback, name="account_oauth_callback"),
    path("comptes/choisir/<str:token>/", views.account_choose, name="account_choose"),
    path("comptes/<str:code>/deconnecter/", views.account_disconnect_view, name="account_disconnect"),
    path("comptes/<str:code>/verifier/", views.account_check_view, name="account_check"),
    path("<str:structure_code>/comptes/", views.accounts, name="accounts"),
    path(
        "<str:structure_code>/comptes/connecter/<str:network>/",
        views.account_connect_start,
        name="account_connect",
    ),
]
