"""Device-initiated pairing, the flow AI toys use.

1. The device asks for a pairing request (anonymous): it gets a code to show or speak (8 characters
   from the unambiguous alphabet, ``K7QM-3XRT``) and a secret only it knows.
2. A signed-in guardian enters the code for one of their children (:func:`pairing_request_claim`):
   the device record is created then, and every guardian is told.
3. The device polls with its secret (:func:`pairing_request_collect`) and gets its child-scoped
   tokens exactly once.

Guessing a code therefore needs a parent account, can only bind a device to the guesser's own
child, and is locked per parent after 5 wrong codes in 15 minutes, counted before the code is
looked at so concurrent claims cannot exceed it. A success gives back its own place but does not
reset that count: anyone can make requests and claim their own.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ChildProfile, Device, PairingRequest, User
from accounts.selectors import device_revoked_error
from accounts.services.devices import (
    CODE_ALPHABET,
    device_paired_notify,
    pairing_code_create_free,
    pairing_code_grouped,
    pairing_code_invalid,
    pairing_code_normalize,
    pairing_code_random,
    pairing_digest,
    pairing_require_chat_allowed,
)
from accounts.services.lockout import lockout_admit, lockout_record_failure, lockout_refund
from accounts.tokens import ChildRefreshToken, token_pair
from happy_partner.errors import ApplicationError, Failure, not_found

logger = logging.getLogger(__name__)

REQUEST_CODE_LENGTH = 8
REQUEST_CODE = re.compile(rf"^[{CODE_ALPHABET}]{{{REQUEST_CODE_LENGTH}}}$")
POLL_INTERVAL_SECONDS = 5
CLAIM_LOCKOUT = "pairing_claim_parent"


def pairing_request_create(*, device_name: str) -> tuple[PairingRequest, str, str]:
    """A new request, its code as shown (grouped) and the device's secret (both only returned here)."""
    now = timezone.now()
    secret = secrets.token_urlsafe(32)
    request, code = pairing_code_create_free(
        draw=lambda: pairing_code_random(length=REQUEST_CODE_LENGTH),
        expired=PairingRequest.objects.filter(claimed_at__isnull=True, expires_at__lte=now),
        create=lambda digest: PairingRequest.objects.create(
            device_name=device_name.strip(),
            code_digest=digest,
            secret_digest=pairing_digest(value=secret),
            expires_at=now + settings.PAIRING_REQUEST_TTL,
        ),
    )
    logger.info("pairing request created request_id=%s", request.pk)
    return request, pairing_code_grouped(code=code), secret


def _invalid_request_code() -> ApplicationError:
    return pairing_code_invalid(
        message=_("This code is not right or has expired. Check the code the device shows, or start again on it.")
    )


def pairing_request_claim(*, actor: User, child: ChildProfile, code: str) -> PairingRequest:
    """Bind the device showing ``code`` to ``child`` (one of ``actor``'s children, checked by the caller)."""
    key = str(actor.pk)
    lockout_admit(kind=CLAIM_LOCKOUT, key=key)  # counted before the code is looked at
    try:
        pairing_require_chat_allowed(child=child)
    except ApplicationError:
        lockout_refund(kind=CLAIM_LOCKOUT, key=key)  # not a guess
        raise
    code = pairing_code_normalize(code=code)
    if not REQUEST_CODE.match(code):
        lockout_record_failure(kind=CLAIM_LOCKOUT, key=key)
        raise _invalid_request_code()
    with transaction.atomic():
        request = (
            PairingRequest.objects.select_for_update()
            .filter(code_digest=pairing_digest(value=code), claimed_at__isnull=True)
            .first()
        )
        now = timezone.now()
        if request is None or request.expires_at <= now:
            lockout_record_failure(kind=CLAIM_LOCKOUT, key=key)
            raise _invalid_request_code()
        lockout_refund(kind=CLAIM_LOCKOUT, key=key)  # a right code is not a failure (nor a reset)
        device = Device.objects.create(child=child, name=request.device_name, paired_by=actor)
        request.child = child
        request.claimed_by = actor
        request.claimed_at = now
        request.device = device
        request.expires_at = now + settings.PAIRING_REQUEST_TTL  # the device's time to collect
        request.save(update_fields=["child", "claimed_by", "claimed_at", "device", "expires_at"])
        device_paired_notify(device=device)
    logger.info(
        "pairing request claimed request_id=%s child_id=%s device_id=%s by user_id=%s",
        request.pk,
        child.pk,
        device.pk,
        actor.pk,
    )
    return request


def pairing_request_collect(*, request_id: int, secret: str) -> tuple[PairingRequest, dict[str, str] | None]:
    """The device's poll: ``(request, None)`` while nobody has claimed it, ``(request, tokens)`` once.

    A wrong secret is the same 404 as an unknown id, so ids reveal nothing."""
    with transaction.atomic():
        request = (
            PairingRequest.objects.select_for_update(of=("self",))
            .select_related("child", "device")
            .filter(pk=request_id)
            .first()
        )
        if (
            request is None
            or not secret
            or not hmac.compare_digest(request.secret_digest, pairing_digest(value=secret))
        ):
            raise not_found(_("No such pairing request."))
        if request.collected_at is not None:
            raise ApplicationError(
                code="pairing_request_used",
                message=_("This device already collected its sign-in. To pair it again, start again on the device."),
                kind=Failure.CONFLICT,
            )
        now = timezone.now()
        if request.expires_at <= now:
            raise ApplicationError(
                code="pairing_request_expired",
                message=_("This pairing request has expired. Start again on the device for a new code."),
                kind=Failure.CONFLICT,
            )
        if request.claimed_at is None:
            return request, None
        device, child = request.device, request.child
        if device is None or child is None or device.revoked_at is not None:
            raise device_revoked_error(kind=Failure.CONFLICT)
        pairing_require_chat_allowed(child=child)
        request.collected_at = now
        request.save(update_fields=["collected_at"])
        tokens = token_pair(ChildRefreshToken.for_device(device))
    logger.info("pairing request collected request_id=%s device_id=%s", request.pk, device.pk)
    return request, tokens
