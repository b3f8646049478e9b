"""Retention: what is deleted when, and the inactive accounts' notice and deletion.

``expired_purge`` deletes, per child, conversations (archived or not) older than the family's choice or
the default, safety events and day aggregates older than theirs, kept voice recordings older than the
audio limit, chats left empty, and expired exports; a child under legal hold is skipped entirely.
``inactive_accounts_process`` tells a parent whose account has not been used for
``INACTIVE_ACCOUNT_DAYS`` (no sign-in, no device of theirs seen) that it will be deleted after
``INACTIVE_GRACE_DAYS``, then deletes it unless they came back. Both report what they did (and, with
``dry_run``, what they would do) and leave a ``LifecycleRun`` in the admin.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    ChildProfile,
    Device,
    ErasureReason,
    GuardianRole,
    Guardianship,
    ParentalControls,
    User,
)
from accounts.selectors import guardian_require_owner
from accounts.services.users import account_erase
from archive.models import (
    ConversationArchive,
    ExportJob,
    ExportStatus,
    InactivityNotice,
    JobKind,
    LifecycleRun,
    RetentionChoice,
)
from archive.services.archiving import FIELDS as MESSAGE_FIELDS
from audio.models import Voiceprint, VoiceprintAttempt, VoiceprintSample
from conversations.models import ChatSession, InsightDay, Message, SafetyEvent, TranscriptAccess, UsageDay
from conversations.services.insight_days import insight_days_add
from happy_partner.errors import ApplicationError

logger = logging.getLogger(__name__)


def retention_choose(*, actor: User, child: ChildProfile, transcript_days: int | None) -> RetentionChoice:
    """The family's choice for one child, among ``retention_choices()`` (None: the default). The owner
    decides, as for erasing the child; a co-guardian may only shorten it."""
    current = RetentionChoice.objects.filter(child=child).values_list("transcript_days", flat=True).first()
    longer = (transcript_days or settings.RETENTION_TRANSCRIPT_DAYS) > (current or settings.RETENTION_TRANSCRIPT_DAYS)
    if longer:
        guardian_require_owner(user=actor, child=child)
    if transcript_days is not None and transcript_days not in retention_choices():
        raise ApplicationError(
            code="invalid",
            message=_("Some fields are not valid."),
            fields={"transcript_days": [_("Choose one of the offered periods.")]},
        )
    choice, _created = RetentionChoice.objects.update_or_create(
        child=child, defaults={"transcript_days": transcript_days}
    )
    logger.info("retention chosen child_id=%s days=%s by user_id=%s", child.pk, transcript_days, actor.pk)
    return choice


def retention_choices() -> list[int]:
    """The periods a family may choose: the offered ones no longer than the operator's own."""
    return [days for days in settings.RETENTION_TRANSCRIPT_CHOICES if days <= settings.RETENTION_TRANSCRIPT_DAYS]


def _held() -> set[int]:
    return set(RetentionChoice.objects.filter(legal_hold=True).values_list("child_id", flat=True))


