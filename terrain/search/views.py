from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from terrain.cooperatives.models import Cooperative
from terrain.lib.http import personal_data
from terrain.search.forms import SearchForm
from terrain.search.selectors import search_for


@require_GET
@login_required
@personal_data
def results(request: HttpRequest) -> HttpResponse:
    """The search over everything the member may see; what they searched is theirs alone."""
    cooperatives = list(Cooperative.objects.filter(memberships__user=request.user).order_by("name").only("pk", "name"))
    form = SearchForm(request.GET or None, cooperatives=cooperatives)
    page = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        since, until = form.bounds()
        chosen = next((c for c in cooperatives if c.pk == data["cooperative"]), None)
        page = search_for(
            user=request.user,
            query=data["q"],
            kinds=[data["type"]] if data["type"] else None,
            cooperative=chosen,
            since=since,
            until=until,
            page=data["page"] or 1,
        )
    valid = form.is_bound and form.is_valid()
    filtered = valid and any(form.cleaned_data[f] for f in ("type", "cooperative", "depuis", "jusqu"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "result_page": page,
            "empty_query": valid and not form.cleaned_data["q"],
            "filtered": filtered,
            "base_query": params.urlencode(),
            "nav": "search",
        },
    )
