"""Demonstration data of the workshop's plan: the hospital branch's strategy, lexicon, queue and calendar.

The branch's accounts are connected to the local sandbox of the networks
(``terrain.demo.sandbox``: servers on this machine that speak each network's API),
never to a real network: a message scheduled or published now really goes out, to the
sandbox. Its newsletter is its own channel. Messages in every status fill the weeks
around today, so the calendar, its plan markers and the home counts show something real.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Message, MessageEvent, Publication
from terrain.atelier.services.accounts import account_connect
from terrain.atelier.services.publishing import message_schedule
from terrain.atelier.services.scheduling import DEFAULT_TIMEZONE, local_instant, recurrence_create, slot_add
from terrain.atelier.services.strategy import audience_save, lexicon_entry_save, strategy_update
from terrain.atelier.workflows import MESSAGE, PUBLICATION
from terrain.demo import sandbox
from terrain.networks.base import AccountInfo
from terrain.newsletter.services import channel_enable

AUDIENCES = [
    ("adhérent·es", ["newsletter", "mastodon"], "Les tenir au courant de tout, en premier."),
    ("salarié·es de l’hôpital", ["mastodon", "bluesky", "facebook"], "Donner envie de nous rejoindre."),
    ("journalistes", ["bluesky"], "Presse locale : des faits, des chiffres, un contact."),
]
LEXICON = [
    ("CSE", "comité social et économique"),
    ("CHSCT", "ancien comité d’hygiène, de sécurité et des conditions de travail"),
    ("NAO", "négociations annuelles sur les salaires"),
    ("ASH", "agent·e de service hospitalier"),
    ("RTT", "jours de repos pour réduction du temps de travail"),
]
SLOTS = [(1, time(9)), (3, time(18)), (5, time(10))]  # Tuesday 09:00, Thursday 18:00, Saturday 10:00

# Offset in days from today, hour, status, networks, text.
MESSAGES = [
    (
        -9,
        9,
        "published",
        ["mastodon", "bluesky", "facebook"],
        "Merci aux 80 collègues venu·es à l’assemblée de mardi !",
    ),
    (-6, 18, "published", ["mastodon"], "Les plannings d’été sont affichés : vérifiez vos jours de repos."),
    (-4, 10, "published", ["newsletter"], "La lettre de la section : salaires, plannings, permanence."),
    (-3, 12, "published", ["telegram"], "Rappel : permanence syndicale demain midi, salle 12."),
    (-2, 9, "failed", ["bluesky"], "Réunion d’information sur les salaires jeudi à 14 h."),
    (1, 9, "scheduled", ["mastodon", "bluesky"], "Permanence syndicale ce mardi, salle 12, de 12 h à 14 h."),
    (3, 18, "scheduled", ["mastodon", "telegram", "x"], "Négociation sur les salaires : ce que la direction propose."),
    (8, 10, "scheduled", ["newsletter"], "La lettre de la section, édition de la semaine."),
    (
        10,
        18,
        "scheduled",
        ["mastodon", "bluesky", "facebook"],
        "Élections du comité social et économique : nos candidat·es.",
    ),
    (None, None, "approved", ["mastodon"], "Rappel : la mutuelle change au 1er du mois, voici ce qui change."),
    (
        None,
        None,
        "submitted",
        ["mastodon", "bluesky"],
        "Les brancardier·es demandent un renfort la nuit. Soutenez-les !",
    ),
    (None, None, "changes_requested", ["bluesky"], "Grosse colère au service des urgences !!!"),
    (None, None, "draft", ["mastodon"], "Brouillon : compte rendu de la rencontre avec la direction."),
    (None, None, "cancelled", ["mastodon"], "Pique-nique annulé à cause de la pluie."),
]


def _accounts(structure, by) -> dict[str, ConnectedAccount]:
    """The branch's accounts on the sandbox's servers (its e-mail address too), connected as a manager would,
    and its newsletter."""
    accounts = {}
    for account in sandbox.ACCOUNTS:
        accounts[account.kind] = account_connect(
            structure=structure,
            network=account.kind,
            api_base=sandbox.base_url(account),
            secrets=sandbox.stored_secrets(account),
            info=AccountInfo(
                remote_id=account.remote_id,
                handle=account.handle,
                display_name=account.display_name,
                followers=account.followers,
            ),
            by=by,
        )
    accounts["newsletter"] = channel_enable(structure=structure, network="newsletter", by=by)
    return accounts


@transaction.atomic
def load(world) -> None:
    """Give the hospital branch (``world.structures["hopital"]``) a workshop in use."""
    structure = world.structures["hopital"]
    manager = world.people["animatrice"]
    writer = world.people["membre"]
    approver = world.people["linh"]
    strategy_update(
        structure=structure,
        by=manager,
        editorial_line=(
            "Des messages courts, concrets, sans sigles. On parle de la vie du service et de ce que "
            "l’on obtient ensemble. Jamais de nom de collègue sans son accord, jamais d’attaque personnelle."
        ),
        goals=["visibility", "membership", "elections", "information"],
        approval_required=True,
        writers=[writer],
        approvers=[approver],
        cadences={"mastodon": 3, "bluesky": 2, "facebook": 2, "telegram": 1, "newsletter": 1},
    )
    for name, networks, notes in AUDIENCES:
        audience_save(structure=structure, name=name, networks=networks, notes=notes)
    for acronym, expansion in LEXICON:
        lexicon_entry_save(structure=structure, acronym=acronym, expansion=expansion)
    for weekday, at in SLOTS:
        slot_add(structure=structure, weekday=weekday, local_time=at)

    accounts = _accounts(structure, manager)
    now = timezone.now()
    today = timezone.localdate()
    for offset, hour, status, networks, body in MESSAGES:
        message = Message.objects.create(structure=structure, author=writer, body=body, status=Message.Status.DRAFT)
        message.accounts.set([accounts[n] for n in networks])
        # Each message walks the workflow's table to its status (terrain/atelier/workflows.py).
        if status in {"approved", "scheduled", "published", "failed", "cancelled"}:
            MESSAGE.move_one(message, "approve", approved_by=approver, approved_at=now - timedelta(days=12))
        if status == "scheduled":
            message_schedule(message=message, at=local_instant(today + timedelta(days=offset), time(hour)), by=approver)
        elif status in {"published", "failed"}:
            _past(message, local_instant(today + timedelta(days=offset), time(hour)), status, approver)
        elif status == "cancelled":
            MESSAGE.move_one(message, "cancel")
        elif status != "approved":
            if status in {"submitted", "changes_requested"}:
                MESSAGE.move_one(message, "submit")
                MessageEvent.objects.create(message=message, actor=writer, kind=MessageEvent.Kind.SUBMITTED)
            if status == "changes_requested":
                MESSAGE.move_one(message, "request_changes")
                MessageEvent.objects.create(
                    message=message,
                    actor=approver,
                    kind=MessageEvent.Kind.CHANGES_REQUESTED,
                    text="Moins de points d’exclamation, et dites ce que l’on demande.",
                )

    # A weekly reminder of the office hours, as a series.
    reminder = Message.objects.create(
        structure=structure,
        author=approver,
        body="Chaque mercredi, permanence syndicale salle 12 de 12 h à 14 h. Venez avec vos questions !",
        status=Message.Status.APPROVED,
        approved_by=approver,
        approved_at=now,
    )
    reminder.accounts.set([accounts["mastodon"]])
    first_wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    recurrence_create(
        message=reminder,
        frequency="weekly",
        interval=1,
        starts_on=first_wednesday,
        local_time=time(8, 30),
        ends_on=first_wednesday + timedelta(weeks=12),
        by=approver,
        tz_name=DEFAULT_TIMEZONE,
    )


def _past(message: Message, at: datetime, status: str, by) -> None:
    """A message already out (or that failed): its publications are settled, the engine never picks them."""
    published = status == "published"
    publications = [
        Publication.objects.create(message=message, account=account, due_at=at, next_try_at=at)
        for account in message.accounts.all()
    ]
    PUBLICATION.move(ids=publications, transition="claim", attempts=1)
    if published:
        PUBLICATION.move(ids=publications, transition="record_published", published_at=at)
    else:
        refusal = "Bluesky a refusé le message : trop de publications, réessayez plus tard."
        PUBLICATION.move(ids=publications, transition="fail", last_error=refusal)
    MESSAGE.move_one(message, "schedule", scheduled_at=at)
    if published:
        MESSAGE.move_one(message, "settle_published", published_at=at)
    else:
        MESSAGE.move_one(message, "settle_failed")
    MessageEvent.objects.create(message=message, actor=by, kind=MessageEvent.Kind.SCHEDULED)
    MessageEvent.objects.create(
        message=message, actor=None, kind=MessageEvent.Kind.PUBLISHED if published else MessageEvent.Kind.FAILED
    )
