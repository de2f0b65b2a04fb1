"""Replies: publishing once, quoting, editing, deleting, locked topics, pages."""

from __future__ import annotations

from django.urls import reverse

from terrain.forum.models import Reply, Topic
from terrain.forum.services import reply_create, topic_set_locked
from terrain.search.models import SearchDocument


def _reply_url(topic):
    return reverse("forum:reply_create", args=[topic.code])


def test_a_member_replies(world, bob_client, topic):
    sent = {"body": "<div>Moi aussi, 6 heures.</div>", "submission_key": "k" * 16}
    response = bob_client.post(_reply_url(topic), sent)
    reply = Reply.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reply-{reply.code}")
    topic.refresh_from_db()
    assert topic.reply_count == 1 and topic.last_replier == world.bob
    assert SearchDocument.objects.get(kind="reply", object_id=reply.pk).title == topic.title
    # The same form again, and the same text again without a form key: one reply.
    bob_client.post(_reply_url(topic), {"body": "<div>Moi aussi, 6 heures.</div>", "submission_key": "k" * 16})
    bob_client.post(_reply_url(topic), {"body": "<div>Moi aussi, 6 heures.</div>"})
    assert Reply.objects.count() == 1
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_an_empty_reply_is_refused_in_french(world, bob_client, topic):
    response = bob_client.post(_reply_url(topic), {"body": "<div> <script>alert(1)</script> </div>"})
    assert response.status_code == 400
    assert "Écrivez quelque chose avant de publier." in response.content.decode()
    assert not Reply.objects.exists()


def test_quote_prefills_the_reply_without_javascript(world, bob_client, topic, alice_reply):
    url = reverse("forum:topic_detail", args=[topic.code])
    response = bob_client.get(url, {"citer": alice_reply.code})
    value = response.context["reply_form"]["body"].value()
    assert value.startswith("<blockquote><strong>Alice Martin a écrit :</strong>")
    assert "article 12" in value
    assert 'href="?citer=' in response.content.decode()
    assert bob_client.get(url, {"citer": "nope"}).context["reply_form"]["body"].value() == ""


def test_a_locked_topic_takes_no_reply(world, bob_client, topic):
    topic_set_locked(topic=topic, locked=True, by=world.alice)
    page = bob_client.get(reverse("forum:topic_detail", args=[topic.code])).content.decode()
    assert "Ce sujet est verrouillé." in page and 'id="reply-form"' not in page
    response = bob_client.post(_reply_url(topic), {"body": "<div>Encore</div>"}, follow=True)
    assert "il n&#x27;accepte plus de réponses" in response.content.decode()
    assert not Reply.objects.exists()


def test_the_author_edits_and_deletes_a_reply(world, alice_client, bob_client, topic, alice_reply):
    edit = reverse("forum:reply_edit", args=[alice_reply.code])
    assert bob_client.get(edit).status_code == 403
    response = alice_client.post(edit, {"body": ""})
    assert "Écrivez quelque chose avant de publier." in response.content.decode()
    assert alice_client.post(edit, {"body": "<div>Article 13, pardon.</div>"}).status_code == 302
    alice_reply.refresh_from_db()
    assert alice_reply.edited_at and "Article 13" in alice_reply.body_html
    page = bob_client.get(reverse("forum:topic_detail", args=[topic.code])).content.decode()
    assert "modifié" in page
    assert bob_client.post(reverse("forum:reply_delete", args=[alice_reply.code])).status_code == 403
    assert alice_client.post(reverse("forum:reply_delete", args=[alice_reply.code])).status_code == 302
    topic.refresh_from_db()
    assert topic.reply_count == 0
    assert not SearchDocument.objects.filter(kind="reply").exists()
    assert bob_client.get(reverse("forum:reply_edit", args=[alice_reply.code])).status_code == 404


def test_replies_are_paginated_and_a_link_finds_its_page(world, bob_client, topic):
    replies = [reply_create(topic=topic, author=world.alice, body_html=f"<div>Réponse {n}</div>") for n in range(25)]
    response = bob_client.get(reverse("forum:reply_link", args=[replies[22].code]))
    expected = reverse("forum:topic_detail", args=[topic.code]) + f"?page=2#reply-{replies[22].code}"
    assert response["Location"] == expected
    page = bob_client.get(reverse("forum:topic_detail", args=[topic.code]), {"page": 2})
    assert len(page.context["view"].replies.object_list) == 5


def test_a_reply_to_a_deleted_topic_is_404(world, bob_client, topic):
    from terrain.forum.services import topic_delete

    topic_delete(topic=topic, by=world.bob)
    assert bob_client.post(_reply_url(topic), {"body": "<div>x</div>"}).status_code == 404
    assert Topic.objects.get().reply_count == 0


def test_a_topic_page_reads_in_a_fixed_number_of_queries(world, bob_client, topic, dana, django_assert_max_num_queries):
    for n in range(40):
        reply_create(topic=topic, author=[world.alice, dana, world.bob][n % 3], body_html=f"<div>Réponse {n}</div>")
    # 15, plus the attachments of the topic and of the replies shown, and the files one may attach.
    with django_assert_max_num_queries(18):
        response = bob_client.get(reverse("forum:topic_detail", args=[topic.code]))
    assert len(response.context["view"].replies.object_list) == 20
