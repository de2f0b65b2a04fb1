"""The kinds of items the feed shows: a registry that every app fills with its own.

An ``Activity`` names its kind by its ``verb`` and its target by ``target_id`` (the primary
key of the kind's ``model``). The feed knows nothing else about an item: each kind says

- its ``verb`` and ``label`` ("published a post"), and whether the whole cooperative hears of
  it (``broadcast``: in the feed of every member) or only the people notified of it;
- how to load the targets of a whole page in bulk (``load``: one query per kind per page,
  never one per item; by default its ``model`` with ``related`` selected);
- how to render one card (``template``, or ``render`` for a card built in Python);
- optionally, which card it joins (``group``: the comments of a post join the post's card) and
  where a notification about it leads (``url``).

An app registers its kinds in a ``feed_items.py`` module (found at start-up, as the admin finds
``admin.py``) or in its ``AppConfig.ready``::

    from terrain.feed.items import ItemKind, register

    ENTRY_ADDED = "faq_entry_added"
    register(ItemKind(verb=ENTRY_ADDED, label=_("added a question"), model=Entry, broadcast=True,
                      related=("author",), template="faq/_feed_entry.html"))

(``tool="faq"`` hides them where the cooperative turned that tool off), then records its events
with ``feed.services.activity_record(cooperative=..., actor=...,
verb=ENTRY_ADDED, target=entry)``.

Every kind's targets are read in the same round trip as the page's activities: a kind with the
default ``load`` gets ``statements`` made for it (``ModelRows``: its ``model`` and the foreign
keys named in ``related``, in plain SQL selecting its rows among the page's targets) and the
default ``load`` then builds the instances from those rows (``LoadRequest.rows``). A kind with
its own ``load`` may give its own ``statements`` (the news: posts with their last comments and
reactions) or a ``ModelRows`` with a ``where`` (live rows only) and ``load_rows``; else its
``load`` runs after the page, at the cost of one more query.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.template import Context
from django.template.loader import get_template
from django.utils.functional import Promise

if TYPE_CHECKING:
    from terrain.cooperatives.access import CooperativeAccess
    from terrain.feed.models import Activity
    from terrain.lib.sql import Statement


@dataclass
class LoadRequest:
    """What a kind's ``load`` gets: the page's activities of that kind (newest first, each with
    its ``cooperative`` and ``actor`` loaded), the viewer, and the rows of the kind's
    ``statements`` when it has some."""

    activities: list[Activity]
    user: Any
    rows: list[list[tuple]] | None = None
    # The viewer's memberships by cooperative id when the feed read them (``FeedMembership``),
    # and the rights already built, shared by the kinds of the page.
    memberships: dict[int, Any] | None = None
    accesses: dict[int, CooperativeAccess] = field(default_factory=dict)
    # For the cards of the feed (False: only the targets, for a list of notifications).
    cards: bool = True

    @property
    def target_ids(self) -> list[int]:
        return sorted({a.target_id for a in self.activities if a.target_id is not None})

    def access(self, cooperative) -> CooperativeAccess:
        """The viewer's rights in ``cooperative``: from the memberships read with the page (no
        query), else read once per cooperative."""
        from terrain.cooperatives.access import CooperativeAccess
        from terrain.cooperatives.models import Membership

        access = self.accesses.get(cooperative.pk)
        if access is None:
            if self.memberships is not None:
                mine = self.memberships.get(cooperative.pk)
                membership = mine.as_membership(user_id=self.user.pk) if mine is not None else None
            else:
                membership = Membership.objects.filter(user_id=self.user.pk, cooperative=cooperative).first()
            access = self.accesses[cooperative.pk] = CooperativeAccess(cooperative=cooperative, membership=membership)
        return access


@dataclass(frozen=True)
class ModelRows:
    """``statements`` reading a kind's ``model`` among the page's targets, with the rows of the
    foreign keys ``related`` (each a field of ``model``, not a path) joined, and only the rows
    matching ``where`` (SQL on the model's columns, alias ``t``; a soft-deleted row is then not
    shown). Its rows go to ``load_rows``."""

    model: type[Model]
    related: tuple[str, ...] = ()
    where: str = ""

    def __post_init__(self):
        if not joinable(self.model, self.related):
            raise ValueError(f"{self.model.__name__}: ModelRows joins foreign keys only, not {self.related}")

    def select(self):
        from django.db import connection

        from terrain.lib.rows import Table, joined

        related = [self.model._meta.get_field(name).related_model for name in self.related]
        return joined(connection, Table(self.model, "t"), *(Table(m, f"r{i}") for i, m in enumerate(related)))

    def __call__(self, of_targets: Statement, user_id: int) -> list[Statement]:
        from django.db import connection

        quote = connection.ops.quote_name
        joins = "".join(
            f" LEFT JOIN {quote(fk.related_model._meta.db_table)} r{i}"
            f" ON r{i}.{quote(fk.target_field.column)} = t.{quote(fk.column)}"
            for i, fk in enumerate(self.model._meta.get_field(name) for name in self.related)
        )
        where, params = of_targets
        also = f" AND ({self.where})" if self.where else ""
        sql = (
            f"SELECT {self.select().columns} FROM {quote(self.model._meta.db_table)} t{joins}"  # noqa: S608 (names)
            f" WHERE t.{quote(self.model._meta.pk.column)} IN ({where}){also}"
        )
        return [(sql, list(params))]


def joinable(model: type[Model], related: Sequence[str]) -> bool:
    """Whether each of ``related`` is a foreign key of ``model`` (not a path): what ``ModelRows`` joins."""
    for name in related:
        try:
            fk = model._meta.get_field(name)
        except FieldDoesNotExist:  # a path such as "tract__file"
            return False
        if not (fk.many_to_one or fk.one_to_one) or not fk.concrete:
            return False
    return True


def load_rows(request: LoadRequest, kind: ItemKind) -> None:
    """The ``load`` of a kind whose ``statements`` are a ``ModelRows``: each activity's ``target``
    built from the rows read with the page, its ``related`` objects cached as ``select_related``
    leaves them (None when its target is gone or not matched)."""
    reader: ModelRows = kind.statements
    fks = [reader.model._meta.get_field(name) for name in reader.related]
    found = {}
    for target, *related in reader.select().instances(request.rows[0]):
        for fk, value in zip(fks, related, strict=True):
            fk.set_cached_value(target, value)
        found[target.pk] = target
    for activity in request.activities:
        activity.target = found.get(activity.target_id)


def load_by_model(request: LoadRequest, kind: ItemKind) -> None:
    """The default ``load``: ``kind.model`` by primary key with ``kind.related`` selected; from the
    rows read with the page when the kind's ``statements`` are a ``ModelRows`` (the default), else
    in one query. Each activity's ``target`` set (None when its target is gone)."""
    if isinstance(kind.statements, ModelRows) and request.rows is not None:
        load_rows(request, kind)
        return
    ids = request.target_ids
    # No ORDER BY (``in_bulk`` keeps the model's ``Meta.ordering``): a dict needs none, and
    # compiling it costs the ORM more than the rest of the query.
    found = kind.model._default_manager.select_related(*kind.related).order_by().in_bulk(ids) if ids else {}
    for activity in request.activities:
        activity.target = found.get(activity.target_id)


