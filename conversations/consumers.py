"""The WebSocket consumers of conversations: the chat socket for child devices, and the parent socket.

The parent socket ``/ws/v1/parent/``: live events about a guardian's own children.

Who: a parent app with a ticket (``POST realtime/ticket/`` with the parent's JWT, then
``?ticket=…``), or the dashboard with its session cookie from an allowed origin. Anything else is
closed with ``4401``; a child device's ticket with ``4403``. The socket joins the guardian's group
(``accounts.realtime.guardian_group``), which services publish to after commit; every
event is re-checked against the database before it is sent (the account still active, the child still
theirs), so a guardian who left or an account switched off stops receiving at once.

Events out: ``alert`` (a safety event: ``event``, ``child``, ``severity``, ``action``, ``categories``),
``device.paired`` / ``device.revoked`` (``child``, ``device``), ``child.online`` / ``child.offline``
(a chat socket of the child opened or closed: ``child``, ``device``), ``limit.reached`` (``child``,
``code``: the gate refused a message for a time limit; once a day per limit), ``message.new`` (a turn
of the child's chat, as stored: ``session``, ``message``, ``reply``, ``agent``, ``channel``,
``refusal``, ``safety`` {action, severity}, ``at``; not the words, which the dashboard reads through
the history API), ``pong``, ``error``.
Events in: ``ping``.

The chat socket ``/ws/v1/chat/?ticket=…`` (a child device's ticket): each ``message`` goes through the
one pipeline (with the builtin engine ``message_send`` whole, as REST; with an LLM in its phases,
``turn_begin``, ``turn_reply_astream``, ``turn_finish``: the same gate, safety, agents, storage and
alerts), its events in order: ``accepted``, ``agent``, one
``delta`` per sentence as soon as it passed the output check (an LLM's stream is checked sentence by
sentence as it arrives), ``done`` (or ``refused`` when the gate said no). A ``client_id`` already
answered is answered again from what was stored, never run twice. One message at a time per socket:
messages and resumes are answered in the order they came, each after the one before, while pings and
bad frames are answered at once (a model may take seconds); across sockets, a message to a chat that
is still being answered gets ``session_busy``. An app that goes away mid-reply loses the events, not
the reply: it is finished and stored, and ``resume`` shows it. More than
``FLOOD_MESSAGES`` in ``FLOOD_SECONDS`` get a ``throttled`` error. The device is re-checked before
every ``message`` and ``resume``: revoked, the socket closes with ``4403``. After a reconnect,
``resume`` (``session``, ``after``: the last message id the app saw) answers ``missed`` with that
chat's newer messages, oldest first (``more`` when there are over ``RESUME_LIMIT``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Coroutine
from importlib import import_module
from typing import Any, Literal, TypeVar

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.principals import ChildPrincipal
from accounts.realtime import ChildDeviceEvent, guardian_group, guardians_publish
from accounts.selectors import DEVICE_REVOKED, device_require_paired, guardian_may_watch
from accounts.services.tickets import realtime_ticket_redeem
from conversations.api.serializers import (
    ChatSocketMessageSerializer,
    ChatSocketResumeSerializer,
    MessageSafetySerializer,
    MessageSerializer,
)
from conversations.models import Message
from conversations.models.messages import Channel
from conversations.providers.registry import get_provider
from conversations.safety import split_sentences
from conversations.selectors.history import messages_after
from conversations.selectors.scope import session_get_for_principal
from conversations.services.pipeline import (
    ChatResult,
    ChatTurn,
    message_send,
    turn_begin,
    turn_finish,
    turn_reply_astream,
)
from happy_partner.api.errors import error_body, invalid_body
from happy_partner.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED, JsonEventsConsumer, ticket_of
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)
T = TypeVar("T")

FLOOD_MESSAGES = 10
FLOOD_SECONDS = 10.0
ANSWERED_SECONDS = 24 * 3600  # how long a client_id is remembered as answered
DRAIN_SECONDS = 30  # at a disconnect, plus the LLM's budget: how long replies in progress may finish
IN_FLIGHT_SECONDS = 30  # plus the LLM's whole budget (a classifier call and a reply): a turn's longest
RESUME_LIMIT = 100  # messages per ``missed`` event; the app resumes again after the last one
PENDING = "pending"  # a client_id being answered right now


def in_pool(function: Callable[..., T]) -> Callable[..., Awaitable[T]]:
    """A socket's sync work (the database, the cache), awaited from its consumer, in the event loop's
    thread pool rather than in the one thread ``database_sync_to_async`` shares between every consumer
    of the process: two children's turns run side by side (each call is whole: its own transactions,
    its connection closed or returned to the pool after it), instead of queueing behind each other."""
    return DatabaseSyncToAsync(function, thread_sensitive=False)


def _may_send(user_id: int, child_id: int, session_key: str | None) -> bool | None:
    """Whether a parent socket may get an event of this child: the account active and still a guardian
    (False: skip it), and for the dashboard's socket its session still signed in (None: close)."""
    if session_key is not None and not import_module(settings.SESSION_ENGINE).SessionStore().exists(session_key):
        return None  # signed out (on this computer, or everywhere): a shared screen shows nothing more
    return guardian_may_watch(user_id=user_id, child_id=child_id)


