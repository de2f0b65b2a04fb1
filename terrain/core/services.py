"""Writes shared by every app."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from terrain.core.models import AuditEntry


def audit_record(*, actor, action: str, target, detail: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.model_name,
        target_code=target.code,
        detail=detail or {},
    )


def task_results_purge(*, older_than: timedelta) -> int:
    """Delete the results of tasks finished more than ``older_than`` ago; returns how many.

    Their arguments and tracebacks may hold personal data (an e-mail's
    addresses, a member's id): nothing needs them once the task is done.
    Queued and running tasks are kept. Harmless if it runs twice.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - older_than
    deleted, _by_model = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    ).delete()
    return deleted
