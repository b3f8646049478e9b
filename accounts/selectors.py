"""Reads of the accounts app. Every parent-facing query of a child goes through here, so a
foreign child is invisible (404) in one place rather than checked in each view."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import gettext as _

from accounts.features import features_enabled
from accounts.models import (
    ChildProfile,
    ConsentRecord,
    ConsentScope,
    Device,
    GuardianInvitation,
    GuardianRole,
    Guardianship,
    ParentalControls,
    User,
)
from accounts.principals import Actor, ChildPrincipal
from happy_partner.errors import ApplicationError, Failure, not_found


def children_for_guardian(*, user: User) -> QuerySet[ChildProfile]:
    """The children ``user`` guards, each with ``my_role`` and its ``active_consents`` loaded."""
    return (
        ChildProfile.objects.filter(guardianships__guardian=user)
        .annotate(my_role=F("guardianships__role"))
        .prefetch_related(
            Prefetch(
                "consents", queryset=ConsentRecord.objects.filter(withdrawn_at__isnull=True), to_attr="active_consents"
            )
        )
    )


def child_get_for_guardian(*, user: User, child_id: int | str) -> ChildProfile:
    """The child if ``user`` is one of its guardians; otherwise 404, never revealing it exists."""
    try:
        return children_for_guardian(user=user).get(pk=int(child_id))
    except (ChildProfile.DoesNotExist, ValueError, TypeError):
        raise not_found(_("No such child.")) from None


def child_get_for_actor(*, actor: Actor, child_id: int | str) -> ChildProfile:
    """A device sees only its own child; a parent, the children they guard. Any other id is 404."""
    if isinstance(actor, ChildPrincipal):
        if str(child_id) != str(actor.child_id):
            raise not_found(_("No such child."))
        return actor.child
    return child_get_for_guardian(user=actor, child_id=child_id)


def family_children(*, actor: Actor) -> QuerySet[ChildProfile]:
    """The children of the actor's family: a parent's own; for a device, its child and the siblings
    owned by the same owner (siblings share a tablet) — never the children a co-guardian of its child
    guards in another household."""
    if isinstance(actor, ChildPrincipal):
        owners = Guardianship.objects.filter(child_id=actor.child_id, role=GuardianRole.OWNER).values("guardian_id")
        return ChildProfile.objects.filter(
            guardianships__role=GuardianRole.OWNER, guardianships__guardian_id__in=owners
        ).distinct()
    return ChildProfile.objects.filter(guardianships__guardian=actor)


def family_guardian_ids(*, actor: Actor) -> QuerySet[Guardianship, int]:
    """The ids of the grown-ups of the actor's family, as a subquery: a device's child's guardians; a
    parent and the guardians of their children."""
    if isinstance(actor, ChildPrincipal):
        guardianships = Guardianship.objects.filter(child_id=actor.child_id)
    else:
        guardianships = Guardianship.objects.filter(child__in=family_children(actor=actor).values("pk"))
    return guardianships.values_list("guardian_id", flat=True).distinct()


def controls_get_for_child(*, child: ChildProfile) -> ParentalControls:
    return ParentalControls.objects.get(child=child)


def guardian_role(*, user: User, child: ChildProfile) -> str | None:
    return Guardianship.objects.filter(guardian=user, child=child).values_list("role", flat=True).first()


def guardian_may_watch(*, user_id: int, child_id: int) -> bool:
    """Whether this account is active and still guards this child: what a live event about the
    child is re-checked against before it reaches the account's open sockets."""
    return Guardianship.objects.filter(guardian_id=user_id, guardian__is_active=True, child_id=child_id).exists()


def guardian_require_owner(*, user: User, child: ChildProfile) -> None:
    if guardian_role(user=user, child=child) != GuardianRole.OWNER:
        raise ApplicationError(
            code="owner_required",
            message=_("Only the child's owner guardian can do this."),
            kind=Failure.FORBIDDEN,
        )


def guardianships_for_child(*, child: ChildProfile) -> QuerySet[Guardianship]:
    return Guardianship.objects.filter(child=child).select_related("guardian")


