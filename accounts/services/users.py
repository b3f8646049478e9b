from __future__ import annotations

import logging

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import ChildProfile, ErasureReason, GuardianRole, Guardianship, User
from accounts.models.users import UserManager
from happy_partner.errors import ApplicationError

logger = logging.getLogger(__name__)


@transaction.atomic
def user_register(*, email: str, password: str, display_name: str, language: str | None = None) -> User:
    """Create a parent account. Staff accounts are made with ``createsuperuser`` or the admin."""
    email = UserManager.normalize_email_address(email)
    candidate = User(email=email, display_name=display_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ApplicationError(
            code="invalid", message=_("Some fields are not valid."), fields={"password": list(exc.messages)}
        ) from None
    if User.objects.filter(email=email).exists():
        raise _email_taken()
    extra = {"language": language} if language else {}
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, display_name=display_name, **extra)
    except IntegrityError:  # a concurrent sign-up with the same address won the race
        raise _email_taken() from None


def _email_taken() -> ApplicationError:
    return ApplicationError(
        code="invalid",
        message=_("Some fields are not valid."),
        fields={"email": [_("An account with this e-mail address already exists.")]},
    )


def account_erase_confirm(*, actor: User, typed: str) -> None:
    """The account's e-mail typed again (any case) before it is erased: API and dashboard alike."""
    if typed.strip().lower() != actor.email.lower():
        raise ApplicationError(
            code="invalid",
            message=_("Some fields are not valid."),
            fields={"confirm": [_("Type your e-mail address to confirm.")]},
        )


@transaction.atomic
def account_erase(*, actor: User, reason: str = ErasureReason.ACCOUNT) -> int:
    """Erase a parent's account: each child they own is erased (``child_delete``: a co-guardian of such
    a child loses it too, which the page says first), their co-guardianships end, their tokens and
    sessions go, then the account. Returns how many children were erased."""
    from accounts.services.auth import parent_tokens_revoke
    from accounts.services.children import child_delete

    if actor.is_staff:
        raise ApplicationError(code="staff_account", message=_("Staff accounts are removed by an administrator."))
    owned = list(ChildProfile.objects.filter(guardianships__guardian=actor, guardianships__role=GuardianRole.OWNER))
    for child in owned:
        child_delete(actor=actor, child=child, reason=reason)
    Guardianship.objects.filter(guardian=actor).delete()  # the children they co-guard stay with their owners
    parent_tokens_revoke(user=actor)
    OutstandingToken.objects.filter(user=actor).delete()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(actor.pk):
            session.delete()
    user_id = actor.pk
    actor.delete()
    logger.info("account erased user_id=%s children=%d reason=%s", user_id, len(owned), reason)
    return len(owned)
