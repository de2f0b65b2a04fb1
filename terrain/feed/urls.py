from django.urls import path

from terrain.core.placeholders import placeholder

app_name = "feed"
urlpatterns = [
    path("", placeholder, name="home"),
    path("notifications/", placeholder, name="notifications"),
]
