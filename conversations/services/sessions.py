"""Chat sessions: start, rename, end, soft-delete. Scoping (who may touch which) is in selectors;
each takes the acting principal (a parent, or the child's paired device) for the audit log."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.principals import Actor, ChildPrincipal, actor_ref
from conversations.models import ChatSession
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)


def session_create(*, actor: Actor, child_id: int, title: str = "") -> ChatSession:
    """A new chat; started on a device, it records which one."""
    device = actor.device if isinstance(actor, ChildPrincipal) else None
    session = ChatSession.objects.create(child_id=child_id, device=device, title=title.strip())
    logger.info("session created session_id=%s child_id=%s by %s", session.pk, child_id, actor_ref(actor))
    return session


def session_rename(*, actor: Actor, session: ChatSession, title: str) -> ChatSession:
    session.title = title.strip()
    session.save(update_fields=["title"])
    logger.info("session renamed session_id=%s by %s", session.pk, actor_ref(actor))
    return session


@transaction.atomic
def session_end(*, actor: Actor, session: ChatSession) -> ChatSession:
    session = ChatSession.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is not None:
        raise ApplicationError(code="session_ended", message=_("This chat has already ended."), kind=Failure.CONFLICT)
    session.ended_at = timezone.now()
    session.save(update_fields=["ended_at"])
    logger.info("session ended session_id=%s by %s", session.pk, actor_ref(actor))
    return session


def session_delete(*, actor: Actor, session: ChatSession) -> None:
    """Soft delete: hidden from lists and closed to new messages; erasure is the data-lifecycle job."""
    now = timezone.now()
    ChatSession.objects.filter(pk=session.pk, deleted_at__isnull=True).update(
        deleted_at=now, ended_at=Coalesce("ended_at", Value(now))
    )
    logger.info("session deleted session_id=%s by %s", session.pk, actor_ref(actor))
