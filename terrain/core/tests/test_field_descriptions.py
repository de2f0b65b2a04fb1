"""Every aria-describedby names elements that exist: help texts and errors reach screen readers."""

from __future__ import annotations

from html.parser import HTMLParser

from terrain.newsletter.channels import NEWSLETTER
from terrain.newsletter.services import channel_enable


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for ref in (attrs.get("aria-describedby") or "").split():
            self.described.append((f"<{tag} name={attrs.get('name')!r}>", ref))


def dangling_descriptions(html: str) -> list[tuple[str, str]]:
    parser = _References()
    parser.feed(html)
    return [(element, ref) for element, ref in parser.described if ref not in parser.ids]


def test_every_described_field_points_at_its_help(world, alice_client, client):
    section = world.section
    channel_enable(structure=section, network=NEWSLETTER, by=world.alice)
    pages = {
        alice_client: [
            "/compte/profil/",
            "/compte/mot-de-passe/",
            "/cooperatives/nouvelle/",
            f"/cooperatives/{world.open_coop.code}/",
            f"/cooperatives/{world.open_coop.code}/membres/",
            f"/structures/{section.code}/",
            f"/structures/{section.code}/membres/",
            f"/atelier/{section.code}/strategie/",
            f"/atelier/{section.code}/lexique/",
            f"/atelier/{section.code}/file-attente/",
            f"/atelier/{section.code}/messages/nouveau/",
            f"/lettre/{section.code}/abonne-es/",
            "/relais/",
        ],
        client: ["/compte/connexion/", "/compte/mot-de-passe/oublie/", f"/lettre/{section.code}/"],
    }
    described, problems = 0, {}
    for browser, paths in pages.items():
        for path in paths:
            response = browser.get(path)
            assert response.status_code == 200, path
            html = response.content.decode()
            described += html.count("aria-describedby")
            if dangling := dangling_descriptions(html):
                problems[path] = dangling
    assert described > 10  # the walk meets the fields with help texts
    assert not problems, problems


def test_errors_and_help_are_both_reachable_after_a_refused_form(world, alice_client):
    response = alice_client.post("/cooperatives/nouvelle/", {"name": ""})
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert not dangling_descriptions(html)