def render_template(context: Context, kind: ItemKind, activity: Activity, group: Sequence[Activity]) -> str:
    """The default ``render``: ``kind.template`` with ``activity`` (its ``target`` loaded) and
    ``group`` (the page's other activities of its card, oldest first) in its context."""
    with context.push(activity=activity, target=activity.target, group=group):
        return get_template(kind.template).template.render(context)


@dataclass(frozen=True)
class ItemKind:
    verb: str
    label: str | Promise
    # What ``Activity.target_id`` points at (None for a kind without a target: a member joined).
    model: type[Model] | None = None
    # Heard of by every member of the cooperative (read from the cooperative at display), or only
    # by the members given a notification ``in_feed`` for it.
    broadcast: bool = False
    # The default loader's ``select_related``.
    related: tuple[str, ...] = ()
    # ``load(request, kind)``: set each activity's ``target`` (and anything its card needs) for
    # the whole page at once. An activity whose ``target`` stays None (its target gone) is not shown.
    load: Callable[[LoadRequest, ItemKind], None] = load_by_model
    # ``statements(of_targets, user_id)``: reads sent with the page's activities; ``of_targets`` is
    # a subquery (SQL and its parameters) selecting this kind's target ids on the page, for ``IN (…)``.
    statements: Callable[[Statement, int], list[Statement]] | None = None
    template: str | None = None
    # ``render(context, kind, activity, group)`` -> the card's HTML (safe).
    render: Callable[[Context, ItemKind, Activity, Sequence[Activity]], str] = render_template
    # ``group(activity)`` -> a key: the page's activities with the same key make one card, where
    # the newest of them stands, led by the one of a kind that ``leads`` (else the newest).
    group: Callable[[Activity], Hashable] | None = None
    leads: bool = False
    # ``url(activity)`` -> where a notification about this activity leads (its target loaded).
    url: Callable[[Activity], str] | None = None
    # The cooperative tool (``cooperatives.tools``) this kind belongs to: its items are hidden from
    # the cooperatives where that tool is turned off. None: shown whatever the tools.
    tool: str | None = None

    def __post_init__(self):
        if self.template is None and self.render is render_template:
            raise ValueError(f"The feed item kind {self.verb!r} needs a template or a render function.")
        if self.model is None and self.load is load_by_model:
            object.__setattr__(self, "load", _no_target)
        elif self.load is load_by_model and self.statements is None and joinable(self.model, self.related):
            # The targets come with the page's activities, in the same round trip.
            object.__setattr__(self, "statements", ModelRows(self.model, self.related))


