"""Write ``docs/workflows.md`` from the workshop's workflow tables (or, with --check, say whether it is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from terrain.atelier.workflows import document


class Command(BaseCommand):
    help = "Write docs/workflows.md (the workshop's workflow diagrams) from terrain/atelier/workflows.py."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--path", default=str(Path(settings.BASE_DIR) / "docs" / "workflows.md"))
        parser.add_argument("--check", action="store_true", help="exit 1 when the page differs from the tables")

    def handle(self, *args, path: str, check: bool, **options) -> None:
        target = Path(path)
        text = document()
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if check:
            if current != text:
                self.stderr.write(f"{target} differs from the workflow tables: run manage.py workflows_doc")
                sys.exit(1)
            self.stdout.write(f"{target} is up to date.")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {target}.")
