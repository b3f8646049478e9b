"""The message pipeline: one path for REST, WebSocket and voice (see DESIGN.md).

gate → input safety → route → context → agent reply (builtin, or an LLM with builtin fallback)
→ output safety sentence by sentence → persist one row per message → notify after commit.

With the builtin provider nothing is awaited, so the whole turn is one transaction holding the
session's row lock for a few milliseconds (fewer round trips: one BEGIN/COMMIT, one UPDATE of the
session). With an LLM configured it is three short transactions, so no lock is held while it thinks:
1. lock the session, check the gate and the child's words, store the child's message;
2. (no transaction) compute the reply;
3. check the reply, store it, remember what the child shared, raise safety events.
Logs carry ids and verdicts, never a child's words.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.features import Feature
from accounts.models import ConsentRecord, ConsentScope, ParentalControls
from accounts.principals import Actor, ChildPrincipal
from accounts.realtime import LimitReachedEvent, MessageNewEvent, guardians_publish
from accounts.selectors import device_require_paired
from accounts.snapshots import ChildSnapshot, child_snapshot
from conversations.agents import resolve_subject, respond, route
from conversations.agents.classify import CLASSIFIER_PARAMS, classifier_messages, is_confident, parse_choice
from conversations.agents.memory import rank
from conversations.agents.prompts import AGENT_PARAMS, build_messages
from conversations.agents.types import (
    AgentContext,
    AgentName,
    AgentReply,
    MemoryView,
    ProfileView,
    RouteDecision,
    Turn,
)
from conversations.models import ChatSession, MemoryFact, Message, MessageRole, SafetyEvent, UsageDay
from conversations.models.messages import FLAGGED_ACTIONS, Channel, RefusalCode
from conversations.providers.base import ChatMessage, Completion, Provider, ProviderError
from conversations.providers.registry import BUILTIN, BUILTIN_FALLBACK, Answer, complete_with_fallback, get_provider
from conversations.safety import Lexicon, check_text_safe, safety_reply, split_complete, split_sentences
from conversations.safety.model.risk import RiskModel
from conversations.safety.types import EMOTIONAL_DISTRESS, Action, Severity, Verdict
from conversations.search import search_tokens
from conversations.services.alerts import safety_event_record
from conversations.services.gate import Refusal, enabled_agents, gate_check, snapshot_feature_enabled
from conversations.services.lexicon import current_lexicon
from conversations.services.risk_model import current_risk_model
from conversations.services.sessions import session_create
from conversations.services.usage import (
    USAGE_COLUMNS,
    Usage,
    activity_seconds,
    local_day,
    usage_for_child,
    usage_params,
    usage_record,
)
from happy_partner import sql
from happy_partner.errors import ApplicationError, Failure, not_found

logger = logging.getLogger(__name__)

HISTORY_TURNS = 10
# The context reads this many of the session's newest rows straight off its index and drops the
# refused, blocked and safety turns in Python: the plan stays "index scan, limit" however long the
# session is and whatever the statistics say (a filtered query was once planned as a sort of the
# whole session).
HISTORY_ROWS = 2 * HISTORY_TURNS
MEMORY_CANDIDATES = 50
MEMORY_IN_CONTEXT = 5
TITLE_LENGTH = 30
# Refusals the guardians hear about live (the parent socket's ``limit.reached``).
LIMIT_CODES = frozenset({RefusalCode.DAILY_LIMIT, RefusalCode.WEEKLY_LIMIT, RefusalCode.SESSION_LIMIT})


@dataclass(frozen=True)
class ChatResult:
    """The turn as stored. The child's message carries its verdict (``safety_*``), the one the chat
    answer and the history both show: the input check's, or escalate when the emotion agent judged
    the child in distress."""

    session: ChatSession
    message: Message
    reply: Message
    refusal: str | None


@dataclass
class ChatTurn:
    """One turn between its phases (``turn_begin`` → ``turn_reply_astream`` → ``turn_finish``, or
    ``message_send`` for all three): what phase 1 stored and decided, carried to the next phases."""

    snapshot: ChildSnapshot  # the child as the gate saw them; the reply is written for this child
    session: ChatSession
    message: Message
    verdict: Verdict
    lexicon: Lexicon  # the one this message was checked with; its reply is checked with it too
    model: RiskModel | None  # likewise
    ctx: AgentContext | None = None
    decision: RouteDecision | None = None
    memories_allowed: bool = False
    finished: ChatResult | None = None
    # What this turn changes on the session row, written by one UPDATE in _save_session.
    session_changes: dict[str, Any] = dataclasses.field(default_factory=dict)
    session_messages: int = 0
    # Set by turn_reply_astream: what the child was shown (checked), and how it was produced.
    streamed: tuple[AgentReply, Answer, str, Verdict | None] | None = None


def message_send(
    *,
    actor: Actor,
    child_id: int,
    text: str,
    session_id: int | None = None,
    force_agent: AgentName | None = None,
    channel: Channel = Channel.TEXT,
) -> ChatResult:
    """One turn of ``child_id``'s chat. ``actor`` is the child's paired device, or a guardian in parent
    mode (the caller scoped the child to them); a chat started on a device records the device.

    REST's entry. Its reply is checked whole before anything is shown, so a hit replaces the whole
    reply (the streaming entry, ``turn_reply_astream``, can only replace what was not shown yet); the
    gate, safety, context, storage and events are the same phase functions."""
    if isinstance(actor, ChildPrincipal) and actor.child_id != child_id:
        raise not_found(_("No such child."))
    snapshot = child_snapshot(child_id=child_id)
    if get_provider() is None:
        with transaction.atomic():  # nothing to wait for: the whole turn under the session lock
            prepared = _receive(snapshot, actor, text, session_id, force_agent, channel)
            result = prepared.finished or _deliver(snapshot, prepared, *_reply(prepared, classify=False))
            _save_session(prepared)
        return result
    with transaction.atomic():
        prepared = _receive(snapshot, actor, text, session_id, force_agent, channel)
        _save_session(prepared)
    if prepared.finished is not None:
        return prepared.finished
    answer = _reply(prepared, classify=force_agent is None)  # no transaction open while the LLM thinks
    with transaction.atomic():
        if prepared.memories_allowed:
            prepared.memories_allowed = _memories_still_allowed(snapshot.child_id)
        result = _deliver(snapshot, prepared, *answer)
        _save_session(prepared)
    return result


def _memories_still_allowed(child_id: int) -> bool:
    """Whether the memory consent and switch still stand, read in the transaction that will store
    the memories. Seconds pass while an LLM answers: a ``consent_withdraw`` committed meanwhile has
    deleted the memories, and this turn must not write a new one. The consent row is locked, so a
    withdrawal in progress is waited for (PostgreSQL re-reads the row after it commits), and one that
    starts after this waits for the turn and then deletes its memory too."""
    switched_on = ParentalControls.objects.filter(child_id=child_id, memory_enabled=True)
    return (
        ConsentRecord.objects.select_for_update()  # the consent row only: the switch is a subquery
        .filter(Exists(switched_on), child_id=child_id, scope=ConsentScope.MEMORY, withdrawn_at__isnull=True)
        .exists()
    )


def _reply(prepared: ChatTurn, *, classify: bool) -> tuple[AgentReply, Answer]:
    """The reply, and where it came from: the whole turn's latency and LLM tokens (classifier included)."""
    assert prepared.ctx is not None and prepared.decision is not None
    started = time.perf_counter()
    classifier_tokens = (0, 0)
    if classify:
        prepared.decision, classifier_tokens = _classify(prepared.ctx, prepared.decision)
    reply, answer = _compose(prepared.ctx, prepared.decision)
    return reply, dataclasses.replace(
        answer,
        latency_ms=int((time.perf_counter() - started) * 1000),
        prompt_tokens=answer.prompt_tokens + classifier_tokens[0],
        completion_tokens=answer.completion_tokens + classifier_tokens[1],
    )


