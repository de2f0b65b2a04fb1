"""Post cards of the activity feed, from a cache.

Most of a card is the same for every reader: the author line, the text, the
images, the last comments. A card is **one value** (``PostCard``): a plain,
immutable record of everything the card shows to every reader, built by one
selector (``post_cards``) from the rows the feed read. The feed renders
``news/_post_card.html`` once as a skeleton from that value alone
(``lib.fragments``: no request, no reader, no model instance in its context),
caches it, and fills in per request what depends on the reader or the clock
("5 minutes ago", reactions, the reader's own avatar, edit/delete/moderation
actions, the comment form), from the post prepared for the reader.

The key is a hash of the value (``card_key``), with the language, the time zone
and the card's templates: whatever the card shows is in the value, so whatever
changes gives a new key; nothing is listed by hand. A template that reads
something the value does not hold fails loudly (``SkeletonError``) in a
skeleton: add it to the value, and the key follows. Old entries expire
(``CARD_CACHE_SECONDS``, or evicted past ``CARD_CACHE_ENTRIES``). @mentions
become links only for members of the cooperative: the links are part of the
value, so a mentioned person joining or leaving gives a new key.

Skeletons are read only for posts the feed selector already chose for the
reader (after its access rules), keyed by post: one reader's card is another's
only when both may read the post.

Each process also keeps the skeletons it read or rendered lately in memory
(``CARD_MEMORY_ENTRIES``, least recently used dropped first), in front of the
shared cache: a key names every version its card shows, so a remembered entry is
as good as the shared one. The cards of a cooperative's latest posts, read by
each of its members, then cost neither a file nor a Redis round trip, nor unpickling.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from terrain.accounts.models import User
from terrain.lib.fragments import Skeleton, SkeletonError, fill, render_skeleton
from terrain.lib.html import link_mentions, sanitize_rich_text
from terrain.news.models import Comment, Post

logger = logging.getLogger(__name__)

CARD_TEMPLATE = "news/_post_card.html"
# The templates a card is made of: a change to any of them gives new keys (the cache may be
# files or Redis, which outlive a deployment).
CARD_TEMPLATES = (
    CARD_TEMPLATE,
    "news/_comment.html",
    "news/_comment_form.html",
    "news/_post_actions.html",
    "news/_comment_actions.html",
)
# Bump when the card's code (tags, fillers, how a value is shown) changes what it shows.
CARD_VERSION = 5


# What the card's template may ask for and the feed never gives (the post's own page does), set
# to what a missing variable renders as: the skeleton's context has nothing else than these and
# the card's value, and each lookup of a missing variable in a filled block costs the template
# engine a chain of exceptions.
FEED_CARD_ABSENT = {"all_comments": False, "share_outside": "", "comment_form": None, "oob": False}


def render_text(html: str, mentions: Mapping[str, str]) -> SafeString:
    """Stored rich text as shown: sanitised again (a stricter allow-list applies to old content
    too), the @mentions of ``mentions`` ({handle: profile url}) made links."""
    clean = sanitize_rich_text(html)
    return mark_safe(link_mentions(clean, mentions) if mentions else clean)  # noqa: S308


# The card's value. Plain immutable records (tuples: cheap to build and to hash), with the names
# the card's template reads on a prepared ``Post`` (its plain rendering), so that one template
# serves both. Reading a name a record does not have fails loudly instead of rendering empty.


def _no_such_field(record, name: str):
    if name.startswith("__") or name.isdigit():
        raise AttributeError(name)
    raise SkeletonError(
        f"{type(record).__name__} has no {name!r}: a cached card shows only its value; "
        f"add {name!r} to {type(record).__name__} in news.cards (the cache key follows)"
    )


class Photo(NamedTuple):
    name: str  # the stored file's name (random per upload)

    __getattr__ = _no_such_field
    __repr__ = tuple.__repr__


class PersonCard(NamedTuple):
    pk: int
    code: str
    display_name: str
    email: str  # never shown: the initials of a person without a name
    photo: Photo | None
    photo_visibility: str

    __getattr__ = _no_such_field
    __repr__ = tuple.__repr__

    initials = property(User.initials.fget)  # read from the fields above, as a member's are


class CooperativeCard(NamedTuple):
    code: str
    name: str

    __getattr__ = _no_such_field
    __repr__ = tuple.__repr__


class ImageCard(NamedTuple):
    code: str
    width: int
    height: int
    alt_text: str

    __getattr__ = _no_such_field
    __repr__ = tuple.__repr__


class AttachmentCard(NamedTuple):
    code: str
    name: str
    size: int

    __getattr__ = _no_such_field
    __repr__ = tuple.__repr__


class CommentCard(NamedTuple):
    code: str
    author: PersonCard | None
    created_at: datetime
    edited_at: datetime | None
    body_html: str
    mentions: tuple[tuple[str, str], ...]  # (handle, profile url) of the members its text mentions

    __getattr__ = _no_such_field
    __repr__ = tuple.__repr__

    @property
    def body_display(self) -> SafeString:
        return render_text(self.body_html, dict(self.mentions))


class PostCard(NamedTuple):
    code: str
    cooperative: CooperativeCard
    author: PersonCard | None
    created_at: datetime
    edited_at: datetime | None
    pinned_at: datetime | None
    comment_count: int
    more_comments: int  # comments not shown on the card
    body_html: str
    mentions: tuple[tuple[str, str], ...]
    image_list: tuple[ImageCard, ...]
    comments_shown: tuple[CommentCard, ...]
    attachment_list: tuple[AttachmentCard, ...] = ()

    __getattr__ = _no_such_field
    __repr__ = tuple.__repr__

    @property
    def body_display(self) -> SafeString:
        return render_text(self.body_html, dict(self.mentions))


# Builds a record without its class's ``__new__`` (a Python function): a page builds a hundred.
_record = tuple.__new__


def person_card(person) -> PersonCard | None:
    if person is None:
        return None
    # The photo's stored name: ``person.photo`` would build a file object for it (which refers
    # back to the person, so the garbage collector has to find both).
    photo = person.__dict__["photo"] if "photo" in person.__dict__ else person.photo  # noqa: SIM401 (.get would build it)
    name = getattr(photo, "name", photo)
    return _record(
        PersonCard,
        (
            person.pk,
            person.code,
            person.display_name,
            person.email,
            _record(Photo, (name,)) if name else None,
            person.photo_visibility,
        ),
    )


def post_cards(
    posts: Sequence[Post],
    *,
    comments: Mapping[int, Sequence[Comment]],
    images: Mapping[int, Sequence],
    mentions: Mapping[int, Mapping[str, str]],
    attachments: Mapping[int, Sequence] | None = None,
) -> dict[int, PostCard]:
    """{post id: everything its card shows to every reader}: the one place that says what a card
    shows. ``comments`` (with their authors) and ``images`` (``PostImage`` or rows with ``code``,
    ``width``, ``height``, ``alt_text``) by post id, oldest first; ``mentions`` {handle: url} of the
    members its texts mention, by post id. Each post with its author and cooperative loaded."""
    people: dict[int | None, PersonCard | None] = {None: None}  # a page's cards share a few authors
    cooperatives: dict[int, CooperativeCard] = {}
    no_links: tuple = ()
    cards = {}
    for post in posts:
        links = mentions.get(post.pk)
        links = tuple(sorted(links.items())) if links else no_links
        shown = comments.get(post.pk, ())
        comment_cards = []
        for c in shown:
            author = people.get(c.author_id, False)
            if author is False:
                author = people[c.author_id] = person_card(c.author)
            comment_cards.append(_record(CommentCard, (c.code, author, c.created_at, c.edited_at, c.body_html, links)))
        author = people.get(post.author_id, False)
        if author is False:
            author = people[post.author_id] = person_card(post.author)
        cooperative = cooperatives.get(post.cooperative_id)
        if cooperative is None:
            cooperative = cooperatives[post.cooperative_id] = _record(
                CooperativeCard, (post.cooperative.code, post.cooperative.name)
            )
        pictures = images.get(post.pk)
        files = attachments.get(post.pk) if attachments else None
        cards[post.pk] = _record(
            PostCard,
            (
                post.code,
                cooperative,
                author,
                post.created_at,
                post.edited_at,
                post.pinned_at,
                post.comment_count,
                max(post.comment_count - len(shown), 0),
                post.body_html,
                links,
                tuple(_record(ImageCard, (i.code, i.width, i.height, i.alt_text)) for i in pictures)
                if pictures
                else (),
                tuple(comment_cards),
                tuple(_record(AttachmentCard, (a.code, a.name, a.size)) for a in files) if files else (),
            ),
        )
    return cards


@lru_cache(maxsize=1)
def _templates_fingerprint() -> str:
    sources = "\0".join(get_template(name).template.source for name in CARD_TEMPLATES)
    return hashlib.blake2b(sources.encode(), digest_size=8).hexdigest()


def card_keys(cards: Mapping[int, PostCard]) -> dict[int, str]:
    """{post id: the cache key of its card}: a hash of the card's value, for the current language
    and time zone, the card's templates and code."""
    if settings.DEBUG:  # templates reload while developing
        _templates_fingerprint.cache_clear()
    # What every card of the page shares, hashed once.
    page = hashlib.blake2b(digest_size=16)
    page.update(
        repr(
            (CARD_VERSION, _templates_fingerprint(), translation.get_language(), timezone.get_current_timezone_name())
        ).encode()
    )
    keys = {}
    for post_id, card in cards.items():
        digest = page.copy()
        digest.update(repr(card).encode())
        keys[post_id] = f"news:card:{post_id}:{digest.hexdigest()}"
    return keys


