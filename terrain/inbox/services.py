"""Filling the inbox and answering from it.

Reading (:func:`read_stream`): one account's stream (or one watch's source) is read page by
page from its stored cursor. Each page's new items and the cursor after them are stored in
one transaction (:func:`store_page`), so a worker killed anywhere leaves either nothing or
the whole page; an item read again (a page retried) is recognised by its ``(source,
remote_id)`` and skipped, the unique constraint catching a second worker. A bounded number of
pages per run, and a cursor that does not move ends the run: no answer can loop the engine.
A network that asks to wait (429, 5xx, a timeout) sets when the stream is read again; an
expired token marks the account broken and warns its owners (``account_mark_broken``).

Answering (``terrain.inbox.answers``, then :func:`reply_send`): an answer goes out through the
account's connector with a marker (Mastodon's ``Idempotency-Key``), after approval when the
structure's workshop requires it; a failure is kept with its reason, to retry by hand.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.atelier.models import ConnectedAccount, Publication
from terrain.atelier.services.accounts import (
    account_data,
    account_mark_broken,
    account_save_secrets,
    managers_to_warn,
)
from terrain.inbox import tone
from terrain.inbox.crisis import is_in_crisis
from terrain.inbox.models import TEXT_KEPT, Conversation, Item, ItemKind, Reply, Status, Stream, Watch
from terrain.networks.base import (
    AuthError,
    ConnectorError,
    Content,
    InboundItem,
    InboundPage,
    PermissionMissing,
    TransientError,
)
from terrain.networks.registry import get_connector

logger = logging.getLogger(__name__)

#: Pages read from one stream in one run at most (the rest waits for the next run).
PAGES_PER_RUN = 10
#: Longest wait after repeated failures.
MOST_BACKOFF = timedelta(hours=1)
# Invisible characters that reorder or hide text (bidi overrides, zero-width): dropped from what is stored.
_HIDDEN = dict.fromkeys(
    [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2060, 0xFEFF, 0x061C]
)


def account_source(account: ConnectedAccount) -> str:
    return f"a{account.pk}"


def watch_source(watch: Watch) -> str:
    return f"w{watch.pk}"


def clean_text(text: str, *, limit: int = TEXT_KEPT) -> tuple[str, bool]:
    """What is stored of a text from outside: no control or invisible reordering characters, at
    most ``limit`` characters. Returns the text and whether it was cut."""
    text = (text or "").translate(_HIDDEN)
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    text = unicodedata.normalize("NFC", text).strip()
    if len(text) > limit:
        return text[:limit], True
    return text, False


def _clip(value: str, size: int) -> str:
    return clean_text(value, limit=size)[0]


def _safe_url(url: str) -> str:
    """A link from outside, kept only when it is http(s): never ``javascript:``."""
    url = (url or "").strip()
    return url[:500] if url.lower().startswith(("https://", "http://")) else ""


def _our_posts(account: ConnectedAccount | None, remote_ids: set[str]) -> dict[str, tuple[str, str]]:
    """The text and address of our publications among ``remote_ids`` on ``account``."""
    if account is None or not remote_ids:
        return {}
    rows = Publication.objects.filter(account=account, remote_id__in=remote_ids).values_list(
        "remote_id", "message__body", "remote_url"
    )
    return {remote_id: (body[:2000], url) for remote_id, body, url in rows}


def _threads(
    fresh: list[InboundItem], *, structure, source: str, account, watch, network: str
) -> tuple[list[Conversation], dict[str, Conversation]]:
    """The thread of each new item (by remote id): its parent's when the inbox holds it (stored
    before, or earlier in this page), else the thread of what it answers (our post), else one
    of its own. Read in three queries for the whole page, the threads locked; the new ones made
    in one more. Returns the threads touched and each item's."""
    owner = {"account": account} if account is not None else {"watch": watch}
    parents = {item.parent for item in fresh if item.parent}
    parent_thread = dict(
        Item.objects.filter(source=source, remote_id__in=parents).values_list("remote_id", "conversation_id")
    )
    answered = parents - set(parent_thread)
    if answered and account is not None:  # someone answering one of our answers: that thread
        parent_thread.update(
            Reply.objects.filter(conversation__account=account, remote_id__in=answered).values_list(
                "remote_id", "conversation_id"
            )
        )
    keys = {item.parent or item.remote_id for item in fresh}
    by_id = {
        c.pk: c
        for c in Conversation.objects.select_for_update().filter(
            Q(pk__in=set(parent_thread.values())) | Q(thread_key__in=keys, **owner)
        )
    }
    by_key = {c.thread_key: c for c in by_id.values() if c.thread_key in keys and _owned(c, account, watch)}
    ours = _our_posts(account, {item.parent for item in fresh if item.parent_is_ours})
    made: list[Conversation] = []
    thread_of: dict[str, Conversation] = {}
    for item in fresh:
        if item.parent in thread_of:
            conversation = thread_of[item.parent]
        elif item.parent in parent_thread:
            conversation = by_id[parent_thread[item.parent]]
        else:
            key = (item.parent or item.remote_id)[:300]
            conversation = by_key.get(key)
            if conversation is None:
                text, url = ours.get(item.parent, ("", ""))
                conversation = by_key[key] = Conversation(
                    structure=structure,
                    network=network,
                    thread_key=key,
                    kind=item.kind if item.kind in ItemKind.values else ItemKind.MENTION,
                    our_post_text=text,
                    our_post_url=url,
                    first_item_at=item.created_at,
                    last_item_at=item.created_at,
                    **owner,
                )
                made.append(conversation)
        thread_of[item.remote_id] = conversation
    if made:
        Conversation.objects.bulk_create(made)
    touched = {id(c): c for c in thread_of.values()}
    return list(touched.values()), thread_of


