"""Every write on news posts, comments and reactions goes through these functions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.accounts.models import User
from terrain.feed.models import Activity, Notification
from terrain.feed.services import activities_delete, activity_record, notifications_create
from terrain.lib.html import extract_mentions, plain_text, sanitize_rich_text, text_to_html
from terrain.lib.images import clean_image, rendition_names
from terrain.news.feed_items import COMMENT_ADDED, POST_PUBLISHED
from terrain.news.models import Comment, Post, PostFollow, PostImage, Reaction
from terrain.news.search_documents import COMMENT, POST
from terrain.search.services import search_index, search_remove

SUBMISSION_KEY_RE = re.compile(r"[A-Za-z0-9-]{8,40}")


@dataclass(frozen=True)
class ImageUpload:
    file: object
    alt_text: str


def _mentioned_members(*, text: str, cooperative) -> list[User]:
    """Members of the cooperative named with @handle: nobody outside can be summoned in."""
    handles = extract_mentions(text)
    if not handles:
        return []
    return list(
        User.objects.filter(
            handle__in=handles,
            is_active=True,
            memberships__cooperative=cooperative,
        )
    )


def _clean_images(images: Sequence[ImageUpload]):
    if len(images) > settings.MAX_IMAGES_PER_POST:
        raise ValidationError(
            _("A post can carry at most %(max)s images.") % {"max": settings.MAX_IMAGES_PER_POST}, code="too_many"
        )
    cleaned = []
    for upload in images:
        if not (upload.alt_text or "").strip():
            raise ValidationError(
                _("Each image needs a description, read aloud to people who cannot see it."), code="alt_missing"
            )
        cleaned.append((clean_image(upload.file), upload.alt_text.strip()))
    return cleaned


def _submission_key(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if SUBMISSION_KEY_RE.fullmatch(value) else None


def _store_images(post: Post, cleaned, *, first_position: int) -> None:
    for position, (image, alt_text) in enumerate(cleaned, start=first_position):
        item = PostImage(post=post, alt_text=alt_text, position=position)
        item.image.save(f"i.{image.extension}", image.content, save=False)
        # Django reads the dimensions back from the consumed upload and finds
        # none: set the ones measured while re-encoding.
        item.width, item.height = image.width, image.height
        item.save()


@transaction.atomic
def post_create(
    *,
    cooperative,
    author,
    body_html: str,
    images: Sequence[ImageUpload] = (),
    submission_key: str | None = None,
    attachments: Sequence = (),
) -> Post:
    """Publish a news post in a cooperative: sanitise, store images, tell the feed and the mentioned.

    ``attachments``: files of the cooperative's library shown under the post (``library``).

    With a ``submission_key`` (one per form shown), sending the same form again
    returns the post already published instead of publishing it twice.
    """
    key = _submission_key(submission_key)
    if key and (existing := Post.objects.filter(author=author, submission_key=key).first()):
        return existing
    body = sanitize_rich_text(body_html)
    if not plain_text(body) and not images and not attachments:
        raise ValidationError(_("Write something before publishing."), code="empty")
    cleaned = _clean_images(images)
    try:
        with transaction.atomic():
            post = Post.objects.create(cooperative=cooperative, author=author, body_html=body, submission_key=key)
    except IntegrityError:  # the same form, sent twice at the same moment
        return Post.objects.get(author=author, submission_key=key)
    _store_images(post, cleaned, first_position=0)
    if attachments:
        from terrain.library.services import attachments_set

        attachments_set(post=post, files=attachments, by=author)
    PostFollow.objects.get_or_create(post=post, user=author)
    activity = activity_record(cooperative=cooperative, actor=author, verb=POST_PUBLISHED, target=post)
    notifications_create(
        users=_mentioned_members(text=body, cooperative=cooperative),
        reason=Notification.Reason.MENTION,
        actor=author,
        cooperative=cooperative,
        activity=activity,
    )
    search_index(kind=POST, objects=[post])
    return post


@transaction.atomic
def post_update(
    *,
    post: Post,
    by,
    body_html: str,
    kept_images: Mapping[str, str] | None = None,
    added_images: Sequence[ImageUpload] = (),
) -> Post:
    """The author changes the text and the images of a published post.

    ``kept_images`` maps the code of each image to keep to its description (corrected or not), in
    the order to show; the post's other images are removed, their files (and their copies at each
    width) deleted once the change is committed. ``None`` keeps every image as it is.
    ``added_images`` come after them. ``updated_at`` moves, so the feed's cached card of the post
    is made again with the new images and descriptions.
    """
    body = sanitize_rich_text(body_html)
    current = list(post.images.all())
    if kept_images is None:
        kept_images = {image.code: image.alt_text for image in current}
    by_code = {image.code: image for image in current}
    kept = [(by_code[code], (alt or "").strip()) for code, alt in kept_images.items() if code in by_code]
    if len(kept) + len(added_images) > settings.MAX_IMAGES_PER_POST:
        raise ValidationError(
            _("A post can carry at most %(max)s images.") % {"max": settings.MAX_IMAGES_PER_POST}, code="too_many"
        )
    if any(not alt for _image, alt in kept):
        raise ValidationError(
            _("Each image needs a description, read aloud to people who cannot see it."), code="alt_missing"
        )
    cleaned = _clean_images(added_images)
    if not plain_text(body) and not kept and not cleaned:
        raise ValidationError(_("Write something before publishing."), code="empty")
    before = extract_mentions(post.body_html)
    kept_codes = {image.code for image, _alt in kept}
    removed = [image for image in current if image.code not in kept_codes]
    if removed:
        PostImage.objects.filter(pk__in=[image.pk for image in removed]).delete()
        names = [name for image in removed for name in (image.image.name, *rendition_names(image.image.name))]
        storage = PostImage._meta.get_field("image").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    for position, (image, alt) in enumerate(kept):
        if (image.position, image.alt_text) != (position, alt):
            image.position, image.alt_text = position, alt
            image.save(update_fields=["position", "alt_text"])
    _store_images(post, cleaned, first_position=len(kept))
    post.body_html = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body_html", "edited_at", "updated_at"])
    newly = [u for u in _mentioned_members(text=body, cooperative=post.cooperative) if u.handle not in before]
    activity = Activity.objects.filter(verb=POST_PUBLISHED, target_id=post.pk).first()
    notifications_create(
        users=newly, reason=Notification.Reason.MENTION, actor=by, cooperative=post.cooperative, activity=activity
    )
    search_index(kind=POST, objects=[post])
    return post


@transaction.atomic
def post_delete(*, post: Post, by) -> None:
    """Soft delete; its activities leave every feed at once."""
    post.deleted_at = timezone.now()
    post.deleted_by = by
    post.pinned_at = None
    post.save(update_fields=["deleted_at", "deleted_by", "pinned_at", "updated_at"])
    # Its comments' activities too: the feed would show them under a deleted post.
    activities_delete(verbs=[POST_PUBLISHED], targets=[post])
    activities_delete(verbs=[COMMENT_ADDED], targets=Comment.objects.filter(post=post).only("pk"))
    search_remove(kind=POST, ids=[post.pk])
    search_remove(kind=COMMENT, ids=Comment.objects.filter(post=post).values_list("pk", flat=True))
    if by.pk != post.author_id:
        from terrain.core.models import AuditEntry
        from terrain.core.services import audit_record

        audit_record(actor=by, action=AuditEntry.Action.MODERATE, target=post, detail={"what": "post_deleted"})


@transaction.atomic
def post_set_pinned(*, post: Post, pinned: bool) -> Post:
    post.pinned_at = timezone.now() if pinned else None
    post.save(update_fields=["pinned_at"])
    return post


@transaction.atomic
def comment_create(*, post: Post, author, text: str, submission_key: str | None = None) -> Comment:
    """Comment on a post; its followers (author and earlier commenters) see it in their feed.

    A ``submission_key`` makes sending the same form twice harmless, as for posts.
    """
    key = _submission_key(submission_key)
    if key and (existing := Comment.objects.filter(author=author, submission_key=key).first()):
        return existing
    body = text_to_html(text)
    if not plain_text(body):
        raise ValidationError(_("Write a comment before sending."), code="empty")
    try:
        with transaction.atomic():
            comment = Comment.objects.create(post=post, author=author, body_html=body, submission_key=key)
    except IntegrityError:
        return Comment.objects.get(author=author, submission_key=key)
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    activity = activity_record(cooperative=post.cooperative, actor=author, verb=COMMENT_ADDED, target=comment)
    # Followers who are still members of the cooperative.
    followers = list(
        User.objects.filter(
            pk__in=PostFollow.objects.filter(post=post).values("user_id"),
            memberships__cooperative_id=post.cooperative_id,
        )
    )
    mentioned = _mentioned_members(text=text, cooperative=post.cooperative)
    mentioned_ids = {u.pk for u in mentioned}
    notifications_create(
        users=[u for u in followers if u.pk not in mentioned_ids],
        reason=Notification.Reason.COMMENT,
        actor=author,
        cooperative=post.cooperative,
        activity=activity,
        in_feed=True,
    )
    notifications_create(
        users=mentioned,
        reason=Notification.Reason.MENTION,
        actor=author,
        cooperative=post.cooperative,
        activity=activity,
        in_feed=True,
    )
    PostFollow.objects.get_or_create(post=post, user=author)
    search_index(kind=COMMENT, objects=[comment])
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, text: str) -> Comment:
    body = text_to_html(text)
    if not plain_text(body):
        raise ValidationError(_("Write a comment before sending."), code="empty")
    comment.body_html = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body_html", "edited_at", "updated_at"])
    search_index(kind=COMMENT, objects=[comment])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by) -> None:
    comment.deleted_at = timezone.now()
    comment.deleted_by = by
    comment.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    Post.objects.filter(pk=comment.post_id, comment_count__gt=0).update(comment_count=F("comment_count") - 1)
    activities_delete(verbs=[COMMENT_ADDED], targets=[comment])
    search_remove(kind=COMMENT, ids=[comment.pk])
    if by.pk != comment.author_id:
        from terrain.core.models import AuditEntry
        from terrain.core.services import audit_record

        audit_record(actor=by, action=AuditEntry.Action.MODERATE, target=comment, detail={"what": "comment_deleted"})


@transaction.atomic
def reaction_toggle(*, post: Post, user, kind: str) -> Reaction | None:
    """Set ``kind`` as the member's reaction; the same kind again takes it back."""
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Unknown reaction."), code="bad_kind")
    existing = Reaction.objects.select_for_update().filter(post=post, user=user).first()
    if existing is not None and existing.kind == kind:
        existing.delete()
        return None
    if existing is not None:
        existing.kind = kind
        existing.save(update_fields=["kind"])
        return existing
    return Reaction.objects.create(post=post, user=user, kind=kind)
