"""Writing a post from the feed, choosing the cooperative."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.news.models import Post

pytestmark = pytest.mark.django_db

WRITE = "/actualites/publier/"


def test_the_feed_has_a_button_to_write(world, bob_client):
    html = bob_client.get(reverse("feed:home")).content.decode()
    assert reverse("news:post_write") in html

    # Filtered on one cooperative, the button chooses it.
    html = bob_client.get(reverse("feed:home"), {"cooperative": world.open_coop.code}).content.decode()
    assert f"{reverse('news:post_write')}?cooperative={world.open_coop.code}" in html


def test_the_choice_is_the_cooperatives_where_the_member_may_post(world, bob_client):
    world.private_coop.archived_at = timezone.now()
    world.private_coop.save()

    page = bob_client.get(WRITE, {"cooperative": world.open_coop.code})

    assert page.status_code == 200
    assert page.context["choices"] == [world.open_coop]  # not the archived one
    html = page.content.decode()
    assert f'<option value="{world.open_coop.code}"' in html and world.private_coop.code not in html
    assert f'action="{WRITE}"' in html and "trix-2.1.19.umd.min.js" in html


def test_a_member_publishes_in_the_cooperative_chosen(world, bob_client):
    response = bob_client.post(WRITE, {"cooperative": world.open_coop.code, "body": "<div>Depuis le fil</div>"})

    assert response.status_code == 302 and response["Location"] == reverse("feed:home")
    post = Post.objects.get()
    assert post.cooperative == world.open_coop and post.author == world.bob
    assert "Depuis le fil" in bob_client.get(reverse("feed:home")).content.decode()


def test_an_empty_post_comes_back_with_the_cooperative_chosen(world, bob_client):
    response = bob_client.post(WRITE, {"cooperative": world.open_coop.code, "body": ""})

    assert response.status_code == 200 and not Post.objects.exists()
    html = response.content.decode()
    assert "Écrivez quelque chose avant de publier." in html
    mentions = reverse("news:mention_suggest", args=[world.open_coop.code])
    assert f'value="{world.open_coop.code}" data-mentions-url="{mentions}" selected' in html


@pytest.mark.outsider("news:post_write")
def test_outsiders_cannot_publish_where_they_are_not(world, client, charlie_client, bob_client):
    assert_login_required(client.get(WRITE))
    # Charlie belongs nowhere: nothing to choose, and a cooperative named by hand is refused.
    page = charlie_client.get(WRITE)
    assert page.status_code == 200 and page.context["choices"] == []
    assert 'name="body"' not in page.content.decode()
    assert_refused(charlie_client.post(WRITE, {"cooperative": world.private_coop.code, "body": "<div>Intrus</div>"}))
    assert_refused(charlie_client.post(WRITE, {"cooperative": "nope", "body": "<div>Intrus</div>"}))
    # An archived cooperative takes no post, even from a member.
    world.open_coop.archived_at = timezone.now()
    world.open_coop.save()
    response = bob_client.post(WRITE, {"cooperative": world.open_coop.code, "body": "<div>Trop tard</div>"})
    assert response.status_code == 403
    assert not Post.objects.exists()
