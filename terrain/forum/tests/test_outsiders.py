"""Every forum page refuses whoever is not a member: 404 (the forum's existence stays hidden), and a
redirect to sign in for someone signed out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.tests.helpers import assert_login_required, assert_refused
from terrain.forum.models import Reply, Topic


def _urls(world, category, topic, reply):
    coop = world.private_coop.code
    return [
        ("forum:home", coop),
        ("forum:topic_create", coop),
        ("forum:mark_all_read", coop),
        ("forum:categories", coop),
        ("forum:category_detail", category.code),
        ("forum:category_edit", category.code),
        ("forum:category_shift", category.code),
        ("forum:category_delete", category.code),
        ("forum:category_subscribe", category.code),
        ("forum:topic_detail", topic.code),
        ("forum:reply_create", topic.code),
        ("forum:topic_edit", topic.code),
        ("forum:topic_delete", topic.code),
        ("forum:topic_subscribe", topic.code),
        ("forum:topic_moderate", topic.code),
        ("forum:topic_move", topic.code),
        ("forum:reply_link", reply.code),
        ("forum:reply_edit", reply.code),
        ("forum:reply_delete", reply.code),
        ("forum:reply_answer", reply.code),
    ]


@pytest.mark.outsider("forum:home")
@pytest.mark.outsider("forum:topic_create")
@pytest.mark.outsider("forum:mark_all_read")
@pytest.mark.outsider("forum:categories")
@pytest.mark.outsider("forum:category_detail")
@pytest.mark.outsider("forum:category_edit")
@pytest.mark.outsider("forum:category_shift")
@pytest.mark.outsider("forum:category_delete")
@pytest.mark.outsider("forum:category_subscribe")
@pytest.mark.outsider("forum:topic_detail")
@pytest.mark.outsider("forum:reply_create")
@pytest.mark.outsider("forum:topic_edit")
@pytest.mark.outsider("forum:topic_delete")
@pytest.mark.outsider("forum:topic_subscribe")
@pytest.mark.outsider("forum:topic_moderate")
@pytest.mark.outsider("forum:topic_move")
@pytest.mark.outsider("forum:reply_link")
@pytest.mark.outsider("forum:reply_edit")
@pytest.mark.outsider("forum:reply_delete")
@pytest.mark.outsider("forum:reply_answer")
def test_outsiders_get_nothing(world, charlie_client, client, category, topic, alice_reply):
    payload = {"body": "<div>Intrus</div>", "title": "Intrus", "name": "Intrus", "action": "pin", "answer": "1"}
    for name, code in _urls(world, category, topic, alice_reply):
        url = reverse(name, args=[code])
        if name in GET_ONLY:
            assert_refused(charlie_client.get(url))
            assert_login_required(client.get(url))
            continue
        if name not in POST_ONLY:
            assert_refused(charlie_client.get(url))
        assert_refused(charlie_client.post(url, payload))
        assert_login_required(client.post(url, payload))
    assert Topic.objects.count() == 1
    assert Reply.objects.count() == 1
    topic.refresh_from_db()
    assert topic.pinned_at is None and topic.answer_id is None


GET_ONLY = {"forum:home", "forum:category_detail", "forum:topic_detail", "forum:reply_link"}
POST_ONLY = {
    "forum:mark_all_read",
    "forum:category_shift",
    "forum:category_subscribe",
    "forum:reply_create",
    "forum:topic_moderate",
    "forum:reply_answer",
}


def test_a_member_of_another_cooperative_gets_nothing(world, dana, topic):
    """The open cooperative's members see nothing of the private one's forum."""
    from django.test import Client

    from terrain.cooperatives.models import Membership

    Membership.objects.filter(user=dana, cooperative=world.private_coop).delete()
    client = Client()
    client.force_login(dana)
    assert_refused(client.get(reverse("forum:topic_detail", args=[topic.code])))
    assert_refused(client.get(reverse("forum:home", args=[world.private_coop.code])))
    assert client.get(reverse("forum:home", args=[world.open_coop.code])).status_code == 200


def test_the_open_cooperatives_forum_is_for_its_members_only(world, charlie_client):
    assert_refused(charlie_client.get(reverse("forum:home", args=[world.open_coop.code])))


def test_a_forum_turned_off_has_no_pages(world, bob_client, topic):
    world.private_coop.disabled_tools = "forum"
    world.private_coop.save()
    assert bob_client.get(reverse("forum:home", args=[world.private_coop.code])).status_code == 404
    assert bob_client.get(reverse("forum:topic_detail", args=[topic.code])).status_code == 404


def test_bad_codes_are_404(bob_client):
    for name in ("forum:home", "forum:topic_detail", "forum:reply_link", "forum:category_detail"):
        assert bob_client.get(reverse(name, args=["nope"])).status_code == 404
