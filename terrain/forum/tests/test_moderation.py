"""What animateurs do: categories, pin, lock, move, mark the answer."""

from __future__ import annotations

from django.urls import reverse

from terrain.feed.models import Activity
from terrain.forum.feed_items import ANSWER_MARKED
from terrain.forum.models import Category, Topic
from terrain.forum.services import reply_delete


def test_only_animateurs_manage_categories(world, bob_client, alice_client, category):
    url = reverse("forum:categories", args=[world.private_coop.code])
    assert bob_client.get(url).status_code == 403
    assert bob_client.post(reverse("forum:category_edit", args=[category.code]), {"name": "X"}).status_code == 403
    assert alice_client.post(url, {"name": "Grève", "description": "Préavis, votes"}).status_code == 302
    response = alice_client.post(url, {"name": "grève"})
    assert "Une catégorie de ce forum porte déjà ce nom." in response.content.decode()
    response = alice_client.post(url, {"name": ""})
    assert "Donnez un nom à la catégorie." in response.content.decode()
    assert list(Category.objects.values_list("name", flat=True)) == ["Salaires", "Grève"]


def test_categories_are_renamed_and_reordered(world, alice_client, category, other_category):
    alice_client.post(reverse("forum:category_shift", args=[other_category.code]), {"up": "1"})
    assert list(Category.objects.values_list("name", flat=True)) == ["Grève", "Salaires"]
    alice_client.post(reverse("forum:category_edit", args=[category.code]), {"name": "Paie", "description": ""})
    category.refresh_from_db()
    assert category.name == "Paie"


def test_a_category_with_topics_is_deleted_only_by_moving_them(world, alice_client, category, other_category, topic):
    url = reverse("forum:category_delete", args=[category.code])
    response = alice_client.post(url)
    assert "choisissez où les déplacer" in response.content.decode()
    assert Category.objects.filter(pk=category.pk).exists()
    assert alice_client.post(url, {"category": other_category.code}).status_code == 302
    assert not Category.objects.filter(pk=category.pk).exists()
    assert Topic.objects.get().category == other_category
    assert alice_client.post(reverse("forum:category_delete", args=[other_category.code])).status_code == 200


def test_an_empty_category_is_deleted(world, alice_client, other_category):
    assert alice_client.post(reverse("forum:category_delete", args=[other_category.code])).status_code == 302
    assert not Category.objects.filter(pk=other_category.pk).exists()


def test_pin_and_lock(world, alice_client, bob_client, topic):
    url = reverse("forum:topic_moderate", args=[topic.code])
    assert bob_client.post(url, {"action": "pin"}).status_code == 403
    alice_client.post(url, {"action": "pin"})
    alice_client.post(url, {"action": "lock"})
    topic.refresh_from_db()
    assert topic.pinned_at and topic.locked_at
    alice_client.post(url, {"action": "unlock"})
    alice_client.post(url, {"action": "unpin"})
    topic.refresh_from_db()
    assert topic.pinned_at is None and topic.locked_at is None
    assert alice_client.post(url, {"action": "explode"}).status_code == 400


def test_move_within_the_cooperative(world, alice_client, bob_client, topic, other_category):
    url = reverse("forum:topic_move", args=[topic.code])
    assert bob_client.get(url).status_code == 403
    assert alice_client.post(url, {"category": other_category.code}).status_code == 302
    topic.refresh_from_db()
    assert topic.category == other_category
    from terrain.forum.services_categories import category_create

    elsewhere = category_create(cooperative=world.open_coop, name="Ailleurs", by=world.alice)
    response = alice_client.post(url, {"category": elsewhere.code})
    assert response.status_code == 200
    topic.refresh_from_db()
    assert topic.category == other_category


def test_mark_the_answer(world, alice_client, bob_client, topic, alice_reply):
    url = reverse("forum:reply_answer", args=[alice_reply.code])
    assert bob_client.post(url, {"answer": "1"}).status_code == 403
    alice_client.post(url, {"answer": "1"})
    topic.refresh_from_db()
    assert topic.answer == alice_reply
    assert Activity.objects.filter(verb=ANSWER_MARKED, target_id=alice_reply.pk).count() == 1
    page = bob_client.get(reverse("forum:topic_detail", args=[topic.code]))
    assert page.context["view"].answer == alice_reply
    assert "Résolu" in page.content.decode()
    listing = bob_client.get(reverse("forum:home", args=[world.private_coop.code])).content.decode()
    assert "Résolu" in listing
    alice_client.post(url, {"answer": "0"})
    topic.refresh_from_db()
    assert topic.answer is None
    assert not Activity.objects.filter(verb=ANSWER_MARKED).exists()


def test_deleting_the_answer_unmarks_it(world, alice_client, topic, alice_reply):
    alice_client.post(reverse("forum:reply_answer", args=[alice_reply.code]), {"answer": "1"})
    reply_delete(reply=alice_reply, by=world.alice)
    topic.refresh_from_db()
    assert topic.answer is None
    assert not Activity.objects.filter(verb=ANSWER_MARKED).exists()


def test_an_archived_cooperative_is_not_moderated_either(world, alice_client, topic, alice_reply):
    from django.utils import timezone

    world.private_coop.archived_at = timezone.now()
    world.private_coop.save()
    assert alice_client.post(reverse("forum:topic_moderate", args=[topic.code]), {"action": "pin"}).status_code == 403
    assert alice_client.post(reverse("forum:reply_answer", args=[alice_reply.code]), {"answer": "1"}).status_code == 403
    assert alice_client.get(reverse("forum:categories", args=[world.private_coop.code])).status_code == 403
    topic.refresh_from_db()
    assert topic.pinned_at is None and topic.answer is None
