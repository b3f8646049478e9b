"""Archiving moves old messages into compressed archives and back without losing or duplicating a
row, even when it crashes halfway; insights and safety events outlive the transcripts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from archive.models import ConversationArchive, LifecycleRun
from archive.services.archiving import (
    archive_messages,
    archive_restore,
    archive_rows,
    conversations_archive,
    conversations_archive_run,
)
from conversations.models import InsightDay, Message, SafetyEvent
from conversations.selectors.insights import activity_for_child, emotions_for_child, learning_for_child
from tests.archive.conftest import NOW, snapshot

pytestmark = pytest.mark.django_db


def _insights(family) -> tuple:
    kwargs = {"child_id": family.child.pk, "days": 90, "now": NOW, "time_zone": "Asia/Shanghai"}
    return activity_for_child(**kwargs), learning_for_child(**kwargs), emotions_for_child(**kwargs)


def test_archive_then_restore_gives_back_exactly_the_original(family, at_now):
    before = snapshot(family.child.pk)
    old = [m for m in before if m["created_at"] < NOW - timedelta(days=30)]
    event = SafetyEvent.objects.get(child=family.child, message__text="我不想活了")
    report = conversations_archive(older_than_days=30, now=NOW)
    assert report.messages == len(old) > 0 and report.archives == ConversationArchive.objects.count() == 3  # 3 months
    assert Message.objects.filter(pk__in=[m["id"] for m in old]).count() == 0
    assert Message.objects.filter(child=family.child).count() == len(before) - len(old)
    for archive in ConversationArchive.objects.all():
        rows = archive_rows(archive)
        assert archive.message_count == len(rows) and archive.compressed_bytes < archive.raw_bytes
        assert archive.first_at <= archive.last_at and archive.month == archive.first_at.date().replace(day=1)
    event.refresh_from_db()
    assert event.message_id is None and event.archived_message is not None  # the alert stays, unlinked
    archived_text = [
        m["text"] for a in ConversationArchive.objects.order_by("first_at") for m in archive_messages(archive=a)
    ]
    assert archived_text == [m["text"] for m in sorted(old, key=lambda m: (m["created_at"], m["id"]))]
    for archive in ConversationArchive.objects.all():
        archive_restore(actor=family.parent, archive=archive)
    assert snapshot(family.child.pk) == before  # every column of every row, ids included
    assert not ConversationArchive.objects.exists() and not InsightDay.objects.exists()
    event.refresh_from_db()
    assert event.message.text == "我不想活了" and event.archived_message is None


def test_insights_do_not_go_blank_after_archiving(family, at_now):
    before = _insights(family)
    assert sum(d["flagged"] for d in before[0]["days"]) > 0 and before[1]["subjects"]
    conversations_archive(older_than_days=30, now=NOW)
    assert InsightDay.objects.exists()
    assert _insights(family) == before


def test_a_crash_mid_batch_loses_nothing_and_a_rerun_finishes(family, at_now):
    before = snapshot(family.child.pk)
    batches = []

    def crash_on_the_second_batch():
        batches.append(1)
        if len(batches) == 2:
            raise RuntimeError("power cut")

    report = conversations_archive(older_than_days=30, now=NOW, batch=3, before_delete=crash_on_the_second_batch)
    assert report.failed == 1  # that month rolled back; the others went on
    kept = Message.objects.filter(child=family.child).count()
    archived = sum(a.message_count for a in ConversationArchive.objects.all())
    assert kept + archived == len(before)
    conversations_archive(older_than_days=30, now=NOW, batch=3)
    ids = [m["id"] for a in ConversationArchive.objects.all() for m in archive_rows(a)]
    ids += list(Message.objects.filter(child=family.child).values_list("id", flat=True))
    assert sorted(ids) == sorted(m["id"] for m in before)  # no loss, no duplicate
    assert conversations_archive(older_than_days=30, now=NOW, batch=3).messages == 0  # idempotent


@pytest.mark.parametrize("batch", [1, 3, 5000])
def test_a_question_and_its_answer_always_move_together(family, at_now, batch):
    """Across a month's end (UTC) and whatever the batch size: never an answer left pointing at an
    archived question (the database would refuse the move, night after night)."""
    question = Message.objects.filter(child=family.child, role="child").order_by("created_at").first()
    edge = question.created_at.replace(day=1, hour=0, minute=0, second=0, microsecond=0) - timedelta(seconds=1)
    Message.objects.filter(pk=question.pk).update(created_at=edge)  # the last second of the month before
    Message.objects.filter(pk=question.reply.pk).update(created_at=edge + timedelta(seconds=2))  # the next month
    report = conversations_archive(older_than_days=30, now=NOW, batch=batch)
    assert report.failed == 0
    for archive in ConversationArchive.objects.all():
        ids = {m["id"] for m in archive_rows(archive)}
        replies = [m for m in archive_rows(archive) if m["reply_to_id"]]
        assert all(m["reply_to_id"] in ids for m in replies)  # each archive holds whole pairs
    assert not Message.objects.filter(pk__in=[question.pk, question.reply.pk]).exists()


def test_a_purge_keeps_the_chats_of_archives_so_they_can_still_be_restored(family, at_now):
    from archive.services.retention import expired_purge

    conversations_archive(older_than_days=30, now=NOW)
    expired_purge(now=NOW)  # nothing is past its period, but archived chats have no hot message left
    for archive in ConversationArchive.objects.all():
        archive_restore(actor=family.parent, archive=archive)
    assert not ConversationArchive.objects.exists()


def test_withdrawing_the_emotion_consent_erases_archived_feelings_too(family, at_now):
    from accounts.models import ConsentRecord
    from accounts.services.consent import consent_withdraw

    conversations_archive(older_than_days=30, now=NOW)
    assert any(m["emotion"] for a in ConversationArchive.objects.all() for m in archive_rows(a))
    assert InsightDay.objects.exclude(emotions={}).exists()
    consent = ConsentRecord.objects.get(child=family.child, scope="emotion_companion", withdrawn_at__isnull=True)
    consent_withdraw(actor=family.parent, consent=consent)
    assert not any(m["emotion"] for a in ConversationArchive.objects.all() for m in archive_rows(a))  # checksums fit
    assert not InsightDay.objects.exclude(emotions={}).exists()


def test_dry_run_moves_nothing_and_the_run_is_recorded(family, at_now):
    count = Message.objects.count()
    report = conversations_archive_run(older_than_days=30, dry_run=True)
    assert report.messages > 0 and Message.objects.count() == count and not ConversationArchive.objects.exists()
    run = LifecycleRun.objects.get()
    assert run.kind == "archive" and run.dry_run and run.finished_at is not None
