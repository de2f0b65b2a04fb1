"""The workshop's URLs, one module per part (accounts, composer and workflow, plan and calendar)."""

from __future__ import annotations

from terrain.atelier import urls_accounts, urls_compose, urls_plan

app_name = "atelier"
urlpatterns = [*urls_accounts.urlpatterns, *urls_compose.urlpatterns, *urls_plan.urlpatterns]
