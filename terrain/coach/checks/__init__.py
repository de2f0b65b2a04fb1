"""One module per family of checks. Each check takes the draft and the inputs of
``terrain.coach.analyse`` and returns its flags; the order of ``CHECKS`` is the order
in which the composer shows them."""

from __future__ import annotations

from terrain.coach.checks import actions, capitals, presentation, readability

CHECKS = (
    capitals.acronyms,
    actions.several_ideas,
    readability.hard_to_read,
    presentation.too_long,
    presentation.images,
    presentation.too_many_hashtags,
    capitals.shouting,
    actions.no_call_to_action,
)
