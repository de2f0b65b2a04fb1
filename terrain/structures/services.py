"""Every write on structures and mandates goes through these functions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from terrain.cooperatives.models import Cooperative, Membership
from terrain.cooperatives.services import membership_add
from terrain.structures.models import ALLOWED_PARENTS, Official, Structure


@transaction.atomic
def structure_create(
    *,
    kind: str,
    name: str,
    parent: Structure | None = None,
    departement: str = "",
    commune: str = "",
    description: str = "",
) -> Structure:
    """Create a structure and its private cooperative (whose members are the structure's members)."""
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise ValidationError(_("This type of structure cannot be placed there."), code="bad_parent")
    structure = Structure.objects.create(
        kind=kind,
        name=name,
        parent=parent,
        departement=departement,
        commune=commune,
        description=description,
        depth=(parent.depth + 1) if parent else 0,
        path="",
    )
    structure.path = f"{parent.path if parent else ''}{structure.pk}/"
    structure.save(update_fields=["path"])
    Cooperative.objects.create(
        kind=Cooperative.Kind.PRIVATE,
        structure=structure,
        name=name,
        description=description,
        join_policy=Cooperative.JoinPolicy.INVITATION,
    )
    return structure


@transaction.atomic
def structure_member_add(*, structure: Structure, user) -> Membership:
    return membership_add(cooperative=structure.cooperative, user=user)


@transaction.atomic
def official_add(*, structure: Structure, user, role: str) -> Official:
    """Give a mandate; an official is a facilitator of the structure's cooperative."""
    official, _created = Official.objects.get_or_create(structure=structure, user=user, role=role)
    membership_add(cooperative=structure.cooperative, user=user, role=Membership.Role.ANIMATEUR)
    return official
