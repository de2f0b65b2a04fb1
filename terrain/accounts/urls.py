from django.urls import path

from terrain.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.SignInView.as_view(), name="login"),
    path("deconnexion/", views.SignOutView.as_view(), name="logout"),
    path("mot-de-passe/", views.ChangePasswordView.as_view(), name="password_change"),
    path("mot-de-passe/oublie/", views.password_reset, name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views.password_reset_done, name="password_reset_done"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("mot-de-passe/nouveau/termine/", views.password_reset_complete, name="password_reset_complete"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<str:code>/repondre/", views.invitation_respond, name="invitation_respond"),
    path("inviter/", views.invite, name="invite"),
    path("profil/", views.profile_edit, name="profile_edit"),
    path("membres/<str:code>/", views.profile, name="profile"),
    path("photo/<str:code>/", views.photo, name="photo"),
    path("langue/", views.set_language, name="set_language"),
]
