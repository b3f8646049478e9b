"""Safety alert e-mails: what happened and how serious, never the child's words."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import ParentalControls, User
from conversations import words
from conversations.models import SafetyEvent
from conversations.safety.types import Action
from conversations.services.alerts import REDELIVERY_WINDOW, alert_channels
from happy_partner.mail_receipts import MailReceipts

logger = logging.getLogger(__name__)


_RECEIPTS = MailReceipts(kind="safety-alert", seconds=int(2 * REDELIVERY_WINDOW.total_seconds()))


def safety_alert_email_send(*, event_id: int) -> int:
    """E-mail the guardians about an event, once, and mark it delivered. Returns the mails sent.

    The event row is locked while sending, so a redelivery running at the same time skips it; an
    event already delivered is not sent again. A guardian reached before a failure (an SMTP error
    for the next one) is remembered for the retry, so nobody gets the same alert twice.
    """
    with transaction.atomic():
        event = (
            SafetyEvent.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("child")
            .filter(pk=event_id, parent_notified_at__isnull=True)
            .first()
        )
        if event is None:  # gone, delivered, or being delivered by another worker
            return 0
        controls = ParentalControls.objects.get(child=event.child)
        channels = alert_channels(severity=event.severity, action=event.action, preferences=controls)
        escalate = event.action == Action.ESCALATE
        guardians = User.objects.filter(guardianships__child=event.child, is_active=True) if channels.mail else []
        sent = 0
        for guardian in guardians:
            if _RECEIPTS.already_mailed(subject_id=event.pk, guardian_id=guardian.pk):
                continue
            with translation.override(guardian.language), timezone.override(controls.zone):
                context = {
                    "guardian": guardian.display_name,
                    "child": event.child.display_name,
                    "event": event,
                    "categories": words.words(words.CATEGORY, event.categories),
                    "severity": words.word(words.SEVERITY, event.severity),
                    "action": words.word(words.ACTION, event.action),
                    "escalate": escalate,
                    "url": f"{settings.SITE_URL}{reverse('alerts')}#alert-{event.pk}",
                }
                subject = (
                    _("Urgent: %(child)s may need you now")
                    if escalate
                    else _("Happy Partner safety notice about %(child)s")
                ) % context
                body = render_to_string("conversations/email/safety_alert.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [guardian.email])
            _RECEIPTS.remember(subject_id=event.pk, guardian_id=guardian.pk)
            sent += 1
        # Delivered (or, if the family has since turned e-mail alerts off, nothing left to deliver).
        event.parent_notified_at = timezone.now()
        event.save(update_fields=["parent_notified_at"])
    logger.info("safety alert e-mails sent event_id=%s count=%s", event_id, sent)
    return sent
