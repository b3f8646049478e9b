"""Safety alerts reach the guardians even when the broker or the mail server is down when they happen.

``parent_notified_at`` says when an alert was delivered, not when it was decided; an undelivered
alert is delivered later by a periodic job (conversations.tasks.redeliver_safety_alerts), once to
each guardian. The child is answered whatever happens to the alert.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import mail

from accounts.realtime import guardian_group
from accounts.services.controls import controls_update
from conversations.models import SafetyEvent
from conversations.services import notifications
from conversations.services.alerts import REDELIVERY_WINDOW, safety_alerts_redeliver
from conversations.tasks import redeliver_safety_alerts
from happy_partner.celery import app as celery_app
from tests.factories import Cast
from tests.servers import free_port

pytestmark = pytest.mark.django_db
MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CRISIS = "我不想活了"


@pytest.fixture(autouse=True)
def _daytime() -> Iterator[None]:
    with time_machine.travel(MORNING, tick=True):
        yield


def _chat(cast: Cast, text: str) -> dict:
    response = cast.client_for("device_a1").post("/api/v1/chat/", {"text": text}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _later(minutes: int = 5) -> datetime:
    return SafetyEvent.objects.get().created_at + timedelta(minutes=minutes)


def _mailed_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def dead_broker() -> Iterator[None]:
    """Celery publishes to a Redis broker nobody answers on (what a broker outage looks like)."""
    conf = celery_app.conf
    saved = {
        key: conf[key] for key in ("task_always_eager", "broker_url", "task_publish_retry", "broker_connection_timeout")
    }

    def reset_pools() -> None:
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    conf.update(
        task_always_eager=False,
        broker_url=f"redis://127.0.0.1:{free_port()}/0",
        task_publish_retry=False,
        broker_connection_timeout=0.5,
    )
    reset_pools()
    yield
    conf.update(saved)
    reset_pools()


def test_an_alert_is_marked_delivered_when_it_is_delivered_not_when_it_is_decided(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert _chat(cast, CRISIS)["safety"]["action"] == "escalate"
    event = SafetyEvent.objects.get()
    assert event.parent_notified_at is None and mail.outbox == []  # decided, nothing sent yet
    for callback in callbacks:
        callback()
    event.refresh_from_db()
    assert event.parent_notified_at is not None
    assert _mailed_to() == sorted([cast.parent_a.email, cast.co_guardian.email])


def test_with_the_broker_down_the_child_is_answered_and_the_alert_is_delivered_later(
    cast: Cast, dead_broker, django_capture_on_commit_callbacks
) -> None:
    layer = get_channel_layer()
    dashboard = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(guardian_group(cast.parent_a.pk), dashboard)
    with django_capture_on_commit_callbacks(execute=True):
        body = _chat(cast, CRISIS)
    assert body["safety"]["action"] == "escalate" and body["reply"]["agent"] == "safety"
    assert async_to_sync(layer.receive)(dashboard)["type"] == "safety.alert"  # the push went out
    assert SafetyEvent.objects.get().parent_notified_at is None  # the e-mail did not
    assert mail.outbox == []

    assert safety_alerts_redeliver(now=_later(minutes=1)) == 0  # the normal path still has time

    celery_app.conf.task_always_eager = True  # the broker is back: beat runs the job
    with time_machine.travel(_later(), tick=False):
        assert redeliver_safety_alerts.delay().get() == 1
    assert SafetyEvent.objects.get().parent_notified_at is not None
    assert _mailed_to() == sorted([cast.parent_a.email, cast.co_guardian.email])

    assert safety_alerts_redeliver(now=_later(minutes=10)) == 0  # delivered: never again
    assert len(mail.outbox) == 2


def test_a_guardian_already_mailed_is_not_mailed_again_when_another_guardians_mail_failed(
    cast: Cast, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    unreachable = {cast.co_guardian.email}
    real_send_mail = notifications.send_mail

    def send_mail(subject, body, sender, recipients):
        if set(recipients) & unreachable:
            raise ConnectionRefusedError("mail server down for this address")
        return real_send_mail(subject, body, sender, recipients)

    monkeypatch.setattr(notifications, "send_mail", send_mail)
    with django_capture_on_commit_callbacks(execute=True):
        assert _chat(cast, CRISIS)["safety"]["action"] == "escalate"  # answered although its e-mail failed
    assert _mailed_to() == [cast.parent_a.email]  # once, through all the task's retries
    assert SafetyEvent.objects.get().parent_notified_at is None

    unreachable.clear()
    assert safety_alerts_redeliver(now=_later()) == 1
    assert _mailed_to() == sorted([cast.parent_a.email, cast.co_guardian.email])
    assert SafetyEvent.objects.get().parent_notified_at is not None


def test_redelivery_is_bounded_to_recent_events_the_guardians_want_to_hear_about(
    cast: Cast, dead_broker, django_capture_on_commit_callbacks
) -> None:
    controls_update(
        actor=cast.parent_a, child=cast.child_a1, data={"blocked_words": ["作业"], "alert_min_severity": "high"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        _chat(cast, "我不想写作业")  # a parent's blocked word: medium, below the family's threshold
        _chat(cast, CRISIS)
    below, crisis = SafetyEvent.objects.order_by("pk")
    assert below.severity == "medium" and crisis.action == "escalate"
    celery_app.conf.task_always_eager = True
    assert safety_alerts_redeliver(now=crisis.created_at + REDELIVERY_WINDOW + timedelta(minutes=1)) == 0
    assert mail.outbox == []  # a day later it is no longer an alert
    assert safety_alerts_redeliver(now=crisis.created_at + timedelta(minutes=5)) == 1
    below.refresh_from_db()
    assert below.parent_notified_at is None and len(mail.outbox) == 2


def test_beat_runs_the_redelivery_every_few_minutes() -> None:
    entry = celery_app.conf.beat_schedule["conversations-redeliver-safety-alerts"]
    assert entry["task"] in celery_app.tasks  # beat (django-celery-beat) installs it by this name
    assert entry["schedule"] <= timedelta(minutes=5)


def _rows_read_by_the_sweep(monkeypatch, now: datetime) -> tuple[int, list[str]]:
    """The events the sweep looked at (it asks alert_channels once for each) and its statements."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conversations.services import alerts

    seen: list[int] = []
    real = alerts.alert_channels

    def counting(**kwargs):
        seen.append(1)
        return real(**kwargs)

    monkeypatch.setattr(alerts, "alert_channels", counting)
    with CaptureQueriesContext(connection) as captured:
        safety_alerts_redeliver(now=now)
    monkeypatch.setattr(alerts, "alert_channels", real)
    return len(seen), [q["sql"] for q in captured.captured_queries]


