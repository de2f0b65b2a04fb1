"""Notifications: the list in plain words, marking read, opening one, the badge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.feed.models import Notification
from terrain.feed.services import notifications_create
from terrain.feed.tests.conftest import HTMX, attribute
from terrain.news.services import comment_create, post_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def commented(world):
    """Alice's post, commented by bob: alice has one unread notification."""
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<div>Réunion</div>")
    comment = comment_create(post=post, author=world.bob, text="J'y serai avec deux collègues")
    return post, comment


def test_notifications_say_what_happened_and_unread_ones_stand_out(world, alice_client, commented):
    notifications_create(
        users=[world.alice], reason=Notification.Reason.JOIN_REQUEST, actor=world.charlie, cooperative=world.open_coop
    )
    notifications_create(users=[world.alice], reason=Notification.Reason.ROLE_CHANGED, cooperative=world.open_coop)
    Notification.objects.filter(reason=Notification.Reason.ROLE_CHANGED).update(read_at="2024-01-01T00:00:00Z")

    html = alice_client.get(reverse("feed:notifications")).content.decode()

    assert "Bob Durand a commenté une publication que vous suivez, dans Égalité professionnelle" in html
    assert "J&#x27;y serai avec deux collègues" in html
    assert "Charlie Petit demande à rejoindre Égalité professionnelle" in html
    assert "Votre rôle a changé dans Égalité professionnelle" in html
    assert html.count("notification--unread") == 2
    assert "Tout marquer comme lu" in html


def test_a_mention_in_a_post_is_explained(world, bob_client):
    post_create(cooperative=world.open_coop, author=world.alice, body_html=f"<div>Merci @{world.bob.handle}</div>")
    html = bob_client.get(reverse("feed:notifications")).content.decode()
    assert "Alice Martin vous a mentionné·e dans une publication, dans Égalité professionnelle" in html


def test_no_notifications_yet(world, charlie_client):
    html = charlie_client.get(reverse("feed:notifications")).content.decode()
    assert "Pas encore de notifications." in html and "Tout marquer comme lu" not in html


def test_older_notifications_come_by_pages(world, alice_client):
    for _ in range(35):
        notifications_create(
            users=[world.alice], reason=Notification.Reason.INVITED, actor=world.bob, cooperative=world.open_coop
        )

    first = alice_client.get(reverse("feed:notifications")).content.decode()
    older_link = first.split('href="?avant=')[1].split('"')[0].replace("&amp;", "&")
    second = alice_client.get(reverse("feed:notifications") + "?avant=" + older_link).content.decode()

    codes_first = set(Notification.objects.order_by("-id").values_list("code", flat=True)[:30])
    assert all(code in first for code in codes_first)
    assert second.count("notification--unread") == 5
    assert not any(code in second for code in codes_first)


@pytest.mark.outsider("feed:notifications")
def test_notifications_need_an_account(client):
    assert_login_required(client.get(reverse("feed:notifications")))


def test_mark_all_as_read(world, alice_client, commented):
    response = alice_client.post(reverse("feed:notifications_read"))

    assert response.status_code == 302
    assert not Notification.objects.filter(user=world.alice, read_at__isnull=True).exists()


@pytest.mark.outsider("feed:notifications_read")
def test_mark_all_read_touches_only_mine(world, charlie_client, client, commented):
    charlie_client.post(reverse("feed:notifications_read"))
    assert Notification.objects.filter(user=world.alice, read_at__isnull=True).count() == 1
    assert_login_required(client.post(reverse("feed:notifications_read")))


def test_opening_a_notification_marks_it_read_and_leads_to_the_comment(world, alice_client, commented):
    post, comment = commented
    notification = Notification.objects.get(user=world.alice)

    response = alice_client.get(reverse("feed:notification_open", args=[notification.code]))

    notification.refresh_from_db()
    assert notification.read_at is not None
    assert response["Location"] == reverse("news:post_detail", args=[post.code]) + f"#comment-{comment.code}"


def test_a_join_request_leads_to_the_members_page(world, alice_client):
    notifications_create(
        users=[world.alice], reason=Notification.Reason.JOIN_REQUEST, actor=world.charlie, cooperative=world.open_coop
    )
    notification = Notification.objects.get()

    response = alice_client.post(reverse("feed:notification_open", args=[notification.code]))

    assert response["Location"] == reverse("cooperatives:members", args=[world.open_coop.code])


@pytest.mark.outsider("feed:notification_open")
def test_nobody_opens_the_notification_of_someone_else(world, charlie_client, bob_client, client, commented):
    notification = Notification.objects.get(user=world.alice)
    url = reverse("feed:notification_open", args=[notification.code])

    assert_refused(charlie_client.get(url))
    assert_refused(bob_client.get(url))
    assert_login_required(client.get(url))
    notification.refresh_from_db()
    assert notification.read_at is None


# --- Badge -------------------------------------------------------------------------


def test_the_badge_counts_unread_notifications_and_refreshes_itself(world, alice_client, commented, settings):
    settings.FEED_POLL_SECONDS = 10
    page = alice_client.get(reverse("feed:home")).content.decode()

    assert attribute(page, "hx-trigger", "notifications-badge") == "every 20s"
    assert attribute(page, "hx-get", "notifications-badge") == reverse("feed:badge")
    assert "1 notification non lue<" in page

    badge = alice_client.get(reverse("feed:badge"), **HTMX).content.decode()
    assert 'id="notifications-badge"' in badge and " hidden>" not in badge


def test_the_badge_hides_at_zero_and_caps_at_99(world, alice_client, bob_client):
    assert " hidden>" in bob_client.get(reverse("feed:badge")).content.decode()

    notifications_create(users=[world.alice], reason=Notification.Reason.INVITED, cooperative=world.open_coop)
    for _ in range(120):
        notifications_create(users=[world.alice], reason=Notification.Reason.INVITED, cooperative=world.open_coop)
    badge = alice_client.get(reverse("feed:badge")).content.decode()
    assert '<span aria-hidden="true">99+</span>' in badge
    assert "plus de 99 notifications non lues" in badge


@pytest.mark.outsider("feed:badge")
def test_the_badge_needs_an_account(client):
    assert_login_required(client.get(reverse("feed:badge")))
