"""The pipeline of a join request, declared as a table (checked at import).

new → contacted → met → member, or declined / lost from any open step; a declined or
lost request may be taken up again (contacted). ``member`` is the end.
"""

from __future__ import annotations

from terrain.adhesions.models import Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.CONTACTED, Status.MET, Status.MEMBER, Status.DECLINED, Status.LOST}),
    Status.CONTACTED: frozenset({Status.MET, Status.MEMBER, Status.DECLINED, Status.LOST}),
    Status.MET: frozenset({Status.MEMBER, Status.DECLINED, Status.LOST}),
    Status.MEMBER: frozenset(),
    Status.DECLINED: frozenset({Status.CONTACTED}),
    Status.LOST: frozenset({Status.CONTACTED}),
}
# Statuses a request waits in (reminders); the others are settled.
OPEN = frozenset({Status.NEW, Status.CONTACTED, Status.MET})
# Reaching a status means the earlier steps happened (a visitor met at once was contacted).
IMPLIES: dict[str, tuple[str, ...]] = {
    Status.CONTACTED: ("first_contacted_at",),
    Status.MET: ("first_contacted_at", "met_at"),
    Status.MEMBER: ("first_contacted_at", "member_at"),
}


def _check() -> None:
    assert set(TRANSITIONS) == set(Status.values), "every status needs a line"
    for source, targets in TRANSITIONS.items():
        assert source not in targets, f"{source} leads to itself"
        assert targets <= set(Status.values), f"{source} leads nowhere known"


_check()


def allowed(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


def next_statuses(source: str) -> list[Status]:
    return [Status(value) for value in Status.values if value in TRANSITIONS.get(source, frozenset())]
