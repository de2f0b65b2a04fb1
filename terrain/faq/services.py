"""Writes of the FAQ. Every write is one transaction; e-mails leave on commit.

``faq_entry_create`` is also the door for other apps (the forum turns an answered topic into an
entry through it, with ``source_url``/``source_label`` pointing back at the topic).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from terrain.cooperatives.models import Cooperative, Membership
from terrain.faq.models import Entry, HiddenEntry, Proposal, Theme
from terrain.feed.models import Notification
from terrain.feed.services import activities_delete, activity_record, notifications_create
from terrain.lib.html import sanitize_rich_text
from terrain.lib.text import shorten
from terrain.search.services import search_index, search_remove

SEARCH_KIND = "faq"
# The entries offered below, found by the members of the cooperatives below (``search_documents``).
SEARCH_KIND_OFFERED = "faqoffered"
ENTRY_ADDED = "faq_entry_added"


class EntryConflict(Exception):
    """The entry was saved by someone else since the form was opened: ``current`` is what is stored now."""

    def __init__(self, current: Entry):
        super().__init__("The FAQ entry changed since it was opened.")
        self.current = current


def entry_url(entry: Entry, cooperative: Cooperative | None = None) -> str:
    """The entry's permanent link, read in ``cooperative`` (its own by default)."""
    return reverse("faq:entry", args=[(cooperative or entry.cooperative).code, entry.code])


def entry_open_url(entry: Entry) -> str:
    """A link to the entry for anyone who may read it, wherever they read it (``views.entry_open``)."""
    return reverse("faq:entry_open", args=[entry.code])


def _next_position(queryset) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


# --- Themes ----------------------------------------------------------------------------


@transaction.atomic
def theme_create(*, cooperative: Cooperative, name: str, by) -> Theme:
    return Theme.objects.create(
        cooperative=cooperative,
        name=name.strip(),
        position=_next_position(Theme.objects.filter(cooperative=cooperative)),
    )


@transaction.atomic
def theme_rename(*, theme: Theme, name: str, by) -> Theme:
    theme.name = name.strip()
    theme.save(update_fields=["name", "updated_at"])
    return theme


def _swap(items: list, index: int, step: int) -> None:
    """Swap the item at ``index`` with its neighbour ``step`` away, renumbering the whole list."""
    other = index + step
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            type(item).objects.filter(pk=item.pk).update(position=position)
            item.position = position


@transaction.atomic
def theme_move(*, theme: Theme, step: int, by) -> None:
    """Move a theme up (``step=-1``) or down (``1``) in its FAQ."""
    themes = list(Theme.objects.select_for_update().filter(cooperative_id=theme.cooperative_id))
    index = next(i for i, t in enumerate(themes) if t.pk == theme.pk)
    _swap(themes, index, step)


@transaction.atomic
def theme_delete(*, theme: Theme, by) -> None:
    """Delete an empty theme; one that still holds questions is refused (move or delete them first)."""
    if Entry.objects.filter(theme=theme, deleted_at__isnull=True).exists():
        raise ValidationError(_("This theme still holds questions: move or delete them first."), code="not_empty")
    theme.delete()


# --- Entries ---------------------------------------------------------------------------


@transaction.atomic
def faq_entry_create(
    *,
    cooperative: Cooperative,
    theme: Theme,
    question: str,
    answer_html: str,
    by,
    source_url: str = "",
    source_label: str = "",
) -> Entry:
    """A new entry at the end of ``theme``: in the feed of the cooperative and in its search."""
    if theme.cooperative_id != cooperative.pk:
        raise ValueError("The theme belongs to another cooperative.")
    # Shown as a link: a path of this site or a web address, never a script.
    if source_url and not source_url.startswith(("/", "https://", "http://")):
        raise ValueError(f"A FAQ entry's source is a path or a web address, not {source_url!r}.")
    entry = Entry.objects.create(
        cooperative=cooperative,
        theme=theme,
        question=question.strip(),
        answer_html=sanitize_rich_text(answer_html),
        position=_next_position(Entry.objects.filter(theme=theme)),
        author=by,
        last_editor=by,
        source_url=source_url,
        source_label=source_label[:200],
    )
    activity_record(cooperative=cooperative, actor=by, verb=ENTRY_ADDED, target=entry)
    search_index(kind=SEARCH_KIND, objects=[entry])
    return entry


@transaction.atomic
def entry_update(*, entry: Entry, version: int, question: str, answer_html: str, theme: Theme, by) -> Entry:
    """Save an edit made on ``version``. Raises ``EntryConflict`` when someone saved since: the
    conditional UPDATE writes nothing then, so no edit is ever silently lost."""
    if theme.cooperative_id != entry.cooperative_id:
        raise ValueError("The theme belongs to another cooperative.")
    fields = {
        "question": question.strip(),
        "answer_html": sanitize_rich_text(answer_html),
        "theme": theme,
        "last_editor": by,
        "version": F("version") + 1,
        "updated_at": timezone.now(),
    }
    if theme.pk != entry.theme_id:
        fields["position"] = _next_position(Entry.objects.filter(theme=theme))
    updated = Entry.objects.filter(pk=entry.pk, version=version, deleted_at__isnull=True).update(**fields)
    current = Entry.objects.select_related("theme", "last_editor", "cooperative__structure").get(pk=entry.pk)
    if not updated:
        raise EntryConflict(current)
    search_index(kind=SEARCH_KIND, objects=[current])
    if current.offered_at is not None:
        search_index(kind=SEARCH_KIND_OFFERED, objects=[current])
    return current


