"""Sign-in, token rotation and sign-out for parents and child devices."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import Device, User
from accounts.models.users import UserManager
from accounts.selectors import device_revoked_error
from accounts.services.lockout import lockout_admit, lockout_record_failure, lockout_refund, lockout_reset
from accounts.tokens import (
    SCOPE_CHILD,
    SCOPE_PARENT,
    ChildRefreshToken,
    ParentRefreshToken,
    ScopedRefreshToken,
    token_pair,
)
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)


def parent_login(*, email: str, password: str, ip: str) -> dict[str, str]:
    """E-mail + password → a parent token pair (the API's sign-in)."""
    user = parent_authenticate(email=email, password=password, ip=ip)
    return token_pair(ParentRefreshToken.for_parent(user))


def parent_authenticate(*, email: str, password: str, ip: str) -> User:
    """E-mail + password → the parent, for the API's tokens and the dashboard's session alike. Locked
    per account and per IP after failures; both counts are taken before the password is checked, so
    concurrent guesses cannot get past them."""
    email = UserManager.normalize_email_address(email)
    lockout_admit(kind="login_ip", key=ip)
    try:
        lockout_admit(kind="login_account", key=email)
    except ApplicationError:
        lockout_refund(kind="login_ip", key=ip)  # refused before any password was examined
        raise
    user = authenticate(request=None, email=email, password=password)
    if user is None:
        lockout_record_failure(kind="login_ip", key=ip)
        lockout_record_failure(kind="login_account", key=email)
        raise ApplicationError(
            code="invalid_credentials",
            message=_("The e-mail address or password is not right."),
            kind=Failure.UNAUTHENTICATED,
        )
    lockout_refund(kind="login_ip", key=ip)
    lockout_reset(kind="login_account", key=email)
    update_last_login(User, user)
    return user


def _token_not_valid() -> ApplicationError:
    return ApplicationError(
        code="token_not_valid",
        message=_("The token is not valid or has expired."),
        kind=Failure.UNAUTHENTICATED,
    )


def _verified_refresh(raw: str) -> ScopedRefreshToken:
    """Signature, expiry, type and blacklist checked; any failure is the same 401 to the client."""
    try:
        return ScopedRefreshToken(raw)  # type: ignore[arg-type]  # simplejwt annotates the encoded token as Token
    except TokenError:
        raise _token_not_valid() from None


@transaction.atomic
def token_refresh(*, refresh: str) -> dict[str, str]:
    """Rotate a refresh token: the old one is blacklisted, a new pair of the same scope returned.

    The token's row is locked and the blacklist checked again under the lock, so two concurrent
    refreshes of one token cannot both succeed and fork the chain.
    """
    token = _verified_refresh(refresh)
    scope = token.get("scope")
    if scope == SCOPE_CHILD:
        device = Device.objects.filter(pk=token.get("device_id"), child_id=token.get("child_id")).first()
        if device is None or not device.is_active:
            raise device_revoked_error(kind=Failure.UNAUTHENTICATED)
        lifetime = ChildRefreshToken.lifetime
    elif scope == SCOPE_PARENT:
        if not User.objects.filter(pk=token.get("user_id"), is_active=True).exists():
            raise _token_not_valid()
        lifetime = ParentRefreshToken.lifetime
        # An app's parent never types the password again: a refresh is their sign-in (at most once a
        # day), so the inactive-account job sees them (archive.services.retention).
        now = timezone.now()
        User.objects.filter(pk=token.get("user_id"), last_login__lt=now - timedelta(days=1)).update(last_login=now)
    else:
        raise _token_not_valid()
    _blacklist_once(token)
    token.set_jti()
    token.set_exp(lifetime=lifetime)
    token.set_iat()
    token.outstand()
    return token_pair(token)


@transaction.atomic
def token_logout(*, refresh: str) -> None:
    """Blacklist a refresh token (parent or device). Its access token expires on its own soon."""
    _blacklist_once(_verified_refresh(refresh))


def _blacklist_once(token: ScopedRefreshToken) -> None:
    """Blacklist under a row lock; a token already blacklisted (by a concurrent request) fails.

    Goes through our ``outstand()`` so the token itself is never written to the database.
    """
    token.outstand()
    locked = OutstandingToken.objects.select_for_update().get(jti=token["jti"])
    if BlacklistedToken.objects.filter(token=locked).exists():
        raise _token_not_valid()
    BlacklistedToken.objects.create(token=locked)


def parent_tokens_revoke(*, user: User) -> int:
    """Blacklist every refresh token the parent holds (a password reset: a stolen phone's app session
    ends with the old password). Returns how many were revoked."""
    outstanding = OutstandingToken.objects.filter(user=user, expires_at__gt=timezone.now()).exclude(
        blacklistedtoken__isnull=False
    )
    revoked = 0
    for token in outstanding:
        _created = BlacklistedToken.objects.get_or_create(token=token)[1]
        revoked += int(_created)
    logger.info("parent tokens revoked user_id=%s count=%s", user.pk, revoked)
    return revoked
