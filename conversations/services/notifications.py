"""Safety alert e-mails: what happened and how serious, never the child's words."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import ParentalControls, User
from conversations.models import SafetyEvent

logger = logging.getLogger(__name__)


def safety_alert_email_send(*, event_id: int) -> int:
    event = SafetyEvent.objects.select_related("child").filter(pk=event_id).first()
    if event is None:
        return 0
    controls = ParentalControls.objects.get(child=event.child)
    escalate = event.action == "escalate"
    guardians = User.objects.filter(guardianships__child=event.child, is_active=True)
    sent = 0
    for guardian in guardians:
        if not (controls.alert_email or escalate):
            continue
        with translation.override(guardian.language), timezone.override(controls.zone):
            context = {
                "guardian": guardian.display_name,
                "child": event.child.display_name,
                "event": event,
                "categories": ", ".join(event.categories),
                "escalate": escalate,
                "url": f"{settings.SITE_URL}/api/v1/children/{event.child_id}/safety-events/",
            }
            subject = (
                _("Urgent: %(child)s may need you now")
                if escalate
                else _("Happy Partner safety notice about %(child)s")
            ) % context
            body = render_to_string("conversations/email/safety_alert.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [guardian.email])
        sent += 1
    logger.info("safety alert e-mails sent event_id=%s count=%s", event_id, sent)
    return sent
