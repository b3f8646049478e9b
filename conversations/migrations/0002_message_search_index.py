"""Full-text search over messages on PostgreSQL (jieba-segmented tokens, 'simple' configuration).
SQLite has no such index; search there falls back to token matching (see conversations.selectors)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS message_search_fts ON conversations_message "
    "USING GIN (to_tsvector('simple', search_tokens))"
)
DROP = "DROP INDEX IF EXISTS message_search_fts"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
