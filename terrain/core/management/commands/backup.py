"""``manage.py backup``: the database and the uploaded files in one archive, while Terrain runs."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from terrain.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write a consistent archive (tar.gz) of the database and the uploaded files, while Terrain runs. "
        "Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            help="the archive to write (default: var/backups/terrain-<date>-<time>.tar.gz)",
        )

    def handle(self, *args, output: str | None = None, **options) -> None:
        if output:
            path = Path(output)
        else:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = Path(settings.VAR_DIR) / "backups" / f"terrain-{stamp}.tar.gz"
        try:
            summary = backup_write(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = summary.path.stat().st_size
        self.stdout.write(
            f"Backup written: {summary.path} ({size / 1024 / 1024:.1f} MB, {summary.vendor} database, "
            f"{summary.files} uploaded files)."
        )
