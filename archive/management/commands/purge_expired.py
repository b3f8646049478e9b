from __future__ import annotations

from django.core.management.base import BaseCommand

from archive.services.retention import expired_purge, inactive_accounts_process


class Command(BaseCommand):
    help = "Delete what outlived its retention; with --inactive, also notice and delete inactive accounts."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
        parser.add_argument("--inactive", action="store_true", help="also run the inactive-accounts job")

    def handle(self, *args, dry_run: bool, inactive: bool, **options):
        verb = "would delete" if dry_run else "deleted"
        counts = expired_purge(dry_run=dry_run)
        self.stdout.write(f"{verb}: " + ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()))
        if inactive:
            done = inactive_accounts_process(dry_run=dry_run)
            self.stdout.write("inactive accounts: " + ", ".join(f"{n} {name}" for name, n in done.items()))
