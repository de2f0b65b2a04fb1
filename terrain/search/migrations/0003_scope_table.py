"""SQLite: each indexed document's scope token and date in a narrow table of their own
(``search.backends._sqlite_search``, members of many cooperatives). Nothing on another database."""

from django.db import migrations

SQL = {
    "sqlite": (
        [
            "CREATE TABLE search_scope (id INTEGER PRIMARY KEY, created INTEGER NOT NULL, scope TEXT NOT NULL)",
            "INSERT INTO search_scope (id, created, scope) SELECT rowid, created, scope FROM search_fts",
        ],
        ["DROP TABLE IF EXISTS search_scope"],
    ),
}


def _run(schema_editor, which: int) -> None:
    for statement in SQL.get(schema_editor.connection.vendor, ([], []))[which]:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, 0)


def backwards(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