def _save_session(prepared: ChatTurn) -> None:
    """One UPDATE for everything the turn changed on the session. The count is relative, so a
    concurrent turn's reply stored between the phases of an LLM turn is never lost."""
    if prepared.session_messages or prepared.session_changes:
        sql.update(
            ChatSession,
            prepared.session.pk,
            increments={"message_count": prepared.session_messages},
            **prepared.session_changes,
        )
        prepared.session_messages = 0
        prepared.session_changes = {}


# --- phase 1 -------------------------------------------------------------------------------------
def _receive(
    snapshot: ChildSnapshot,
    actor: Actor,
    text: str,
    session_id: int | None,
    force_agent: AgentName | None,
    channel: Channel,
) -> ChatTurn:
    now = timezone.now()
    if channel == Channel.DEVICE or (channel == Channel.VOICE and isinstance(actor, ChildPrincipal)):
        _device_still_paired(actor)
    session, usage = _locked_session(snapshot, actor, session_id, now)
    refusal = gate_check(
        snapshot=snapshot,
        usage=usage,
        session_active_seconds=session.active_seconds,
        now=now,
        agent=force_agent,
        channel=channel,
    )
    c = snapshot.controls
    lexicon = current_lexicon()  # once per message: the reply is checked with the same one
    model = current_risk_model()
    rows = _recent_rows(session) if session_id is not None else []
    verdict = check_text_safe(
        text,
        lexicon=lexicon,
        model=model,
        context=_earlier_child_turns(rows, model),
        sensitivity=c.safety_sensitivity,
        blocked_words=c.blocked_words,
    )
    masked = verdict.masked_text
    decision = None
    ctx = None
    memories_allowed = snapshot_feature_enabled(snapshot, Feature.MEMORY)
    if refusal is None and verdict.action in (Action.ALLOW, Action.MASK):
        ctx = _context(snapshot, session, rows, masked, memories_allowed)
        decision = route(ctx)
        if force_agent is not None:
            decision = dataclasses.replace(decision, agent=force_agent)
    # Emotion readings are kept with the consent alone (insights), even with emotion support off.
    emotion = decision.emotion if decision and snapshot.has_consent(ConsentScope.EMOTION_COMPANION) else None
    message = Message.objects.create(
        session=session,
        child_id=snapshot.child_id,
        role=MessageRole.CHILD,
        text=masked,
        pii_masked=bool(verdict.pii),
        safety_action=verdict.action.value,
        safety_severity=verdict.severity.label,
        safety_categories=[c.value for c in verdict.categories],
        refusal_code=refusal.code if refusal else "",
        agent=decision.agent.value if decision else "",
        subject=(decision.subject or "") if decision else "",
        emotion=emotion.label if emotion else "",
        emotion_intensity=emotion.intensity if emotion else None,
        search_tokens=" ".join(search_tokens(masked)),
        channel=channel,
        created_at=now,
    )
    prepared = ChatTurn(snapshot, session, message, verdict, lexicon, model, ctx, decision, memories_allowed)
    _account(snapshot, prepared, now, counted=refusal is None)
    # Safety before rules: a child in crisis at bedtime or over the daily limit still gets the
    # caring reply, and the guardians are still told.
    if verdict.action not in (Action.ALLOW, Action.MASK):
        prepared.finished = _finish_unsafe_input(snapshot, prepared)
    elif refusal is not None:
        prepared.finished = _finish_refused(snapshot, prepared, refusal)
    return prepared


