"""Activities point at any target (``feed.items``): ``target_id`` replaces the ``post`` and
``comment`` foreign keys, the verb names a registered kind (no fixed choices)."""

from django.db import migrations, models
from django.db.models.functions import Coalesce


def _checks_now(schema_editor):
    # PostgreSQL refuses to ALTER a table with deferred checks pending from the rows just updated
    # ("pending trigger events"): run them now, before the columns are removed.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def targets_from_posts_and_comments(apps, schema_editor):
    # A comment's activity points at its comment (which knows its post); a post's at its post.
    Activity = apps.get_model("feed", "Activity")
    Activity.objects.filter(models.Q(post__isnull=False) | models.Q(comment__isnull=False)).update(
        target_id=Coalesce("comment_id", "post_id")
    )
    _checks_now(schema_editor)


def posts_and_comments_from_targets(apps, schema_editor):
    Activity = apps.get_model("feed", "Activity")
    Activity.objects.filter(verb="post_published").update(post_id=models.F("target_id"))
    Comment = apps.get_model("news", "Comment")
    comments = Activity.objects.filter(verb="comment_added")
    for activity in comments.iterator():
        post_id = Comment.objects.filter(pk=activity.target_id).values_list("post_id", flat=True).first()
        if post_id is None:
            activity.delete()
        else:
            comments.filter(pk=activity.pk).update(comment_id=activity.target_id, post_id=post_id)
    _checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("feed", "0002_notification_summary_notification_target_url_and_more"),
        ("news", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="target_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(targets_from_posts_and_comments, posts_and_comments_from_targets),
        migrations.RemoveField(model_name="activity", name="comment"),
        migrations.RemoveField(model_name="activity", name="post"),
        migrations.AlterField(
            model_name="activity",
            name="verb",
            field=models.CharField(max_length=40),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("target_id__isnull", False)),
                fields=["target_id"],
                name="feed_activity_target_idx",
            ),
        ),
    ]
