"""Text folding for searches that ignore accents and case, the same on every database."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter plus marks, written
# the way a French keyboard user types them. Applied after casefold: lower case only.
_LETTERS = str.maketrans(
    {
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        # Phones type a typographic apostrophe, keyboards a straight one.
        "’": "'",
        "ʼ": "'",
        "‘": "'",
    }
)


def fold(value: str | None) -> str:
    """``value`` as searches compare it: no accents, no case, single spaces.

    "  Œuvre   ÉGALITÉ " -> "oeuvre egalite"; "Straße" -> "strasse". Compatibility
    forms are unified too ("ﬁ" -> "fi", a non-breaking space -> a space).
    Idempotent: ``fold(fold(x)) == fold(x)``, so a folded query can be matched
    against folded stored text with a plain, case-sensitive ``contains``.
    """
    if not value:
        return ""
    # casefold first ("ß" -> "ss", "İ" -> "i" + a mark), then decompose what it produced.
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # NFKD can yield capitals again (e.g. "℡" -> "TEL"): fold once more, it is cheap.
    return " ".join(bare.casefold().translate(_LETTERS).split())


#: Punctuation a shortened text should not end on before its "…".
_TRAILING = " \t\n,;:.-–—(«“'\""


def shorten(value: str | None, limit: int, *, one_line: bool = True) -> str:
    """``value`` in at most ``limit`` characters, cut between words with "…".

    "Assemblée générale jeudi" at 20 -> "Assemblée générale…" (never "Assemblée généra…").
    A single word longer than half the limit is cut inside it, still with "…". ``one_line``
    puts the text on one line (titles, summaries); without it, its lines are kept.
    """
    text = " ".join((value or "").split()) if one_line else (value or "").strip()
    if len(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    cut = text[: limit - 1]
    if not text[limit - 1].isspace():
        # Back to the last space, unless that leaves too little of the text to be read.
        space = max(cut.rfind(" "), cut.rfind("\n"))
        if space >= limit // 2:
            cut = cut[:space]
    return cut.rstrip(_TRAILING) + "…"
