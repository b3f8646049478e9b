"""Background jobs of accounts, the demo data command, and one job through a real Celery worker."""

from __future__ import annotations

import io
import re
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import send_mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext
from kombu import Exchange, Queue
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import (
    ChildProfile,
    ConsentRecord,
    Device,
    GuardianInvitation,
    Guardianship,
    PairingCode,
    ParentalControls,
    User,
)
from accounts.services import notifications as account_notifications
from accounts.services.demo import ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_EMAIL, DEMO_PASSWORD
from accounts.services.devices import pairing_code_create
from accounts.services.guardians import invitation_create
from accounts.tasks import purge_expired_credentials, send_device_paired_email, send_guardian_invitation
from happy_partner.celery import app as celery_app
from tests.factories import make_child, make_co_guardian, make_parent, pair_device

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def family(db):
    parent = make_parent("mum@example.com", display_name="Mum")
    child = make_child(parent, name="Kiki")
    return parent, child


def _code(family, *, expires_in: timedelta, used: bool = False) -> PairingCode:
    parent, child = family
    return PairingCode.objects.create(
        child=child,
        created_by=parent,
        code_digest=uuid.uuid4().hex,
        expires_at=timezone.now() + expires_in,
        used_at=timezone.now() - timedelta(days=5) if used else None,
    )


def _invitation(family, *, expires_in: timedelta, accepted: bool = False, revoked: bool = False):
    parent, child = family
    now = timezone.now()
    return GuardianInvitation.objects.create(
        child=child,
        email=f"{uuid.uuid4().hex[:8]}@example.com",
        token_digest=uuid.uuid4().hex,
        invited_by=parent,
        expires_at=now + expires_in,
        accepted_at=now - timedelta(days=3) if accepted else None,
        revoked_at=now - timedelta(days=3) if revoked else None,
    )


def _token(family, *, expires_in: timedelta) -> OutstandingToken:
    parent, _child = family
    return OutstandingToken.objects.create(
        user=parent,
        jti=uuid.uuid4().hex,
        token="not-a-real-jwt",
        created_at=timezone.now() - timedelta(days=30),
        expires_at=timezone.now() + expires_in,
    )


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# --- purge_expired_credentials ------------------------------------------------------------------


def test_purge_removes_only_what_can_no_longer_be_used(family):
    old_code = _code(family, expires_in=-timedelta(days=2))
    old_used_code = _code(family, expires_in=-timedelta(days=3), used=True)
    just_expired_code = _code(family, expires_in=-timedelta(hours=1))  # kept a day for support
    live_code = _code(family, expires_in=timedelta(minutes=10))

    old_invitation = _invitation(family, expires_in=-timedelta(days=2))
    old_revoked_invitation = _invitation(family, expires_in=-timedelta(days=2), revoked=True)
    old_accepted_invitation = _invitation(family, expires_in=-timedelta(days=2), accepted=True)  # a record
    just_expired_invitation = _invitation(family, expires_in=-timedelta(hours=1))
    live_invitation = _invitation(family, expires_in=timedelta(days=7))

    expired_token = _token(family, expires_in=-timedelta(minutes=1))
    live_token = _token(family, expires_in=timedelta(days=1))

    result = purge_expired_credentials.delay().get()

    assert result["pairing_codes"] == 2
    assert result["invitations"] == 2
    assert result["tokens"] == 1
    assert _ids(PairingCode.objects) == {just_expired_code.pk, live_code.pk}
    assert not PairingCode.objects.filter(pk__in=[old_code.pk, old_used_code.pk]).exists()
    assert _ids(GuardianInvitation.objects) == {
        old_accepted_invitation.pk,
        just_expired_invitation.pk,
        live_invitation.pk,
    }
    assert not GuardianInvitation.objects.filter(pk__in=[old_invitation.pk, old_revoked_invitation.pk]).exists()
    assert OutstandingToken.objects.filter(pk=live_token.pk).exists()
    assert not OutstandingToken.objects.filter(pk=expired_token.pk).exists()

    # Running it again finds nothing more to do.
    assert purge_expired_credentials.delay().get() == {
        "pairing_codes": 0,
        "pairing_requests": 0,
        "invitations": 0,
        "tokens": 0,
    }


def test_purge_keeps_tokens_of_paired_devices(family):
    parent, child = family
    pair_device(parent, child)
    outstanding = _ids(OutstandingToken.objects)
    assert outstanding
    purge_expired_credentials.delay().get()
    assert _ids(OutstandingToken.objects) == outstanding


def test_purge_drops_the_blacklist_entry_of_an_expired_token(family):
    token = _token(family, expires_in=-timedelta(minutes=1))
    BlacklistedToken.objects.create(token=token)
    purge_expired_credentials.delay().get()
    assert not OutstandingToken.objects.filter(pk=token.pk).exists()
    assert not BlacklistedToken.objects.filter(token_id=token.pk).exists()


