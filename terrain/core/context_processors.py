from __future__ import annotations

from django.conf import settings


def terrain(request) -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_ATTRIBUTION": settings.MAP_ATTRIBUTION,
        "SITE_ORGANISATION": settings.SITE_ORGANISATION,
        "BRAND_COLOR": settings.BRAND_COLOR,
        "BRAND_LOGO_URL": settings.BRAND_LOGO_URL,
        "FEED_POLL_SECONDS": settings.FEED_POLL_SECONDS,
    }