def _device_still_paired(actor: Actor) -> None:
    """A device's live socket was authenticated when it connected (and a voice message may have been
    heard for seconds before its turn): each turn re-reads the pairing, in the turn's transaction, so a
    parent's revocation stops the next message before it is stored."""
    if not isinstance(actor, ChildPrincipal):
        raise ValueError("the device channel is a paired device's")
    device_require_paired(device_id=actor.device.pk)


def _locked_session(
    snapshot: ChildSnapshot, actor: Actor, session_id: int | None, now: datetime
) -> tuple[ChatSession, Usage]:
    """The session, locked (the lock orders concurrent messages of one session), and the child's
    usage today and this week for the gate, in one hand-written statement (happy_partner/sql.py)."""
    time_zone = snapshot.controls.time_zone
    if session_id is None:
        session = session_create(actor=actor, child_id=snapshot.child_id)
        return session, usage_for_child(child_id=snapshot.child_id, now=now, time_zone=time_zone)
    usage_args = usage_params(child_id=snapshot.child_id, now=now, time_zone=time_zone)
    found = ChatSession.objects.raw(
        sql.statement(
            "SELECT *, "  # noqa: S608 - constants only: every value is a parameter
            + USAGE_COLUMNS
            + " FROM {session} WHERE id = %s AND child_id = %s AND deleted_at IS NULL{for_update}",
            session=ChatSession,
            usage=UsageDay,
        ),
        [*usage_args, session_id, snapshot.child_id],
    )
    locked = next(iter(found), None)
    if locked is None:
        raise not_found(_("No such chat."))
    if locked.ended_at is not None:
        raise ApplicationError(
            code="session_ended", message=_("This chat has ended. Start a new one."), kind=Failure.CONFLICT
        )
    # The two extra columns of the raw query (USAGE_COLUMNS) are set on the instance.
    today, week = getattr(locked, "usage_today"), getattr(locked, "usage_week")  # noqa: B009
    return locked, Usage(today_seconds=int(today), week_seconds=int(week))


def _recent_rows(session: ChatSession) -> list[tuple[Any, ...]]:
    """The session's newest rows, newest first: (role, text, agent, refusal_code, safety_action). Read
    once a turn, for the conversation-level safety score and the agents' history."""
    return sql.fetch_all(
        "SELECT role, text, agent, refusal_code, safety_action FROM {message} "
        "WHERE session_id = %s ORDER BY created_at DESC, id DESC LIMIT %s",
        [session.pk, HISTORY_ROWS],
        message=Message,
    )


