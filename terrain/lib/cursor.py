"""Opaque, signed cursors for keyset pagination."""

from __future__ import annotations

from django.core import signing

_SALT = "terrain.cursor"


def encode_cursor(value: int) -> str:
    return signing.dumps(value, salt=_SALT, compress=False)


def decode_cursor(token: str | None) -> int | None:
    """The value behind a cursor, or None for a missing or forged one."""
    if not token:
        return None
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
