"""A child's data export: everything kept about them in one ZIP, built in the background.

``child.json`` (machine-readable: profile, guardians, rules, consents, devices, chats, every message —
archived ones included — memories, safety events, usage and insights, voiceprint and its log),
``transcript.html`` (the conversations to read, escaped), and ``recordings/`` (kept voiceprint
recordings, decrypted, if the parent chose to keep any). Progress is visible while it is built; the
ZIP is downloaded through a signed link that expires after ``EXPORT_LINK_HOURS`` and works only for the
child's guardians; the purge deletes it afterwards. Building it is a transcript read and is logged.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import zipfile
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import ChildProfile, ConsentRecord, Device, Guardianship, ParentalControls, User
from accounts.selectors import child_get_for_guardian
from archive.models import ConversationArchive, ExportJob, ExportStatus
from archive.services.archiving import archive_rows
from audio.models import Voiceprint, VoiceprintAttempt, VoiceprintSample
from audio.sealing import unseal
from conversations.models import ChatSession, InsightDay, MemoryFact, Message, SafetyEvent, TranscriptAccess, UsageDay
from conversations.models.safety import AccessVia
from conversations.services.insight_days import stored_moment
from happy_partner.errors import ApplicationError, Failure, not_found

logger = logging.getLogger(__name__)

SALT = "archive.export-download"
_RECORDING_SUFFIX = {
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/ogg": "ogg",
    "audio/webm": "webm",
    "audio/mpeg": "mp3",
}


def export_request(*, actor: User, child: ChildProfile) -> ExportJob:
    """Queue an export (one being built for this child is returned instead of a second)."""
    from archive.tasks import build_export

    recent = timezone.now() - timedelta(hours=1)  # an older one is stuck (a worker died): the purge fails it
    building = [ExportStatus.QUEUED, ExportStatus.RUNNING]
    busy = ExportJob.objects.filter(child=child, status__in=building, created_at__gte=recent).first()
    if busy is not None:
        return busy
    job = ExportJob.objects.create(child=child, requested_by=actor)
    transaction.on_commit(lambda: build_export.delay(job.pk))
    logger.info("export requested child_id=%s job_id=%s by user_id=%s", child.pk, job.pk, actor.pk)
    return job


def _progress(job: ExportJob, percent: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(progress=percent)


def _rows(queryset, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every stored column of each row, less ``exclude`` (secrets such as the PIN's hash)."""
    return [{k: v for k, v in row.items() if k not in exclude} for row in queryset.values()]


def _messages(child: ChildProfile) -> list[dict[str, Any]]:
    fields = ["id", "session_id", "role", "agent", "text", "channel", "safety_action", "safety_severity"]
    fields += ["safety_categories", "emotion", "emotion_intensity", "subject", "refusal_code", "created_at"]
    hot = list(Message.objects.filter(child=child).values(*fields))
    archived = [
        {name: row.get(name) for name in fields}
        for archive in ConversationArchive.objects.filter(child=child).order_by("first_at")
        for row in archive_rows(archive)
    ]
    for message in archived:
        message["created_at"] = stored_moment(message["created_at"])
    everything = [*archived, *hot]
    everything.sort(key=lambda m: (m["created_at"], m["id"]))
    return everything


def export_build(*, job_id: int) -> None:
    """Build a queued export (the Celery task's body); a failure marks it failed, never half-ready."""
    job = ExportJob.objects.select_related("child", "requested_by").filter(pk=job_id).first()
    # Claimed by one worker only (a redelivered task finds it running and leaves it).
    if job is None or not ExportJob.objects.filter(pk=job.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, progress=5
    ):
        return
    try:
        payload = _zip(job)
    except Exception as exc:
        logger.error("export failed job_id=%s (%s)", job.pk, type(exc).__name__)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, finished_at=timezone.now())
        return
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        progress=100,
        payload=payload,
        size=len(payload),
        finished_at=now,
        expires_at=now + timedelta(hours=settings.EXPORT_LINK_HOURS),
    )
    TranscriptAccess.objects.create(reader=job.requested_by, child=job.child, via=AccessVia.EXPORT)
    logger.info("export built job_id=%s bytes=%d", job.pk, len(payload))