def expired_purge(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete what has outlived its retention (see the module); returns counts per kind."""
    now = now or timezone.now()
    run = LifecycleRun.objects.create(kind=JobKind.PURGE, dry_run=dry_run, started_at=now)
    held = _held()
    counts = dict.fromkeys(["messages", "archives"], 0)
    days_by_child = dict(
        RetentionChoice.objects.exclude(transcript_days=None).values_list("child_id", "transcript_days")
    )
    child_ids = set(Message.objects.values_list("child_id", flat=True).distinct())
    child_ids |= set(ConversationArchive.objects.values_list("child_id", flat=True).distinct())
    for child_id in sorted(child_ids - held):
        cutoff = now - timedelta(days=days_by_child.get(child_id) or settings.RETENTION_TRANSCRIPT_DAYS)
        old = Message.objects.filter(child_id=child_id, created_at__lt=cutoff).exclude(reply__created_at__gte=cutoff)
        archives = ConversationArchive.objects.filter(child_id=child_id, last_at__lt=cutoff)
        counts["messages"] += old.count()
        counts["archives"] += archives.count()
        if not dry_run:
            with transaction.atomic():
                # Their day aggregates stay (the insights charts outlive transcripts), as when archived.
                zone = ParentalControls.objects.get(child_id=child_id).time_zone
                insight_days_add(child_id=child_id, rows=list(old.values(*MESSAGE_FIELDS)), time_zone=zone)
                old.delete()
                archives.delete()
    # Chats whose messages all went, hot and archived (a day's margin: a chat just started has none yet).
    quiet = now - timedelta(days=1)
    archived_chats = {
        pk for sessions in ConversationArchive.objects.values_list("sessions", flat=True) for pk in sessions
    }
    empty = (
        ChatSession.objects.exclude(child_id__in=held)
        .exclude(pk__in=archived_chats)
        .filter(Q(last_activity_at__lt=quiet) | Q(last_activity_at=None, started_at__lt=quiet))
        .annotate(n=Count("messages"))
        .filter(n=0)
    )
    aggregate_cutoff = now - timedelta(days=settings.RETENTION_AGGREGATE_DAYS)
    stuck = now - timedelta(hours=1)
    if not dry_run:  # an export a worker died on: failed (the family may ask again), then purged
        building = [ExportStatus.QUEUED, ExportStatus.RUNNING]
        ExportJob.objects.filter(status__in=building, created_at__lt=stuck).update(status=ExportStatus.FAILED)
    old_events = SafetyEvent.objects.exclude(child_id__in=held).filter(
        created_at__lt=now - timedelta(days=settings.RETENTION_SAFETY_EVENT_DAYS)
    )
    old_days = InsightDay.objects.exclude(child_id__in=held).filter(
        day__lt=(now - timedelta(days=settings.RETENTION_AGGREGATE_DAYS)).date()
    )
    old_recordings = VoiceprintSample.objects.exclude(voiceprint__child_id__in=held).filter(
        created_at__lt=now - timedelta(days=settings.RETENTION_AUDIO_DAYS)
    )
    expired_exports = ExportJob.objects.filter(
        Q(expires_at__lt=now) | Q(status=ExportStatus.FAILED, created_at__lt=stuck)
    )
    for name, queryset in (
        ("sessions", empty),
        ("safety_events", old_events),
        ("insight_days", old_days),
        ("usage_days", UsageDay.objects.exclude(child_id__in=held).filter(day__lt=aggregate_cutoff.date())),
        ("recordings", old_recordings),
        (
            "voiceprint_attempts",
            VoiceprintAttempt.objects.filter(created_at__lt=aggregate_cutoff).exclude(child_id__in=held),
        ),
        (
            "transcript_reads",
            TranscriptAccess.objects.filter(accessed_at__lt=aggregate_cutoff).exclude(child_id__in=held),
        ),
        ("revoked_devices", Device.objects.filter(revoked_at__lt=aggregate_cutoff).exclude(child_id__in=held)),
        ("exports", expired_exports),
    ):
        ids = list(queryset.values_list("pk", flat=True))
        counts[name] = len(ids)
        if dry_run or not ids:
            continue
        model = queryset.model
        if model is VoiceprintSample:
            owners = set(VoiceprintSample.objects.filter(pk__in=ids).values_list("voiceprint_id", flat=True))
            VoiceprintSample.objects.filter(pk__in=ids).delete()
            Voiceprint.objects.filter(pk__in=owners).exclude(recordings__isnull=False).update(keeps_recordings=False)
        else:
            model.objects.filter(pk__in=ids).delete()
    run.finished_at = timezone.now()
    run.counts = {**counts, "legal_holds": len(held)}
    run.save(update_fields=["finished_at", "counts"])
    logger.info("expired data purged dry_run=%s %s", dry_run, counts)
    return counts


def _last_active(user: User) -> datetime:
    """When the family was last seen: the latest sign-in (an app's token refresh counts; the sign-up if
    none since) of the parent or of any co-guardian of the children they own, or any of those children's
    devices."""
    owned = ChildProfile.objects.filter(guardianships__guardian=user, guardianships__role=GuardianRole.OWNER)
    guardians = set(Guardianship.objects.filter(child__in=owned.values("pk")).values_list("guardian_id", flat=True))
    grown_ups = User.objects.filter(pk__in=guardians | {user.pk})
    moments = [login or joined for login, joined in grown_ups.values_list("last_login", "date_joined")]
    seen = ChildProfile.objects.filter(guardianships__guardian=user).aggregate(last=Max("devices__last_seen_at"))
    return max(m for m in [*moments, seen["last"]] if m is not None)


def inactive_accounts_process(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Notice, then deletion after the grace period, for parents who stopped using the service."""
    now = now or timezone.now()
    run = LifecycleRun.objects.create(kind=JobKind.INACTIVE, dry_run=dry_run, started_at=now)
    counts = {"noticed": 0, "erased": 0, "returned": 0, "held": 0, "failed": 0}
    held_children = _held()
    for user in User.objects.filter(is_staff=False, is_active=True).select_related("inactivity_notice"):
        try:
            outcome = _inactive_one(user=user, now=now, held_children=held_children, dry_run=dry_run)
        except Exception as exc:  # one account failing must not stop the others'
            outcome = "failed"
            logger.error("inactive account not processed user_id=%s (%s)", user.pk, type(exc).__name__)
        if outcome:
            counts[outcome] += 1
    run.finished_at = timezone.now()
    run.counts = counts
    run.save(update_fields=["finished_at", "counts"])
    logger.info("inactive accounts processed dry_run=%s %s", dry_run, counts)
    return counts


def _inactive_one(*, user: User, now: datetime, held_children: set[int], dry_run: bool) -> str | None:
    """What happens to one account: ``noticed``, ``erased``, ``returned``, ``held`` or nothing."""
    from accounts.services.notifications import inactivity_notice_send

    notice = getattr(user, "inactivity_notice", None)
    last = _last_active(user)
    if notice is not None and last > notice.sent_at:  # they came back
        if not dry_run:
            notice.delete()
        return "returned"
    if last >= now - timedelta(days=settings.INACTIVE_ACCOUNT_DAYS):
        return None
    owned = ChildProfile.objects.filter(guardianships__guardian=user, guardianships__role=GuardianRole.OWNER)
    if set(owned.values_list("pk", flat=True)) & held_children:
        return "held"
    if notice is None:
        if not dry_run:  # recorded once sent: a failed mail is sent again next run, the grace unstarted
            inactivity_notice_send(user=user, grace_days=settings.INACTIVE_GRACE_DAYS)
            InactivityNotice.objects.create(user=user, sent_at=now)
        return "noticed"
    if notice.sent_at <= now - timedelta(days=settings.INACTIVE_GRACE_DAYS):
        if not dry_run:
            account_erase(actor=user, reason=ErasureReason.INACTIVE)
        return "erased"
    return None
