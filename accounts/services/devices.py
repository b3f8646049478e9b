"""Device pairing: a parent's one-time code becomes a child-scoped token pair on a device.

Two kinds of code a parent asks for: 6 digits for a device with only a keypad, or 12 characters
from an unambiguous alphabet, grouped for reading (``K7QM-3XRT-9HWP``), where the device has a
keyboard. Wrong codes count against the caller's IP (lockout) and, for 6-digit codes, against the
global budget of failed pairings (accounts.services.pairing_budget). The device-initiated flow
(the device shows a code, a signed-in parent enters it) is in accounts.services.pairing_requests.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ChildProfile, ConsentScope, Device, PairingCode, PairingCodeKind, User
from accounts.realtime import ChildDeviceEvent, guardians_publish
from accounts.selectors import consent_is_active
from accounts.services.lockout import lockout_admit, lockout_record_failure, lockout_refund
from accounts.services.pairing_budget import pairing_budget_refund, pairing_budget_spend
from accounts.tokens import ChildRefreshToken, token_pair
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)

SHORT_CODE = re.compile(r"^[0-9]{6}$")
# 30 symbols a child or a parent will not confuse: no 0/O, 1/I/L, nor U (read as V).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LONG_CODE_LENGTH = 12
LONG_CODE = re.compile(rf"^[{CODE_ALPHABET}]{{{LONG_CODE_LENGTH}}}$")
_SEPARATORS = re.compile(r"[\s-]")
CodeHolder = TypeVar("CodeHolder", bound=Model)


def pairing_digest(*, value: str) -> str:
    """The keyed digest stored in place of a code or a device secret (never the value itself)."""
    return hmac.new(str(settings.SECRET_KEY).encode(), value.encode(), hashlib.sha256).hexdigest()


def pairing_code_normalize(*, code: str) -> str:
    """What a person typed, as the code it means: spaces and hyphens dropped, letters upper-case."""
    return _SEPARATORS.sub("", code or "").upper()


def pairing_code_random(*, length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def pairing_code_grouped(*, code: str) -> str:
    """``K7QM3XRT9HWP`` as ``K7QM-3XRT-9HWP``: groups of four, easier to read out and type."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


def _code_kind(code: str) -> str | None:
    if SHORT_CODE.match(code):
        return PairingCodeKind.SHORT
    if LONG_CODE.match(code):
        return PairingCodeKind.LONG
    return None


def pairing_require_chat_allowed(*, child: ChildProfile) -> None:
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


def pairing_code_create_free(
    *, draw: Callable[[], str], expired: QuerySet[Any], create: Callable[[str], CodeHolder]
) -> tuple[CodeHolder, str]:
    """Draw codes until one is free and store its holder: ``create(digest)`` inside a savepoint.

    A code held by an ``expired`` row (a queryset of the holder's model) is freed first; one held by
    a live row (the unique constraint on ``code_digest``) is drawn again. Returns the holder and the
    code drawn (only ever returned here; the database keeps its digest)."""
    for _attempt in range(20):
        code = draw()
        digest = pairing_digest(value=code)
        expired.filter(code_digest=digest).delete()
        try:
            with transaction.atomic():
                return create(digest), code
        except IntegrityError:  # another child or device holds this code right now
            continue
    raise RuntimeError("could not find a free pairing code")


def pairing_code_invalid(*, message: str) -> ApplicationError:
    """``400 pairing_code_invalid`` with the flow's own advice (``message``) on what to do next."""
    return ApplicationError(
        code="pairing_code_invalid", message=message, fields={"code": [_("Not a valid pairing code.")]}
    )


