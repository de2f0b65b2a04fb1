"""An election on the structure's public site: anyone reads it once its officials publish it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from terrain.elections.selectors import colleges_with_parity, published_elections
from terrain.elections.steps import countdown, second_round_of
from terrain.lib.codes import looks_like_code
from terrain.public.access import get_public_site
from terrain.public.http import public_page
from terrain.public.views import site_context


@require_safe
@public_page
def election_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_public_site(slug)
    today = timezone.localdate()
    elections = [(e, countdown(e.vote_date, today)) for e in published_elections(site.structure)]
    return render(request, "elections/public_list.html", {**site_context(site, "elections"), "elections": elections})


@require_safe
@public_page
def election_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    site = get_public_site(slug)
    election = published_elections(site.structure).filter(code=code).first() if looks_like_code(code) else None
    if election is None:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "elections/public_detail.html",
        {
            **site_context(site, "elections"),
            "election": election,
            "countdown": countdown(election.vote_date, today),
            "days": (election.vote_date - today).days,
            "second_round": second_round_of(election.vote_date, election.second_round_date),
            # Names are personal data: on the site only when the officials ticked it.
            "colleges": colleges_with_parity(election),
        },
    )