class ParentEventsConsumer(JsonEventsConsumer):
    user_id: int | None = None
    session_key: str | None = None  # the dashboard's session; None for a ticket (a parent app)

    async def connect(self) -> None:
        ticket = ticket_of(self.scope)
        if ticket:
            actor = await in_pool(realtime_ticket_redeem)(ticket=ticket)
        else:
            actor = self.scope.get("user")  # the dashboard's session (the origin was checked)
        await self.accept()
        if actor is None or not getattr(actor, "is_authenticated", False):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not isinstance(actor, User) or not actor.is_active:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user_id = actor.pk
        if not ticket:
            self.session_key = getattr(self.scope.get("session"), "session_key", None)
        await self.channel_layer.group_add(guardian_group(actor.pk), self.channel_name)

    async def disconnect(self, code: int) -> None:
        if self.user_id is not None:
            await self.channel_layer.group_discard(guardian_group(self.user_id), self.channel_name)

    async def safety_alert(self, event: dict[str, Any]) -> None:
        """A safety event of one of the guardian's children (published by ``safety_event_record``)."""
        fields = ("event", "child", "severity", "action", "categories")
        await self._forward(event["child"], {"type": "alert", **{name: event[name] for name in fields}})

    async def _as_published(self, event: dict[str, Any]) -> None:
        """Events whose published form is what the client gets (``accounts.realtime``)."""
        await self._forward(event["child"], dict(event))

    device_paired = device_revoked = child_online = child_offline = limit_reached = message_new = _as_published

    async def _forward(self, child_id: int, payload: dict[str, Any]) -> None:
        """Send, if the account is still active and still guards the child (read now, not at connect).
        A one-row read on the shared database thread, which the chat turns (in the pool) leave free:
        an alert never queues behind children's replies."""
        if self.user_id is None:
            return
        allowed = await database_sync_to_async(_may_send)(self.user_id, child_id, self.session_key)
        if allowed is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            self.user_id = None
        elif allowed:
            await self.send_json(payload)


def _answered_key(device_id: int, client_id: str) -> str:
    return f"chat-answered:{device_id}:{client_id}"


