"""Demonstration agenda: weekly drop-in hours, a demonstration, a strike and a public meeting
on the hospital section's site, and a few events on the sites of the structures above it.

Dates are counted from today, so the agenda always has something to come. Sites are taken
as the public-site demo left them, or made and published here (idempotent).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from terrain.mobilisation.models import Event, EventKind
from terrain.mobilisation.services import event_create, event_publish
from terrain.public.models import Site
from terrain.public.services import site_publish, site_save, suggested_slug


def _site(structure, by) -> Site:
    site = Site.objects.filter(structure=structure).first()
    if site is None:
        site = site_save(structure=structure, by=by, slug=suggested_slug(structure), commune=structure.commune)
    if not site.published:
        site = site_publish(site=site, by=by)
    return site


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _next_weekday(weekday: int) -> int:
    """Days from today to the next ``weekday`` (0 is Monday), tomorrow at the earliest."""
    return (weekday - timezone.localdate().weekday() - 1) % 7 + 1


def _event(structure, by, *, days: int, start: tuple[int, int], hours: float, **values) -> Event:
    starts = _at(days, *start)
    event = event_create(
        structure=structure, by=by, starts_at=starts, ends_at=starts + timedelta(hours=hours), **values
    )
    return event_publish(event=event, published=True, by=by)


def load(world) -> None:
    hopital, sante, ud = (world.structures[key] for key in ("hopital", "sante", "ud"))
    animatrice = world.people["animatrice"]
    # Each structure's own secretary where the demo has one.
    mamadou, rachid = world.people.get("mamadou", animatrice), world.people.get("rachid", animatrice)
    _site(hopital, animatrice)
    _site(sante, mamadou)
    _site(ud, rachid)
    if Event.objects.filter(structure=hopital).exists():
        return
    tuesday = _next_weekday(1)
    _event(
        hopital,
        animatrice,
        kind=EventKind.PERMANENCE,
        title="Permanence syndicale de la section",
        description="Une question sur votre planning, vos heures, un entretien ? Passez nous voir, sans rendez-vous.",
        days=tuesday,
        start=(12, 0),
        hours=2,
        repeat_until=timezone.localdate() + timedelta(weeks=26),
        place_name="Local syndical, bâtiment B, rez-de-chaussée",
        address="Chemin des Bourrely",
        postal_code="13015",
        commune="Marseille",
        latitude=43.3794,
        longitude=5.3939,
    )
    _event(
        hopital,
        animatrice,
        kind=EventKind.DEMONSTRATION,
        title="Manifestation pour l'hôpital public",
        description="Des lits, des postes, des salaires. Départ du Vieux-Port, arrivée devant l'ARS.",
        days=tuesday + 9,
        start=(10, 30),
        hours=3,
        place_name="Vieux-Port, quai de la Fraternité",
        postal_code="13001",
        commune="Marseille",
        latitude=43.2951,
        longitude=5.3744,
        co_organisers="l'union départementale et les collectifs de soignants",
    )
    _event(
        hopital,
        animatrice,
        kind=EventKind.STRIKE,
        title="Grève des services de nuit",
        description="Préavis déposé : assemblée des grévistes à 21 h devant les urgences.",
        days=tuesday + 15,
        start=(21, 0),
        hours=10,
        place_name="Entrée des urgences, Hôpital Nord",
        postal_code="13015",
        commune="Marseille",
        latitude=43.3789,
        longitude=5.3951,
    )
    _event(
        hopital,
        animatrice,
        kind=EventKind.MEETING,
        title="Réunion publique : quel avenir pour la maternité ?",
        description="Avec des usagères, des sages-femmes et des élu·es. Entrée libre.",
        days=tuesday + 4,
        start=(18, 30),
        hours=2,
        place_name="Maison pour tous Saint-Louis",
        postal_code="13015",
        commune="Marseille",
    )
    _event(
        sante,
        mamadou,
        kind=EventKind.PERMANENCE,
        title="Permanence juridique du syndicat",
        description="Un conseiller répond à vos questions de droit du travail.",
        days=_next_weekday(3),
        start=(14, 0),
        hours=3,
        repeat_until=timezone.localdate() + timedelta(weeks=12),
        place_name="Bourse du travail",
        postal_code="13001",
        commune="Marseille",
        latitude=43.2985,
        longitude=5.3830,
    )
    _event(
        ud,
        rachid,
        kind=EventKind.DEMONSTRATION,
        title="Rassemblement interprofessionnel à Aubagne",
        days=tuesday + 12,
        start=(11, 0),
        hours=2,
        place_name="Cours Foch",
        postal_code="13400",
        commune="Aubagne",
        latitude=43.2927,
        longitude=5.5708,
    )
