"""``manage.py export_safety_reviews``: reviewers' marks as candidate training rows.

A reviewer marks an event in the staff queue as right, a false positive or missed (with the categories
that apply). This writes those events' messages (as stored: personal information already masked) in
the training data's TSV format (``conversations/safety/training/README.md``), one family per event,
for a person to read, reword into paraphrase families and add to the data. Only the child's own
messages: an output event's stored message is the safe reply that replaced the unsafe one, and an
event the conversation window raised is about several turns, not its last message. Nothing is
trained on automatically: the rows go to standard output or ``--out``, never into the training folder.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from conversations.models import Direction, ReviewMark, SafetyEvent
from conversations.safety.model.training import TRAINING_DIR
from conversations.safety.model.types import MODEL_CATEGORIES

logger = logging.getLogger(__name__)
MODEL_LABELS = frozenset(c.value for c in MODEL_CATEGORIES)


def _language(text: str) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def candidate_labels(event: SafetyEvent) -> str:
    """The labels a reviewed event suggests: benign for a false positive, else the reviewer's
    categories (missed) or the verdict's model categories (right)."""
    if event.review_mark == ReviewMark.FALSE_POSITIVE:
        return "benign"
    chosen = event.review_categories if event.review_mark == ReviewMark.MISSED else event.categories
    labels = sorted(set(chosen) & MODEL_LABELS)
    return "|".join(labels)


class Command(BaseCommand):
    help = "Write reviewed safety events as candidate training rows (TSV) for a person to review."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=90, help="events created in the last DAYS days (default 90)")
        parser.add_argument(
            "--mark", choices=[m.value for m in ReviewMark], action="append", help="only these marks (repeatable)"
        )
        parser.add_argument("--out", help="a file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1:
            raise CommandError("--days must be at least 1")
        out = Path(options["out"]).resolve() if options["out"] else None
        if out is not None and out.parent == TRAINING_DIR.resolve():
            raise CommandError("candidates are reviewed before they join the training data: write them elsewhere")
        marks = options["mark"] or [m.value for m in ReviewMark]
        events = (
            SafetyEvent.objects.filter(
                review_mark__in=marks,
                direction=Direction.IN,  # an output event's message is the safe reply that replaced it
                message__isnull=False,
                created_at__gte=timezone.now() - timedelta(days=options["days"]),
            )
            .select_related("message")
            .order_by("created_at", "id")
        )
        lines = ["# candidate rows from reviewed safety events: family<TAB>lang<TAB>labels<TAB>text"]
        for event in events.iterator():
            assert event.message is not None
            if "conversation" in (event.evidence or {}).get("layers", []):
                continue  # found over several turns: one message alone is not the example
            text = " ".join(event.message.text.split())
            labels = candidate_labels(event)
            if text and labels:
                lines.append(f"review.event_{event.pk}\t{_language(text)}\t{labels}\t{text}")
        body = "\n".join(lines) + "\n"
        if out is None:
            self.stdout.write(body, ending="")
        else:
            out.write_text(body, encoding="utf-8")
        logger.info("safety review candidates exported count=%s", len(lines) - 1)
