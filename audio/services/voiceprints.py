"""Voiceprint enrolment, verification and identification.

Enrolment needs several samples that each pass the speech gate (``no_speech`` names the first that
does not), the ``voiceprint`` consent for a child, and keeps only the mean embedding, encrypted;
the recordings are kept (encrypted) only when the parent opts in. Verify answers "is this the claimed
child?" against the calibrated threshold; identify answers "which child of this family is speaking?"
among the family's children and guardians (a guardian's voice answers ``child: null``). Every attempt
is logged with its score and decision; a sample that is not speech is logged as ``no_speech``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import ChildProfile, ConsentRecord, ConsentScope, User
from accounts.principals import Actor, ChildPrincipal
from accounts.selectors import (
    child_get_for_actor,
    child_get_for_guardian,
    consent_is_active,
    device_require_paired,
    family_children,
    family_guardian_ids,
)
from audio.models import AttemptDecision, AttemptKind, Voiceprint, VoiceprintAttempt, VoiceprintSample
from audio.services.speech import audio_prepare, voice_require_allowed
from audio.voiceprints import calibrated_threshold, embedder, speech_require, voiceprint_score
from happy_partner.errors import ApplicationError, Failure, not_found

logger = logging.getLogger(__name__)

MIN_SAMPLES = 3
MAX_SAMPLES = 10


@dataclass(frozen=True)
class VerifyResult:
    verified: bool
    score: float | None
    threshold: float


@dataclass(frozen=True)
class IdentifyResult:
    child_id: int | None
    score: float | None
    speaker: str  # "child", "guardian" or "unknown"
    threshold: float


def _consent_required() -> ApplicationError:
    return ApplicationError(
        code="consent_required",
        message=_("Voiceprints need the parent's voiceprint consent first."),
        kind=Failure.FORBIDDEN,
    )


def _voiceprint_consent_locked(child_id: int) -> bool:
    consents = ConsentRecord.objects.select_for_update().filter(
        child_id=child_id, scope=ConsentScope.VOICEPRINT, withdrawn_at__isnull=True
    )
    return consents.exists()


def voiceprint_threshold() -> float:
    configured = settings.VOICEPRINT_THRESHOLD
    return calibrated_threshold() if configured is None else float(configured)


@dataclass(frozen=True)
class Heard:
    samples: np.ndarray
    voiced_seconds: float
    duration: float


def _heard(data: bytes) -> Heard:
    """Samples of speech, or the error saying why not (``no_speech`` for tones, noise, silence)."""
    _clip, processed = audio_prepare(data=data)
    analysis = speech_require(processed.samples, min_voiced_seconds=settings.VOICEPRINT_MIN_SPEECH_SECONDS)
    return Heard(processed.samples, analysis.voiced_seconds, processed.duration)


def _heard_logged(actor: Actor, kind: str, child: ChildProfile | None, data: bytes, threshold: float) -> Heard:
    """``_heard``, with a refused recording logged as an attempt too (no speech, or unreadable)."""
    try:
        return _heard(data)
    except ApplicationError as exc:
        no_speech = exc.code in ("no_speech", "silent_audio")
        decision = AttemptDecision.NO_SPEECH if no_speech else AttemptDecision.UNREADABLE
        _log(actor, kind, child, None, decision, threshold=threshold, speech_seconds=0, duration=0)
        raise


def _voice_require_allowed(actor: Actor) -> None:
    """A device's recording is its child's: heard only with the voice switch and consent, like every
    other path (a parent's upload is the parent's act, under the voiceprint consent checked below)."""
    if isinstance(actor, ChildPrincipal):
        device_require_paired(device_id=actor.device.pk)
        voice_require_allowed(child_id=actor.child_id)


def voiceprint_enrol(
    *, actor: User, child_id: int | None, recordings: Sequence[tuple[bytes, str]], keep_recordings: bool = False
) -> Voiceprint:
    """Enrol ``child_id`` (one of the actor's children, with the voiceprint consent) or, with None, the
    guardian themself. ``recordings`` are (bytes, content type); an earlier voiceprint is replaced."""
    child = child_get_for_guardian(user=actor, child_id=child_id) if child_id is not None else None
    if child is not None and not consent_is_active(child_id=child.pk, scope=ConsentScope.VOICEPRINT):
        raise _consent_required()
    if not MIN_SAMPLES <= len(recordings) <= MAX_SAMPLES:
        raise ApplicationError(
            code="invalid",
            message=_("Some fields are not valid."),
            fields={
                "samples": [
                    _("Send between %(low)d and %(high)d recordings.") % {"low": MIN_SAMPLES, "high": MAX_SAMPLES}
                ]
            },
        )
    model = embedder()
    vectors, speech, kept = [], 0.0, []
    for index, (data, content_type) in enumerate(recordings):
        try:
            heard = _heard(data)
        except ApplicationError as exc:
            exc.fields = {"samples": {str(index): [exc.message]}}
            raise
        vectors.append(model.embed(heard.samples))
        speech += heard.voiced_seconds
        kept.append((data, content_type, heard.duration))
    mean = np.mean(vectors, axis=0)
    with transaction.atomic():
        owner: dict[str, ChildProfile | User] = {"child": child} if child is not None else {"user": actor}
        # The owner's row locked: a double submit waits instead of failing on the one-to-one key; and
        # the consent read again under its lock, so a withdrawal during the seconds of listening wins.
        if child is not None:
            ChildProfile.objects.select_for_update().filter(pk=child.pk).first()
            if not _voiceprint_consent_locked(child.pk):
                raise _consent_required()
        else:
            User.objects.select_for_update().filter(pk=actor.pk).first()
        Voiceprint.objects.filter(**owner).delete()
        voiceprint = Voiceprint(
            **owner, samples=len(vectors), speech_seconds=round(speech, 2), keeps_recordings=keep_recordings
        )
        voiceprint.set_embedding(mean / (np.linalg.norm(mean) + 1e-9), model.version)
        voiceprint.save()
        if keep_recordings:
            for data, content_type, duration in kept:
                sample = VoiceprintSample(voiceprint=voiceprint, content_type=content_type[:16], duration=duration)
                sample.set_audio(data)
                sample.save()
    logger.info(
        "voiceprint enrolled child_id=%s guardian=%s samples=%d kept=%s by user_id=%s",
        child.pk if child else None,
        child is None,
        len(vectors),
        keep_recordings,
        actor.pk,
    )
    return voiceprint


def voiceprint_delete(*, actor: User, child_id: int | None) -> None:
    """Remove the child's (or, with None, the guardian's own) voiceprint and any kept recordings."""
    if child_id is not None:
        child = child_get_for_guardian(user=actor, child_id=child_id)
        deleted, _detail = Voiceprint.objects.filter(child=child).delete()
    else:
        deleted, _detail = Voiceprint.objects.filter(user=actor).delete()
    if not deleted:
        raise not_found(_("No voiceprint is enrolled."))
    logger.info("voiceprint deleted child_id=%s by user_id=%s", child_id, actor.pk)


def voiceprints_erase_for_child(*, child_id: int) -> int:
    """What withdrawing the voiceprint consent does: the child's voiceprint and recordings go at once."""
    deleted, _detail = Voiceprint.objects.filter(child_id=child_id).delete()
    logger.info("voiceprint deleted on consent withdrawal child_id=%s count=%s", child_id, deleted)
    return deleted


