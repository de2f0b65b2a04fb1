from __future__ import annotations

app_name = "relays"
urlpatterns: list = []
