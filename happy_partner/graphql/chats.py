"""What happened: chats, their messages (filters and search as REST's), insights, memories, safety
events and alerts; the mutation ``alertsMarkSeen``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
import strawberry_django
from django.utils import timezone
from django.utils.translation import gettext as _
from strawberry import auto
from strawberry.scalars import JSON
from strawberry.types import Info

from accounts.principals import ChildPrincipal
from accounts.selectors import child_get_for_guardian
from accounts.snapshots import child_snapshot
from conversations import words
from conversations.api.serializers import HistoryQuerySerializer, InsightsQuerySerializer
from conversations.models import ChatSession, MemoryFact, Message, SafetyEvent
from conversations.models.safety import AccessVia
from conversations.selectors.care import memories_for_child, safety_events_for_child
from conversations.selectors.dashboard import alerts_for_guardian, alerts_get_for_guardian, open_alerts_for_guardian
from conversations.selectors.history import HistoryFilters, messages_for_child, messages_for_session
from conversations.selectors.insights import activity_for_child, emotions_for_child, learning_for_child
from conversations.selectors.scope import child_for_principal, session_get_for_principal, sessions_for_principal
from conversations.services.alerts import safety_alerts_acknowledge
from conversations.services.audit import transcript_read_record
from happy_partner.errors import ApplicationError
from happy_partner.graphql.context import parent, principal
from happy_partner.graphql.inputs import checked, child_ref, int_id
from happy_partner.graphql.pagination import DEFAULT_PAGE, MAX_PAGE, Connection, Ordering, connection

BY_START = Ordering("started_at")  # the chat list's order (REST: SessionPagination)


@strawberry_django.type(ChatSession, name="Session", description="A chat (REST: sessions/).")
class Session:
    id: auto
    title: auto
    started_at: auto
    last_activity_at: auto
    ended_at: auto
    deleted_at: auto
    message_count: auto
    is_active: bool

    @strawberry.field
    def child(self, root: ChatSession) -> strawberry.ID:
        return strawberry.ID(str(root.child_id))


@strawberry.type(description="The safety checks' verdict on one message.")
class Verdict:
    action: str
    severity: str
    categories: list[str]


@strawberry_django.type(Message, name="Message", description="One message (REST: the history's rows).")
class MessageType:
    id: auto
    role: auto
    agent: auto
    text: auto
    channel: auto
    pii_masked: auto
    refusal_code: auto
    emotion: auto
    emotion_intensity: auto
    subject: auto
    provider: auto
    latency_ms: auto
    created_at: auto

    @strawberry.field
    def session(self, root: Message) -> strawberry.ID:
        return strawberry.ID(str(root.session_id))

    @strawberry.field
    def reply_to(self, root: Message) -> strawberry.ID | None:
        return None if root.reply_to_id is None else strawberry.ID(str(root.reply_to_id))

    @strawberry.field
    def safety(self, root: Message) -> Verdict:
        return Verdict(
            action=root.safety_action, severity=root.safety_severity, categories=list(root.safety_categories)
        )


@strawberry_django.type(MemoryFact, name="Memory", description="What the companion remembers about a child.")
class Memory:
    id: auto
    kind: auto
    text: auto
    importance: auto
    created_at: auto
    last_used_at: auto


@strawberry_django.type(SafetyEvent, name="SafetyEvent", description="What a safety check found, and what was done.")
class SafetyEventType:
    id: auto
    direction: auto
    severity: auto
    action: auto
    created_at: auto
    parent_notified_at: auto
    acknowledged_at: auto
    reviewed_at: auto
    review_note: auto
    review_mark: auto

    @strawberry.field
    def child(self, root: SafetyEvent) -> strawberry.ID:
        return strawberry.ID(str(root.child_id))

    @strawberry.field
    def message(self, root: SafetyEvent) -> strawberry.ID | None:
        return None if root.message_id is None else strawberry.ID(str(root.message_id))

    @strawberry.field
    def categories(self, root: SafetyEvent) -> list[str]:
        return list(root.categories)

    @strawberry.field
    def review_categories(self, root: SafetyEvent) -> list[str]:
        return list(root.review_categories)

    @strawberry.field(description="Which layers found what, with their scores (the moderation queue's evidence).")
    def evidence(self, root: SafetyEvent) -> JSON:
        return root.evidence

    @strawberry.field(description="The severity in the parent's words, in the request's language.")
    def severity_text(self, root: SafetyEvent) -> str:
        return words.word(words.SEVERITY, root.severity)

    @strawberry.field(description="What it was about, in the parent's words.")
    def categories_text(self, root: SafetyEvent) -> str:
        return words.words(words.CATEGORY, root.categories)

    @strawberry.field(description="What the companion did, in the parent's words.")
    def action_text(self, root: SafetyEvent) -> str:
        return words.word(words.ACTION, root.action)


@strawberry.type
class Count:
    name: str
    count: int


@strawberry.type
class ActivityDay:
    date: date
    messages: int
    minutes: int
    flagged: int


@strawberry.type
class ActivityTotals:
    messages: int
    minutes: int
    flagged: int


@strawberry.type
class Activity:
    days: list[ActivityDay]
    agents: list[Count]
    totals: ActivityTotals


@strawberry.type
class LearningDay:
    date: date
    questions: list[Count]


@strawberry.type
class Learning:
    subjects: list[Count]
    days: list[LearningDay]


@strawberry.type
class EmotionSeen:
    emotion: str
    count: int
    intensity: float


@strawberry.type
class EmotionDay:
    date: date
    emotions: list[EmotionSeen]


@strawberry.type
class Emotions:
    days: list[EmotionDay]


def _counts(mapping: dict[str, int]) -> list[Count]:
    return [Count(name=name, count=n) for name, n in mapping.items()]


@strawberry.type(description="Per-day figures in the family's time zone; each part is read only when asked for.")
class Insights:
    child: strawberry.ID
    days: int
    _report_args: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def activity(self) -> Activity:
        report = activity_for_child(**self._report_args)
        return Activity(
            days=[ActivityDay(**day) for day in report["days"]],
            agents=_counts(report["agents"]),
            totals=ActivityTotals(**report["totals"]),
        )

    @strawberry.field
    def learning(self) -> Learning:
        report = learning_for_child(**self._report_args)
        return Learning(
            subjects=_counts(report["subjects"]),
            days=[LearningDay(date=day["date"], questions=_counts(day["questions"])) for day in report["days"]],
        )

    @strawberry.field
    def emotions(self) -> Emotions:
        report = emotions_for_child(**self._report_args)
        return Emotions(
            days=[
                EmotionDay(
                    date=day["date"],
                    emotions=[EmotionSeen(emotion=e, **seen) for e, seen in day["emotions"].items()],
                )
                for day in report["days"]
            ]
        )


def _history_filters(
    *, agent: str | None, since: datetime | None, until: datetime | None, flagged: bool, q: str | None
) -> HistoryFilters:
    """REST's query serializer judges the filters (agents, lengths): one definition of a valid search."""
    raw = {"agent": agent, "since": since.isoformat() if since else None, "until": until.isoformat() if until else None}
    raw = {key: value for key, value in raw.items() if value is not None}
    if q is not None:
        raw["q"] = q
    return HistoryFilters.from_validated(checked(HistoryQuerySerializer, {**raw, "flagged": flagged}))