def guardianship_get_for_child(*, child: ChildProfile, guardianship_id: int | str) -> Guardianship:
    try:
        return guardianships_for_child(child=child).get(pk=int(guardianship_id))
    except (Guardianship.DoesNotExist, ValueError, TypeError):
        raise not_found(_("No such guardian.")) from None


def consents_for_child(*, child: ChildProfile) -> QuerySet[ConsentRecord]:
    return consents_for_children(child_ids=[child.pk])


def consents_for_children(*, child_ids: list[int]) -> QuerySet[ConsentRecord]:
    """Consent records of children the caller was already allowed to see (ids from a scoped read)."""
    return ConsentRecord.objects.filter(child_id__in=child_ids)


def consent_is_active(*, child_id: int, scope: ConsentScope | str) -> bool:
    return ConsentRecord.objects.filter(child_id=child_id, scope=scope, withdrawn_at__isnull=True).exists()


def active_consent_scopes(*, child: ChildProfile) -> list[str]:
    return sorted(ConsentRecord.objects.filter(child=child, withdrawn_at__isnull=True).values_list("scope", flat=True))


DEVICE_REVOKED = "device_revoked"


def device_revoked_error(*, kind: Failure = Failure.FORBIDDEN) -> ApplicationError:
    """The one wording of "this device was unpaired" (``kind``: how the entry point says it)."""
    return ApplicationError(
        code=DEVICE_REVOKED,
        message=_("This device has been removed by a parent. Ask a parent to pair it again."),
        kind=kind,
    )


def device_require_paired(*, device_id: int) -> None:
    """Raises ``device_revoked`` unless the device is still paired (read now: a live socket's device is
    re-checked with this on every frame that touches the child's chats)."""
    if not Device.objects.filter(pk=device_id, revoked_at__isnull=True).exists():
        raise device_revoked_error()


def devices_for_child(*, child: ChildProfile) -> QuerySet[Device]:
    return devices_for_children(child_ids=[child.pk])


def devices_for_children(*, child_ids: list[int]) -> QuerySet[Device]:
    """Devices of children the caller was already allowed to see (ids from a scoped read)."""
    return Device.objects.filter(child_id__in=child_ids)


def device_get_for_child(*, child: ChildProfile, device_id: int | str) -> Device:
    try:
        return devices_for_child(child=child).get(pk=int(device_id))
    except (Device.DoesNotExist, ValueError, TypeError):
        raise not_found(_("No such device.")) from None


def invitations_for_child(*, child: ChildProfile) -> QuerySet[GuardianInvitation]:
    return GuardianInvitation.objects.filter(child=child).select_related("invited_by", "accepted_by")


def invitation_get_for_child(*, child: ChildProfile, invitation_id: int | str) -> GuardianInvitation:
    try:
        return invitations_for_child(child=child).get(pk=int(invitation_id))
    except (GuardianInvitation.DoesNotExist, ValueError, TypeError):
        raise not_found(_("No such invitation.")) from None


def consent_get_for_child(*, child: ChildProfile, consent_id: int | str) -> ConsentRecord:
    try:
        return consents_for_child(child=child).get(pk=int(consent_id))
    except (ConsentRecord.DoesNotExist, ValueError, TypeError):
        raise not_found(_("No such consent record.")) from None


def child_features(*, child: ChildProfile) -> dict[str, bool]:
    """What the child's app may offer: switched on by a guardian and, where needed, consented to
    (the rule is accounts.features.FEATURES)."""
    enabled = features_enabled(
        controls=controls_get_for_child(child=child),
        consents=set(active_consent_scopes(child=child)),
        child_active=child.is_active,
    )
    return {feature.value: on for feature, on in enabled.items()}


def consent_policy() -> dict[str, object]:
    """What a client shows before asking for consent: the policy version in force and the scopes."""
    return {
        "version": settings.CONSENT_POLICY_VERSION,
        "scopes": [
            {"scope": value, "label": str(label), "required": value == ConsentScope.CHAT}
            for value, label in ConsentScope.choices
        ],
    }
