"""Who may see and manage a structure, and its workshop: the one-statement access checks."""

from __future__ import annotations

import pytest

from terrain.atelier.access import atelier_access, atelier_access_by_code
from terrain.atelier.models import Strategy
from terrain.structures.access import structure_access
from terrain.structures.models import OfficialRole, Structure
from terrain.structures.services import official_add

pytestmark = pytest.mark.django_db


def test_each_grant_is_read_for_its_own_person(world):
    alice = structure_access(user=world.alice, structure=world.section)
    assert (alice.is_official_here, alice.is_official_above) == (True, False)
    bob = structure_access(user=world.bob, structure=world.section)
    assert (bob.is_official_here, bob.is_official_above, bob.is_member) == (False, False, True)
    charlie = structure_access(user=world.charlie, structure=world.section)
    assert not charlie.can_see and not charlie.can_manage


def test_an_official_above_manages_every_level_below_but_not_above(world):
    official_add(structure=world.ud, user=world.charlie, role=OfficialRole.SECRETAIRE)
    for structure in (world.syndicat, world.section):
        access = structure_access(user=world.charlie, structure=structure)
        assert access.is_official_above and not access.is_official_here and access.can_manage
    assert not structure_access(user=world.alice, structure=world.syndicat).can_see  # the section's official


def test_a_path_that_only_begins_with_the_same_digits_is_not_below(world):
    """Paths are chains of ids ending in "/": "9001/" is above "9001/5/" but not above "90015/"."""
    official_add(structure=world.ud, user=world.charlie, role=OfficialRole.SECRETAIRE)
    Structure.objects.filter(pk=world.ud.pk).update(path="9001/")
    Structure.objects.filter(pk=world.section.pk).update(path="90015/")
    world.section.refresh_from_db()
    assert not structure_access(user=world.charlie, structure=world.section).can_see
    Structure.objects.filter(pk=world.section.pk).update(path="9001/5/")
    world.section.refresh_from_db()
    assert structure_access(user=world.charlie, structure=world.section).is_official_above


def test_the_workshop_reads_its_writers_and_approvers_in_one_statement(world, django_assert_num_queries):
    strategy = Strategy.objects.create(structure=world.section)
    strategy.writers.add(world.bob)
    strategy.approvers.add(world.charlie)
    with django_assert_num_queries(1):
        bob = atelier_access(user=world.bob, structure=world.section)
    assert (bob.can_write, bob.can_approve, bob.can_manage) == (True, False, False)
    # Named approver but not a member: the strategy alone does not open a structure one cannot see.
    charlie = atelier_access(user=world.charlie, structure=world.section)
    assert not charlie.can_see_structure and not charlie.can_approve
    alice = atelier_access(user=world.alice, structure=world.section)
    assert (alice.can_write, alice.can_approve, alice.can_manage) == (True, True, True)


def test_by_code_reads_the_structure_its_parent_and_the_roles_at_once(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        access = atelier_access_by_code(user=world.alice, code=world.section.code)
        assert access.structure == world.section and access.structure.parent == world.syndicat
    assert access.can_manage
    outsider = atelier_access_by_code(user=world.charlie, code=world.section.code)
    assert not outsider.can_see_structure and not outsider.can_write
    assert atelier_access_by_code(user=world.alice, code="a" * 12) is None


def test_a_deactivated_person_has_no_role_left(world):
    world.alice.is_active = False
    assert not atelier_access_by_code(user=world.alice, code=world.section.code).can_see_structure
    assert not atelier_access(user=world.alice, structure=world.section).can_see_structure
    assert not structure_access(user=world.alice, structure=world.section).can_see
