"""The demonstration world, built through the real services.

Everything is written by the services a member's clicks would call; only the
dates are changed afterwards (``_Clock``), so that a month of life fits in a
few seconds. Events are played oldest first, so activity ids grow with their
dates, as the feed expects.
"""

from __future__ import annotations

import heapq
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.module_loading import import_string

from terrain.accounts.models import User
from terrain.accounts.services import user_create
from terrain.cooperatives.models import Cooperative, JoinRequest, Membership
from terrain.cooperatives.services import cooperative_create_open, join_request_create, membership_add
from terrain.demo import content
from terrain.demo.posters import PALETTE, poster
from terrain.feed.models import Activity, Notification
from terrain.news.models import Comment, Post, Reaction
from terrain.news.services import ImageUpload, comment_create, post_create, reaction_toggle
from terrain.structures.models import Official, Structure
from terrain.structures.services import official_add, structure_create, structure_member_add

DEMO_PASSWORD = "terrain-demo"  # noqa: S105 (documented demonstration password)
EMAIL_DOMAIN = "terrain.example"
LOGINS = [("admin", "platform administrator"), ("animatrice", "facilitator"), ("membre", "member")]


def demo_emails() -> list[str]:
    """The e-mail addresses of the documented sign-ins, in the order of :data:`LOGINS`."""
    locals_ = {key: local for key, _name, local, _job, _place in content.PEOPLE}
    return [f"{locals_[key]}@{EMAIL_DOMAIN}" for key, _role in LOGINS]


@dataclass
class DemoWorld:
    people: dict[str, User] = field(default_factory=dict)
    structures: dict[str, Structure] = field(default_factory=dict)
    cooperatives: dict[str, Cooperative] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)

    def login(self, key: str) -> str:
        return self.people[key].email


class _Clock:
    """Gives the rows written since the last call the date of the event that wrote them."""

    STAMPED = [
        (User, ("date_joined",)),
        (Structure, ("created_at", "updated_at")),
        (Cooperative, ("created_at", "updated_at")),
        (Membership, ("joined_at",)),
        (JoinRequest, ("created_at",)),
        (Post, ("created_at", "updated_at")),
        (Comment, ("created_at", "updated_at")),
        (Reaction, ("created_at",)),
        (Activity, ("created_at",)),
        (Notification, ("created_at",)),
    ]

    def __init__(self) -> None:
        self.marks = {model: model.objects.aggregate(m=Max("pk"))["m"] or 0 for model, _fields in self.STAMPED}
        self.official_mark = Official.objects.aggregate(m=Max("pk"))["m"] or 0
        self.last: datetime | None = None

    def settle(self, when: datetime) -> None:
        # Never backwards: activity ids must grow with their dates.
        if self.last is not None and when <= self.last:
            when = self.last + timedelta(seconds=1)
        self.last = when
        for model, fields in self.STAMPED:
            new = list(model.objects.filter(pk__gt=self.marks[model]).values_list("pk", flat=True))
            if new:
                model.objects.filter(pk__in=new).update(**dict.fromkeys(fields, when))
                self.marks[model] = max(new)
        Official.objects.filter(pk__gt=self.official_mark).update(since=when.date())
        self.official_mark = Official.objects.aggregate(m=Max("pk"))["m"] or self.official_mark


def _mentions(text: str, people: dict[str, User]) -> str:
    return re.sub(r"\{@(\w+)\}", lambda m: f"@{people[m.group(1)].handle}", text)


DEMO_EXTENSIONS = (
    "terrain.demo.atelier.load",
    "terrain.demo.inbox.load",  # after the workshop: its accounts
    "terrain.demo.public.load",  # before the tools that put their pages on the sites
    "terrain.demo.relays.load",
    "terrain.demo.insights.load",
    "terrain.demo.faq.load",
    "terrain.demo.modeles.load",
    "terrain.demo.forum.load",
    "terrain.demo.library.load",
    "terrain.demo.public.load_documents",
    "terrain.demo.tracts.load",
    "terrain.demo.forum_links.load",
    "terrain.demo.adhesions.load",
    "terrain.demo.mobilisation.load",
    "terrain.demo.consultations.load",
    "terrain.demo.places.load",
    "terrain.demo.elections.load",  # after the tracts: the campaign picks two
    "terrain.demo.petitions.load",
    "terrain.demo.inbox_watch.load",
    "terrain.demo.inbox_crisis.load",  # after the workshop: its threads hang on the branch's accounts
)


