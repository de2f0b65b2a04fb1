from __future__ import annotations

from django.urls import path

from terrain.insights import stats_views

app_name = "insights"
urlpatterns = [
    path("<str:code>/", stats_views.structure_stats, name="structure"),
    path("<str:code>/export.csv", stats_views.structure_stats_csv, name="export"),
]
