"""A week of the demo family's conversations for ``make run``, so a new user opens a living dashboard:
chats, feelings, school questions, minutes against the limit, and one alert to see how one looks.

Written as rows, not through the pipeline: the pipeline answers *now*, under the family's rules of
the hour (``make run`` at night would be quiet hours), and this is history. The rows are what the
pipeline stores (masked text, verdicts, search tokens, usage), on the afternoons of the last 7 days.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import ChildProfile
from conversations.models import ChatSession, Message, MessageRole, SafetyEvent, UsageDay
from conversations.search import search_tokens

logger = logging.getLogger(__name__)

# (child's words, companion's reply, agent, subject, emotion): what a day's chat looks like.
DAYS_ZH = [
    [
        (
            "为什么恐龙会灭绝？",
            "科学家认为，一颗大陨石撞上了地球，天气变得很冷，恐龙找不到食物。",
            "edu",
            "science",
            "neutral",
        ),
        ("好厉害！", "是呀！你最喜欢哪种恐龙？", "chat", "", "excited"),
    ],
    [("3加5等于几？", "3加5等于8。你可以用手指数一数：先数3个，再数5个。", "edu", "math", "neutral")],
    [
        (
            "今天小明不跟我玩了，我好难过",
            "听起来你很难过。被朋友冷落真的不好受。想和我说说发生了什么吗？",
            "emotion",
            "",
            "sad",
        ),
        (
            "他和别人玩了",
            "明天可以试试邀请他一起玩你们都喜欢的游戏。也可以告诉爸爸妈妈你的感受。",
            "emotion",
            "",
            "lonely",
        ),
    ],
    [("给我讲个恐龙的故事", "从前，有一只小三角龙叫豆豆，它最喜欢数星星……", "story", "", "happy")],
    [
        ("12乘3是多少？", "12乘3等于36。可以想成3个12加起来：12+12+12=36。", "edu", "math", "neutral"),
        ("我考试考了一百分！", "太棒了！你一定很努力。为自己鼓鼓掌吧！", "chat", "", "happy"),
    ],
    [
        (
            "明天要考试，我好紧张",
            "紧张是很正常的。我们来做“气球呼吸”：慢慢吸气，像吹气球一样慢慢呼气。",
            "emotion",
            "",
            "anxious",
        )
    ],
    [
        (
            "月亮为什么会变？",
            "月亮自己不发光，它反射太阳的光。我们看到被照亮的部分不同，月亮就像在变形状。",
            "edu",
            "science",
            "neutral",
        )
    ],
]
DAYS_EN = [
    [
        (
            "Tell me a story about space",
            "Once upon a time, a little rocket named Zip wanted to visit the Moon...",
            "story",
            "",
            "excited",
        )
    ],
    [
        (
            "What is 15 plus 27?",
            "15 plus 27 is 42. Add the tens (10 + 20 = 30), then the ones (5 + 7 = 12).",
            "edu",
            "math",
            "neutral",
        )
    ],
    [
        (
            "I feel a bit lonely today",
            "I'm sorry you feel lonely. Would you like to tell me about your day?",
            "emotion",
            "",
            "lonely",
        )
    ],
    [
        (
            "Why is the sky blue?",
            "Sunlight has all colours; the air scatters blue light the most, so we see blue.",
            "edu",
            "science",
            "neutral",
        )
    ],
    [],
    [("I finished my book!", "Well done! What was your favourite part?", "chat", "", "happy")],
    [
        (
            "How far is Mars?",
            "Mars is about 225 million kilometres from Earth on average.",
            "edu",
            "science",
            "surprised",
        )
    ],
]
ALERT_TEXT = "我不想活了"  # on the third day, so the alert page has something to show
ALERT_REPLY = "谢谢你告诉我。你并不孤单。请马上告诉爸爸妈妈或老师。紧急情况可以拨打 110 或 120。"


@transaction.atomic
def demo_history_ensure(*, children: list[ChildProfile], now: datetime | None = None) -> bool:
    """Write the demo week for the demo children, once (False when they have messages already)."""
    if Message.objects.filter(child__in=children).exists():
        return False
    now = now or timezone.now()
    for child in children:
        days = DAYS_ZH if child.language.startswith("zh") else DAYS_EN
        zone = child.controls.zone
        for offset, turns in enumerate(reversed(days)):
            day = now.astimezone(zone).date() - timedelta(days=offset)
            if not turns:
                continue
            started = min(datetime.combine(day, time(17, 0), tzinfo=zone), now - timedelta(hours=1))  # never ahead
            flagged = offset == 2 and days is DAYS_ZH
            _write_day(child, started, turns, flagged=flagged)
    logger.info("demo history written children=%s", len(children))
    return True


def _write_day(
    child: ChildProfile, started: datetime, turns: list[tuple[str, str, str, str, str]], *, flagged: bool
) -> None:
    session = ChatSession.objects.create(child=child, title=turns[0][0][:30], started_at=started)
    at = started
    for text, reply, agent, subject, emotion in turns:
        _pair(session, at, text, reply, agent=agent, subject=subject, emotion=emotion)
        at += timedelta(minutes=3)
    if flagged:
        message = _pair(
            session,
            at,
            ALERT_TEXT,
            ALERT_REPLY,
            agent="safety",
            subject="",
            emotion="sad",
            verdict=("escalate", "critical", ["self_harm"]),
        )
        SafetyEvent.objects.create(
            child=child,
            message=message,
            direction="in",
            categories=["self_harm"],
            severity="critical",
            action="escalate",
            evidence={"terms": ["不想活"], "layers": ["lexicon", "fast"]},
            created_at=at,
            alert_due=True,
            parent_notified_at=at,
        )
        at += timedelta(minutes=3)
    count = Message.objects.filter(session=session).count()
    minutes = max(5, count * 3)
    ChatSession.objects.filter(pk=session.pk).update(
        last_activity_at=at, message_count=count, active_seconds=minutes * 60
    )
    UsageDay.objects.update_or_create(
        child=child, day=started.date(), defaults={"seconds": minutes * 60, "messages": count // 2}
    )


def _pair(
    session: ChatSession,
    at: datetime,
    text: str,
    reply: str,
    *,
    agent: str,
    subject: str,
    emotion: str,
    verdict: tuple[str, str, list[str]] = ("allow", "none", []),
) -> Message:
    action, severity, categories = verdict
    child_message = Message.objects.create(
        session=session,
        child=session.child,
        role=MessageRole.CHILD,
        text=text,
        agent=agent,
        subject=subject,
        emotion=emotion,
        emotion_intensity=0.6 if emotion not in ("", "neutral") else None,
        safety_action=action,
        safety_severity=severity,
        safety_categories=categories,
        search_tokens=" ".join(search_tokens(text)),
        created_at=at,
    )
    Message.objects.create(
        session=session,
        child=session.child,
        reply_to=child_message,
        role=MessageRole.ASSISTANT,
        text=reply,
        agent=agent,
        subject=subject,
        provider="builtin",
        latency_ms=12,
        search_tokens=" ".join(search_tokens(reply)),
        created_at=at + timedelta(seconds=2),
    )
    return child_message