def _usable(prints: Sequence[Voiceprint], version: str) -> list[tuple[Voiceprint, np.ndarray]]:
    out = []
    for voiceprint in prints:
        vector = voiceprint.embedding() if voiceprint.embedder == version else None
        if vector is not None:
            out.append((voiceprint, vector))
    return out


def _log(actor: Actor, kind: str, child: ChildProfile | None, score: float | None, decision: str, **kw) -> None:
    VoiceprintAttempt.objects.create(
        kind=kind,
        child=child,
        requested_by=actor if isinstance(actor, User) else None,
        device=actor.device if isinstance(actor, ChildPrincipal) else None,
        score=None if score is None else round(score, 4),
        decision=decision,
        **kw,
    )


def voice_verify(*, actor: Actor, child_id: int, data: bytes) -> VerifyResult:
    """Is the voice in ``data`` the claimed child's (one the actor may see)?"""
    child = child_get_for_actor(actor=actor, child_id=child_id)
    _voice_require_allowed(actor)
    threshold = voiceprint_threshold()
    model = embedder()
    prints = _usable(list(Voiceprint.objects.filter(child=child)), model.version)
    if not prints or not consent_is_active(child_id=child.pk, scope=ConsentScope.VOICEPRINT):
        raise not_found(_("No voiceprint is enrolled."))
    heard = _heard_logged(actor, AttemptKind.VERIFY, child, data, threshold)
    score = voiceprint_score(prints[0][1], model.embed(heard.samples))
    verified = score >= threshold
    decision = AttemptDecision.MATCH if verified else AttemptDecision.NO_MATCH
    measured = {"speech_seconds": heard.voiced_seconds, "duration": heard.duration}
    _log(actor, AttemptKind.VERIFY, child, score, decision, threshold=threshold, **measured)
    return VerifyResult(verified, round(score, 4), threshold)


def voice_identify(*, actor: Actor, data: bytes) -> IdentifyResult:
    """Which child of the actor's family is speaking: the best-scoring voiceprint at or above the
    threshold; a guardian's voiceprint scoring best answers ``speaker: guardian`` and no child. The
    family is a device's child and its siblings (same owner) with its child's guardians, or a parent's
    children and their guardians; only children whose voiceprint consent stands are compared."""
    _voice_require_allowed(actor)
    threshold = voiceprint_threshold()
    model = embedder()
    consenting = family_children(actor=actor).filter(
        consents__scope=ConsentScope.VOICEPRINT, consents__withdrawn_at__isnull=True
    )
    candidates = list(Voiceprint.objects.filter(child__in=consenting.values("pk")).select_related("child"))
    candidates += list(Voiceprint.objects.filter(user_id__in=family_guardian_ids(actor=actor)))
    prints = _usable(candidates, model.version)
    heard = _heard_logged(actor, AttemptKind.IDENTIFY, None, data, threshold)
    vector = model.embed(heard.samples)
    scored = sorted(((voiceprint_score(v, vector), p) for p, v in prints), key=lambda item: -item[0])
    best_score, best = scored[0] if scored else (None, None)
    matched = best is not None and best_score is not None and best_score >= threshold
    child = best.child if matched and best is not None and best.child_id else None
    speaker = "unknown" if not matched else ("child" if child is not None else "guardian")
    decision = AttemptDecision.MATCH if matched else AttemptDecision.NO_MATCH
    measured = {"speech_seconds": heard.voiced_seconds, "duration": heard.duration}
    _log(actor, AttemptKind.IDENTIFY, child, best_score, decision, threshold=threshold, **measured)
    score = None if best_score is None else round(best_score, 4)
    return IdentifyResult(child.pk if child else None, score, speaker, threshold)
