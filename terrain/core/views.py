from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from terrain.core.middleware import LANGUAGE_COOKIE
from terrain.lib.http import safe_next_url

HELP_TOPICS = [
    "start",
    "cooperatives",
    "news",
    "feed",
    "structures",
    "account",
    "privacy",
    "atelier-plan",
    "atelier-write",
    "relais",
    "statistiques",
]


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help.html", {"topics": HELP_TOPICS})


@require_GET
def help_topic(request: HttpRequest, topic: str) -> HttpResponse:
    if topic not in HELP_TOPICS:
        raise Http404
    return render(request, f"core/help/{topic}.html", {"topics": HELP_TOPICS, "topic": topic})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; saved on the profile when signed in, in a cookie otherwise."""
    from terrain.accounts.services import user_update_preferences

    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    next_url = safe_next_url(request, reverse("feed:home"))
    if request.user.is_authenticated:
        user_update_preferences(user=request.user, language=language)
    response = redirect(next_url)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response
