"""The LLM routing classifier: only with a provider, only when the keyword router is unsure, and
never able to pick an agent the parent switched off."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.services.controls import controls_update
from conversations.agents.classify import classifier_messages, is_confident, parse_choice
from conversations.agents.types import AgentName, RouteDecision
from conversations.models import Message
from tests.factories import bearer, make_child, make_parent, pair_device

MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ALL = frozenset(AgentName) - {AgentName.SAFETY}


@pytest.fixture
def device(db, fake_openai, settings):
    with time_machine.travel(MORNING, tick=False):
        parent = make_parent("route.parent@example.com")
        child = make_child(parent, name="Rory", age=9)
        _device, tokens = pair_device(parent, child)
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    return parent, child, tokens


def _chat(tokens, text):
    with time_machine.travel(MORNING, tick=False):
        from accounts.models import Device
        from accounts.tokens import ChildRefreshToken, token_pair

        access = token_pair(ChildRefreshToken.for_device(Device.objects.get(pk=tokens["device"])))["access"]
        return bearer(APIClient(), access).post("/api/v1/chat/", {"text": text}, format="json").json()


@pytest.fixture
def tokens(device):
    parent, child, pair = device
    from accounts.models import Device

    return {"device": Device.objects.get(child=child).pk}


def test_an_unsure_router_asks_the_llm_and_the_stored_row_says_who_answered(device, tokens, fake_openai):
    fake_openai.set_mode("normal", text="story")
    body = _chat(tokens, "嗯嗯")
    assert body["reply"]["agent"] == "story"
    assert Message.objects.get(pk=body["message"]["id"]).agent == "story"
    classification = fake_openai.requests[0]
    assert classification.json["max_tokens"] == 5
    assert "嗯嗯" in " ".join(classification.contents("user"))
    assert "嗯嗯" not in " ".join(classification.contents("system"))


def test_a_confident_router_does_not_ask(device, tokens, fake_openai):
    fake_openai.set_mode("normal", text="8")
    body = _chat(tokens, "3加5等于几")
    assert body["reply"]["agent"] == "edu"
    assert len(fake_openai.requests) == 1  # only the reply itself


def test_the_llm_cannot_pick_a_switched_off_agent(device, tokens, fake_openai):
    parent, child, _pair = device
    controls_update(actor=parent, child=child, data={"stories_enabled": False})
    fake_openai.set_mode("normal", text="story")
    assert _chat(tokens, "嗯嗯")["reply"]["agent"] != "story"


def test_a_failing_classifier_keeps_the_keyword_decision(device, tokens, fake_openai, settings):
    settings.LLM_MAX_RETRIES = 0
    fake_openai.set_mode("error_500")
    body = _chat(tokens, "嗯嗯")
    assert body["reply"]["agent"] == "chat"
    assert body["refusal"] is None


def test_pure_helpers():
    unsure = RouteDecision(agent=AgentName.CHAT, scores={"chat": 3.0, "edu": 2.5, "story": 0.0, "emotion": 0.0})
    no_signal = RouteDecision(agent=AgentName.CHAT, scores={"chat": 1.0, "edu": 0.0, "story": 0.0, "emotion": 0.0})
    small_talk = RouteDecision(agent=AgentName.CHAT, scores={"chat": 3.0, "edu": 0.0, "story": 0.0, "emotion": 0.0})
    assert not is_confident(no_signal) and is_confident(small_talk)
    sure = RouteDecision(agent=AgentName.EDU, scores={"chat": 1.0, "edu": 4.0, "story": 0.0, "emotion": 0.0})
    assert not is_confident(unsure) and is_confident(sure)
    assert parse_choice("Story.", ALL) == AgentName.STORY
    assert parse_choice("I think EDU", ALL) == AgentName.EDU
    assert parse_choice("story", frozenset({AgentName.CHAT})) is None
    assert parse_choice("banana", ALL) is None
    messages = classifier_messages("tell me", frozenset({AgentName.CHAT, AgentName.EDU}))
    assert [m.role for m in messages] == ["system", "user"]
    assert "story" not in messages[0].content and "edu" in messages[0].content
