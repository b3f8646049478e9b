"""Messages for the LLM path: one system prompt per agent + the recent turns + the child's message.

Rules that make this safe to send to any OpenAI-compatible model:
- The child's words only ever travel in ``user`` messages. The system text is built from our own templates
  and from data we control (age band, grade, language, subject, detected emotion, story progress). Profile
  names/interests and remembered facts are data too, but they go in sanitised — one line, letters only,
  clipped, quoted — and are labelled as notes, not instructions.
- Safety rules and the AI-disclosure rule are in every system prompt, in the reply language.
- Exact arithmetic is done by our solver and handed to the model as a verified result, so the model explains
  but does not compute.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import arithmetic, story
from .arithmetic import format_number
from .emotion import EMOTION_NAMES_ZH, needs_escalation, needs_trusted_adult
from .prompt_texts import LENGTH, ROLE, RULES
from .subjects import subject_name
from .textutil import band_level, conversation_language
from .types import AgentContext, AgentName, RouteDecision

if TYPE_CHECKING:
    from conversations.providers.base import ChatMessage

# (temperature, max_tokens) per agent: facts cold and short, stories warm and longer.
AGENT_PARAMS: dict[AgentName, tuple[float, int]] = {
    AgentName.EDU: (0.3, 400),
    AgentName.EMOTION: (0.6, 300),
    AgentName.STORY: (0.9, 500),
    AgentName.CHAT: (0.7, 200),
    AgentName.SAFETY: (0.2, 200),
}
HISTORY_TURNS = 12
MAX_NOTES = 5
_MATH_CHARS = re.compile(r"[^0-9xy□+\-×÷/().= ]")
_UNSAFE_NOTE_CHARS = re.compile(r"[^\w\s\u4e00-\u9fff,.'’\-·]")


def _note(text: str, limit: int = 30) -> str:
    """Data about the child made safe to place in a system prompt: one line, no markup, clipped."""
    flat = _UNSAFE_NOTE_CHARS.sub("", " ".join(str(text).split()))
    return flat[:limit]


def _profile_lines(ctx: AgentContext, lang: str) -> list[str]:
    profile = ctx.profile
    zh = lang == "zh"
    grade = profile.grade
    lines = [
        ("资料：" if zh else "Notes:"),
        (f"- 年龄段：{profile.age_band} 岁" if zh else f"- Age band: {profile.age_band}")
        + ((f"，{grade} 年级" if zh else f", grade {grade}") if grade else ""),
        f"- 名字：“{_note(profile.display_name, 20)}”" if zh else f'- Name: "{_note(profile.display_name, 20)}"',
    ]
    interests = [i for i in (_note(x, 20) for x in profile.interests[:5]) if i]
    if interests:
        quoted = "、".join(f"“{i}”" for i in interests) if zh else ", ".join(f'"{i}"' for i in interests)
        lines.append(f"- 兴趣：{quoted}" if zh else f"- Interests: {quoted}")
    notes = [n for n in (_note(m.text) for m in ctx.memories[:MAX_NOTES]) if n]
    if notes:
        quoted = "；".join(f"“{n}”" for n in notes) if zh else "; ".join(f'"{n}"' for n in notes)
        lines.append(f"- 孩子以前提到过：{quoted}" if zh else f"- The child mentioned before: {quoted}")
    return lines


def _agent_lines(ctx: AgentContext, decision: RouteDecision, agent: AgentName, lang: str) -> list[str]:
    zh = lang == "zh"
    lines: list[str] = []
    if agent == AgentName.EDU:
        lines.append(
            f"科目：{subject_name(decision.subject, lang)}。"
            if zh
            else f"Subject: {subject_name(decision.subject, lang)}."
        )
        solution = arithmetic.solve(ctx.text)
        if solution is not None and solution.answer is not None and solution.kind in ("value", "equation", "check"):
            answer = format_number(solution.answer, prefer_fraction=solution.prefer_fraction)
            problem = _MATH_CHARS.sub("", solution.problem)[:80]  # digits and operators only
            if zh:
                lines.append(
                    f"已验证的精确结果：{problem} 的答案是 {answer}。"
                    "请用这个结果讲解步骤，不要自己重新计算出不同的答案。"
                )
            else:
                lines.append(
                    f"Verified exact result: the answer to {problem} is {answer}. "
                    "Explain the steps using this result; do not compute a different answer."
                )
        elif solution is not None and solution.kind == "incomplete":
            lines.append(
                "这道题有好几步，精确计算器没能读懂整道题：不要只算其中一部分就当作答案，"
                "请和孩子一起把每一步写成算式，一步一步来。"
                if zh
                else "This question has several steps and the exact calculator could not read all of it: do not "
                "answer one part as if it were the whole; work through it with the child one step at a time."
            )
        elif solution is not None and solution.kind == "div_zero":
            lines.append(
                "这道题要除以 0：请温和地解释为什么不能除以 0。"
                if zh
                else "This asks to divide by zero: kindly explain why that is not possible."
            )
    elif agent == AgentName.EMOTION and decision.emotion is not None:
        reading = decision.emotion
        label = EMOTION_NAMES_ZH.get(reading.label, reading.label) if zh else reading.label
        lines.append(
            f"识别到的情绪：{label}（强度 {reading.intensity:.1f}/1）。"
            if zh
            else f"Detected feeling: {label} (intensity {reading.intensity:.1f}/1)."
        )
        if needs_escalation(reading):
            lines.append(
                "孩子现在可能非常难受：请温柔地安慰，并明确鼓励他们马上去找一位信任的大人说出感受。"
                if zh
                else "The child may be in real distress: comfort them gently and clearly encourage them to go to "
                "a trusted adult right now."
            )
        elif needs_trusted_adult(reading):
            lines.append(
                "请提到可以告诉爸爸妈妈、老师或信任的大人。"
                if zh
                else "Mention that they can tell a parent, teacher or trusted adult."
            )
    elif agent == AgentName.STORY:
        current = story.story_state(ctx.session_state)
        if current is not None:
            beat = current["step"] + 1
            if zh:
                lines.append(
                    f"正在讲的故事世界：{current['world']}，已经讲到第 {beat} 段（共 {story.BEATS + 1} 段）。"
                    "根据孩子的选择继续讲下一段。"
                )
            else:
                lines.append(
                    f"Story in progress: world {current['world']}, part {beat} of {story.BEATS + 1}. "
                    "Continue with the next part based on the child's choice."
                )
        else:
            lines.append("开始一个新的、温暖的故事。" if zh else "Start a new, warm story.")
    return lines


def system_prompt(ctx: AgentContext, decision: RouteDecision) -> str:
    """The system text for ``decision.agent`` (built only from our templates and sanitised data)."""
    lang = conversation_language(ctx)
    agent = decision.agent if decision.agent in ROLE[lang] else AgentName.CHAT
    zh = lang == "zh"
    parts = [
        ROLE[lang][agent],
        "请用简体中文回答。" if zh else "Reply in English.",
        LENGTH[lang][band_level(ctx.profile)] + ("不要使用 Markdown 格式。" if zh else " Do not use Markdown."),
        *RULES[lang],
        *_agent_lines(ctx, decision, agent, lang),
        *_profile_lines(ctx, lang),
    ]
    return "\n".join(parts)


def build_messages(ctx: AgentContext, decision: RouteDecision) -> list[ChatMessage]:
    """System prompt, then the last ``HISTORY_TURNS`` turns as user/assistant, then the child's message."""
    # Imported here: the providers package pulls in Django settings (its registry); the agents stay importable
    # (and testable) without Django, and only the LLM path needs the message type.
    from conversations.providers.base import ChatMessage

    messages = [ChatMessage(role="system", content=system_prompt(ctx, decision))]
    for turn in ctx.history[-HISTORY_TURNS:]:
        if turn.text and turn.text.strip():
            messages.append(ChatMessage(role="assistant" if turn.role == "assistant" else "user", content=turn.text))
    messages.append(ChatMessage(role="user", content=ctx.text or ""))
    return messages
