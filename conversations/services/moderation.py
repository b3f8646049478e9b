"""Staff and parent actions around safety: checking a text on demand, reviewing events."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.principals import Actor, actor_ref
from accounts.snapshots import child_snapshot
from conversations.models import ReviewMark, SafetyEvent
from conversations.safety import check_text_safe
from conversations.safety.types import Verdict
from conversations.services.lexicon import current_lexicon
from conversations.services.risk_model import current_risk_model
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)


def safety_check(*, actor: Actor, text: str, child_id: int | None = None) -> Verdict:
    """The input check alone, nothing stored: with a child, that child's sensitivity and blocked words.
    ``actor`` may check for that child (the caller scoped it); logged with the verdict, never the text."""
    logger.info("safety check child_id=%s by %s", child_id, actor_ref(actor))
    if child_id is None:
        return check_text_safe(text, lexicon=current_lexicon(), model=current_risk_model())
    controls = child_snapshot(child_id=child_id).controls
    return check_text_safe(
        text,
        lexicon=current_lexicon(),
        model=current_risk_model(),
        sensitivity=controls.safety_sensitivity,
        blocked_words=controls.blocked_words,
    )


def safety_events_mark(*, actor: User, events: QuerySet[SafetyEvent], mark: ReviewMark) -> int:
    """A reviewer's judgement on many events at once (the staff queue's bulk actions); the unreviewed
    ones become reviewed by ``actor``. Returns how many were marked."""
    now = timezone.now()
    with transaction.atomic():
        marked = events.update(review_mark=mark.value)
        events.filter(reviewed_at__isnull=True).update(reviewed_at=now, reviewed_by=actor)
    logger.info("safety events marked %s count=%s by user_id=%s", mark.value, marked, actor.pk)
    return marked


@transaction.atomic
def safety_event_review(
    *,
    actor: User,
    event: SafetyEvent,
    note: str = "",
    mark: ReviewMark | None = None,
    categories: Sequence[str] = (),
) -> SafetyEvent:
    """Staff review one event, optionally judging its verdict (``mark``; ``categories`` with missed)."""
    event = SafetyEvent.objects.select_for_update().get(pk=event.pk)
    if event.reviewed_at is not None:
        raise ApplicationError(
            code="already_reviewed", message=_("This event was already reviewed."), kind=Failure.CONFLICT
        )
    event.reviewed_by = actor
    event.reviewed_at = timezone.now()
    event.review_note = note.strip()
    event.review_mark = mark.value if mark else ""
    event.review_categories = sorted(set(categories)) if mark is ReviewMark.MISSED else []
    event.clean()  # the review fields only: a fail-closed event has no categories, and is reviewable
    event.save(update_fields=["reviewed_by", "reviewed_at", "review_note", "review_mark", "review_categories"])
    logger.info("safety event reviewed event_id=%s by user_id=%s", event.pk, actor.pk)
    return event