def _earlier_child_turns(rows: list[tuple[Any, ...]], model: RiskModel | None) -> list[str]:
    """The child's previous messages in this chat, oldest first, as many as the model's conversation
    window needs, back to the last one that was flagged (not included): a risk already caught was
    answered and alerted once; carried along, it would escalate every harmless message after it."""
    if model is None or model.calibration.window < 2:
        return []
    turns: list[str] = []
    for role, text, _agent, _refusal, action in rows:
        if role != MessageRole.CHILD:
            continue
        if action in FLAGGED_ACTIONS or len(turns) == model.calibration.window - 1:
            break
        if text:
            turns.append(text)
    return list(reversed(turns))


def _context(
    snapshot: ChildSnapshot, session: ChatSession, rows: list[tuple[Any, ...]], text: str, memories_allowed: bool
) -> AgentContext:
    # Refused, blocked or escalated turns and the safety replies are not conversation to continue.
    recent = [
        Turn(role=role, text=body, agent=agent)
        for role, body, agent, refusal, action in rows
        if not refusal and action not in FLAGGED_ACTIONS and agent != AgentName.SAFETY.value
    ][:HISTORY_TURNS]
    history = tuple(reversed(recent))
    memories: tuple[MemoryView, ...] = ()
    if memories_allowed:
        candidates = [
            MemoryView(id=m.pk, kind=m.kind, text=m.text, importance=m.importance)
            for m in MemoryFact.objects.filter(child_id=snapshot.child_id).order_by("-created_at")[:MEMORY_CANDIDATES]
        ]
        memories = tuple(rank(text, candidates, limit=MEMORY_IN_CONTEXT))
        if memories:
            MemoryFact.objects.filter(pk__in=[m.id for m in memories]).update(last_used_at=timezone.now())
    profile = ProfileView(
        child_id=snapshot.child_id,
        display_name=snapshot.display_name,
        age=snapshot.age,
        age_band=snapshot.age_band,
        grade=snapshot.grade,
        language=snapshot.language,
        interests=snapshot.interests,
    )
    return AgentContext(
        text=text,
        profile=profile,
        history=history,
        memories=memories,
        enabled=enabled_agents(snapshot),
        session_state=dict(session.story_state or {}),
    )


def _account(snapshot: ChildSnapshot, prepared: ChatTurn, now: datetime, *, counted: bool) -> None:
    """Session counters, title, and (unless refused) activity time towards the limits. The session
    row is locked, so the absolute values computed here are right; _save_session writes them."""
    session, changes = prepared.session, prepared.session_changes
    if counted:
        seconds = activity_seconds(session, now)
        session.active_seconds += seconds
        changes["active_seconds"] = session.active_seconds
        usage_record(child_id=snapshot.child_id, day=local_day(now, snapshot.controls.time_zone), seconds=seconds)
    if not session.title and prepared.message.text:
        session.title = changes["title"] = prepared.message.text[:TITLE_LENGTH]
    session.last_activity_at = changes["last_activity_at"] = now
    _count_message(prepared)


def _count_message(prepared: ChatTurn) -> None:
    prepared.session.message_count += 1
    prepared.session_messages += 1


def _store_reply(prepared: ChatTurn, text: str, agent: str, **fields: Any) -> Message:
    reply = Message.objects.create(
        session=prepared.session,
        child_id=prepared.message.child_id,
        reply_to=prepared.message,
        role=MessageRole.ASSISTANT,
        agent=agent,
        text=text,
        channel=prepared.message.channel,
        search_tokens=" ".join(search_tokens(text)),
        **fields,
    )
    _count_message(prepared)
    return reply


def _finished(prepared: ChatTurn, reply: Message, refusal: str | None) -> ChatResult:
    """The end of every turn (answered, refused, or answered with care): its result, and the guardians'
    live feed told after the commit, behind any alert the turn raised."""
    transaction.on_commit(lambda: _announce(prepared, reply), robust=True)  # a lost push must not fail the turn
    return ChatResult(prepared.session, prepared.message, reply, refusal)