def _owned(conversation: Conversation, account, watch) -> bool:
    if account is not None:
        return conversation.account_id == account.pk
    return conversation.watch_id == watch.pk


def _item(inbound: InboundItem, *, source: str, conversation: Conversation, matched: dict[str, str]) -> Item:
    text, truncated = clean_text(inbound.text)
    verdict = tone.classify(text)
    return Item(
        conversation=conversation,
        source=source,
        remote_id=inbound.remote_id[:300],
        kind=inbound.kind if inbound.kind in ItemKind.values else ItemKind.MENTION,
        author_handle=_clip(inbound.author_handle, 200),
        author_name=_clip(inbound.author_name, 200),
        author_url=_safe_url(inbound.author_url),
        text=text,
        truncated=truncated,
        url=_safe_url(inbound.url),
        parent=inbound.parent[:300],
        reply_to=inbound.reply_to[:300],
        created_at=inbound.created_at,
        tone=verdict.tone,
        tone_reason=verdict.reason[:300],
        matched=matched.get(inbound.remote_id, "")[:300],
    )


def _created(items: list[Item]) -> list[Item]:
    """Insert ``items`` in one statement; if another worker stored some meanwhile (the unique
    constraint refuses the batch), one by one, skipping those."""
    try:
        with transaction.atomic():
            Item.objects.bulk_create(items)
        return items
    except IntegrityError:
        kept = []
        for item in items:
            try:
                with transaction.atomic():
                    item.pk = None
                    item.save(force_insert=True)
                kept.append(item)
            except IntegrityError:
                continue
        return kept


