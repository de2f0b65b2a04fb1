"""How often one visitor may submit a public form (petition, join request, answers).

A counter per form and per client address in the cache (shared by every process when
the cache is Redis; per process with the local memory cache, which is the embedded,
single-server case). The address is hashed: the cache never holds a visitor's IP.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.blake2b(f"{settings.SECRET_KEY}:{address}".encode(), digest_size=12).hexdigest()


def allow(request, *, scope: str, limit: int, seconds: int) -> bool:
    """Count one submission of ``scope`` from this client; False once ``limit`` is passed in ``seconds``."""
    key = f"throttle:{scope}:{client_key(request)}"
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return True
    return count <= limit
