from __future__ import annotations

from django.urls import path

from terrain.feed import views

app_name = "feed"
urlpatterns = [
    path("", views.home, name="home"),
    path("fil/page/", views.page, name="page"),
    path("fil/nouveautes/", views.new, name="new"),
    path("fil/reglages/", views.settings_view, name="settings"),
    path("fil/sourdine/<str:code>/", views.mute, name="mute"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/lues/", views.notifications_read, name="notifications_read"),
    path("notifications/badge/", views.badge, name="badge"),
    path("notifications/<str:code>/", views.notification_open, name="notification_open"),
]
