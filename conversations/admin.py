"""Staff views of conversations. Reading what a child wrote needs the explicit ``view_transcript``
permission, and every read is logged (TranscriptAccess)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations import words
from conversations.models import (
    ChatSession,
    LexiconTerm,
    MemoryFact,
    Message,
    ReviewMark,
    SafetyEvent,
    TranscriptAccess,
    UsageDay,
)
from conversations.services.lexicon import lexicon_term_save, lexicon_terms_delete
from conversations.services.moderation import safety_check, safety_events_mark

TRANSCRIPT_PERMISSION = "conversations.view_transcript"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ChatSession)
class ChatSessionAdmin(ReadOnlyAdmin):
    """Metadata only (no text): titles are the child's words, so they need the transcript permission."""

    list_display = ["id", "child", "started_at", "last_activity_at", "message_count", "active_seconds", "ended_at"]
    list_filter = ["ended_at", "deleted_at"]
    search_fields = ["=id", "=child__id"]
    exclude = ["title", "story_state"]
    list_select_related = ["child"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "child", "session", "role", "agent", "safety_action", "emotion", "subject", "created_at"]
    list_filter = ["role", "agent", "safety_action", "safety_severity"]
    search_fields = ["=session__id", "=child__id"]
    list_select_related = ["child", "session"]
    readonly_fields = ["session", "child", "reply_to"]
    exclude = ["search_tokens"]
    show_full_result_count = False  # no COUNT(*) over millions of rows

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(TRANSCRIPT_PERMISSION)

    def has_module_permission(self, request):
        return request.user.has_perm(TRANSCRIPT_PERMISSION)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        message = self.get_object(request, object_id)
        if message is not None and self.has_view_permission(request, message):
            TranscriptAccess.objects.create(reader=request.user, child_id=message.child_id, session=message.session)
        return super().change_view(request, object_id, form_url, extra_context)


class CategoryFilter(admin.SimpleListFilter):
    """Events that name a category (the categories are a JSON list on the row)."""

    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return [(code, text) for code, text in words.CATEGORY.items()]

    def queryset(self, request, queryset):
        value = self.value()
        if value not in words.CATEGORY:
            return queryset
        return queryset.filter(categories__icontains=f'"{value}"')  # the list's JSON text, on every database


@admin.register(SafetyEvent)
class SafetyEventAdmin(admin.ModelAdmin):
    """The moderation queue: what fired (layers) and how sure the model was (its top scores) beside
    each event; a reviewer's marks feed ``manage.py export_safety_reviews``."""

    list_display = [
        "id",
        "child",
        "direction",
        "severity",
        "action",
        "categories",
        "layers",
        "top_scores",
        "created_at",
        "parent_notified_at",
        "reviewed_at",
        "review_mark",
    ]
    list_filter = ["severity", "action", CategoryFilter, "direction", "review_mark", "reviewed_at"]
    search_fields = ["=child__id"]
    readonly_fields = [
        "child",
        "message",
        "direction",
        "categories",
        "severity",
        "action",
        "evidence",
        "created_at",
        "parent_notified_at",
        "reviewed_by",
        "reviewed_at",
    ]
    fields = [*readonly_fields, "review_mark", "review_categories", "review_note"]
    list_select_related = ["child"]
    actions = ["mark_reviewed", "mark_confirmed", "mark_false_positive"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("layers"))
    def layers(self, obj: SafetyEvent) -> str:
        return ", ".join(obj.evidence.get("layers", [])) if isinstance(obj.evidence, dict) else ""

    @admin.display(description=_("model scores"))
    def top_scores(self, obj: SafetyEvent) -> str:
        scores = obj.evidence.get("scores", {}) if isinstance(obj.evidence, dict) else {}
        top = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:3]
        return ", ".join(f"{category} {score:.2f}" for category, score in top)

    @admin.action(description=_("Mark: right"))
    def mark_confirmed(self, request, queryset):
        count = safety_events_mark(actor=request.user, events=queryset, mark=ReviewMark.CONFIRMED)
        self.message_user(request, _("%(count)d events marked.") % {"count": count})

    @admin.action(description=_("Mark: false positive"))
    def mark_false_positive(self, request, queryset):
        count = safety_events_mark(actor=request.user, events=queryset, mark=ReviewMark.FALSE_POSITIVE)
        self.message_user(request, _("%(count)d events marked.") % {"count": count})

    @admin.action(description=_("Mark as reviewed"))
    def mark_reviewed(self, request, queryset):
        updated = queryset.filter(reviewed_at__isnull=True).update(reviewed_at=timezone.now(), reviewed_by=request.user)
        self.message_user(request, _("%(count)d events marked as reviewed.") % {"count": updated})


@admin.register(MemoryFact)
class MemoryFactAdmin(ReadOnlyAdmin):
    list_display = ["id", "child", "kind", "importance", "created_at", "last_used_at"]
    list_filter = ["kind"]
    search_fields = ["=child__id"]
    exclude = ["text"]  # the child's words: parents see them, staff do not
    readonly_fields = ["child", "source_message"]


@admin.register(UsageDay)
class UsageDayAdmin(ReadOnlyAdmin):
    list_display = ["child", "day", "seconds", "messages"]
    list_filter = ["day"]
    search_fields = ["=child__id"]
    date_hierarchy = "day"


class LexiconTestForm(forms.Form):
    text = forms.CharField(label=_("Text to check"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(LexiconTerm)
class LexiconTermAdmin(admin.ModelAdmin):
    """The reviewed terms, and a test box: what the whole input check (this lexicon and the risk
    model) says of a sentence, before a change goes live or to understand a verdict. Nothing stored."""

    change_list_template = "admin/conversations/lexiconterm/change_list.html"
    list_display = ["term", "category", "severity", "language", "is_active", "created_by", "created_at"]
    list_filter = ["category", "severity", "language", "is_active"]
    search_fields = ["term", "note"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        lexicon_term_save(actor=request.user, term=obj)

    def delete_model(self, request, obj):
        lexicon_terms_delete(actor=request.user, terms=[obj])

    def delete_queryset(self, request, queryset):
        lexicon_terms_delete(actor=request.user, terms=queryset)

    def get_urls(self):
        test = path("test/", self.admin_site.admin_view(self.test_view), name="conversations_lexiconterm_test")
        return [test, *super().get_urls()]

    def test_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = LexiconTestForm(request.POST or None)
        verdict = None
        if request.method == "POST" and form.is_valid():
            verdict = safety_check(actor=request.user, text=form.cleaned_data["text"])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Test the safety check"),
            "form": form,
            "verdict": verdict,
            "scores": sorted(verdict.scores.items(), key=lambda item: -item[1])[:5] if verdict else [],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/conversations/lexiconterm/test.html", context)


@admin.register(TranscriptAccess)
class TranscriptAccessAdmin(ReadOnlyAdmin):
    list_display = ["reader", "via", "child", "session", "accessed_at"]
    list_filter = ["via", "accessed_at"]
    search_fields = ["reader__email", "=child__id"]

    def has_delete_permission(self, request, obj=None):
        return False
