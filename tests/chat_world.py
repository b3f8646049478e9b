"""A cast that has talked: every id a permission table names exists (tests/factories.py's personas, then
chats through the real pipeline): a chat per device with something to remember and words of distress
(a memory and a safety event, with an alert), a chat child_a1 tidied away, a parent-mode chat of
child_a2. Run it at a time chatting is allowed (the tables travel to a weekday morning)."""

from __future__ import annotations

from typing import Any

from accounts.models import ConsentScope, ParentalControls
from accounts.principals import ChildPrincipal
from accounts.services.consent import consent_grant
from accounts.snapshots import child_snapshot_invalidate
from conversations.models import MemoryFact, SafetyEvent
from conversations.services.pipeline import message_send
from conversations.services.sessions import session_delete
from tests.factories import Cast


def _consenting(cast: Cast) -> None:
    """Memory needs its consent and its switch, so does the emotion companion (its switch is on by
    default): both children get them, so each has a memory and emotion support really answers."""
    for owner, child in ((cast.parent_a, cast.child_a1), (cast.parent_b, cast.child_b1)):
        consent_grant(actor=owner, child=child, scope=ConsentScope.MEMORY)
        consent_grant(actor=owner, child=child, scope=ConsentScope.EMOTION_COMPANION)
        switch_memory_on(child)


def switch_memory_on(child) -> None:
    """What the parent's controls switch does, saved directly: controls_update() also re-validates the
    whole row (its time-zone check scans the tz database, ~12 ms), which hundreds of cells would pay."""
    controls = ParentalControls.objects.get(child=child)
    controls.memory_enabled = True
    controls.save(update_fields=["memory_enabled"])
    child_snapshot_invalidate(child_id=child.pk)  # what the service does after a change


def child_says(child, text: str, *, device=None, session: int | None = None):
    """As the child's paired ``device``, or (without one) as its first guardian in parent mode."""
    actor = ChildPrincipal(child=child, device=device) if device else child.guardianships.first().guardian
    result = message_send(actor=actor, child_id=child.pk, text=text, session_id=session)
    assert result.refusal is None, result.refusal  # not quiet hours, not a limit
    return result


def _talk(cast: Cast, child, device) -> dict[str, int]:
    """One chat: something to remember, then words of distress (a safety event)."""
    first = child_says(child, "我喜欢恐龙", device=device)
    session = first.session.pk
    child_says(child, "我不想活了", device=device, session=session)
    memory = MemoryFact.objects.get(child=child)
    event = SafetyEvent.objects.filter(child=child).order_by("pk").first()
    assert event is not None, "the distress message raised no safety event"
    return {"session": session, "memory": memory.pk, "event": event.pk}


def chat_world(cast: Cast) -> dict[str, Any]:
    _consenting(cast)
    a1 = _talk(cast, cast.child_a1, cast.device_a1)
    b1 = _talk(cast, cast.child_b1, cast.device_b1)
    gone = child_says(cast.child_a1, "今天天气很好", device=cast.device_a1).session
    session_delete(actor=cast.parent_a, session=gone)
    s_a2 = child_says(cast.child_a2, "你好").session  # parent mode: no device
    return {
        **cast.path_ids(),
        "s_a1": a1["session"],
        "s_b1": b1["session"],
        "s_gone": gone.pk,
        "s_a2": s_a2.pk,
        "mem_a1": a1["memory"],
        "mem_b1": b1["memory"],
        "ev_a1": a1["event"],
        "ev_b1": b1["event"],
    }
