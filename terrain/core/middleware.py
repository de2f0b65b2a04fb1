"""Language and time zone of the person asking; the Content-Security-Policy; our error pages in debug mode."""

from __future__ import annotations

import base64
import hashlib
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import conditional_escape
from django.views.defaults import page_not_found

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


class UserPreferencesMiddleware:
    """French unless the member chose otherwise (profile, or cookie when signed out).

    The browser's Accept-Language is deliberately ignored: the instance speaks
    French first, whatever the phone's settings.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if isinstance(user, SimpleLazyObject):
            # Read on every request anyway (language, time zone): views and templates get the
            # member itself, not a proxy that re-dispatches each of their many attribute reads.
            request.user = user = get_user(request)
        language = settings.LANGUAGE_CODE
        tz_name = settings.TIME_ZONE
        if user is not None and user.is_authenticated:
            language = user.language or language
            tz_name = user.timezone or tz_name
        else:
            cookie = request.COOKIES.get(LANGUAGE_COOKIE)
            if cookie in self.languages:
                language = cookie
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        timezone.deactivate()
        return response


# The <style> blocks the pages carry, allowed by their hash (CSP Level 2): the brand colour
# (base.html) and the default styles the rich-text editor (Trix 2.1.19) inserts for its two elements.
# A new Trix whose styles differ shows up in terrain/tests/browser/test_browser_security.py.
TRIX_STYLE_HASHES = (
    "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",  # empty: Trix inserts each element before filling it
    "sha256-c5Z9aB2t69CSpeI1aC8dDLr7LZYZlynV8iY/8Uc9ZFk=",  # trix-editor
    "sha256-jAP18ioNeNaQBBU5RJvT96kjJnVxHvZs+s8WUNiLnvA=",  # trix-toolbar
)


def brand_style(color: str) -> str:
    """The text of base.html's ``<style>`` element for ``color`` (as the template escapes it)."""
    return f":root {{ --brand: {conditional_escape(color)}; }}"


def _style_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def content_security_policy(*, frame_ancestors: tuple[str, ...] = ("'none'",)) -> str:
    """The policy of every response, from the settings: this site's own scripts, styles and pictures.

    ``frame_ancestors``: who may show the page in a frame (nobody, but for the few pages made
    to be embedded on other sites: :func:`terrain.public.http.embeddable`).
    """
    images = ["'self'", "data:", "blob:", *settings.CSP_IMG_SOURCES]
    for url in (settings.BRAND_LOGO_URL, settings.MAP_TILE_URL):
        parts = urlsplit(url.replace("{s}.", "").replace("{", "").replace("}", ""))
        if parts.scheme in {"http", "https"} and parts.netloc:
            images.append(f"{parts.scheme}://{parts.netloc}")
    styles = ["'self'", f"'{_style_hash(brand_style(settings.BRAND_COLOR))}'", *(f"'{h}'" for h in TRIX_STYLE_HASHES)]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": styles,
        "img-src": images,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": list(frame_ancestors),
    }
    return "; ".join(f"{name} {' '.join(dict.fromkeys(sources))}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy on every response: no inline script can run, so a script
    slipped into a post or a name would stay text. Django's debug page for a server error (its inline
    script and styles, DEBUG only) goes without it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()
        self.debug = settings.DEBUG

    def __call__(self, request):
        response = self.get_response(request)
        if not (self.debug and response.status_code >= 500):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class FriendlyErrorPagesMiddleware:
    """In debug mode (``make run``), a missing page shows Terrain's own page (templates/404.html), as in
    production, instead of Django's technical page in English. Django's page for a server error stays,
    for developers. Not loaded when DEBUG is off: Django then shows our pages itself."""

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as exception:
            response = page_not_found(request, exception)
        else:
            response = self.get_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
