"""The one-tap share addresses of each network."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from terrain.relays.sharing import ShareText, clean_instance, share_target

SHARE = ShareText(
    line="Lisez ça !", body="Trente minutes de pause pour tous.", url="https://t.example/l/abc", subject="Pause"
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mastodon.social", "mastodon.social"),
        ("https://Mastodon.Social/@nadia", "mastodon.social"),
        ("@nadia@piaille.fr", "piaille.fr"),
        ("nadia@piaille.fr", "piaille.fr"),
        ("pas un serveur", ""),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_mastodon_server_is_cleaned(typed, expected):
    assert clean_instance(typed) == expected


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_each_network_gets_its_own_share_address():
    mastodon = share_target("mastodon", SHARE, mastodon_instance="piaille.fr")
    assert mastodon.startswith("https://piaille.fr/share?text=")
    assert _query(mastodon)["text"] == "Lisez ça !\n\nTrente minutes de pause pour tous.\n\nhttps://t.example/l/abc"
    assert share_target("bluesky", SHARE).startswith("https://bsky.app/intent/compose?text=")
    assert share_target("x", SHARE).startswith("https://x.com/intent/post?text=")
    assert share_target("whatsapp", SHARE).startswith("https://wa.me/?text=")
    assert _query(share_target("facebook", SHARE)) == {"u": "https://t.example/l/abc"}
    assert _query(share_target("linkedin", SHARE)) == {"url": "https://t.example/l/abc"}
    telegram = share_target("telegram", SHARE)
    assert telegram.startswith("https://t.me/share/url?")
    assert _query(telegram)["url"] == "https://t.example/l/abc"
    assert "https://t.example" not in _query(telegram)["text"]
    mail = share_target("email", SHARE)
    assert mail.startswith("mailto:?subject=Pause&body=")


def test_networks_that_cannot_share_give_nothing():
    assert share_target("mastodon", SHARE) == ""  # no server known
    no_link = ShareText(line="", body="Texte", url="")
    assert share_target("facebook", no_link) == ""
    assert share_target("linkedin", no_link) == ""
    assert share_target("nope", SHARE) == ""


def test_long_texts_are_cut_to_fit_x():
    long = ShareText(line="", body="mot " * 200, url="https://t.example/l/abc")
    text = _query(share_target("x", long))["text"]
    assert len(text) < 280
    assert text.endswith("https://t.example/l/abc")
