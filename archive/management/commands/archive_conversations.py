from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from archive.management.progress import progress_bar
from archive.services.archiving import BATCH, conversations_archive_run


class Command(BaseCommand):
    help = "Move messages older than --older-than days into compressed archives (docs/DATA_LIFECYCLE.md)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=settings.ARCHIVE_AFTER_DAYS, metavar="DAYS")
        parser.add_argument("--batch-size", type=int, default=BATCH)
        parser.add_argument("--dry-run", action="store_true", help="say what would move, move nothing")

    def handle(self, *args, older_than: int, batch_size: int, dry_run: bool, **options):
        if older_than < 1 or batch_size < 1:
            self.stderr.write("--older-than and --batch-size must be at least 1")
            raise SystemExit(2)
        report = conversations_archive_run(
            older_than_days=older_than, dry_run=dry_run, progress=progress_bar("archiving"), batch=batch_size
        )
        verb = "would move" if dry_run else "moved"
        ratio = f", {report.raw_bytes / report.compressed_bytes:.1f}x smaller" if report.compressed_bytes else ""
        self.stdout.write(f"{verb} {report.messages} messages into {report.archives} archives{ratio}")
