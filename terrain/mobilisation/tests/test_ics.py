"""The .ics file: RFC 5545 lines, folding, escaping, and it reads back."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from terrain.mobilisation import ics, services
from terrain.mobilisation.models import EventKind
from terrain.mobilisation.tests.conftest import in_days, make_event

pytestmark = pytest.mark.django_db


def parse(text: str) -> list[dict[str, str]]:
    """A strict reader: CRLF only, lines of at most 75 octets, unfolded, VEVENTs as dicts."""
    assert "\n" not in text.replace("\r\n", "")
    assert text.endswith("\r\n")
    raw = text.split("\r\n")[:-1]
    for line in raw:
        assert len(line.encode("utf-8")) <= 75, line
    lines: list[str] = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events, current = [], None
    for line in lines:
        name, _colon, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return events


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_folding_never_cuts_a_character():
    line = "DESCRIPTION:" + "é" * 100
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_text_is_escaped():
    assert ics.escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_an_event_reads_back(world, site, client):
    event = make_event(
        world,
        title="Grève, manifestation; et après ?",
        description="Rendez-vous devant la gare.\nVenez nombreux·ses : " + "x" * 120,
        place_name="Place Bellecour",
        postal_code="69002",
        commune="Lyon",
        latitude=45.7578,
        longitude=4.832,
        co_organisers="l'union locale",
    )
    response = client.get(reverse("agenda:ics", args=[site.slug, event.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    (vevent,) = parse(response.content.decode())
    assert unescape(vevent["SUMMARY"]) == "Grève, manifestation; et après ?"
    assert "Venez nombreux·ses" in unescape(vevent["DESCRIPTION"])
    assert "l'union locale" in unescape(vevent["DESCRIPTION"])
    assert unescape(vevent["LOCATION"]) == "Place Bellecour, 69002 Lyon"
    start = datetime.strptime(vevent["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert start == event.starts_at
    assert vevent["DTEND"].endswith("Z") and vevent["DTSTAMP"].endswith("Z")
    assert vevent["UID"].startswith(event.code)
    assert vevent["GEO"] == "45.757800;4.832000"
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["URL"].endswith(f"/s/{site.slug}/agenda/{event.code}/")


def test_weekly_drop_in_hours_give_one_vevent_per_date_and_cancelled_says_so(world, site, client):
    start = in_days(1, 14)
    event = make_event(
        world,
        kind=EventKind.PERMANENCE,
        title="Permanence",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        repeat_until=start.date() + timedelta(weeks=3),
    )
    services.event_cancel(event=event, cancelled=True, by=world.alice)
    vevents = parse(client.get(reverse("agenda:ics", args=[site.slug, event.code])).content.decode())
    assert len(vevents) == 4
    assert len({v["UID"] for v in vevents}) == 4
    assert {v["STATUS"] for v in vevents} == {"CANCELLED"}
    assert isinstance(start.date(), date)
