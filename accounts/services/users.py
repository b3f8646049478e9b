from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.models.users import UserManager
from happy_partner.errors import ApplicationError


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