@transaction.atomic
def entry_move(*, entry: Entry, step: int, by) -> None:
    """Move an entry up (``step=-1``) or down (``1``) within its theme."""
    entries = list(Entry.objects.select_for_update().filter(theme_id=entry.theme_id, deleted_at__isnull=True))
    index = next(i for i, e in enumerate(entries) if e.pk == entry.pk)
    _swap(entries, index, step)


@transaction.atomic
def entry_delete(*, entry: Entry, by) -> None:
    """Soft delete: gone from the FAQ, the feed and the search, kept for the record."""
    Entry.objects.filter(pk=entry.pk).update(deleted_at=timezone.now(), deleted_by=by, version=F("version") + 1)
    search_remove(kind=SEARCH_KIND, ids=[entry.pk])
    search_remove(kind=SEARCH_KIND_OFFERED, ids=[entry.pk])
    activities_delete(verbs=[ENTRY_ADDED], targets=[entry])


@transaction.atomic
def entry_offer(*, entry: Entry, offered: bool, by) -> Entry:
    """Offer the entry to the cooperatives of the structures below (or take it back)."""
    if offered and entry.cooperative.structure_id is None:
        raise ValidationError(_("Only a structure's cooperative can offer questions below it."), code="no_structure")
    entry.offered_at = timezone.now() if offered else None
    Entry.objects.filter(pk=entry.pk).update(offered_at=entry.offered_at)
    # Found below while it is offered, gone from there as soon as it is taken back.
    search_index(kind=SEARCH_KIND_OFFERED, objects=[entry])
    return entry


@transaction.atomic
def entry_hide(*, entry: Entry, cooperative: Cooperative, hidden: bool, by) -> None:
    """Hide (or show again) an offered entry in ``cooperative``."""
    if hidden:
        HiddenEntry.objects.get_or_create(entry=entry, cooperative=cooperative, defaults={"hidden_by": by})
    else:
        HiddenEntry.objects.filter(entry=entry, cooperative=cooperative).delete()


# --- Proposed questions ----------------------------------------------------------------


def _animateurs(cooperative: Cooperative):
    from terrain.accounts.models import User

    return list(
        User.objects.filter(
            pk__in=Membership.objects.filter(cooperative=cooperative, role=Membership.Role.ANIMATEUR).values("user_id"),
            is_active=True,
        )
    )


@transaction.atomic
def proposal_create(*, cooperative: Cooperative, question: str, context: str, by) -> Proposal:
    """A member proposes a question; the facilitators hear of it."""
    proposal = Proposal.objects.create(
        cooperative=cooperative, question=question.strip(), context=context.strip(), proposed_by=by
    )
    notifications_create(
        users=_animateurs(cooperative),
        reason=Notification.Reason.FAQ_PROPOSAL,
        actor=by,
        cooperative=cooperative,
        summary=shorten(proposal.question, 200),
        target_url=reverse("faq:proposals", args=[cooperative.code]),
    )
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, question: str, context: str, by) -> Proposal:
    """A facilitator rewords a waiting question before answering it."""
    proposal.question = question.strip()
    proposal.context = context.strip()
    proposal.save(update_fields=["question", "context", "updated_at"])
    return proposal


def _claim(proposal: Proposal, by, **fields) -> None:
    """Close a waiting proposal, once: a second answer or decline finds it closed."""
    closed = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PENDING).update(
        decided_by=by, decided_at=timezone.now(), updated_at=timezone.now(), **fields
    )
    if not closed:
        raise ValidationError(_("This question was already answered or declined."), code="closed")


@transaction.atomic
def proposal_answer(*, proposal: Proposal, theme: Theme, question: str, answer_html: str, by) -> Entry:
    """Answer a proposed question: it becomes an entry, and its author hears of it."""
    entry = faq_entry_create(
        cooperative=proposal.cooperative, theme=theme, question=question, answer_html=answer_html, by=by
    )
    _claim(proposal, by, status=Proposal.Status.ANSWERED)
    Proposal.objects.filter(pk=proposal.pk).update(entry=entry)
    _tell_proposer(proposal, by=by, answered=True, link=entry_url(entry), text="")
    return entry


@transaction.atomic
def proposal_decline(*, proposal: Proposal, reason: str, by) -> None:
    """Decline a proposed question with a reason, told to its author."""
    _claim(proposal, by, status=Proposal.Status.DECLINED, decline_reason=reason.strip())
    _tell_proposer(
        proposal, by=by, answered=False, link=reverse("faq:home", args=[proposal.cooperative.code]), text=reason
    )


def _tell_proposer(proposal: Proposal, *, by, answered: bool, link: str, text: str) -> None:
    user = proposal.proposed_by
    if user is None or not user.is_active:
        return
    with translation.override(user.language or settings.LANGUAGE_CODE):
        if answered:
            summary = _("Your question was answered: %(question)s")
        else:
            summary = _("Your question was declined: %(question)s")
        summary = summary % {"question": shorten(proposal.question, 150)}
    notifications_create(
        users=[user],
        reason=Notification.Reason.FAQ_ANSWERED if answered else Notification.Reason.FAQ_DECLINED,
        actor=by,
        cooperative=proposal.cooperative,
        summary=summary,
        target_url=link,
    )
    if not (user.email and user.email_notifications):
        return
    context = {
        "answered": answered,
        "question": proposal.question,
        "cooperative": proposal.cooperative.name,
        "actor": getattr(by, "display_name", ""),
        "reason": text,
        "link": settings.SITE_URL + link,
        "site_name": getattr(settings, "SITE_NAME", "Terrain"),
    }

    def send() -> None:
        from terrain.accounts.services import email_send

        with translation.override(user.language or settings.LANGUAGE_CODE):
            email_send(template="faq/email/proposal_decided", context=context, to=[user.email])

    transaction.on_commit(send)
