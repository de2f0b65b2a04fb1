"""The public "join us" forms: on a structure's site, and instance-wide.

Anyone may send them, without an account. The POST is ``csrf_exempt``: it creates a
request the officials will check, signs nobody in and changes nothing of the visitor's
(a cross-site POST could only send a request in someone else's browser, which the
honeypot, the rate limit and the officials' reading already face). Robots filling the
honeypot get the same thank-you page and are stored hidden; a client sending too many
requests gets a polite 429 page in French, and nothing is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from terrain.adhesions import services
from terrain.adhesions.forms import JoinAnyForm, JoinForm
from terrain.public import throttle
from terrain.public.access import get_public_site
from terrain.public.http import public_page
from terrain.public.selectors import published_sites
from terrain.public.views import site_context

# A person sends one request, maybe two after a typo: more from one address is a robot.
LIMIT = 5
WINDOW_SECONDS = 600


def _consent_context(site=None) -> dict:
    return {
        "retention_days": settings.ADHESION_RETENTION_DAYS,
        "visible_to_parents": settings.ADHESION_VISIBLE_TO_PARENTS,
    }


def _too_many(request: HttpRequest, context: dict, template: str) -> HttpResponse:
    response = render(request, template, {**context, "too_many": True}, status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def _store(request: HttpRequest, form: JoinForm, site):
    values = {name: form.cleaned_data.get(name, "") for name in (*services.PERSONAL_FIELDS, "preferred_contact")}
    return services.join_request_submit(
        site=site, values=values, language=get_language() or "fr", spam=bool(form.cleaned_data.get("website"))
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@public_page
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the join form of a site. GET is the same page for everyone (cacheable)."""
    site = get_public_site(slug)
    context = {**site_context(site, "join"), **_consent_context()}
    if request.method == "GET":
        return render(request, "adhesions/join.html", {**context, "form": JoinForm()})
    if not throttle.allow(request, scope="adhesion", limit=LIMIT, seconds=WINDOW_SECONDS):
        return _too_many(request, context, "adhesions/join_refused.html")
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            _store(request, form, site)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("adhesions_public:thanks", slug=site.slug)
    return render(request, "adhesions/join.html", {**context, "form": form}, status=400)


@require_safe
@public_page
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_public_site(slug)
    return render(request, "adhesions/thanks.html", {**site_context(site, "join"), **_consent_context()})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def join_any(request: HttpRequest) -> HttpResponse:
    """Public: the instance-wide form; the visitor picks the union among the published sites."""
    sites = list(published_sites())
    context = {**_consent_context(), "sites": sites}
    if request.method == "GET":
        initial = {"site": request.GET.get("site", "")}
        return render(
            request, "adhesions/join_any.html", {**context, "form": JoinAnyForm(sites=sites, initial=initial)}
        )
    if not throttle.allow(request, scope="adhesion", limit=LIMIT, seconds=WINDOW_SECONDS):
        return _too_many(request, context, "adhesions/join_any_refused.html")
    form = JoinAnyForm(request.POST, sites=sites)
    if form.is_valid():
        try:
            join_request = _store(request, form, form.cleaned_data["site"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("adhesions_public:thanks", slug=join_request.site.slug)
    return render(request, "adhesions/join_any.html", {**context, "form": form}, status=400)
