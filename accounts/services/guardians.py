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
from accounts.snapshots import child_snapshot_invalidate
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, actor: User, child: ChildProfile, email: str) -> tuple[GuardianInvitation, str]:
    """Invite a second grown-up by e-mail. Returns the invitation and its one-time token,
    which only the e-mail carries; the database keeps its digest."""
    from accounts.tasks import send_guardian_invitation

    guardian_require_owner(user=actor, child=child)
    email = UserManager.normalize_email_address(email)
    if Guardianship.objects.filter(child=child, guardian__email=email).exists():
        raise ApplicationError(
            code="already_guardian",
            message=_("This person is already a guardian of the child."),
            kind=Failure.CONFLICT,
        )
    token = secrets.token_urlsafe(32)
    invitation = GuardianInvitation.objects.create(
        child=child,
        email=email,
        token_digest=_digest(token),
        invited_by=actor,
        expires_at=timezone.now() + settings.INVITATION_TTL,
    )

    def send() -> None:
        try:
            send_guardian_invitation.delay(invitation_id=invitation.pk, token=token)
        except Exception:
            # The broker (Redis) is down or refused the task, whatever the error's type. The
            # invitation is committed and listed for the owner, who can revoke it and invite again;
            # the request itself has succeeded.
            logger.exception("invitation e-mail not queued invitation_id=%s", invitation.pk)

    # robust: nothing that goes wrong after the commit can turn the committed invitation into an error.
    transaction.on_commit(send, robust=True)
    logger.info("guardian invitation created child_id=%s invitation_id=%s", child.pk, invitation.pk)
    return invitation, token


@transaction.atomic
def invitation_accept(*, actor: User, token: str) -> Guardianship:
    """Accept an invitation: it must be pending and addressed to the accepting account's e-mail."""
    invitation = GuardianInvitation.objects.select_for_update().filter(token_digest=_digest(token or "")).first()
    if invitation is None or not invitation.is_pending or invitation.email != actor.email:
        raise ApplicationError(
            code="invitation_invalid",
            message=_("This invitation is not valid for your account, or it has expired."),
        )
    try:
        with transaction.atomic():
            guardianship = Guardianship.objects.create(
                guardian=actor, child=invitation.child, role=GuardianRole.CO_GUARDIAN
            )
    except IntegrityError:
        raise ApplicationError(
            code="already_guardian", message=_("You are already a guardian of this child."), kind=Failure.CONFLICT
        ) from None
    child_snapshot_invalidate(child_id=invitation.child_id)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    logger.info("guardian invitation accepted invitation_id=%s user_id=%s", invitation.pk, actor.pk)
    return guardianship


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: GuardianInvitation) -> GuardianInvitation:
    guardian_require_owner(user=actor, child=invitation.child)
    if not invitation.is_pending:
        raise ApplicationError(
            code="invitation_not_pending", message=_("This invitation is no longer pending."), kind=Failure.CONFLICT
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def guardianship_remove(*, actor: User, guardianship: Guardianship) -> None:
    """The owner removes a co-guardian, or a co-guardian removes themself. The owner stays."""
    if guardianship.guardian_id != actor.pk:
        guardian_require_owner(user=actor, child=guardianship.child)
    if guardianship.role == GuardianRole.OWNER:
        raise ApplicationError(
            code="owner_cannot_leave",
            message=_("The owner guardian cannot be removed. Delete the child instead."),
            kind=Failure.CONFLICT,
        )
    guardianship.delete()
    child_snapshot_invalidate(child_id=guardianship.child_id)
    logger.info("guardianship removed child_id=%s by user_id=%s", guardianship.child_id, actor.pk)
