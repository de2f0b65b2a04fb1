"""Rebuild the search index from the registry (``search.registry``): after an upgrade that
changes the analysis, after restoring a backup. Idempotent: run it again, same index."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from terrain.search import backends
from terrain.search.models import SearchDocument
from terrain.search.registry import kind_of, kinds
from terrain.search.services import search_index, search_remove

BATCH = 500


class Command(BaseCommand):
    help = "Rebuild every search document from its object, kind by kind, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", help="only this kind (repeatable)")
        parser.add_argument("--batch", type=int, default=BATCH)

    def handle(self, *args, kind=None, batch=BATCH, **options):
        chosen = [kind_of(k) for k in kind] if kind else kinds()
        if None in chosen:
            raise CommandError(f"Unknown kind; known: {', '.join(k.key for k in kinds())}")
        for search_kind in chosen:
            stored = self._reindex(search_kind, batch)
            self.stdout.write(f"{search_kind.key}: {stored} documents")
        backends.prune()

    def _reindex(self, search_kind, batch: int) -> int:
        manager = search_kind.model._default_manager
        stored, last = 0, None
        while True:
            rows = manager.order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            objects = list(rows[:batch])
            if not objects:
                break
            with transaction.atomic():
                stored += search_index(kind=search_kind.key, objects=objects)
            last = objects[-1].pk
        # Documents whose object is gone (e.g. deleted while the search was not told).
        existing = manager.values("pk")
        orphans = list(
            SearchDocument.objects.filter(kind=search_kind.key)
            .exclude(object_id__in=existing)
            .values_list("object_id", flat=True)
        )
        if orphans:
            search_remove(kind=search_kind.key, ids=orphans)
        return stored
