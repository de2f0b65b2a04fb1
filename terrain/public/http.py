"""How public pages answer: cacheable by browsers and shared caches, never personal."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware

_conditional = decorator_from_middleware(ConditionalGetMiddleware)


def public_page(view):
    """Mark a page of a public site as the same for every visitor.

    ``Cache-Control: public, max-age=PUBLIC_PAGE_MAX_AGE`` lets a browser or a proxy in
    front of the instance serve a page that goes viral without asking Django again; the
    ``ETag`` (ConditionalGetMiddleware) answers a revalidation with a 304. A view wrapped
    here must not show anything that depends on who asks (no form with a CSRF token, no
    "signed in as"): an answer that sets a cookie is left uncacheable.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
        else:
            patch_cache_control(response, no_cache=True)
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
