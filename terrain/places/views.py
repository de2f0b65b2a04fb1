"""« Trouvez le syndicat le plus proche »: the instance's public locator, its embeddable copy and
the suggestions its search field shows as one types.

Every page is the same for everyone (``@public_page``: a GET form, no cookie, no CSRF
token) and works without JavaScript; ``static/places/locator.js`` adds the suggestions
and "use my position". Only published sites are listed (:func:`nearest_sites`), with
what they publish themselves and the lines the tools register (``registry.locator_facts``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from terrain.places.forms import LocatorForm
from terrain.places.selectors import commune_by_insee, commune_search, federations_with_sites, nearest_sites
from terrain.public import registry
from terrain.public.http import embeddable, public_page
from terrain.structures.models import StructureKind

RESULTS = 10
MAP_TEMPLATE = "public/_map.html"


def _map_template() -> str:
    """The shared map (Leaflet over the list) when this instance has it; the list alone otherwise."""
    try:
        get_template(MAP_TEMPLATE)
    except TemplateDoesNotExist:
        return ""
    return MAP_TEMPLATE


def _cards(found) -> list[dict]:
    sites = [site for site, _distance in found]
    facts = registry.locator_facts(sites)
    return [
        {
            "site": site,
            "kind": StructureKind(site.structure.kind).label,
            "distance": distance,
            "facts": facts.get(site.pk, []),
        }
        for site, distance in found
    ]


def _locate(request: HttpRequest) -> tuple[dict, int]:
    """The page's context for the query string, and its status (400 for a malformed query)."""
    form = LocatorForm(request.GET or None, federations=federations_with_sites())
    context = {"form": form, "search": None, "origin": "", "cards": [], "searched": False, "map_template": ""}
    if not request.GET:
        return context, 200
    if not form.is_valid():
        return context, 400
    data = form.cleaned_data
    filters = {key: data[key] for key in ("kind", "federation") if data[key]}
    context["filters_query"] = urlencode(filters)
    point = None
    if data["commune"]:
        commune = commune_by_insee(data["commune"])
        if commune is not None:
            point, context["origin"] = (commune.latitude, commune.longitude), commune.label
    elif data["lat"] is not None:
        point, context["origin"] = (data["lat"], data["lon"]), _("your position")
    if point is None and data["q"]:
        search = context["search"] = commune_search(data["q"])
        if search.chosen is not None:
            point, context["origin"] = (search.chosen.latitude, search.chosen.longitude), search.chosen.label
    if point is not None:
        context["searched"] = True
        found = nearest_sites(
            latitude=point[0], longitude=point[1], limit=RESULTS, kind=data["kind"], federation=form.chosen_federation
        )
        context["cards"] = _cards(found)
        context["map_template"] = _map_template() if found else ""
    return context, 200


@require_safe
@public_page
def locator(request: HttpRequest) -> HttpResponse:
    context, status = _locate(request)
    # Text to copy (the template escapes it): our own address and title.
    embed_url, title = settings.SITE_URL + reverse("places:embed"), _("Find the union nearest you")
    snippet = f'<iframe src="{embed_url}" title="{title}" width="100%" height="640" loading="lazy"></iframe>'
    return render(
        request, "places/locator.html", {**context, "embedded": False, "embed_snippet": snippet}, status=status
    )


@require_safe
@embeddable
@public_page
def embed(request: HttpRequest) -> HttpResponse:
    """The locator without the instance's chrome, for an ``<iframe>`` on another site
    (``EMBED_FRAME_ANCESTORS`` may frame it; every other page refuses to be framed)."""
    context, status = _locate(request)
    return render(request, "places/embed.html", {**context, "embedded": True}, status=status)


@require_safe
@public_page
def suggestions(request: HttpRequest) -> HttpResponse:
    """The communes matching what is typed so far, as a fragment for locator.js."""
    query = request.GET.get("q", "")[:100]
    filters = {key: request.GET.get(key, "")[:40] for key in ("kind", "federation") if request.GET.get(key)}
    search = commune_search(query) if len(query.strip()) >= 2 else None
    return render(
        request,
        "places/_suggestions.html",
        {"search": search, "filters_query": urlencode(filters), "embedded": request.GET.get("embed") == "1"},
    )