@transaction.atomic
def store_page(
    *,
    stream: Stream,
    page: InboundPage,
    structure,
    account: ConnectedAccount | None = None,
    watch: Watch | None = None,
    network: str = "",
    matched: dict[str, str] | None = None,
) -> int:
    """Store the page's new items and the cursor after them, together. Returns how many were new.

    A constant number of queries per page, whatever its size (the benchmark reads 100,000 items).
    """
    source = stream.source
    ids = [item.remote_id[:300] for item in page.items]
    known = set(Item.objects.filter(source=source, remote_id__in=ids).values_list("remote_id", flat=True))
    fresh: list[InboundItem] = []
    for inbound in sorted(page.items, key=lambda item: item.created_at):
        remote_id = inbound.remote_id[:300]
        if remote_id and remote_id not in known:
            known.add(remote_id)
            fresh.append(inbound)
    stored: list[Item] = []
    if fresh:
        touched, thread_of = _threads(
            fresh, structure=structure, source=source, account=account, watch=watch, network=network
        )
        items = [
            _item(inbound, source=source, conversation=thread_of[inbound.remote_id], matched=matched or {})
            for inbound in fresh
        ]
        stored = _created(items)
        for item in stored:
            _count_in(item.conversation, item)
        Conversation.objects.bulk_update(
            touched, ["items_count", "first_item_at", "last_item_at", "tone", "priority", "status", "updated_at"]
        )
    stream.cursor = page.cursor
    stream.read_at = timezone.now()
    stream.save(update_fields=["cursor", "read_at"])
    return len(stored)


def _count_in(conversation: Conversation, item: Item) -> None:
    """A thread's counts after one more item; a closed or answered thread that hears again is new again."""
    conversation.items_count += 1
    conversation.first_item_at = min(conversation.first_item_at, item.created_at)
    conversation.last_item_at = max(conversation.last_item_at, item.created_at)
    priority = tone.PRIORITY[tone.Tone(item.tone)]
    if conversation.items_count == 1 or priority < conversation.priority:
        conversation.tone, conversation.priority = item.tone, priority
    if conversation.status in (Status.ANSWERED, Status.CLOSED):
        conversation.status = Status.NEW
    conversation.updated_at = timezone.now()


def _backoff(stream: Stream, error: ConnectorError | None = None) -> timedelta:
    wait = timedelta(seconds=settings.INBOX_POLL_SECONDS) * (2 ** min(stream.failures, 6))
    retry_after = getattr(error, "retry_after", None)  # only a TransientError says it
    if retry_after:
        wait = max(wait, timedelta(seconds=float(retry_after)))
    return min(wait, MOST_BACKOFF)


def stream_failed(
    stream: Stream, error: ConnectorError, *, wait: timedelta | None = None, needs_permission: bool = False
) -> None:
    """Record that reading ``stream`` failed with ``error``: one failure more, the error's message
    kept to be shown, and the next read put off by ``wait``, or else by a wait that doubles with
    each failure in a row, at least the network's ``retry_after`` and at most :data:`MOST_BACKOFF`.

    For the readers of streams (an account's here, a watch's in ``terrain.inbox.watching``)."""
    stream.failures = min(stream.failures + 1, 1000)
    stream.last_error = error.message[:500]
    stream.needs_permission = needs_permission
    stream.next_at = timezone.now() + (wait if wait is not None else _backoff(stream, error))
    stream.save(update_fields=["failures", "last_error", "needs_permission", "next_at"])


def stream_for(source: str, name: str) -> Stream:
    stream, _created = Stream.objects.get_or_create(source=source, name=name, defaults={"next_at": timezone.now()})
    return stream


def read_account_stream(account: ConnectedAccount, name: str) -> int:
    """Read one stream of ``account`` from where it stands. Returns how many new items were stored."""
    stream = stream_for(account_source(account), name)
    connector = get_connector(account.network)
    stored = 0
    data = None
    try:
        data = account_data(account)
        for _page in range(PAGES_PER_RUN):
            before = stream.cursor
            page = connector.fetch_inbound(data, name, stream.cursor)
            stored += store_page(
                stream=stream, page=page, structure=account.structure, account=account, network=account.network
            )
            if not page.more or page.cursor == before:
                break
    except PermissionMissing as error:
        # The account still publishes: only this reading waits until it is connected again.
        stream_failed(stream, error, wait=MOST_BACKOFF, needs_permission=True)
        reading_failure_warn(account, stream, curable=False)
        return stored
    except AuthError as error:
        account_mark_broken(account=account, error=error.message)
        stream_failed(stream, error, wait=MOST_BACKOFF)
        return stored
    except TransientError as error:
        stream_failed(stream, error)
        reading_failure_warn(account, stream, curable=True)
        return stored
    except ConnectorError as error:
        stream_failed(stream, error, wait=MOST_BACKOFF)
        reading_failure_warn(account, stream, curable=False)
        return stored
    finally:
        if data is not None:
            account_save_secrets(account=account, data=data)
    stream.failures = 0
    stream.last_error = ""
    stream.needs_permission = False
    stream.warned_at = None
    stream.next_at = timezone.now() + timedelta(seconds=settings.INBOX_POLL_SECONDS)
    stream.save(update_fields=["failures", "last_error", "needs_permission", "warned_at", "next_at"])
    return stored


