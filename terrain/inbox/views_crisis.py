"""The inbox's response figures and crisis room (namespace ``inbox_crisis``).

Everything here reads what outsiders wrote to the structure: every page is ``@personal_data``
and goes through ``terrain.inbox.access``.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from terrain.inbox import crisis as crises
from terrain.inbox.access import get_crisis_for, get_inbox_for
from terrain.inbox.figures import PERIODS, response_figures
from terrain.inbox.models import Crisis
from terrain.lib.http import personal_data

#: Crises listed on the figures page.
CRISES_SHOWN = 10


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=gettext_lazy("Holding statement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("{structure} and {date} are replaced by the structure's name and the crisis's date."),
    )


def _period(request: HttpRequest) -> str:
    value = request.GET.get("periode", "30")
    return value if value in PERIODS else "30"


@personal_data
@login_required
@require_GET
def figures(request: HttpRequest, code: str) -> HttpResponse:
    access = get_inbox_for(request, code, need="read")
    period = _period(request)
    until = timezone.now()
    result = response_figures(structure=access.structure, since=until - timedelta(days=PERIODS[period]), until=until)
    return render(
        request,
        "inbox/figures/structure.html",
        {
            "access": access,
            "structure": access.structure,
            "figures": result,
            "period": period,
            "periods": PERIODS,
            "crises": list(Crisis.objects.filter(structure=access.structure)[:CRISES_SHOWN]),
            "nav": "atelier",
        },
    )


def _composer_link(crisis: Crisis, text: str) -> str:
    """The workshop's composer, started with the statement (the team adapts it there)."""
    query = urlencode({"titre": _("Holding statement"), "texte": text})
    return f"{reverse('atelier:message_new', args=[crisis.structure.code])}?{query}"


def _room(request: HttpRequest, crisis: Crisis, access, form: StatementForm | None = None) -> HttpResponse:
    filled = crises.fill_statement(crisis.statement, structure=crisis.structure, when=crisis.opened_at)
    cause_ids = set(crisis.item_ids)
    return render(
        request,
        "inbox/crisis/room.html",
        {
            "access": access,
            "structure": crisis.structure,
            "crisis": crisis,
            "threads": crises.crisis_threads(crisis),
            "cause_count": len(cause_ids),
            "timeline": crises.crisis_timeline(crisis),
            "statement": filled,
            "composer_link": _composer_link(crisis, filled),
            "form": form or StatementForm(initial={"statement": crisis.statement}),
            "nav": "atelier",
        },
        status=400 if form is not None and form.errors else 200,
    )


@personal_data
@login_required
@require_GET
def room(request: HttpRequest, code: str) -> HttpResponse:
    crisis, access = get_crisis_for(request, code, need="read")
    return _room(request, crisis, access)


@personal_data
@login_required
@require_POST
def statement(request: HttpRequest, code: str) -> HttpResponse:
    crisis, access = get_crisis_for(request, code, need="approve")
    form = StatementForm(request.POST)
    if not form.is_valid():
        return _room(request, crisis, access, form)
    if crises.crisis_statement_update(crisis=crisis, text=form.cleaned_data["statement"], by=request.user):
        flash.success(request, _("The holding statement is saved."))
    else:
        flash.info(request, _("This crisis is closed: its statement can no longer be changed."))
    return redirect("inbox_crisis:room", crisis.code)


@personal_data
@login_required
@require_POST
def close(request: HttpRequest, code: str) -> HttpResponse:
    crisis, _access = get_crisis_for(request, code, need="approve")
    if crises.crisis_close(crisis=crisis, by=request.user):
        flash.success(request, _("The crisis is closed: answers go out as usual again."))
    else:
        flash.info(request, _("This crisis was already closed."))
    return redirect("inbox_crisis:room", crisis.code)


def _neutral(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@personal_data
@login_required
@require_GET
def timeline_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The crisis's timeline as a spreadsheet: what they said, what we answered, when."""
    crisis, _access = get_crisis_for(request, code, need="read")
    moments = crises.crisis_timeline(crisis)
    crises.timeline_exported(crisis=crisis, by=request.user, rows=len(moments))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="crise-{crisis.code}.csv"'
    response.write("\ufeff")  # spreadsheets read the accents right
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Time"), _("What"), _("Who"), _("Text"), _("Address"), _("Thread")])
    for moment in moments:
        writer.writerow(
            [
                timezone.localtime(moment.at).strftime("%Y-%m-%d %H:%M:%S"),
                moment.what,
                _neutral(moment.who),
                _neutral(moment.text),
                moment.url,
                moment.thread,
            ]
        )
    return response
