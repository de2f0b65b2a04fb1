"""Demonstration data of the shared inbox: what people said to the hospital branch's accounts.

The items go through the real path (``services.store_page`` with each account's stream), as if
the sandbox's networks had answered: threads on our posts, a question about the next general
meeting, criticism, a hostile comment, thanks, a direct message, a keyword watch's find. Then the
team's work: a note, a saved answer, one answer sent and one waiting for approval.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Message
from terrain.inbox import answers, services
from terrain.inbox.access import inbox_access
from terrain.inbox.models import Conversation, Item, Reply, Status, Watch
from terrain.networks.base import InboundItem, InboundPage

# Network, thread key (our post, or "" for a thread of its own), kind, hours ago, author, handle, text.
ITEMS = [
    (
        "mastodon",
        "post-ag",
        "reply",
        30,
        "Nadia B.",
        "nadia@piaille.fr",
        "Bonjour, c'est quand la prochaine AG ? Je voudrais venir avec deux collègues de nuit.",
    ),
    ("mastodon", "post-ag", "reply", 26, "Karim", "karim@mastodon.social", "Merci pour l'info, on sera là !"),
    (
        "mastodon",
        "",
        "mention",
        20,
        "Presse Lyon Sud",
        "redaction@presse.example",
        "@hopital Pouvez-vous nous donner le nombre de postes vacants aux urgences ?",
    ),
    (
        "mastodon",
        "",
        "message",
        6,
        "Sophie L.",
        "sophie@piaille.fr",
        "Bonjour, je suis ASH en CDD, on me refuse mes RTT. Est-ce que je peux vous appeler ?",
    ),
    (
        "bluesky",
        "post-effectifs",
        "reply",
        40,
        "Julien M.",
        "julien.bsky.social",
        "Encore un tract... Vous étiez où l'an dernier quand on a supprimé des lits ?",
    ),
    (
        "bluesky",
        "post-effectifs",
        "reply",
        38,
        "Amel",
        "amel.bsky.social",
        "Bravo pour le travail sur les plannings, ça change vraiment la vie du service.",
    ),
    (
        "bluesky",
        "",
        "mention",
        12,
        "Thomas R.",
        "thomasr.bsky.social",
        "Les syndicats de l'hôpital, toujours à bloquer, jamais à proposer. Bande d'incapables.",
    ),
    (
        "facebook",
        "post-permanence",
        "comment",
        50,
        "Martine Dupont",
        "",
        "La permanence de mercredi est maintenue pendant les vacances ?",
    ),
    (
        "facebook",
        "post-permanence",
        "comment",
        48,
        "Hélène Garcia",
        "",
        "Merci à l'équipe, vous m'avez bien aidée pour mon dossier de mutation.",
    ),
    (
        "facebook",
        "post-permanence",
        "comment",
        8,
        "Patrick V.",
        "",
        "Toujours les mêmes promesses, et rien ne bouge sur les salaires. Je suis déçu.",
    ),
    ("facebook", "", "message", 3, "Lucas P.", "", "Bonjour, comment on adhère ? Je suis infirmier depuis un mois."),
    (
        "mastodon",
        "post-ag",
        "reply",
        2,
        "Nadia B.",
        "nadia@piaille.fr",
        "Et est-ce qu'il y aura une garde d'enfants pendant l'AG ?",
    ),
]
NOTE = "Nadia est déléguée de proximité en réanimation : je la rappelle demain pour la garde d'enfants."
SAVED = (
    "Prochaine assemblée générale",
    "Bonjour ! La prochaine AG a lieu le jeudi 12 à 14 h, salle du conseil. "
    "Toutes et tous sont les bienvenu·es, adhérent·es ou non.",
)
SENT_ANSWER = "Bonjour Martine, oui : la permanence est maintenue, mercredi de 12 h à 14 h, salle 12."
PENDING_ANSWER = "Bonjour Nadia, la prochaine AG a lieu jeudi 12 à 14 h, salle du conseil. Venez nombreuses !"
WATCH = ("Notre hôpital dans la presse", "Hôpital Nord\n#HopitalNord")
WATCH_ITEM = (
    "Le Progrès",
    "À l'Hôpital Nord, le personnel des urgences alerte sur le manque d'effectifs cet été.",
    "Hôpital Nord",
)


def _our_post_texts(structure) -> list[str]:
    published = Message.objects.filter(structure=structure, status=Message.Status.PUBLISHED).order_by("-id")
    return list(published.values_list("body", flat=True)[:3])


def _store(structure, account: ConnectedAccount, items: list[InboundItem]) -> None:
    stream = services.stream_for(services.account_source(account), "demo")
    page = InboundPage(items=tuple(items), cursor=f"demo-{len(items)}")
    services.store_page(stream=stream, page=page, structure=structure, account=account, network=account.network)
    stream.delete()  # only the way in for the demo's items: the clock must not read it (nor the watch's below)


@transaction.atomic
def load(world) -> None:
    """Fill the hospital branch's inbox (``world.structures["hopital"]``), after its workshop's accounts."""
    structure = world.structures["hopital"]
    manager, writer, approver = world.people["animatrice"], world.people["membre"], world.people["linh"]
    accounts = {a.network: a for a in ConnectedAccount.objects.filter(structure=structure)}
    now = timezone.now()
    by_network: dict[str, list[InboundItem]] = {}
    for n, (network, thread, kind, hours, name, handle, text) in enumerate(ITEMS):
        if network not in accounts:
            continue
        remote_id = f"demo-{network}-{n}"
        by_network.setdefault(network, []).append(
            InboundItem(
                remote_id=remote_id,
                kind=kind,
                text=text,
                created_at=now - timedelta(hours=hours),
                author_handle=handle,
                author_name=name,
                url=f"{accounts[network].api_base.rstrip('/')}/demo/{remote_id}",
                parent=thread,
                reply_to=remote_id,
                parent_is_ours=bool(thread),
            )
        )
    for network, items in by_network.items():
        _store(structure, accounts[network], sorted(items, key=lambda item: item.created_at))

    # What our posts said (the sandbox's publications carry no remote ids to find them by).
    threads = ("post-ag", "post-effectifs", "post-permanence")
    for thread_key, text in zip(threads, _our_post_texts(structure), strict=False):
        Conversation.objects.filter(structure=structure, thread_key=thread_key).update(our_post_text=text)

    watch = Watch.objects.create(structure=structure, name=WATCH[0], terms=WATCH[1], networks=[], created_by=manager)
    stream = services.stream_for(services.watch_source(watch), "feed:demo")
    source, text, matched = WATCH_ITEM
    services.store_page(
        stream=stream,
        page=InboundPage(
            items=(
                InboundItem(
                    remote_id="demo-presse-1",
                    kind="watch",
                    text=text,
                    created_at=now - timedelta(hours=10),
                    author_name=source,
                    url="https://presse.example/hopital-nord-urgences",
                ),
            ),
            cursor="demo-1",
        ),
        structure=structure,
        watch=watch,
        matched={"demo-presse-1": matched},
    )
    stream.delete()

    question = Item.objects.get(conversation__structure=structure, remote_id="demo-mastodon-0").conversation
    services.conversation_assign(conversation=question, assignee=writer, by=manager)
    services.conversation_tag(conversation=question, tags="AG, garde d'enfants", by=manager)
    services.note_add(conversation=question, text=NOTE, by=manager)
    services.saved_reply_save(structure=structure, title=SAVED[0], text=SAVED[1], by=manager)

    # An answer that went out, and one waiting for approval (the writer cannot approve).
    permanence = Item.objects.get(conversation__structure=structure, remote_id="demo-facebook-7")
    Reply.objects.create(
        conversation=permanence.conversation,
        item=permanence,
        author=approver,
        approved_by=approver,
        text=SENT_ANSWER,
        state=Reply.State.SENT,
        sent_at=now - timedelta(hours=47),
        attempts=1,
    )
    Conversation.objects.filter(pk=permanence.conversation_id).update(
        status=Status.ANSWERED, first_reply_at=now - timedelta(hours=47)
    )
    first_question = Item.objects.get(conversation=question, remote_id="demo-mastodon-0")
    access = inbox_access(user=writer, structure=structure)
    if services.reply_needs_approval(access):
        answers.reply_create(conversation=question, item=first_question, text=PENDING_ANSWER, by=writer, access=access)
