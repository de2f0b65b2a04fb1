"""``manage.py restore``: bring a ``manage.py backup`` archive into an empty instance."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terrain.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup` (database and uploaded files) into this instance, "
        "which must be empty unless --force; then apply this version's migrations. Stop Terrain first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="the .tar.gz written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database of an instance that is not empty (its uploaded files are kept "
            "beside the archive's)",
        )

    def handle(self, *args, archive: str, force: bool = False, **options) -> None:
        try:
            summary = backup_restore(path=Path(archive), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {archive}: the {summary.vendor} database and {summary.files} uploaded files. "
            "Start Terrain again."
        )
