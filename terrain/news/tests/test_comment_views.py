"""Commenting: writing, editing, deleting, and who hears of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.models import AuditEntry
from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.feed.models import Notification
from terrain.news.models import Comment
from terrain.news.services import comment_create
from terrain.news.tests.conftest import HTMX

pytestmark = pytest.mark.django_db


def test_a_member_comments_without_javascript(world, bob_client, alice_post):
    response = bob_client.post(reverse("news:comment_create", args=[alice_post.code]), {"text": "Je relis ce soir"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("news:post_detail", args=[alice_post.code]) + f"#comment-{comment.code}"
    assert comment.author == world.bob and comment.body_html == "<p>Je relis ce soir</p>"
    alice_post.refresh_from_db()
    assert alice_post.comment_count == 1


def test_with_htmx_the_comment_is_appended_and_the_form_cleared(world, bob_client, alice_post):
    response = bob_client.post(
        reverse("news:comment_create", args=[alice_post.code]), {"text": "Je relis ce soir"}, **HTMX
    )

    html = response.content.decode()
    comment = Comment.objects.get()
    assert response.status_code == 200
    assert f'id="comment-{comment.code}"' in html and "Je relis ce soir" in html
    # A fresh, empty form replaces the one used (out of band).
    assert f'id="comment-form-{alice_post.code}"' in html and 'hx-swap-oob="true"' in html
    assert "Je relis ce soir</textarea>" not in html


def test_an_empty_comment_comes_back_with_a_message(world, bob_client, alice_post):
    url = reverse("news:comment_create", args=[alice_post.code])

    with_htmx = bob_client.post(url, {"text": "   "}, **HTMX)
    without = bob_client.post(url, {"text": ""})

    assert not Comment.objects.exists()
    assert with_htmx["HX-Retarget"] == f"#comment-form-{alice_post.code}"
    assert "Écrivez un commentaire avant d&#x27;envoyer." in with_htmx.content.decode()
    assert without.status_code == 200
    assert "Écrivez un commentaire avant d&#x27;envoyer." in without.content.decode()


def test_a_comment_reaches_the_followers_in_their_feed_and_no_one_else(world, bob_client, alice_post, dana):
    bob_client.post(reverse("news:comment_create", args=[alice_post.code]), {"text": "Je relis ce soir"})

    notification = Notification.objects.get()
    assert notification.user == world.alice  # the author follows her post
    assert notification.reason == Notification.Reason.COMMENT and notification.in_feed
    assert not Notification.objects.filter(user=dana).exists()


def test_a_mention_in_a_comment_notifies_members_only(world, bob_client, alice_post, dana):
    text = f"@{dana.handle} et @{world.charlie.handle}, vous en pensez quoi ?"
    partial = bob_client.post(reverse("news:comment_create", args=[alice_post.code]), {"text": text}, **HTMX)
    assert f'class="mention">@{dana.handle}</a>' in partial.content.decode()

    assert Notification.objects.filter(user=dana, reason=Notification.Reason.MENTION, in_feed=True).exists()
    assert not Notification.objects.filter(user=world.charlie).exists()
    html = bob_client.get(reverse("news:post_detail", args=[alice_post.code])).content.decode()
    # Only the member's name becomes a link.
    assert f'class="mention">@{dana.handle}</a>' in html
    assert f'class="mention">@{world.charlie.handle}' not in html


def test_nobody_comments_in_an_archived_cooperative(world, bob_client, alice_post):
    from django.utils import timezone

    world.private_coop.archived_at = timezone.now()
    world.private_coop.save()

    response = bob_client.post(reverse("news:comment_create", args=[alice_post.code]), {"text": "Trop tard"})

    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.outsider("news:comment_create")
def test_outsiders_cannot_comment(world, charlie_client, client, alice_post):
    url = reverse("news:comment_create", args=[alice_post.code])
    assert_refused(charlie_client.post(url, {"text": "Intrus"}))
    assert_login_required(client.post(url, {"text": "Intrus"}))
    assert not Comment.objects.exists()


# --- Edit --------------------------------------------------------------------------


def test_the_author_edits_a_comment_with_and_without_javascript(world, bob_client, bob_comment):
    url = reverse("news:comment_edit", args=[bob_comment.code])
    assert "Je relis ce soir</textarea>" in bob_client.get(url).content.decode()
    assert "Je relis ce soir</textarea>" in bob_client.get(url, **HTMX).content.decode()

    response = bob_client.post(url, {"text": "Je relis demain matin"})
    bob_comment.refresh_from_db()
    assert response.status_code == 302
    assert bob_comment.body_html == "<p>Je relis demain matin</p>" and bob_comment.edited_at

    partial = bob_client.post(url, {"text": "Finalement ce soir"}, **HTMX)
    assert f'id="comment-{bob_comment.code}"' in partial.content.decode()
    assert "Finalement ce soir" in partial.content.decode()


def test_nobody_edits_the_comment_of_someone_else(world, alice_client, bob_comment):
    response = alice_client.post(reverse("news:comment_edit", args=[bob_comment.code]), {"text": "Réécrit"})

    bob_comment.refresh_from_db()
    assert response.status_code == 403
    assert bob_comment.body_html == "<p>Je relis ce soir</p>"


@pytest.mark.outsider("news:comment_edit")
def test_outsiders_cannot_edit_a_comment(world, charlie_client, client, bob_comment):
    url = reverse("news:comment_edit", args=[bob_comment.code])
    assert_refused(charlie_client.get(url))
    assert_refused(charlie_client.post(url, {"text": "Intrus"}))
    assert_login_required(client.get(url))


# --- Delete ------------------------------------------------------------------------


def test_the_author_deletes_a_comment(world, bob_client, bob_comment):
    url = reverse("news:comment_delete", args=[bob_comment.code])
    assert "Supprimer ce commentaire ?" in bob_client.get(url).content.decode()

    response = bob_client.post(url)

    bob_comment.refresh_from_db()
    bob_comment.post.refresh_from_db()
    assert response.status_code == 302
    assert bob_comment.deleted_at is not None
    assert bob_comment.post.comment_count == 0
    assert not AuditEntry.objects.exists()


def test_a_facilitator_removes_a_comment_and_it_is_audited(world, alice_client, bob_comment):
    response = alice_client.post(reverse("news:comment_delete", args=[bob_comment.code]), **HTMX)

    bob_comment.refresh_from_db()
    assert response.status_code == 200 and response.content == b""
    assert bob_comment.deleted_by == world.alice
    assert AuditEntry.objects.get().target_code == bob_comment.code


def test_a_member_cannot_delete_the_comment_of_someone_else(world, bob_client, alice_post):
    comment = comment_create(post=alice_post, author=world.alice, text="Merci à tous")

    response = bob_client.post(reverse("news:comment_delete", args=[comment.code]))

    comment.refresh_from_db()
    assert response.status_code == 403
    assert comment.deleted_at is None


@pytest.mark.outsider("news:comment_delete")
def test_outsiders_cannot_delete_a_comment(world, charlie_client, client, bob_comment):
    url = reverse("news:comment_delete", args=[bob_comment.code])
    assert_refused(charlie_client.post(url))
    assert_login_required(client.post(url))
    bob_comment.refresh_from_db()
    assert bob_comment.deleted_at is None