@strawberry.type
class ChatQuery:
    @strawberry.field(description="Chats, newest first: a parent's children's (or one child's), a device's own.")
    def sessions(
        self,
        info: Info,
        child: strawberry.ID | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Session] | None:
        chats = sessions_for_principal(principal=principal(info), child_id=None if child is None else child_ref(child))
        return connection(chats, first=first, after=after, ordering=BY_START)

    @strawberry.field
    def session(self, info: Info, id: strawberry.ID) -> Session | None:
        return session_get_for_principal(principal=principal(info), session_id=int_id(id, missing=_("No such chat.")))  # type: ignore[return-value]

    @strawberry.field(
        description="Messages, newest first: one chat's (session) or a child's across chats (child; a device "
        "may leave both out for its own child). The filters and search are REST's."
    )
    def messages(
        self,
        info: Info,
        child: strawberry.ID | None = None,
        session: strawberry.ID | None = None,
        agent: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        flagged: bool = False,
        q: str | None = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[MessageType] | None:
        reader = principal(info)
        filters = _history_filters(agent=agent, since=since, until=until, flagged=flagged, q=q)
        if session is not None and child is not None:
            raise ApplicationError(
                code="invalid",
                message=_("Some fields are not valid."),
                fields={"session": [_("Give a child or a chat, not both.")]},
            )
        if session is not None:
            chat = session_get_for_principal(principal=reader, session_id=int_id(session, missing=_("No such chat.")))
            page = connection(messages_for_session(session_id=chat.pk, filters=filters), first=first, after=after)
            transcript_read_record(reader=reader, child_id=chat.child_id, session_id=chat.pk, via=AccessVia.API)
            return page
        kid = child_for_principal(principal=reader, child_id=None if child is None else child_ref(child))
        rows = messages_for_child(
            child_id=kid.pk, filters=filters, visible_sessions_only=isinstance(reader, ChildPrincipal)
        )
        page = connection(rows, first=first, after=after)
        transcript_read_record(reader=reader, child_id=kid.pk, via=AccessVia.API)
        return page

    @strawberry.field(description="Activity, learning and feelings per day over the last `days` (1 to 90).")
    def insights(self, info: Info, child: strawberry.ID, days: int = 30) -> Insights | None:
        kid = child_get_for_guardian(user=parent(info), child_id=child_ref(child))
        days = checked(InsightsQuerySerializer, {"days": days})["days"]
        time_zone = child_snapshot(child_id=kid.pk).controls.time_zone
        args = {"child_id": kid.pk, "days": days, "now": timezone.now(), "time_zone": time_zone}
        return Insights(child=strawberry.ID(str(kid.pk)), days=days, _report_args=args)

    @strawberry.field(description="What the companion remembers about a child, newest first.")
    def memories(
        self, info: Info, child: strawberry.ID, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Memory] | None:
        kid = child_get_for_guardian(user=parent(info), child_id=child_ref(child))
        return connection(memories_for_child(child=kid), first=first, after=after)

    @strawberry.field(description="Everything the safety checks recorded for a child, newest first.")
    def safety_events(
        self, info: Info, child: strawberry.ID, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[SafetyEventType] | None:
        kid = child_get_for_guardian(user=parent(info), child_id=child_ref(child))
        return connection(safety_events_for_child(child=kid), first=first, after=after)

    @strawberry.field(description="Alerts of all the parent's children, newest first; `open`: not yet marked seen.")
    def alerts(
        self, info: Info, open: bool = False, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[SafetyEventType] | None:
        user = parent(info)
        events = open_alerts_for_guardian(user=user) if open else alerts_for_guardian(user=user)
        return connection(events, first=first, after=after)


@strawberry.type
class ChatMutation:
    @strawberry.mutation(
        description="Mark alerts seen for the whole family (the dashboard's button): all of them, or none when "
        "one id is not an alert of the parent's children."
    )
    def alerts_mark_seen(self, info: Info, ids: list[strawberry.ID]) -> list[SafetyEventType] | None:
        user = parent(info)
        if not 1 <= len(ids) <= MAX_PAGE:
            raise ApplicationError(
                code="invalid",
                message=_("Some fields are not valid."),
                fields={"ids": [_("Give between 1 and %(max)d ids.") % {"max": MAX_PAGE}]},
            )
        wanted = [int_id(value, missing=_("No such alert.")) for value in ids]
        events = alerts_get_for_guardian(user=user, event_ids=wanted)
        return safety_alerts_acknowledge(actor=user, events=events)  # type: ignore[return-value]
