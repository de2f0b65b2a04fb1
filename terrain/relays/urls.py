from __future__ import annotations

from django.urls import path

from terrain.relays import views

app_name = "relays"
urlpatterns = [
    path("", views.relay_home, name="home"),
    path("mes-comptes/", views.relay_profile_view, name="profile"),
    path("suivre/<str:code>/", views.relay_subscribe_view, name="subscribe"),
    path("suivre/<str:code>/arreter/", views.relay_unsubscribe_view, name="unsubscribe"),
    path("m/<str:code>/", views.relay_message, name="message"),
    path("m/<str:code>/partager/<str:network>/", views.relay_share, name="share"),
    path("m/<str:code>/images/<str:image_code>/", views.relay_image, name="image"),
    path("<str:code>/bilan/", views.relay_report, name="report"),
]
