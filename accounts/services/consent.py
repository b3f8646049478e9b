from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ChildProfile, ConsentMethod, ConsentRecord, ConsentScope, User
from accounts.snapshots import child_snapshot_invalidate
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)


def consent_grant(
    *,
    actor: User,
    child: ChildProfile,
    scope: str,
    policy_version: str | None = None,
    method: str = ConsentMethod.API,
) -> tuple[ConsentRecord, bool]:
    """Record a guardian's consent. Granting a scope that is already active returns that record.

    The consent must be to the policy in force: a client that showed an older policy text is
    refused, so the record always says what the parent actually agreed to.
    """
    if scope not in ConsentScope.values:
        raise ApplicationError(
            code="invalid", message=_("Some fields are not valid."), fields={"scope": [_("Unknown consent scope.")]}
        )
    current = settings.CONSENT_POLICY_VERSION
    if policy_version is not None and policy_version != current:
        raise ApplicationError(
            code="policy_outdated",
            message=_("The privacy policy has changed. Please read version %(version)s and try again.")
            % {"version": current},
            fields={"policy_version": [_("Must be %(version)s.") % {"version": current}]},
            kind=Failure.CONFLICT,
        )
    existing = ConsentRecord.objects.filter(child=child, scope=scope, withdrawn_at__isnull=True).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            record = ConsentRecord.objects.create(
                child=child,
                guardian=actor,
                guardian_email=actor.email,
                scope=scope,
                policy_version=current,
                method=method,
            )
    except IntegrityError:  # granted concurrently
        return ConsentRecord.objects.get(child=child, scope=scope, withdrawn_at__isnull=True), False
    child_snapshot_invalidate(child_id=child.pk)
    logger.info("consent granted child_id=%s scope=%s by user_id=%s", child.pk, scope, actor.pk)
    return record, True


@transaction.atomic
def consent_withdraw(*, actor: User, consent: ConsentRecord) -> ConsentRecord:
    """Withdraw at once. Any guardian may withdraw any consent: the more careful adult wins.

    In the same transaction, what was kept under this consent goes (memories for ``memory``,
    emotion labels for ``emotion_companion``: ``conversations.services.consent_effects``; the
    voiceprint for ``voiceprint``: ``audio.services.voiceprints``), and the
    child's cached snapshot is dropped after the commit, so the next message sees the withdrawal.

    The effect is called here, where a reader of this service sees it, not from a signal. Its import
    is local because conversations is built on accounts (its models import accounts' models): a
    module-level import would make every importer of accounts' services load the conversations app
    too, and turn the layering upside down for one call.
    """
    from archive.services.archiving import archives_forget_emotions
    from audio.services.voiceprints import voiceprints_erase_for_child
    from conversations.services.consent_effects import consent_withdrawn_apply

    consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ApplicationError(
            code="already_withdrawn", message=_("This consent was already withdrawn."), kind=Failure.CONFLICT
        )
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    consent_withdrawn_apply(child_id=consent.child_id, scope=consent.scope)
    if consent.scope == ConsentScope.VOICEPRINT:
        voiceprints_erase_for_child(child_id=consent.child_id)
    if consent.scope == ConsentScope.EMOTION_COMPANION:
        archives_forget_emotions(child_id=consent.child_id)  # archived messages' labels go too
    child_snapshot_invalidate(child_id=consent.child_id)
    logger.info("consent withdrawn child_id=%s scope=%s by user_id=%s", consent.child_id, consent.scope, actor.pk)
    return consent
