from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureReason(models.TextChoices):
    PARENT = "parent", _("a guardian asked")
    ACCOUNT = "account", _("the owner deleted their account")
    INACTIVE = "inactive", _("the account was inactive")


class ErasureRecord(models.Model):
    """The minimal proof the law asks for once a child is erased: that consent was given (scopes, when,
    how, by which e-mail) and when and why the data went. No name, no birth date, no link to any row
    (``child_ref`` is a keyed hash of the old id, so a regulator's question about one id can be answered
    and nothing else can be learnt)."""

    child_ref = models.CharField(_("child (keyed hash)"), max_length=64, db_index=True)
    reason = models.CharField(_("reason"), max_length=10, choices=ErasureReason.choices)
    consents = models.JSONField(_("consents given"), default=list)
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")

    def __str__(self) -> str:
        return f"erased {self.erased_at:%Y-%m-%d} ({self.reason})"
