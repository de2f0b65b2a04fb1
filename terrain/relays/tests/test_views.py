"""The relay pages: follow, my accounts, the relay page of a post, sharing, the managers' report."""

from __future__ import annotations

import ast
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

import terrain
from terrain.atelier.models import Message, MessageImage
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.insights.models import TrackedLink
from terrain.relays.models import Relay, RelayProfile, RelaySubscription
from terrain.relays.services import relay_profile_update
from terrain.relays.tests.conftest import publish_message
from terrain.tests.factories import make_image_file

pytestmark = pytest.mark.django_db


@pytest.mark.outsider("relays:home")
def test_home_lists_only_my_structures(world, client, charlie_client, bob_client, django_assert_max_num_queries):
    assert_login_required(client.get(reverse("relays:home")))
    page = charlie_client.get(reverse("relays:home"))
    assert page.status_code == 200
    assert "Section Hôpital Nord" not in page.content.decode()
    with django_assert_max_num_queries(12):
        page = bob_client.get(reverse("relays:home"))
    html = page.content.decode()
    assert "Section Hôpital Nord" in html
    assert "Syndicat de la santé" not in html
    assert reverse("relays:report", args=[world.section.code]) not in html  # bob holds no mandate


def test_home_links_managers_to_their_reports(world, alice_client):
    html = alice_client.get(reverse("relays:home")).content.decode()
    assert reverse("relays:report", args=[world.section.code]) in html
    assert reverse("newsletter:manage", args=[world.section.code]) in html


@pytest.mark.outsider("relays:subscribe", "relays:unsubscribe")
def test_outsiders_cannot_follow(world, charlie_client, alice_client):
    for name in ("relays:subscribe", "relays:unsubscribe"):
        assert_refused(charlie_client.post(reverse(name, args=[world.section.code]), {"mode": "app"}))
    # Alice is an official of the section only: the union above it is not hers to follow.
    assert_refused(alice_client.post(reverse("relays:subscribe", args=[world.syndicat.code]), {"mode": "app"}))
    assert not RelaySubscription.objects.exists()


def test_member_follows_changes_mode_and_stops(world, bob_client):
    url = reverse("relays:subscribe", args=[world.section.code])
    assert bob_client.post(url, {"mode": "digest"}).status_code == 302
    assert RelaySubscription.objects.get(user=world.bob).mode == "digest"
    bob_client.post(url, {"mode": "email"})
    assert RelaySubscription.objects.get(user=world.bob).mode == "email"
    bob_client.post(url, {"mode": "nope"})
    assert RelaySubscription.objects.get(user=world.bob).mode == "email"
    bob_client.post(reverse("relays:unsubscribe", args=[world.section.code]))
    assert not RelaySubscription.objects.exists()


@pytest.mark.outsider("relays:profile")
def test_my_accounts(world, client, bob_client):
    assert_login_required(client.post(reverse("relays:profile"), {"mastodon_instance": "piaille.fr"}))
    response = bob_client.post(
        reverse("relays:profile"), {"mastodon_instance": "https://piaille.fr/@bob", "personal_line": "À lire !"}
    )
    assert response.status_code == 302
    profile = RelayProfile.objects.get(user=world.bob)
    assert (profile.mastodon_instance, profile.personal_line) == ("piaille.fr", "À lire !")
    response = bob_client.post(reverse("relays:profile"), {"mastodon_instance": "pas un serveur"})
    assert response.status_code == 400
    assert "mastodon.social" in response.content.decode()
    assert RelayProfile.objects.get(user=world.bob).mastodon_instance == "piaille.fr"


@pytest.mark.outsider("relays:message")
def test_relay_page_is_for_members_of_the_structure(world, message, client, charlie_client, bob_client):
    url = reverse("relays:message", args=[message.code])
    assert_login_required(client.get(url))
    assert_refused(charlie_client.get(url))
    draft = publish_message(world.section, author=world.alice, status=Message.Status.APPROVED)
    assert_refused(bob_client.get(reverse("relays:message", args=[draft.code])))
    assert_refused(bob_client.get(reverse("relays:message", args=["aaaaaaaaaaaaaa"])))
    page = bob_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Trente minutes pour tous." in html
    assert "https://social.example/@section/1" in html  # the public link of the Mastodon post
    assert "Partager sur Bluesky" in html
    # Bob has no Mastodon server yet: the page says where to give it.
    assert reverse("relays:share", args=[message.code, "mastodon"]) not in html
    assert "Déjà relayé" not in html  # counts are for managers


def test_personal_line_is_sent_with_each_share_button(world, message, bob_client):
    relay_profile_update(user=world.bob, mastodon_instance="piaille.fr", personal_line="Mon avis :")
    url = reverse("relays:message", args=[message.code])
    html = bob_client.get(url).content.decode()
    assert 'formaction="' + reverse("relays:share", args=[message.code, "mastodon"]) + '"' in html
    assert 'value="Mon avis :"' in html
    html = bob_client.get(url, {"ligne": "Venez jeudi"}).content.decode()
    assert 'value="Venez jeudi"' in html


