"""``terrain.lib.text.fold``: what searches compare, without accents or case."""

from __future__ import annotations

import pytest

from terrain.lib.text import fold, shorten


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


def test_plain_text_start_is_the_beginning_of_the_plain_text_of_a_long_html():
    from django.template.defaultfilters import truncatechars

    from terrain.lib.html import plain_text, plain_text_start

    short = "<p>Grève <b>jeudi</b> &amp; vendredi</p>"
    assert plain_text_start(short, 200) == plain_text(short)
    long = "<p>" + " ".join(f'mot{n} <a href="https://x.org/{n}">lien</a><br>' for n in range(400)) + "</p>"
    start = plain_text_start(long, 200)
    assert len(start) < len(plain_text(long)) and plain_text(long).startswith(start)
    assert truncatechars(start, 200) == truncatechars(plain_text(long), 200)
    assert shorten(start, 160) == shorten(plain_text(long), 160)
