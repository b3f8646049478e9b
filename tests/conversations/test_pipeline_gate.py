"""Parental controls enforced on the server for every message: consent, switched off, quiet
hours, daily/weekly/session minutes, features. A refused message is recorded with its reason."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import ConsentRecord
from accounts.principals import ChildPrincipal
from accounts.services.children import child_update
from accounts.services.consent import consent_grant, consent_withdraw
from accounts.services.controls import controls_update
from accounts.tokens import ChildRefreshToken, token_pair
from conversations.models import Message, UsageDay
from conversations.models.messages import Channel
from conversations.services.pipeline import message_send
from tests.factories import bearer, make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday, 10:00 in Shanghai: inside the default weekday window (07:00-20:30).
WEDNESDAY_MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def family():
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        parent = make_parent("gate.parent@example.com")
        child = make_child(parent, name="Gigi", age=8)
        device, _tokens = pair_device(parent, child)
    return parent, child, device


def _say(device, text="你好", session=None):
    """Tokens are minted at the (travelled) present, as a device would hold a fresh one."""
    body = {"text": text} if session is None else {"text": text, "session": session}
    access = token_pair(ChildRefreshToken.for_device(device))["access"]
    return bearer(APIClient(), access).post("/api/v1/chat/", body, format="json")


def _chat_at(moment, device, text="你好", session=None):
    with time_machine.travel(moment, tick=False):
        return _say(device, text, session)


def test_allowed_message_is_answered_and_both_rows_are_stored(family):
    parent, child, device = family
    response = _chat_at(WEDNESDAY_MORNING, device)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["refusal"] is None
    assert body["reply"]["text"]
    rows = list(Message.objects.filter(child=child).order_by("id").values_list("role", "reply_to_id"))
    assert rows == [("child", None), ("assistant", body["message"]["id"])]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 18, 6, 59, tzinfo=SHANGHAI), "quiet_hours"),  # weekday, before 07:00
        (datetime(2026, 11, 18, 20, 30, tzinfo=SHANGHAI), "quiet_hours"),  # weekday, end is exclusive
        (datetime(2026, 11, 18, 20, 29, tzinfo=SHANGHAI), None),
        (datetime(2026, 11, 21, 7, 30, tzinfo=SHANGHAI), "quiet_hours"),  # Saturday starts at 08:00
        (datetime(2026, 11, 21, 20, 45, tzinfo=SHANGHAI), None),  # Saturday ends at 21:00
    ],
)
def test_quiet_hours_follow_the_family_time_zone(family, moment, expected):
    parent, child, device = family
    response = _chat_at(moment, device)
    assert response.status_code == 200
    assert response.json()["refusal"] == expected


def test_refused_message_is_recorded_with_its_reason_and_not_counted(family):
    parent, child, device = family
    night = datetime(2026, 11, 18, 23, 0, tzinfo=SHANGHAI)
    body = _chat_at(night, device, "还能聊天吗").json()
    assert body["refusal"] == "quiet_hours"
    assert "07:00" in body["reply"]["text"]
    child_row = Message.objects.get(pk=body["message"]["id"])
    assert child_row.refusal_code == "quiet_hours"
    assert Message.objects.get(pk=body["reply"]["id"]).agent == "safety"
    assert not UsageDay.objects.filter(child=child).exists()


def test_daily_limit_counts_real_activity(family):
    parent, child, device = family
    controls_update(actor=parent, child=child, data={"daily_minutes": 5, "session_minutes": 60})
    moment = WEDNESDAY_MORNING
    first = _chat_at(moment, device).json()
    session = first["session"]["id"]
    # Two minutes between messages count fully; a long pause counts only MAX_GAP (2 min).
    for minutes in (2, 4):
        assert _chat_at(moment + timedelta(minutes=minutes), device, session=session).json()["refusal"] is None
    assert UsageDay.objects.get(child=child).seconds == 30 + 120 + 120
    # 270 s used < 300 s allowed: answered (the check is before this message's own time is added).
    assert _chat_at(moment + timedelta(minutes=6), device, session=session).json()["refusal"] is None
    refused = _chat_at(moment + timedelta(minutes=7), device, session=session).json()
    assert refused["refusal"] == "daily_limit"
    assert UsageDay.objects.get(child=child).seconds == 390  # refusals are not counted
    # Tomorrow is a new day in Shanghai.
    assert _chat_at(moment + timedelta(days=1), device).json()["refusal"] is None


def test_weekly_limit(family):
    parent, child, device = family
    controls_update(actor=parent, child=child, data={"weekly_minutes": 10, "daily_minutes": 10})
    UsageDay.objects.create(child=child, day=datetime(2026, 11, 16).date(), seconds=600, messages=10)  # Monday
    assert _chat_at(WEDNESDAY_MORNING, device).json()["refusal"] == "weekly_limit"
    next_monday = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
    assert _chat_at(next_monday, device).json()["refusal"] is None


def test_session_limit(family):
    parent, child, device = family
    controls_update(actor=parent, child=child, data={"session_minutes": 5})
    session = _chat_at(WEDNESDAY_MORNING, device).json()["session"]["id"]
    for minutes in (2, 4, 6):
        assert (
            _chat_at(WEDNESDAY_MORNING + timedelta(minutes=minutes), device, session=session).json()["refusal"] is None
        )
    last = _chat_at(WEDNESDAY_MORNING + timedelta(minutes=7), device, session=session).json()
    assert last["refusal"] == "session_limit"
    fresh = _chat_at(WEDNESDAY_MORNING + timedelta(minutes=7), device).json()
    assert fresh["refusal"] is None


def test_withdrawn_chat_consent_stops_the_next_message(family):
    parent, child, device = family
    assert _chat_at(WEDNESDAY_MORNING, device).json()["refusal"] is None
    consent = ConsentRecord.objects.get(child=child, scope="chat", withdrawn_at__isnull=True)
    consent_withdraw(actor=parent, consent=consent)
    assert _chat_at(WEDNESDAY_MORNING, device).json()["refusal"] == "consent_required"


def test_switched_off_child_is_refused(family):
    parent, child, device = family
    child_update(actor=parent, child=child, data={"is_active": False})
    assert _chat_at(WEDNESDAY_MORNING, device).json()["refusal"] == "child_inactive"


def test_disabled_feature_is_refused_on_its_direct_endpoint_and_avoided_in_chat(family):
    parent, child, device = family
    controls_update(actor=parent, child=child, data={"education_enabled": False})
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        access = token_pair(ChildRefreshToken.for_device(device))["access"]
        direct = bearer(APIClient(), access).post("/api/v1/edu/ask/", {"text": "3加5等于几"}, format="json")
        chat = _say(device, "3加5等于几")
    assert direct.json()["refusal"] == "feature_disabled"
    assert chat.json()["refusal"] is None
    assert chat.json()["reply"]["agent"] != "edu"


def test_limits_use_the_time_zone_the_parent_set(family):
    parent, child, device = family
    controls_update(
        actor=parent,
        child=child,
        data={"time_zone": "Europe/London", "weekday_start": time(7, 0), "weekday_end": time(20, 0)},
    )
    # 10:00 in Shanghai is 02:00 in London: quiet hours there.
    assert _chat_at(WEDNESDAY_MORNING, device).json()["refusal"] == "quiet_hours"


def _spoken(child, device):
    principal = ChildPrincipal(child=child, device=device)
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        return message_send(actor=principal, child_id=child.pk, text="给我讲个故事", channel=Channel.VOICE)


def test_spoken_words_need_the_voice_switch_and_consent_typed_words_do_not(family):
    parent, child, device = family  # the default consents: chat, not voice
    refused = _spoken(child, device)
    assert refused.refusal == "voice_disabled"
    assert refused.message.channel == "voice"
    assert not Message.objects.filter(child=child, role="assistant", refusal_code="").exists()
    typed = _chat_at(WEDNESDAY_MORNING, device)
    assert typed.json()["refusal"] is None
    assert Message.objects.get(pk=typed.json()["message"]["id"]).channel == "text"

    consent_grant(actor=parent, child=child, scope="voice")
    assert _spoken(child, device).refusal is None
    controls_update(actor=parent, child=child, data={"voice_enabled": False})
    assert _spoken(child, device).refusal == "voice_disabled"
