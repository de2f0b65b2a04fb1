"""What the coach takes in and gives back: plain frozen values, no models."""

from __future__ import annotations

from dataclasses import dataclass

WARNING = "warning"
ADVICE = "advice"

# Stable codes: the composer and the corpus labels rely on them.
CODES = (
    "acronym",
    "several_ideas",
    "hard_to_read",
    "too_long",
    "no_image",
    "image_without_alt",
    "too_many_hashtags",
    "shouting",
    "no_call_to_action",
)


@dataclass(frozen=True)
class ImageInfo:
    alt: str = ""


@dataclass(frozen=True)
class Limit:
    """A network's verdict on the length: ``count`` is measured by its connector."""

    network: str  # the network's name as people read it ("Bluesky"): the flag's message says it
    count: int
    maximum: int


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str
    message: str
    suggestion: str
    excerpt: str = ""
    start: int | None = None
    end: int | None = None
    #: When the fix is mechanical: the text to put in place of ``text[start:end]`` (the
    #: acronym with its plain words, the shouted words in ordinary letters). None otherwise.
    replacement: str | None = None