def _announce(turn: ChatTurn, reply: Message) -> None:
    """The guardians' live feed (``message.new`` on the parent socket): what happened in a turn, as
    stored, but not the words: a dashboard reads those through the history API, where access is
    checked. Built after the commit, so a verdict raised later in the turn (distress) is in it."""
    message = turn.message
    event: MessageNewEvent = {
        "type": "message.new",
        "child": message.child_id,
        "session": message.session_id,
        "message": message.pk,
        "reply": reply.pk,
        "agent": reply.agent,
        "channel": message.channel,
        "refusal": message.refusal_code or None,
        "safety": {"action": message.safety_action, "severity": message.safety_severity},
        "at": message.created_at.isoformat(),
    }
    guardians_publish(child_id=message.child_id, event=event, guardian_ids=list(turn.snapshot.guardian_ids))


def _finish_refused(snapshot: ChildSnapshot, prepared: ChatTurn, refusal: Refusal) -> ChatResult:
    reply = _store_reply(prepared, refusal.reply, AgentName.SAFETY.value, refusal_code=refusal.code)
    logger.info("message refused child_id=%s code=%s", snapshot.child_id, refusal.code)
    if refusal.code in LIMIT_CODES:
        transaction.on_commit(lambda: _tell_limit_reached(snapshot, refusal.code))
    return _finished(prepared, reply, refusal.code)


def _tell_limit_reached(snapshot: ChildSnapshot, code: str) -> None:
    """Guardians hear once a day per limit, not once per message a child keeps sending after it
    (a session limit: once per session's day too). If the cache is down they may hear twice."""
    day = local_day(timezone.now(), snapshot.controls.time_zone)
    try:
        first = cache.add(f"limit-told:{snapshot.child_id}:{code}:{day.isoformat()}", 1, 26 * 3600)
    except Exception:
        first = True
    if first:
        event: LimitReachedEvent = {"type": "limit.reached", "child": snapshot.child_id, "code": code}
        guardians_publish(child_id=snapshot.child_id, event=event)


def _finish_unsafe_input(snapshot: ChildSnapshot, prepared: ChatTurn) -> ChatResult:
    verdict = prepared.verdict
    text = safety_reply(verdict, language=snapshot.language, age_band=snapshot.age_band)
    reply = _store_reply(prepared, text, AgentName.SAFETY.value)
    _record_event(snapshot, prepared.message, verdict, direction="in")
    state = prepared.session.story_state
    if isinstance(state, dict) and "story" in state:
        # After a safety reply the companion does not jump back into the adventure: the child's next
        # short message is an answer to the care it was shown, not a choice for the story.
        paused = {key: value for key, value in state.items() if key != "story"}
        prepared.session.story_state = prepared.session_changes["story_state"] = paused
    logger.info(
        "unsafe input child_id=%s action=%s severity=%s", snapshot.child_id, verdict.action, verdict.severity.label
    )
    return _finished(prepared, reply, None)


def _record_event(snapshot: ChildSnapshot, message: Message, verdict: Verdict, *, direction: str) -> SafetyEvent:
    return safety_event_record(
        snapshot=snapshot,
        message=message,
        direction=direction,
        categories=[c.value for c in verdict.categories],
        severity=verdict.severity.label,
        action=verdict.action.value,
        evidence={
            "terms": sorted({m.term for m in verdict.matches})[:20],
            "pii": sorted({p.kind for p in verdict.pii}),
            "layers": [layer.value for layer in verdict.layers],
            "scores": {c.value: p for c, p in verdict.scores.items()},
        },
    )


# --- phase 2 -------------------------------------------------------------------------------------
def _classify(ctx: AgentContext, decision: RouteDecision) -> tuple[RouteDecision, tuple[int, int]]:
    """With an LLM configured and the keyword router unsure, let the LLM pick the agent. Also
    returns the (prompt, completion) tokens the question cost."""
    provider = get_provider()
    if provider is None or is_confident(decision):
        return decision, (0, 0)
    try:
        temperature, max_tokens = CLASSIFIER_PARAMS
        question = classifier_messages(ctx.text, ctx.enabled)
        completion = provider.complete(question, temperature=temperature, max_tokens=max_tokens)
    except ProviderError:
        return decision, (0, 0)
    return _classified(ctx, decision, completion)


async def _aclassify(ctx: AgentContext, decision: RouteDecision) -> tuple[RouteDecision, tuple[int, int]]:
    """``_classify`` on an event loop."""
    provider = get_provider()
    if provider is None or is_confident(decision):
        return decision, (0, 0)
    try:
        temperature, max_tokens = CLASSIFIER_PARAMS
        question = classifier_messages(ctx.text, ctx.enabled)
        completion = await provider.acomplete(question, temperature=temperature, max_tokens=max_tokens)
    except Exception as exc:  # a ProviderError, or a bug in a provider: the keyword router's choice stands
        if not isinstance(exc, ProviderError):  # type only: a bug's message may quote the prompt
            logger.error("llm classifier raised unexpectedly (%s)", type(exc).__name__)
        return decision, (0, 0)
    return _classified(ctx, decision, completion)


