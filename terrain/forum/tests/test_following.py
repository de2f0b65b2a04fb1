"""Who hears of what: followers of a topic or a category, the mentioned, e-mails on commit."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from terrain.feed.models import Notification
from terrain.forum.models import TopicSubscription
from terrain.forum.services import reply_create, topic_create, topic_set_subscribed
from terrain.forum.services_categories import category_set_subscribed


def _reasons(user):
    return list(Notification.objects.filter(user=user).values_list("reason", flat=True))


def test_followers_hear_of_a_reply_in_app_and_by_email(world, topic, dana, django_capture_on_commit_callbacks):
    world.bob.language = "en"
    world.bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_create(topic=topic, author=world.alice, body_html="<div>Voir l'article 12.</div>")
    notification = Notification.objects.get(user=world.bob)
    assert notification.reason == Notification.Reason.FORUM_REPLY
    assert notification.summary == topic.title
    assert notification.target_url == reverse("forum:reply_link", args=[reply.code])
    assert _reasons(world.alice) == [] and _reasons(dana) == []
    assert [m.to for m in mail.outbox] == [[world.bob.email]]
    assert "replied in" in mail.outbox[0].subject  # bob reads English
    assert reverse("forum:topic_subscribe", args=[topic.code]) in mail.outbox[0].body
    # alice replied: she follows the topic now, and hears of bob's answer.
    with django_capture_on_commit_callbacks(execute=True):
        reply_create(topic=topic, author=world.bob, body_html="<div>Merci !</div>")
    assert _reasons(world.alice) == [Notification.Reason.FORUM_REPLY]
    assert "a répondu dans" in mail.outbox[-1].subject


def test_no_email_for_those_who_do_not_want_any(world, topic, django_capture_on_commit_callbacks):
    world.bob.email_notifications = False
    world.bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        reply_create(topic=topic, author=world.alice, body_html="<div>Voir l'article 12.</div>")
    assert _reasons(world.bob) == [Notification.Reason.FORUM_REPLY]
    assert mail.outbox == []


def test_unfollowing_stops_the_notifications_even_after_replying(world, bob_client, topic):
    response = bob_client.get(reverse("forum:topic_subscribe", args=[topic.code]))
    assert response.status_code == 200 and "Ne plus suivre ce sujet" in response.content.decode()
    bob_client.post(reverse("forum:topic_subscribe", args=[topic.code]), {"follow": "0"})
    reply_create(topic=topic, author=world.bob, body_html="<div>Une dernière chose</div>")
    reply_create(topic=topic, author=world.alice, body_html="<div>Réponse</div>")
    assert _reasons(world.bob) == []
    topic_set_subscribed(topic=topic, user=world.bob, subscribed=True)
    reply_create(topic=topic, author=world.alice, body_html="<div>Autre réponse</div>")
    assert _reasons(world.bob) == [Notification.Reason.FORUM_REPLY]


def test_a_former_member_hears_nothing(world, topic):
    from terrain.cooperatives.models import Membership

    Membership.objects.filter(user=world.bob, cooperative=world.private_coop).delete()
    reply_create(topic=topic, author=world.alice, body_html="<div>Réponse</div>")
    assert _reasons(world.bob) == []


def test_mentions_notify_members_only_once(world, category, dana, django_capture_on_commit_callbacks):
    handle = dana.handle
    topic = topic_create(category=category, author=world.alice, title="Question", body_html="<div>Question</div>")
    TopicSubscription.objects.create(topic=topic, user=dana)
    reply_create(topic=topic, author=world.alice, body_html=f"<div>@{handle} et @{world.charlie.handle} ?</div>")
    assert _reasons(dana) == [Notification.Reason.MENTION]
    assert _reasons(world.charlie) == []  # not a member: stays plain text


def test_category_followers_hear_of_new_topics(world, bob_client, category, dana, django_capture_on_commit_callbacks):
    bob_client.post(reverse("forum:category_subscribe", args=[category.code]), {"follow": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        topic = topic_create(category=category, author=world.alice, title="Vote", body_html="<div>Jeudi</div>")
    notification = Notification.objects.get(user=world.bob)
    assert notification.reason == Notification.Reason.FORUM_TOPIC
    assert notification.target_url == reverse("forum:topic_detail", args=[topic.code])
    assert _reasons(dana) == []
    assert [m.to for m in mail.outbox] == [[world.bob.email]]
    category_set_subscribed(category=category, user=world.bob, subscribed=False)
    topic_create(category=category, author=world.alice, title="Autre", body_html="<div>x</div>")
    assert Notification.objects.filter(user=world.bob).count() == 1


def test_the_follow_button(world, bob_client, alice_client, topic):
    page = alice_client.get(reverse("forum:topic_detail", args=[topic.code]))
    assert page.context["view"].subscribed is False
    alice_client.post(reverse("forum:topic_subscribe", args=[topic.code]), {"follow": "1"})
    assert TopicSubscription.objects.get(topic=topic, user=world.alice).active
