"""Language and time zone of the person asking."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

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