def test_purge_counts_each_expired_token_once(family):
    # delete() totals include the cascaded blacklist row; the report counts tokens only.
    token = _token(family, expires_in=-timedelta(minutes=1))
    BlacklistedToken.objects.create(token=token)
    assert purge_expired_credentials.delay().get()["tokens"] == 1


def test_purge_grace_period_follows_the_clock(family):
    parent, child = family
    pairing, _code_text = pairing_code_create(actor=parent, child=child)  # lives 10 minutes
    created = timezone.now()
    with time_machine.travel(created + timedelta(days=1, minutes=5), tick=False):
        purge_expired_credentials.delay().get()
        assert PairingCode.objects.filter(pk=pairing.pk).exists()  # expired < 1 day ago
    with time_machine.travel(created + timedelta(days=1, minutes=15), tick=False):
        assert purge_expired_credentials.delay().get()["pairing_codes"] == 1
        assert not PairingCode.objects.filter(pk=pairing.pk).exists()


# --- send_guardian_invitation -------------------------------------------------------------------


def _invite(django_capture_on_commit_callbacks, inviter: User, child: ChildProfile, email: str):
    """Create an invitation the way the API does; its e-mail task runs when the transaction commits."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation, token = invitation_create(actor=inviter, child=child, email=email)
    assert len(callbacks) == 1
    return invitation, token


def _expected_subject(language: str, inviter: User, child: ChildProfile) -> str:
    with translation.override(language):
        template = gettext("%(inviter)s invites you to look after %(child)s on Happy Partner")
    return template % {"inviter": inviter.display_name, "child": child.display_name}


@pytest.mark.django_db
def test_invitation_email_in_a_chinese_inviters_language(django_capture_on_commit_callbacks):
    inviter = make_parent("mama@example.com", display_name="妈妈", language="zh-hans")
    child = make_child(inviter, name="小明")
    with translation.override("en"):  # whatever the request's language was, the inviter's counts
        invitation, token = _invite(django_capture_on_commit_callbacks, inviter, child, "Grandma@Example.com")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["grandma@example.com"]
    assert message.to == [invitation.email]
    assert token in message.body
    assert "小明" in message.subject and "妈妈" in message.subject
    assert message.subject == _expected_subject("zh-hans", inviter, child)
    # The expiry date is written the Chinese way (Django's zh-hans date format), so the whole
    # e-mail was rendered in the inviter's language, not the active one.
    assert "年" in message.body
    assert invitation.token_digest not in message.body


@pytest.mark.django_db
def test_invitation_email_in_an_english_inviters_language(django_capture_on_commit_callbacks):
    inviter = make_parent("dad@example.com", display_name="Dad", language="en")
    child = make_child(inviter, name="Sam")
    with translation.override("zh-hans"):
        _invitation, token = _invite(django_capture_on_commit_callbacks, inviter, child, "aunt@example.com")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aunt@example.com"]
    assert token in message.body
    assert message.subject == "Dad invites you to look after Sam on Happy Partner"
    assert not CJK.search(message.subject)
    assert not CJK.search(message.body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("time_zone", "language", "shown"),
    [
        ("Asia/Shanghai", "zh-hans", "2026年12月1日 09:30"),  # 01:30 UTC is 09:30 in Beijing
        ("America/New_York", "en", "Nov. 30, 2026, 8:30 p.m."),  # and 20:30 the day before in New York
    ],
)
def test_invitation_expiry_is_written_in_the_familys_time_zone(
    django_capture_on_commit_callbacks, time_zone, language, shown
):
    inviter = make_parent("tz@example.com", display_name="Parent", language=language)
    child = make_child(inviter, name="Tao")
    ParentalControls.objects.filter(child=child).update(time_zone=time_zone)
    with time_machine.travel(datetime(2026, 11, 24, 1, 30, tzinfo=UTC), tick=False):
        invitation, _token = _invite(django_capture_on_commit_callbacks, inviter, child, "tz-guest@example.com")
    assert invitation.expires_at == datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    assert shown in mail.outbox[0].body


@pytest.mark.parametrize("state", ["revoked", "accepted", "expired", "missing"])
def test_no_invitation_email_once_it_is_not_pending(family, state):
    parent, child = family
    invitation, token = invitation_create(actor=parent, child=child, email="late@example.com")
    assert mail.outbox == []  # the transaction never commits here, so nothing was sent yet
    now = timezone.now()
    if state == "revoked":
        GuardianInvitation.objects.filter(pk=invitation.pk).update(revoked_at=now)
    elif state == "accepted":
        GuardianInvitation.objects.filter(pk=invitation.pk).update(accepted_at=now)
    elif state == "expired":
        GuardianInvitation.objects.filter(pk=invitation.pk).update(expires_at=now - timedelta(seconds=1))
    else:
        GuardianInvitation.objects.filter(pk=invitation.pk).delete()

    send_guardian_invitation.delay(invitation_id=invitation.pk, token=token).get()
    assert mail.outbox == []


# --- seed_demo ----------------------------------------------------------------------------------

ACCOUNT_MODELS = [User, ChildProfile, Guardianship, ParentalControls, ConsentRecord, Device, PairingCode]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ACCOUNT_MODELS}


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_family_once():
    before = _counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo data created." in out.getvalue()

    parent = User.objects.get(email=DEMO_EMAIL)
    assert parent.check_password(DEMO_PASSWORD)
    assert not parent.is_staff and not parent.is_superuser
    children = list(parent.children.order_by("pk"))
    assert [c.display_name for c in children] == ["明明", "Lily"]
    assert all(Guardianship.objects.get(guardian=parent, child=c).role == "owner" for c in children)
    assert all(ParentalControls.objects.get(child=c).pin_set for c in children)
    assert ConsentRecord.objects.filter(child=children[0], withdrawn_at__isnull=True).count() == 4
    assert ConsentRecord.objects.filter(child=children[1], withdrawn_at__isnull=True).count() == 2

    admin = User.objects.get(email=ADMIN_EMAIL)
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(ADMIN_PASSWORD)

    after_first = _counts()
    assert after_first["User"] == before["User"] + 2
    assert after_first["ChildProfile"] == before["ChildProfile"] + 2

    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "Demo data already present." in again.getvalue()
    assert "明明, Lily" in again.getvalue()
    assert _counts() == after_first


@pytest.mark.django_db
def test_seed_demo_restores_a_deleted_admin_only():
    call_command("seed_demo", stdout=io.StringIO())
    User.objects.filter(email=ADMIN_EMAIL).delete()
    counts = _counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo data created." in out.getvalue()
    assert User.objects.filter(email=ADMIN_EMAIL, is_superuser=True).exists()
    assert _counts() == {**counts, "User": counts["User"] + 1}


# --- a real worker ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_purge_through_the_configured_broker(monkeypatch, settings, tmp_path):
    from celery.contrib.testing.worker import start_worker

    # The project's own broker (file system by default, Redis with REDIS_URL), not memory://.
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL
    assert not celery_app.conf.broker_url.startswith("memory")
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app.conf, "worker_hijack_root_logger", False)
    monkeypatch.setattr(celery_app.conf, "worker_enable_remote_control", False)  # no pidbox left behind
    if celery_app.conf.broker_url.startswith("filesystem"):
        # Same transport, folders of this test's own (as the test database is the same engine
        # under another name), so a running `make run` worker and this one never swap messages.
        folders = {
            "data_folder_in": tmp_path / "queue",
            "data_folder_out": tmp_path / "queue",
            "processed_folder": tmp_path / "processed",
            "control_folder": tmp_path / "control",
        }
        for folder in folders.values():
            folder.mkdir(exist_ok=True)
        options = {**celery_app.conf.broker_transport_options, **{k: str(v) for k, v in folders.items()}}
        monkeypatch.setattr(celery_app.conf, "broker_transport_options", options)

    parent = make_parent("worker@example.com")
    child = make_child(parent, name="Wren")
    family = (parent, child)
    expired = _code(family, expires_in=-timedelta(days=2))
    live = _code(family, expires_in=timedelta(minutes=10))

    # A queue of this test's own, so parallel runs sharing one Redis cannot take its message.
    queue = f"test-purge-{uuid.uuid4().hex[:12]}"
    try:
        with start_worker(celery_app, perform_ping_check=False, pool="solo", queues=[queue], shutdown_timeout=15):
            with celery_app.connection_for_write() as connection:
                purge_expired_credentials.apply_async(queue=queue, connection=connection)
            deadline = time.monotonic() + 15
            while PairingCode.objects.filter(pk=expired.pk).exists():
                assert time.monotonic() < deadline, "the worker did not purge the expired pairing code within 15 s"
                time.sleep(0.1)
    finally:
        # Remove the queue and its binding (declared the way Celery declares a missing queue).
        with celery_app.connection_for_write() as connection:
            bound = Queue(queue, Exchange(queue), routing_key=queue)(connection.default_channel)
            bound.declare()
            bound.delete()

    assert PairingCode.objects.filter(pk=live.pk).exists()


def test_a_retried_device_paired_email_reaches_only_the_guardians_not_yet_mailed(family, monkeypatch):
    """The mail server refuses the second address once: the task's retry mails that guardian, and
    not again the one the first run already reached."""
    parent, child = family
    co = make_co_guardian(parent, child, "co.retry@example.com")
    device, _tokens = pair_device(parent, child)
    mail.outbox.clear()
    attempts: list[str] = []

    def flaky_send_mail(subject, body, sender, recipients, **kwargs):
        attempts.append(recipients[0])
        if len(attempts) == 2:
            raise ConnectionRefusedError("mail server busy")  # an OSError: the task retries
        return send_mail(subject, body, sender, recipients, **kwargs)

    monkeypatch.setattr(account_notifications, "send_mail", flaky_send_mail)
    send_device_paired_email.delay(device_id=device.pk)
    first, refused = attempts[:2]
    assert attempts == [first, refused, refused]  # the retry tried only the one not yet mailed
    assert sorted(message.to[0] for message in mail.outbox) == sorted([parent.email, co.email])
