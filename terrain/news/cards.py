"""Post cards of the activity feed, from a cache.

Most of a card is the same for every reader: the author line, the text, the
images, the last comments. The feed renders ``news/_post_card.html`` once as a
skeleton (``lib.fragments``: no request, no reader in its context), caches it,
and fills in per request what depends on the reader or the clock ("5 minutes
ago", reactions, the reader's own avatar, edit/delete/moderation actions, the
comment form).

The key names every version the skeleton shows: the post (``updated_at`` moves
on edit and deletion, plus pin and comment count), the comments shown and
their edits, the authors' names and photos, the cooperative's name, the
language and the time zone, and the card's templates. Anything that changes
gives a new key; old entries expire (``CARD_CACHE_SECONDS``, or evicted past
``CARD_CACHE_ENTRIES``). @mentions become links only for members of the cooperative: the
mentions a skeleton was rendered with are kept beside it and checked again on
every read (one query, only for cards that mention someone).

Skeletons are read only for posts the feed selector already chose for the
reader (after its access rules), keyed by post: one reader's card is another's
only when both may read the post.

Each process also keeps the skeletons it read or rendered lately in memory
(``CARD_MEMORY_ENTRIES``, least recently used dropped first), in front of the
shared cache: a key names every version its card shows, so a remembered entry is
as good as the shared one, and the mentions beside it are checked on every read
all the same. The cards of a cooperative's latest posts, read by each of its
members, then cost neither a file nor a Redis round trip, nor unpickling.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from terrain.lib.fragments import Skeleton, fill, render_skeleton
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
# Bump when the card's code (tags, fillers, what posts_prepare gives it) changes what it shows.
CARD_VERSION = 3


# What the card's per-reader blocks may ask for and the feed never gives (the post's own page
# does), set to what a missing variable renders as: each lookup of a missing variable costs
# the template engine a chain of exceptions, and a card asks three times.
FEED_CARD_ABSENT = {"all_comments": False, "share_outside": "", "comment_form": None}


def card_cache():
    return caches[settings.CARD_CACHE]


class _Remembered:
    """The entries this process read or wrote lately, by key, least recently used dropped first."""

    def __init__(self):
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, tuple]:
        found = {}
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None:
                    self._entries.move_to_end(key)
                    found[key] = entry
        return found

    def set(self, key: str, entry: tuple) -> None:
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


def _store(key: str, entry: tuple) -> None:
    card_cache().set(key, entry, settings.CARD_CACHE_SECONDS)
    remembered_cards.set(key, entry)


def _person(person) -> tuple:
    if person is None:
        return (None,)
    # The photo's stored name: ``person.photo`` would build a file object for it (which refers
    # back to the person, so the garbage collector has to find both).
    photo = person.__dict__["photo"] if "photo" in person.__dict__ else person.photo  # noqa: SIM401 (.get would build it)
    return (
        person.pk,
        person.code,
        person.display_name,
        person.email,
        getattr(photo, "name", photo),
        person.photo_visibility,
    )


def _moment(value) -> float | None:
    # A date as its timestamp: exact to the microsecond, and five times cheaper to write than its repr.
    return None if value is None else value.timestamp()


@lru_cache(maxsize=1)
def _templates_fingerprint() -> str:
    sources = "\0".join(get_template(name).template.source for name in CARD_TEMPLATES)
    return hashlib.blake2b(sources.encode(), digest_size=8).hexdigest()


def card_keys(posts: Sequence[Post], comments: Mapping[int, Sequence[Comment]]) -> dict[int, str]:
    """{post id: the cache key of its card in the feed}, each card showing the post's ``comments``,
    for the current language and time zone."""
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
    for post in posts:
        version = (
            _moment(post.updated_at),
            _moment(post.edited_at),
            _moment(post.pinned_at),
            post.comment_count,
            _person(post.author),
            post.cooperative.code,
            post.cooperative.name,
            tuple(
                (c.pk, _moment(c.updated_at), _moment(c.edited_at), _person(c.author))
                for c in comments.get(post.pk, ())
            ),
        )
        digest = page.copy()
        digest.update(repr(version).encode())
        keys[post.pk] = f"news:card:{post.pk}:{digest.hexdigest()}"
    return keys


def cached_cards(posts: Sequence[Post]) -> dict[int, tuple[Skeleton, dict[str, str]]]:
    """{post id: (skeleton, mentions it was rendered with)} for the posts whose card is cached
    (each post carries its ``card_key``)."""
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
    filled in, or rendered, cached, then filled in (``post`` prepared by ``posts_prepare``
    with ``cards=True``)."""
    bindings = {"comment": post.comments_shown}
    skeleton = getattr(post, "card_skeleton", None)
    if skeleton is None:
        template = get_template(CARD_TEMPLATE).template
        skeleton = render_skeleton(template, {"post": post, "in_cooperative": post.cooperative}, bindings=bindings)
        if skeleton is None:  # markers in the content: never cached
            with context.push(post=post, in_cooperative=post.cooperative):
                return template.render(context)
        _store(post.card_key, (skeleton, post.card_mentions))
    with context.push(post=post, in_cooperative=post.cooperative, **FEED_CARD_ABSENT):
        return fill(skeleton, context, bindings=bindings)
