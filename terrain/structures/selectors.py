"""Reads of structures and mandates, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from terrain.cooperatives.models import Membership
from terrain.structures.access import StructureAccess
from terrain.structures.models import ALLOWED_PARENTS, Official, Structure, StructureKind


@dataclass
class StructureNode:
    """A structure in someone's tree: their mandates there, whether they are a member, what is below."""

    structure: Structure
    roles: list[str] = field(default_factory=list)
    is_member: bool = False
    children: list[StructureNode] = field(default_factory=list)


def _outermost(paths: set[str]) -> list[str]:
    """Paths that are not below another of ``paths``: their prefixes already cover the rest."""
    ordered = sorted(paths, key=len)
    kept: list[str] = []
    for path in ordered:
        if not any(path.startswith(shorter) for shorter in kept):
            kept.append(path)
    return kept


def structure_tree_of(user) -> list[StructureNode]:
    """The structures ``user`` belongs to or holds a mandate in, as a forest.

    Under each structure where they hold a mandate come all its
    sub-structures, at any depth, found with one prefix query on the
    materialised path. Three queries whatever the size of the tree.
    """
    mandates = list(
        Official.objects.filter(user=user).select_related("structure__cooperative").order_by("structure_id", "role")
    )
    member_of = list(Structure.objects.filter(cooperative__memberships__user=user).select_related("cooperative"))
    structures: dict[int, Structure] = {s.pk: s for s in member_of}
    roles: dict[int, list[str]] = defaultdict(list)
    for mandate in mandates:
        structures.setdefault(mandate.structure_id, mandate.structure)
        roles[mandate.structure_id].append(mandate.get_role_display())
    prefixes = _outermost({m.structure.path for m in mandates})
    if prefixes:
        below = Structure.objects.filter(reduce(or_, (Q(path__startswith=p) for p in prefixes))).exclude(
            pk__in=list(structures)
        )
        for structure in below.select_related("cooperative"):
            structures[structure.pk] = structure
    member_ids = {s.pk for s in member_of}
    nodes = {pk: StructureNode(s, roles.get(pk, []), pk in member_ids) for pk, s in structures.items()}
    roots: list[StructureNode] = []
    for node in sorted(nodes.values(), key=lambda n: (n.structure.depth, n.structure.name.lower(), n.structure.pk)):
        parent = nodes.get(node.structure.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def officials_of(structure: Structure) -> QuerySet[Official]:
    return Official.objects.filter(structure=structure).select_related("user").order_by("user__display_name", "role")


def official_held(structure: Structure, *, user_code: str, role: str) -> Official | None:
    """The mandate ``role`` held in ``structure`` by the person with code ``user_code``, if any."""
    official = (
        Official.objects.select_related("user").filter(structure=structure, user__code=user_code, role=role).first()
    )
    if official is not None:
        official.structure = structure  # already loaded, with its cooperative
    return official


def official_roles_by_user(structure: Structure) -> dict[int, list[str]]:
    """user id → the labels of their mandates in ``structure``."""
    roles: dict[int, list[str]] = defaultdict(list)
    for official in Official.objects.filter(structure=structure).order_by("role"):
        roles[official.user_id].append(official.get_role_display())
    return dict(roles)


def children_visible_to(access: StructureAccess, user) -> QuerySet[Structure]:
    """Direct sub-structures: all of them for whoever manages, else those ``user`` belongs to."""
    qs = Structure.objects.filter(parent=access.structure).select_related("cooperative").order_by("name", "pk")
    if not access.can_manage:
        qs = qs.filter(cooperative__memberships__user=user)
    return qs


def ancestors_for(structure: Structure, user) -> list[tuple[Structure, bool]]:
    """The structures above, top first, each with whether ``user`` may open it.

    One may open a structure one belongs to, or where one (or a structure
    above it) holds a mandate: the same rule as the access helper.
    """
    ids = structure.ancestor_ids()
    if not ids:
        return []
    found = {s.pk: s for s in Structure.objects.filter(pk__in=ids)}
    mandated = set(Official.objects.filter(user=user, structure_id__in=ids).values_list("structure_id", flat=True))
    member = set(
        Membership.objects.filter(user=user, cooperative__structure_id__in=ids).values_list(
            "cooperative__structure_id", flat=True
        )
    )
    chain: list[tuple[Structure, bool]] = []
    official_above = False
    for pk in ids:
        if pk not in found:
            continue
        official_above = official_above or pk in mandated
        chain.append((found[pk], official_above or pk in member))
    return chain


def kinds_allowed_under(parent: Structure) -> list[tuple[str, str]]:
    """The kinds of structure that may be created directly under ``parent``, as choices."""
    return [(value, label) for value, label in StructureKind.choices if parent.kind in ALLOWED_PARENTS[value]]
