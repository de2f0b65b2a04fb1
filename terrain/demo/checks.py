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
    ("forum topics whose category is in another cooperative",
     "SELECT COUNT(*) FROM forum_topic t JOIN forum_category c ON c.id = t.category_id "
     "WHERE c.cooperative_id <> t.cooperative_id"),
    ("forum topics whose reply count is wrong",
     "SELECT COUNT(*) FROM forum_topic t WHERE t.reply_count <> "
     "(SELECT COUNT(*) FROM forum_reply r WHERE r.topic_id = t.id AND r.deleted_at IS NULL)"),
    ("forum topics whose last activity is not their newest reply",
     "SELECT COUNT(*) FROM forum_topic t WHERE t.reply_count > 0 AND t.last_activity_at <> "
     "(SELECT MAX(r.created_at) FROM forum_reply r WHERE r.topic_id = t.id)"),
    ("forum topics or replies by non-members",
     "SELECT COUNT(*) FROM forum_reply r JOIN forum_topic t ON t.id = r.topic_id WHERE NOT EXISTS "
     "(SELECT 1 FROM cooperatives_membership m WHERE m.user_id = r.author_id AND m.cooperative_id = t.cooperative_id)"),
    ("forum topics without their broadcast activity",
     "SELECT COUNT(*) FROM forum_topic t WHERE NOT EXISTS (SELECT 1 FROM feed_activity a WHERE a.target_id = t.id "
     "AND a.verb = 'forum_topic_created' AND a.broadcast AND a.cooperative_id = t.cooperative_id)"),
    ("FAQ entries without their broadcast activity, or in a theme of another cooperative",
     "SELECT COUNT(*) FROM faq_entry e JOIN faq_theme th ON th.id = e.theme_id WHERE th.cooperative_id <> "
     "e.cooperative_id OR NOT EXISTS (SELECT 1 FROM feed_activity a WHERE a.target_id = e.id "
     "AND a.verb = 'faq_entry_added' AND a.broadcast AND a.cooperative_id = e.cooperative_id)"),
    ("library files without a current version of theirs with extracted text",
     "SELECT COUNT(*) FROM library_file f LEFT JOIN library_fileversion v ON v.id = f.current_version_id "
     "WHERE v.id IS NULL OR v.file_id <> f.id OR v.extracted_text = '' OR f.extraction_status <> 'done'"),
    ("library files without their broadcast activity, or in a folder of another cooperative",
     "SELECT COUNT(*) FROM library_file f LEFT JOIN library_folder d ON d.id = f.folder_id WHERE "
     "d.cooperative_id <> f.cooperative_id OR NOT EXISTS (SELECT 1 FROM feed_activity a WHERE a.target_id = f.id "
     "AND a.verb = 'library_file_added' AND a.broadcast AND a.cooperative_id = f.cooperative_id)"),
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
