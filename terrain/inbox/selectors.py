"""Reads of the inbox pages: the threads of a structure, filtered, and one thread with all it shows.

Callers have checked access (``terrain.inbox.access``); each read loads what its page shows up
front, a bounded number of queries whatever the number of rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection

from terrain.accounts.models import User
from terrain.atelier.models import Strategy
from terrain.inbox.forms import ALL, STATUS_FILTERS
from terrain.inbox.models import Conversation, Item, Note, Reply, SavedReply, Status, Watch
from terrain.lib.rows import Table, joined
from terrain.lib.sql import rows_together
from terrain.structures.models import Official

PAGE_SIZE = 25  # a phone screen scrolls through 25 well; the next page is one tap

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


ORDER = "c.priority, c.last_item_at DESC, c.id DESC"  # the inbox_conv_queue index's order
REASON_OF_TONE = " AND i.tone = c.tone AND i.tone_reason <> ''"


def _omitted(model, keep: set[str]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname not in keep)


_ROW_TABLES = (
    Table(Conversation, "c", omit=("our_post_text", "our_post_url")),
    Table(User, "u", omit=_omitted(User, {"id", "code", "email", "display_name", "handle"})),
    Table(Watch, "w", omit=_omitted(Watch, {"id", "code", "name"})),
)


def conversations_page(*, structure, filters: dict, user, number: int) -> Page:
    """Page ``number`` of the threads of ``structure`` matching ``filters`` (``forms.FilterForm.values``),
    most urgent first: questions and critical ones, then by the newest item.

    One plain SQL statement (the list is the inbox's hot page: CONTRIBUTING, "Hot reads"): the
    threads through the ``inbox_conv_queue`` index, each with its first item's words and author
    and the reason of its tone, read by the (conversation, created_at) index of the items.
    """
    number = max(1, min(number, 10_000))
    where, params = _where(structure=structure, filters=filters, user=user)
    select = joined(connection, *_row_tables())
    quote = connection.ops.quote_name
    items, conversations = quote(Item._meta.db_table), quote(Conversation._meta.db_table)

    def first(column: str, extra: str = "") -> str:
        return (
            f"(SELECT i.{column} FROM {items} i WHERE i.conversation_id = c.id{extra}"  # noqa: S608 (names)
            " ORDER BY i.created_at, i.id LIMIT 1)"
        )

    sql = (
        f"SELECT {select.columns}, {first('text')}, {first('author_name')}, {first('author_handle')},"  # noqa: S608
        f" {first('tone_reason', REASON_OF_TONE)}"
        # The page's ids first: the rows' subqueries then run for these rows only, never for
        # every thread the sort went through.
        f" FROM (SELECT c.id FROM {conversations} c WHERE {' AND '.join(where)}"
        f" ORDER BY {ORDER} LIMIT %s OFFSET %s) page"
        f" JOIN {conversations} c ON c.id = page.id"
        f" LEFT JOIN {quote(User._meta.db_table)} u ON u.id = c.assignee_id"
        f" LEFT JOIN {quote(Watch._meta.db_table)} w ON w.id = c.watch_id"
        f" ORDER BY {ORDER}"
    )
    rows, counted = rows_together(
        connection, [(sql, [*params, PAGE_SIZE + 1, (number - 1) * PAGE_SIZE]), _new_count_statement(structure)]
    )
    assignee_field, watch_field = Conversation._meta.get_field("assignee"), Conversation._meta.get_field("watch")
    threads = []
    for row, (conversation, assignee, watch) in zip(rows, select.instances(rows), strict=True):
        assignee_field.set_cached_value(conversation, assignee)
        watch_field.set_cached_value(conversation, watch)
        extra = row[select.width :]
        conversation.first_text, conversation.first_author, conversation.first_handle = extra[0], extra[1], extra[2]
        conversation.tone_reason = extra[3] or ""
        threads.append(conversation)
    return Page(rows=threads[:PAGE_SIZE], number=number, has_next=len(threads) > PAGE_SIZE, new=counted[0][0])


def _row_tables() -> tuple[Table, Table, Table]:
    """What a row of the list shows of a thread, its assignee and its watch."""
    return _ROW_TABLES


def _where(*, structure, filters: dict, user) -> tuple[list[str], list]:
    where, params = ["c.structure_id = %s"], [structure.pk]
    status = filters.get("status") or "open"
    if status != ALL:
        statuses = STATUS_FILTERS.get(status, STATUS_FILTERS["open"])
        where.append(f"c.status IN ({', '.join(['%s'] * len(statuses))})")
        params += [str(value) for value in statuses]
    for name in ("network", "tone", "kind"):
        if filters.get(name):
            where.append(f"c.{name} = %s")
            params.append(filters[name])
    assignee = filters.get("assignee")
    if assignee == "me":
        where.append("c.assignee_id = %s")
        params.append(user.pk)
    elif assignee == "nobody":
        where.append("c.assignee_id IS NULL")
    if filters.get("tag"):
        if connection.vendor == "postgresql":
            where.append("c.tags @> %s::jsonb")
            params.append(json.dumps([filters["tag"]]))
        else:
            where.append("EXISTS (SELECT 1 FROM json_each(c.tags) WHERE json_each.value = %s)")
            params.append(filters["tag"])
    if filters.get("q"):
        # As ``icontains``: the words anywhere in an item's text or author, whatever the case.
        pattern = "%" + filters["q"].lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        items = connection.ops.quote_name(Item._meta.db_table)
        columns = ("text", "author_handle", "author_name")
        like = " OR ".join(f"LOWER(i.{column}) LIKE %s ESCAPE '\\'" for column in columns)
        where.append(f"EXISTS (SELECT 1 FROM {items} i WHERE i.conversation_id = c.id AND ({like}))")  # noqa: S608
        params += [pattern] * 3
    return where, params


@dataclass
class Page:
    rows: list[Conversation]
    number: int
    has_next: bool
    new: int  # the structure's new threads, whatever the filters (the workshop's tab shows it)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


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
    """The structure's new threads (the workshop's tab)."""
    sql, params = _new_count_statement(structure)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _new_count_statement(structure) -> tuple[str, list]:
    table = connection.ops.quote_name(Conversation._meta.db_table)
    return f"SELECT COUNT(*) FROM {table} WHERE structure_id = %s AND status = %s", [structure.pk, str(Status.NEW)]  # noqa: S608
