"""E-mails the accounts app sends."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Device, GuardianInvitation, PairingRequest, User
from happy_partner.mail_receipts import MailReceipts

logger = logging.getLogger(__name__)

# A delivered device-paired e-mail is remembered far longer than the task's retries last.
_RECEIPTS = MailReceipts(kind="device-paired", seconds=24 * 3600)


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
            "accept_url": f"{settings.SITE_URL}{reverse('invitation-accept')}?{urlencode({'token': token})}",
            "expires_at": invitation.expires_at,
            "time_zone": invitation.child.controls.time_zone,
        }
        subject = _("%(inviter)s invites you to look after %(child)s on Happy Partner") % context
        body = render_to_string("accounts/email/guardian_invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    logger.info("guardian invitation sent invitation_id=%s", invitation_id)
    return True


def device_paired_email_send(*, device_id: int) -> int:
    """Tell every guardian that a device can now act as their child, with the page to remove it.

    The link is the dashboard's devices page of the child, where it is removed with one button.
    Sent even if the device was removed meanwhile: the other guardians should know.

    Each guardian reached is remembered (in the cache), so a retry after one address failed mails
    only those not yet reached. Returns how many were mailed by this run."""
    device = Device.objects.select_related("child__controls", "paired_by").filter(pk=device_id).first()
    if device is None:
        return 0
    child = device.child
    by_request = PairingRequest.objects.filter(device=device).exists()
    guardians = User.objects.filter(guardianships__child=child, is_active=True)
    sent = 0
    for guardian in guardians:
        if _RECEIPTS.already_mailed(subject_id=device.pk, guardian_id=guardian.pk):
            continue
        with translation.override(guardian.language), timezone.override(child.controls.zone):
            context = {
                "guardian": guardian.display_name,
                "child": child.display_name,
                "device": device.name,
                "paired_by": device.paired_by.display_name if device.paired_by else "",
                "by_request": by_request,
                "when": device.created_at,
                "time_zone": child.controls.time_zone,
                "url": f"{settings.SITE_URL}{reverse('devices', kwargs={'child_id': child.pk})}",
            }
            subject = _("A device was paired with %(child)s's profile on Happy Partner") % context
            body = render_to_string("accounts/email/device_paired.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [guardian.email])
        _RECEIPTS.remember(subject_id=device.pk, guardian_id=guardian.pk)
        sent += 1
    logger.info("device paired e-mails sent device_id=%s count=%s", device_id, sent)
    return sent


def inactivity_notice_send(*, user: User, grace_days: int) -> None:
    """Tell a parent their unused account (and their children's data) will be deleted after
    ``grace_days`` unless they sign in; the link signs them in."""
    with translation.override(user.language):
        context = {
            "name": user.display_name,
            "days": grace_days,
            "url": f"{settings.SITE_URL}{reverse('signin')}",
        }
        subject = _("Your Happy Partner account will be deleted in %(days)d days") % context
        body = render_to_string("accounts/email/inactivity_notice.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    logger.info("inactivity notice sent user_id=%s", user.pk)
