from __future__ import annotations

import hashlib
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ChildProfile, GuardianInvitation, GuardianRole, Guardianship, User
from accounts.models.users import UserManager
from accounts.selectors import guardian_require_owner
from happy_partner.api.errors import ApplicationError

logger = logging.getLogger(__name__)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, acting_user: User, child: ChildProfile, email: str) -> tuple[GuardianInvitation, str]:
    """Invite a second grown-up by e-mail. Returns the invitation and its one-time token,
    which only the e-mail carries; the database keeps its digest."""
    from accounts.tasks import send_guardian_invitation

    guardian_require_owner(user=acting_user, child=child)
    email = UserManager.normalize_email_address(email)
    if Guardianship.objects.filter(child=child, guardian__email=email).exists():
        raise ApplicationError(
            code="already_guardian",
            message=_("This person is already a guardian of the child."),
            status_code=409,
        )
    token = secrets.token_urlsafe(32)
    invitation = GuardianInvitation.objects.create(
        child=child,
        email=email,
        token_digest=_digest(token),
        invited_by=acting_user,
        expires_at=timezone.now() + settings.INVITATION_TTL,
    )
    transaction.on_commit(lambda: send_guardian_invitation.delay(invitation_id=invitation.pk, token=token))
    logger.info("guardian invitation created child_id=%s invitation_id=%s", child.pk, invitation.pk)
    return invitation, token


@transaction.atomic
def invitation_accept(*, acting_user: User, token: str) -> Guardianship:
    """Accept an invitation: it must be pending and addressed to the accepting account's e-mail."""
    invitation = GuardianInvitation.objects.select_for_update().filter(token_digest=_digest(token or "")).first()
    if invitation is None or not invitation.is_pending or invitation.email != acting_user.email:
        raise ApplicationError(
            code="invitation_invalid",
            message=_("This invitation is not valid for your account, or it has expired."),
        )
    try:
        with transaction.atomic():
            guardianship = Guardianship.objects.create(
                guardian=acting_user, child=invitation.child, role=GuardianRole.CO_GUARDIAN
            )
    except IntegrityError:
        raise ApplicationError(
            code="already_guardian", message=_("You are already a guardian of this child."), status_code=409
        ) from None
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = acting_user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    logger.info("guardian invitation accepted invitation_id=%s user_id=%s", invitation.pk, acting_user.pk)
    return guardianship


@transaction.atomic
def invitation_revoke(*, acting_user: User, invitation: GuardianInvitation) -> GuardianInvitation:
    guardian_require_owner(user=acting_user, child=invitation.child)
    if not invitation.is_pending:
        raise ApplicationError(
            code="invitation_not_pending", message=_("This invitation is no longer pending."), status_code=409
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def guardianship_remove(*, acting_user: User, guardianship: Guardianship) -> None:
    """The owner removes a co-guardian, or a co-guardian removes themself. The owner stays."""
    if guardianship.guardian_id != acting_user.pk:
        guardian_require_owner(user=acting_user, child=guardianship.child)
    if guardianship.role == GuardianRole.OWNER:
        raise ApplicationError(
            code="owner_cannot_leave",
            message=_("The owner guardian cannot be removed. Delete the child instead."),
            status_code=409,
        )
    guardianship.delete()
    logger.info("guardianship removed child_id=%s by user_id=%s", guardianship.child_id, acting_user.pk)