def _classified(
    ctx: AgentContext, decision: RouteDecision, completion: Completion
) -> tuple[RouteDecision, tuple[int, int]]:
    tokens = (completion.prompt_tokens, completion.completion_tokens)
    choice = parse_choice(completion.text, ctx.enabled)
    if choice is None or choice == decision.agent:
        return decision, tokens
    subject = resolve_subject(ctx.text) if choice == AgentName.EDU else None
    return dataclasses.replace(decision, agent=choice, subject=subject), tokens


def _compose(ctx: AgentContext, decision: RouteDecision) -> tuple[AgentReply, Answer]:
    """The builtin reply always (cheap, deterministic); an LLM's text instead when one answers."""
    builtin = respond(ctx, decision)
    provider = get_provider()
    if provider is None:
        return builtin, Answer(builtin.text, BUILTIN, 0)
    temperature, max_tokens = AGENT_PARAMS[decision.agent]
    answer = complete_with_fallback(
        provider,
        build_messages(ctx, decision),
        temperature=temperature,
        max_tokens=max_tokens,
        fallback_text=builtin.text,
    )
    return dataclasses.replace(builtin, text=answer.text), answer


# --- phase 3 -------------------------------------------------------------------------------------
def _deliver(
    snapshot: ChildSnapshot,
    prepared: ChatTurn,
    reply: AgentReply,
    answer: Answer,
) -> ChatResult:
    if prepared.decision is not None and prepared.message.agent != prepared.decision.agent.value:
        # The LLM classifier re-routed the message: the child's row says who really answered.
        rerouted = {"agent": prepared.decision.agent.value, "subject": prepared.decision.subject or ""}
        Message.objects.filter(pk=prepared.message.pk).update(**rerouted)
        _set_fields(prepared.message, rerouted)
    if prepared.streamed is not None:  # checked sentence by sentence as it was shown
        text, out_verdict = prepared.streamed[2], prepared.streamed[3]
    else:
        text, out_verdict = _moderate_output(snapshot, reply.text, prepared.lexicon, _output_model(prepared))
    if prepared.verdict.action is Action.MASK and out_verdict is None and prepared.streamed is None:
        # Answered, with a gentle reminder that phone numbers and addresses stay private.
        reminder = safety_reply(prepared.verdict, language=snapshot.language, age_band=snapshot.age_band)
        text = f"{reminder}\n{text}"
    stored = _store_reply(
        prepared,
        text,
        reply.agent.value,
        subject=reply.subject or "",
        provider=answer.provider,
        latency_ms=answer.latency_ms,
        prompt_tokens=answer.prompt_tokens,
        completion_tokens=answer.completion_tokens,
        safety_action=out_verdict.action.value if out_verdict else "allow",
        safety_severity=out_verdict.severity.label if out_verdict else "none",
        safety_categories=[c.value for c in out_verdict.categories] if out_verdict else [],
    )
    if out_verdict is not None:
        _record_event(snapshot, stored, out_verdict, direction="out")
    if reply.session_state is not None:
        prepared.session.story_state = prepared.session_changes["story_state"] = reply.session_state
    if prepared.memories_allowed:
        _remember(snapshot, prepared.message, reply)
    if reply.escalate:
        _record_distress(snapshot, prepared.message)
    logger.info(
        "message answered child_id=%s session_id=%s agent=%s provider=%s latency_ms=%s",
        snapshot.child_id,
        prepared.session.pk,
        reply.agent,
        answer.provider,
        answer.latency_ms,
    )
    return _finished(prepared, stored, None)


def _moderate_output(
    snapshot: ChildSnapshot, text: str, lexicon: Lexicon, model: RiskModel | None
) -> tuple[str, Verdict | None]:
    """Each sentence is checked before the child sees any of it. Personal information is masked;
    any other hit replaces the whole reply with a safe one (and is recorded as an event)."""
    moderated = text
    for sentence in split_sentences(text) or [text]:
        verdict = _check_sentence(snapshot, sentence, lexicon, model)
        if verdict.action is Action.MASK:
            moderated = moderated.replace(sentence, verdict.masked_text, 1)
        elif verdict.action is not Action.ALLOW:
            fallback = dataclasses.replace(verdict, action=Action.BLOCK)
            return safety_reply(fallback, language=snapshot.language, age_band=snapshot.age_band), verdict
    return moderated, None


