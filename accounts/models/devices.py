from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.children import ChildProfile


class Device(models.Model):
    """A child's app or gadget, paired by a guardian. Its tokens work only while it is not revoked."""

    child = models.ForeignKey(
        ChildProfile,
        on_delete=models.CASCADE,
        related_name="devices",
        verbose_name=_("child"),
        db_index=False,  # served by device_child_recent (child, -created_at)
    )
    name = models.CharField(_("name"), max_length=60)
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("paired by")
    )
    created_at = models.DateTimeField(_("paired at"), default=timezone.now, editable=False)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        indexes = [models.Index(fields=["child", "-created_at"], name="device_child_recent")]

    def __str__(self) -> str:
        return f"{self.name} (child {self.child_id})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PairingCodeKind(models.TextChoices):
    SHORT = "short", _("6 digits (keypad)")
    LONG = "long", _("12 characters (keyboard)")


class PairingCode(models.Model):
    """A single-use, 10-minute code a device trades for a child-scoped token pair: 6 digits for a
    keypad, or 12 characters from an unambiguous alphabet where the device has a keyboard.

    Only a keyed digest of the code is stored. At most one unused code per digest exists, so a
    code identifies exactly one child.
    """

    child = models.ForeignKey(
        ChildProfile, on_delete=models.CASCADE, related_name="pairing_codes", verbose_name=_("child")
    )
    code_digest = models.CharField(_("code digest"), max_length=64, editable=False)
    kind = models.CharField(
        _("kind"), max_length=5, choices=PairingCodeKind.choices, default=PairingCodeKind.SHORT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    device = models.OneToOneField(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("device")
    )

    class Meta:
        verbose_name = _("pairing code")
        verbose_name_plural = _("pairing codes")
        constraints = [
            models.UniqueConstraint(
                fields=["code_digest"], condition=Q(used_at__isnull=True), name="pairing_code_unused_unique"
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="pairing_code_expiry")]

    def __str__(self) -> str:
        return f"pairing code #{self.pk} for child {self.child_id}"


class PairingRequest(models.Model):
    """The flow AI toys use: the device asks for a code, shows or speaks it, and a signed-in guardian
    enters it for one of their children; the device then collects its tokens once.

    Only keyed digests of the code and of the device's secret are stored. At most one unclaimed
    request per code digest exists, so a code identifies exactly one request.
    """

    device_name = models.CharField(_("device name"), max_length=60)
    code_digest = models.CharField(_("code digest"), max_length=64, editable=False)
    secret_digest = models.CharField(_("secret digest"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    child = models.ForeignKey(
        ChildProfile,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pairing_requests",
        verbose_name=_("child"),
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    device = models.OneToOneField(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("device")
    )
    collected_at = models.DateTimeField(_("tokens collected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pairing request")
        verbose_name_plural = _("pairing requests")
        constraints = [
            models.UniqueConstraint(
                fields=["code_digest"], condition=Q(claimed_at__isnull=True), name="pairing_request_unclaimed_unique"
            )
        ]
        indexes = [models.Index(fields=["expires_at"], name="pairing_request_expiry")]

    def __str__(self) -> str:
        return f"pairing request #{self.pk} ({self.device_name})"
