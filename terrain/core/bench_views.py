"""The benchmark's floor: the cheapest page Django can serve through Terrain's middleware.

Wired only when ``TERRAIN_BENCH_FLOOR=1`` (see bench/README.md); the feed
benchmark compares every page with this one.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