@pytest.mark.outsider("relays:share")
def test_share_records_once_and_opens_the_network(world, message, client, charlie_client, bob_client):
    url = reverse("relays:share", args=[message.code, "bluesky"])
    assert_login_required(client.post(url))
    assert_refused(charlie_client.post(url))
    response = bob_client.post(url, {"ligne": "Je soutiens"})
    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith("https://bsky.app/intent/compose?text=")
    text = parse_qs(urlsplit(target).query)["text"][0]
    assert text.startswith("Je soutiens\n\nTrente minutes pour tous.")
    short = TrackedLink.objects.get(channel="relay")
    assert text.endswith(f"/l/{short.code}")  # the message's link, tracked as a relay
    bob_client.post(url)
    assert Relay.objects.filter(user=world.bob, network="bluesky").count() == 1

    mail = bob_client.post(reverse("relays:share", args=[message.code, "email"]))
    assert mail["Location"].startswith("mailto:?subject=Pause%20d%C3%A9jeuner&body=")
    assert bob_client.post(reverse("relays:share", args=[message.code, "myspace"])).status_code == 404
    # Mastodon without a server: back to the page, nothing counted.
    assert bob_client.post(reverse("relays:share", args=[message.code, "mastodon"])).status_code == 302
    assert not Relay.objects.filter(network="mastodon").exists()


def test_another_site_cannot_count_a_share_or_write_the_line(world, message, bob):
    """A link or an image on another page is a GET; its form has no CSRF token."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bob)
    url = reverse("relays:share", args=[message.code, "bluesky"])
    assert browser.get(url, {"ligne": "Texte d'un autre site"}).status_code == 405
    assert browser.post(url, {"ligne": "Texte d'un autre site"}).status_code == 403
    assert not Relay.objects.exists()


@pytest.mark.outsider("relays:image")
def test_images_only_for_members(world, message, charlie_client, bob_client):
    picture = MessageImage.objects.create(message=message, image=make_image_file(), alt_text="Affiche")
    url = reverse("relays:image", args=[message.code, picture.code])
    assert_refused(charlie_client.get(url))
    assert_refused(bob_client.get(reverse("relays:image", args=[message.code, "aaaaaaaaaaaaaa"])))
    response = bob_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert 'alt="Affiche"' in bob_client.get(reverse("relays:message", args=[message.code])).content.decode()


@pytest.mark.outsider("relays:report")
def test_report_for_managers_only(world, message, client, charlie_client, bob_client, alice_client):
    url = reverse("relays:report", args=[world.section.code])
    assert_login_required(client.get(url))
    assert_refused(charlie_client.get(url))
    assert bob_client.get(url).status_code == 403
    for network in ("bluesky", "whatsapp"):
        bob_client.post(reverse("relays:share", args=[message.code, network]))
    page = alice_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pause déjeuner" in html
    assert "<td><strong>2</strong></td>" in html
    detail = alice_client.get(reverse("relays:message", args=[message.code])).content.decode()
    assert "WhatsApp : 1" in detail


def test_report_lists_posts_in_its_table_not_as_flash_banners(world, message, alice_client):
    html = alice_client.get(reverse("relays:report", args=[world.section.code])).content.decode()
    assert "Pause déjeuner" in html
    assert 'class="message message--' not in html  # base.html's banners read the context's "messages"


def test_no_view_names_its_context_messages():
    """``messages`` in a template's context is Django's flash messages: base.html shows each as a banner."""
    root = Path(terrain.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "fakes" in path.parts:  # the fakes speak networks' JSON, not contexts
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            keys = []
            if isinstance(node, ast.Dict):
                keys = node.keys
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
                keys = [node.slice]
            if any(isinstance(k, ast.Constant) and k.value == "messages" for k in keys):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []


def test_report_queries_are_bounded(world, alice, alice_client, django_assert_max_num_queries):
    for i in range(8):
        publish_message(world.section, author=alice, title=f"Message {i}")
    with django_assert_max_num_queries(14):
        assert alice_client.get(reverse("relays:report", args=[world.section.code])).status_code == 200


def test_only_web_addresses_become_links(world, bob_client):
    message = publish_message(world.section, author=world.alice, link="javascript:alert(1)")
    message.publications.filter(account__network="mastodon").update(remote_url="javascript:alert(2)")
    html = bob_client.get(reverse("relays:message", args=[message.code])).content.decode()
    assert "javascript:" not in html


def test_a_post_out_on_the_feed_only_is_shared_as_a_page_not_the_feed_file(world, bob_client):
    """Mastodon and Bluesky failed, the feed went out: the share points at the entry's page."""
    from terrain.atelier.models import Publication
    from terrain.networks.base import AccountData, Content
    from terrain.networks.registry import get_connector
    from terrain.newsletter.services import channel_enable

    message = publish_message(world.section, author=world.alice)
    message.publications.update(state=Publication.State.FAILED, remote_url="")
    feed = channel_enable(structure=world.section, network="rss", by=world.alice)
    message.accounts.add(feed)
    on_feed = Publication.objects.create(
        message=message, account=feed, due_at=message.published_at, next_try_at=message.published_at
    )
    data = AccountData(api_base="", secrets={}, remote_id=feed.remote_id)
    remote = get_connector("rss").publish(data, Content(text=message.body, title=message.title, marker=on_feed.marker))
    # As such entries were recorded before they had a page: the address of the feed file.
    atom = f"http://testserver/lettre/{world.section.code}/flux.atom#{remote.remote_id}"
    Publication.objects.filter(pk=on_feed.pk).update(
        state=Publication.State.PUBLISHED, remote_id=remote.remote_id, remote_url=atom
    )
    page = reverse("newsletter:entry", args=[world.section.code, remote.remote_id])

    html = bob_client.get(reverse("relays:message", args=[message.code])).content.decode()
    assert "flux.atom" not in html
    assert page in html  # "where it is published" leads to the page
    response = bob_client.post(reverse("relays:share", args=[message.code, "linkedin"]))
    url = parse_qs(urlsplit(response["Location"]).query)["url"][0]
    assert url.endswith(page)
