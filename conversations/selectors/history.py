"""Message history: newest first, keyset-paginated by the API, with filters and search."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from conversations.models import Message
from conversations.models.messages import FLAGGED_ACTIONS
from conversations.search import search_tokens


@dataclass(frozen=True)
class HistoryFilters:
    agent: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    flagged: bool = False
    query: str | None = None

    @classmethod
    def from_validated(cls, data: Mapping[str, Any]) -> HistoryFilters:
        """From what the history's query serializer validated (REST's query string, GraphQL's arguments)."""
        return cls(
            agent=data.get("agent"),
            since=data.get("since"),
            until=data.get("until"),
            flagged=data.get("flagged", False),
            query=data.get("q"),
        )


def _filtered(messages: QuerySet[Message], filters: HistoryFilters) -> QuerySet[Message]:
    if filters.agent:
        messages = messages.filter(agent=filters.agent)
    if filters.since:
        messages = messages.filter(created_at__gte=filters.since)
    if filters.until:
        messages = messages.filter(created_at__lt=filters.until)
    if filters.flagged:
        messages = messages.filter(safety_action__in=FLAGGED_ACTIONS)
    if filters.query:
        messages = _search(messages, filters.query)
    return messages


def _search(messages: QuerySet[Message], query: str) -> QuerySet[Message]:
    """Words, not characters: the query is segmented like the stored text. PostgreSQL uses its
    full-text index; SQLite matches each token."""
    tokens = search_tokens(query)
    if not tokens:
        return messages.none()
    if connection.vendor == "postgresql":
        return messages.filter(
            RawSQL(
                "to_tsvector('simple', search_tokens) @@ plainto_tsquery('simple', %s)",
                [" ".join(tokens)],
                output_field=BooleanField(),
            )
        )
    condition = Q()
    for token in tokens:
        condition &= Q(search_tokens__contains=token)
    return messages.filter(condition)


def messages_for_session(*, session_id: int, filters: HistoryFilters) -> QuerySet[Message]:
    return _filtered(Message.objects.filter(session_id=session_id), filters)


def messages_after(*, session_id: int, after_id: int, limit: int) -> list[Message]:
    """A chat's messages newer than ``after_id``, oldest first, at most ``limit`` + 1 (so the caller
    knows whether there are more): what a reconnecting app missed."""
    return list(Message.objects.filter(session_id=session_id, id__gt=after_id).order_by("id")[: limit + 1])


def messages_for_child(
    *, child_id: int, filters: HistoryFilters, visible_sessions_only: bool = True
) -> QuerySet[Message]:
    messages = Message.objects.filter(child_id=child_id)
    if visible_sessions_only:
        messages = messages.filter(session__deleted_at__isnull=True)
    return _filtered(messages, filters)
