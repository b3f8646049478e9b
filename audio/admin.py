"""Voiceprints in the staff console: who is enrolled and the log of recognitions, read-only. The
embedding and any kept recordings are never shown (they are encrypted; staff have no use for them);
deleting a voiceprint from here deletes its recordings too."""

from __future__ import annotations

from django.contrib import admin

from audio.models import Voiceprint, VoiceprintAttempt
from conversations.admin import ReadOnlyAdmin


@admin.register(Voiceprint)
class VoiceprintAdmin(ReadOnlyAdmin):
    list_display = ["id", "child", "user", "samples", "speech_seconds", "embedder", "keeps_recordings", "created_at"]
    list_filter = ["embedder", "keeps_recordings"]
    search_fields = ["child__display_name", "user__email"]
    fields = ("child", "user", "samples", "speech_seconds", "embedder", "keeps_recordings", "created_at")
    readonly_fields = fields


@admin.register(VoiceprintAttempt)
class VoiceprintAttemptAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "child", "decision", "score", "threshold", "speech_seconds", "duration"]
    list_filter = ["kind", "decision"]
    readonly_fields = ["child", "requested_by", "device"]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        return False
