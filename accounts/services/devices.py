"""Device pairing: a parent's one-time code becomes a child-scoped token pair on a device."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ChildProfile, ConsentScope, Device, PairingCode, User
from accounts.selectors import consent_is_active
from accounts.services.lockout import lockout_check, lockout_record_failure
from accounts.tokens import ChildRefreshToken, token_pair
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)

CODE_PATTERN = re.compile(r"^[0-9]{6}$")


def _code_digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def _require_chat_allowed(child: ChildProfile) -> None:
    if not child.is_active:
        raise ApplicationError(
            code="child_inactive", message=_("This child's profile is switched off."), kind=Failure.CONFLICT
        )
    if not consent_is_active(child_id=child.pk, scope=ConsentScope.CHAT):
        raise ApplicationError(
            code="consent_required",
            message=_("A guardian's consent to chat is needed before a device can be paired."),
            kind=Failure.CONFLICT,
        )


@transaction.atomic
def pairing_code_create(*, actor: User, child: ChildProfile) -> tuple[PairingCode, str]:
    """A fresh code replaces any unused code of this child, so at most one is live at a time."""
    _require_chat_allowed(child)
    now = timezone.now()
    PairingCode.objects.filter(child=child, used_at__isnull=True).delete()
    for _attempt in range(20):
        code = f"{secrets.randbelow(1_000_000):06d}"
        digest = _code_digest(code)
        PairingCode.objects.filter(code_digest=digest, used_at__isnull=True, expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                pairing = PairingCode.objects.create(
                    child=child, code_digest=digest, created_by=actor, expires_at=now + settings.PAIRING_CODE_TTL
                )
        except IntegrityError:  # another child holds this code right now
            continue
        logger.info("pairing code created child_id=%s by user_id=%s", child.pk, actor.pk)
        return pairing, code
    raise RuntimeError("could not find a free pairing code")


def _invalid_code() -> ApplicationError:
    return ApplicationError(
        code="pairing_code_invalid",
        message=_("This code is not right or has expired. Ask a parent for a new one."),
        fields={"code": [_("Not a valid pairing code.")]},
    )


def device_pair(*, code: str, device_name: str, ip: str) -> tuple[Device, dict[str, str]]:
    """Trade a pairing code for a device and its child-scoped tokens.

    Wrong codes count against the caller's IP; after 10 in 15 minutes it is locked out, which
    puts guessing one of a million codes within a 10-minute life out of reach.
    """
    lockout_check(kind="pairing_ip", key=ip)
    code = (code or "").strip()
    if not CODE_PATTERN.match(code):
        lockout_record_failure(kind="pairing_ip", key=ip)
        raise _invalid_code()
    with transaction.atomic():
        pairing = (
            PairingCode.objects.select_for_update()
            .select_related("child")
            .filter(code_digest=_code_digest(code), used_at__isnull=True)
            .first()
        )
        now = timezone.now()
        if pairing is None or pairing.expires_at <= now:
            lockout_record_failure(kind="pairing_ip", key=ip)
            raise _invalid_code()
        _require_chat_allowed(pairing.child)
        device = Device.objects.create(child=pairing.child, name=device_name.strip(), paired_by=pairing.created_by)
        pairing.used_at = now
        pairing.device = device
        pairing.save(update_fields=["used_at", "device"])
        tokens = token_pair(ChildRefreshToken.for_device(device))
    logger.info("device paired child_id=%s device_id=%s", device.child_id, device.pk)
    return device, tokens


@transaction.atomic
def device_revoke(*, actor: User, device: Device) -> Device:
    """Revoke at once: authentication checks the device on every request and every refresh."""
    device = Device.objects.select_for_update().get(pk=device.pk)
    if device.revoked_at is not None:
        raise ApplicationError(
            code="already_revoked", message=_("This device was already removed."), kind=Failure.CONFLICT
        )
    device.revoked_at = timezone.now()
    device.revoked_by = actor
    device.save(update_fields=["revoked_at", "revoked_by"])
    logger.info("device revoked device_id=%s by user_id=%s", device.pk, actor.pk)
    return device


def device_touch(*, device: Device) -> None:
    """Record when a device was last seen, at most every five minutes (not a write per request)."""
    now = timezone.now()
    if device.last_seen_at is None or (now - device.last_seen_at).total_seconds() > 300:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now
