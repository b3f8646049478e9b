"""Voiceprints: enrolment needs the consent and real speech, keeps only an encrypted embedding; verify
and identify tell generated voices apart with the calibrated threshold; tones, noise and silence are
refused as no_speech and logged; withdrawing the consent or erasing the child deletes the voiceprint."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ChildProfile, ConsentRecord, ConsentScope
from accounts.services.consent import consent_withdraw
from audio.models import Voiceprint, VoiceprintAttempt, VoiceprintSample
from audio.sealing import unseal
from tests.audio.conftest import noise, speak, tone

ENROL = [
    "The cat sat on the warm mat by the door.",
    "I went to the park with my friends after school today.",
    "My favourite colour is blue and I like drawing rockets.",
]
TEST = "Yesterday it rained so we stayed inside and played games."
LILY, TOM, PARENT = "en-us+f3", "en-us+m3", "en-us+m7"


def _files(voice: str, sentences=ENROL) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"s{i}.wav", speak(s, voice)) for i, s in enumerate(sentences)]


def _enrol(client, path: str, voice: str, **extra):
    return client.post(path, {"samples": _files(voice), **extra}, format="multipart")


def _verify(client, child_id: int, voice: str):
    audio = SimpleUploadedFile("t.wav", speak(TEST, voice))
    return client.post("/api/v1/voice/verify/", {"audio": audio, "child": child_id}, format="multipart")


def _identify(client, data: bytes):
    return client.post("/api/v1/voice/identify/", {"audio": SimpleUploadedFile("t.wav", data)}, format="multipart")


def test_enrol_verify_and_identify(family):
    lily, tom = family.child.pk, family.sibling.pk
    response = _enrol(family.web, f"/api/v1/children/{lily}/voiceprint/", LILY)
    assert response.status_code == 201, response.content
    assert response.json()["samples"] == 3 and response.json()["keeps_recordings"] is False
    assert _enrol(family.web, f"/api/v1/children/{tom}/voiceprint/", TOM).status_code == 201
    assert _enrol(family.web, "/api/v1/me/voiceprint/", PARENT).status_code == 201

    same = _verify(family.device, lily, LILY).json()
    other = _verify(family.device, lily, TOM).json()
    assert same["verified"] is True and other["verified"] is False and same["score"] > other["score"]
    assert same["threshold"] == other["threshold"]

    assert _identify(family.device, speak(TEST, TOM)).json()["child"] == tom
    assert _identify(family.web, speak(TEST, LILY)).json()["child"] == lily
    parent = _identify(family.device, speak(TEST, PARENT)).json()
    assert parent["child"] is None and parent["speaker"] == "guardian"
    log = list(VoiceprintAttempt.objects.order_by("created_at").values_list("kind", "decision"))
    assert log == [
        ("verify", "match"),
        ("verify", "no_match"),
        ("identify", "match"),
        ("identify", "match"),
        ("identify", "match"),
    ]


def test_only_an_encrypted_embedding_is_kept_unless_the_parent_opts_in(family, settings):
    _enrol(family.web, f"/api/v1/children/{family.child.pk}/voiceprint/", LILY)
    voiceprint = Voiceprint.objects.get(child=family.child)
    raw = bytes(voiceprint.sealed_embedding)
    vector = voiceprint.embedding()
    assert vector is not None and abs(float(np.linalg.norm(vector)) - 1) < 1e-3
    assert vector.tobytes() not in raw and not VoiceprintSample.objects.exists()
    settings.VOICEPRINT_KEY = "x" * 43 + "="  # another key cannot read it: treated as absent, never a match
    assert unseal(raw) is None
    settings.VOICEPRINT_KEY = ""
    _enrol(family.web, f"/api/v1/children/{family.child.pk}/voiceprint/", LILY, keep_recordings=True)
    assert Voiceprint.objects.filter(child=family.child).count() == 1  # replaced
    kept = VoiceprintSample.objects.filter(voiceprint__child=family.child)
    assert kept.count() == 3 and unseal(bytes(kept[0].sealed_audio)) == speak(ENROL[0], LILY)


@pytest.mark.parametrize("make", [lambda: tone(), lambda: tone(hz=150), lambda: noise()])
def test_tones_and_noise_are_refused_as_no_speech_and_logged(family, make):
    _enrol(family.web, f"/api/v1/children/{family.child.pk}/voiceprint/", LILY)
    verify = family.device.post(
        "/api/v1/voice/verify/",
        {"audio": SimpleUploadedFile("x.wav", make()), "child": family.child.pk},
        format="multipart",
    )
    assert verify.status_code == 400 and verify.json()["error"]["code"] == "no_speech"
    identify = _identify(family.device, make())
    assert identify.status_code == 400 and identify.json()["error"]["code"] == "no_speech"
    assert list(VoiceprintAttempt.objects.values_list("decision", flat=True)) == ["no_speech", "no_speech"]
    files = [*_files(LILY)[:2], SimpleUploadedFile("n.wav", make())]
    enrol = family.web.post(f"/api/v1/children/{family.child.pk}/voiceprint/", {"samples": files}, format="multipart")
    assert enrol.status_code == 400 and enrol.json()["error"]["code"] == "no_speech"
    assert enrol.json()["error"]["fields"] == {"samples": {"2": [enrol.json()["error"]["message"]]}}


def test_enrolment_needs_the_consent_and_several_samples(quiet_family, family):
    refused = _enrol(quiet_family.web, f"/api/v1/children/{quiet_family.child.pk}/voiceprint/", LILY)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "consent_required"
    few = family.web.post(
        f"/api/v1/children/{family.child.pk}/voiceprint/", {"samples": _files(LILY)[:2]}, format="multipart"
    )
    assert few.status_code == 400 and "samples" in few.json()["error"]["fields"]
    foreign = _enrol(quiet_family.web, f"/api/v1/children/{family.child.pk}/voiceprint/", LILY)
    assert foreign.status_code == 404
    device = _enrol(family.device, f"/api/v1/children/{family.child.pk}/voiceprint/", LILY)
    assert device.status_code == 403  # enrolment is a parent's act


def test_withdrawing_the_consent_or_erasing_the_child_deletes_the_voiceprint(family):
    _enrol(family.web, f"/api/v1/children/{family.child.pk}/voiceprint/", LILY, keep_recordings=True)
    _enrol(family.web, f"/api/v1/children/{family.sibling.pk}/voiceprint/", TOM)
    consent = ConsentRecord.objects.get(child=family.child, scope=ConsentScope.VOICEPRINT, withdrawn_at__isnull=True)
    consent_withdraw(actor=family.parent, consent=consent)
    assert not Voiceprint.objects.filter(child=family.child).exists() and not VoiceprintSample.objects.exists()
    assert _verify(family.device, family.child.pk, LILY).status_code == 404
    ChildProfile.objects.filter(pk=family.sibling.pk).delete()
    assert not Voiceprint.objects.exists()


def test_delete_and_foreign_ids(family, quiet_family):
    path = f"/api/v1/children/{family.child.pk}/voiceprint/"
    assert family.web.delete(path).status_code == 404  # nothing enrolled yet
    _enrol(family.web, path, LILY)
    assert quiet_family.web.delete(path).status_code == 404
    assert family.web.delete(path).status_code == 204 and not Voiceprint.objects.exists()
    assert _verify(quiet_family.device, family.child.pk, LILY).status_code == 404


def test_the_voice_page_enrols_shows_and_deletes(family, client):
    from django.urls import reverse

    client.force_login(family.parent)
    url = reverse("child-voice", kwargs={"child_id": family.child.pk})
    page = client.get(url)
    assert page.status_code == 200 and 'capture="user"' in page.content.decode()
    enrolled = client.post(url, {"samples": _files(LILY), "keep_recordings": "on"})
    assert enrolled.status_code == 302 and Voiceprint.objects.get(child=family.child).keeps_recordings
    _verify(family.device, family.child.pk, LILY)
    shown = client.get(url).content.decode()
    assert "Delete the voiceprint" in shown or "删除" in shown
    assert "/ " in shown  # the attempt's score against the threshold
    noisy = client.post(url, {"samples": [*_files(LILY)[:2], SimpleUploadedFile("n.wav", noise())]})
    assert noisy.status_code == 400 and "errorlist" in noisy.content.decode()
    deleted = client.post(url, {"delete": "1"})
    assert deleted.status_code == 302 and not Voiceprint.objects.exists()


def test_the_admin_lists_voiceprints_and_attempts_without_the_embedding(family, client):
    from accounts.models import User

    _enrol(family.web, f"/api/v1/children/{family.child.pk}/voiceprint/", LILY)
    _verify(family.device, family.child.pk, LILY)
    staff = User.objects.create_superuser(email="staff.voice@example.com", password="staff-password-123")
    client.force_login(staff)
    voiceprint = Voiceprint.objects.get(child=family.child)
    listing = client.get("/admin/audio/voiceprint/")
    detail = client.get(f"/admin/audio/voiceprint/{voiceprint.pk}/change/")
    attempts = client.get("/admin/audio/voiceprintattempt/")
    assert listing.status_code == detail.status_code == attempts.status_code == 200
    shown = detail.content.decode()
    assert "Lily" in shown and "embedding" not in shown.lower() and "声纹特征" not in shown
    assert client.get("/admin/audio/voiceprint/add/").status_code == 403
    attempt = VoiceprintAttempt.objects.get()
    assert f"/admin/audio/voiceprintattempt/{attempt.pk}/change/" in attempts.content.decode()


def test_a_device_never_identifies_a_child_of_another_household(family):
    """A grandmother co-guards Lily and, in another household, her cousin: Lily's tablet must not
    recognise the cousin (nor log an attempt about her)."""
    from accounts.services.guardians import invitation_accept, invitation_create
    from tests.factories import make_child, make_parent

    grandma = make_parent("grandma@example.com")
    _invitation, token = invitation_create(actor=family.parent, child=family.child, email=grandma.email)
    invitation_accept(actor=grandma, token=token)
    other_owner = make_parent("aunt@example.com")
    cousin = make_child(other_owner, name="Cousin", scopes=["chat", "voice", "voiceprint"])
    _invitation, token = invitation_create(actor=other_owner, child=cousin, email=grandma.email)
    invitation_accept(actor=grandma, token=token)
    from tests.factories import login

    cousin_voice = "en-us+m5"
    assert (
        _enrol(login(other_owner.email), f"/api/v1/children/{cousin.pk}/voiceprint/", cousin_voice).status_code == 201
    )
    answer = _identify(family.device, speak(TEST, cousin_voice)).json()
    assert answer["child"] is None and answer["speaker"] == "unknown" and answer["score"] is None
    assert not VoiceprintAttempt.objects.filter(child=cousin).exists()
    # Grandma, who guards both, may ask about either.
    assert _identify(login(grandma.email), speak(TEST, cousin_voice)).json()["child"] == cousin.pk


def test_a_withdrawal_while_the_samples_are_heard_wins(family, monkeypatch):
    from audio.services import voiceprints as service

    real = service._heard
    withdrawn = []

    def heard_then_withdrawn(data):
        if not withdrawn:
            consent = ConsentRecord.objects.get(
                child=family.child, scope=ConsentScope.VOICEPRINT, withdrawn_at__isnull=True
            )
            consent_withdraw(actor=family.parent, consent=consent)
            withdrawn.append(True)
        return real(data)

    monkeypatch.setattr(service, "_heard", heard_then_withdrawn)
    response = _enrol(family.web, f"/api/v1/children/{family.child.pk}/voiceprint/", LILY, keep_recordings=True)
    assert response.status_code == 403 and response.json()["error"]["code"] == "consent_required"
    assert not Voiceprint.objects.exists() and not VoiceprintSample.objects.exists()


def test_unreadable_recordings_are_logged_too(family):
    _enrol(family.web, f"/api/v1/children/{family.child.pk}/voiceprint/", LILY)
    damaged = SimpleUploadedFile("x.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40)
    response = family.device.post("/api/v1/voice/identify/", {"audio": damaged}, format="multipart")
    assert response.status_code == 400 and response.json()["error"]["code"] == "corrupt_audio"
    assert list(VoiceprintAttempt.objects.values_list("kind", "decision")) == [("identify", "unreadable")]
