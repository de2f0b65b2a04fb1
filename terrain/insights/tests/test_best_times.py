from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from terrain.insights.charts import line_chart
from terrain.insights.selectors import PublicationStats, best_times, network_totals

PARIS = ZoneInfo("Europe/Paris")
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def _row(network: str, at: datetime, likes: int) -> PublicationStats:
    account = SimpleNamespace(network=network, get_network_display=lambda: network.title())
    publication = SimpleNamespace(account=account, published_at=at, message="m")
    return PublicationStats(publication, likes=likes, reposts=0, replies=0, clicks=0)


def test_best_times_group_in_the_viewers_time_zone():
    utc = ZoneInfo("UTC")
    rows = [
        # 17:30 UTC on a Tuesday in June is 19:30 in Paris.
        _row("mastodon", datetime(2026, 6, 2, 17, 30, tzinfo=utc), likes=10),
        _row("mastodon", datetime(2026, 6, 2, 17, 45, tzinfo=utc), likes=20),
        _row("bluesky", datetime(2026, 6, 6, 8, 0, tzinfo=utc), likes=3),
    ]
    best = best_times(rows, tz=PARIS, weekday_names=DAYS)
    assert [b.key for b in best.by_network] == ["mastodon", "bluesky"]
    assert best.by_network[0].average == 15
    tuesday = best.by_weekday[1]
    assert (tuesday.label, tuesday.publications, tuesday.average) == ("mardi", 2, 15)
    assert [h.key for h in best.by_hour] == [10, 19]


def test_network_totals_keep_the_best_publication():
    utc = ZoneInfo("UTC")
    rows = [_row("x", datetime(2026, 1, 1, tzinfo=utc), 1), _row("x", datetime(2026, 1, 2, tzinfo=utc), 9)]
    (total,) = network_totals(rows)
    assert total.publications == 2 and total.likes == 10 and total.best.likes == 9


def test_line_chart_scales_into_the_box():
    chart = line_chart([("a", 10), ("b", 20)], label="x")
    first, last = chart.points.split()
    assert first.endswith(",152.0") and last.endswith(",8.0")
    assert line_chart([], label="x") is None
