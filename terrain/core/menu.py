"""What the menu of every page shows about the signed-in member, read in one statement.

An app that adds to the menu registers a *fact* when it starts (``AppConfig.ready``):
a name and a statement giving one value about one member, whose id it reads as
``%(user)s``. The statement that loads the member of a request reads them too
(``accounts.backends.MemberBackend``, through ``facts_columns``): the unread badge
and the "Communication" link cost no round trip of their own. Otherwise the first
fact a page asks for reads them all in one ``SELECT``, kept on the request.
"""

from __future__ import annotations

from django.db import connection

_FACTS: dict[str, str] = {}


def register_fact(name: str, sql: str) -> None:
    """Add the fact ``name``: ``sql`` gives one value, the member's id is ``%(user)s``."""
    _FACTS[name] = sql


def facts_columns() -> tuple[list[str], str]:
    """The facts' names, and their statements as select-list entries for a query about one
    member (who is ``%(user)s``). Give the values read to ``remember_facts``."""
    names = list(_FACTS)
    return names, ", ".join(f"({_FACTS[name]})" for name in names)


def remember_facts(user, names: list[str], values) -> None:
    """Keep the facts read with ``user`` on it, for the request that loaded them."""
    user._member_facts = dict(zip(names, values, strict=True))


def member_fact(request, name: str):
    """The fact ``name`` of the member signed in on ``request`` (None for a visitor): read
    with the member, or else all facts once per request."""
    facts = getattr(request, "_member_facts", None)
    if facts is None:
        user = getattr(request, "user", None)
        facts = getattr(user, "_member_facts", None)
        if facts is None:
            facts = _read(user)
        request._member_facts = facts
    return facts[name]


def _read(user) -> dict:
    if user is None or not user.is_authenticated:
        return dict.fromkeys(_FACTS)
    names, columns = facts_columns()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", {"user": user.pk})
        return dict(zip(names, cursor.fetchone(), strict=True))
