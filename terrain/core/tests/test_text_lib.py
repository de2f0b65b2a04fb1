"""``terrain.lib.text.fold``: what searches compare, without accents or case."""

from __future__ import annotations

import pytest

from terrain.lib.text import fold


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Égalité professionnelle", "egalite professionnelle"),
        ("HÉLÈNE Dupont", "helene dupont"),
        ("He\u0301le\u0300ne", "helene"),  # decomposed input (e + combining accent) folds the same
        ("Œuvre sociale", "oeuvre sociale"),
        ("cœur", "coeur"),
        ("Lætitia", "laetitia"),
        ("Straße", "strasse"),
        ("ÇA", "ca"),
        ("ﬁdèle", "fidele"),  # a ligature from a copied PDF
        ("  Union\u00a0 départementale\n du  Rhône ", "union departementale du rhone"),
        ("l’égalité", "l'egalite"),  # a phone's apostrophe matches a keyboard's
        ("İstanbul", "istanbul"),
        ("marie.dupont-2", "marie.dupont-2"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize("text", ["Égalité F/H", "Œ Æ ß ẞ ℡ ﬃ", "ǰ ΐ İ", "Ａｂｃ"])
def test_fold_is_idempotent_so_a_folded_query_matches_folded_text(text):
    assert fold(fold(text)) == fold(text)
    assert fold(text) in fold(f"avant {text} après")