def reading_failure_warn(account: ConnectedAccount, stream: Stream, *, curable: bool) -> bool:
    """Tell the account's managers, in the app and by e-mail, that its inbox cannot be read: once
    per run of failures (until a reading works again). A failure that retrying may cure (a network
    down for a few minutes) is told after ``INBOX_READ_ALERT_FAILURES`` in a row; another one at
    once. Returns whether it warned."""
    if curable and stream.failures < settings.INBOX_READ_ALERT_FAILURES:
        return False
    # Claimed in the database: two workers failing at once tell it once.
    if not Stream.objects.filter(pk=stream.pk, warned_at__isnull=True).update(warned_at=timezone.now()):
        return False
    from terrain.feed.services import notifications_and_emails_send

    notifications_and_emails_send(
        users=managers_to_warn(account),
        reason="inbox_read_failed",
        # Shown after the reason's label ("An account's inbox cannot be read").
        summary=lambda: (
            _("%(account)s of %(structure)s: %(error)s")
            % {"account": account, "structure": account.structure.name, "error": stream.last_error}
        ),
        target_url=reverse("atelier:accounts", args=[account.structure.code]) + f"#account-{account.code}",
        email_template="inbox/email/reading_failed",
        email_context={
            "account": account,
            "structure": account.structure,
            "error": stream.last_error,
            "needs_permission": stream.needs_permission,
        },
    )
    return True


def inbox_streams_of(account: ConnectedAccount) -> tuple[str, ...]:
    """The streams the inbox reads of ``account`` (none for a network whose connector is gone)."""
    try:
        return get_connector(account.network).inbox_streams
    except KeyError:  # a network whose connector is gone from this site
        return ()


def inbox_accounts() -> Iterable[ConnectedAccount]:
    """Active accounts whose network has something to read for the inbox."""
    for account in ConnectedAccount.objects.filter(status=ConnectedAccount.Status.ACTIVE).select_related("structure"):
        if inbox_streams_of(account):
            yield account


def due_account_streams(now) -> list[tuple[ConnectedAccount, Stream]]:
    """The streams of active accounts due for reading, each with its account.

    A stream an account lacks (a new account, a connector with a new stream) is made first,
    due at once. A constant number of statements, however many accounts: the clock asks every
    minute."""
    accounts = {account_source(account): account for account in inbox_accounts()}
    wanted = {(source, name) for source, account in accounts.items() for name in inbox_streams_of(account)}
    made = set(Stream.objects.filter(source__startswith="a").values_list("source", "name"))
    missing = wanted - made
    if missing:
        Stream.objects.bulk_create(
            [Stream(source=source, name=name, next_at=now) for source, name in sorted(missing)], ignore_conflicts=True
        )
    due = Stream.objects.filter(source__startswith="a", next_at__lte=now).order_by("next_at")
    return [(accounts[stream.source], stream) for stream in due if (stream.source, stream.name) in wanted]


