"""Who may see which child, session and message: parents their own children, a device its child.
A foreign id answers 404 here, in one place."""

from __future__ import annotations

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from accounts.models import ChildProfile
from accounts.principals import Actor, ChildPrincipal
from accounts.selectors import child_get_for_actor, children_for_guardian
from conversations.models import ChatSession
from happy_partner.errors import ApplicationError, not_found


def child_for_principal(*, principal: Actor, child_id: int | str | None) -> ChildProfile:
    """A device acts for its own child (``child_id`` may be omitted); a parent must name one of theirs."""
    if child_id is None or child_id == "":
        if isinstance(principal, ChildPrincipal):
            return principal.child
        raise ApplicationError(
            code="invalid",
            message=_("Some fields are not valid."),
            fields={"child": [_("Parents must say which child this is for.")]},
        )
    return child_get_for_actor(actor=principal, child_id=child_id)


def sessions_for_principal(*, principal: Actor, child_id: int | str | None = None) -> QuerySet[ChatSession]:
    """A child can tidy away (soft-delete) a chat; their parents still see it, marked deleted. With
    ``child_id``, only that child's chats (a child the principal may not see is 404)."""
    if isinstance(principal, ChildPrincipal):
        sessions = ChatSession.objects.filter(child_id=principal.child_id, deleted_at__isnull=True)
    else:
        sessions = ChatSession.objects.filter(child__in=children_for_guardian(user=principal).values("pk"))
    if child_id not in (None, ""):
        sessions = sessions.filter(child_id=child_for_principal(principal=principal, child_id=child_id).pk)
    return sessions


def session_get_for_principal(*, principal: Actor, session_id: int) -> ChatSession:
    session = sessions_for_principal(principal=principal).filter(pk=session_id).first()
    if session is None:
        raise not_found(_("No such chat."))
    return session


def sessions_recent_for_children(*, child_ids: list[int], per_child: int) -> list[ChatSession]:
    """The newest ``per_child`` chats of each of these children (ids from a scoped read: a parent's),
    in one query whatever their number; newest first within a child, as the chat list orders them."""
    rank = Window(RowNumber(), partition_by=[F("child_id")], order_by=[F("started_at").desc(), F("id").desc()])
    return list(
        ChatSession.objects.filter(child_id__in=child_ids)
        .annotate(rank=rank)
        .filter(rank__lte=per_child)
        .order_by("child_id", "rank")
    )
