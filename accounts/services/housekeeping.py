"""Periodic clean-up: secrets that can no longer be used are not kept."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import GuardianInvitation, PairingCode, PairingRequest

logger = logging.getLogger(__name__)


def credentials_purge_expired() -> dict[str, int]:
    """Delete expired pairing codes, pairing requests and invitations (after a day's grace, for support questions)
    and expired JWT records (expired tokens are rejected on their own, blacklisted or not)."""
    now = timezone.now()
    grace = now - timedelta(days=1)
    # delete() totals include cascaded rows (a token's blacklist entry): count each model's own rows.
    _total, codes = PairingCode.objects.filter(expires_at__lt=grace).delete()
    _total, requests = PairingRequest.objects.filter(expires_at__lt=grace).delete()
    _total, invitations = GuardianInvitation.objects.filter(expires_at__lt=grace, accepted_at__isnull=True).delete()
    _total, tokens = OutstandingToken.objects.filter(expires_at__lt=now).delete()
    result = {
        "pairing_codes": codes.get(PairingCode._meta.label, 0),
        "pairing_requests": requests.get(PairingRequest._meta.label, 0),
        "invitations": invitations.get(GuardianInvitation._meta.label, 0),
        "tokens": tokens.get(OutstandingToken._meta.label, 0),
    }
    logger.info("purged expired credentials %s", result)
    return result
