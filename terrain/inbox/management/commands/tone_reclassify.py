"""Triage the stored items again with the current tone rules (after an upgrade changes them)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from terrain.inbox.services import items_reclassify


class Command(BaseCommand):
    help = (
        "Triages every stored inbox item again with the current tone rules, and gives each thread "
        "its most urgent tone again. Safe to stop and run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="Items read and written per transaction.")

    def handle(self, *args, **options) -> None:
        # The reasons are stored in the site's language, as the worker writes them.
        with translation.override(settings.LANGUAGE_CODE):
            items, threads = items_reclassify(batch=max(1, options["batch"]))
        self.stdout.write(f"{items} items triaged anew, {threads} threads changed tone.\n")