def _output_model(turn: ChatTurn) -> RiskModel | None:
    return turn.model if settings.SAFETY_MODEL_OUTPUT else None


def _check_sentence(snapshot: ChildSnapshot, sentence: str, lexicon: Lexicon, model: RiskModel | None) -> Verdict:
    c = snapshot.controls
    return check_text_safe(
        sentence,
        lexicon=lexicon,
        model=model,
        sensitivity=c.safety_sensitivity,
        blocked_words=c.blocked_words,
        direction="out",
    )


def _remember(snapshot: ChildSnapshot, message: Message, reply: AgentReply) -> None:
    if reply.forget:
        deleted, _detail = MemoryFact.objects.filter(child_id=snapshot.child_id).delete()
        logger.info("memories forgotten on request child_id=%s count=%s", snapshot.child_id, deleted)
        return
    for candidate in reply.memories:
        MemoryFact.objects.get_or_create(
            child_id=snapshot.child_id,
            text=candidate.text[:200],
            defaults={"kind": candidate.kind, "importance": candidate.importance, "source_message": message},
        )


def _record_distress(snapshot: ChildSnapshot, message: Message) -> None:
    """The emotion agent judged the child very distressed: guardians hear about it like an escalation,
    and the message's verdict becomes escalate (in the chat answer, history and insights alike)."""
    verdict = {
        "safety_action": Action.ESCALATE.value,
        "safety_severity": max(Severity.HIGH, Severity.from_label(message.safety_severity)).label,
        "safety_categories": [EMOTIONAL_DISTRESS, *(c for c in message.safety_categories if c != EMOTIONAL_DISTRESS)],
    }
    Message.objects.filter(pk=message.pk).update(**verdict)
    _set_fields(message, verdict)
    safety_event_record(
        snapshot=snapshot,
        message=message,
        direction="in",
        categories=[EMOTIONAL_DISTRESS],
        severity=Severity.HIGH.label,
        action=Action.ESCALATE.value,
        evidence={"emotion": message.emotion, "intensity": message.emotion_intensity},
    )


def _set_fields(message: Message, fields: dict[str, Any]) -> None:
    """Keep the in-memory row what an UPDATE just made the stored one: the answer is rendered from it."""
    for name, value in fields.items():
        setattr(message, name, value)


# --- the phases, for entries that stream (the chat socket) -----------------------------------------
def turn_begin(
    *, actor: Actor, child_id: int, text: str, session_id: int | None = None, channel: Channel = Channel.TEXT
) -> ChatTurn:
    """Phase 1, in its own transaction: gate, input safety, route, context, the child's message stored.
    When the turn ends here (refused, or unsafe input answered with care) ``turn.finished`` holds it."""
    if isinstance(actor, ChildPrincipal) and actor.child_id != child_id:
        raise not_found(_("No such child."))
    snapshot = child_snapshot(child_id=child_id)
    with transaction.atomic():
        turn = _receive(snapshot, actor, text, session_id, None, channel)
        _save_session(turn)
    return turn


async def turn_reply_astream(turn: ChatTurn) -> AsyncGenerator[str, None]:
    """Phase 2, no transaction open, on an event loop (the chat socket): the reply as checked sentences,
    each released only after the output check. The LLM is awaited over async HTTP, so no thread waits
    while it thinks. Its stream is buffered to sentence boundaries (``split_complete``); a sentence that
    fails the check stops the stream and a safe ending replaces the rest (what was already shown cannot
    be taken back). An LLM that fails before its first sentence is replaced by the builtin reply; after
    it, the child keeps what was said. ``turn_finish`` stores what was shown. Touches no database."""
    _must_stream(turn)
    assert turn.ctx is not None and turn.decision is not None
    started = time.perf_counter()
    turn.decision, classifier_tokens = await _aclassify(turn.ctx, turn.decision)
    reply = _ReplyRelease(turn, get_provider(), started, classifier_tokens)
    for sentence in reply.opening():
        yield sentence
    async with contextlib.aclosing(reply.asentences()) as sentences:
        async for sentence in sentences:
            yield reply.release(sentence)
            if reply.stopped:
                break
    reply.close()


def _must_stream(turn: ChatTurn) -> None:
    if turn.finished is not None or turn.ctx is None or turn.decision is None:
        raise ValueError("this turn has no reply to stream")


