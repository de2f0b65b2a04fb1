"""Every write on accounts goes through these functions."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from terrain.accounts.models import User


def handle_for(display_name: str, *, exclude_pk: int | None = None) -> str:
    """A free @mention name derived from the display name: "Marie Dupont" -> "marie.dupont"."""
    base = slugify(display_name).replace("-", ".")[:34].strip(".") or "membre"
    if len(base) < 3:
        base = f"{base}.membre"
    candidate, n = base, 1
    while User.objects.filter(handle=candidate).exclude(pk=exclude_pk).exists():
        n += 1
        candidate = f"{base}.{n}"
    return candidate


@transaction.atomic
def user_create(*, email: str, display_name: str, password: str | None = None, **fields) -> User:
    user = User.objects.create_user(email=email, password=password, display_name=display_name, **fields)
    user.handle = handle_for(display_name, exclude_pk=user.pk)
    user.save(update_fields=["handle"])
    return user


def user_update_preferences(*, user: User, language: str | None = None, timezone: str | None = None) -> User:
    fields = []
    if language is not None:
        user.language = language
        fields.append("language")
    if timezone is not None:
        user.timezone = timezone
        fields.append("timezone")
    if fields:
        user.save(update_fields=fields)
    return user
