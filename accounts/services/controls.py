from __future__ import annotations

import logging
import re
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import ChildProfile, ParentalControls, User
from accounts.models.controls import CONTROL_FIELDS
from accounts.principals import Actor, actor_ref
from accounts.services.lockout import lockout_admit, lockout_record_failure, lockout_refund, lockout_reset
from accounts.snapshots import child_snapshot_invalidate
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)

PIN_PATTERN = re.compile(r"^[0-9]{6}$")


def normalise_blocked_words(*, words: list[str]) -> list[str]:
    """Trim, drop blanks and duplicates (case-insensitively), keep the parent's order."""
    seen: dict[str, str] = {}
    for word in words:
        cleaned = " ".join(word.split())
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return list(seen.values())


@transaction.atomic
def controls_update(*, actor: User, child: ChildProfile, data: dict[str, Any]) -> ParentalControls:
    """Change a child's rules. ``pin`` (6 digits) sets the parent PIN; ``pin: null`` clears it."""
    controls = ParentalControls.objects.select_for_update().get(child=child)
    changed = []
    for name, value in data.items():
        if name == "pin":
            controls.pin_hash = "" if value in (None, "") else _hash_pin(value)
            changed.append("pin_hash")
            continue
        if name not in CONTROL_FIELDS:
            raise ValueError(f"not a control: {name}")
        if name == "blocked_words":
            value = normalise_blocked_words(words=value)
            if len(value) > ParentalControls.MAX_BLOCKED_WORDS:
                raise ApplicationError(
                    code="invalid",
                    message=_("Some fields are not valid."),
                    fields={
                        "blocked_words": [_("At most %(count)d words.") % {"count": ParentalControls.MAX_BLOCKED_WORDS}]
                    },
                )
        setattr(controls, name, value)
        changed.append(name)
    controls.updated_by = actor
    controls.full_clean(exclude=["child"])
    controls.save()
    child_snapshot_invalidate(child_id=child.pk)
    logger.info("controls updated child_id=%s by user_id=%s fields=%s", child.pk, actor.pk, sorted(changed))
    return controls


def _hash_pin(pin: str) -> str:
    if not PIN_PATTERN.match(pin):
        raise ApplicationError(
            code="invalid", message=_("Some fields are not valid."), fields={"pin": [_("The PIN must be 6 digits.")]}
        )
    return make_password(pin)


def pin_verify(*, actor: Actor, child: ChildProfile, pin: str) -> bool:
    """Check the parent PIN for parent mode on the child's device.

    Five wrong PINs lock verification for this child for 15 minutes, whichever device asks, so a
    child cannot guess the PIN (10^6 values) by trying.
    """
    lockout_admit(kind="pin_child", key=str(child.pk))  # counted first: concurrent guesses cannot pass it
    controls = ParentalControls.objects.only("pin_hash").get(child=child)
    if not controls.pin_hash:
        lockout_refund(kind="pin_child", key=str(child.pk))
        raise ApplicationError(
            code="pin_not_set", message=_("No parent PIN has been set for this child."), kind=Failure.CONFLICT
        )
    if PIN_PATTERN.match(pin) and check_password(pin, controls.pin_hash):
        lockout_reset(kind="pin_child", key=str(child.pk))
        return True
    lockout_record_failure(kind="pin_child", key=str(child.pk))
    logger.info("parent pin rejected child_id=%s by %s", child.pk, actor_ref(actor))
    return False
