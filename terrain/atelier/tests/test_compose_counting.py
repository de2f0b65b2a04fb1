"""Each network's own way of counting characters (terrain.networks.counting)."""

from __future__ import annotations

import pytest

from terrain.networks.counting import count, limit
from terrain.networks.registry import get_connector

LONG_URL = "https://www.cfdt.fr/portail/actualites/sante-travail/un-tres-long-chemin-vers-une-page?utm_source=x"


class TestMastodon:
    def test_plain_text_counts_graphemes(self):
        assert count("mastodon", "Grève jeudi") == 11
        # a decomposed "é" (e + combining accent) is one character on screen
        assert count("mastodon", "Gre\u0300ve") == 5
        assert count("mastodon", "👩‍👩‍👧") == 1

    def test_every_link_counts_23(self):
        assert count("mastodon", LONG_URL) == 23
        assert count("mastodon", "https://a.fr") == 23
        assert count("mastodon", f"Lisez {LONG_URL} vite") == len("Lisez ") + 23 + len(" vite")

    def test_a_link_stops_before_the_closing_punctuation(self):
        assert count("mastodon", "Voir https://cfdt.fr/tract.") == len("Voir ") + 23 + 1
        assert count("mastodon", "(https://cfdt.fr/a)") == 23 + 2

    def test_a_bare_domain_is_plain_text_on_mastodon(self):
        assert count("mastodon", "cfdt.org") == 8

    def test_a_remote_mention_counts_its_local_part(self):
        assert count("mastodon", "@alice@mastodon.social") == len("@alice")
        assert count("mastodon", "Merci @bob@piaille.fr !") == len("Merci @bob !")
        assert count("mastodon", "@carole") == 7  # a local mention stays as it is

    def test_an_email_address_is_not_a_mention(self):
        assert count("mastodon", "contact@syndicat.fr") == len("contact@syndicat.fr")


class TestBluesky:
    def test_graphemes_not_code_points(self):
        assert count("bluesky", "Égalité") == 7
        assert count("bluesky", "🇫🇷") == 1
        assert count("bluesky", "👍🏽") == 1
        assert count("bluesky", "e\u0301") == 1

    def test_links_count_in_full(self):
        assert count("bluesky", LONG_URL) == len(LONG_URL)


class TestX:
    def test_latin_text_weighs_one(self):
        assert count("x", "Salarié·es, votez !") == len("Salarié·es, votez !")

    def test_decomposed_accents_are_normalised_first(self):
        assert count("x", "e\u0301") == 1

    def test_characters_outside_the_light_ranges_weigh_two(self):
        assert count("x", "日本") == 4
        assert count("x", "…") == 2  # U+2026 is outside the light ranges
        assert count("x", "\u202f") == 2  # the narrow no-break space before "!" in French typography

    def test_typographic_punctuation_in_the_light_ranges_weighs_one(self):
        assert count("x", "’") == 1  # U+2019
        assert count("x", "—") == 1  # U+2014
        assert count("x", "«\u00a0»") == 3

    def test_an_emoji_weighs_two_even_as_a_sequence(self):
        assert count("x", "👍") == 2
        assert count("x", "👍🏽") == 2
        assert count("x", "👨‍👩‍👧") == 2
        assert count("x", "🇫🇷") == 2
        assert count("x", "1️⃣") == 2

    def test_links_weigh_23(self):
        assert count("x", LONG_URL) == 23
        assert count("x", f"Lisez {LONG_URL}") == 6 + 23

    def test_a_bare_generic_domain_is_a_link(self):
        assert count("x", "cfdt.org") == 23
        assert count("x", "Rendez-vous sur syndicat.com") == len("Rendez-vous sur ") + 23

    def test_a_bare_country_domain_needs_a_path(self):
        assert count("x", "cfdt.fr") == 7
        assert count("x", "cfdt.fr/tract") == 23

    def test_unknown_endings_and_handles_are_not_links(self):
        assert count("x", "fichier.pdfx") == len("fichier.pdfx")
        assert count("x", "@cfdt.com") == len("@cfdt.com")
        assert count("x", "mail: contact@cfdt.com") == len("mail: contact@cfdt.com")


@pytest.mark.parametrize("kind", ["linkedin", "facebook", "instagram", "telegram", "newsletter", "rss"])
def test_the_others_count_plain_characters(kind):
    assert count(kind, f"Grève 👍 {LONG_URL}") == len(f"Grève 👍 {LONG_URL}")


def test_limits():
    """Each connector states its own limit, and the composer's ``limit`` asks it."""
    assert {kind: limit(kind) for kind in LIMITS} == LIMITS
    assert {kind: get_connector(kind).max_chars for kind in LIMITS} == LIMITS
    assert limit("telegram", with_media=True) == 1024
    assert limit("telegram") == 4096
    assert limit("rss") is None


#: The networks' published limits (None: an e-mail or a feed entry has none).
LIMITS = {
    "mastodon": 500,
    "bluesky": 300,
    "x": 280,
    "linkedin": 3000,
    "facebook": 63206,
    "instagram": 2200,
    "telegram": 4096,
    "newsletter": None,
    "rss": None,
}


def test_empty_text_counts_zero():
    assert count("x", "") == count("mastodon", "") == count("bluesky", "") == 0
