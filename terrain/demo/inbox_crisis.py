"""The hospital branch's inbox as a month of work leaves it: answered conversations with their
reply times (the "Response figures" tab has something to show), and a crisis closed twelve days
ago, with its threads, answers, notes and holding statement (the crisis room and its timeline).

Rows are written directly with the dates they would have had: replaying a month through the
connectors would need the sandbox's servers running.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount
from terrain.inbox.crisis import crisis_close, crisis_statement_update, default_statement
from terrain.inbox.models import Conversation, Crisis, Item, ItemKind, Note, Reply, Status
from terrain.inbox.tone import PRIORITY, Tone

ORDINARY = [
    (Tone.QUESTION, "Bonjour, la permanence syndicale est-elle ouverte pendant les vacances ?"),
    (Tone.POSITIVE, "Merci pour votre action sur les plannings, ça change tout pour l'équipe de nuit."),
    (Tone.QUESTION, "Comment on adhère quand on est en CDD ?"),
    (Tone.NEUTRAL, "Vu passer l'info dans le journal local ce matin."),
    (Tone.CRITICAL, "Vous étiez où quand ils ont fermé le service de pédiatrie ?"),
    (Tone.POSITIVE, "Bravo pour la mobilisation de jeudi !"),
    (Tone.QUESTION, "La réunion d'information est à quelle heure ?"),
]
CRISIS = [
    (Tone.HOSTILE, "Vous défendez des gens qui laissent les patients attendre 12 heures, honte à vous."),
    (Tone.CRITICAL, "Le syndicat n'a rien dit quand l'infirmière a été sanctionnée. Pourquoi ce silence ?"),
    (Tone.HOSTILE, "Bande d'incapables, démissionnez."),
    (Tone.CRITICAL, "On attend toujours votre communiqué sur l'incident des urgences."),
    (Tone.QUESTION, "Est-ce vrai que la section a soutenu la direction dans cette affaire ?"),
]
ANSWERS = [
    "Bonjour, merci pour votre message : nous vous répondons en message privé.",
    "Merci ! Toutes les infos sont sur notre site, rubrique adhésion.",
    "Nous avons bien lu. Un communiqué sort aujourd'hui, nous le partagerons ici.",
]


def _thread(structure, account, *, n: int, at, tone: str, text: str, answered_after: timedelta | None, author):
    source = f"a{account.pk}" if account else "demo"
    conversation = Conversation.objects.create(
        structure=structure,
        account=account,
        network=account.network if account else "",
        thread_key=f"demo-inbox-{n}",
        kind=ItemKind.REPLY,
        tone=tone,
        priority=PRIORITY[Tone(tone)],
        status=Status.ANSWERED if answered_after is not None else Status.NEW,
        first_item_at=at,
        last_item_at=at,
        items_count=1,
        first_reply_at=at + answered_after if answered_after is not None else None,
    )
    item = Item.objects.create(
        conversation=conversation,
        source=source,
        remote_id=f"demo-inbox-{n}",
        kind=ItemKind.REPLY,
        author_handle=f"@lecteur{n}",
        author_name=f"Lecteur·rice {n}",
        text=text,
        created_at=at,
        tone=tone,
    )
    if answered_after is not None:
        reply = Reply.objects.create(
            conversation=conversation,
            item=item,
            author=author,
            approved_by=author,
            text=ANSWERS[n % len(ANSWERS)],
            state=Reply.State.SENT,
            sent_at=at + answered_after,
        )
        Reply.objects.filter(pk=reply.pk).update(created_at=at + answered_after, updated_at=at + answered_after)
    return conversation


@transaction.atomic
def load(world) -> None:
    structure = world.structures["hopital"]
    official = world.people["animatrice"]
    if Conversation.objects.filter(structure=structure, thread_key__startswith="demo-inbox-").exists():
        return  # loaded already
    rng = random.Random(18)
    now = timezone.now()
    accounts = list(ConnectedAccount.objects.filter(structure=structure, network__in=["mastodon", "bluesky"]))
    accounts = accounts or [None]
    n = 0
    # A month of ordinary days: most conversations answered within a few hours.
    for day in range(1, 29):
        for _ in range(rng.randint(1, 3)):
            n += 1
            tone, text = ORDINARY[n % len(ORDINARY)]
            at = now - timedelta(days=day, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
            answered = None if rng.random() < 0.2 else timedelta(minutes=rng.choice([12, 40, 95, 180, 420, 1600]))
            _thread(
                structure,
                rng.choice(accounts),
                n=n,
                at=at,
                tone=tone,
                text=text,
                answered_after=answered,
                author=official,
            )
    # Twelve days ago, an evening that turned sour.
    opened_at = (now - timedelta(days=12)).replace(hour=19, minute=40, second=0, microsecond=0)
    caused = []
    for i in range(16):
        n += 1
        tone, text = CRISIS[i % len(CRISIS)]
        at = opened_at - timedelta(minutes=55 - 3 * i)
        answered = timedelta(hours=2, minutes=10 * i) if i % 3 == 0 else None
        conversation = _thread(
            structure, rng.choice(accounts), n=n, at=at, tone=tone, text=text, answered_after=answered, author=official
        )
        caused.extend(conversation.items.values_list("pk", flat=True))
        if i == 1:
            note = Note.objects.create(
                conversation=conversation, author=official, text="Voir avec le bureau avant toute réponse."
            )
            Note.objects.filter(pk=note.pk).update(created_at=at + timedelta(minutes=20))
    crisis = Crisis.objects.create(
        structure=structure,
        opened_at=opened_at,
        cause="16 éléments critiques ou hostiles et mentions dans la dernière heure, "
        "contre 0 d'habitude (alerte au-delà de 10).",
        item_ids=caused,
        statement=default_statement(),
    )
    crisis_statement_update(
        crisis=crisis,
        text="{structure} a lu vos messages sur l'incident du {date}. Nous faisons le point avec les collègues "
        "concerné·es et répondons ici demain matin.",
        by=official,
    )
    crisis_close(crisis=crisis, by=official)
    Crisis.objects.filter(pk=crisis.pk).update(
        statement_updated_at=opened_at + timedelta(minutes=25), closed_at=opened_at + timedelta(hours=20)
    )
