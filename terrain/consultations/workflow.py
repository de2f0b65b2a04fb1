"""The life of a consultation, as a table: each state and the states it may go to.

``consultation_transition`` (services) performs every change of state and checks it here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.OPEN}),
    State.OPEN: frozenset({State.CLOSED}),
    State.CLOSED: frozenset({State.OPEN}),  # reopened: a deadline moved
}

assert set(TRANSITIONS) == set(State.values), "every state lists where it goes"
assert all(target in State.values for targets in TRANSITIONS.values() for target in targets)


def can_go(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())
