"""Moving old messages out of the hot table, reading them back, and restoring them.

A move is one transaction per batch (one child, one month, at most ``batch`` messages): the batch's
rows are read, written as one compressed archive, read back from the database and verified (count and
SHA-256 of the JSON), the day aggregates that insights need are added (so charts do not go blank), the
safety events remember the message they came from, and only then are the originals deleted. A crash
anywhere rolls the whole batch back: nothing lost, nothing duplicated, and a rerun continues with what
is left. A child's message whose reply is newer than the cutoff waits for the next run, so a question
and its answer always move together.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import zstandard
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ChildProfile
from archive.models import ConversationArchive, JobKind, LifecycleRun
from conversations.models import MemoryFact, Message, SafetyEvent
from conversations.services.insight_days import insight_days_add, insight_days_remove, stored_moment
from happy_partner.errors import ApplicationError, Failure, not_found

logger = logging.getLogger(__name__)

CODEC = "zstd"
LEVEL = 9  # measured in bench/bench_archive.py: within a few % of level 19's size at ~5x the speed
BATCH = 5000
# Every column of a message, in the order the archive's JSON keeps them.
FIELDS = [f.attname for f in Message._meta.concrete_fields]


@dataclass
class ArchiveReport:
    archives: int = 0
    messages: int = 0
    raw_bytes: int = 0
    compressed_bytes: int = 0
    failed: int = 0  # (child, month) pairs whose batch failed and was rolled back: the next run retries


def _month_start(moment: datetime) -> date:
    return moment.date().replace(day=1)


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def messages_to_archive(*, cutoff: datetime):
    """The messages a move may take: older than ``cutoff``, and not a question whose answer is newer."""
    return Message.objects.filter(created_at__lt=cutoff).exclude(reply__created_at__gte=cutoff)


def archive_plan(*, cutoff: datetime) -> list[tuple[int, date]]:
    """(child, month) pairs that have messages to move, oldest first."""
    firsts = messages_to_archive(cutoff=cutoff).values("child_id").annotate(first=Min("created_at"))
    plan = []
    for row in firsts.order_by("child_id"):
        month = _month_start(row["first"].astimezone(ZoneInfo("UTC")))
        while datetime.combine(month, datetime.min.time(), tzinfo=ZoneInfo("UTC")) < cutoff:
            plan.append((row["child_id"], month))
            month = _next_month(month)
    return plan


def _encode(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def _compress(raw: bytes) -> bytes:
    return zstandard.ZstdCompressor(level=LEVEL).compress(raw)


def archive_rows(archive: ConversationArchive) -> list[dict[str, Any]]:
    """The messages of an archive, as they were stored (verified against its checksum)."""
    raw = zstandard.ZstdDecompressor().decompress(bytes(archive.payload))
    if hashlib.sha256(raw).hexdigest() != archive.sha256:
        raise ApplicationError(
            code="archive_damaged", message=_("This archive is damaged."), kind=Failure.CONFLICT
        )  # pragma: no cover - only a tampered or corrupted row
    return json.loads(raw)


@dataclass(frozen=True)
class Moved:
    messages: int
    raw_bytes: int
    compressed_bytes: int


def archive_batch(
    *, child_id: int, month: date, cutoff: datetime, batch: int = BATCH, before_delete=None
) -> Moved | None:
    """Move about ``batch`` of the child's messages of ``month`` older than ``cutoff`` (None: none left).
    Whole pairs only: the answers of the batch's questions come along even from the next month or past
    the batch's size, so no answer is ever left pointing at an archived question. ``before_delete`` is
    the tests' hook for a crash at the worst moment."""
    start = datetime.combine(month, datetime.min.time(), tzinfo=ZoneInfo("UTC"))
    end = min(datetime.combine(_next_month(month), datetime.min.time(), tzinfo=ZoneInfo("UTC")), cutoff)
    with transaction.atomic():
        child = ChildProfile.objects.select_for_update(of=("self",)).select_related("controls").get(pk=child_id)
        rows = list(
            messages_to_archive(cutoff=cutoff)
            .filter(child_id=child_id, created_at__gte=start, created_at__lt=end)
            .order_by("created_at", "id")
            .values(*FIELDS)[:batch]
        )
        if not rows:
            return None
        ids = {row["id"] for row in rows}
        rows += list(Message.objects.filter(reply_to_id__in=ids).exclude(pk__in=ids).values(*FIELDS))
        rows.sort(key=lambda row: (row["created_at"], row["id"]))
        ids = {row["id"] for row in rows}
        zone = child.controls.time_zone
        raw = _encode(rows)
        archive = ConversationArchive.objects.create(
            child_id=child_id,
            month=month,
            codec=CODEC,
            level=LEVEL,
            message_count=len(rows),
            first_at=rows[0]["created_at"],
            last_at=rows[-1]["created_at"],
            raw_bytes=len(raw),
            compressed_bytes=0,
            sha256=hashlib.sha256(raw).hexdigest(),
            payload=_compress(raw),
            sessions=sorted({row["session_id"] for row in rows}),
            time_zone=zone,
        )
        stored = ConversationArchive.objects.get(pk=archive.pk)  # read back what the database holds
        back = archive_rows(stored)
        if len(back) != len(rows) or {r["id"] for r in back} != ids:
            raise RuntimeError("archive verification failed")  # pragma: no cover - rolls the batch back
        compressed = len(bytes(stored.payload))
        ConversationArchive.objects.filter(pk=archive.pk).update(compressed_bytes=compressed)
        insight_days_add(child_id=child_id, rows=rows, time_zone=zone)
        # What deleting would do to the rows pointing at these messages, done here in two UPDATEs, so the
        # DELETE can be one statement (Django's collector would fetch every related row first: 8x slower).
        SafetyEvent.objects.filter(message_id__in=ids).update(archived_message=F("message_id"), message=None)
        MemoryFact.objects.filter(source_message_id__in=ids).update(source_message=None)
        if before_delete is not None:
            before_delete()
        Message.objects.filter(pk__in=ids)._raw_delete(Message.objects.db)
    return Moved(len(rows), len(raw), compressed)


