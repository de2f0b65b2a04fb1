"""The themes of tracts: a list per instance (``settings.TRACT_THEMES``) and free ones, folded."""

from __future__ import annotations

from django.conf import settings

from terrain.lib.text import fold

DEFAULT_THEMES = (
    "Salaires",
    "Conditions de travail",
    "Santé au travail",
    "Temps de travail",
    "Emploi",
    "Retraites",
    "Égalité femmes-hommes",
    "Services publics",
    "Élections professionnelles",
    "Grève et mobilisation",
)
THEME_LENGTH = 60
MAX_THEMES = 8


def instance_themes() -> list[str]:
    """The themes this instance proposes (a site may set ``TRACT_THEMES``)."""
    return list(getattr(settings, "TRACT_THEMES", DEFAULT_THEMES))


def theme_key(label: str) -> str:
    """What a theme is compared by: "Santé au travail" and "sante  AU travail" are one theme."""
    return fold(label)[:THEME_LENGTH]


def themes_clean(labels) -> list[str]:
    """The labels without blanks or duplicates (by key), in order, each at most 60 characters;
    a label of the instance's list keeps the list's spelling."""
    known = {theme_key(t): t for t in instance_themes()}
    kept: dict[str, str] = {}
    for label in labels:
        label = " ".join(str(label).split())[:THEME_LENGTH]
        key = theme_key(label)
        if key and key not in kept:
            kept[key] = known.get(key, label)
    return list(kept.values())


def free_themes(text: str) -> list[str]:
    """Themes typed by hand, separated by commas or semicolons."""
    return [part for part in text.replace(";", ",").split(",") if part.strip()]