def items_reclassify(*, batch: int = 2000) -> tuple[int, int]:
    """Triage every stored item again with the current rules (after they change: ``manage.py
    tone_reclassify``); each thread whose items changed takes its most urgent tone again, as
    ``_count_in`` gives it. Returns (items changed, threads changed). Items go by batches of
    ``batch`` in primary-key order, each batch in its own transaction: a run stopped halfway
    leaves every row consistent, and running it again finishes the work."""
    items_changed, touched, last = 0, set(), 0
    while True:
        rows = list(
            Item.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "text", "tone", "tone_reason", "conversation_id")[:batch]
        )
        if not rows:
            break
        last = rows[-1].pk
        changed = []
        for item in rows:
            verdict = tone.classify(item.text)
            if (item.tone, item.tone_reason) != (verdict.tone, verdict.reason[:300]):
                item.tone, item.tone_reason = verdict.tone, verdict.reason[:300]
                changed.append(item)
                touched.add(item.conversation_id)
        if changed:
            with transaction.atomic():
                Item.objects.bulk_update(changed, ["tone", "tone_reason"])
        items_changed += len(changed)
    threads_changed = 0
    ids = sorted(touched)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with transaction.atomic():
            most_urgent: dict[int, tuple[int, str]] = {}
            for conversation_id, item_tone in (
                Item.objects.filter(conversation_id__in=chunk)
                .order_by("created_at", "id")
                .values_list("conversation_id", "tone")
            ):
                priority = tone.PRIORITY[tone.Tone(item_tone)]
                if conversation_id not in most_urgent or priority < most_urgent[conversation_id][0]:
                    most_urgent[conversation_id] = (priority, item_tone)
            threads = list(Conversation.objects.select_for_update().filter(pk__in=chunk).only("pk", "tone", "priority"))
            moved = []
            for conversation in threads:
                priority, thread_tone = most_urgent.get(conversation.pk, (conversation.priority, conversation.tone))
                if (conversation.priority, conversation.tone) != (priority, thread_tone):
                    conversation.priority, conversation.tone = priority, thread_tone
                    moved.append(conversation)
            Conversation.objects.bulk_update(moved, ["tone", "priority"])
            threads_changed += len(moved)
    return items_changed, threads_changed


def claim_stream(stream: Stream, *, lease: timedelta = timedelta(minutes=5)) -> bool:
    """Take the stream's next reading if it is due and nobody took it: one conditional UPDATE."""
    now = timezone.now()
    return bool(Stream.objects.filter(pk=stream.pk, next_at__lte=now).update(next_at=now + lease))


# --- Answers.


def reply_needs_approval(access) -> bool:
    from terrain.atelier.models import Strategy

    if not access.can_approve and is_in_crisis(access.structure):
        return True  # crisis mode: every answer goes through an approver
    strategy = Strategy.objects.filter(structure=access.structure).only("approval_required").first()
    required = strategy.approval_required if strategy is not None else False
    return required and not access.can_approve


def reply_send(reply_id: int) -> str:
    """Send one answer that is ``sending``; returns its state after. Only one worker sends it: the
    claim is a conditional UPDATE of its attempts."""
    reply = Reply.objects.select_related("conversation__account", "item").filter(pk=reply_id).first()
    if reply is None or reply.state != Reply.State.SENDING:
        return reply.state if reply else ""
    claimed = Reply.objects.filter(pk=reply.pk, state=Reply.State.SENDING, attempts=reply.attempts).update(
        attempts=reply.attempts + 1
    )
    if not claimed:
        return Reply.State.SENDING
    conversation = reply.conversation
    account = conversation.account
    if account is None or not reply.item.reply_to:
        return _reply_failed(reply, _no_way_to_answer())
    try:
        data = account_data(account)
        posted = get_connector(account.network).reply(
            data, reply.item.reply_to, Content(text=reply.text, marker=reply.marker)
        )
        account_save_secrets(account=account, data=data)
    except AuthError as error:
        account_mark_broken(account=account, error=error.message)
        return _reply_failed(reply, error.message)
    except ConnectorError as error:
        return _reply_failed(reply, error.message)
    now = timezone.now()
    with transaction.atomic():
        Reply.objects.filter(pk=reply.pk).update(
            state=Reply.State.SENT, remote_id=posted.remote_id[:300], url=_safe_url(posted.url), sent_at=now, error=""
        )
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        locked.first_reply_at = locked.first_reply_at or now
        if locked.status != Status.CLOSED:
            locked.status = Status.ANSWERED
        locked.save(update_fields=["first_reply_at", "status", "updated_at"])
    return Reply.State.SENT


