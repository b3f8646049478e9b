"""Voiceprints and the log of their use.

A voiceprint keeps an embedding (a few hundred bytes, encrypted: ``audio.sealing``), never the
enrolment recordings unless the parent opted in (then :class:`VoiceprintSample`, encrypted too). It
belongs to a child (needs the ``voiceprint`` consent; withdrawing it or erasing the child deletes it)
or to a guardian, so a parent speaking on the child's device is not taken for the child.
Every verify and identify is logged with its score and decision, never with the audio.
"""

from __future__ import annotations

import numpy as np
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ChildProfile, Device
from audio.sealing import seal, unseal


class Voiceprint(models.Model):
    child = models.OneToOneField(
        ChildProfile,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="voiceprint",
        verbose_name=_("child"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="voiceprint",
        verbose_name=_("guardian"),
    )
    sealed_embedding = models.BinaryField(_("embedding (encrypted)"), editable=False)
    embedder = models.CharField(_("embedder"), max_length=32, editable=False)
    samples = models.PositiveSmallIntegerField(_("samples"))
    speech_seconds = models.FloatField(_("voiced speech (seconds)"))
    keeps_recordings = models.BooleanField(_("recordings kept"), default=False)
    created_at = models.DateTimeField(_("enrolled at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("voiceprint")
        verbose_name_plural = _("voiceprints")
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False, user__isnull=True) | Q(child__isnull=True, user__isnull=False),
                name="voiceprint_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"voiceprint #{self.pk}"

    def set_embedding(self, vector: np.ndarray, embedder: str) -> None:
        self.sealed_embedding = seal(np.asarray(vector, dtype="<f4").tobytes())
        self.embedder = embedder

    def embedding(self) -> np.ndarray | None:
        """The embedding, or None when it cannot be read (sealed with another key)."""
        raw = unseal(self.sealed_embedding)
        return None if raw is None else np.frombuffer(raw, dtype="<f4")


class VoiceprintSample(models.Model):
    """An enrolment recording, kept only when the parent opted in (encrypted; deleted with the voiceprint)."""

    voiceprint = models.ForeignKey(Voiceprint, on_delete=models.CASCADE, related_name="recordings")
    sealed_audio = models.BinaryField(_("recording (encrypted)"), editable=False)
    content_type = models.CharField(_("format"), max_length=16)
    duration = models.FloatField(_("duration (seconds)"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("kept enrolment recording")
        verbose_name_plural = _("kept enrolment recordings")

    def __str__(self) -> str:
        return f"recording #{self.pk} of voiceprint #{self.voiceprint_id}"

    def set_audio(self, data: bytes) -> None:
        self.sealed_audio = seal(data)


class AttemptKind(models.TextChoices):
    VERIFY = "verify", _("verify")
    IDENTIFY = "identify", _("identify")


class AttemptDecision(models.TextChoices):
    MATCH = "match", _("matched")
    NO_MATCH = "no_match", _("not matched")
    NO_SPEECH = "no_speech", _("no speech")
    UNREADABLE = "unreadable", _("not a readable recording")


class VoiceprintAttempt(models.Model):
    """One verify or identify: who asked, about whom, the score against the threshold, the decision."""

    kind = models.CharField(_("kind"), max_length=8, choices=AttemptKind.choices)
    child = models.ForeignKey(  # verify: the claimed child; identify: the child found, if any
        ChildProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("child")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    device = models.ForeignKey(Device, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    score = models.FloatField(_("score"), null=True, blank=True)
    threshold = models.FloatField(_("threshold"))
    decision = models.CharField(_("decision"), max_length=10, choices=AttemptDecision.choices)
    speech_seconds = models.FloatField(_("voiced speech (seconds)"))
    duration = models.FloatField(_("duration (seconds)"))
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = _("voiceprint attempt")
        verbose_name_plural = _("voiceprint attempts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}: {self.decision}"
