from __future__ import annotations

from django.urls import path

from terrain.newsletter import views

app_name = "newsletter"
urlpatterns = [
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<str:code>/", views.subscribe, name="subscribe"),
    path("<str:code>/flux.atom", views.feed, name="feed"),
    path("<str:code>/billets/<str:entry>/", views.entry, name="entry"),
    path("<str:code>/abonne-es/", views.manage, name="manage"),
    path("<str:code>/abonne-es/retirer/", views.subscriber_remove, name="subscriber_remove"),
    path("<str:code>/canal/<str:network>/", views.channel_toggle, name="channel_toggle"),
]