def card_cache():
    return caches[settings.CARD_CACHE]


class _Remembered:
    """The entries this process read or wrote lately, by key, least recently used dropped first."""

    def __init__(self):
        self._entries: OrderedDict[str, Skeleton] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, Skeleton]:
        found = {}
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None:
                    self._entries.move_to_end(key)
                    found[key] = entry
        return found

    def set(self, key: str, entry: Skeleton) -> None:
        size = settings.CARD_MEMORY_ENTRIES
        if size <= 0:
            return
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


remembered_cards = _Remembered()


def _store(key: str, entry: Skeleton) -> None:
    card_cache().set(key, entry, settings.CARD_CACHE_SECONDS)
    remembered_cards.set(key, entry)


def cached_cards(posts: Sequence[Post]) -> dict[int, Skeleton]:
    """{post id: skeleton} for the posts whose card is cached (each post carries its ``card_key``)."""
    keys = [post.card_key for post in posts]
    found = remembered_cards.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        try:
            shared = card_cache().get_many(missing)
        except Exception:  # an unreadable entry (a cache server down, a file from older code): render again
            logger.warning("Feed cards could not be read from the cache", exc_info=True)
            shared = {}
        for key, entry in shared.items():
            remembered_cards.set(key, entry)
        found.update(shared)
    return {post.pk: found[post.card_key] for post in posts if post.card_key in found}


