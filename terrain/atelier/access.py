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

from django.db import connection
from django.http import Http404

from terrain.atelier.models import ConnectedAccount, Message, Strategy
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.lib.rows import Table, joined
from terrain.structures.access import StructureAccess, grant_columns, grants_row
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


def _named_in_strategy(field_name: str) -> str:
    """An SQL column: is the person named in the strategy's ``field_name`` (writers, approvers)
    of the structure aliased ``s``."""
    quote = connection.ops.quote_name
    field = Strategy._meta.get_field(field_name)
    through = quote(field.remote_field.through._meta.db_table)
    strategy_column, user_column = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
    return (
        f"EXISTS (SELECT 1 FROM {through} n JOIN {quote(Strategy._meta.db_table)} st"  # noqa: S608 (names)
        f" ON st.id = n.{strategy_column} WHERE st.structure_id = s.id AND n.{user_column} = %s)"
    )


def _atelier_columns(user) -> tuple[list[str], list]:
    """The columns of the viewer's roles in the workshop of the structure aliased ``s``: official
    here, official above, member (``structures.access.grant_columns``), writer, approver."""
    columns, params = grant_columns(user=user)
    return [*columns, _named_in_strategy("writers"), _named_in_strategy("approvers")], [*params, user.pk, user.pk]


def _access_of(structure: Structure, answers: tuple) -> AtelierAccess:
    here, above, member, is_writer, is_approver = (bool(answer) for answer in answers)
    base = StructureAccess(structure, is_member=member, is_official_here=here, is_official_above=above)
    if not base.can_see:
        return AtelierAccess(structure, False, False, False, False)
    return AtelierAccess(
        structure=structure,
        can_see_structure=True,
        is_manager=base.can_manage,
        is_approver=is_approver,
        is_writer=is_writer,
    )


def atelier_access(*, user, structure: Structure) -> AtelierAccess:
    """The viewer's roles in the workshop, in one statement with the structure's own access."""
    if user is None or not user.is_authenticated or not user.is_active:
        return AtelierAccess(structure, False, False, False, False)
    columns, params = _atelier_columns(user)
    return _access_of(structure, grants_row(columns, params, structure=structure))


def atelier_access_by_code(*, user, code: str) -> AtelierAccess | None:
    """The structure ``code`` (with its parent) and the viewer's roles in its workshop, in one
    statement; None if there is no such structure. The viewer is signed in."""
    select = joined(connection, Table(Structure, "s"), Table(Structure, "p"))
    columns, params = _atelier_columns(user)
    table = connection.ops.quote_name(Structure._meta.db_table)
    sql = (
        f"SELECT {select.columns}, {', '.join(columns)} FROM {table} s"  # noqa: S608 (names)
        f" LEFT JOIN {table} p ON p.id = s.parent_id WHERE s.code = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, code])
        rows = cursor.fetchall()
    if not rows:
        return None
    (structure, parent), answers = select.instances(rows)[0], rows[0][select.width :]
    Structure._meta.get_field("parent").set_cached_value(structure, parent)
    if not user.is_active:
        return AtelierAccess(structure, False, False, False, False)
    return _access_of(structure, answers)


def _require(access: AtelierAccess, need: Need | str) -> AtelierAccess:
    if not access.can_see_structure:
        raise Http404
    return access.require(need)


def get_atelier_for(request, code: str, *, need: Need | str = Need.WRITE) -> AtelierAccess:
    """The workshop of the structure ``code`` if the viewer has ``need`` in it."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    access = atelier_access_by_code(user=request.user, code=code)
    if access is None:
        raise Http404
    return _require(access, need)


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
