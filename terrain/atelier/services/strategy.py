"""The communication strategy of a structure and its lexicon: written by its managers only.

The views check the viewer's rights (``get_atelier_for(..., need="manage")``);
these functions check the data: writers and approvers must be members of the
structure, networks and goals must be known ones.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from terrain.atelier.models import Audience, Cadence, Goal, LexiconEntry, Strategy
from terrain.networks import registry
from terrain.structures.models import Structure

AUDIENCE_SUGGESTIONS = ["adhérents", "salarié·es", "cadres", "public", "journalistes", "élu·es", "retraité·es"]


def strategy_of(structure: Structure) -> Strategy | None:
    return Strategy.objects.filter(structure=structure).first()


@transaction.atomic
def strategy_get_or_create(*, structure: Structure) -> Strategy:
    strategy, _created = Strategy.objects.get_or_create(structure=structure)
    return strategy


def members_of_structure(structure: Structure):
    """Who may be named writer or approver: the members of the structure's private cooperative."""
    return (
        get_user_model()
        .objects.filter(memberships__cooperative__structure=structure, is_active=True)
        .distinct()
        .order_by("display_name")
    )


@transaction.atomic
def strategy_update(
    *,
    structure: Structure,
    by,
    editorial_line: str,
    goals: list[str],
    approval_required: bool,
    writers: list,
    approvers: list,
    cadences: dict[str, int],
) -> Strategy:
    """Save the strategy's settings; ``cadences`` maps a network to posts per week (0 removes it)."""
    unknown_goals = set(goals) - set(Goal.values)
    if unknown_goals:
        raise ValidationError({"goals": _("Unknown goal.")})
    unknown_networks = set(cadences) - set(registry.available_kinds())
    if unknown_networks:
        raise ValidationError(_("Unknown network."))
    allowed = set(members_of_structure(structure).values_list("pk", flat=True))
    for field, people in (("writers", writers), ("approvers", approvers)):
        if any(person.pk not in allowed for person in people):
            raise ValidationError({field: _("Choose among the members of the structure.")})
    strategy = strategy_get_or_create(structure=structure)
    strategy.editorial_line = editorial_line.strip()
    strategy.goals = [g for g in Goal.values if g in goals]
    strategy.approval_required = approval_required
    strategy.save()
    strategy.writers.set(writers)
    strategy.approvers.set(approvers)
    Cadence.objects.filter(strategy=strategy).exclude(
        network__in=[n for n, count in cadences.items() if count]
    ).delete()
    for network, count in cadences.items():
        if count:
            Cadence.objects.update_or_create(strategy=strategy, network=network, defaults={"posts_per_week": count})
    return strategy


def _clean_networks(networks: list[str]) -> list[str]:
    if set(networks) - set(registry.available_kinds()):
        raise ValidationError({"networks": _("Unknown network.")})
    return [n for n in registry.available_kinds() if n in networks]


@transaction.atomic
def audience_save(
    *, structure: Structure, name: str, networks: list[str], notes: str = "", audience: Audience | None = None
) -> Audience:
    """Add an audience to the strategy, or change ``audience``."""
    strategy = strategy_get_or_create(structure=structure)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the audience a name.")})
    clash = Audience.objects.filter(strategy=strategy, name__iexact=name)
    if audience is not None:
        clash = clash.exclude(pk=audience.pk)
    if clash.exists():
        raise ValidationError({"name": _("This audience is already in the strategy.")})
    if audience is None:
        audience = Audience(strategy=strategy)
    elif audience.strategy_id != strategy.pk:
        raise ValidationError(_("This audience belongs to another structure."))
    audience.name = name
    audience.networks = _clean_networks(networks)
    audience.notes = notes.strip()
    audience.save()
    return audience


@transaction.atomic
def audience_delete(*, audience: Audience) -> None:
    audience.delete()


@transaction.atomic
def lexicon_entry_save(
    *, structure: Structure, acronym: str, expansion: str, entry: LexiconEntry | None = None
) -> LexiconEntry:
    """Add an acronym and its plain-language expansion, or change ``entry``."""
    acronym = acronym.strip()
    expansion = " ".join(expansion.split())
    if not acronym:
        raise ValidationError({"acronym": _("Write the acronym.")})
    if not expansion:
        raise ValidationError({"expansion": _("Write what it means in plain words.")})
    clash = LexiconEntry.objects.filter(structure=structure, acronym__iexact=acronym)
    if entry is not None:
        clash = clash.exclude(pk=entry.pk)
    if clash.exists():
        raise ValidationError({"acronym": _("This acronym is already in the lexicon.")})
    if entry is None:
        entry = LexiconEntry(structure=structure)
    elif entry.structure_id != structure.pk:
        raise ValidationError(_("This entry belongs to another structure."))
    entry.acronym = acronym
    entry.expansion = expansion
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:  # two managers adding the same acronym at once
        raise ValidationError({"acronym": _("This acronym is already in the lexicon.")}) from error
    return entry


@transaction.atomic
def lexicon_entry_delete(*, entry: LexiconEntry) -> None:
    entry.delete()