def _events(result: ChatResult, client_id: str, *, replayed: bool = False) -> list[dict[str, Any]]:
    """The events of one answered message, in the order a client shows them."""
    message, reply = result.message, result.reply
    events: list[dict[str, Any]] = [
        {"type": "accepted", "client_id": client_id, "message": message.pk, "session": result.session.pk},
    ]
    if result.refusal:
        events.append({"type": "refused", "client_id": client_id, "code": result.refusal, "text": reply.text})
    else:
        events.append({"type": "agent", "client_id": client_id, "agent": reply.agent, "subject": reply.subject})
        events.extend(
            {"type": "delta", "client_id": client_id, "text": sentence}
            for sentence in split_sentences(reply.text) or [reply.text]
        )
    events.append(_done(result, client_id, replayed=replayed))
    return events


def _done(result: ChatResult, client_id: str, *, replayed: bool = False) -> dict[str, Any]:
    """The last event of an answered message: the reply's id and the verdict as history shows it.
    Built from the rows in hand: no query."""
    safety = MessageSafetySerializer(result.message).data
    done = {"type": "done", "client_id": client_id, "reply": result.reply.pk, "safety": safety}
    done["refusal"] = result.refusal
    if replayed:
        done["replayed"] = True
    return done


def _client_id_claim(principal: ChildPrincipal, client_id: str) -> list[dict[str, Any]] | None:
    """None when this device's ``client_id`` is new (it is now marked as being answered); the stored
    events when it was answered before; ``in_progress`` while another socket answers it. With the
    cache down, None: a resent client_id may then be answered twice."""
    key = _answered_key(principal.device.pk, client_id)
    try:
        if cache.add(key, PENDING, IN_FLIGHT_SECONDS + settings.LLM_TIMEOUT_SECONDS * 2):
            return None
        stored = cache.get(key)
    except Exception:
        return None
    return _replayed(stored, client_id)


def client_id_replay(principal: ChildPrincipal, client_id: str) -> list[dict[str, Any]] | None:
    """Without claiming it: the stored events of a ``client_id`` already answered, None when it is new,
    ``in_progress`` while it is being answered. The voice socket asks before it listens to a resend."""
    try:
        stored = cache.get(_answered_key(principal.device.pk, client_id))
    except Exception:
        return None
    return _replayed(stored, client_id)


def _replayed(stored: Any, client_id: str) -> list[dict[str, Any]] | None:
    if stored is None:  # new, or expired in between
        return None
    if stored == PENDING:
        raise ApplicationError(
            code="in_progress", message=_("I'm still answering that message."), kind=Failure.CONFLICT
        )
    message = Message.objects.select_related("session").filter(pk=stored["message"]).first()
    reply = Message.objects.filter(pk=stored["reply"]).first()
    if message is None or reply is None:  # deleted since: answered, and gone
        return []
    return _events(ChatResult(message.session, message, reply, stored["refusal"]), client_id, replayed=True)


def _client_id_release(principal: ChildPrincipal, client_id: str) -> None:
    """A message that failed before it was answered may be sent again."""
    try:
        cache.delete(_answered_key(principal.device.pk, client_id))
    except Exception:
        logger.warning("chat socket: the cache is down, client_id not released device_id=%s", principal.device.pk)


def _remember_answered(principal: ChildPrincipal, client_id: str, result: ChatResult) -> None:
    answered = {"message": result.message.pk, "reply": result.reply.pk, "refusal": result.refusal}
    try:
        cache.set(_answered_key(principal.device.pk, client_id), answered, ANSWERED_SECONDS)
    except Exception:
        logger.warning("chat socket: the cache is down, client_id not remembered device_id=%s", principal.device.pk)


def _in_flight_key(child_id: int, session_id: int) -> str:
    return f"chat-in-flight:{child_id}:{session_id}"  # by child: another child's id claims nothing of theirs


def _session_claim(child_id: int, session_id: int) -> bool:
    """One message in flight per chat, across sockets and processes (a child's two devices, a
    reconnect while the old socket still waits for the model). Forgotten after the longest a turn can
    take if a process dies holding it. With the cache down, allowed: the session lock still orders
    the turns."""
    try:
        seconds = IN_FLIGHT_SECONDS + settings.LLM_TIMEOUT_SECONDS * 2
        return bool(cache.add(_in_flight_key(child_id, session_id), 1, seconds))
    except Exception:
        logger.warning("chat socket: the cache is down, in-flight not checked session_id=%s", session_id)
        return True


