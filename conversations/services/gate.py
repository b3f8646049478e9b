"""Step 1 of the pipeline: may this child talk right now? Enforced on the server, every entry point.

Order of the checks (the first that fails is the reason given): consent to chat, child switched
on, the allowed window of the day (quiet hours outside it), the weekly then daily minutes, the
session's minutes, then the channel (spoken words need the voice switch and consent: the app can
offer the keyboard instead) and the agent's own switch. A refusal is a kind sentence for the child
plus a stable reason code. (A ``device`` channel's pairing is not a refusal but an authorisation:
the pipeline raises before anything is stored.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.features import Feature, feature_enabled
from accounts.models import ConsentScope
from accounts.snapshots import ChildSnapshot
from conversations.agents.types import AgentName
from conversations.models.messages import Channel, RefusalCode
from conversations.services.usage import Usage


@dataclass(frozen=True)
class Refusal:
    code: RefusalCode
    reply: str


def _window(snapshot: ChildSnapshot, local: datetime) -> tuple[time, time]:
    c = snapshot.controls
    return (c.weekend_start, c.weekend_end) if local.weekday() >= 5 else (c.weekday_start, c.weekday_end)


def _refuse(snapshot: ChildSnapshot, code: RefusalCode, **params: str) -> Refusal:
    with translation.override(snapshot.language):
        messages = {
            RefusalCode.CONSENT_REQUIRED: _("I can't chat right now. Please ask your parent to switch chatting on."),
            RefusalCode.CHILD_INACTIVE: _(
                "Chatting is switched off for now. Ask your parent if you'd like to talk again."
            ),
            RefusalCode.QUIET_HOURS: _("It's rest time now, and I'm resting too! We can talk again at %(time)s."),
            RefusalCode.WEEKLY_LIMIT: _(
                "We've used up this week's chat time. Let's play and rest, and talk again next week!"
            ),
            RefusalCode.DAILY_LIMIT: _("We've talked a lot today! Let's rest our eyes and chat again tomorrow."),
            RefusalCode.SESSION_LIMIT: _(
                "This chat has been going for a while. Take a little break, then start a new chat!"
            ),
            RefusalCode.FEATURE_DISABLED: _("That's switched off by your parent. We can talk about something else!"),
            RefusalCode.VOICE_DISABLED: _("Talking out loud is switched off for now. You can type to me instead!"),
        }
        return Refusal(code, messages[code] % params)


def gate_check(
    *,
    snapshot: ChildSnapshot,
    usage: Usage,
    session_active_seconds: int,
    now: datetime,
    agent: AgentName | None = None,
    channel: Channel = Channel.TEXT,
) -> Refusal | None:
    refusal = _before_counting(snapshot, now)
    if refusal is not None:
        return refusal
    c = snapshot.controls
    if usage.week_seconds >= c.weekly_minutes * 60:
        return _refuse(snapshot, RefusalCode.WEEKLY_LIMIT)
    if usage.today_seconds >= c.daily_minutes * 60:
        return _refuse(snapshot, RefusalCode.DAILY_LIMIT)
    if session_active_seconds >= c.session_minutes * 60:
        return _refuse(snapshot, RefusalCode.SESSION_LIMIT)
    if channel == Channel.VOICE and not snapshot_feature_enabled(snapshot, Feature.VOICE):
        return _refuse(snapshot, RefusalCode.VOICE_DISABLED)
    if agent is not None and agent not in enabled_agents(snapshot):
        return _refuse(snapshot, RefusalCode.FEATURE_DISABLED)
    return None


def _before_counting(snapshot: ChildSnapshot, now: datetime) -> Refusal | None:
    """The gate's rules that need no usage: consent, the child switched on, the allowed hours."""
    if not snapshot.has_consent(ConsentScope.CHAT):
        return _refuse(snapshot, RefusalCode.CONSENT_REQUIRED)
    if not snapshot.is_active:
        return _refuse(snapshot, RefusalCode.CHILD_INACTIVE)
    local = now.astimezone(ZoneInfo(snapshot.controls.time_zone))
    start, end = _window(snapshot, local)
    if not start <= local.time() < end:
        return _refuse(snapshot, RefusalCode.QUIET_HOURS, time=start.strftime("%H:%M"))
    return None


def voice_refusal(snapshot: ChildSnapshot, now: datetime) -> Refusal | None:
    """Asked before a child's recording is decoded at all: the rules that need no usage, then spoken
    words' own (the voice switch and consent). The turn's gate asks everything again in its
    transaction; time limits are only known there."""
    refusal = _before_counting(snapshot, now)
    if refusal is None and not snapshot_feature_enabled(snapshot, Feature.VOICE):
        refusal = _refuse(snapshot, RefusalCode.VOICE_DISABLED)
    return refusal


# The feature behind each agent the parent can switch off; chat itself was checked above.
AGENT_FEATURES = {
    AgentName.EDU: Feature.EDUCATION,
    AgentName.EMOTION: Feature.EMOTION,
    AgentName.STORY: Feature.STORIES,
}


def enabled_agents(snapshot: ChildSnapshot) -> frozenset[AgentName]:
    """The agents the router may choose: chat always, the others as their feature allows
    (accounts.features: the parent's switch and, for emotion support, its consent)."""
    enabled = {AgentName.CHAT}
    for agent, feature in AGENT_FEATURES.items():
        if snapshot_feature_enabled(snapshot, feature):
            enabled.add(agent)
    return frozenset(enabled)


def snapshot_feature_enabled(snapshot: ChildSnapshot, feature: Feature) -> bool:
    return feature_enabled(
        feature, controls=snapshot.controls, consents=snapshot.consents, child_active=snapshot.is_active
    )
