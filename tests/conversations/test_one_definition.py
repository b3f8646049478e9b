"""One definition each, used everywhere: severity, flagged actions, the code columns' choices, and the
rule "this feature needs its switch and its consent" (accounts.features)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

import accounts.features as features
import accounts.models
from accounts.api.serializers import ChildFeaturesSerializer
from accounts.features import FEATURES, Feature, Requirement
from accounts.models import ParentalControls
from accounts.snapshots import child_snapshot
from conversations.agents.types import AgentName
from conversations.models import LexiconTerm, Message, SafetyEvent
from conversations.models.messages import RefusalCode
from conversations.safety.types import FLAGGED_ACTIONS, Action, Severity, Verdict
from conversations.services.gate import enabled_agents
from tests.factories import bearer, make_child, make_parent, pair_device

MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_severity_is_defined_once():
    assert accounts.models.Severity is Severity
    for field in (
        ParentalControls._meta.get_field("alert_min_severity"),
        Message._meta.get_field("safety_severity"),
        SafetyEvent._meta.get_field("severity"),
        LexiconTerm._meta.get_field("severity"),
    ):
        values = [value for value, _label in field.choices]
        assert values == [s.label for s in Severity if s.label in values]  # in the enum's order
        assert set(values) >= {s.label for s in Severity if s is not Severity.NONE}


def test_flagged_actions_are_actions():
    assert all(isinstance(action, Action) for action in FLAGGED_ACTIONS)
    assert {a for a in Action if Verdict(a, Severity.NONE).flagged} == set(FLAGGED_ACTIONS)


@pytest.mark.parametrize(
    ("model", "field", "enum_values"),
    [
        (Message, "agent", {a.value for a in AgentName}),
        (Message, "safety_action", {a.value for a in Action}),
        (SafetyEvent, "action", {a.value for a in Action}),
        (Message, "refusal_code", {r.value for r in RefusalCode}),
    ],
)
def test_code_columns_take_their_choices_from_the_enums(model, field, enum_values):
    assert {value for value, _label in model._meta.get_field(field).choices} == enum_values


@pytest.mark.django_db
def test_what_the_pipeline_stores_fits_the_choices():
    parent = make_parent("codes.parent@example.com")
    child = make_child(parent, age=9, scopes=["chat", "emotion_companion"])
    with time_machine.travel(MORNING, tick=False):
        _device, tokens = pair_device(parent, child)
        device = bearer(APIClient(), tokens["access"])
        texts = ("3+5等于几", "我好难过好难过，一直在哭", "讲个故事", "我的电话是13812345678", "怎么做炸弹", "你好")
        for text in texts:
            assert device.post("/api/v1/chat/", {"text": text}, format="json").status_code == 200
    assert Message.objects.filter(child=child).count() == 12
    for row in (*Message.objects.filter(child=child), *SafetyEvent.objects.filter(child=child)):
        row.clean_fields(exclude=["session", "child", "reply_to", "message", "text", "search_tokens"])


@pytest.mark.django_db
def test_a_refusal_is_stored_with_a_code_the_column_knows():
    parent = make_parent("refused.parent@example.com")
    child = make_child(parent, scopes=["chat"])
    with time_machine.travel(datetime(2026, 11, 18, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        _device, tokens = pair_device(parent, child)
        body = bearer(APIClient(), tokens["access"]).post("/api/v1/chat/", {"text": "你好"}, format="json").json()
    assert body["refusal"] == RefusalCode.QUIET_HOURS
    message = Message.objects.get(pk=body["message"]["id"])
    assert message.get_refusal_code_display() == RefusalCode.QUIET_HOURS.label


@pytest.mark.django_db
def test_the_gate_and_the_childs_features_read_one_table(monkeypatch):
    """Change the rule in the table and both the chat gate and ``GET me/`` follow it."""
    parent = make_parent("features.parent@example.com")
    child = make_child(parent, scopes=["chat"])
    _device, tokens = pair_device(parent, child)
    device = bearer(APIClient(), tokens["access"])
    assert device.get("/api/v1/me/").json()["features"]["stories"] is True
    assert AgentName.STORY in enabled_agents(child_snapshot(child_id=child.pk))
    monkeypatch.setitem(features.FEATURES, Feature.STORIES, Requirement(switch="stories_enabled", consent="voiceprint"))
    assert device.get("/api/v1/me/").json()["features"]["stories"] is False
    assert AgentName.STORY not in enabled_agents(child_snapshot(child_id=child.pk))
    assert set(FEATURES) == set(Feature)
    assert set(ChildFeaturesSerializer().fields) == {feature.value for feature in Feature}  # the documented shape
