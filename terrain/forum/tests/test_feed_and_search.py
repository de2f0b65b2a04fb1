"""The forum in the unified feed and in the search, following the cooperative's tools."""

from __future__ import annotations

from django.urls import reverse

from terrain.forum.services import reply_create, reply_mark_answer, topic_create, topic_move, topic_update
from terrain.search.models import SearchDocument


def test_new_topics_and_answers_reach_the_feed(world, alice_client, bob_client, topic, alice_reply):
    reply_mark_answer(reply=alice_reply, by=world.alice)
    feed = alice_client.get(reverse("feed:home")).content.decode()
    assert topic.title in feed
    assert "Une question est résolue dans le forum" in feed
    world.private_coop.disabled_tools = "forum"
    world.private_coop.save()
    feed = alice_client.get(reverse("feed:home")).content.decode()
    assert topic.title not in feed


def test_the_charlie_feed_shows_nothing_of_it(world, charlie_client, topic):
    assert topic.title not in charlie_client.get(reverse("feed:home")).content.decode()


def test_search_documents_follow_the_topic(world, topic, alice_reply, other_category):
    document = SearchDocument.objects.get(kind="topic", object_id=topic.pk)
    assert document.cooperative_id == world.private_coop.pk
    assert "Qui a le même souci" in document.body and "<div>" not in document.body
    assert document.tool == "forum"
    topic_update(topic=topic, by=world.bob, title="Heures sup impayées", body_html="<div>Texte</div>", tags=[])
    assert SearchDocument.objects.get(kind="reply", object_id=alice_reply.pk).title == "Heures sup impayées"
    topic_move(topic=topic, category=other_category, by=world.alice)
    assert SearchDocument.objects.filter(kind="topic", object_id=topic.pk).exists()


def test_forum_items_cost_the_same_queries_for_one_or_many(
    world, bob_client, category, settings, django_assert_max_num_queries
):
    settings.FEED_PAGE_SIZE = 30

    def one_more(n):
        topic = topic_create(category=category, author=world.alice, title=f"Sujet {n}", body_html="<div>x</div>")
        reply = reply_create(topic=topic, author=world.alice, body_html=f"<div>Réponse {n}</div>")
        reply_mark_answer(reply=reply, by=world.alice)

    one_more(0)
    with django_assert_max_num_queries(40) as one:
        bob_client.get(reverse("feed:home"))
    for n in range(1, 8):
        one_more(n)
    with django_assert_max_num_queries(len(one)):
        html = bob_client.get(reverse("feed:home")).content.decode()
    assert html.count("Une question est résolue dans le forum") == 8
    assert "Sujet 7" in html and "Sujet 0" in html
