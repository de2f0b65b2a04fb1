"""Opening, reading, editing and deleting topics; the lists, their order, tags and query counts."""

from __future__ import annotations

from django.urls import reverse

from terrain.feed.models import Activity
from terrain.forum.feed_items import TOPIC_CREATED
from terrain.forum.models import Category, Tag, Topic
from terrain.forum.services import reply_create, topic_create, topic_delete, topic_set_pinned
from terrain.search.models import SearchDocument


def _home(world):
    return reverse("forum:home", args=[world.private_coop.code])


def test_a_forum_starts_with_a_general_category(world, bob_client):
    response = bob_client.get(_home(world))
    assert response.status_code == 200
    assert list(Category.objects.filter(cooperative=world.private_coop).values_list("name", flat=True)) == ["Général"]
    bob_client.get(_home(world))
    assert Category.objects.filter(cooperative=world.private_coop).count() == 1


def test_a_member_opens_a_topic(world, bob_client, category):
    url = reverse("forum:topic_create", args=[world.private_coop.code])
    response = bob_client.post(
        url,
        {
            "category": category.code,
            "title": "  Préavis de grève  ",
            "body": "<div>Vote <strong>jeudi</strong><script>alert(1)</script></div>",
            "tags": "Grève, grève, Salaires",
            "submission_key": "abcdef0123456789",
        },
    )
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:topic_detail", args=[topic.code])
    assert topic.title == "Préavis de grève"
    assert "<script>" not in topic.body_html and "<strong>jeudi</strong>" in topic.body_html
    assert sorted(t.name for t in topic.tags.all()) == ["Grève", "Salaires"]
    assert Activity.objects.filter(verb=TOPIC_CREATED, target_id=topic.pk).count() == 1
    assert SearchDocument.objects.filter(kind="topic", object_id=topic.pk).exists()
    # The same form sent again publishes nothing more.
    again = {"category": category.code, "title": "Préavis", "body": "x", "submission_key": "abcdef0123456789"}
    bob_client.post(url, again)
    assert Topic.objects.count() == 1


