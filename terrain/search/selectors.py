"""Reads of the search: what a person may find, read fresh with every query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.safestring import SafeString

from terrain.cooperatives.models import Cooperative, Membership
from terrain.cooperatives.tools import disabled_keys
from terrain.search import backends
from terrain.search.analysis import Query, parse
from terrain.search.models import SearchDocument
from terrain.search.registry import SearchKind, kind_of
from terrain.search.registry import kinds as registered_kinds
from terrain.search.snippets import highlight, snippet

PAGE_SIZE = 20
MAX_PAGE = 50


@dataclass
class Result:
    document: SearchDocument
    kind: SearchKind | None
    cooperative: Cooperative
    title: SafeString
    snippet: SafeString


@dataclass
class ResultPage:
    query: Query
    total: int
    page: int
    limit: int
    results: list[Result] = field(default_factory=list)

    @property
    def total_capped(self) -> bool:
        return self.total > backends.COUNT_LIMIT

    @property
    def has_next(self) -> bool:
        return self.page * self.limit < self.total and self.page < MAX_PAGE

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def scopes_for(*, user, kinds: list[str] | None = None, cooperative_id: int | None = None) -> list[backends.Scope]:
    """What ``user`` may find now: for each cooperative they are a member of (read fresh), the
    kinds whose tool is on there, grouped by the set of kinds. Nothing for an inactive user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    wanted = [k for k in registered_kinds() if kinds is None or k.key in kinds]
    memberships = Membership.objects.filter(user=user)
    if cooperative_id is not None:
        memberships = memberships.filter(cooperative_id=cooperative_id)
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for coop_id, disabled in memberships.values_list("cooperative_id", "cooperative__disabled_tools"):
        off = disabled_keys(disabled or "")
        allowed = tuple(k.key for k in wanted if not k.tool or k.tool not in off)
        if allowed:
            groups[allowed].append(coop_id)
    return [backends.Scope(cooperative_ids=tuple(sorted(ids)), kinds=kinds_) for kinds_, ids in groups.items()]


def search_for(
    *,
    user,
    query: str,
    kinds: list[str] | None = None,
    cooperative: Cooperative | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    limit: int = PAGE_SIZE,
) -> ResultPage:
    """The documents matching ``query`` that ``user`` may see now, best first, with snippets."""
    parsed = parse(query)
    page = max(1, min(int(page), MAX_PAGE))
    result = ResultPage(query=parsed, total=0, page=page, limit=limit)
    if not parsed:
        return result
    scopes = scopes_for(user=user, kinds=kinds, cooperative_id=cooperative.pk if cooperative else None)
    hits = backends.search(
        query=parsed, scopes=scopes, since=since, until=until, limit=limit, offset=(page - 1) * limit
    )
    result.total = hits.total
    if not hits.ids:
        return result
    by_id = SearchDocument.objects.select_related("cooperative").in_bulk(hits.ids)
    wanted = parsed.highlight
    allowed = {coop: set(scope.kinds) for scope in scopes for coop in scope.cooperative_ids}
    for doc_id in hits.ids:
        doc = by_id.get(doc_id)
        # The index decided the access; the documents' rows say it again.
        if doc is None or doc.kind not in allowed.get(doc.cooperative_id, ()):
            continue
        result.results.append(
            Result(
                document=doc,
                kind=kind_of(doc.kind),
                cooperative=doc.cooperative,
                title=highlight(doc.title, wanted),
                snippet=snippet(doc.body, wanted) if doc.body else SafeString(""),
            )
        )
    return result