def _reply_failed(reply: Reply, reason: str) -> str:
    Reply.objects.filter(pk=reply.pk).update(state=Reply.State.FAILED, error=reason[:500], updated_at=timezone.now())
    return Reply.State.FAILED


def _no_way_to_answer() -> str:
    return _("This network gives no way to answer this item from Terrain: answer it on the network itself.")


# --- The team's handling of threads (the inbox pages).

TAGS_MAX = 10
TAG_LENGTH = 30


def team_of(structure):
    """Who handles the structure's inbox and can be assigned a thread: its officials, and the
    writers and approvers its workshop's strategy names."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from terrain.atelier.models import Strategy

    strategy_ids = Strategy.objects.filter(structure=structure).values("pk")
    return (
        get_user_model()
        .objects.filter(
            Q(mandates__structure=structure)
            | Q(pk__in=Strategy.writers.through.objects.filter(strategy_id__in=strategy_ids).values("user_id"))
            | Q(pk__in=Strategy.approvers.through.objects.filter(strategy_id__in=strategy_ids).values("user_id"))
        )
        .distinct()
        .order_by("display_name", "pk")
    )


def normalise_tags(raw: str | Iterable[str]) -> list[str]:
    """Tags as typed (comma-separated) → lower-case, single-spaced, unique, at most ``TAGS_MAX``."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for part in parts:
        tag = " ".join(clean_text(str(part), limit=200)[0].lower().lstrip("#").split())[:TAG_LENGTH].strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:TAGS_MAX]


@transaction.atomic
def conversation_set_status(*, conversation: Conversation, status: str, by) -> None:
    if status not in Status.values:
        raise ValueError(status)
    Conversation.objects.filter(pk=conversation.pk).update(status=status, updated_at=timezone.now())
    conversation.status = Status(status)


@transaction.atomic
def conversation_assign(*, conversation: Conversation, assignee, by) -> None:
    """Assign the thread to ``assignee`` (a member of the team) or to nobody (None)."""
    if assignee is not None and not team_of(conversation.structure).filter(pk=assignee.pk).exists():
        raise ValueError("not in the team")
    Conversation.objects.filter(pk=conversation.pk).update(assignee=assignee, updated_at=timezone.now())
    conversation.assignee = assignee


@transaction.atomic
def conversation_tag(*, conversation: Conversation, tags: str | Iterable[str], by) -> list[str]:
    cleaned = normalise_tags(tags)
    Conversation.objects.filter(pk=conversation.pk).update(tags=cleaned, updated_at=timezone.now())
    conversation.tags = cleaned
    return cleaned


@transaction.atomic
def note_add(*, conversation: Conversation, text: str, by):
    from terrain.inbox.models import Note

    text = clean_text(text, limit=2000)[0]
    if not text:
        raise ValueError("empty note")
    return Note.objects.create(conversation=conversation, author=by, text=text)


@transaction.atomic
def conversations_close(*, structure, codes: Iterable[str], by) -> int:
    """Close the threads ``codes`` of ``structure`` (a code of another structure is ignored). Returns how many."""
    codes = [code for code in codes if isinstance(code, str)][:500]
    return (
        Conversation.objects.filter(structure=structure, code__in=codes)
        .exclude(status=Status.CLOSED)
        .update(status=Status.CLOSED, updated_at=timezone.now())
    )


@transaction.atomic
def saved_reply_save(*, structure, title: str, text: str, saved=None, by=None):
    """Create (``saved`` None) or update a saved answer of ``structure``."""
    from terrain.inbox.models import SavedReply

    title, text = clean_text(title, limit=100)[0], clean_text(text, limit=2000)[0]
    if saved is None:
        return SavedReply.objects.create(structure=structure, title=title, text=text)
    if saved.structure_id != structure.pk:
        raise ValueError("another structure's saved answer")
    saved.title, saved.text = title, text
    saved.save(update_fields=["title", "text", "updated_at"])
    return saved


@transaction.atomic
def saved_reply_delete(*, saved, by=None) -> None:
    saved.delete()
