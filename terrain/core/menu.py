"""What the menu of every page shows about the signed-in member, read in one statement.

An app that adds to the menu registers a *fact* when it starts (``AppConfig.ready``):
a name and a statement giving one value about one member, whose id it reads as
``%(user)s``. The first fact a page asks for reads them all in one ``SELECT`` and
keeps them on the request: the unread badge and the "Communication" link cost one
round trip, not one each.
"""

from __future__ import annotations

from django.db import connection

_FACTS: dict[str, str] = {}


def register_fact(name: str, sql: str) -> None:
    """Add the fact ``name``: ``sql`` gives one value, the member's id is ``%(user)s``."""
    _FACTS[name] = sql


def member_fact(request, name: str):
    """The fact ``name`` of the member signed in on ``request`` (None for a visitor),
    all facts read once per request."""
    facts = getattr(request, "_member_facts", None)
    if facts is None:
        facts = request._member_facts = _read(getattr(request, "user", None))
    return facts[name]


def _read(user) -> dict:
    if user is None or not user.is_authenticated:
        return dict.fromkeys(_FACTS)
    names = list(_FACTS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({_FACTS[name]})" for name in names), {"user": user.pk})
        return dict(zip(names, cursor.fetchone(), strict=True))
