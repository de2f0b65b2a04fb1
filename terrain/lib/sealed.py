"""Short-lived secrets kept in a place that outlives them (a session row): encrypted, with an expiry.

A connection flow keeps an app's ``client_secret`` (and, while a person chooses a
Facebook Page, their user token) between two requests. The session row lives for
weeks and is readable by whoever reads the database or its backups, so what goes
there is sealed: encrypted and authenticated (Fernet) under a key derived from
``SECRET_KEY`` and a purpose, and refused once older than ``max_age`` even if the
flow was abandoned and the row never cleaned.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac


def _fernet(purpose: str) -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    salt = f"terrain.sealed.{purpose}"
    digests = [salted_hmac(salt, "", secret=key, algorithm="sha256").digest() for key in keys]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(digest)) for digest in digests])


def seal(value: Any, *, purpose: str) -> str:
    """``value`` (JSON-serialisable) encrypted for ``purpose``, stamped with the time."""
    return _fernet(purpose).encrypt(json.dumps(value).encode()).decode()


def unseal(token: Any, *, purpose: str, max_age: int) -> Any | None:
    """What :func:`seal` sealed for ``purpose`` less than ``max_age`` seconds ago, else None."""
    if not isinstance(token, str):
        return None
    try:
        return json.loads(_fernet(purpose).decrypt(token.encode(), ttl=max_age))
    except (InvalidToken, ValueError):
        return None
