"""The statistics pages of a structure's workshop: figures, charts, best times, CSV export."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from terrain.atelier.access import get_atelier_for
from terrain.insights.charts import line_chart
from terrain.insights.selectors import best_times, follower_series, network_totals, publication_stats

PERIODS = {"30": 30, "90": 90, "365": 365}


def _period(request: HttpRequest) -> str:
    value = request.GET.get("periode", "30")
    return value if value in PERIODS else "30"


@login_required
@require_GET
def structure_stats(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="write")
    period = _period(request)
    since = timezone.now() - timedelta(days=PERIODS[period])
    rows = publication_stats(structure=access.structure, since=since)
    tz = timezone.get_current_timezone()
    best = best_times(rows, tz=tz, weekday_names=[str(WEEKDAYS[d]) for d in range(7)])
    series = follower_series(structure=access.structure, since=since)
    charts = [(s, line_chart(s.points, label=_("Followers of %(account)s") % {"account": s.account})) for s in series]
    return render(
        request,
        "insights/structure.html",
        {
            "access": access,
            "structure": access.structure,
            "period": period,
            "periods": PERIODS,
            "rows": rows[:100],
            "row_count": len(rows),
            "totals": network_totals(rows),
            "best": best,
            "best_weekday_max": max((b.average for b in best.by_weekday), default=0) or 1,
            "best_hour_max": max((b.average for b in best.by_hour), default=0) or 1,
            "charts": charts,
            "nav": "atelier",
        },
    )


def _cell(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts with = + - @."""
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@login_required
@require_GET
def structure_stats_csv(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="write")
    period = _period(request)
    rows = publication_stats(structure=access.structure, since=timezone.now() - timedelta(days=PERIODS[period]))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"statistiques-{access.structure.code}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet software reads the accents right
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Published on"),
            _("Network"),
            _("Account"),
            _("Message"),
            _("Likes"),
            _("Reposts"),
            _("Replies"),
            _("Link clicks"),
            _("Address"),
        ]
    )
    for row in rows:
        publication = row.publication
        writer.writerow(
            [
                timezone.localtime(publication.published_at).strftime("%Y-%m-%d %H:%M"),
                publication.account.get_network_display(),
                _cell(publication.account.handle),
                _cell(str(publication.message)[:200]),
                row.likes,
                row.reposts,
                row.replies,
                row.clicks,
                _cell(publication.remote_url),
            ]
        )
    return response
