"""Erasure: after a child is erased, every table holds zero rows for them (counted table by table,
whatever a later feature adds), and only the minimal proof of consent remains."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import models

from accounts.models import ChildProfile, ErasureRecord, User
from accounts.services.children import child_delete, child_ref
from archive.models import ConversationArchive
from archive.services.archiving import conversations_archive
from archive.services.exports import export_build, export_request
from archive.services.retention import retention_choose
from audio.services.voiceprints import voiceprint_enrol
from conversations.models import MemoryFact, Message, TranscriptAccess
from tests.archive.conftest import NOW
from tests.audio.conftest import speak
from tests.factories import make_child

pytestmark = pytest.mark.django_db(transaction=True)


def _rich(family) -> None:
    """Something in every table a child can have rows in."""
    from accounts.models import ConsentScope
    from accounts.services.consent import consent_grant
    from audio.services.voiceprints import voice_verify

    conversations_archive(older_than_days=30, now=NOW)
    retention_choose(actor=family.parent, child=family.child, transcript_days=90)
    consent_grant(actor=family.parent, child=family.child, scope=ConsentScope.VOICEPRINT)
    consent_grant(actor=family.parent, child=family.child, scope=ConsentScope.VOICE)
    sentences = ["The cat sat on the warm mat.", "I went to the park today.", "My favourite colour is blue."]
    recordings = [(speak(s, "en-us+f3"), "audio/wav") for s in sentences]
    voiceprint_enrol(actor=family.parent, child_id=family.child.pk, recordings=recordings, keep_recordings=True)
    from accounts.principals import ChildPrincipal

    device = ChildPrincipal(child=family.child, device=family.device)
    voice_verify(actor=device, child_id=family.child.pk, data=speak("Yesterday it rained all day.", "en-us+f3"))
    job = export_request(actor=family.parent, child=family.child)
    export_build(job_id=job.pk)
    family.web().get(f"/api/v1/children/{family.child.pk}/messages/")  # a logged read


def _rows_for_child(child_id: int) -> dict[str, int]:
    """Rows that point at the child, in every table of every app: through a key to the child, or to a
    row that does (a message, a chat, a voiceprint, ...)."""
    found: dict[str, int] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.ForeignKey | models.OneToOneField) or (
                field.auto_created and not field.concrete
            ):
                continue
            target = field.related_model
            if target is ChildProfile:
                n = model._default_manager.filter(**{field.name: child_id}).count()
            elif target is not None and any(
                isinstance(f, models.ForeignKey | models.OneToOneField) and f.related_model is ChildProfile
                for f in target._meta.get_fields()
                if getattr(f, "concrete", False)
            ):
                child_key = next(
                    f.name for f in target._meta.get_fields()
                    if getattr(f, "concrete", False) and isinstance(f, models.ForeignKey | models.OneToOneField)
                    and f.related_model is ChildProfile
                )  # fmt: skip
                n = model._default_manager.filter(**{f"{field.name}__{child_key}": child_id}).count()
            else:
                continue
            if n:
                found[f"{model._meta.label}.{field.name}"] = n
    if ChildProfile.objects.filter(pk=child_id).exists():
        found["accounts.ChildProfile"] = 1
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    named = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ChildProfile), object_id=str(child_id)
    )
    if named.exists():  # the admin's history names objects in plain text
        found["admin.LogEntry"] = named.count()
    return found


def test_every_table_is_empty_of_the_child_afterwards(family, at_now):
    _rich(family)
    before = _rows_for_child(family.child.pk)
    for expected in (
        "conversations.Message.child", "archive.ConversationArchive.child", "audio.Voiceprint.child",
        "audio.VoiceprintSample.voiceprint", "audio.VoiceprintAttempt.child", "archive.ExportJob.child",
        "conversations.TranscriptAccess.child", "conversations.InsightDay.child", "conversations.SafetyEvent.child",
        "accounts.Device.child", "accounts.ConsentRecord.child", "archive.RetentionChoice.child",
        "conversations.MemoryFact.child", "conversations.UsageDay.child",
    ):  # fmt: skip
        assert before.get(expected), (expected, before)  # the check below is not vacuous
    from django.contrib.admin.models import CHANGE, LogEntry

    LogEntry.objects.log_actions(user_id=family.parent.pk, queryset=[family.child], action_flag=CHANGE)
    child_id = family.child.pk
    assert "admin.LogEntry" in _rows_for_child(child_id)
    child_delete(actor=family.parent, child=family.child)
    assert _rows_for_child(child_id) == {}
    proof = ErasureRecord.objects.get()
    assert proof.child_ref == child_ref(child_id=child_id) and proof.reason == "parent"
    assert {c["scope"] for c in proof.consents} >= {"chat", "voiceprint", "voice"}
    assert "Lily" not in str(proof.consents)


def test_erasing_the_account_erases_owned_children_and_keeps_co_guarded_ones(family, at_now):
    other_owner = User.objects.create_user(email="owner.two@example.com", password="x-password-123", display_name="O")
    cousin = make_child(other_owner, name="Cousin")
    from accounts.services.guardians import invitation_accept, invitation_create

    _invitation, token = invitation_create(actor=other_owner, child=cousin, email=family.parent.email)
    invitation_accept(actor=family.parent, token=token)  # the leaving parent co-guards a cousin
    web = family.web()
    wrong = web.post("/api/v1/me/erase/", {"confirm": "nope@example.com"}, format="json")
    assert wrong.status_code == 400 and "confirm" in wrong.json()["error"]["fields"]
    assert web.post("/api/v1/me/erase/", {"confirm": family.parent.email.upper()}, format="json").status_code == 204
    assert not User.objects.filter(pk=family.parent.pk).exists() and not Message.objects.exists()
    assert ChildProfile.objects.filter(pk=cousin.pk).exists()
    assert [g.guardian_id for g in cousin.guardianships.all()] == [other_owner.pk]
    assert web.get("/api/v1/me/").status_code == 401  # the old token is dead


def test_an_export_holds_everything_and_its_link_expires(family, settings, at_now):
    _rich(family)
    Message.objects.filter(pk=Message.objects.filter(child=family.child).first().pk).update(
        text="<script>alert(1)</script>"
    )
    web = family.web()
    started = web.post(f"/api/v1/children/{family.child.pk}/exports/")
    assert started.status_code == 202
    job = web.get(f"/api/v1/exports/{started.json()['id']}/").json()
    assert job["status"] == "done" and job["progress"] == 100 and job["download_url"]
    download = web.get(job["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        names = set(archive.namelist())
        data = json.loads(archive.read("child.json"))
        html = archive.read("transcript.html").decode()
    hot = Message.objects.filter(child=family.child).count()
    archived = sum(a.message_count for a in ConversationArchive.objects.filter(child=family.child))
    assert len(data["messages"]) == hot + archived and archived > 0
    assert data["voiceprint"]["samples"] == 3
    assert (
        sorted(m["text"] for m in data["memories"])
        == sorted(MemoryFact.objects.filter(child=family.child).values_list("text", flat=True))
        and data["memories"]
    )
    assert {"child.json", "transcript.html"} <= names and any(n.startswith("recordings/") for n in names)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert TranscriptAccess.objects.filter(via="export").exists()
    # Another family's parent: 404; a forged or stale token: 403.
    from tests.factories import login, make_parent

    stranger = make_parent("stranger@example.com")
    assert login(stranger.email).get(job["download_url"]).status_code == 404
    assert web.get(job["download_url"] + "x").status_code == 403
    from rest_framework.test import APIClient

    later = APIClient()
    later.force_authenticate(user=family.parent)  # a day later the app signed in again; the link did not
    with time_machine.travel(NOW + timedelta(hours=30), tick=False):
        stale = later.get(job["download_url"])
    assert stale.status_code == 403 and stale.json()["error"]["code"] == "link_expired"


def test_a_legal_hold_stops_erasure(family):
    from archive.models import RetentionChoice
    from happy_partner.errors import ApplicationError

    RetentionChoice.objects.create(child=family.child, legal_hold=True, legal_hold_note="court order")
    with pytest.raises(ApplicationError) as refused:
        child_delete(actor=family.parent, child=family.child)
    assert refused.value.code == "legal_hold"
    answer = family.web().post("/api/v1/me/erase/", {"confirm": family.parent.email}, format="json")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "legal_hold"
    assert ChildProfile.objects.filter(pk=family.child.pk).exists() and not ErasureRecord.objects.exists()
