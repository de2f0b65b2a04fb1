"""An election's states and the moves between them, declared once (see STYLE.md, rule 15)."""

from __future__ import annotations

from terrain.elections.models import Election

S = Election.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PUBLISHED, S.ARCHIVED}),
    S.PUBLISHED: frozenset({S.DRAFT, S.ARCHIVED}),  # back to draft takes the page off the site
    S.ARCHIVED: frozenset({S.DRAFT}),
}

assert set(TRANSITIONS) == set(S.values), "every state has its transitions"
assert all(target in S.values for targets in TRANSITIONS.values() for target in targets)


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