@transaction.atomic
def build_demo_world(*, seed: int = 2027, now: datetime | None = None) -> DemoWorld:
    """Build the demonstration world into the current database and return its handles."""
    rng = random.Random(seed)
    now = now or timezone.now()
    start = now - timedelta(days=35)
    world = DemoWorld()
    clock = _Clock()
    tick = iter(start + timedelta(minutes=7 * i) for i in range(10_000))

    # People: only the three documented logins can sign in with a password.
    for key, name, local, job, place in content.PEOPLE:
        email = f"{local or _email_name(name)}@{EMAIL_DOMAIN}"
        extra = {"is_staff": True, "is_superuser": True} if key == "admin" else {}
        world.people[key] = user_create(
            email=email,
            display_name=name,
            password=DEMO_PASSWORD if local else None,
            bio=f"{job}. {_place_sentence(place)}",
            **extra,
        )
        clock.settle(next(tick))

    # Structures, their officials and members.
    for key, kind, name, parent, departement, commune, description in content.STRUCTURES:
        world.structures[key] = structure_create(
            kind=kind,
            name=name,
            parent=world.structures.get(parent) if parent else None,
            departement=departement,
            commune=commune,
            description=description,
        )
        clock.settle(next(tick))
    for structure, person, role in content.OFFICIALS:
        official_add(structure=world.structures[structure], user=world.people[person], role=role)
        clock.settle(next(tick))
    for key, _name, _local, _job, place in content.PEOPLE:
        structure_member_add(structure=world.structures[place], user=world.people[key])
        clock.settle(next(tick))
    # The officials of a structure sit in the one above it: that is where they hear its news.
    parents = {key: parent for key, _kind, _name, parent, *_rest in content.STRUCTURES}
    for structure, person, _role in content.OFFICIALS:
        if parents[structure]:
            structure_member_add(structure=world.structures[parents[structure]], user=world.people[person])
            clock.settle(next(tick))
    for key, structure in world.structures.items():
        structure.refresh_from_db()
        world.cooperatives[key] = structure.cooperative

    # Open cooperatives, their members and the requests still waiting.
    for key, name, creator, policy, description, members, _pending in content.OPEN_COOPERATIVES:
        world.cooperatives[key] = cooperative_create_open(
            name=name, by=world.people[creator], description=description, join_policy=policy
        )
        clock.settle(next(tick))
        for person in members:
            membership_add(cooperative=world.cooperatives[key], user=world.people[person])
            clock.settle(next(tick))

    _play_month(world, rng, clock, now)
    # Each tool adds its own demonstration data to the same world.
    for loader in DEMO_EXTENSIONS:
        import_string(loader)(world)
    return world