class _ReplyRelease:
    """Phase 2 when it streams: where the sentences come
    from (the builtin reply, or the LLM's stream with the builtin reply when it fails before its first
    sentence), the output check of each, the safe ending, and what is kept for ``turn_finish``."""

    def __init__(
        self, turn: ChatTurn, provider: Provider | None, started: float, classifier_tokens: tuple[int, int]
    ) -> None:
        assert turn.ctx is not None and turn.decision is not None
        self.turn = turn
        self.provider = provider
        self.started = started
        self.classifier_tokens = classifier_tokens
        self.builtin = respond(turn.ctx, turn.decision)
        self.source = BUILTIN if provider is None else provider.name
        self.model = _output_model(turn)
        self.shown: list[str] = []  # everything the child was shown, reminder included
        self.said = 0  # how many of them were the reply's own sentences
        self.blocked: Verdict | None = None

    @property
    def stopped(self) -> bool:
        return self.blocked is not None

    def opening(self) -> list[str]:
        """A gentle reminder first when the child's message had phone numbers or addresses masked."""
        if self.turn.verdict.action is not Action.MASK:
            return []
        snapshot = self.turn.snapshot
        reminder = safety_reply(self.turn.verdict, language=snapshot.language, age_band=snapshot.age_band)
        self.shown.append(reminder)
        return [reminder]

    def release(self, sentence: str) -> str:
        """The sentence as the child may see it (masked), or the safe ending that stops the reply."""
        snapshot = self.turn.snapshot
        verdict = _check_sentence(snapshot, sentence, self.turn.lexicon, self.model)
        if verdict.action in (Action.ALLOW, Action.MASK):
            released = verdict.masked_text
        else:
            self.blocked = dataclasses.replace(verdict, action=Action.BLOCK)
            released = safety_reply(self.blocked, language=snapshot.language, age_band=snapshot.age_band)
        self.shown.append(released)
        self.said += 1
        return released

    def _builtin_sentences(self) -> list[str]:
        return split_sentences(self.builtin.text) or [self.builtin.text]

    def _request(self) -> tuple[list[ChatMessage], float, int]:
        assert self.turn.ctx is not None and self.turn.decision is not None
        temperature, max_tokens = AGENT_PARAMS[self.turn.decision.agent]
        return build_messages(self.turn.ctx, self.turn.decision), temperature, max_tokens

    def _failed(self, exc: Exception) -> list[str]:
        child_id, said = self.turn.message.child_id, self.said
        logger.warning("llm stream failed (%s) child_id=%s said=%s", type(exc).__name__, child_id, said)
        if said:
            return []  # the child keeps what was said
        self.source = BUILTIN_FALLBACK
        return self._builtin_sentences()

    async def asentences(self) -> AsyncGenerator[str, None]:
        if self.provider is None:
            for sentence in self._builtin_sentences():
                yield sentence
            return
        buffer = ""
        try:
            prompt, temperature, max_tokens = self._request()
            astream = self.provider.astream(prompt, temperature=temperature, max_tokens=max_tokens)
            async with contextlib.aclosing(astream) as pieces:
                async for piece in pieces:
                    complete, buffer = split_complete(buffer + piece)
                    for sentence in complete:
                        yield sentence
            for sentence in split_sentences(buffer):
                yield sentence
        except Exception as exc:  # a ProviderError, or a bug in a provider: the child is answered all the same
            if not isinstance(exc, ProviderError):  # type only: a bug's message may quote the prompt
                logger.error("llm provider raised unexpectedly (%s); answering with builtin", type(exc).__name__)
            for sentence in self._failed(exc):
                yield sentence

    def close(self) -> None:
        """What was shown, kept on the turn for ``turn_finish``."""
        answer = Answer(
            "",
            self.source,
            int((time.perf_counter() - self.started) * 1000),
            prompt_tokens=self.classifier_tokens[0],
            completion_tokens=self.classifier_tokens[1],
        )
        self.turn.streamed = (self.builtin, answer, _join(self.shown), self.blocked)


def turn_finish(turn: ChatTurn) -> ChatResult:
    """Phase 3, in its own transaction: the reply as shown stored, memories, events, the session."""
    if turn.finished is not None:
        return turn.finished
    if turn.streamed is None:
        raise ValueError("stream the reply first")
    snapshot = turn.snapshot
    reply, answer, _text, _verdict = turn.streamed
    with transaction.atomic():
        if turn.memories_allowed:
            turn.memories_allowed = _memories_still_allowed(snapshot.child_id)
        result = _deliver(snapshot, turn, reply, answer)
        _save_session(turn)
    return result


def _join(sentences: list[str]) -> str:
    """Sentences back into one text: Chinese runs on, other scripts get a space."""
    out = ""
    for sentence in sentences:
        if out and not (out[-1] in "。！？；…」』）】》" or "\u4e00" <= out[-1] <= "\u9fff"):
            out += " "
        out += sentence
    return out
