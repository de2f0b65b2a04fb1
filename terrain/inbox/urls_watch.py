"""Keyword watches of a structure (managers only), mounted beside the workshop's pages (``/atelier/``)."""

from __future__ import annotations

from django.urls import path

from terrain.inbox import views_watch as views

app_name = "inbox_watch"
urlpatterns = [
    path("<str:code>/veille/", views.watch_list, name="list"),
    path("<str:code>/veille/nouvelle/", views.watch_new, name="new"),
    path("veille/<str:code>/modifier/", views.watch_edit, name="edit"),
    path("veille/<str:code>/activer/", views.watch_active, name="active"),
    path("veille/<str:code>/supprimer/", views.watch_delete, name="delete"),
]
