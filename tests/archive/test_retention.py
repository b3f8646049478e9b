"""Retention with frozen time: what outlived its period goes, a family's choice and a legal hold are
honoured, a dry run deletes nothing; inactive accounts get a notice, then are deleted unless the parent
came back; the schedule is installed once, however often the command runs."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import User
from archive.models import ConversationArchive, InactivityNotice, RetentionChoice
from archive.services.archiving import conversations_archive
from archive.services.retention import expired_purge, inactive_accounts_process, retention_choose
from conversations.models import InsightDay, Message, SafetyEvent
from tests.archive.conftest import NOW

pytestmark = pytest.mark.django_db


def test_conversations_older_than_the_period_go_archived_or_not(family, settings, at_now):
    settings.RETENTION_TRANSCRIPT_DAYS = 100
    conversations_archive(older_than_days=130, now=NOW)  # the 150-day chat archived, the others hot
    assert ConversationArchive.objects.count() == 1
    dry = expired_purge(now=NOW, dry_run=True)
    assert dry["archives"] == 1 and dry["messages"] > 0 and ConversationArchive.objects.count() == 1
    counts = expired_purge(now=NOW)
    # The same, but for the chats this run left empty (a dry run deletes no message, so empties none).
    assert {k: v for k, v in counts.items() if k != "sessions"} == {k: v for k, v in dry.items() if k != "sessions"}
    assert counts["sessions"] >= dry["sessions"]
    assert not ConversationArchive.objects.exists()
    assert not Message.objects.filter(created_at__lt=NOW - timedelta(days=100)).exists()
    assert Message.objects.filter(created_at__gte=NOW - timedelta(days=100)).exists()
    assert SafetyEvent.objects.exists()  # alerts are kept longer than transcripts


def test_a_familys_shorter_choice_and_a_legal_hold(family, settings, at_now):
    retention_choose(actor=family.parent, child=family.child, transcript_days=30)
    RetentionChoice.objects.filter(child=family.child).update(legal_hold=True)
    expired_purge(now=NOW)
    assert Message.objects.filter(created_at__lt=NOW - timedelta(days=30)).exists()  # held: nothing goes
    RetentionChoice.objects.filter(child=family.child).update(legal_hold=False)
    expired_purge(now=NOW)
    assert not Message.objects.filter(created_at__lt=NOW - timedelta(days=30)).exists()
    assert Message.objects.filter(created_at__gte=NOW - timedelta(days=30)).exists()


def test_a_choice_outside_the_offered_periods_is_refused(family):
    from happy_partner.errors import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        retention_choose(actor=family.parent, child=family.child, transcript_days=9999)
    assert "transcript_days" in refused.value.fields


def test_safety_events_and_day_aggregates_outlive_transcripts_then_go(family, settings, at_now):
    conversations_archive(older_than_days=30, now=NOW)
    later = NOW + timedelta(days=800)
    with time_machine.travel(later, tick=False):
        expired_purge(now=later)
    assert not SafetyEvent.objects.exists() and not InsightDay.objects.exists() and not Message.objects.exists()


def test_an_inactive_account_is_told_then_deleted_unless_the_parent_returns(family, settings, mailoutbox):
    settings.INACTIVE_ACCOUNT_DAYS, settings.INACTIVE_GRACE_DAYS = 60, 30
    User.objects.filter(pk=family.parent.pk).update(last_login=NOW - timedelta(days=200))
    from accounts.models import Device

    Device.objects.filter(child=family.child).update(last_seen_at=NOW - timedelta(days=90))
    assert inactive_accounts_process(now=NOW, dry_run=True)["noticed"] == 1 and not mailoutbox
    assert inactive_accounts_process(now=NOW) == {"noticed": 1, "erased": 0, "returned": 0, "held": 0, "failed": 0}
    assert len(mailoutbox) == 1 and family.parent.email in mailoutbox[0].to
    assert inactive_accounts_process(now=NOW + timedelta(days=10))["erased"] == 0  # within the grace
    assert inactive_accounts_process(now=NOW + timedelta(days=31))["erased"] == 1
    assert not User.objects.filter(pk=family.parent.pk).exists() and not Message.objects.exists()


def test_a_parent_who_comes_back_keeps_the_account(family, settings):
    settings.INACTIVE_ACCOUNT_DAYS, settings.INACTIVE_GRACE_DAYS = 60, 30
    User.objects.filter(pk=family.parent.pk).update(last_login=NOW - timedelta(days=200))
    from accounts.models import Device

    Device.objects.filter(child=family.child).update(last_seen_at=NOW - timedelta(days=90))
    inactive_accounts_process(now=NOW)
    User.objects.filter(pk=family.parent.pk).update(last_login=NOW + timedelta(days=5))
    assert inactive_accounts_process(now=NOW + timedelta(days=40))["returned"] == 1
    assert User.objects.filter(pk=family.parent.pk).exists() and not InactivityNotice.objects.exists()


def test_the_schedule_command_is_idempotent_and_keeps_staffs_changes(db, settings):
    out = StringIO()
    call_command("setup_periodic_tasks", stdout=out)
    call_command("setup_periodic_tasks", stdout=out)
    names = set(settings.PERIODIC_TASKS)
    assert set(PeriodicTask.objects.values_list("name", flat=True)) >= names
    assert PeriodicTask.objects.filter(name__in=names).count() == len(names)
    assert "unchanged" in out.getvalue().splitlines()[-1]
    task = PeriodicTask.objects.get(name="lifecycle-archive-conversations")
    assert (task.crontab.minute, task.crontab.hour) == ("30", "2")
    # Staff move it in the admin: a rerun keeps their schedule.
    task.crontab, _ = CrontabSchedule.objects.get_or_create(minute="0", hour="5", timezone="UTC")
    task.save()
    call_command("setup_periodic_tasks", stdout=out)
    task.refresh_from_db()
    assert task.crontab.hour == "5"
    # The operator changes the setting for another task: it is updated.
    settings.PERIODIC_TASKS = {
        **settings.PERIODIC_TASKS,
        "lifecycle-purge-expired": {"task": "archive.tasks.purge_expired", "cron": "15 1 * * *"},
    }
    call_command("setup_periodic_tasks", stdout=out)
    purge = PeriodicTask.objects.get(name="lifecycle-purge-expired")
    assert (purge.crontab.minute, purge.crontab.hour) == ("15", "1")


def test_the_commands_with_dry_run(family, at_now):
    out = StringIO()
    call_command("archive_conversations", "--older-than", "30", "--dry-run", stdout=out)
    assert "would move" in out.getvalue() and not ConversationArchive.objects.exists()
    call_command("archive_conversations", "--older-than", "30", stdout=out)
    assert "moved" in out.getvalue().splitlines()[-1] and ConversationArchive.objects.exists()
    call_command("purge_expired", "--dry-run", "--inactive", stdout=out)
    assert "would delete" in out.getvalue() and "inactive accounts" in out.getvalue()
    assert mail.outbox == []


def test_a_parent_using_only_the_app_or_a_busy_co_guardian_keeps_the_account(family, settings):
    from accounts.models import Device
    from tests.factories import make_co_guardian

    settings.INACTIVE_ACCOUNT_DAYS, settings.INACTIVE_GRACE_DAYS = 60, 30
    User.objects.filter(pk=family.parent.pk).update(last_login=NOW - timedelta(days=200))
    Device.objects.filter(child=family.child).update(last_seen_at=NOW - timedelta(days=90))
    grandma = make_co_guardian(family.parent, family.child, "grandma.active@example.com")
    User.objects.filter(pk=grandma.pk).update(last_login=NOW - timedelta(days=2))
    assert inactive_accounts_process(now=NOW)["noticed"] == 0  # the family is in use
    User.objects.filter(pk=grandma.pk).update(last_login=NOW - timedelta(days=200))
    # The app refreshes its token: that is a sign-in.
    with time_machine.travel(NOW, tick=False):
        refreshed = family.web().post("/api/v1/auth/token/refresh/", {"refresh": _refresh(family)}, format="json")
    assert refreshed.status_code == 200
    inactive_accounts_process(now=NOW)  # (the idle grandmother, a guardian of no child of her own, is told)
    assert not InactivityNotice.objects.filter(user=family.parent).exists()


def _refresh(family) -> str:
    from rest_framework.test import APIClient

    from tests.factories import PASSWORD

    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        answer = APIClient().post("/api/v1/auth/token/", {"email": family.parent.email, "password": PASSWORD})
    User.objects.filter(pk=family.parent.pk).update(last_login=NOW - timedelta(days=200))
    return answer.json()["refresh"]


def test_a_failing_mail_leaves_no_notice_and_the_others_go_on(family, settings, monkeypatch):
    from accounts.models import Device
    from accounts.services import notifications

    settings.INACTIVE_ACCOUNT_DAYS = 60
    User.objects.filter(pk=family.parent.pk).update(last_login=NOW - timedelta(days=200))
    Device.objects.filter(child=family.child).update(last_seen_at=NOW - timedelta(days=90))

    def broken(**kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(notifications, "inactivity_notice_send", broken)
    counts = inactive_accounts_process(now=NOW)
    assert counts["failed"] == 1 and not InactivityNotice.objects.exists()
