"""The inbox's response figures and crisis room (included under ``veille/``)."""

from __future__ import annotations

from django.urls import path

from terrain.inbox import views_crisis

app_name = "inbox_crisis"
urlpatterns = [
    path("<str:code>/chiffres/", views_crisis.figures, name="figures"),
    path("crises/<str:code>/", views_crisis.room, name="room"),
    path("crises/<str:code>/declaration/", views_crisis.statement, name="statement"),
    path("crises/<str:code>/cloture/", views_crisis.close, name="close"),
    path("crises/<str:code>/chronologie.csv", views_crisis.timeline_csv, name="timeline_csv"),
]
