"""Demonstration relays, newsletter and feed for the "hopital" section of the demo world.

Called by the demo command with the world of ``terrain.demo.world``: the
section opens its newsletter and feed, a few members follow its relays (one by
e-mail, one in the daily digest), the demo member has his Mastodon server set,
two posts are published (to the feed) and some members relayed them.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from terrain.atelier.models import Message, Publication
from terrain.atelier.workflows import MESSAGE, PUBLICATION
from terrain.cooperatives.models import Membership
from terrain.networks.base import AccountData, Content
from terrain.networks.registry import get_connector
from terrain.newsletter.models import Subscriber
from terrain.newsletter.services import channel_enable
from terrain.relays.models import Relay, RelaySubscription
from terrain.relays.services import relay_profile_update, relay_subscribe

POSTS = [
    (
        "Pause déjeuner : enfin 30 minutes pour tout le monde",
        "Grâce à votre mobilisation, la direction accepte 30 minutes de pause déjeuner pour chaque équipe, "
        "de jour comme de nuit. Merci à toutes et à tous ! Venez en parler jeudi à 13 h, salle du personnel.",
    ),
    (
        "Heures supplémentaires : vérifiez votre fiche de paie",
        "Des heures supplémentaires de mars n'ont pas été payées. Vérifiez votre fiche de paie et "
        "passez nous voir : nous faisons le point ensemble et nous demandons la régularisation.",
    ),
]
NEWSLETTER_READERS = [
    "voisine.du.quartier@example.org",
    "parent.eleve@example.org",
    "journaliste@example.org",
    # example.org is reserved for examples: no mail to it reaches anybody.
    *(f"lectrice.{n}@example.org" for n in range(1, 39)),
]


def load(world) -> None:
    structure = world.structures["hopital"]
    official = world.people["animatrice"]
    channel_enable(structure=structure, network="newsletter", by=official)
    feed = channel_enable(structure=structure, network="rss", by=official)
    now = timezone.now()
    for email in NEWSLETTER_READERS:
        Subscriber.objects.get_or_create(
            structure=structure,
            email=email,
            defaults={"status": Subscriber.Status.CONFIRMED, "confirmed_at": now - timedelta(days=10)},
        )
    Subscriber.objects.get_or_create(structure=structure, email="pas.encore.confirme@example.org")

    members = list(
        Membership.objects.filter(cooperative__structure=structure).select_related("user").order_by("user__email")
    )
    modes = [RelaySubscription.Mode.APP, RelaySubscription.Mode.EMAIL, RelaySubscription.Mode.DIGEST]
    for i, membership in enumerate(members[:8]):
        relay_subscribe(user=membership.user, structure=structure, mode=modes[i % len(modes)])
    relay_profile_update(
        user=world.people["membre"], mastodon_instance="mastodon.social", personal_line="À lire et à partager :"
    )

    rss = get_connector("rss")
    networks = ["mastodon", "facebook", "whatsapp", "email"]
    for days_ago, (title, body) in zip((6, 2), POSTS, strict=True):
        published_at = now - timedelta(days=days_ago)
        message = Message.objects.create(
            structure=structure,
            author=official,
            title=title,
            body=body,
            approved_by=official,
            approved_at=published_at,
        )
        message.accounts.add(feed)
        publication = Publication.objects.create(
            message=message, account=feed, due_at=published_at, next_try_at=published_at
        )
        # Already out: the message walks its workflow to "published" (terrain/atelier/workflows.py).
        MESSAGE.move_one(message, "approve")
        MESSAGE.move_one(message, "schedule", scheduled_at=published_at)
        PUBLICATION.move_one(publication, "claim", attempts=1)
        PUBLICATION.move_one(publication, "record_published", published_at=published_at)
        MESSAGE.move_one(message, "settle_published", published_at=published_at)
        remote = rss.publish(
            AccountData(api_base="", secrets={}, remote_id=structure.code),
            Content(text=body, title=title, marker=publication.marker),
        )
        Publication.objects.filter(pk=publication.pk).update(remote_id=remote.remote_id, remote_url=remote.url)
        for j, membership in enumerate(members[: 3 + days_ago]):
            Relay.objects.get_or_create(message=message, user=membership.user, network=networks[j % len(networks)])
