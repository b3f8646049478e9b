"""The builtin provider's answer: dispatch a routed message to its agent and fill in what the pipeline needs.

The pipeline always calls this (it is cheap and offline) and uses it either as the answer or as the fallback
when an LLM provider fails, so it must never raise and never leak an error to a child. Whatever the agent,
the reply carries the facts to remember from the message, whether the child asked us to forget, the subject
and emotion of the routing decision, and ``escalate`` when the feeling reading says a guardian must know.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from . import chat, edu, emotion, memory, story
from .textutil import conversation_language
from .types import AgentContext, AgentName, AgentReply, RouteDecision

logger = logging.getLogger(__name__)

_SAFE_FALLBACK = {
    "zh": "我刚才走神了一下，能再说一遍吗？",
    "en": "Oops, my mind wandered for a second — could you say that again?",
}
_CARE = {
    "zh": "我听到你现在心里很不好受。请马上去找爸爸妈妈、老师或者你信任的大人，告诉他们你的感受。",
    "en": "It sounds like you're having a really hard time. Please go and tell your mum, dad, a teacher or another "
    "adult you trust how you feel, right now.",
}


def _redirect_from(ctx: AgentContext, decision: RouteDecision) -> str | None:
    """The switched-off agent a message was really meant for (so chat can say so kindly), if any."""
    chat_score = decision.scores.get(AgentName.CHAT.value, 1.0)
    best: tuple[float, str] | None = None
    for agent in (AgentName.EMOTION, AgentName.EDU, AgentName.STORY):
        score = decision.scores.get(agent.value, 0.0)
        if agent not in ctx.enabled and score > chat_score + 0.5 and (best is None or score > best[0]):
            best = (score, agent.value)
    if decision.agent not in (AgentName.CHAT, AgentName.SAFETY) and decision.agent not in ctx.enabled:
        return decision.agent.value
    return best[1] if best else None


def _dispatch(ctx: AgentContext, decision: RouteDecision, agent: AgentName, lang: str) -> AgentReply:
    liked = memory.liked_things(ctx, lang)
    if agent == AgentName.EDU:
        return edu.respond(ctx, decision, lang)
    if agent == AgentName.EMOTION:
        return emotion.respond(ctx, decision, lang, liked=liked)
    if agent == AgentName.STORY:
        return story.respond(ctx, decision, lang, liked=liked)
    return chat.respond(ctx, decision, lang, liked=liked, redirect_from=_redirect_from(ctx, decision))


def respond(ctx: AgentContext, decision: RouteDecision) -> AgentReply:
    """The builtin reply to ``ctx`` as routed by ``decision``; never raises.

    A disabled (or SAFETY) agent is answered by chat. ``session_state`` in the reply, when not None, is the
    whole new state of the session (not a patch).
    """
    lang = conversation_language(ctx)
    agent = decision.agent
    if agent == AgentName.SAFETY or (agent != AgentName.CHAT and agent not in ctx.enabled):
        agent = AgentName.CHAT
    try:
        reply = _dispatch(ctx, decision, agent, lang)
    except Exception as exc:
        # Never the child's words in logs, and an exception's message may quote its input: the
        # agent and the exception type only.
        logger.error("builtin agent %s failed (%s); answered with the safe fallback", agent.value, type(exc).__name__)
        reply = AgentReply(_SAFE_FALLBACK[lang], AgentName.CHAT)
    forget = memory.is_forget_request(ctx.text or "")
    memories = () if forget else tuple(memory.extract(ctx.text or "", lang))
    reading = decision.emotion or reply.emotion
    escalate = reply.escalate or emotion.needs_escalation(reading)
    text = reply.text
    if escalate and reply.agent != AgentName.EMOTION:
        text = _CARE[lang] + ("" if lang == "zh" else " ") + text
    subject = (decision.subject or reply.subject) if reply.agent == AgentName.EDU else None
    return replace(
        reply,
        text=text,
        subject=subject,
        emotion=reading,
        escalate=escalate,
        memories=memories,
        forget=forget,
    )
