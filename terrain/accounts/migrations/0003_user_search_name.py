"""User.search_name: the folded display name and @mention name that member searches match."""

from __future__ import annotations

from django.db import migrations, models

from terrain.lib.text import fold

BATCH = 1000


def backfill_search_name(apps, schema_editor) -> None:
    """Fill ``search_name`` for every existing member, by batches (memory stays flat on big tables)."""
    User = apps.get_model("accounts", "User")
    batch = []
    for user in User.objects.only("pk", "display_name", "handle").order_by("pk").iterator(chunk_size=BATCH):
        # Same as terrain.accounts.models.search_name_for (a migration does not import live models).
        user.search_name = fold(f"{user.display_name or ''} {user.handle or ''}")
        batch.append(user)
        if len(batch) >= BATCH:
            User.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        User.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="search_name",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill_search_name, migrations.RunPython.noop, elidable=True),
    ]