def test_the_sweep_never_reads_events_below_the_guardians_threshold(cast: Cast, monkeypatch) -> None:
    """An event nobody is to be alerted about stays undelivered for good: it is not due, recorded
    when it was created, so the sweep (every 2 minutes) and its partial index leave it out."""
    controls_update(
        actor=cast.parent_a, child=cast.child_a1, data={"blocked_words": ["作业"], "alert_min_severity": "high"}
    )
    for _ in range(3):
        _chat(cast, "我不想写作业")  # a parent's blocked word: medium, below the family's threshold
    assert SafetyEvent.objects.filter(parent_notified_at=None).count() == 3
    read, statements = _rows_read_by_the_sweep(monkeypatch, now=_later_than_all())
    assert read == 0
    assert len(statements) == 1, statements
    assert not SafetyEvent.objects.filter(alert_due=True).exists()


def test_an_alert_the_guardians_no_longer_want_leaves_the_sweep(cast: Cast) -> None:
    controls_update(actor=cast.parent_a, child=cast.child_a1, data={"blocked_words": ["作业"]})
    _chat(cast, "我不想写作业")  # medium: due at the default threshold; on_commit never runs here
    assert SafetyEvent.objects.get().alert_due
    controls_update(actor=cast.parent_a, child=cast.child_a1, data={"alert_min_severity": "high"})
    assert safety_alerts_redeliver(now=_later()) == 0
    event = SafetyEvent.objects.get()
    assert (event.alert_due, event.parent_notified_at, mail.outbox) == (False, None, [])


def test_each_sweep_reads_a_bounded_number_of_events(cast: Cast, monkeypatch) -> None:
    """With the mail server down for long, undelivered alerts pile up: a run still reads at most a
    batch of them, in one statement, and the oldest first."""
    from accounts.models import User
    from conversations.services.alerts import REDELIVERY_BATCH
    from conversations.services.pipeline import message_send

    parent = User.objects.get(pk=cast.parent_a.pk)
    for _ in range(REDELIVERY_BATCH + 20):  # on_commit never runs in this test: none is delivered
        message_send(actor=parent, child_id=cast.child_a1.pk, text=CRISIS)

    def mail_server_down(*, event_id: int) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "safety_alert_email_send", mail_server_down)
    read, statements = _rows_read_by_the_sweep(monkeypatch, now=_later_than_all())
    assert read == REDELIVERY_BATCH
    assert len(statements) == 1, statements
    assert SafetyEvent.objects.filter(parent_notified_at=None).count() == REDELIVERY_BATCH + 20


def _later_than_all(minutes: int = 5) -> datetime:
    return SafetyEvent.objects.latest("created_at").created_at + timedelta(minutes=minutes)