@transaction.atomic
def pairing_code_create(
    *, actor: User, child: ChildProfile, kind: str = PairingCodeKind.SHORT
) -> tuple[PairingCode, str]:
    """A fresh code replaces any unused code of this child, so at most one is live at a time.

    Returns the code as it is shown: 6 digits, or 12 characters in groups of four."""
    pairing_require_chat_allowed(child=child)
    now = timezone.now()
    PairingCode.objects.filter(child=child, used_at__isnull=True).delete()

    def draw() -> str:
        if kind == PairingCodeKind.LONG:
            return pairing_code_random(length=LONG_CODE_LENGTH)
        return f"{secrets.randbelow(1_000_000):06d}"

    pairing, code = pairing_code_create_free(
        draw=draw,
        expired=PairingCode.objects.filter(used_at__isnull=True, expires_at__lte=now),
        create=lambda digest: PairingCode.objects.create(
            child=child, code_digest=digest, kind=kind, created_by=actor, expires_at=now + settings.PAIRING_CODE_TTL
        ),
    )
    logger.info("pairing code created child_id=%s kind=%s by user_id=%s", child.pk, kind, actor.pk)
    return pairing, (pairing_code_grouped(code=code) if kind == PairingCodeKind.LONG else code)


def _invalid_code() -> ApplicationError:
    return pairing_code_invalid(message=_("This code is not right or has expired. Ask a parent for a new one."))


def device_pair(*, code: str, device_name: str, ip: str) -> tuple[Device, dict[str, str]]:
    """Trade a pairing code for a device and its child-scoped tokens.

    Every attempt is counted against the caller's IP before the code is looked at (a right code
    gives its place back); after 10 wrong ones in 15 minutes it is locked out. Every
    6-digit attempt also spends the global budget of failed pairings (a right one gives its place
    back), so many addresses together cannot guess more than the budget allows.
    """
    lockout_admit(kind="pairing_ip", key=ip)  # counted before the code is looked at
    code = pairing_code_normalize(code=code)
    kind = _code_kind(code)
    if kind is None:
        lockout_record_failure(kind="pairing_ip", key=ip)
        raise _invalid_code()
    try:
        budget_key = pairing_budget_spend() if kind == PairingCodeKind.SHORT else None
    except ApplicationError:
        lockout_refund(kind="pairing_ip", key=ip)  # refused before the code was looked at
        raise
    with transaction.atomic():
        pairing = (
            PairingCode.objects.select_for_update()
            .select_related("child")
            .filter(code_digest=pairing_digest(value=code), kind=kind, used_at__isnull=True)
            .first()
        )
        now = timezone.now()
        if pairing is None or pairing.expires_at <= now:
            lockout_record_failure(kind="pairing_ip", key=ip)
            raise _invalid_code()
        lockout_refund(kind="pairing_ip", key=ip)
        if budget_key is not None:
            pairing_budget_refund(key=budget_key)
        pairing_require_chat_allowed(child=pairing.child)
        device = Device.objects.create(child=pairing.child, name=device_name.strip(), paired_by=pairing.created_by)
        pairing.used_at = now
        pairing.device = device
        pairing.save(update_fields=["used_at", "device"])
        tokens = token_pair(ChildRefreshToken.for_device(device))
        device_paired_notify(device=device)
    logger.info("device paired child_id=%s device_id=%s kind=%s", device.child_id, device.pk, kind)
    return device, tokens


def device_paired_notify(*, device: Device) -> None:
    """After the commit, tell every guardian of the child: an e-mail each (Celery) and a push to
    their open apps (``accounts.realtime``). Failures are logged, not raised: the pairing has
    happened either way."""
    device_id, child_id = device.pk, device.child_id

    def send() -> None:
        from accounts.tasks import send_device_paired_email

        event: ChildDeviceEvent = {"type": "device.paired", "child": child_id, "device": device_id}
        guardians_publish(child_id=child_id, event=event)
        try:
            send_device_paired_email.delay(device_id=device_id)
        except Exception:
            logger.exception("device paired e-mail not queued device_id=%s", device_id)

    transaction.on_commit(send)


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
    event: ChildDeviceEvent = {"type": "device.revoked", "child": device.child_id, "device": device.pk}
    transaction.on_commit(lambda: guardians_publish(child_id=event["child"], event=event))
    return device


def device_touch(*, device: Device) -> None:
    """Record when a device was last seen, at most every five minutes (not a write per request)."""
    now = timezone.now()
    if device.last_seen_at is None or (now - device.last_seen_at).total_seconds() > 300:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now
