"""The data lifecycle in the staff console: archives (never their contents), the jobs that ran, data
exports (never the ZIP), families' retention choices with the legal hold, inactivity notices."""

from __future__ import annotations

from django.contrib import admin

from archive.models import ConversationArchive, ExportJob, InactivityNotice, LifecycleRun, RetentionChoice
from conversations.admin import ReadOnlyAdmin


@admin.register(ConversationArchive)
class ConversationArchiveAdmin(ReadOnlyAdmin):
    list_display = ["id", "child", "month", "message_count", "raw_bytes", "compressed_bytes", "codec", "created_at"]
    list_filter = ["codec", "month"]
    search_fields = ["=child__id"]
    exclude = ["payload"]
    readonly_fields = ["child"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("payload")


@admin.register(LifecycleRun)
class LifecycleRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "kind", "dry_run", "finished_at", "counts", "error"]
    list_filter = ["kind", "dry_run"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["id", "child", "requested_by", "status", "progress", "size", "created_at", "expires_at"]
    list_filter = ["status"]
    exclude = ["payload"]
    readonly_fields = ["child", "requested_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("payload")


@admin.register(RetentionChoice)
class RetentionChoiceAdmin(admin.ModelAdmin):
    """Staff set or lift a legal hold here; the family's own choice is theirs (shown, not edited)."""

    list_display = ["child", "transcript_days", "legal_hold", "legal_hold_note", "updated_at"]
    list_filter = ["legal_hold"]
    fields = ["child", "transcript_days", "legal_hold", "legal_hold_note"]
    readonly_fields = ["transcript_days"]
    raw_id_fields = ["child"]


@admin.register(InactivityNotice)
class InactivityNoticeAdmin(ReadOnlyAdmin):
    list_display = ["user", "sent_at"]
