"""The toolbox part of ``generate_dataset`` (``dataset_toolbox``): forum, FAQ and library rows
consistent with what their services write, and their activities in the feed's one stream."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from terrain.cooperatives.models import Membership
from terrain.demo.checks import dataset_problems
from terrain.demo.dataset import Scale
from terrain.demo.dataset_toolbox import rare_nouns
from terrain.faq.models import Entry, Theme
from terrain.feed.items import kind_of
from terrain.feed.models import Activity
from terrain.feed.selectors import feed_page
from terrain.forum.feed_items import ANSWER_MARKED, TOPIC_CREATED
from terrain.forum.models import Category, Reply, Topic, TopicRead, TopicSubscription
from terrain.lib.codes import looks_like_code
from terrain.library.feed_items import FILE_ADDED
from terrain.library.models import File, FileVersion

TINY = {"members": 300, "structures": 30, "cooperatives": 40, "items": 3000, "seed": 11}
COUNTS = {"topics": 60, "replies": 240, "faq_entries": 30, "files": 150}


def test_the_toolbox_counts_follow_the_items_unless_given():
    full = Scale()
    assert (full.topics, full.replies, full.faq_entries, full.files) == (20_000, 80_000, 5_000, 200_000)
    small = Scale(items=40_000)
    assert (small.topics, small.replies, small.faq_entries, small.files) == (400, 1_600, 100, 4_000)
    assert Scale(items=40_000, files=7).files == 7


@pytest.mark.django_db
def test_toolbox_rows_are_consistent_and_in_the_feed():
    out = StringIO()
    call_command("generate_dataset", stdout=out, database_check=True, **TINY, **COUNTS)

    assert "invariants checked: all good" in out.getvalue(), out.getvalue()
    assert dataset_problems() == []
    assert Topic.objects.count() == 60 and Reply.objects.count() == 240
    assert Entry.objects.count() == 30 and File.objects.count() == 150 and FileVersion.objects.count() == 150

    # One category per cooperative with topics, each topic's in its own cooperative.
    topics = list(Topic.objects.select_related("category"))
    assert Category.objects.count() == len({t.cooperative_id for t in topics})
    assert all(t.category.cooperative_id == t.cooperative_id for t in topics)
    members = set(Membership.objects.values_list("cooperative_id", "user_id"))
    for topic in topics:
        replies = list(Reply.objects.filter(topic=topic).order_by("created_at", "id"))
        assert topic.reply_count == len(replies)
        assert (topic.cooperative_id, topic.author_id) in members
        assert all((topic.cooperative_id, r.author_id) in members for r in replies)
        if replies:
            assert topic.last_activity_at == replies[-1].created_at and topic.last_replier_id == replies[-1].author_id
        else:
            assert topic.last_activity_at == topic.created_at and topic.last_replier_id is None
        followers = {topic.author_id} | {r.author_id for r in replies}
        assert set(TopicSubscription.objects.filter(topic=topic).values_list("user_id", flat=True)) == followers
        assert set(TopicRead.objects.filter(topic=topic).values_list("user_id", flat=True)) == followers
        assert topic.answer_id is None or Reply.objects.get(pk=topic.answer_id).topic_id == topic.pk
    assert all(looks_like_code(c) for c in Topic.objects.values_list("code", flat=True))

    for entry in Entry.objects.select_related("theme"):
        assert entry.theme.cooperative_id == entry.cooperative_id and entry.answer_html.startswith("<p>")
    assert Theme.objects.exists()

    # Every file has a current version of its own, whose text the worker has "extracted".
    for file in File.objects.select_related("current_version", "folder"):
        version = file.current_version
        assert version.file_id == file.pk and version.number == 1
        assert file.extraction_status == File.Status.DONE
        assert 1000 <= len(version.extracted_text) <= 4000
        assert file.folder is None or file.folder.cooperative_id == file.cooperative_id
    texts = " ".join(FileVersion.objects.values_list("extracted_text", flat=True))
    assert "syndica" in texts and any(noun in texts for noun in rare_nouns())

    # Their activities: registered broadcast verbs, in the one stream whose ids keep time's order.
    activities = list(Activity.objects.order_by("id").values_list("verb", "broadcast", "created_at"))
    verbs = {verb for verb, _b, _at in activities}
    assert {TOPIC_CREATED, ANSWER_MARKED, FILE_ADDED, "faq_entry_added"} <= verbs
    assert all(kind_of(verb) is not None for verb in verbs)
    assert all(broadcast for verb, broadcast, _at in activities if kind_of(verb).broadcast)
    assert [at for _v, _b, at in activities] == sorted(at for _v, _b, at in activities)
    assert Activity.objects.filter(verb=TOPIC_CREATED).count() == 60
    assert Activity.objects.filter(verb=FILE_ADDED).count() == 150

    # The feed shows them: a file's uploader reads its card in their feed.
    file = File.objects.order_by("-created_at").first()
    page = feed_page(user=file.created_by, cooperative=file.cooperative, limit=200)
    assert any(a.verb == FILE_ADDED and a.target_id == file.pk for a in page.items)
