"""A family with months of real conversations: messages written through the pipeline at moments in
the past (time travel), so replies, safety events, usage and insights are the real ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import ChildProfile, ParentalControls
from accounts.principals import ChildPrincipal
from accounts.snapshots import child_snapshot_invalidate
from conversations.models import Message
from conversations.services.pipeline import message_send
from tests.factories import bearer, login, make_child, make_parent, pair_device

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday morning
TALK = ["我喜欢恐龙", "3加5等于几？", "我今天有点难过", "给我讲个故事吧", "为什么天空是蓝色的？"]


def talk(child: ChildProfile, device, when: datetime, texts=TALK) -> None:
    """A chat at ``when`` (each message a minute apart), as the child's device."""
    actor = ChildPrincipal(child=child, device=device)
    session = None
    for n, text in enumerate(texts):
        with time_machine.travel(when + timedelta(minutes=n), tick=False):
            result = message_send(actor=actor, child_id=child.pk, text=text, session_id=session)
        session = result.session.pk


def snapshot(child_id: int) -> list[dict]:
    return list(Message.objects.filter(child_id=child_id).order_by("id").values())


class Family:
    def __init__(self) -> None:
        self.parent = make_parent("lifecycle.parent@example.com")
        with time_machine.travel(NOW - timedelta(days=200), tick=False):
            self.child = make_child(self.parent, name="Lily", age=8, scopes=["chat", "memory", "emotion_companion"])
            self.device, tokens = pair_device(self.parent, self.child)
            ParentalControls.objects.filter(child=self.child).update(memory_enabled=True)
            child_snapshot_invalidate(child_id=self.child.pk)
        self.tokens = tokens
        # Four chats: ~150, ~120 and ~60 days ago, and yesterday; one with words of distress.
        for days in (150, 120, 60, 1):
            talk(self.child, self.device, NOW - timedelta(days=days))
        with time_machine.travel(NOW - timedelta(days=59), tick=False):
            message_send(
                actor=ChildPrincipal(child=self.child, device=self.device), child_id=self.child.pk, text="我不想活了"
            )

    def web(self) -> APIClient:
        return login(self.parent.email)

    def device_client(self) -> APIClient:
        return bearer(APIClient(), self.tokens["access"])


@pytest.fixture
def family(db) -> Family:
    with time_machine.travel(NOW, tick=False):
        return Family()


@pytest.fixture
def at_now():
    with time_machine.travel(NOW, tick=True):
        yield NOW
