"""Who may read or curate a FAQ theme, entry or proposed question. Every view goes through here.

Members of a cooperative read its FAQ, and the entries offered to it by the cooperatives of the
structures above it; its facilitators curate its own themes and entries, hide offered ones, and
answer or decline proposed questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from terrain.cooperatives.access import CooperativeAccess, cooperative_access, get_cooperative_for
from terrain.cooperatives.models import Cooperative, Membership
from terrain.faq.models import Entry, Proposal, Theme
from terrain.faq.tools import FAQ
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code


def faq_access_for(request, code: str, *, need: Need | str = Need.READ) -> CooperativeAccess:
    """The cooperative ``code`` with the viewer's rights, its FAQ turned on."""
    return get_cooperative_for(request, code, need=need).require_tool(FAQ)


def _member_access(request, cooperative: Cooperative) -> CooperativeAccess:
    access = cooperative_access(user=request.user, cooperative=cooperative)
    if not access.can_read:
        raise Http404
    return access.require_tool(FAQ)


@dataclass(frozen=True)
class ThemeAccess(Grants):
    needs = frozenset({Need.READ, Need.EDIT, Need.DELETE})

    theme: Theme
    cooperative: CooperativeAccess

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_read

    @property
    def can_edit(self) -> bool:
        return self.cooperative.can_animate and not self.cooperative.cooperative.is_archived

    @property
    def can_delete(self) -> bool:
        return self.can_edit


def get_theme_for(request, code: str, *, need: Need | str = Need.READ) -> ThemeAccess:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    theme = Theme.objects.select_related("cooperative__structure").filter(code=code).first()
    if theme is None:
        raise Http404
    return ThemeAccess(theme=theme, cooperative=_member_access(request, theme.cooperative)).require(need)


@dataclass(frozen=True)
class EntryAccess(Grants):
    """An entry as read in ``cooperative``: its own (``is_own``) or offered to it from above."""

    needs = frozenset({Need.READ, Need.EDIT, Need.DELETE, Need.ANIMATE})

    entry: Entry
    cooperative: CooperativeAccess
    is_own: bool

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_read

    @property
    def can_edit(self) -> bool:
        return self.is_own and self.cooperative.can_animate and not self.cooperative.cooperative.is_archived

    @property
    def can_delete(self) -> bool:
        return self.can_edit

    @property
    def can_animate(self) -> bool:
        """Curate it here: edit an own entry, hide an offered one."""
        return self.cooperative.can_animate

    @property
    def can_offer(self) -> bool:
        """Offer it below: only a structure's cooperative has structures below it."""
        return self.can_edit and self.entry.cooperative.structure_id is not None


def get_entry_for(request, code: str, *, need: Need | str = Need.READ) -> EntryAccess:
    """The entry ``code`` in its own cooperative, for its members (read) and facilitators (curate);
    404 for anyone else. An entry offered below is read there through ``entry_read_in``."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    entry = (
        Entry.objects.select_related("cooperative__structure", "theme", "author", "last_editor")
        .filter(code=code, deleted_at__isnull=True)
        .first()
    )
    if entry is None:
        raise Http404
    access = _member_access(request, entry.cooperative)
    return EntryAccess(entry=entry, cooperative=access, is_own=True).require(need)


def entry_open_for(request, code: str) -> EntryAccess:
    """The entry ``code`` in a cooperative of the viewer where they read it (FAQ on there): its own
    cooperative first, else the deepest cooperative below it that it is offered to (hidden there
    or not: hiding only takes it out of the list). 404 for anyone else. Two queries."""
    if not looks_like_code(code) or not request.user.is_authenticated or not request.user.is_active:
        raise Http404
    entry = (
        Entry.objects.select_related("cooperative__structure", "theme")
        .filter(code=code, deleted_at__isnull=True)
        .first()
    )
    if entry is None:
        raise Http404
    where = Q(cooperative_id=entry.cooperative_id)
    source = entry.cooperative.structure
    if entry.offered_at is not None and source is not None:
        where |= Q(cooperative__structure__path__startswith=source.path) & ~Q(cooperative__structure_id=source.pk)
    memberships = (
        Membership.objects.filter(where, user=request.user)
        .select_related("cooperative__structure")
        .order_by("-cooperative__structure__depth", "cooperative_id")
    )
    readable = [m for m in memberships if m.cooperative.tool_on(FAQ)]
    if not readable:
        raise Http404
    chosen = next((m for m in readable if m.cooperative_id == entry.cooperative_id), readable[0])
    access = CooperativeAccess(cooperative=chosen.cooperative, membership=chosen)
    return EntryAccess(entry=entry, cooperative=access, is_own=chosen.cooperative_id == entry.cooperative_id)


def entry_read_in(request, access: CooperativeAccess, code: str, *, need: Need | str = Need.READ) -> EntryAccess:
    """The entry ``code`` as read in the cooperative of ``access`` (already checked, FAQ on): one of
    its own, or one offered to it from a structure above, hidden there or not (hiding only takes it
    out of the list: its page still opens, e.g. from a search result, and its facilitators show it
    again from there). 404 otherwise."""
    from terrain.faq.selectors import faq_entries_visible_in, offered_entries_for

    if not looks_like_code(code):
        raise Http404
    cooperative = access.cooperative
    entry = (
        offered_entries_for(cooperative, with_hidden=True).filter(code=code).first()
        or faq_entries_visible_in(cooperative, request.user).filter(code=code).first()
    )
    if entry is None:
        raise Http404
    return EntryAccess(entry=entry, cooperative=access, is_own=entry.cooperative_id == cooperative.pk).require(need)


@dataclass(frozen=True)
class ProposalAccess(Grants):
    needs = frozenset({Need.READ, Need.EDIT})

    proposal: Proposal
    cooperative: CooperativeAccess
    user_id: int

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_animate or self.proposal.proposed_by_id == self.user_id

    @property
    def can_edit(self) -> bool:
        """Answer, edit or decline it: the facilitators, while it waits."""
        return (
            self.cooperative.can_animate
            and self.proposal.status == Proposal.Status.PENDING
            and not self.cooperative.cooperative.is_archived
        )


def get_proposal_for(request, code: str, *, need: Need | str = Need.READ) -> ProposalAccess:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    proposal = Proposal.objects.select_related("cooperative__structure", "proposed_by").filter(code=code).first()
    if proposal is None:
        raise Http404
    access = ProposalAccess(
        proposal=proposal, cooperative=_member_access(request, proposal.cooperative), user_id=request.user.pk
    )
    if not access.can_read:
        raise Http404
    return access.require(need)
