"""Tone triage (the classifier lands from branch h-tone; this file holds its labels meanwhile)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tone(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    QUESTION = "question", _("Question")
    CRITICAL = "critical", _("Critical")
    HOSTILE = "hostile", _("Hostile")


PRIORITY = {Tone.QUESTION: 0, Tone.CRITICAL: 0, Tone.HOSTILE: 1, Tone.NEUTRAL: 2, Tone.POSITIVE: 3}


@dataclass(frozen=True)
class Verdict:
    tone: Tone
    reason: str
    cues: tuple[str, ...] = ()


def classify(text: str) -> Verdict:
    """Placeholder until branch h-tone lands: every item neutral."""
    return Verdict(Tone.NEUTRAL, "")
