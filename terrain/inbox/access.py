"""Who may use a structure's inbox. Every inbox view goes through here.

The inbox holds what outsiders wrote to the structure (names, handles, words): only its
communication team sees it, the people of its workshop (``terrain.atelier.access``):

- ``read``: read the threads, assign, tag, change their status, write internal notes and
  answers (an answer waits for approval when the workshop requires it);
- ``approve``: approve or refuse the answers waiting (the workshop's approvers and managers);
- ``manage``: keyword watches and saved answers (the structure's managers).

Someone who cannot see the structure gets a 404; a member of it outside the team, a 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.atelier.access import AtelierAccess, atelier_access, atelier_access_by_code
from terrain.inbox.models import Conversation, Crisis, Reply, SavedReply, Watch
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.structures.models import Structure


@dataclass(frozen=True)
class InboxAccess(Grants):
    needs = frozenset({Need.READ, Need.APPROVE, Need.MANAGE})

    workshop: AtelierAccess

    @property
    def structure(self) -> Structure:
        return self.workshop.structure

    @property
    def can_read(self) -> bool:
        return self.workshop.can_write

    @property
    def can_approve(self) -> bool:
        return self.workshop.can_approve

    @property
    def can_manage(self) -> bool:
        return self.workshop.can_manage


def inbox_access(*, user, structure: Structure) -> InboxAccess:
    return InboxAccess(atelier_access(user=user, structure=structure))


def _require(access: InboxAccess, need: Need | str) -> InboxAccess:
    if not access.workshop.can_see_structure:
        raise Http404
    return access.require(need)


def _signed_in_with_code(request, code: str) -> None:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404


def get_inbox_for(request, code: str, *, need: Need | str = Need.READ) -> InboxAccess:
    """The inbox of the structure ``code`` if the viewer has ``need`` in it."""
    _signed_in_with_code(request, code)
    workshop = atelier_access_by_code(user=request.user, code=code)
    if workshop is None:
        raise Http404
    return _require(InboxAccess(workshop), need)


def get_conversation_for(request, code: str, *, need: Need | str = Need.READ) -> tuple[Conversation, InboxAccess]:
    _signed_in_with_code(request, code)
    conversation = (
        Conversation.objects.select_related("structure", "account", "watch", "assignee").filter(code=code).first()
    )
    if conversation is None:
        raise Http404
    return conversation, _require(inbox_access(user=request.user, structure=conversation.structure), need)


def get_reply_for(request, code: str, *, need: Need | str = Need.APPROVE) -> tuple[Reply, InboxAccess]:
    _signed_in_with_code(request, code)
    reply = Reply.objects.select_related("conversation__structure", "item").filter(code=code).first()
    if reply is None:
        raise Http404
    return reply, _require(inbox_access(user=request.user, structure=reply.conversation.structure), need)


def get_watch_for(request, code: str, *, need: Need | str = Need.MANAGE) -> tuple[Watch, InboxAccess]:
    _signed_in_with_code(request, code)
    watch = Watch.objects.select_related("structure").filter(code=code).first()
    if watch is None:
        raise Http404
    return watch, _require(inbox_access(user=request.user, structure=watch.structure), need)


def get_saved_reply_for(request, code: str, *, need: Need | str = Need.MANAGE) -> tuple[SavedReply, InboxAccess]:
    _signed_in_with_code(request, code)
    saved = SavedReply.objects.select_related("structure").filter(code=code).first()
    if saved is None:
        raise Http404
    return saved, _require(inbox_access(user=request.user, structure=saved.structure), need)


def get_crisis_for(request, code: str, *, need: Need | str = Need.READ) -> tuple[Crisis, InboxAccess]:
    _signed_in_with_code(request, code)
    crisis = Crisis.objects.select_related("structure", "closed_by", "statement_updated_by").filter(code=code).first()
    if crisis is None:
        raise Http404
    return crisis, _require(inbox_access(user=request.user, structure=crisis.structure), need)
