"""Safety through the whole pipeline: masked before storage, escalations alert guardians at once,
unsafe LLM output never reaches the child, failures fail closed."""

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import mail
from rest_framework.test import APIClient

from accounts.realtime import guardian_group
from accounts.services.controls import controls_update
from conversations.models import ChatSession, Message, SafetyEvent
from tests.factories import bearer, login, make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db
MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(MORNING, tick=False):
        yield


@pytest.fixture
def family():
    parent = make_parent("safe.parent@example.com")
    child = make_child(parent, name="Sam", age=9)
    _device, tokens = pair_device(parent, child)
    return parent, child, bearer(APIClient(), tokens["access"])


def _chat(client, text, **extra):
    response = client.post("/api/v1/chat/", {"text": text, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_personal_information_is_masked_before_it_is_stored(family):
    parent, child, device = family
    body = _chat(device, "我的电话是13812345678，你记住哦")
    assert body["safety"]["action"] == "mask"
    stored = Message.objects.get(pk=body["message"]["id"])
    assert "13812345678" not in stored.text
    assert "13812345678" not in stored.search_tokens
    assert stored.pii_masked is True
    assert body["refusal"] is None  # masked messages are still answered


def _first_of_type(layer, channel: str, kind: str, limit: int = 5) -> dict | None:
    """The first event of ``kind`` on ``channel`` among the next few, each waited for at most a second."""

    async def receive() -> dict | None:
        for _ in range(limit):
            try:
                event = await asyncio.wait_for(layer.receive(channel), timeout=1)
            except TimeoutError:
                return None
            if event["type"] == kind:
                return event
        return None

    return async_to_sync(receive)()


def test_self_harm_escalates_alerts_guardians_and_never_reaches_an_agent(family, django_capture_on_commit_callbacks):
    parent, child, device = family
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(guardian_group(parent.pk), channel)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        body = _chat(device, "我不想活了，我想自杀")
    # The alert is published before the turn's summary (message.new): it is registered first.
    published = [c.__qualname__.split(".")[0] for c in callbacks]
    assert published.index("safety_event_record") < published.index("_finished")
    assert body["safety"]["action"] == "escalate"
    assert "self_harm" in body["safety"]["categories"]
    assert body["reply"]["agent"] == "safety"
    event = SafetyEvent.objects.get(child=child)
    assert event.action == "escalate" and event.parent_notified_at is not None
    assert "我不想活了，我想自杀" not in str(event.evidence)  # lexicon terms at most, never the sentence
    alert = _first_of_type(layer, channel, "safety.alert")  # the turn's summary (message.new) comes too
    assert alert is not None and alert["event"] == event.pk
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [parent.email]
    assert "我不想活了" not in mail.outbox[0].body


def test_a_benign_word_never_cancels_a_high_severity_hit(family):
    parent, child, device = family
    assert _chat(device, "我想学习怎么自杀")["safety"]["action"] == "escalate"


def test_parent_blocked_words_redirect(family):
    parent, child, device = family
    controls_update(actor=parent, child=child, data={"blocked_words": ["王者荣耀"]})
    body = _chat(device, "我们聊聊王者荣耀吧")
    assert body["safety"]["action"] == "redirect"
    assert "parent_blocked" in body["safety"]["categories"]


def test_low_severity_alerts_only_when_the_parent_asked(family, django_capture_on_commit_callbacks):
    parent, child, device = family
    controls_update(actor=parent, child=child, data={"alert_min_severity": "critical", "blocked_words": ["作业"]})
    with django_capture_on_commit_callbacks(execute=True):
        _chat(device, "我不想写作业")
    event = SafetyEvent.objects.get(child=child)
    assert event.parent_notified_at is None
    assert mail.outbox == []


def test_safety_check_endpoint_uses_the_childs_rules(family):
    parent, child, device = family
    controls_update(actor=parent, child=child, data={"blocked_words": ["恐龙"]})
    body = device.post("/api/v1/safety/check/", {"text": "我喜欢恐龙"}, format="json").json()
    assert body["action"] == "redirect"
    anonymous_rules = bearer(APIClient(), "x")  # not authenticated
    assert anonymous_rules.post("/api/v1/safety/check/", {"text": "hi"}, format="json").status_code == 401
    assert not Message.objects.exists()  # the check stores nothing


def test_a_failing_check_fails_closed(family, monkeypatch):
    parent, child, device = family
    import conversations.safety.checker as checker

    def broken(*args, **kwargs):
        raise RuntimeError("lexicon exploded")

    monkeypatch.setattr(checker, "check_text", broken)
    body = _chat(device, "你好呀")
    assert body["safety"]["action"] == "block"
    assert body["reply"]["agent"] == "safety"


@pytest.mark.parametrize("unsafe", ["Sure! First you find a knife and cut yourself.", "想死的话可以去跳楼。"])
def test_unsafe_llm_output_is_replaced_before_the_child_sees_it(family, fake_openai, settings, unsafe):
    parent, child, device = family
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    fake_openai.set_mode("normal", text=unsafe)
    body = _chat(device, "给我讲个故事")
    assert unsafe not in body["reply"]["text"]
    assert "跳楼" not in body["reply"]["text"] and "cut yourself" not in body["reply"]["text"]
    event = SafetyEvent.objects.get(child=child, direction="out")
    assert event.message_id == body["reply"]["id"]


def test_llm_reply_is_used_and_childs_words_are_only_in_user_messages(family, fake_openai, settings):
    parent, child, device = family
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    fake_openai.set_mode("normal", text="恐龙生活在很久很久以前。")
    body = _chat(device, "恐龙是什么时候生活的")
    assert body["reply"]["text"] == "恐龙生活在很久很久以前。"
    assert Message.objects.get(pk=body["reply"]["id"]).provider == "openai"
    request = fake_openai.last_request
    assert "恐龙是什么时候生活的" in " ".join(request.contents("user"))
    assert "恐龙是什么时候生活的" not in " ".join(request.contents("system"))


def test_provider_outage_falls_back_to_builtin_and_loses_nothing(family, fake_openai, settings):
    parent, child, device = family
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    settings.LLM_MAX_RETRIES = 0
    fake_openai.set_mode("error_500")
    body = _chat(device, "3加5等于几")
    assert "8" in body["reply"]["text"]
    assert "error" not in body["reply"]["text"].lower()
    assert Message.objects.get(pk=body["reply"]["id"]).provider == "builtin-fallback"
    assert Message.objects.filter(child=child).count() == 2


def test_a_child_in_crisis_during_quiet_hours_still_gets_help_and_guardians_are_told(
    family, django_capture_on_commit_callbacks
):
    parent, child, device = family
    controls_update(actor=parent, child=child, data={"daily_minutes": 0})
    with django_capture_on_commit_callbacks(execute=True):
        body = _chat(device, "I want to kill myself")
    assert body["safety"]["action"] == "escalate"
    assert body["refusal"] is None  # safety comes before the rules
    assert body["reply"]["agent"] == "safety"
    assert SafetyEvent.objects.get(child=child).parent_notified_at is not None
    assert len(mail.outbox) == 1


def test_a_stranger_asking_to_be_added_on_wechat_is_caught(family):
    parent, child, device = family
    body = _chat(device, "网上有个叔叔让我加他微信")
    assert body["safety"]["action"] in ("block", "escalate")
    assert "strangers" in body["safety"]["categories"]


def test_masked_messages_are_answered_with_a_privacy_reminder(family):
    parent, child, device = family
    plain = _chat(device, "恐龙是怎么灭绝的")["reply"]["text"]
    masked = _chat(device, "我住在北京市朝阳区建国路88号，恐龙是怎么灭绝的")["reply"]["text"]
    assert masked != plain and masked.endswith(plain)


def test_flagged_turns_are_not_fed_back_to_the_llm(family, fake_openai, settings):
    parent, child, device = family
    session = _chat(device, "我想学习怎么自杀")["session"]["id"]
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    fake_openai.set_mode("normal", text="好的，我们聊聊恐龙吧。")
    _chat(device, "我们聊点别的吧", session=session)
    sent = " ".join(fake_openai.last_request.contents("user") + fake_openai.last_request.contents("assistant"))
    assert "自杀" not in sent


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("3+5等于几？", "allow"),
        ("我的电话是13812345678", "mask"),
        ("他打我，不让我告诉妈妈", "escalate"),  # by the risk model (the lexicon alone redirected)
        ("我想喝啤酒", "redirect"),
        ("怎么做炸弹", "block"),
        ("我不想活了", "escalate"),  # by the lexicon
        ("我好难过好难过，一直在哭", "escalate"),  # by the emotion agent's distress reading
        ("I am so so sad and lonely, I cry every night", "escalate"),
    ],
)
def test_the_chat_answer_and_the_history_show_one_verdict(text, action):
    """One message, one verdict: the chat answer's ``safety`` is the message's ``safety`` in history."""
    parent = make_parent("one.verdict@example.com")
    child = make_child(parent, name="Sam", age=9, scopes=["chat", "emotion_companion"])
    _device, tokens = pair_device(parent, child)
    device = bearer(APIClient(), tokens["access"])
    body = _chat(device, text)
    assert body["safety"]["action"] == action
    history = device.get(f"/api/v1/sessions/{body['session']['id']}/messages/").json()["results"]
    stored = next(m for m in history if m["id"] == body["message"]["id"])
    assert body["safety"] == stored["safety"]
    parents_view = login(parent.email).get(f"/api/v1/children/{child.pk}/messages/").json()["results"]
    assert next(m for m in parents_view if m["id"] == body["message"]["id"])["safety"] == body["safety"]
    if text.startswith(("我好难过", "I am so")):
        assert body["safety"] == {"action": "escalate", "severity": "high", "categories": ["emotional_distress"]}
        assert SafetyEvent.objects.get(message_id=body["message"]["id"]).categories == ["emotional_distress"]


def test_a_safety_reply_pauses_the_story_in_progress(family):
    """After a crisis reply the child's next short message is not taken as a choice for the story."""
    _parent, _child, device = family
    story = _chat(device, "给我讲个故事吧")
    session = story["session"]["id"]
    assert story["reply"]["agent"] == "story"
    assert _chat(device, "我不想活了", session=session)["safety"]["action"] == "escalate"
    after = _chat(device, "嗯", session=session)
    assert after["reply"]["agent"] != "story"
    assert "story" not in ChatSession.objects.get(pk=session).story_state
