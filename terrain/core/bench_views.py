"""The benchmark's floor: the cheapest page Django can serve through Terrain's middleware.

Wired only when ``TERRAIN_BENCH_FLOOR=1`` (see bench/README.md); the feed
benchmark compares every page with this one. ``chrome`` is a page with nothing
but what every page has (head, menu, footer): ``bench/feed/cpu.py`` measures it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def chrome(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {"nav": "feed"})