def _no_target(request: LoadRequest, kind: ItemKind) -> None:
    for activity in request.activities:
        activity.target = None


_KINDS: dict[str, ItemKind] = {}


def register(kind: ItemKind) -> ItemKind:
    """Add ``kind`` to the feed. A verb is registered once (a second registration of the very same
    kind, as a module imported twice would make, is harmless)."""
    existing = _KINDS.get(kind.verb)
    if existing is not None and existing != kind:
        raise ValueError(f"The feed item kind {kind.verb!r} is registered already.")
    if len(kind.verb) > VERB_LENGTH:
        raise ValueError(f"The verb {kind.verb!r} is longer than {VERB_LENGTH} characters.")
    _KINDS[kind.verb] = kind
    return kind


def unregister(verb: str) -> None:
    """Remove a kind (for tests)."""
    _KINDS.pop(verb, None)


def kind_of(verb: str) -> ItemKind | None:
    return _KINDS.get(verb)


def kinds() -> dict[str, ItemKind]:
    return dict(_KINDS)


def verb_label(verb: str) -> str:
    kind = _KINDS.get(verb)
    return str(kind.label) if kind is not None else verb


VERB_LENGTH = 40


def targets_load(
    activities: Sequence[Activity],
    *,
    user,
    memberships: dict[int, Any] | None = None,
    rows: dict[str, list[list[tuple]]] | None = None,
    cards: bool = True,
) -> list[Activity]:
    """Load the targets of ``activities`` kind by kind (one ``load`` per kind on the page), and
    return those still shown: of a registered kind, with their target when the kind has one.
    ``rows`` holds, by verb, the rows of the kinds' ``statements`` read with the activities."""
    by_verb: dict[str, list[Activity]] = {}
    for activity in activities:
        by_verb.setdefault(activity.verb, []).append(activity)
    accesses: dict[int, CooperativeAccess] = {}
    for verb, mine in by_verb.items():
        kind = _KINDS.get(verb)
        if kind is None:
            continue
        if kind.statements is not None and (rows is None or verb not in rows):
            # Not read with the page (a notification's activity): the kind's reads, now.
            from django.db import connection

            from terrain.lib.sql import in_ids, rows_together

            where, params = in_ids(connection, "id", [a.target_id for a in mine if a.target_id is not None])
            of_targets = (f"SELECT id FROM {kind.model._meta.db_table} WHERE {where}", params)  # noqa: S608 (names)
            kind_rows = rows_together(connection, kind.statements(of_targets, int(user.pk)))
        else:
            kind_rows = (rows or {}).get(verb)
        kind.load(LoadRequest(mine, user, kind_rows, memberships, accesses, cards), kind)
    return [
        a
        for a in activities
        if (kind := _KINDS.get(a.verb)) is not None
        and (kind.model is None or a.target is not None)
        and (kind.tool is None or a.cooperative.tool_on(kind.tool))
    ]
