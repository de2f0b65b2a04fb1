"""How public pages answer: cacheable by browsers and shared caches, never personal."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware

_conditional = decorator_from_middleware(ConditionalGetMiddleware)


def _site_stamp(slug: str) -> str:
    """When the published site ``slug`` last changed; 404 when it is not published (at once, cache or not).

    Plain SQL: this runs for every visitor of every page, and is all the work of a page
    served from the cache (the ORM would spend more compiling it than the database reading it).
    """
    from terrain.public.models import Site

    table = connection.ops.quote_name(Site._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT updated_at FROM {table} WHERE slug = %s AND published = %s", [slug, True])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return str(row[0])


def _cache_key(request, stamp: str) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{translation.get_language()}|{stamp}"
    return "public-page:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _cacheable(response) -> bool:
    return response.status_code == 200 and not response.cookies and not response.streaming


def public_page(view):
    """Mark a page of a public site as the same for every visitor.

    ``Cache-Control: public, max-age=PUBLIC_PAGE_MAX_AGE`` lets a browser or a proxy in
    front of the instance serve a page that goes viral without asking Django again; the
    ``ETag`` (ConditionalGetMiddleware) answers a revalidation with a 304. A view wrapped
    here must not show anything that depends on who asks (no form with a CSRF token, no
    "signed in as"): an answer that sets a cookie is left uncacheable.

    The instance keeps each answer ``PUBLIC_PAGE_SERVER_SECONDS`` in its cache too (by
    address, language and, for a site's page, when the site last changed), so a page that
    goes viral is rendered once in that time, not once per visitor. A tool's change (a new
    signature, a new event) shows after at most that delay; closing or changing the site
    itself shows at once (a site's pages check it is published before the cache).
    """

    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and _cacheable(response):
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
        else:
            patch_cache_control(response, no_cache=True)
        return response

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_PAGE_SERVER_SECONDS
        if not seconds or request.method not in ("GET", "HEAD"):
            return answer(request, *args, **kwargs)
        stamp = _site_stamp(kwargs["slug"]) if "slug" in kwargs else ""
        key = _cache_key(request, stamp)
        response = cache.get(key)
        if response is None:
            response = answer(request, *args, **kwargs)
            if _cacheable(response):
                # One piece: a body written in many (a feed) would leave in as many sends, each time.
                response.content = response.content
                cache.set(key, response, seconds)
        return response

    answered = _conditional(wrapper)
    answered.public_page = True  # a test walks the URLs: public pages never carry personal data
    return answered


def embeddable(view):
    """A page made to be shown in a frame on another site (the locator, a petition's counter).

    It may be framed by ``EMBED_FRAME_ANCESTORS`` (any site by default) instead of nobody:
    no ``X-Frame-Options``, and its own Content-Security-Policy with those ``frame-ancestors``.
    Such a page must hold nothing personal and change nothing on a GET.
    """
    from terrain.core.middleware import content_security_policy

    policy = content_security_policy(frame_ancestors=tuple(settings.EMBED_FRAME_ANCESTORS))

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        response.headers["Content-Security-Policy"] = policy
        return response

    wrapper.embeddable = True
    return wrapper
