"""The migration that moves activities from their post and comment foreign keys to ``target_id``."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("feed", "0002_notification_summary_notification_target_url_and_more")]
AFTER = [("feed", "0003_activity_target")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_posts_and_comments_become_targets_and_back(world):
    old = _migrate(BEFORE)
    Post, Comment, Activity = (
        old.get_model(*name) for name in (("news", "Post"), ("news", "Comment"), ("feed", "Activity"))
    )
    post = Post.objects.create(cooperative_id=world.open_coop.pk, author_id=world.alice.pk, body_html="<p>Un</p>")
    comment = Comment.objects.create(post_id=post.pk, author_id=world.bob.pk, body_html="<p>Deux</p>")
    joined = Activity.objects.filter(verb="member_joined").count()
    posted = Activity.objects.create(
        cooperative_id=world.open_coop.pk,
        actor_id=world.alice.pk,
        verb="post_published",
        broadcast=True,
        post_id=post.pk,
    )
    commented = Activity.objects.create(
        cooperative_id=world.open_coop.pk,
        actor_id=world.bob.pk,
        verb="comment_added",
        post_id=post.pk,
        comment_id=comment.pk,
    )

    new = _migrate(AFTER)
    Activity = new.get_model("feed", "Activity")
    assert Activity.objects.get(pk=posted.pk).target_id == post.pk
    assert Activity.objects.get(pk=commented.pk).target_id == comment.pk
    assert Activity.objects.filter(verb="member_joined", target_id__isnull=True).count() == joined

    old = _migrate(BEFORE)
    Activity = old.get_model("feed", "Activity")
    assert (Activity.objects.get(pk=posted.pk).post_id, Activity.objects.get(pk=posted.pk).comment_id) == (
        post.pk,
        None,
    )
    assert (Activity.objects.get(pk=commented.pk).post_id, Activity.objects.get(pk=commented.pk).comment_id) == (
        post.pk,
        comment.pk,
    )
    _migrate(AFTER)
