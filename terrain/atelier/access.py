"""Who may use a structure's communication workshop. Every atelier view goes through here.

- managers: officials of the structure or of a structure above it; they set the
  strategy, connect accounts, write, approve and schedule;
- approvers (named in the strategy) approve and schedule;
- writers (named in the strategy) write and submit.

A signed-in person who cannot see the structure gets a 404 (its existence is not
disclosed); a member of the structure without a role in its workshop gets a 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.atelier.models import ConnectedAccount, Message, Strategy
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.structures.access import structure_access
from terrain.structures.models import Structure


@dataclass(frozen=True)
class AtelierAccess(Grants):
    needs = frozenset({Need.WRITE, Need.APPROVE, Need.MANAGE})

    structure: Structure
    can_see_structure: bool
    is_manager: bool
    is_approver: bool
    is_writer: bool

    @property
    def can_write(self) -> bool:
        return self.is_manager or self.is_approver or self.is_writer

    @property
    def can_approve(self) -> bool:
        return self.is_manager or self.is_approver

    @property
    def can_manage(self) -> bool:
        return self.is_manager


def atelier_access(*, user, structure: Structure) -> AtelierAccess:
    base = structure_access(user=user, structure=structure)
    if not base.can_see:
        return AtelierAccess(structure, False, False, False, False)
    strategy = Strategy.objects.filter(structure=structure).first()
    is_writer = is_approver = False
    if strategy is not None:
        is_writer = strategy.writers.filter(pk=user.pk).exists()
        is_approver = strategy.approvers.filter(pk=user.pk).exists()
    return AtelierAccess(
        structure=structure,
        can_see_structure=True,
        is_manager=base.can_manage,
        is_approver=is_approver,
        is_writer=is_writer,
    )


def _require(access: AtelierAccess, need: Need | str) -> AtelierAccess:
    if not access.can_see_structure:
        raise Http404
    return access.require(need)


def get_atelier_for(request, code: str, *, need: Need | str = Need.WRITE) -> AtelierAccess:
    """The workshop of the structure ``code`` if the viewer has ``need`` in it."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    structure = Structure.objects.select_related("parent").filter(code=code).first()
    if structure is None:
        raise Http404
    return _require(atelier_access(user=request.user, structure=structure), need)


def get_message_for(request, code: str, *, need: Need | str = Need.WRITE) -> tuple[Message, AtelierAccess]:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    message = Message.objects.select_related("structure", "author").filter(code=code).first()
    if message is None:
        raise Http404
    return message, _require(atelier_access(user=request.user, structure=message.structure), need)


def get_account_for(request, code: str, *, need: Need | str = Need.MANAGE) -> tuple[ConnectedAccount, AtelierAccess]:
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    account = ConnectedAccount.objects.select_related("structure").filter(code=code).first()
    if account is None:
        raise Http404
    return account, _require(atelier_access(user=request.user, structure=account.structure), need)
