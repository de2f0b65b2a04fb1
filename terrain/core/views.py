from __future__ import annotations

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

HELP_TOPICS = [
    "start",
    "cooperatives",
    "news",
    "faq",
    "forum",
    "recherche",
    "feed",
    "structures",
    "account",
    "privacy",
    "atelier-plan",
    "atelier-write",
    "inbox",
    "relais",
    "statistiques",
    "modeles",
    "bibliotheque",
    "tracts",
    "adhesions",
    "site-public",
    "agenda",
    "consultations",
    "trouver",
    "elections",
    "petitions",
    "veille",
    "crise",
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