def _play_month(world: DemoWorld, rng: random.Random, clock: _Clock, now: datetime) -> None:
    """Four weeks of posts, comments, reactions and arrivals, played in the order of their dates."""
    events: list[tuple[datetime, int, object]] = []
    first_day = now - timedelta(days=28)
    for index in range(len(content.POSTS)):
        # Spread over the four weeks, in working hours, in the order written.
        day = timezone.localtime(first_day + timedelta(days=28 * index / len(content.POSTS)))
        at = day.replace(hour=rng.randint(7, 20), minute=rng.randint(0, 59))
        at = min(at, now - timedelta(hours=3))
        events.append((at, 0, index))
    month_start = now - timedelta(days=28)
    for day, person, cooperative in content.LATE_JOINS:
        events.append((month_start + timedelta(days=day, hours=rng.randint(8, 20)), 1, (person, cooperative)))
    for key, _name, _creator, _policy, _description, _members, pending in content.OPEN_COOPERATIVES:
        for person in pending:
            events.append((now - timedelta(hours=rng.randint(3, 90)), 4, (person, key)))

    # Each post brings its comments and reactions a little later: one queue ordered by date.
    queue = [(at, kind, n, payload) for n, (at, kind, payload) in enumerate(events)]
    heapq.heapify(queue)
    sequence = count(len(queue))
    while queue:
        at, kind, _n, payload = heapq.heappop(queue)
        if kind == 0:
            post = _publish(world, payload)
            clock.settle(at)
            for event in _reactions_and_comments(world, post, payload, at, now, rng):
                heapq.heappush(queue, (event[0], event[1], next(sequence), event[2]))
        elif kind == 1:
            person, cooperative = payload
            membership_add(cooperative=world.cooperatives[cooperative], user=world.people[person])
            clock.settle(at)
        elif kind == 2:
            post, author, text = payload
            comment_create(post=post, author=author, text=_mentions(text, world.people))
            clock.settle(at)
        elif kind == 3:
            post, user, reaction = payload
            reaction_toggle(post=post, user=user, kind=reaction)
            clock.settle(at)
        else:
            person, cooperative = payload
            join_request_create(
                cooperative=world.cooperatives[cooperative],
                user=world.people[person],
                message=rng.choice(["Bonjour, je voudrais participer.", "Je suis intéressé·e, merci !", ""]),
            )
            clock.settle(at)


def _publish(world: DemoWorld, index: int) -> Post:
    cooperative, author, text, images, _comments = content.POSTS[index]
    uploads = [
        ImageUpload(
            file=SimpleUploadedFile(
                f"affiche-{index}-{n}.jpg",
                poster(title, color=PALETTE[(index + n) % len(PALETTE)], subtitle=subtitle),
                content_type="image/jpeg",
            ),
            alt_text=alt,
        )
        for n, (title, subtitle, alt) in enumerate(images)
    ]
    post = post_create(
        cooperative=world.cooperatives[cooperative],
        author=world.people[author],
        body_html=f"<p>{_mentions(text, world.people)}</p>",
        images=uploads,
    )
    world.posts.append(post)
    return post


def _reactions_and_comments(world, post: Post, index: int, at: datetime, now: datetime, rng: random.Random):
    cooperative_key, author_key, _text, _images, specific = content.POSTS[index]
    members = list(
        User.objects.filter(memberships__cooperative=world.cooperatives[cooperative_key])
        .exclude(pk=world.people[author_key].pk)
        .order_by("pk")
    )
    later = at
    comments = [(world.people[person], text) for person, text in specific]
    # A few generic answers on top, so that a post rarely stays alone.
    for _ in range(rng.choice((0, 1, 1, 2, 2))):
        if members:
            comments.append((rng.choice(members), rng.choice(content.GENERIC_COMMENTS)))
    for author, text in comments:
        later = min(later + timedelta(minutes=rng.randint(5, 300)), now - timedelta(minutes=5))
        yield (later, 2, (post, author, text))
    kinds = ["like", "like", "like", "support", "bravo", "thanks"]
    for user in rng.sample(members, min(len(members), rng.randint(0, 8))):
        yield (
            min(at + timedelta(minutes=rng.randint(2, 600)), now - timedelta(minutes=1)),
            3,
            (post, user, rng.choice(kinds)),
        )


def _email_name(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name).replace("-", ".")


def _place_sentence(place: str) -> str:
    return {
        "ud": "Au bureau de l’union départementale.",
        "sante": "Syndiqué·e à la santé et l’action sociale.",
        "commerce": "Syndiqué·e au commerce et aux services.",
        "hopital": "Hôpital Nord-Littoral, Marseille.",
        "ehpad": "Maison de retraite Les Oliviers, Aubagne.",
        "magasin": "Supermarché des Calanques, La Ciotat.",
    }[place]
