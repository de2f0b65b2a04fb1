"""The structure's public Atom feed and its connector."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.atelier.models import Message, Publication
from terrain.networks.base import AccountData, Content
from terrain.networks.registry import get_connector
from terrain.newsletter.models import FeedEntry
from terrain.newsletter.services import channel_disable, channel_enable

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _publish_on_feed(structure, account, *, title, status=Message.Status.PUBLISHED, link=""):
    """A message sent to the structure's feed through the RSS connector."""
    now = timezone.now()
    message = Message.objects.create(
        structure=structure, title=title, body=f"Texte de {title}", status=status, link=link
    )
    message.accounts.add(account)
    publication = Publication.objects.create(message=message, account=account, due_at=now, next_try_at=now)
    data = AccountData(api_base="", secrets={}, remote_id=account.remote_id)
    return get_connector("rss").publish(
        data, Content(text=message.body, title=title, link=link, marker=publication.marker)
    )


def _titles(response) -> list[str]:
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


@pytest.mark.outsider("newsletter:feed")
def test_feed_exists_only_once_enabled(world, client):
    assert client.get(reverse("newsletter:feed", args=[world.section.code])).status_code == 404
    assert client.get(reverse("newsletter:feed", args=["aaaaaaaaaaaaaa"])).status_code == 404
    channel_enable(structure=world.section, network="rss", by=world.alice)
    response = client.get(reverse("newsletter:feed", args=[world.section.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert _titles(response) == []


def test_feed_shows_published_messages_of_this_structure_only(world, feed_account, client):
    other_feed = channel_enable(structure=world.syndicat, network="rss", by=world.alice)
    _publish_on_feed(world.section, feed_account, title="Publié", link="https://exemple.org/a")
    _publish_on_feed(world.section, feed_account, title="Brouillon", status=Message.Status.DRAFT)
    _publish_on_feed(world.section, feed_account, title="Programmé", status=Message.Status.SCHEDULED)
    _publish_on_feed(world.syndicat, other_feed, title="Du syndicat")
    # A published message of the section that was not sent to its feed.
    Message.objects.create(structure=world.section, title="Ailleurs", status=Message.Status.PUBLISHED)
    response = client.get(reverse("newsletter:feed", args=[world.section.code]))
    assert _titles(response) == ["Publié"]
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == "https://exemple.org/a"
    assert "Texte de Publié" in entry.find(f"{ATOM}summary").text
    assert _titles(client.get(reverse("newsletter:feed", args=[world.syndicat.code]))) == ["Du syndicat"]


def test_rss_connector_records_once(world, feed_account):
    connector = get_connector("rss")
    assert connector.auth_flow == "owned"
    data = AccountData(api_base="", secrets={}, remote_id=world.section.code)
    content = Content(text="Bonjour", title="Titre", marker="m4rker")
    assert connector.find_published(data, content) is None
    first = connector.publish(data, content)
    assert connector.publish(data, content) == first
    assert connector.find_published(data, content) == first
    assert FeedEntry.objects.count() == 1
    assert first.url.endswith(f"/lettre/{world.section.code}/billets/{first.remote_id}/")  # a page, not the file
    connector.delete(data, first.remote_id)
    assert not FeedEntry.objects.exists()


@pytest.mark.outsider("newsletter:entry")
def test_an_entry_has_a_public_page_while_the_feed_is_on(world, feed_account, client):
    posted = _publish_on_feed(world.section, feed_account, title="Assemblée jeudi")
    draft = _publish_on_feed(world.section, feed_account, title="Pas encore", status=Message.Status.DRAFT)
    url = reverse("newsletter:entry", args=[world.section.code, posted.remote_id])
    page = client.get(url)
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Assemblée jeudi" in page.content.decode() and "Texte de Assemblée jeudi" in page.content.decode()
    assert client.get(reverse("newsletter:entry", args=[world.section.code, draft.remote_id])).status_code == 404
    assert client.get(reverse("newsletter:entry", args=[world.syndicat.code, posted.remote_id])).status_code == 404
    assert client.get(reverse("newsletter:entry", args=[world.section.code, "aaaaaaaaaaaaaa"])).status_code == 404
    feed = client.get(reverse("newsletter:feed", args=[world.section.code]))
    entry = ET.fromstring(feed.content).find(f"{ATOM}entry")  # noqa: S314 (our own feed)
    assert entry.find(f"{ATOM}link").get("href").endswith(url)  # feed readers open the page too
    channel_disable(structure=world.section, network="rss", by=world.alice)
    assert client.get(url).status_code == 404
