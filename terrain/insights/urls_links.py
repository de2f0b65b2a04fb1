"""``/l/<code>``: the short tracked links, public on purpose (see ``terrain.insights.links``)."""

from __future__ import annotations

from django.urls import path

from terrain.insights import views

app_name = "links"
urlpatterns = [path("<str:code>", views.link_follow, name="follow")]
