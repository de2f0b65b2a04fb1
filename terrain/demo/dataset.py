"""A confederation-scale dataset, written in bulk: the input of the feed benchmark.

Every row is what the services would have written (memberships and member
counts, a broadcast activity per post, a private activity per comment with
``in_feed`` notifications for the post's followers, post follows, comment
counts), computed in memory and inserted by ``BulkLoader``. Ids are assigned
here, activities in the order of their dates, so the feed's keyset order is
the order of time. Not written: ``member_joined`` activities for these
memberships (every member joined before the year covered), mentions, join
requests.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import OuterRef, Subquery
from django.utils.text import slugify

from terrain.accounts.models import User, search_name_for
from terrain.cooperatives.models import Cooperative, Membership, search_text_for
from terrain.demo import names, text
from terrain.demo.dataset_news import DAY, cumulative, pick, write_news
from terrain.demo.dataset_toolbox import TOOLBOX_MODELS, write_toolbox
from terrain.demo.loader import BulkLoader, new_codes
from terrain.demo.posters import PALETTE, poster
from terrain.feed.models import Activity, Notification
from terrain.news.models import Comment, Post, PostFollow, PostImage, Reaction
from terrain.structures.models import Official, OfficialRole, Structure, StructureKind

BENCH_PASSWORD = "terrain-bench"  # noqa: S105 (documented: every generated member, to look around by hand)
EMAIL_DOMAIN = "bench.terrain.example"


TOOLBOX_PER_ITEM = {"topics": 0.01, "replies": 0.04, "faq_entries": 0.0025, "files": 0.1}


@dataclass(frozen=True)
class Scale:
    members: int = 100_000
    structures: int = 10_000
    cooperatives: int = 10_000  # open ones; each structure has its private one on top
    items: int = 2_000_000  # posts + comments
    seed: int = 2027
    post_share: float = 0.3
    reactions_per_post: float = 1.0
    image_share: float = 0.08
    # The toolbox (``dataset_toolbox``): None is in proportion to ``items`` (20,000 topics,
    # 80,000 replies, 5,000 FAQ entries and 200,000 library files for 2,000,000 items).
    topics: int | None = None
    replies: int | None = None
    faq_entries: int | None = None
    files: int | None = None

    def __post_init__(self) -> None:
        for name, per_item in TOOLBOX_PER_ITEM.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, round(self.items * per_item))

    @property
    def posts(self) -> int:
        return round(self.items * self.post_share)

    @property
    def comments(self) -> int:
        return self.items - self.posts


def _codes() -> Iterator[str]:
    while True:
        yield from new_codes(50_000)


def generate(scale: Scale, *, out=None) -> dict[str, int]:
    """Write the dataset into the (empty) default database; returns row counts per table."""
    if scale.structures < 10 or scale.members < 20 or scale.cooperatives < 2 or scale.items < 10:
        raise ValueError("The dataset needs at least 10 structures, 20 members, 2 cooperatives and 10 items.")
    if User.objects.exists():
        raise ValueError("The database already has members: the dataset goes into a dedicated, empty database.")
    loader = BulkLoader(out=out)
    loader.prepare()
    rng = random.Random(scale.seed)
    now = time.time()
    codes = _codes()
    try:
        users = _write_users(loader, rng, scale, now, codes)
        tree = _plan_structures(rng, scale)
        coops = _plan_memberships(rng, scale, users, tree, first_id=loader.next_id(Cooperative))
        _write_structures(loader, tree, coops, users, now, codes)
        loader.phase("structures, cooperatives", f"{len(tree.kinds)} structures, {coops.count} cooperatives")
        _write_memberships(loader, rng, coops, users, now)
        loader.phase("memberships", f"{loader.counts.get('cooperatives_membership', 0)} memberships")
        extra = write_toolbox(loader, rng, scale, coops, users, now, codes)
        write_news(loader, rng, scale, coops, users, now, codes, images=_poster_files(), extra_activities=extra)
        # Before ``finish``: its VACUUM ANALYZE must see the cooperatives as they stay. Updated
        # afterwards, every row left a dead copy behind and the planner, misled by the table's
        # doubled size, joined a member's cooperatives by scanning all of them (with
        # autovacuum off, as on the benchmark's machines, it stayed so).
        _mark_last_activities()
        loader.phase("last activity per cooperative")
    finally:
        loader.finish(
            [
                User,
                Structure,
                Official,
                Cooperative,
                Membership,
                Post,
                PostImage,
                Comment,
                Reaction,
                PostFollow,
                *TOOLBOX_MODELS,
                Activity,
                Notification,
            ]
        )
    loader.phase("analyze")
    return dict(loader.counts)


def _mark_last_activities() -> None:
    """What ``feed.services.activity_record`` keeps for each cooperative: its newest broadcast id."""
    newest = Activity.objects.filter(cooperative=OuterRef("pk"), broadcast=True).order_by("-id").values("id")[:1]
    Cooperative.objects.update(last_activity_id=Subquery(newest))


# --- members ---------------------------------------------------------------------------------------------


@dataclass
class _Users:
    first_id: int
    count: int
    targets: list[int]  # how many cooperatives each member should end up in
    heavy: set[int]  # indexes of the members in 100 to 200 cooperatives


def _coop_target(rng: random.Random) -> int:
    roll = rng.random()
    for bound, low, high in (
        (0.10, 1, 1), (0.40, 2, 2), (0.62, 3, 3), (0.76, 4, 4), (0.85, 5, 5),
        (0.95, 6, 10), (0.99, 11, 30), (1.01, 31, 99),
    ):  # fmt: skip
        if roll < bound:
            return rng.randint(low, high)
    return 2


def _write_users(loader: BulkLoader, rng: random.Random, scale: Scale, now: float, codes) -> _Users:
    first_id = loader.next_id(User)
    password = make_password(BENCH_PASSWORD)
    count = scale.members
    # The benchmark compares a member of 2 cooperatives with a member of about 200.
    n_top = max(2, round(count * 0.0015))
    n_mid = max(2, round(count * 0.002))
    targets = [_coop_target(rng) for _ in range(count)]
    heavy_indexes = rng.sample(range(count), n_top + n_mid)
    for n, index in enumerate(heavy_indexes):
        targets[index] = 200 - rng.randint(0, 4) if n < n_top else rng.randint(100, 195)

    def rows():
        for i in range(count):
            first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
            display = f"{first} {last}"
            slug = slugify(display).replace("-", ".")
            workplace = rng.choice(names.WORKPLACES)[1][0].lower()
            bio = text.bio(rng, workplace) if rng.random() < 0.3 else ""
            joined = now - rng.uniform(380, 1500) * DAY
            handle = f"{slug[:30]}.{i + 1}"
            yield (
                first_id + i,
                password,
                next(codes),
                f"{slug}.{i + 1}@{EMAIL_DOMAIN}",
                display,
                handle,
                search_name_for(display, handle),
                bio,
                loader.dt(joined),
            )

    loader.insert(
        User,
        ["id", "password", "code", "email", "display_name", "handle", "search_name", "bio", "date_joined"],
        rows(),
    )
    loader.phase("members", f"{count} members")
    return _Users(first_id, count, targets, set(heavy_indexes))


# --- structures ---------------------------------------------------------------------------------------------


@dataclass
class _Tree:
    kinds: list[str]
    names: list[str]
    parents: list[int | None]
    departements: list[str]
    communes: list[str]
    sections: list[int]  # indexes of the sections (where members work)


def _plan_structures(rng: random.Random, scale: Scale) -> _Tree:
    total = scale.structures
    n_fed = max(1, round(total * 0.003))
    n_ud = max(1, min(len(names.DEPARTEMENTS), round(total * 0.01)))
    n_ul = max(1, round(total * 0.04))
    n_syn = max(1, round(total * 0.3))
    n_sec = max(1, total - 1 - n_fed - n_ud - n_ul - n_syn)
    tree = _Tree([], [], [], [], [], [])
    towns_by_dep: dict[str, list[str]] = {}
    for town, dep in names.TOWNS:
        towns_by_dep.setdefault(dep, []).append(town)

    def add(kind, name, parent, dep="", commune=""):
        tree.kinds.append(kind)
        tree.names.append(name)
        tree.parents.append(parent)
        tree.departements.append(dep)
        tree.communes.append(commune)
        return len(tree.kinds) - 1

    root = add(StructureKind.CONFEDERATION, "Confédération solidaire du travail", None)
    sectors = [sector for sector, _places in names.WORKPLACES]
    feds = [
        add(
            StructureKind.FEDERATION,
            f"Fédération {sectors[i % len(sectors)]}" + (f" ({i // len(sectors) + 1})" if i >= len(sectors) else ""),
            root,
        )
        for i in range(n_fed)
    ]
    uds = []
    for code, name, article in rng.sample(names.DEPARTEMENTS, n_ud):
        uds.append(add(StructureKind.UNION_DEPARTEMENTALE, f"Union départementale {article}{name}", root, code))

    def town_in(dep: str) -> str:
        return rng.choice(towns_by_dep.get(dep) or [town for town, _dep in names.TOWNS])

    uls = []
    for _ in range(n_ul):
        ud = rng.choice(uds)
        dep = tree.departements[ud]
        town = town_in(dep)
        uls.append(add(StructureKind.UNION_LOCALE, f"Union locale de {town}", ud, dep, town))
    syndicats = []
    for _ in range(n_syn):
        sector_index = rng.randrange(len(sectors))
        roll = rng.random()
        parent = rng.choice(feds) if roll < 0.2 else rng.choice(uls) if roll < 0.6 else rng.choice(uds)
        dep = tree.departements[parent] or rng.choice(names.DEPARTEMENTS)[0]
        town = tree.communes[parent] or town_in(dep)
        name = f"Syndicat {sectors[sector_index]} de {town}"
        syndicats.append((add(StructureKind.SYNDICAT, name, parent, dep, town), sector_index))
    for _ in range(n_sec):
        syndicat, sector_index = rng.choice(syndicats)
        dep = tree.departements[syndicat]
        town = town_in(dep) if rng.random() < 0.5 else tree.communes[syndicat]
        place = rng.choice(names.WORKPLACES[sector_index][1])
        tree.sections.append(add(StructureKind.SECTION, f"Section {place} de {town}", syndicat, dep, town))
    return tree


# --- memberships ---------------------------------------------------------------------------------------------

OPEN_THEMES = [
    "Égalité femmes-hommes",
    "Élections professionnelles",
    "Télétravail et droit à la déconnexion",
    "Jeunes militant·es",
    "Santé au travail",
    "Retraites",
    "Salaires et primes",
    "Formation syndicale",
    "Logement",
    "Transports et covoiturage",
    "Handicap au travail",
    "Précarité et contrats courts",
    "Comités sociaux",
    "Communication et tracts",
    "Caisse de solidarité",
    "Lutte contre les discriminations",
]


@dataclass
class _Coops:
    count: int  # private (one per structure, same index) then open
    first_id: int
    n_private: int
    names: list[str]
    policies: list[str]
    creators: list[int | None]  # user index
    members: list[list[int]]  # user indexes per cooperative
    animateurs: list[set[int]]
    officials: list[tuple[int, int, str]]  # (structure index, user index, role)
    muted: set[tuple[int, int]]


def _plan_memberships(rng: random.Random, scale: Scale, users: _Users, tree: _Tree, *, first_id: int) -> _Coops:
    n_private = len(tree.kinds)
    n_open = scale.cooperatives
    count = n_private + n_open
    coops = _Coops(
        count=count,
        first_id=first_id,
        n_private=n_private,
        names=list(tree.names) + [f"{rng.choice(OPEN_THEMES)} — {rng.choice(names.TOWNS)[0]}" for _ in range(n_open)],
        policies=[Cooperative.JoinPolicy.INVITATION] * n_private
        + [rng.choice(("open", "open", "request", "request", "invitation")) for _ in range(n_open)],
        creators=[None] * count,
        members=[[] for _ in range(count)],
        animateurs=[set() for _ in range(count)],
        officials=[],
        muted=set(),
    )
    # A few open cooperatives gather thousands of members, most a handful.
    cum = cumulative(1.0 / (rank + 5) ** 1.1 for rank in range(n_open))
    for u in range(users.count):
        section = rng.choice(tree.sections)
        coops.members[section].append(u)
        wanted = min(users.targets[u] - 1, n_open)
        chosen: set[int] = set()
        while len(chosen) < wanted:
            chosen.update(pick(rng, cum) for _ in range(wanted - len(chosen)))
        for c in chosen:
            coops.members[n_private + c].append(u)
            if 6 <= users.targets[u] < 100 and rng.random() < 0.03:
                coops.muted.add((n_private + c, u))
    ordinary = [u for u in range(users.count) if u not in users.heavy]
    roles = [OfficialRole.SECRETAIRE, OfficialRole.TRESORIER, OfficialRole.COMMUNICATION]
    for s in range(n_private):
        if tree.kinds[s] == StructureKind.SECTION:
            candidates = [u for u in coops.members[s] if u not in users.heavy]
            chosen_officials = rng.sample(candidates, min(len(candidates), rng.randint(1, 3)))
        else:
            chosen_officials = rng.sample(ordinary, 2)
        for role, u in zip(roles, chosen_officials, strict=False):
            coops.officials.append((s, u, role))
            if u not in coops.animateurs[s]:
                if u not in coops.members[s]:
                    coops.members[s].append(u)
                coops.animateurs[s].add(u)
    for c in range(n_private, count):
        members = coops.members[c]
        candidates = [u for u in members if u not in users.heavy] or members
        creator = rng.choice(candidates) if candidates else rng.choice(ordinary)
        if creator not in members:
            members.append(creator)
        coops.creators[c] = creator
        coops.animateurs[c].add(creator)
        coops.muted.discard((c, creator))
    return coops


def _write_structures(loader: BulkLoader, tree: _Tree, coops: _Coops, users: _Users, now: float, codes) -> None:
    first_id = loader.next_id(Structure)
    created = loader.dt(now - 400 * DAY)
    paths: list[str] = []
    depths: list[int] = []
    rows = []
    for s, kind in enumerate(tree.kinds):
        parent = tree.parents[s]
        paths.append((paths[parent] if parent is not None else "") + f"{first_id + s}/")
        depths.append(depths[parent] + 1 if parent is not None else 0)
        rows.append(
            (
                first_id + s,
                created,
                created,
                next(codes),
                kind,
                tree.names[s],
                first_id + parent if parent is not None else None,
                paths[s],
                depths[s],
                tree.departements[s],
                tree.communes[s],
            )
        )
    loader.insert(
        Structure,
        [
            "id",
            "created_at",
            "updated_at",
            "code",
            "kind",
            "name",
            "parent_id",
            "path",
            "depth",
            "departement",
            "commune",
        ],
        rows,
    )
    coop_rows = []
    for c in range(coops.count):
        private = c < coops.n_private
        creator = coops.creators[c]
        coop_rows.append(
            (
                coops.first_id + c,
                created,
                created,
                next(codes),
                "private" if private else "open",
                first_id + c if private else None,
                coops.names[c],
                search_text_for(coops.names[c], ""),  # generated cooperatives have no description
                coops.policies[c],
                None if creator is None else users.first_id + creator,
                len(coops.members[c]),
            )
        )
    loader.insert(
        Cooperative,
        [
            "id",
            "created_at",
            "updated_at",
            "code",
            "kind",
            "structure_id",
            "name",
            "search_text",
            "join_policy",
            "created_by_id",
            "member_count",
        ],
        coop_rows,
    )
    since = loader.date(now - 400 * DAY)
    loader.insert(
        Official,
        ["structure_id", "user_id", "role", "since"],
        [(first_id + s, users.first_id + u, role, since) for s, u, role in coops.officials],
    )


def _write_memberships(loader: BulkLoader, rng: random.Random, coops: _Coops, users: _Users, now: float) -> None:
    def rows():
        for c in range(coops.count):
            coop_id = coops.first_id + c
            animateurs = coops.animateurs[c]
            for u in coops.members[c]:
                joined = now - rng.uniform(366, 390) * DAY
                yield (
                    coop_id,
                    users.first_id + u,
                    "animateur" if u in animateurs else "member",
                    loader.dt(joined),
                    (c, u) in coops.muted,
                )

    loader.insert(Membership, ["cooperative_id", "user_id", "role", "joined_at", "muted"], rows())


# --- news ----------------------------------------------------------------------------------------------------


def _poster_files(count: int = 12) -> list[tuple[str, int, int, str]]:
    """A small pool of real image files shared by the generated posts: (name, width, height, alt text)."""
    folder = Path(settings.MEDIA_ROOT) / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    pool = []
    for i in range(count):
        theme = OPEN_THEMES[i % len(OPEN_THEMES)]
        name = f"posts/bench-{i:02d}.jpg"
        path = Path(settings.MEDIA_ROOT) / name
        if not path.exists():
            path.write_bytes(poster(theme, color=PALETTE[i % len(PALETTE)], size=(800, 500)))
        pool.append((name, 800, 500, f"Affiche aux couleurs du syndicat : « {theme} »."))
    return pool
