from django.urls import path

from terrain.core.placeholders import placeholder

app_name = "accounts"
urlpatterns = [
    path("connexion/", placeholder, name="login"),
    path("deconnexion/", placeholder, name="logout"),
    path("profil/", placeholder, name="profile_edit"),
    path("photo/<str:code>/", placeholder, name="photo"),
    path("invitation/<str:token>/", placeholder, name="invitation_accept"),
]
