"""Reads of the inbox pages: the threads of a structure, filtered, and one thread with all it shows.

Callers have checked access (``terrain.inbox.access``); each read loads what its page shows up
front, a bounded number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from terrain.atelier.models import Strategy
from terrain.inbox.forms import ALL, STATUS_FILTERS
from terrain.inbox.models import Conversation, Item, Note, Reply, SavedReply, Status
from terrain.structures.models import Official

PAGE_SIZE = 50

# The number of new threads in the inboxes member ``%(user)s`` handles: the structures where
# they are an official, a writer or an approver (``core.menu`` fact ``inbox_new``). Plain SQL:
# every page of a signed-in member draws the menu. It walks the member's links (indexed by
# user) to the structures, then the ``inbox_conv_queue`` index (structure, status) of each.
_WRITERS = Strategy.writers.through._meta
_APPROVERS = Strategy.approvers.through._meta
_CONV = Conversation._meta
INBOX_NEW_SQL = (
    f"SELECT COUNT(*) FROM {_CONV.db_table} WHERE {_CONV.get_field('status').column} = 'new' "  # noqa: S608
    f"AND {_CONV.get_field('structure').column} IN ("
    f"SELECT {Official._meta.get_field('structure').column} FROM {Official._meta.db_table} "
    f"WHERE {Official._meta.get_field('user').column} = %(user)s "
    f"UNION SELECT s.{Strategy._meta.get_field('structure').column} FROM {Strategy._meta.db_table} s "
    f"JOIN {_WRITERS.db_table} w ON w.strategy_id = s.{Strategy._meta.pk.column} WHERE w.user_id = %(user)s "
    f"UNION SELECT s.{Strategy._meta.get_field('structure').column} FROM {Strategy._meta.db_table} s "
    f"JOIN {_APPROVERS.db_table} a ON a.strategy_id = s.{Strategy._meta.pk.column} WHERE a.user_id = %(user)s)"
)
assert Status.NEW == "new"  # written in the statement above


def conversations_for(*, structure, filters: dict, user) -> QuerySet[Conversation]:
    """The threads of ``structure`` matching ``filters`` (``forms.FilterForm.values``), most urgent first:
    questions and critical ones, then by the newest item."""
    first = Item.objects.filter(conversation=OuterRef("pk")).order_by("created_at", "id")
    threads = (
        Conversation.objects.filter(structure=structure)
        .select_related("assignee", "watch")
        .annotate(
            first_text=Subquery(first.values("text")[:1]),
            first_author=Subquery(first.values("author_name")[:1]),
            first_handle=Subquery(first.values("author_handle")[:1]),
            tone_reason=Subquery(
                Item.objects.filter(conversation=OuterRef("pk"), tone=OuterRef("tone"))
                .exclude(tone_reason="")
                .order_by("created_at", "id")
                .values("tone_reason")[:1]
            ),
        )
        .order_by("priority", "-last_item_at", "-id")
    )
    status = filters.get("status") or "open"
    if status != ALL:
        threads = threads.filter(status__in=STATUS_FILTERS.get(status, STATUS_FILTERS["open"]))
    if filters.get("network"):
        threads = threads.filter(network=filters["network"])
    if filters.get("tone"):
        threads = threads.filter(tone=filters["tone"])
    if filters.get("kind"):
        threads = threads.filter(kind=filters["kind"])
    assignee = filters.get("assignee")
    if assignee == "me":
        threads = threads.filter(assignee=user)
    elif assignee == "nobody":
        threads = threads.filter(assignee__isnull=True)
    if filters.get("tag"):
        threads = _with_tag(threads, filters["tag"])
    if filters.get("q"):
        words = filters["q"]
        said = Item.objects.filter(conversation=OuterRef("pk")).filter(
            Q(text__icontains=words) | Q(author_handle__icontains=words) | Q(author_name__icontains=words)
        )
        threads = threads.filter(Exists(said))
    return threads


def _with_tag(threads: QuerySet[Conversation], tag: str) -> QuerySet[Conversation]:
    """Threads carrying ``tag`` (tags are a JSON list): ``@>`` on PostgreSQL, ``json_each`` on SQLite."""
    if connection.vendor == "postgresql":
        return threads.filter(tags__contains=[tag])
    table = _CONV.db_table
    where = f"EXISTS (SELECT 1 FROM json_each({table}.tags) WHERE json_each.value = %s)"  # noqa: S608 (a parameter)
    return threads.extra(where=[where], params=[tag])  # noqa: S610


@dataclass
class Page:
    rows: list[Conversation]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(threads: QuerySet[Conversation], number: int) -> Page:
    number = max(1, min(number, 10_000))
    start = (number - 1) * PAGE_SIZE
    rows = list(threads[start : start + PAGE_SIZE + 1])
    return Page(rows=rows[:PAGE_SIZE], number=number, has_next=len(rows) > PAGE_SIZE)


@dataclass
class Thread:
    conversation: Conversation
    items: list[Item]
    notes: list[Note]
    replies: list[Reply]
    saved: list[SavedReply]

    @property
    def answerable(self) -> list[Item]:
        """The items an answer can go to: those the network lets us answer, newest first."""
        return [item for item in reversed(self.items) if item.reply_to]


def thread_for(conversation: Conversation) -> Thread:
    return Thread(
        conversation=conversation,
        items=list(conversation.items.all()),
        notes=list(Note.objects.filter(conversation=conversation).select_related("author")),
        replies=list(Reply.objects.filter(conversation=conversation).select_related("author", "approved_by", "item")),
        saved=list(SavedReply.objects.filter(structure_id=conversation.structure_id)),
    )


def new_count(structure) -> int:
    return Conversation.objects.filter(structure=structure, status=Status.NEW).count()
