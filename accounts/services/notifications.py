"""E-mails the accounts app sends."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import GuardianInvitation

logger = logging.getLogger(__name__)


def guardian_invitation_send(*, invitation_id: int, token: str) -> bool:
    """Mail the one-time token to the invitee, in the inviting parent's language."""
    invitation = (
        GuardianInvitation.objects.select_related("child__controls", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_pending:
        logger.info("guardian invitation not sent, no longer pending invitation_id=%s", invitation_id)
        return False
    # Rendered in the inviter's language and the family's time zone: "expires at 09:00" must mean
    # their 09:00 (templates convert datetimes to the active zone, so override it, not the value).
    with translation.override(invitation.invited_by.language), timezone.override(invitation.child.controls.zone):
        context = {
            "inviter": invitation.invited_by.display_name,
            "child": invitation.child.display_name,
            "token": token,
            "accept_url": f"{settings.SITE_URL}/api/v1/invitations/accept/",
            "expires_at": invitation.expires_at,
            "time_zone": invitation.child.controls.time_zone,
        }
        subject = _("%(inviter)s invites you to look after %(child)s on Happy Partner") % context
        body = render_to_string("accounts/email/guardian_invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    logger.info("guardian invitation sent invitation_id=%s", invitation_id)
    return True