def _session_release(child_id: int, session_id: int) -> None:
    try:
        cache.delete(_in_flight_key(child_id, session_id))
    except Exception:
        logger.warning("chat socket: the cache is down, in-flight not released session_id=%s", session_id)


def _turn_start(
    principal: ChildPrincipal, client_id: str, text: str, session_id: int | None, channel: Channel = Channel.DEVICE
) -> list[dict[str, Any]] | ChatTurn:
    """The start of a socket message, in one call to the thread pool: a ``client_id`` already answered
    is replayed; the chat is claimed (one message in flight); then with the builtin engine the whole
    turn (``message_send``: one transaction, nothing to wait for) and its events, with an LLM the turn's
    first phase, returned to stream (its claim then held until ``_turn_end``)."""
    replayed = _client_id_claim(principal, client_id)
    if replayed is not None:
        return replayed
    claimed = session_id is not None
    try:
        if session_id is not None and not _session_claim(principal.child_id, session_id):
            claimed = False
            raise ApplicationError(
                code="session_busy", message=_("Wait for my answer, then send the next one."), kind=Failure.CONFLICT
            )
        child_id = principal.child_id
        if get_provider() is None:
            result = message_send(actor=principal, child_id=child_id, text=text, session_id=session_id, channel=channel)
        else:
            turn = turn_begin(actor=principal, child_id=child_id, text=text, session_id=session_id, channel=channel)
            if turn.finished is None:
                claimed = False  # the stream's: released by _turn_end
                return turn
            result = turn.finished  # refused by the gate, or unsafe input answered with care
        _remember_answered(principal, client_id, result)  # before the chat is free again
    except BaseException:
        _client_id_release(principal, client_id)
        raise
    finally:
        if claimed and session_id is not None:
            _session_release(principal.child_id, session_id)
    return _events(result, client_id)


def _turn_end(principal: ChildPrincipal, client_id: str, turn: ChatTurn, session_id: int | None) -> dict[str, Any]:
    """The streamed reply stored as shown (its ``done`` event), the ``client_id`` remembered, the chat freed."""
    try:
        result = turn_finish(turn)
        _remember_answered(principal, client_id, result)
        return _done(result, client_id)
    except BaseException:
        _client_id_release(principal, client_id)
        raise
    finally:
        if session_id is not None:
            _session_release(principal.child_id, session_id)


def _turn_abandon(principal: ChildPrincipal, client_id: str, session_id: int | None) -> None:
    """A streamed turn that failed: the chat is free, the client_id may be sent again."""
    _client_id_release(principal, client_id)
    if session_id is not None:
        _session_release(principal.child_id, session_id)


def _missed(principal: ChildPrincipal, session_id: int, after_id: int) -> dict[str, Any]:
    """The ``missed`` event: the child's chat's messages after ``after_id`` (the child's own chats only)."""
    session = session_get_for_principal(principal=principal, session_id=session_id)
    found = messages_after(session_id=session.pk, after_id=after_id, limit=RESUME_LIMIT)
    return {
        "type": "missed",
        "session": session.pk,
        "messages": MessageSerializer(found[:RESUME_LIMIT], many=True).data,
        "more": len(found) > RESUME_LIMIT,
    }