def feed_card(context, post: Post) -> SafeString:
    """The card of ``post`` in the feed, for the reader of ``context``: its cached skeleton
    filled in, or rendered from the card's value (``post.card``), cached, then filled in
    (``post`` prepared by ``posts_prepare`` with ``cards=True``)."""
    skeleton = getattr(post, "card_skeleton", None)
    if skeleton is None:
        card = post.card
        template = get_template(CARD_TEMPLATE).template
        skeleton = render_skeleton(
            template,
            {"post": card, "in_cooperative": card.cooperative, **FEED_CARD_ABSENT},
            bindings={"comment": card.comments_shown},
        )
        if skeleton is None:  # markers in the content: never cached
            return plain_card(context, post)
        _store(post.card_key, skeleton)
    with context.push(post=post, in_cooperative=post.cooperative, **FEED_CARD_ABSENT):
        return fill(skeleton, context, bindings={"comment": post.comments_shown})


def plain_card(context, post: Post) -> SafeString:
    """The card of ``post`` rendered as usual for the reader of ``context``, from the post itself
    (what the cooperative's page does), without the cache."""
    card = post.card
    post.body_display = card.body_display
    post.image_list = card.image_list
    for comment, shown in zip(post.comments_shown, card.comments_shown, strict=True):
        comment.body_display = shown.body_display
    with context.push(post=post, in_cooperative=post.cooperative, **FEED_CARD_ABSENT):
        return get_template(CARD_TEMPLATE).template.render(context)
