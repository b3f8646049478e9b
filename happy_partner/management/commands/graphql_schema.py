"""Print the GraphQL schema to docs/schema.graphql (``--check``: fail when the file is not current)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from happy_partner.graphql.schema import SCHEMA_FILE, schema_text


class Command(BaseCommand):
    help = "Write the GraphQL schema to docs/schema.graphql, or check that it is current."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if the file differs from the schema.")

    def handle(self, *args, check: bool = False, **options) -> None:
        text = schema_text()
        if check:
            if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text() != text:
                raise CommandError(f"{SCHEMA_FILE.name} is not current: run `make graphql-schema`.")
            self.stdout.write(f"{SCHEMA_FILE.name} is current.")
            return
        SCHEMA_FILE.write_text(text)
        self.stdout.write(f"Wrote {SCHEMA_FILE}.")
