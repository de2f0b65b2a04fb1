"""The public agenda: a site's events, one event's page, its .ics, "I'll be there", and the
instance's agenda of every published site.

Pages answer through :func:`terrain.public.http.public_page` (the same for everyone,
cacheable): the "I'll be there" form carries no CSRF token, its POST is exempt (it only
raises a counter, once per client, rate limited) and answers with a redirect.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from terrain.lib.http import protected_file
from terrain.mobilisation import ics, services
from terrain.mobilisation.access import get_public_event
from terrain.mobilisation.forms import AgendaFilter, MapFilter
from terrain.mobilisation.occurrences import next_occurrence, occurrences
from terrain.mobilisation.sections import when_text
from terrain.mobilisation.selectors import in_departement, public_events, site_events, upcoming_occurrences
from terrain.networks.registry import share_targets
from terrain.networks.sharing import ShareText
from terrain.public import throttle
from terrain.public.access import get_public_site
from terrain.public.http import public_page
from terrain.public.views import site_context

SITE_AGENDA_SIZE = 100
INSTANCE_AGENDA_SIZE = 120  # each date is a card: the page stays light on a phone
ATTEND_LIMIT = 20  # "I'll be there" per client per hour, all events together


def _filter(request: HttpRequest, form_class=AgendaFilter) -> AgendaFilter:
    form = form_class(request.GET or None)
    form.is_valid()
    return form


def _value(form: AgendaFilter, key: str) -> str:
    return (form.cleaned_data.get(key) or "") if form.is_bound and hasattr(form, "cleaned_data") else ""


@require_safe
@public_page
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_public_site(slug)
    form = _filter(request)
    kind = _value(form, "type")
    found = upcoming_occurrences(site_events(site), kind=kind, limit=SITE_AGENDA_SIZE)
    return render(
        request,
        "mobilisation/agenda.html",
        {**site_context(site, "agenda"), "occurrences": found, "filter": form, "kind": kind},
    )


def _share_links(url: str, text: str, title: str) -> list[dict]:
    """One-tap share addresses of every share target that opens without a server of one's own."""
    share = ShareText(line="", body=text, url=url, subject=title)
    links = []
    for target in share_targets():
        href = target.link.url(share)
        if href:
            links.append({"label": target.label, "url": href})
    return links


@require_safe
@public_page
def event(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    site = get_public_site(slug)
    found = get_public_event(site, code)
    now = timezone.now()
    dates = list(occurrences(found, after=now, limit=8))
    shown = dates[0] if dates else found
    when = when_text(shown.starts_at, shown.ends_at)
    url = settings.SITE_URL + reverse("agenda:event", args=[site.slug, found.code])
    return render(
        request,
        "mobilisation/event.html",
        {
            **site_context(site, "agenda"),
            "event": found,
            "dates": dates,
            "past": not dates,
            "url": url,
            "share_links": _share_links(url, f"{found.title} · {when}", found.title),
            "thanks": request.GET.get("merci") == "1",
            "already": request.GET.get("merci") == "deja",
        },
    )


@require_safe
def event_image(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """An event's image, for its page and the social card networks fetch (uploads are not served)."""
    site = get_public_site(slug)
    found = get_public_event(site, code)
    if not found.image:
        raise Http404
    return protected_file(
        request, found.image, max_age=settings.PUBLIC_PAGE_MAX_AGE, width=request.GET.get("w"), public=True
    )


@require_safe
@public_page
def event_ics(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    site = get_public_site(slug)
    found = get_public_event(site, code)
    url = settings.SITE_URL + reverse("agenda:event", args=[site.slug, found.code])
    dates = list(occurrences(found))
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "terrain"
    body = ics.calendar(dates, url=url, host=host, name=f"{found.title} · {site.structure.name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.code}.ics"'
    return response


@csrf_exempt
@require_POST
def event_attend(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Count "I'll be there" once per client. Bots (honeypot) and floods are answered as if
    counted, and marked in nothing: no personal data is kept to mark them with."""
    site = get_public_site(slug)
    found = get_public_event(site, code)
    page = reverse("agenda:event", args=[site.slug, found.code])
    if request.POST.get("website"):  # the honeypot: a person leaves it empty
        return redirect(page + "?merci=1", permanent=False)
    if not throttle.allow(request, scope="agenda-attend", limit=ATTEND_LIMIT, seconds=3600):
        response = render(
            request,
            "mobilisation/attend_later.html",
            {**site_context(site, "agenda"), "event": found},
            status=429,
        )
        response["Retry-After"] = "3600"
        return response
    if next_occurrence(found, after=timezone.now()) is None:
        return redirect(page, permanent=False)  # over: nothing left to come to
    counted = services.event_attend(event=found, client_key=throttle.client_key(request))
    return redirect(page + "?" + urlencode({"merci": "1" if counted else "deja"}), permanent=False)


@require_safe
@public_page
def agenda_all(request: HttpRequest) -> HttpResponse:
    """Every published site's next events: the mobilisation map of the instance."""
    form = _filter(request, MapFilter)
    kind, departement = _value(form, "type"), _value(form, "departement").upper()
    events = public_events()
    if departement:
        events = in_departement(events, departement)
    found = upcoming_occurrences(events, kind=kind, limit=INSTANCE_AGENDA_SIZE)
    status = 400 if request.GET and not form.is_valid() else 200
    return render(
        request,
        "mobilisation/agenda_all.html",
        {"occurrences": found, "filter": form},
        status=status,
    )
