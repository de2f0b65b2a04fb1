"""Cooperative.search_text: the folded name and description that the search of cooperatives matches."""

from __future__ import annotations

from django.db import migrations, models

from terrain.lib.text import fold

BATCH = 1000


def backfill_search_text(apps, schema_editor) -> None:
    """Fill ``search_text`` for every existing cooperative, by batches (memory stays flat on big tables)."""
    Cooperative = apps.get_model("cooperatives", "Cooperative")
    batch = []
    rows = Cooperative.objects.only("pk", "name", "description").order_by("pk").iterator(chunk_size=BATCH)
    for cooperative in rows:
        # Same as terrain.cooperatives.models.search_text_for (a migration does not import live models).
        cooperative.search_text = fold(f"{cooperative.name or ''} {cooperative.description or ''}")
        batch.append(cooperative)
        if len(batch) >= BATCH:
            Cooperative.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Cooperative.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("cooperatives", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="cooperative",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill_search_text, migrations.RunPython.noop, elidable=True),
    ]
