"""An event as an iCalendar file (RFC 5545), written by hand: a few properties, done right.

Lines end with CRLF and are folded at 75 octets (never inside a UTF-8 character); text
values escape backslash, semicolon, comma and newline; times are UTC (``...Z``), so no
VTIMEZONE is needed. A weekly event gives one VEVENT per date, each with its own UID.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from terrain.mobilisation.occurrences import Occurrence

PRODID = "-//Terrain//Agenda//FR"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """``line`` cut into lines of at most 75 octets, each continuation starting with a space."""
    out, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not out else LINE_OCTETS - 1
        if size + width > limit:
            out.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


def _vevent(occurrence: Occurrence, *, url: str, host: str, stamp: datetime) -> list[str]:
    event = occurrence.event
    lines = [
        "BEGIN:VEVENT",
        f"UID:{occurrence.key}@{host}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(occurrence.starts_at)}",
        f"DTEND:{utc(occurrence.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
    ]
    description = event.description
    organisers = event.structure.name + (f", {event.co_organisers}" if event.co_organisers else "")
    description = f"{description}\n\n{organisers}\n{url}".strip()
    lines.append(f"DESCRIPTION:{escape_text(description)}")
    place = ", ".join(
        part for part in (event.place_name, event.address, f"{event.postal_code} {event.commune}".strip()) if part
    )
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
    if event.latitude is not None and event.longitude is not None:
        lines.append(f"GEO:{event.latitude:.6f};{event.longitude:.6f}")
    lines.append(f"URL:{url}")
    lines.append(f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}")
    lines.append("END:VEVENT")
    return lines


def calendar(occurrences: Iterable[Occurrence], *, url: str, host: str, name: str) -> str:
    """The VCALENDAR of ``occurrences`` (dates of one event, whose page is ``url``)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for occurrence in occurrences:
        lines += _vevent(occurrence, url=url, host=host, stamp=occurrence.event.updated_at)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
