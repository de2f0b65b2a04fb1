"""Invariants of the bulk dataset: what the services guarantee, checked in SQL."""

from __future__ import annotations

from django.db import connection

CHECKS = [
    ("private cooperatives without a structure",
     "SELECT COUNT(*) FROM cooperatives_cooperative WHERE kind = 'private' AND structure_id IS NULL"),
    ("structures without their private cooperative",
     "SELECT COUNT(*) FROM structures_structure s WHERE NOT EXISTS "
     "(SELECT 1 FROM cooperatives_cooperative c WHERE c.structure_id = s.id)"),
    ("cooperatives whose member count is wrong",
     "SELECT COUNT(*) FROM cooperatives_cooperative c WHERE c.member_count <> "
     "(SELECT COUNT(*) FROM cooperatives_membership m WHERE m.cooperative_id = c.id)"),
    ("duplicate memberships",
     "SELECT COUNT(*) FROM (SELECT cooperative_id, user_id FROM cooperatives_membership "
     "GROUP BY cooperative_id, user_id HAVING COUNT(*) > 1) AS d"),
    ("posts without their broadcast activity",
     "SELECT COUNT(*) FROM news_post p WHERE NOT EXISTS (SELECT 1 FROM feed_activity a WHERE a.target_id = p.id "
     "AND a.verb = 'post_published' AND a.broadcast)"),
    ("comments without their activity",
     "SELECT COUNT(*) FROM news_comment c WHERE NOT EXISTS (SELECT 1 FROM feed_activity a WHERE a.target_id = c.id "
     "AND a.verb = 'comment_added' AND NOT a.broadcast)"),
    ("posts whose comment count is wrong",
     "SELECT COUNT(*) FROM news_post p WHERE p.comment_count <> "
     "(SELECT COUNT(*) FROM news_comment c WHERE c.post_id = p.id)"),
    ("posts not followed by their author",
     "SELECT COUNT(*) FROM news_post p WHERE NOT EXISTS "
     "(SELECT 1 FROM news_postfollow f WHERE f.post_id = p.id AND f.user_id = p.author_id)"),
    ("comments by someone else than the post's author that notify nobody",
     "SELECT COUNT(*) FROM news_comment c JOIN news_post p ON p.id = c.post_id JOIN feed_activity a "
     "ON a.target_id = c.id AND a.verb = 'comment_added' WHERE c.author_id <> p.author_id AND NOT EXISTS "
     "(SELECT 1 FROM feed_notification n WHERE n.activity_id = a.id AND n.in_feed)"),
    ("notifications to their own actor",
     "SELECT COUNT(*) FROM feed_notification WHERE user_id = actor_id"),
    ("comment notifications to non-members",
     "SELECT COUNT(*) FROM feed_notification n WHERE n.reason = 'comment' AND NOT EXISTS "
     "(SELECT 1 FROM cooperatives_membership m WHERE m.user_id = n.user_id AND m.cooperative_id = n.cooperative_id)"),
    ("posts by non-members",
     "SELECT COUNT(*) FROM news_post p WHERE NOT EXISTS (SELECT 1 FROM cooperatives_membership m "
     "WHERE m.user_id = p.author_id AND m.cooperative_id = p.cooperative_id)"),
    ("activities out of time order",
     "SELECT COUNT(*) FROM feed_activity a JOIN feed_activity b ON b.id = "
     "(SELECT MIN(id) FROM feed_activity WHERE id > a.id) WHERE b.created_at < a.created_at"),
]  # fmt: skip


def dataset_problems() -> list[str]:
    """The broken invariants, as sentences with a count; empty when all hold."""
    problems = []
    with connection.cursor() as cursor:
        for label, sql in CHECKS:
            cursor.execute(sql)
            (count,) = cursor.fetchone()
            if count:
                problems.append(f"{count} {label}")
    return problems