class ChatConsumer(JsonEventsConsumer):
    principal: ChildPrincipal | None = None
    gone = False  # the client went away: events are dropped, work in progress is finished
    working: set[asyncio.Task[None]] = set()  # never added to: connect gives each socket its own set

    async def connect(self) -> None:
        ticket = ticket_of(self.scope)
        actor = await in_pool(realtime_ticket_redeem)(ticket=ticket) if ticket else None
        await self.accept()
        if actor is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not isinstance(actor, ChildPrincipal):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.principal = actor
        self.recent: deque[float] = deque()
        self.turns = asyncio.Lock()  # one message (or resume) at a time, in the order they came
        self.pending: Counter[str] = Counter()  # turn frames waiting or being answered, per kind
        self.working: set[asyncio.Task[None]] = set()
        await in_pool(guardians_publish)(child_id=actor.child_id, event=self._presence("child.online"))

    async def disconnect(self, code: int) -> None:
        self.gone = True
        if self.principal is None:  # refused at connect: nothing was started
            return
        event = self._presence("child.offline")  # told first: a reconnect's child.online comes after it
        await in_pool(guardians_publish)(child_id=self.principal.child_id, event=event)
        if self.working:  # the reply being produced is finished and stored: the app resumes to see it
            await asyncio.wait(set(self.working), timeout=DRAIN_SECONDS + settings.LLM_TIMEOUT_SECONDS * 2)

    def _presence(self, kind: Literal["child.online", "child.offline"]) -> ChildDeviceEvent:
        assert self.principal is not None
        return {"type": kind, "child": self.principal.child_id, "device": self.principal.device.pk}

    # The frames that start a turn, and how each is validated (the voice app adds ``voice``), and how
    # many of a kind may wait their turn (a recording is megabytes: the voice app allows one).
    turn_frames: dict[str, type[Any]] = {"message": ChatSocketMessageSerializer}
    pending_limits: dict[str, int] = {}

    async def receive_json(self, content, **kwargs):
        if self.principal is None:
            return
        kind = content.get("type")
        if kind == "resume":
            self._in_order(self._resume(content))
            return
        if not isinstance(kind, str) or kind not in self.turn_frames:
            await super().receive_json(content, **kwargs)  # ping: answered at once, even mid-reply
            return
        serializer = self.turn_frames[kind](data=content)
        if not serializer.is_valid():
            await self.send_json(
                {"type": "error", "client_id": content.get("client_id"), **invalid_body(serializer.errors)}
            )
            return
        data = serializer.validated_data
        now = time.monotonic()
        while self.recent and now - self.recent[0] > FLOOD_SECONDS:
            self.recent.popleft()
        if len(self.recent) >= FLOOD_MESSAGES:
            await self._refuse(data["client_id"], "throttled", _("Too many messages. Slow down a little."))
            return
        if self.pending[kind] >= self.pending_limits.get(kind, FLOOD_MESSAGES):
            await self._refuse(data["client_id"], "busy", _("Wait for my answer, then send the next one."))
            return
        self.recent.append(now)
        self.pending[kind] += 1
        self._in_order(self._message(data), kind)

    def _in_order(self, work: Coroutine[Any, Any, None], kind: str | None = None) -> None:
        """Run ``work`` after the socket's earlier messages and resumes, as a task: the frames that follow
        (a ping, a bad frame, a flood) are answered meanwhile, a reply's seconds with a model notwithstanding."""

        async def ordered() -> None:
            try:
                async with self.turns:
                    if self.gone:  # the app left before this one started: nothing was stored, it resends
                        work.close()
                        return
                    await work
            finally:
                if kind is not None:
                    self.pending[kind] -= 1

        task = asyncio.create_task(ordered())
        self.working.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.working.discard(task)
        if not task.cancelled() and task.exception() is not None:  # a bug: the handlers catch what they expect
            logger.error("chat socket task failed (%s)", type(task.exception()).__name__)

    async def _message(self, data: dict[str, Any]) -> None:
        assert self.principal is not None
        try:
            await self._turn(data)
        except ApplicationError as exc:
            if exc.code == DEVICE_REVOKED:
                await self._revoked(data["client_id"], exc)
                return
            await self._refuse(data["client_id"], exc.code, exc.message, exc.fields)
        except Exception as exc:
            logger.error("chat socket message failed (%s) device_id=%s", type(exc).__name__, self.principal.device.pk)
            sorry = _("Something went wrong on our side. Please try again.")
            await self._refuse(data["client_id"], "internal_error", sorry)

    async def _turn(self, data: dict[str, Any]) -> None:
        """One validated turn frame answered (a ``message``: its text)."""
        await self._answer(data["text"], data.get("session"), data["client_id"])

    async def _say(self, event: dict[str, Any]) -> None:
        """An event of the reply (``delta``, ``refused`` and the rest) sent: the voice socket speaks them too."""
        await self.send_json(event)

    async def send_json(self, content, close=False):
        """A reply finishing after the app went away is stored (``resume`` shows it), its events dropped."""
        if self.gone:
            return
        try:
            await super().send_json(content, close=close)
        except OSError:  # the server's "client disconnected"
            self.gone = True

    async def _answer(
        self, text: str, session_id: int | None, client_id: str, channel: Channel = Channel.DEVICE
    ) -> None:
        """One hop to the thread pool starts the turn, or answers it whole (the builtin engine, a refusal,
        a replay); with an LLM the reply then streams on the event loop, each sentence sent as soon as
        it passed the output check, and one more hop stores it."""
        principal = self.principal
        assert principal is not None
        begun = await in_pool(_turn_start)(principal, client_id, text, session_id, channel)
        if isinstance(begun, list):
            for event in begun:
                await self._say(event)
            return
        turn = begun
        try:
            await self.send_json(
                {"type": "accepted", "client_id": client_id, "message": turn.message.pk, "session": turn.session.pk}
            )
            first = True
            # On the event loop: the LLM is awaited over async HTTP, no thread waits while it thinks.
            async with contextlib.aclosing(turn_reply_astream(turn)) as sentences:
                async for sentence in sentences:
                    if first:  # the agent is known once the stream started (an LLM may re-route the message)
                        assert turn.decision is not None
                        agent = {"agent": turn.decision.agent.value, "subject": turn.decision.subject or ""}
                        await self.send_json({"type": "agent", "client_id": client_id, **agent})
                        first = False
                    await self._say({"type": "delta", "client_id": client_id, "text": sentence})
        except BaseException:
            await in_pool(_turn_abandon)(principal, client_id, session_id)
            raise
        await self.send_json(await in_pool(_turn_end)(principal, client_id, turn, session_id))

    async def _resume(self, content: dict[str, Any]) -> None:
        assert self.principal is not None
        serializer = ChatSocketResumeSerializer(data=content)
        if not serializer.is_valid():
            await self.send_json({"type": "error", **invalid_body(serializer.errors)})
            return
        try:
            # Re-checked against the database like a message (whose turn re-reads it in its transaction).
            await in_pool(device_require_paired)(device_id=self.principal.device.pk)
            event = await in_pool(_missed)(
                self.principal, serializer.validated_data["session"], serializer.validated_data["after"]
            )
        except ApplicationError as exc:
            if exc.code == DEVICE_REVOKED:
                await self._revoked(content.get("client_id"), exc)
                return
            await self.send_json({"type": "error", **error_body(exc.code, exc.message, exc.fields)})
            return
        except Exception as exc:
            logger.error("chat socket resume failed (%s) device_id=%s", type(exc).__name__, self.principal.device.pk)
            await self._refuse(None, "internal_error", _("Something went wrong on our side. Please try again."))
            return
        await self.send_json(event)

    async def _revoked(self, client_id: str | None, exc: ApplicationError) -> None:
        if self.gone:
            return
        await self._refuse(client_id, exc.code, exc.message)
        await self.close(code=CLOSE_FORBIDDEN)
        self.gone = True  # messages queued behind this one are refused by their turn, silently

    async def _refuse(
        self, client_id: str | None, code: str, message: str, fields: dict[str, Any] | None = None
    ) -> None:
        await self.send_json({"type": "error", "client_id": client_id, **error_body(code, message, fields)})
