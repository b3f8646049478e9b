from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    ChildProfile,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    ErasureReason,
    ErasureRecord,
    GuardianRole,
    Guardianship,
    ParentalControls,
    User,
)
from accounts.selectors import guardian_require_owner
from accounts.services.consent import consent_grant
from accounts.snapshots import child_snapshot_invalidate
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)

CHILD_EDITABLE_FIELDS = ("display_name", "birth_date", "grade", "language", "interests", "avatar", "is_active")


def birth_date_from_age(*, age: int, today: date) -> date:
    """A birth date for a parent who gave only an age: exactly ``age`` years ago, so the age stays
    right for the next year; the profile is marked as estimated so a parent can correct it."""
    try:
        return today.replace(year=today.year - age)
    except ValueError:  # 29 February
        return today.replace(year=today.year - age, day=28)


def _check_age(birth_date: date) -> None:
    today = timezone.localdate()
    if birth_date > today:
        raise ApplicationError(
            code="invalid",
            message=_("Some fields are not valid."),
            fields={"birth_date": [_("The birth date cannot be in the future.")]},
        )
    age = ChildProfile.age_on(birth_date, today)
    if not ChildProfile.MIN_AGE <= age <= ChildProfile.MAX_AGE:
        raise ApplicationError(
            code="invalid",
            message=_("Some fields are not valid."),
            fields={
                "birth_date": [
                    _("Happy Partner is made for children aged %(min)d to %(max)d.")
                    % {"min": ChildProfile.MIN_AGE, "max": ChildProfile.MAX_AGE}
                ]
            },
        )


@transaction.atomic
def child_create(
    *,
    actor: User,
    display_name: str,
    birth_date: date | None = None,
    age: int | None = None,
    grade: int | None = None,
    language: str | None = None,
    interests: list[str] | None = None,
    avatar: str | None = None,
    consent_scopes: Sequence[str],
    policy_version: str | None = None,
    consent_method: str = ConsentMethod.API,
) -> ChildProfile:
    """Create a child with its owner guardianship, default controls and the consents given.

    Consent to ``chat`` is the minimum: without it the product can do nothing for the child.
    """
    if ConsentScope.CHAT not in consent_scopes:
        raise ApplicationError(
            code="consent_required",
            message=_("Consent to chat is needed to add a child."),
            fields={"consent_scopes": [_('Include "chat".')]},
        )
    estimated = birth_date is None
    if birth_date is None:
        if age is None:
            raise ApplicationError(
                code="invalid",
                message=_("Some fields are not valid."),
                fields={"birth_date": [_("Give a birth date or an age.")]},
            )
        birth_date = birth_date_from_age(age=age, today=timezone.localdate())
    _check_age(birth_date)

    child = ChildProfile(
        display_name=display_name.strip(),
        birth_date=birth_date,
        birth_date_estimated=estimated,
        grade=grade,
        interests=interests or [],
    )
    if language:
        child.language = language
    if avatar:
        child.avatar = avatar
    child.full_clean()
    child.save()
    Guardianship.objects.create(guardian=actor, child=child, role=GuardianRole.OWNER)
    ParentalControls.objects.create(child=child, updated_by=actor)
    for scope in dict.fromkeys(consent_scopes):
        consent_grant(actor=actor, child=child, scope=scope, policy_version=policy_version, method=consent_method)
    logger.info("child created child_id=%s by user_id=%s", child.pk, actor.pk)
    return child


@transaction.atomic
def child_update(*, actor: User, child: ChildProfile, data: dict[str, Any]) -> ChildProfile:
    unknown = set(data) - set(CHILD_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "birth_date" in data:
        _check_age(data["birth_date"])
        child.birth_date_estimated = False
    for name, value in data.items():
        setattr(child, name, value)
    child.full_clean()
    child.save()
    child_snapshot_invalidate(child_id=child.pk)
    logger.info("child updated child_id=%s by user_id=%s fields=%s", child.pk, actor.pk, sorted(data))
    return child


@transaction.atomic
def child_delete(*, actor: User, child: ChildProfile, reason: str = ErasureReason.PARENT) -> None:
    """Erase a child: everything stored about them goes (guardianships, controls, consents, devices,
    chats and messages, archives, exports, voiceprints and recordings, memories, safety events, usage,
    transcript-read logs — every table hangs off the child with a cascading key, which
    tests/archive/test_erasure.py checks table by table). What stays is an ``ErasureRecord``: the
    consents that were given, and when and why the data went, with no link to the child.

    Only the owner guardian may do this (the inactive-account job acts as the owner)."""
    from archive.models import RetentionChoice  # archive is built on accounts: see consent_withdraw

    guardian_require_owner(user=actor, child=child)
    if RetentionChoice.objects.filter(child=child, legal_hold=True).exists():
        raise ApplicationError(
            code="legal_hold",
            message=_("This child's data is under a legal hold and cannot be deleted now. Please contact us."),
            kind=Failure.CONFLICT,
        )
    erasure_record(child=child, reason=reason)
    _admin_log_forget(child)
    child_id = child.pk
    child.delete()
    child_snapshot_invalidate(child_id=child_id)
    logger.info("child erased child_id=%s by user_id=%s reason=%s", child_id, actor.pk, reason)


def _admin_log_forget(child: ChildProfile) -> None:
    """The admin's history names objects in plain text ("Lily (#5)"): the child's and their devices'
    entries go with them."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import Device

    for model, ids in ((ChildProfile, [child.pk]), (Device, list(child.devices.values_list("pk", flat=True)))):
        kind = ContentType.objects.get_for_model(model)
        LogEntry.objects.filter(content_type=kind, object_id__in=[str(pk) for pk in ids]).delete()


def child_ref(*, child_id: int) -> str:
    """A keyed hash of a child's id: the same id gives the same ref, the ref gives nothing back."""
    return hmac.new(str(settings.SECRET_KEY).encode(), f"child:{child_id}".encode(), hashlib.sha256).hexdigest()


def erasure_record(*, child: ChildProfile, reason: str) -> ErasureRecord:
    consents = [
        {
            "scope": c.scope,
            "policy_version": c.policy_version,
            "method": c.method,
            "guardian_email": c.guardian_email,
            "granted_at": c.granted_at.isoformat(),
            "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
        }
        for c in ConsentRecord.objects.filter(child=child).order_by("granted_at")
    ]
    return ErasureRecord.objects.create(child_ref=child_ref(child_id=child.pk), reason=reason, consents=consents)
