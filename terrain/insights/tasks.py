from __future__ import annotations

from django_tasks import task

from terrain.insights.services import followers_collect_all, metrics_collect_due


@task()
def collect_metrics() -> int:
    return metrics_collect_due()


@task()
def collect_followers() -> int:
    return followers_collect_all()
