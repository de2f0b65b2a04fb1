"""The demo publishes for real, to the local sandbox: no `.invalid` server, one newsletter, a steady history."""

from __future__ import annotations

import random
import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from terrain.accounts.models import User
from terrain.atelier.models import ConnectedAccount, Message, Publication
from terrain.atelier.services.publishing import message_schedule
from terrain.demo import sandbox
from terrain.demo.sandbox_server import MAILS, READER_LINES, SEEDERS, answer
from terrain.inbox.models import Item
from terrain.inbox.services import read_account_stream
from terrain.inbox.tasks import inbox_due
from terrain.insights.models import FollowerSnapshot
from terrain.insights.selectors import follower_series
from terrain.insights.services import followers_collect, metrics_collect
from terrain.networks.base import AccountData, Content
from terrain.networks.registry import choices, get_connector
from terrain.structures.models import Structure

pytestmark = pytest.mark.django_db


def _free_ports(count: int) -> int:
    """A first port such that it and the ``count - 1`` next ones are free."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65535:
            continue
        try:
            for offset in range(count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", first + offset))
        except OSError:
            continue
        return first
    raise RuntimeError("no free ports")


@pytest.fixture
def demo(settings):
    settings.SANDBOX_PORT = _free_ports(len(sandbox.ACCOUNTS))
    out = StringIO()
    call_command("demo", stdout=out)
    return Structure.objects.get(connected_accounts__network="bluesky")


@pytest.fixture
def fakes(demo, settings):
    """The sandbox's fakes (all but mastodon-mock), in this process, where the demo's accounts point."""
    servers = {}
    for account in sandbox.ACCOUNTS:
        if account.kind in SEEDERS:
            servers[account.kind] = SEEDERS[account.kind](account)
            servers[account.kind].start(settings.SANDBOX_PORT + account.offset)
    yield servers
    for server in servers.values():
        server.stop()


def test_the_demo_has_no_invalid_server_one_newsletter_and_steady_histories(demo):
    accounts = ConnectedAccount.objects.all()
    assert accounts.exists()
    assert not [a.api_base for a in accounts if ".invalid" in a.api_base]
    assert accounts.filter(structure=demo, network="newsletter").count() == 1
    owned = [kind for kind, _label in choices() if get_connector(kind).auth_flow == "owned"]
    assert {"newsletter", "rss", "site"} <= set(owned)  # the structure's own channels: no server
    for account in accounts.exclude(network__in=owned):
        assert sandbox.is_sandbox_address(account.api_base)
        assert account.on_this_machine
        assert account.status == ConnectedAccount.Status.ACTIVE and account.secrets

    # Follower histories never go down and end at what the network says today.
    accounts = ConnectedAccount.objects.filter(follower_snapshots__isnull=False).distinct()
    assert accounts.count() >= 3
    for account in accounts:
        counts = list(
            FollowerSnapshot.objects.filter(account=account).order_by("day").values_list("followers", flat=True)
        )
        assert counts == sorted(counts), account
        assert counts[-1] == account.followers
    newsletter = accounts.get(network="newsletter")
    assert newsletter.followers == newsletter.structure.subscribers.filter(status="confirmed").count()
    # What the statistics page shows: no series loses followers over the period.
    series = follower_series(structure=demo, since=timezone.now() - timedelta(days=30))
    assert len(series) >= 3 and all(s.change >= 0 for s in series)


def test_a_demo_message_goes_out_to_the_sandbox_and_its_figures_come_back(
    demo, fakes, client, django_capture_on_commit_callbacks
):
    fakes = {kind: fake for kind, fake in fakes.items() if get_connector(kind).can_publish}  # not the mailbox
    accounts = list(ConnectedAccount.objects.filter(structure=demo, network__in=list(fakes)))
    assert len(accounts) == len(fakes) >= 3
    approver = demo.strategy.approvers.first()
    message = Message.objects.create(
        structure=demo,
        author=approver,
        body="Assemblée générale jeudi à 14 h, salle 12.",
        status=Message.Status.APPROVED,
    )
    message.accounts.set(accounts)
    with django_capture_on_commit_callbacks(execute=True):
        message_schedule(message=message, at=timezone.now(), by=approver)

    states = dict(message.publications.values_list("account__network", "state"))
    assert states == dict.fromkeys(fakes, Publication.State.PUBLISHED)
    for kind, fake in fakes.items():
        assert [p["text"] for p in fake.received()] == ["Assemblée générale jeudi à 14 h, salle 12."], kind

    # Its page leads to what the sandbox received, never to the real network's address.
    client.force_login(User.objects.get(email="animatrice@terrain.example"))
    page = client.get(reverse("atelier:message_detail", args=[message.code])).content.decode()
    assert reverse("demo:sandbox", args=[demo.code]) in page
    for publication in message.publications.all():
        assert publication.remote_url not in page

    # Its statistics come back from the sandbox.
    bluesky = message.publications.get(account__network="bluesky")
    fakes["bluesky"].like(bluesky.remote_id, 4)
    assert metrics_collect(publication=bluesky)
    assert bluesky.metrics_state.likes == 4
    account = bluesky.account
    before = account.followers
    snapshot = followers_collect(account=account)
    assert snapshot is not None and snapshot.followers == before == sandbox.account_for("bluesky").followers


def test_the_sandbox_page_shows_what_each_network_received(demo, fakes, client):
    fakes["telegram"].channels[int(sandbox.account_for("telegram").remote_id)].messages[1] = {
        "message_id": 1,
        "date": 1_800_000_000,
        "text": "Bonjour depuis le bac à sable",
    }
    client.force_login(User.objects.get(email="animatrice@terrain.example"))
    page = client.get(reverse("demo:sandbox", args=[demo.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bonjour depuis le bac à sable" in text
    assert "bac à sable local" in text.lower() or "sandbox" in text.lower()
    # Mastodon's server is not running in this test: the page says so instead of failing.
    assert page.context["networks"][0]["account"].network in {"mastodon", "bluesky", "telegram"}
    assert any(item["posts"] is None for item in page.context["networks"])
    # The mailbox publishes nothing: it is not on the page (the inbox reads it).
    assert "imap" not in {item["account"].network for item in page.context["networks"]}


@pytest.mark.outsider("demo:sandbox")
def test_outsiders_and_plain_members_are_refused(world, charlie_client, bob_client):
    url = reverse("demo:sandbox", args=[world.section.code])
    assert charlie_client.get(url).status_code == 404
    assert bob_client.get(url).status_code == 403


def test_managers_and_staff_are_let_in(world, alice_client, client):
    url = reverse("demo:sandbox", args=[world.section.code])
    assert alice_client.get(url).status_code == 200
    from terrain.tests.factories import make_user

    staff = make_user("Équipe technique")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(url).status_code == 200


class _Always(random.Random):
    def random(self) -> float:
        return 0.0


def test_the_sandbox_readers_comment_the_section_s_posts_so_that_the_inbox_fills():
    account = next(a for a in sandbox.ACCOUNTS if a.kind == "telegram")
    with SEEDERS["telegram"](account) as fake:
        data = AccountData(api_base=fake.base_url, secrets=dict(account.secrets), remote_id=account.remote_id)
        connector = get_connector("telegram")
        connector.publish(data, Content(text="Assemblée générale jeudi"))
        answer({"telegram": fake}, rng=_Always())
        [comment] = connector.fetch_inbound(data, "comments", "").items
    assert comment.kind == "comment" and comment.parent_is_ours
    assert comment.text in READER_LINES


def test_the_sandbox_starts_with_a_mention_on_bluesky_and_x():
    for kind in ("bluesky", "x"):
        account = next(a for a in sandbox.ACCOUNTS if a.kind == kind)
        with SEEDERS[kind](account) as fake:
            data = AccountData(api_base=fake.base_url, secrets=dict(account.secrets), remote_id=account.remote_id)
            connector = get_connector(kind)
            [mention] = connector.fetch_inbound(data, connector.inbox_streams[0], "").items
        assert mention.kind == "mention", kind


def test_the_demo_mailbox_reads_the_e_mails_waiting_in_the_sandbox(demo, fakes, settings, client):
    settings.INBOX_IMAP_PLAIN_LOOPBACK = True  # what DEBUG turns on for make run
    account = ConnectedAccount.objects.get(structure=demo, network="imap")
    assert account.secrets["host"] == "127.0.0.1"  # stored encrypted, like every account's
    port = settings.SANDBOX_PORT + sandbox.account_for("imap").offset
    assert int(account.secrets["port"]) == port == fakes["imap"].port

    inbox_due.call()  # the clock's job: every due stream, the mailbox's among them (tasks run at once in tests)

    items = Item.objects.filter(conversation__account=account).order_by("created_at")
    assert [(i.kind, i.author_name, i.text.split("\n")[0]) for i in items] == [
        ("message", sender.split(" <")[0], subject) for _key, _hours, sender, subject, _text in MAILS
    ]
    assert {i.conversation.network for i in items} == {"imap"}
    client.force_login(User.objects.get(email="animatrice@terrain.example"))
    page = client.get(reverse("inbox:list", args=[demo.code])).content.decode()
    assert "Claire Morel" in page and "Gérard Lemoine" in page

    # The sandbox starts again (a new mailbox, the same e-mails): nothing is stored twice.
    fakes["imap"].stop()
    fakes["imap"] = SEEDERS["imap"](sandbox.account_for("imap"))
    fakes["imap"].start(port)
    read_account_stream(account, "mail")
    assert Item.objects.filter(conversation__account=account).count() == len(MAILS)


def test_the_accounts_page_links_to_the_sandbox_only_for_accounts_that_publish(demo, client):
    client.force_login(User.objects.get(email="animatrice@terrain.example"))
    page = client.get(reverse("atelier:accounts", args=[demo.code])).content.decode()
    link = reverse("demo:sandbox", args=[demo.code])
    accounts = ConnectedAccount.objects.filter(structure=demo).exclude(status=ConnectedAccount.Status.DISCONNECTED)
    mailbox = accounts.get(network="imap")
    for account in accounts.filter(network__in=["mastodon", "imap"]):
        start = page.index(f'id="account-{account.code}"')
        entry = page[start : page.index("</li>", start)]
        assert "Local sandbox, not the real network" in entry or "Bac à sable local" in entry
        assert (link in entry) == (account.pk != mailbox.pk), account.network