def conversations_archive(
    *,
    older_than_days: int,
    now: datetime | None = None,
    batch: int = BATCH,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    before_delete=None,
) -> ArchiveReport:
    """Archive every child's messages older than ``older_than_days``, batch by batch (see the module)."""
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    plan = archive_plan(cutoff=cutoff)
    report = ArchiveReport()
    if dry_run:
        report.messages = messages_to_archive(cutoff=cutoff).count()
        report.archives = len(plan)
        return report
    for done, (child_id, month) in enumerate(plan, 1):
        try:
            while moved := archive_batch(
                child_id=child_id, month=month, cutoff=cutoff, batch=batch, before_delete=before_delete
            ):
                report.archives += 1
                report.messages += moved.messages
                report.raw_bytes += moved.raw_bytes
                report.compressed_bytes += moved.compressed_bytes
                if moved.messages < batch:  # a short batch was the month's last
                    break
        except Exception as exc:  # one child's month failing must not stop the others'
            report.failed += 1
            logger.error("archiving failed child_id=%s month=%s (%s)", child_id, month, type(exc).__name__)
        if progress is not None:
            progress(done, len(plan))
    logger.info(
        "conversations archived archives=%d messages=%d failed=%d", report.archives, report.messages, report.failed
    )
    return report


def conversations_archive_run(
    *, older_than_days: int, dry_run: bool = False, progress=None, batch: int = BATCH
) -> ArchiveReport:
    """``conversations_archive`` recorded as a ``LifecycleRun`` (the scheduled job and the command)."""
    run = LifecycleRun.objects.create(kind=JobKind.ARCHIVE, dry_run=dry_run)
    try:
        report = conversations_archive(older_than_days=older_than_days, dry_run=dry_run, progress=progress, batch=batch)
    except Exception as exc:
        LifecycleRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), error=type(exc).__name__)
        raise
    LifecycleRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), counts=dataclasses.asdict(report))
    return report


def archives_forget_emotions(*, child_id: int) -> int:
    """The emotion consent withdrawn: every archive of the child is rewritten without the feelings
    (labels and intensities), with its new checksum, in the caller's transaction."""
    changed = 0
    for archive in ConversationArchive.objects.select_for_update().filter(child_id=child_id):
        rows = archive_rows(archive)
        if not any(row.get("emotion") for row in rows):
            continue
        for row in rows:
            row["emotion"], row["emotion_intensity"] = "", None
        raw = _encode(rows)
        payload = _compress(raw)
        ConversationArchive.objects.filter(pk=archive.pk).update(
            payload=payload, raw_bytes=len(raw), compressed_bytes=len(payload), sha256=hashlib.sha256(raw).hexdigest()
        )
        changed += 1
    return changed


def archives_for_child(*, child: ChildProfile):
    return ConversationArchive.objects.filter(child=child).defer("payload").order_by("-month", "-first_at")


def archive_get_for_child(*, child: ChildProfile, archive_id: int | str) -> ConversationArchive:
    try:
        return ConversationArchive.objects.get(child=child, pk=int(archive_id))
    except (ConversationArchive.DoesNotExist, ValueError, TypeError):
        raise not_found(_("No such archive.")) from None


def archive_messages(*, archive: ConversationArchive) -> Iterator[dict[str, Any]]:
    """An archive's messages, oldest first, as the history API shows a message."""
    for row in archive_rows(archive):
        yield {
            "id": row["id"],
            "session": row["session_id"],
            "role": row["role"],
            "agent": row["agent"],
            "text": row["text"],
            "channel": row.get("channel", "text"),
            "safety": {
                "action": row["safety_action"],
                "severity": row["safety_severity"],
                "categories": row["safety_categories"],
            },
            "emotion": row["emotion"],
            "subject": row["subject"],
            "refusal": row["refusal_code"] or None,
            "created_at": stored_moment(row["created_at"]),
        }


def archive_restore(*, actor, archive: ConversationArchive) -> int:
    """Put an archive's messages back into the hot table as they were (ids included), relink their
    safety events, take their day aggregates back out, and delete the archive: one transaction."""
    with transaction.atomic():
        archive = ConversationArchive.objects.select_for_update().get(pk=archive.pk)
        rows = archive_rows(archive)
        messages = [Message(**{**row, "created_at": stored_moment(row["created_at"])}) for row in rows]
        # Questions before answers: a reply's reply_to must exist when it is inserted.
        messages.sort(key=lambda m: (m.reply_to_id is not None, m.created_at, m.pk))
        Message.objects.bulk_create(messages, batch_size=1000)
        ids = [m.pk for m in messages]
        for event in SafetyEvent.objects.filter(archived_message__in=ids, message__isnull=True):
            SafetyEvent.objects.filter(pk=event.pk).update(message_id=event.archived_message, archived_message=None)
        insight_days_remove(child_id=archive.child_id, rows=rows, time_zone=archive.time_zone)
        archive.delete()
    logger.info(
        "archive restored child_id=%s messages=%d by %s", archive.child_id, len(rows), getattr(actor, "pk", None)
    )
    return len(rows)