def test_bad_input_is_told_in_french_and_kept(world, bob_client, category):
    url = reverse("forum:topic_create", args=[world.private_coop.code])
    response = bob_client.post(
        url, {"category": category.code, "title": "", "body": "<div><script>x</script></div>", "tags": "a, b"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Donnez un titre au sujet." in content
    assert "Écrivez quelque chose avant de publier." in content
    assert 'value="a, b"' in content
    response = bob_client.post(url, {"category": category.code, "title": "x" * 151, "body": "<div>Texte gardé</div>"})
    assert "Le titre est trop long" in response.content.decode()
    assert "Texte gardé" in response.content.decode()
    response = bob_client.post(url, {"category": category.code, "title": "Ok", "body": "Oui", "tags": "1,2,3,4,5,6"})
    assert "5 étiquettes au plus" in response.content.decode()
    assert not Topic.objects.exists()


def test_tags_are_folded_per_cooperative(world, category, topic):
    again = topic_create(category=category, author=world.alice, title="Autre", body_html="x", tags=["SALAIRES"])
    assert list(again.tags.all()) == [Tag.objects.get(key="salaires")]
    assert Tag.objects.filter(cooperative=world.private_coop).count() == 2


def test_the_list_puts_pinned_first_then_recent_activity(world, bob_client, category, topic):
    second = topic_create(category=category, author=world.alice, title="Deuxième", body_html="x")
    third = topic_create(category=category, author=world.alice, title="Troisième", body_html="x")
    reply_create(topic=topic, author=world.alice, body_html="relance")
    topic_set_pinned(topic=second, pinned=True, by=world.alice)
    response = bob_client.get(_home(world))
    titles = [t.title for t in response.context["page"].object_list]
    assert titles == ["Deuxième", topic.title, "Troisième"]
    assert third.title in response.content.decode()


def test_the_list_filters_by_tag(world, bob_client, category, topic):
    topic_create(category=category, author=world.alice, title="Sans étiquette", body_html="x")
    response = bob_client.get(_home(world), {"etiquette": "Heures Sup"})
    assert [t.title for t in response.context["page"].object_list] == [topic.title]
    assert bob_client.get(_home(world), {"etiquette": "inconnue"}).status_code == 404


def test_the_topic_list_reads_in_a_fixed_number_of_queries(world, bob_client, category, django_assert_max_num_queries):
    for n in range(30):
        t = topic_create(category=category, author=world.alice, title=f"Sujet {n}", body_html="x", tags=[f"t{n % 3}"])
        if n % 2:
            reply_create(topic=t, author=world.bob, body_html=f"réponse {n}")
    bob_client.get(_home(world))  # the general category is made once
    with django_assert_max_num_queries(11):
        response = bob_client.get(_home(world))
    assert len(response.context["page"].object_list) == 25
    with django_assert_max_num_queries(11):
        bob_client.get(reverse("forum:category_detail", args=[category.code]))


def test_the_author_edits_a_topic_and_it_shows_edited(world, bob_client, alice_client, topic):
    url = reverse("forum:topic_edit", args=[topic.code])
    assert alice_client.get(url).status_code == 403
    response = bob_client.post(url, {"title": "Heures sup de mars", "body": "<div>Corrigé</div>", "tags": "paie"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Heures sup de mars" and topic.edited_at
    assert [t.name for t in topic.tags.all()] == ["paie"]
    assert SearchDocument.objects.get(kind="topic", object_id=topic.pk).title == "Heures sup de mars"
    assert "modifié" in bob_client.get(reverse("forum:topic_detail", args=[topic.code])).content.decode()


def test_a_deleted_topic_is_gone_everywhere(world, bob_client, topic, alice_reply):
    response = bob_client.post(reverse("forum:topic_delete", args=[topic.code]))
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.deleted_at and topic.deleted_by == world.bob
    assert not Activity.objects.filter(verb=TOPIC_CREATED, target_id=topic.pk).exists()
    assert not SearchDocument.objects.filter(kind__in=["topic", "reply"]).exists()
    assert bob_client.get(reverse("forum:topic_detail", args=[topic.code])).status_code == 404
    assert bob_client.get(reverse("forum:topic_edit", args=[topic.code])).status_code == 404
    assert bob_client.get(reverse("forum:reply_link", args=[alice_reply.code])).status_code == 404
    assert topic.title not in bob_client.get(_home(world)).content.decode()


def test_an_animateur_deletes_any_topic_a_member_only_theirs(world, bob_client, alice_client, category, topic):
    by_alice = topic_create(category=category, author=world.alice, title="D'Alice", body_html="x")
    assert bob_client.post(reverse("forum:topic_delete", args=[by_alice.code])).status_code == 403
    assert alice_client.post(reverse("forum:topic_delete", args=[topic.code])).status_code == 302
    from terrain.core.models import AuditEntry

    assert AuditEntry.objects.filter(target_code=topic.code, detail__what="topic_deleted").exists()


def test_an_archived_cooperative_is_read_only(world, bob_client, topic):
    from django.utils import timezone

    world.private_coop.archived_at = timezone.now()
    world.private_coop.save()
    assert bob_client.get(reverse("forum:topic_detail", args=[topic.code])).status_code == 200
    assert bob_client.get(reverse("forum:topic_create", args=[world.private_coop.code])).status_code == 403
    assert bob_client.post(reverse("forum:reply_create", args=[topic.code]), {"body": "x"}).status_code == 403
    assert bob_client.get(reverse("forum:topic_edit", args=[topic.code])).status_code == 403


def test_editing_a_deleted_topic_is_404(world, bob_client, topic):
    topic_delete(topic=topic, by=world.bob)
    response = bob_client.post(reverse("forum:topic_edit", args=[topic.code]), {"title": "x", "body": "y"})
    assert response.status_code == 404


def test_stored_html_is_sanitised_again_when_shown(world, bob_client, topic):
    Topic.objects.filter(pk=topic.pk).update(
        title="<script>alert(1)</script>", body_html='<div onclick="x()">Texte<script>alert(2)</script></div>'
    )
    page = bob_client.get(reverse("forum:topic_detail", args=[topic.code])).content.decode()
    assert "<script>alert" not in page and "onclick" not in page
    assert "&lt;script&gt;alert(1)" in page
