from __future__ import annotations

from terrain.coach import ImageInfo, analyse

PICTURE = (ImageInfo(alt="Des collègues rassemblé·es devant l'usine"),)


def codes(text: str, **inputs) -> list[str]:
    inputs.setdefault("images", PICTURE)
    return [flag.code for flag in analyse(text, **inputs)]


def flags_of(code: str, text: str, **inputs):
    inputs.setdefault("images", PICTURE)
    return [flag for flag in analyse(text, **inputs) if flag.code == code]
