"""Who may see or manage a structure. Every view goes through here.

A structure is seen by its members (the members of its private cooperative)
and by the officials of it or of any structure above it. It is managed by
its officials and those of the structures above. Anyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.http import Http404

from terrain.cooperatives.models import Cooperative, Membership
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.structures.models import Official, Structure


@dataclass(frozen=True)
class StructureAccess(Grants):
    needs = frozenset({Need.SEE, Need.MANAGE})

    structure: Structure
    is_member: bool
    is_official_here: bool
    is_official_above: bool

    @property
    def can_see(self) -> bool:
        return self.is_member or self.is_official_here or self.is_official_above

    @property
    def can_manage(self) -> bool:
        return self.is_official_here or self.is_official_above


def grant_columns(*, user) -> tuple[list[str], list]:
    """What ``structure_access`` asks of the structure aliased ``s`` in a statement, as SQL
    columns and their parameters: an official of it, an official of a structure above it (whose
    materialised path begins its own), a member of it.

    The workshop's access adds its own columns to the same statement: the access check runs on
    every page of a structure, one statement is one round trip (CONTRIBUTING, "Hot reads")."""
    quote = connection.ops.quote_name
    officials, structures = quote(Official._meta.db_table), quote(Structure._meta.db_table)
    memberships, cooperatives = quote(Membership._meta.db_table), quote(Cooperative._meta.db_table)
    columns = [
        f"EXISTS (SELECT 1 FROM {officials} o WHERE o.user_id = %s AND o.structure_id = s.id)",  # noqa: S608
        f"EXISTS (SELECT 1 FROM {officials} o JOIN {structures} a ON a.id = o.structure_id"  # noqa: S608
        " WHERE o.user_id = %s AND a.id <> s.id AND s.path LIKE a.path || '%%')",
        f"EXISTS (SELECT 1 FROM {memberships} m JOIN {cooperatives} k ON k.id = m.cooperative_id"  # noqa: S608
        " WHERE m.user_id = %s AND k.structure_id = s.id)",
    ]
    return columns, [user.pk, user.pk, user.pk]


def grants_row(columns: list[str], params: list, *, structure: Structure) -> tuple[bool, ...]:
    """The answers of ``columns`` (``grant_columns`` and others) for ``structure``, in one statement."""
    table = connection.ops.quote_name(Structure._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} s WHERE s.id = %s", [*params, structure.pk])  # noqa: S608
        row = cursor.fetchone()
    return tuple(bool(value) for value in row) if row else (False,) * len(columns)


def structure_access(*, user, structure: Structure) -> StructureAccess:
    if user is None or not user.is_authenticated or not user.is_active:
        return StructureAccess(structure, False, False, False)
    columns, params = grant_columns(user=user)
    is_official_here, is_official_above, is_member = grants_row(columns, params, structure=structure)
    return StructureAccess(
        structure=structure,
        is_member=is_member,
        is_official_here=is_official_here,
        is_official_above=is_official_above,
    )


def get_structure_for(request, code: str, *, need: Need | str = Need.SEE) -> StructureAccess:
    """The structure named by ``code`` with the viewer's rights (404 unless they may see it)."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    structure = Structure.objects.select_related("parent", "cooperative").filter(code=code).first()
    if structure is None:
        raise Http404
    access = structure_access(user=request.user, structure=structure)
    if not access.can_see:
        raise Http404
    return access.require(need)
