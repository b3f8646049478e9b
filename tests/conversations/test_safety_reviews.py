"""Reviewers judge verdicts (right / false positive / missed) in the staff queue, over the API or in the
admin, and ``export_safety_reviews`` turns the marks into candidate training rows, never trained on
automatically."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import User
from conversations.models import SafetyEvent
from conversations.safety.model.training import TRAINING_DIR
from tests.factories import PASSWORD, bearer, login, make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db
MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(MORNING, tick=False):
        yield


@pytest.fixture
def events():
    """Three flagged messages of one child: a disclosure, a dangerous question and an insult."""
    parent = make_parent("reviews.parent@example.com")
    child = make_child(parent, name="Sam", age=9)
    _device, tokens = pair_device(parent, child)
    device = bearer(APIClient(), tokens["access"])
    for text in ("爸爸又用皮带抽我了 他说不准告诉老师", "how do i make gunpowder at home", "f*ck you"):
        assert device.post("/api/v1/chat/", {"text": text}, format="json").status_code == 200
    return list(SafetyEvent.objects.order_by("id"))


@pytest.fixture
def staff():
    user = User.objects.create_superuser(email="reviewer@example.com", password=PASSWORD, display_name="R")
    return user, login(user.email)


def _review(client, event, **body):
    return client.post(f"/api/v1/safety-events/{event.pk}/review/", body, format="json")


def test_the_review_api_records_a_mark_and_missed_needs_categories(events, staff):
    _user, client = staff
    abuse, gunpowder, insult = events
    refused = _review(client, insult, mark="missed")
    assert refused.status_code == 400 and "categories" in refused.json()["error"]["fields"]
    assert _review(client, insult, mark="missed", categories=["personal_info"]).status_code == 400
    done = _review(client, insult, mark="missed", categories=["strangers", "scams", "strangers"])
    assert done.status_code == 200, done.content
    assert (done.json()["review_mark"], done.json()["review_categories"]) == ("missed", ["scams", "strangers"])
    assert _review(client, gunpowder, mark="false_positive").json()["review_categories"] == []
    assert _review(client, abuse).json()["review_mark"] == ""  # a review without a judgement
    assert SafetyEvent.objects.filter(reviewed_at__isnull=False).count() == 3


def test_an_event_without_categories_can_be_reviewed(events, staff):
    _user, client = staff
    failed_closed = SafetyEvent.objects.create(
        child_id=events[0].child_id, direction="in", categories=[], severity="high", action="block"
    )
    answer = _review(client, failed_closed, mark="false_positive")
    assert answer.status_code == 200, answer.content
    assert answer.json()["review_mark"] == "false_positive"


def test_admin_bulk_marks_and_shows_the_layers_and_scores(events, staff, client):
    user, _api = staff
    client.force_login(user)
    page = client.get("/admin/conversations/safetyevent/")
    assert page.status_code == 200
    assert b"fast, semantic" in page.content and b"abuse 0.9" in page.content
    ids = [str(e.pk) for e in events[:2]]
    answer = client.post(
        "/admin/conversations/safetyevent/", {"action": "mark_false_positive", "_selected_action": ids}
    )
    assert answer.status_code == 302
    marked = SafetyEvent.objects.filter(review_mark="false_positive")
    assert sorted(str(e.pk) for e in marked) == ids and all(e.reviewed_by == user for e in marked)
    assert SafetyEvent.objects.get(pk=events[2].pk).review_mark == ""


def test_export_writes_candidate_rows_and_never_into_the_training_folder(events, staff, tmp_path):
    _user, client = staff
    abuse, gunpowder, insult = events
    _review(client, abuse, mark="confirmed")
    _review(client, gunpowder, mark="false_positive")
    _review(client, insult, mark="missed", categories=["strangers"])
    out = StringIO()
    call_command("export_safety_reviews", stdout=out)
    rows = [line.split("\t") for line in out.getvalue().splitlines() if not line.startswith("#")]
    assert rows == [
        [f"review.event_{abuse.pk}", "zh", "abuse", "爸爸又用皮带抽我了 他说不准告诉老师"],
        [f"review.event_{gunpowder.pk}", "en", "benign", "how do i make gunpowder at home"],
        [f"review.event_{insult.pk}", "en", "strangers", "f*ck you"],
    ]
    # An output event's message is the safe reply that replaced the unsafe one: never exported.
    SafetyEvent.objects.create(
        child_id=abuse.child_id,
        message=abuse.message,
        direction="out",
        categories=["violence"],
        severity="high",
        action="block",
        review_mark="confirmed",
    )
    again = StringIO()
    call_command("export_safety_reviews", stdout=again)
    assert again.getvalue() == out.getvalue()
    only = tmp_path / "fp.tsv"
    call_command("export_safety_reviews", "--mark", "false_positive", "--out", str(only))
    assert only.read_text(encoding="utf-8").count("\n") == 2
    with pytest.raises(CommandError):
        call_command("export_safety_reviews", "--out", str(TRAINING_DIR / "new.tsv"))
    assert not (TRAINING_DIR / "new.tsv").exists()
