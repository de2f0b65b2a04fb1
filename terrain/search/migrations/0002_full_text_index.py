"""The full-text index of each database (``search.backends``): FTS5 on SQLite, a tsvector with
a GIN index on PostgreSQL. Nothing on another database."""

from django.db import migrations

SQL = {
    "sqlite": (
        [
            # ``created`` and ``scope`` first: read per match without walking the row's overflow pages.
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "created UNINDEXED, scope UNINDEXED, title, body, access, tokenize = 'unicode61 remove_diacritics 0')"
        ],
        ["DROP TABLE IF EXISTS search_fts"],
    ),
    "postgresql": (
        [
            "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector",
            "CREATE INDEX search_doc_vector_idx ON search_searchdocument USING gin (search_vector)",
        ],
        [
            "DROP INDEX IF EXISTS search_doc_vector_idx",
            "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
        ],
    ),
}


def _run(schema_editor, which: int) -> None:
    statements = SQL.get(schema_editor.connection.vendor)
    if statements:
        for statement in statements[which]:
            schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, 0)


def backwards(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
