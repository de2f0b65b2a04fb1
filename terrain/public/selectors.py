"""Reads of the public sites."""

from __future__ import annotations

from django.db.models import QuerySet

from terrain.public.models import Site, SitePost


def site_posts(site: Site) -> QuerySet[SitePost]:
    """The site's news, newest first."""
    return SitePost.objects.filter(site=site).order_by("-published_at", "-id")


def published_sites() -> QuerySet[Site]:
    return Site.objects.filter(published=True).select_related("structure").order_by("slug")
