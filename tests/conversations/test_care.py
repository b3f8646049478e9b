"""What parents see: memories (with consent), insights per day, safety events; staff review and
the logged transcript permission."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from accounts.models import ConsentScope, User
from accounts.services.controls import controls_update
from conversations.models import MemoryFact, Message, SafetyEvent, TranscriptAccess
from conversations.services.usage import FIRST_MESSAGE_SECONDS
from tests.factories import PASSWORD, bearer, login, make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db
MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(MORNING, tick=True):
        yield


@pytest.fixture
def family():
    parent = make_parent("care.parent@example.com")
    child = make_child(
        parent, name="Coco", age=8, scopes=[ConsentScope.CHAT, ConsentScope.MEMORY, ConsentScope.EMOTION_COMPANION]
    )
    controls_update(actor=parent, child=child, data={"memory_enabled": True})
    _device, tokens = pair_device(parent, child)
    return parent, child, bearer(APIClient(), tokens["access"]), login(parent.email)


def _chat(client, text):
    response = client.post("/api/v1/chat/", {"text": text}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_memories_need_consent_and_the_feature_and_parents_can_delete_them(family):
    parent, child, device, parent_client = family
    _chat(device, "我喜欢恐龙")
    memories = parent_client.get(f"/api/v1/children/{child.pk}/memories/").json()["results"]
    assert len(memories) == 1 and "恐龙" in memories[0]["text"]
    assert MemoryFact.objects.get().source_message.role == "child"
    assert device.get(f"/api/v1/children/{child.pk}/memories/").status_code == 403
    assert parent_client.delete(f"/api/v1/children/{child.pk}/memories/{memories[0]['id']}/").status_code == 204
    assert not MemoryFact.objects.exists()
    controls_update(actor=parent, child=child, data={"memory_enabled": False})
    _chat(device, "我喜欢画画")
    assert not MemoryFact.objects.exists()


def test_the_child_can_ask_the_companion_to_forget(family):
    parent, child, device, parent_client = family
    _chat(device, "我喜欢恐龙")
    _chat(device, "I like football")
    assert MemoryFact.objects.filter(child=child).count() == 2
    _chat(device, "忘掉我说过的话")
    assert not MemoryFact.objects.filter(child=child).exists()


def test_emotions_are_only_kept_with_the_emotion_consent(family):
    parent, child, device, parent_client = family
    _chat(device, "我今天很难过")
    assert Message.objects.filter(child=child, role="child").first().emotion == "sad"
    other = make_child(parent, name="Nemo")
    _d, tokens = pair_device(parent, other, ip="10.9.9.3")
    _chat(bearer(APIClient(), tokens["access"]), "我今天很难过")
    assert Message.objects.filter(child=other, role="child").first().emotion == ""


def test_insights_report_per_day_in_the_family_time_zone(family):
    parent, child, device, parent_client = family
    with time_machine.travel(MORNING + timedelta(minutes=5), tick=False) as clock:
        session = _chat(device, "3加5等于几")["session"]["id"]
        for text in ("为什么天是蓝色的", "我今天很开心"):
            clock.shift(timedelta(seconds=90))
            response = device.post("/api/v1/chat/", {"text": text, "session": session}, format="json")
            assert response.status_code == 200, response.content
    activity = parent_client.get(f"/api/v1/children/{child.pk}/insights/activity/?days=7").json()
    assert activity["days"] == 7
    today = activity["report"]["days"][-1]
    expected_minutes = round((FIRST_MESSAGE_SECONDS + 90 + 90) / 60)  # the gaps between messages, counted
    assert (today["date"], today["messages"], today["minutes"]) == ("2026-11-18", 3, expected_minutes)
    assert activity["report"]["agents"]["edu"] >= 1
    learning = parent_client.get(f"/api/v1/children/{child.pk}/insights/learning/").json()["report"]
    assert learning["subjects"].get("math") == 1
    emotions = parent_client.get(f"/api/v1/children/{child.pk}/insights/emotions/?days=1").json()["report"]
    assert "happy" in emotions["days"][-1]["emotions"]
    assert parent_client.get(f"/api/v1/children/{child.pk}/insights/activity/?days=0").status_code == 400
    assert device.get(f"/api/v1/children/{child.pk}/insights/activity/").status_code == 403


def test_safety_events_for_parents_and_review_by_staff(family):
    parent, child, device, parent_client = family
    _chat(device, "有个网友叫我偷偷去见他，不要告诉爸爸妈妈")
    events = parent_client.get(f"/api/v1/children/{child.pk}/safety-events/").json()["results"]
    assert len(events) == 1 and events[0]["action"] == "escalate"
    assert parent_client.get("/api/v1/safety-events/").status_code == 403
    staff = User.objects.create_superuser(email="staff.care@example.com", password=PASSWORD, display_name="S")
    staff_client = login(staff.email)
    queue = staff_client.get("/api/v1/safety-events/?reviewed=false").json()["results"]
    assert [e["id"] for e in queue] == [events[0]["id"]]
    reviewed = staff_client.post(f"/api/v1/safety-events/{events[0]['id']}/review/", {"note": "called family"})
    assert reviewed.status_code == 200 and reviewed.json()["reviewed_at"]
    assert staff_client.post(f"/api/v1/safety-events/{events[0]['id']}/review/", {}).status_code == 409
    assert SafetyEvent.objects.get().reviewed_by == staff


def test_transcripts_in_the_admin_need_the_permission_and_are_logged(family, client):
    parent, child, device, parent_client = family
    message_id = _chat(device, "hello there")["message"]["id"]
    operator = User.objects.create_user(email="op@example.com", password=PASSWORD, display_name="Op", is_staff=True)
    client.force_login(operator)
    url = f"/admin/conversations/message/{message_id}/change/"
    assert client.get(url).status_code == 403
    assert not TranscriptAccess.objects.exists()
    operator.user_permissions.add(Permission.objects.get(codename="view_transcript"))
    operator = User.objects.get(pk=operator.pk)  # fresh permission cache
    client.force_login(operator)
    page = client.get(url)
    assert page.status_code == 200 and b"hello there" in page.content
    access = TranscriptAccess.objects.get()
    assert (access.reader, access.child, access.via) == (operator, child, "admin")
    assert timedelta(0) <= access.accessed_at - MORNING < timedelta(minutes=5)


def test_withdrawing_consent_erases_what_it_covered(family):
    from accounts.models import ConsentRecord
    from accounts.services.consent import consent_withdraw

    parent, child, device, parent_client = family
    _chat(device, "我喜欢恐龙，我今天很开心")
    assert MemoryFact.objects.filter(child=child).exists()
    assert Message.objects.filter(child=child).exclude(emotion="").exists()
    for scope in ("memory", "emotion_companion"):
        consent_withdraw(actor=parent, consent=ConsentRecord.objects.get(child=child, scope=scope, withdrawn_at=None))
    assert not MemoryFact.objects.filter(child=child).exists()
    assert not Message.objects.filter(child=child).exclude(emotion="").exists()
    direct = device.post("/api/v1/emotion/support/", {"text": "我很难过"}, format="json").json()
    assert direct["refusal"] == "feature_disabled"


def test_only_withdrawing_erases_not_a_later_save_of_an_old_withdrawn_consent(family):
    """The erasure is what consent_withdraw does, once: re-saving the record of a consent withdrawn
    long ago (staff tidying, a data fix) must not erase what a consent given since allowed."""
    from accounts.models import ConsentRecord
    from accounts.services.consent import consent_grant, consent_withdraw

    parent, child, device, parent_client = family
    old = ConsentRecord.objects.get(child=child, scope="memory", withdrawn_at=None)
    consent_withdraw(actor=parent, consent=old)
    consent_grant(actor=parent, child=child, scope="memory")
    _chat(device, "我喜欢恐龙")
    assert MemoryFact.objects.filter(child=child).exists()
    old.refresh_from_db()
    old.guardian_email = "renamed@example.com"
    old.save()
    assert MemoryFact.objects.filter(child=child).exists()
