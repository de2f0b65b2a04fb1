"""The registry finds the network packages by itself and derives everything from the connectors."""

from __future__ import annotations

from terrain.networks import registry
from terrain.networks.base import Connector
from terrain.networks.sharing import ShareText

PACKAGES = {"mastodon", "bluesky", "facebook", "instagram", "linkedin", "telegram", "x"}


class Carrier(Connector):
    kind = "carrier"
    label = "Carrier"
    position = 1


def test_every_network_package_is_found_without_a_list():
    assert set(registry.available_kinds()) >= PACKAGES
    for kind in PACKAGES:
        connector = registry.get_connector(kind)
        assert connector.kind == kind and len(kind) <= 16
        assert connector.auth_flow in {"oauth", "app_password", "bot_token"}
    kinds = registry.available_kinds()
    assert kinds == sorted(kinds, key=lambda kind: registry.get_connector(kind).position)


def test_a_registered_connector_comes_in_its_place_and_goes(settings):
    registry.register(Carrier)
    try:
        assert registry.available_kinds()[0] == "carrier"
        assert registry.choices()[0] == ("carrier", "Carrier")
        assert registry.label("carrier") == "Carrier"
        assert registry.share_target("carrier") is None  # no share link declared
    finally:
        registry.unregister("carrier")
    assert "carrier" not in registry.available_kinds()
    assert registry.label("carrier") == "carrier"  # a row left from a network gone


def test_a_setting_replaces_a_connector(settings):
    settings.NETWORK_CONNECTORS = {"x": f"{__name__}.Carrier"}
    assert isinstance(registry.get_connector("x"), Carrier)
    settings.NETWORK_CONNECTORS = {}
    assert not isinstance(registry.get_connector("x"), Carrier)


def test_share_targets_come_from_the_connectors():
    kinds = [target.kind for target in registry.share_targets()]
    assert {"mastodon", "bluesky", "facebook", "linkedin", "telegram", "x"} <= set(kinds)
    assert "instagram" not in kinds  # Instagram has no share address
    share = ShareText(line="", body="Grève jeudi", url="https://exemple.org/tract")
    assert registry.share_target("mastodon").link.url(share) == ""  # no server: no address
    assert registry.share_target("mastodon").link.url(share, instance="piaille.fr").startswith("https://piaille.fr/")


def test_where_the_link_goes_is_the_connector_s_own_rule():
    link = "https://exemple.org/" + "a" * 40
    assert registry.get_connector("mastodon").sent_text("Texte", link) == f"Texte\n\n{link}"
    assert registry.get_connector("linkedin").sent_text("Texte", link) == "Texte"  # its link card
    assert registry.get_connector("linkedin").sent_text("Texte", link, with_media=True).endswith(link)
    bluesky = registry.get_connector("bluesky")
    assert bluesky.sent_text("Texte", link).endswith(link)
    assert bluesky.sent_text("é" * 280, link) == "é" * 280  # too long with it: the link rides in the card
    assert registry.get_connector("telegram").limit(with_media=True) < registry.get_connector("telegram").limit()