def _zip(job: ExportJob) -> bytes:
    child = job.child
    data: dict[str, Any] = {
        "exported_at": timezone.now(),
        "child": _rows(ChildProfile.objects.filter(pk=child.pk))[0],
        "guardians": [
            {"email": g.guardian.email, "name": g.guardian.display_name, "role": g.role, "since": g.created_at}
            for g in Guardianship.objects.filter(child=child).select_related("guardian")
        ],
        "rules": _rows(ParentalControls.objects.filter(child=child), exclude=("id", "child_id", "pin_hash")),
        "consents": _rows(ConsentRecord.objects.filter(child=child).order_by("granted_at"), exclude=("child_id",)),
        "devices": _rows(Device.objects.filter(child=child), exclude=("child_id",)),
        "chats": _rows(ChatSession.objects.filter(child=child).order_by("started_at"), exclude=("child_id",)),
    }
    _progress(job, 20)
    data["messages"] = _messages(child)
    _progress(job, 60)
    data["memories"] = _rows(MemoryFact.objects.filter(child=child), exclude=("child_id",))
    data["safety_events"] = _rows(SafetyEvent.objects.filter(child=child).order_by("created_at"), exclude=("child_id",))
    data["usage_days"] = list(UsageDay.objects.filter(child=child).order_by("day").values("day", "seconds", "messages"))
    data["archived_days_insights"] = list(
        InsightDay.objects.filter(child=child)
        .order_by("day")
        .values("day", "flagged", "agents", "subjects", "emotions")
    )
    voiceprint = Voiceprint.objects.filter(child=child).first()
    data["voiceprint"] = (
        None
        if voiceprint is None
        else {"enrolled_at": voiceprint.created_at, "samples": voiceprint.samples, "embedder": voiceprint.embedder}
    )
    data["voiceprint_attempts"] = list(
        VoiceprintAttempt.objects.filter(child=child).values("kind", "decision", "score", "threshold", "created_at")
    )
    _progress(job, 80)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("child.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1))
        with translation.override(job.requested_by.language), timezone.override(child.controls.zone):
            by_chat = sorted(data["messages"], key=lambda m: (m["session_id"], m["created_at"], m["id"]))
            chats = [list(chat) for _id, chat in itertools.groupby(by_chat, key=lambda m: m["session_id"])]
            context = {"child": child, "chats": chats, "exported_at": data["exported_at"]}
            html = render_to_string("archive/transcript.html", context)
        archive.writestr("transcript.html", html)
        for n, sample in enumerate(VoiceprintSample.objects.filter(voiceprint__child=child), 1):
            audio = unseal(bytes(sample.sealed_audio))
            if audio is not None:
                archive.writestr(
                    f"recordings/voiceprint-{n}.{_RECORDING_SUFFIX.get(sample.content_type, 'audio')}", audio
                )
    return buffer.getvalue()


def export_token(job: ExportJob) -> str:
    return signing.dumps({"job": job.pk}, salt=SALT)


def export_link(job: ExportJob) -> str | None:
    """The signed download path of a ready, unexpired export (None otherwise): API and dashboard alike."""
    if job.status != ExportStatus.DONE or job.expires_at is None or job.expires_at < timezone.now():
        return None
    return f"{reverse('export-download', kwargs={'export_id': job.pk})}?token={export_token(job)}"


def export_get_for_guardian(*, actor: User, job_id: int | str) -> ExportJob:
    """An export of one of the actor's children; any other is 404."""
    try:
        job = ExportJob.objects.select_related("child").get(pk=int(job_id))
    except (ExportJob.DoesNotExist, ValueError, TypeError):
        raise not_found(_("No such export.")) from None
    child_get_for_guardian(user=actor, child_id=job.child_id)  # 404 unless a guardian
    return job


def export_download(*, actor: User, job_id: int | str, token: str) -> ExportJob:
    """The ready ZIP, for a guardian holding the link's unexpired signature."""
    job = export_get_for_guardian(actor=actor, job_id=job_id)
    try:
        signed = signing.loads(token, salt=SALT, max_age=settings.EXPORT_LINK_HOURS * 3600)
    except signing.BadSignature:
        raise ApplicationError(
            code="link_expired",
            message=_("This download link is not valid any more. Ask for a new export."),
            kind=Failure.FORBIDDEN,
        ) from None
    if signed.get("job") != job.pk:
        raise ApplicationError(
            code="link_expired",
            message=_("This download link is not valid any more. Ask for a new export."),
            kind=Failure.FORBIDDEN,
        )
    if job.status != ExportStatus.DONE or job.expires_at is None or job.expires_at < timezone.now():
        raise ApplicationError(
            code="export_not_ready", message=_("This export is not ready, or it has expired."), kind=Failure.CONFLICT
        )
    TranscriptAccess.objects.create(reader=actor, child_id=job.child_id, via=AccessVia.EXPORT)  # who took it
    return job


def exports_for_child(*, child: ChildProfile):
    return ExportJob.objects.filter(child=child).defer("payload").order_by("-created_at")
