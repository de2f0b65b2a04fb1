"""What is new to each member stands out, and "mark all as read" clears it."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from terrain.cooperatives.models import Membership
from terrain.forum.services import reply_create, topic_create


def _listing(client, world):
    response = client.get(reverse("forum:home", args=[world.private_coop.code]))
    return {t.title: t for t in response.context["page"].object_list}, response.content.decode()


def _joined_long_ago(world):
    Membership.objects.filter(cooperative=world.private_coop).update(
        joined_at=world.private_coop.created_at - timedelta(days=1)
    )


def test_a_new_topic_is_new_to_others_not_to_its_author(world, bob_client, alice_client, topic):
    _joined_long_ago(world)
    topics, html = _listing(alice_client, world)
    assert topics[topic.title].is_new and topics[topic.title].is_unread
    assert "nouveau" in html and "pas encore ouvert)" in html
    assert "forum-topic forum-topic--unread" in html
    topics, _html = _listing(bob_client, world)
    assert not topics[topic.title].is_unread


def test_opening_a_topic_reads_it_and_new_replies_stand_out(world, bob_client, alice_client, topic):
    _joined_long_ago(world)
    alice_client.get(reverse("forum:topic_detail", args=[topic.code]))
    topics, _html = _listing(alice_client, world)
    assert not topics[topic.title].is_unread
    reply = reply_create(topic=topic, author=world.bob, body_html="<div>Du nouveau</div>")
    topics, _html = _listing(alice_client, world)
    assert topics[topic.title].is_unread and not topics[topic.title].is_new
    page = alice_client.get(reverse("forum:topic_detail", args=[topic.code]))
    shown = list(page.context["view"].replies.object_list)
    assert shown == [reply] and shown[0].is_unread
    assert "pas encore lue)" in page.content.decode()
    page = alice_client.get(reverse("forum:topic_detail", args=[topic.code]))
    assert not page.context["view"].replies.object_list[0].is_unread


def test_the_topic_opens_at_the_first_unread_page(world, alice_client, topic):
    _joined_long_ago(world)
    for n in range(22):
        reply_create(topic=topic, author=world.alice, body_html=f"<div>{n}</div>")
    alice_client.get(reverse("forum:topic_detail", args=[topic.code]))  # reads page 1 only
    reply_create(topic=topic, author=world.bob, body_html="<div>Nouveau</div>")
    page = alice_client.get(reverse("forum:topic_detail", args=[topic.code]))
    assert page.context["view"].replies.number == 2


def test_mark_all_read(world, alice_client, category, topic):
    _joined_long_ago(world)
    topic_create(category=category, author=world.bob, title="Autre", body_html="x")
    alice_client.post(reverse("forum:mark_all_read", args=[world.private_coop.code]))
    topics, html = _listing(alice_client, world)
    assert not any(t.is_unread for t in topics.values())
    assert "forum-topic--unread" not in html
    reply_create(topic=topic, author=world.bob, body_html="<div>Après</div>")
    topics, _html = _listing(alice_client, world)
    assert topics[topic.title].is_unread


def test_the_categories_say_how_many_topics_have_news(world, alice_client, category, other_category, topic):
    _joined_long_ago(world)
    topic_create(category=category, author=world.bob, title="Autre", body_html="x")
    response = alice_client.get(reverse("forum:home", args=[world.private_coop.code]))
    counts = {c.name: c.unread_count for c in response.context["categories"]}
    assert counts == {"Salaires": 2, "Grève": 0}
    assert "2 avec du nouveau" in response.content.decode()
    alice_client.get(reverse("forum:topic_detail", args=[topic.code]))
    response = alice_client.get(reverse("forum:home", args=[world.private_coop.code]))
    assert {c.name: c.unread_count for c in response.context["categories"]}["Salaires"] == 1
