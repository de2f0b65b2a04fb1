"""Writes shared by every app."""

from __future__ import annotations

from typing import Any

from terrain.core.models import AuditEntry


def audit_record(*, actor, action: str, target, detail: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.model_name,
        target_code=target.code,
        detail=detail or {},
    )
