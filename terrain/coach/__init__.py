"""The writing coach: offline, deterministic advice on a French post before it goes out.

``analyse`` is pure: it reads the text and what the composer knows of the images, the
network limits and the link, and returns flags the composer shows next to the draft.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from terrain.coach.types import ADVICE, CODES, WARNING, Flag, ImageInfo, Limit

__all__ = ["ADVICE", "CODES", "WARNING", "Flag", "ImageInfo", "Limit", "analyse"]


def analyse(
    text: str,
    *,
    lexicon: Mapping[str, str] | None = None,
    images: Sequence[ImageInfo] = (),
    limits: Sequence[Limit] = (),
    link: str = "",
) -> list[Flag]:
    """Flags for ``text``, in the order the composer shows them.

    ``lexicon`` is the structure's own acronyms (capitals → plain words), merged over the
    built-in one; an empty expansion marks an acronym everyone there knows. ``link`` is
    the link attached beside the text, if the network shows it apart.
    """
    from terrain.coach.checks import CHECKS
    from terrain.coach.text import Draft

    draft = Draft(f"{text}\n{link}" if link and link not in text else text)
    flags: list[Flag] = []
    for check in CHECKS:
        flags.extend(check(draft, lexicon=lexicon, images=images, limits=limits))
    return flags
