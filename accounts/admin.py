"""Staff views of accounts. Secrets (password, PIN, code and token digests) are never shown.

Staff edits of a child, its guardianships or its controls drop the child's cached snapshot after
the commit (``child_snapshot_invalidate``), like the services' do, so they apply to the next message.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    ChildProfile,
    ConsentRecord,
    Device,
    ErasureRecord,
    GuardianInvitation,
    GuardianRole,
    Guardianship,
    PairingCode,
    PairingRequest,
    ParentalControls,
    User,
)
from accounts.snapshots import child_snapshot_invalidate


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["email", "display_name", "language", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["date_joined", "last_login"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})]


class ChildSnapshotSourceAdmin(admin.ModelAdmin):
    """An admin for a model the child snapshot is built from (its ``child_id``, or the child itself)."""

    @staticmethod
    def _child_id(obj) -> int:
        return obj.pk if isinstance(obj, ChildProfile) else obj.child_id

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        child_snapshot_invalidate(child_id=self._child_id(obj))
        moved_from = form.initial.get("child") if change and "child" in form.changed_data else None
        if moved_from is not None:  # a row moved to another child: the first one changed too
            child_snapshot_invalidate(child_id=int(moved_from))

    def delete_model(self, request, obj):
        child_id = self._child_id(obj)
        super().delete_model(request, obj)
        child_snapshot_invalidate(child_id=child_id)

    def delete_queryset(self, request, queryset):
        child_ids = {self._child_id(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        for child_id in child_ids:
            child_snapshot_invalidate(child_id=child_id)


def _is_owner_row(obj: Guardianship | None) -> bool:
    return obj is not None and obj.role == GuardianRole.OWNER


class OwnerKeepingFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            deleting = self.can_delete and getattr(form, "cleaned_data", {}).get("DELETE", False)
            if deleting and _is_owner_row(form.instance):
                raise ValidationError(_("The owner guardianship cannot be deleted."))


class GuardianshipInline(admin.TabularInline):
    """Owner rows cannot be deleted here: that would leave a child with nobody responsible."""

    model = Guardianship
    extra = 0
    autocomplete_fields = ["guardian"]
    readonly_fields = ["created_at"]

    formset = OwnerKeepingFormSet


class ParentalControlsInline(admin.StackedInline):
    model = ParentalControls
    can_delete = False
    readonly_fields = ["updated_at", "updated_by"]
    exclude = ["pin_hash"]


@admin.register(ChildProfile)
class ChildProfileAdmin(ChildSnapshotSourceAdmin):
    """Its inlines (guardianships, controls) are saved in the same transaction as the child, so the
    drop after the commit that ``save_model`` schedules covers them too."""

    list_display = ["id", "display_name", "age", "grade", "language", "is_active", "created_at"]
    list_filter = ["is_active", "language", "grade"]
    search_fields = ["display_name", "guardianships__guardian__email"]
    readonly_fields = ["created_at", "updated_at", "birth_date_estimated"]
    inlines = [GuardianshipInline, ParentalControlsInline]
    date_hierarchy = "created_at"


@admin.register(Guardianship)
class GuardianshipAdmin(ChildSnapshotSourceAdmin):
    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _is_owner_row(obj)

    def get_actions(self, request):
        # Bulk delete could remove owner rows; co-guardians are removed one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    list_display = ["id", "guardian", "child", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["guardian__email", "child__display_name"]
    autocomplete_fields = ["guardian", "child"]
    readonly_fields = ["created_at"]
    list_select_related = ["guardian", "child"]


@admin.register(GuardianInvitation)
class GuardianInvitationAdmin(admin.ModelAdmin):
    list_display = ["id", "child", "email", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["accepted_at", "revoked_at"]
    search_fields = ["email", "child__display_name", "invited_by__email"]
    readonly_fields = ["child", "email", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by"]
    exclude = ["token_digest"]
    list_select_related = ["child", "invited_by"]


@admin.register(ParentalControls)
class ParentalControlsAdmin(ChildSnapshotSourceAdmin):
    list_display = [
        "child",
        "daily_minutes",
        "weekly_minutes",
        "session_minutes",
        "safety_sensitivity",
        "memory_enabled",
        "updated_at",
    ]
    list_filter = ["safety_sensitivity", "education_enabled", "emotion_enabled", "stories_enabled", "voice_enabled"]
    search_fields = ["child__display_name"]
    readonly_fields = ["child", "updated_at", "updated_by", "pin_set"]
    exclude = ["pin_hash"]
    list_select_related = ["child"]

    @admin.display(boolean=True, description=_("PIN set"))
    def pin_set(self, obj: ParentalControls) -> bool:
        return obj.pin_set


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """Consent is evidence: staff can read it, never edit or delete it."""

    list_display = ["id", "child", "scope", "guardian_email", "policy_version", "method", "granted_at", "withdrawn_at"]
    list_filter = ["scope", "method", "policy_version", "withdrawn_at"]
    search_fields = ["guardian_email", "child__display_name"]
    date_hierarchy = "granted_at"
    list_select_related = ["child"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "child", "created_at", "last_seen_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "child__display_name"]
    readonly_fields = ["child", "paired_by", "created_at", "last_seen_at", "revoked_by"]
    list_select_related = ["child"]


@admin.register(PairingCode)
class PairingCodeAdmin(admin.ModelAdmin):
    list_display = ["id", "child", "kind", "created_by", "created_at", "expires_at", "used_at"]
    list_filter = ["kind", "used_at"]
    search_fields = ["child__display_name", "created_by__email"]
    readonly_fields = ["child", "kind", "created_by", "created_at", "expires_at", "used_at", "device"]
    exclude = ["code_digest"]
    list_select_related = ["child", "created_by"]

    def has_add_permission(self, request):
        return False


@admin.register(PairingRequest)
class PairingRequestAdmin(admin.ModelAdmin):
    """Device-initiated pairing requests: read-only; the code and the device's secret never shown."""

    list_display = ["id", "device_name", "child", "claimed_by", "created_at", "claimed_at", "collected_at"]
    list_filter = ["claimed_at", "collected_at"]
    search_fields = ["device_name", "child__display_name", "claimed_by__email"]
    readonly_fields = [
        "device_name",
        "child",
        "claimed_by",
        "created_at",
        "expires_at",
        "claimed_at",
        "device",
        "collected_at",
    ]
    exclude = ["code_digest", "secret_digest"]
    list_select_related = ["child", "claimed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """The minimal proof kept after an erasure: read-only, and kept (no delete)."""

    list_display = ["erased_at", "reason", "child_ref"]
    list_filter = ["reason"]
    search_fields = ["=child_ref", "reason"]
    readonly_fields = ["child_ref", "reason", "consents", "erased_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
