"""The publication engine: run one Publication through its workflow.

The states and transitions are declared in :data:`terrain.atelier.workflows.PUBLICATION`
(drawn in ``docs/workflows.md``): pending ─claim→ publishing → published, failed, back to
pending (a transient error, or released unsent), or checking (the request may have reached
the network: the next claim looks for the marker on the network first). Every change of
state is one :meth:`~terrain.atelier.workflows.Workflow.move`.

Guarantees:

- one worker at a time: a publication is claimed with one conditional UPDATE
  (state, next try, and for a taken-over row the old claim token); 0 rows means
  someone else has it;
- never twice: when an earlier attempt may have reached the network (state
  ``checking``, or ``publishing`` with an expired lease: its worker died during
  the call), the network is searched for the publication's marker before any
  new call, and a post found there is adopted;
- the remote id is recorded in the same transaction that marks the row
  published, and that UPDATE checks the claim token, so a stale worker cannot
  overwrite a newer one;
- every call is logged as a :class:`PublicationAttempt`.

Batches (:func:`publications_run`, what the workers run): the due rows nobody
tried yet are claimed by one UPDATE under one claim token, loaded by one query,
counted in their accounts' rate windows by one statement per network; the
network calls follow (on the worker's publisher threads); the accepted posts are
recorded, their messages settled and their authors told in one transaction,
and the hooks (relays) called once for the batch. A worker killed between the
calls and that transaction leaves its rows claimed: once the lease passes they
are looked for on the network, as for a worker killed during a call. A batch
that nears the end of its claim hands the rest back unsent.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import random
import socket
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from terrain.atelier.models import (
    ConnectedAccount,
    Message,
    MessageEvent,
    MessageImage,
    MessageVariant,
    Publication,
    PublicationAttempt,
)
from terrain.atelier.workflows import MESSAGE, PUBLICATION, RUNNING
from terrain.lib.codes import new_code
from terrain.lib.text import shorten
from terrain.library.selectors import photo_share_refusal
from terrain.networks.base import (
    AuthError,
    ConnectorError,
    Content,
    Media,
    PermanentError,
    RateLimit,
    RemotePost,
    TransientError,
    UncertainOutcome,
)
from terrain.networks.registry import get_connector

logger = logging.getLogger(__name__)

State = Publication.State
UNFINISHED = RUNNING
#: Waits between attempts after a transient failure (then the last one, repeated).
BACKOFF_SECONDS = (30, 120, 600, 3600, 3 * 3600, 6 * 3600)
#: Messages whose publications, once all done, settle them.
SETTLING = MESSAGE.sources("settle_published") | MESSAGE.sources("settle_failed")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def lease() -> timedelta:
    return timedelta(seconds=settings.ATELIER_PUBLISH_LEASE_SECONDS)


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """Exponential-ish wait with ±20 % jitter (many posts failing together must not retry together)."""
    base = BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1]
    wait = base * random.uniform(0.8, 1.2)
    return timedelta(seconds=max(wait, retry_after or 0))


def due_filter(now: datetime) -> Q:
    """Rows a worker may take now: due ones, and ones whose worker died mid-call."""
    return Q(state__in=[State.PENDING, State.CHECKING], next_try_at__lte=now) | Q(
        state=State.PUBLISHING, claimed_until__lt=now
    )


# --- Building the post --------------------------------------------------------------
def rewrite_link(*, publication: Publication, url: str) -> str:
    path = getattr(settings, "ATELIER_LINK_REWRITER", "")
    if not url or not path:
        return url
    return import_string(path)(publication=publication, url=url)


class ConsentWithdrawn(Exception):
    """A photo of the message may no longer leave its cooperative (its message says why)."""


def build_content(publication: Publication) -> Content:
    """The post for this publication's network: its variant (or the message's text), images, link, marker.

    ``publication`` comes from :func:`_load` (variant and whether there are images annotated);
    any other Publication works too, at the cost of two more queries.
    """
    message = publication.message
    if hasattr(publication, "variant_body"):
        variant, has_images = publication.variant_body, publication.has_images
    else:
        variant = _variant(publication).values_list("body", flat=True).first()
        has_images = True
    media = []
    for image in message.images.all() if has_images else ():
        # A library photo whose consent was withdrawn after approval never goes out.
        if image.source_file_id and (refusal := photo_share_refusal(image.source_file)):
            raise ConsentWithdrawn(refusal)
        with image.image.open("rb") as handle:
            data = handle.read()
        name = os.path.basename(image.image.name)
        media.append(
            Media(
                data=data,
                mime_type=mimetypes.guess_type(name)[0] or "image/jpeg",
                alt=image.alt_text,
                filename=name,
            )
        )
    return Content(
        text=variant or message.body,
        media=tuple(media),
        link=rewrite_link(publication=publication, url=message.link),
        marker=publication.marker,
        title=message.title,
    )


def _variant(publication: Publication):
    return MessageVariant.objects.filter(message=publication.message_id, network=publication.account.network)


def _loading():
    """Publications with their account, message, variant and whether they have images: one query."""
    return Publication.objects.select_related("account", "message").annotate(
        variant_body=Subquery(
            MessageVariant.objects.filter(message=OuterRef("message_id"), network=OuterRef("account__network"))
            .order_by("pk")
            .values("body")[:1]
        ),
        has_images=Exists(MessageImage.objects.filter(message=OuterRef("message_id"))),
    )


def _load(publication_id: int) -> Publication:
    return _loading().get(pk=publication_id)


# --- Rate limit ---------------------------------------------------------------------
def rate_take(*, account_id: int, limit: RateLimit, now: datetime) -> datetime | None:
    """Count one publication in the account's window. None if allowed, else when the window ends.

    A fixed window stored on the account, moved with conditional UPDATEs only, so
    that concurrent workers never both take the last place.
    """
    start_min = now - timedelta(seconds=limit.seconds)
    accounts = ConnectedAccount.objects.filter(pk=account_id)
    # Twice round: a worker that loses the race to open a new window counts itself in the
    # window the winner just opened, rather than reading the race as a full window.
    for _round in range(2):
        if accounts.filter(window_started_at__gt=start_min, window_count__lt=limit.calls).update(
            window_count=F("window_count") + 1
        ):
            return None
        if accounts.filter(Q(window_started_at__isnull=True) | Q(window_started_at__lte=start_min)).update(
            window_started_at=now, window_count=1
        ):
            return None
    started = accounts.values_list("window_started_at", flat=True).first() or now
    return started + timedelta(seconds=limit.seconds)


def rate_take_many(*, publications: list[Publication], now: datetime) -> set[int]:
    """Count a batch's publications in their accounts' open windows: one statement per network.

    Only for accounts that appear once in the batch and whose window is open with room
    left (``RETURNING`` says which got a place, so two workers never both take the
    last one). Returns the ids of the publications counted; the others go through
    :func:`rate_take` (a window to open, a full one, an account twice in the batch).
    """
    once = Counter(p.account_id for p in publications)
    by_network: dict[str, list[Publication]] = defaultdict(list)
    for publication in publications:
        if once[publication.account_id] == 1:
            by_network[publication.account.network].append(publication)
    counted: set[int] = set()
    table = connection.ops.quote_name(ConnectedAccount._meta.db_table)
    for network, group in by_network.items():
        limit = get_connector(network).rate_limit
        start_min = connection.ops.adapt_datetimefield_value(now - timedelta(seconds=limit.seconds))
        ids = [publication.account_id for publication in group]
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET window_count = window_count + 1 WHERE id IN ({marks})"  # noqa: S608 (names only)
                " AND window_started_at > %s AND window_count < %s RETURNING id",
                [*ids, start_min, limit.calls],
            )
            room = {account_id for (account_id,) in cursor.fetchall()}
        counted |= {publication.pk for publication in group if publication.account_id in room}
    return counted


# --- Running one publication ----------------------------------------------------------
def claim(*, publication_id: int, now: datetime) -> tuple[str, bool] | None:
    """Take the row: returns (claim token, whether an earlier attempt may have reached the network)."""
    token = new_code()
    taken = {"claim_token": token, "claimed_until": now + lease(), "attempts": F("attempts") + 1}
    # The common case in one statement: a due row nobody tried yet.
    if PUBLICATION.move(
        ids=[publication_id], transition="claim", sources=[State.PENDING], where={"next_try_at__lte": now}, **taken
    ):
        return token, False
    row = (
        Publication.objects.filter(pk=publication_id)
        .values("state", "next_try_at", "claimed_until", "claim_token")
        .first()
    )
    if row is None:
        return None
    if row["state"] in (State.PENDING, State.CHECKING) and row["next_try_at"] <= now:
        where = {"next_try_at__lte": now}
    elif row["state"] == State.PUBLISHING and row["claimed_until"] and row["claimed_until"] < now:
        # Its worker died (or hung) during the call: take over, and look on the network first.
        where = {"claim_token": row["claim_token"], "claimed_until__lt": now}
    else:
        return None
    if not PUBLICATION.move(ids=[publication_id], transition="claim", sources=[row["state"]], where=where, **taken):
        return None
    return token, row["state"] != State.PENDING


def publication_run(*, publication_id: int, worker: str = "") -> str:
    """Try to publish one publication now. Returns what happened (for logs and tests).

    "taken" (not due, or another worker has it), "published", "found" (an
    earlier attempt had reached the network), "retry", "checking",
    "rate-limited", "failed".
    """
    now = timezone.now()
    worker = worker or worker_name()
    claimed = claim(publication_id=publication_id, now=now)
    if claimed is None:
        return "taken"
    token, uncertain = claimed
    publication = _load(publication_id)
    result = _send(publication, token=token, started=now, worker=worker, uncertain=uncertain)
    if isinstance(result, Sent):
        _finish_published_many([result], token=token, worker=worker)
        return result.outcome
    return result


@dataclass(frozen=True)
class Sent:
    """A post the network accepted (or that an earlier attempt had left there), not recorded yet."""

    publication: Publication
    remote: RemotePost
    outcome: str  # "published" or "found"
    started: datetime
    at: datetime


def _send(
    publication: Publication, *, token: str, started: datetime, worker: str, uncertain: bool, counted: bool = False
) -> Sent | str:
    """Call the network for a claimed publication: a :class:`Sent` to record, or what went wrong (recorded)."""
    account = publication.account
    if account.status != ConnectedAccount.Status.ACTIVE:
        reason = _("The account %(account)s must be reconnected before anything can be published on it.") % {
            "account": account
        }
        _finish_failed(publication, token=token, started=started, worker=worker, outcome="auth", reason=reason)
        return "failed"

    from terrain.atelier.services.accounts import account_data, account_mark_broken, account_save_secrets

    connector = get_connector(account.network)
    try:
        data = account_data(account)
    except AuthError as error:
        _finish_failed(publication, token=token, started=started, worker=worker, outcome="auth", reason=error.message)
        account_mark_broken(account=account, error=error.message)
        return "failed"
    try:
        content = build_content(publication)
    except ConsentWithdrawn as error:  # not a fault: the reason is the library's own sentence
        _finish_failed(publication, token=token, started=started, worker=worker, outcome="permanent", reason=str(error))
        return "failed"
    except Exception as error:  # an image gone from the storage, a failing link rewriter: nothing was sent
        logger.exception("Publication %s: the post could not be built", publication.pk)
        reason = _("The post could not be prepared: %(error)s") % {"error": error}
        _finish_failed(publication, token=token, started=started, worker=worker, outcome="permanent", reason=reason)
        return "failed"
    attempt = {"token": token, "started": started, "worker": worker}
    # Only the connector's calls are in the try blocks: a database error of ours is not the network's.
    found = None
    if uncertain:
        try:
            found = connector.find_published(data, content)
        except Exception as error:
            return _on_error(publication, error, account=account, uncertain=True, **attempt)
        finally:
            if data.secrets_changed:
                account_save_secrets(account=account, data=data)
    if found is not None:
        return Sent(publication, found, "found", started, timezone.now())
    # ``counted``: the batch already took this post's place in the account's rate window.
    window_end = None if counted else rate_take(account_id=account.pk, limit=connector.rate_limit, now=started)
    if window_end is not None:
        _release(publication, token=token, until=window_end)
        return "rate-limited"
    try:
        remote = connector.publish(data, content)
    except Exception as error:
        return _on_error(publication, error, account=account, uncertain=uncertain, **attempt)
    finally:
        if data.secrets_changed:
            account_save_secrets(account=account, data=data)
    return Sent(publication, remote, "published", started, timezone.now())


def publications_run(*, publication_ids: list[int], worker: str = "", run_each=map) -> list[str]:
    """Run a batch of publications; returns what happened to each, as :func:`publication_run` says
    (and "released": handed back unsent because the batch ran close to the end of its claim).

    The due ones nobody tried yet (nearly all, in a burst) are claimed together by one
    UPDATE under one claim token and loaded by one query; ``run_each`` (``map``, or a
    thread pool's) calls the networks; the posts they accepted are recorded, and their
    messages settled, in one transaction. The others (to check on the network, taken
    over from a dead worker, or not due) go through :func:`publication_run` one by one.
    A worker killed before the record leaves its rows claimed: once the lease passes,
    the next run looks for them on the network first, as for one killed during a call.
    """
    now = timezone.now()
    worker = worker or worker_name()
    token = new_code()
    unique = list(dict.fromkeys(publication_ids))
    taken = {"claim_token": token, "claimed_until": now + lease(), "attempts": F("attempts") + 1}
    claimed: dict[int, Publication] = {}
    counted: set[int] = set()
    if PUBLICATION.move(
        ids=unique, transition="claim", sources=[State.PENDING], where={"next_try_at__lte": now}, **taken
    ):
        claimed = {p.pk: p for p in _loading().filter(claim_token=token, state=State.PUBLISHING)}
        active = [p for p in claimed.values() if p.account.status == ConnectedAccount.Status.ACTIVE]
        counted = rate_take_many(publications=active, now=now)

    # A long batch on slow networks must not outlive its claim: past this, the rest are handed back.
    deadline = now + lease() - timedelta(seconds=settings.NETWORK_TIMEOUT_SECONDS + 5)

    def one(pk: int) -> Sent | str:
        if pk not in claimed:
            return publication_run(publication_id=pk, worker=worker)
        if timezone.now() > deadline:
            _release(claimed[pk], token=token, until=timezone.now())  # nothing was sent: due again at once
            return "released"
        return _send(claimed[pk], token=token, started=now, worker=worker, uncertain=False, counted=pk in counted)

    results = dict(zip(unique, run_each(one, unique), strict=True))
    sent = [result for pk, result in results.items() if isinstance(result, Sent)]
    if sent:
        _finish_published_many(sent, token=token, worker=worker)
    outcomes, seen = [], set()
    for pk in publication_ids:
        result = results[pk] if pk not in seen else "taken"  # the same id twice in a batch runs once
        seen.add(pk)
        outcomes.append(result.outcome if isinstance(result, Sent) else result)
    return outcomes


def _on_error(publication, error: Exception, *, account, uncertain: bool, token, started, worker) -> str:
    """What a failed call to the network means for the publication."""
    attempt = {"token": token, "started": started, "worker": worker}
    if isinstance(error, UncertainOutcome):
        return _retry(publication, error=error, state=State.CHECKING, **attempt)
    if isinstance(error, TransientError):
        # Transient while checking: still uncertain, so the next try checks again.
        return _retry(publication, error=error, state=State.CHECKING if uncertain else State.PENDING, **attempt)
    if isinstance(error, AuthError):
        from terrain.atelier.services.accounts import account_mark_broken

        _finish_failed(publication, outcome="auth", reason=error.message, status_code=error.status, **attempt)
        account_mark_broken(account=account, error=error.message)
        return "failed"
    if isinstance(error, PermanentError):
        _finish_failed(publication, outcome="permanent", reason=error.message, status_code=error.status, **attempt)
        return "failed"
    # An unclassified error (a bug, a library surprise) after the request may
    # have left: never retry blindly, check on the network first.
    logger.error("Publication %s: unexpected error", publication.pk, exc_info=error)
    reason = _("An unexpected error happened while publishing: Terrain will look on the network, then try again.")
    return _retry(publication, error=ConnectorError(reason), state=State.CHECKING, **attempt)


def _attempt(publication, *, started, worker, outcome, error="", status_code=None) -> None:
    PublicationAttempt.objects.create(
        publication=publication,
        started_at=started,
        finished_at=timezone.now(),
        outcome=outcome,
        status_code=status_code,
        error=error[:4000],
        worker=worker[:80],
    )


def _move_mine(publication: Publication, token: str, transition: str, **values) -> int:
    """Move a publication this worker holds: only while its claim is still ours."""
    return PUBLICATION.move(
        ids=[publication.pk], transition=transition, sources=[State.PUBLISHING], where={"claim_token": token}, **values
    )


@transaction.atomic
def _finish_published_many(sent: list[Sent], *, token: str, worker: str) -> None:
    """Record posts the networks accepted, and settle their messages: one transaction."""
    # One statement run for each row (no query to build per row): only rows still ours are marked.
    PUBLICATION.move(
        ids=[],
        transition="record_published",
        sources=[State.PUBLISHING],
        where={"claim_token": token},
        each={
            item.publication.pk: {
                "remote_id": item.remote.remote_id,
                "remote_url": item.remote.url[:500],
                "published_at": item.at,
            }
            for item in sent
        },
        claimed_until=None,
        last_error="",
    )
    ours = set(
        Publication.objects.filter(
            pk__in=[item.publication.pk for item in sent], claim_token=token, state=State.PUBLISHED
        ).values_list("pk", flat=True)
    )
    # Not ours: our lease ran out and another worker took over; it checks the network and adopts our post.
    attempts = [
        PublicationAttempt(
            publication=item.publication,
            started_at=item.started,
            finished_at=item.at,
            outcome=item.outcome if item.publication.pk in ours else "stale",
            worker=worker[:80],
        )
        for item in sent
    ]
    settled = [item.publication.message_id for item in sent if item.publication.pk in ours]
    PublicationAttempt.objects.bulk_create(attempts)
    if settled:
        messages_settle(message_ids=settled)


@transaction.atomic
def _finish_failed(publication, *, token: str, started, worker, outcome: str, reason: str, status_code=None) -> None:
    updated = _move_mine(publication, token, "fail", claimed_until=None, last_error=reason[:4000])
    _attempt(publication, started=started, worker=worker, outcome=outcome, error=reason, status_code=status_code)
    if updated:
        message_settle(message_id=publication.message_id)


@transaction.atomic
def _retry(publication, *, token: str, started, worker, error: ConnectorError, state: str) -> str:
    attempts = Publication.objects.filter(pk=publication.pk).values_list("attempts", flat=True).first() or 1
    outcome = "uncertain" if state == State.CHECKING else "transient"
    _attempt(
        publication, started=started, worker=worker, outcome=outcome, error=error.message, status_code=error.status
    )
    if attempts >= settings.ATELIER_PUBLISH_MAX_ATTEMPTS:
        reason = _("The network did not answer after %(count)s attempts: %(error)s") % {
            "count": attempts,
            "error": error.message,
        }
        if _move_mine(publication, token, "fail", claimed_until=None, last_error=reason[:4000]):
            message_settle(message_id=publication.message_id)
        return "failed"
    wait = backoff(attempts, getattr(error, "retry_after", None))
    _move_mine(
        publication,
        token,
        "check" if state == State.CHECKING else "retry",
        next_try_at=timezone.now() + wait,
        claimed_until=None,
        last_error=error.message[:4000],
    )
    return "checking" if state == State.CHECKING else "retry"


def _release(publication, *, token: str, until: datetime) -> None:
    # Not an attempt: nothing was sent, so the claim's attempt is given back.
    _move_mine(publication, token, "release", next_try_at=until, claimed_until=None, attempts=F("attempts") - 1)


# --- When every publication of a message is final ------------------------------------------
def message_page(message: Message) -> str:
    return reverse("atelier:message_detail", args=[message.code])


def sentences(parts: list[str]) -> str:
    """Parts joined as sentences: a part that already ends one (a network's reason often
    does) gets no second full stop ("publié.. Publié sur")."""
    return " ".join(part if part.rstrip().endswith((".", "!", "?", "…")) else f"{part}." for part in parts if part)


def message_settle(*, message_id: int) -> None:
    messages_settle(message_ids=[message_id])


def messages_settle(*, message_ids: list[int]) -> None:
    """For each message with no publication left to run: its status, event, the author told, hooks.

    The message rows are locked (in id order, so that two workers never wait on each
    other) so that two workers finishing a message's last two publications at once
    cannot both miss (or both do) the settling. Call inside a transaction.
    """
    messages = list(
        Message.objects.select_for_update(of=("self",))
        .select_related("author", "structure")
        # Published too: a partly published message whose failed part was tried again settles again.
        .filter(pk__in=set(message_ids), status__in=SETTLING)
        .order_by("pk")
    )
    if not messages:
        return
    by_message: dict[int, list[Publication]] = {m.pk: [] for m in messages}
    for publication in (
        Publication.objects.filter(message__in=messages).exclude(state=State.CANCELLED).select_related("account")
    ):
        by_message[publication.message_id].append(publication)
    from terrain.feed.models import Notification

    summary_max = Notification._meta.get_field("summary").max_length
    settled, events, notes, published_messages, failed_messages = [], [], [], {}, []
    for message in messages:
        publications = by_message[message.pk]
        if not publications or any(p.state in UNFINISHED for p in publications):
            continue
        published = [p for p in publications if p.state == State.PUBLISHED]
        failed = [p for p in publications if p.state == State.FAILED]
        if published:
            published_messages[message] = min(p.published_at for p in published)
        elif message.status == Message.Status.PUBLISHED:
            # Its published part went with a deleted account: it went out once, it stays published.
            published_messages[message] = message.published_at
        else:
            failed_messages.append(message)
        author = message.author
        with translation.override(getattr(author, "language", None) or settings.LANGUAGE_CODE):
            lines = []  # the failure first: the summary of a notification is short
            if failed:
                failures = "; ".join(
                    _("%(account)s: %(error)s") % {"account": p.account, "error": p.last_error} for p in failed
                )
                lines.append(_("Not published on %(failures)s") % {"failures": failures})
            if published:
                accounts = ", ".join(str(p.account) for p in published)
                lines.append(_("Published on %(accounts)s") % {"accounts": accounts})
            text = sentences(lines)
        kind = MessageEvent.Kind.PUBLISHED if published else MessageEvent.Kind.FAILED
        events.append(MessageEvent(message=message, kind=kind, text=text))
        settled.append(message)
        if author is not None:
            notes.append(
                (
                    author,
                    {
                        "reason": "publication_failed" if failed else "message_published",
                        # Within the column (PostgreSQL refuses longer): a network's reason can be long.
                        "summary": shorten(f"{shorten(message.title or message.body, 60)} — {text}", summary_max),
                        "target_url": message_page(message),
                    },
                )
            )
    if not settled:
        return
    from terrain.feed.services import notifications_create_many

    if published_messages:
        MESSAGE.move(
            ids=list(published_messages),
            transition="settle_published",
            each={message.pk: {"published_at": at} for message, at in published_messages.items()},
        )
    if failed_messages:
        MESSAGE.move(ids=failed_messages, transition="settle_failed")
    MessageEvent.objects.bulk_create(events)
    notifications_create_many(notes)
    if published_messages:
        hooked = list(published_messages)
        transaction.on_commit(lambda: run_published_hooks(messages=hooked))


def run_published_hooks(*, messages: list[Message]) -> None:
    """Call every ``settings.ATELIER_ON_PUBLISHED`` hook with the messages just published.

    One failing hook does not stop the others.
    """
    for path in getattr(settings, "ATELIER_ON_PUBLISHED", []):
        try:
            import_string(path)(messages=messages)
        except Exception:
            logger.exception("Hook %s failed for messages %s", path, [m.pk for m in messages])
