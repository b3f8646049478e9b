"""Who may do what in the audio API: every endpoint x every persona, with the exact answer.

The cast of tests/factories.py: parent_a owns child_a1 (paired device_a1; chat and voice consents,
plus the voiceprint consent and an enrolled voiceprint here) and child_a2; co_guardian guards child_a1;
parent_b owns child_b1 (device_b1; chat consent only, so its device may not use voice); staff is a
superuser with no children. parent_a has enrolled their own voiceprint too. child_a1 speaks English
(the offline recogniser's language). A foreign child is always 404, never 403.

Bodies are multipart with real espeak-ng recordings (``synthesize`` takes JSON). Each row is checked as
every persona; a success must also carry what the endpoint promises (CHECKS).
"""

# The matrix is a table; its rows are wider than the line limit on purpose.
# ruff: noqa: E501

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ChildProfile, ConsentScope
from accounts.services.consent import consent_grant
from audio.models import Voiceprint
from audio.services.voiceprints import voiceprint_enrol
from tests.audio.conftest import PHRASES, speak
from tests.factories import Cast

PERSONAS = ("anonymous", "parent_a", "parent_b", "co_guardian", "device_a1", "device_b1", "staff")
MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OK, CREATED, DELETED = 200, 201, 204
ANON = (401, "not_authenticated")
PARENT = (403, "parent_required")
NF = (404, "not_found")
VOICE_OFF = (403, "voice_disabled")
WHICH_CHILD = (400, "invalid", "child")
ENROL = [
    "The cat sat on the warm mat by the door.",
    "I went to the park after school today.",
    "My favourite colour is blue.",
]
VOICE = "en-us+f3"

AUDIO = {"audio": "@question"}
AUDIO_A1 = {"audio": "@question", "child": "{a1}"}
AUDIO_B1 = {"audio": "@question", "child": "{b1}"}
HEAR = {"audio": "@question", "language": "en", "phrases": PHRASES}
HEAR_A1 = {"audio": "@question", "child": "{a1}", "phrases": PHRASES}
SAY = {"text": "Hello!", "language": "en"}
SAY_A1 = {"text": "Hello!", "child": "{a1}"}
ASK = {"audio": "@question"}
ASK_A1 = {"audio": "@question", "child": "{a1}"}
SAMPLES = {"samples": ["@enrol0", "@enrol1", "@enrol2"]}
VERIFY_A1 = {"audio": "@voice", "child": "{a1}"}
VERIFY_B1 = {"audio": "@voice", "child": "{b1}"}
WHO = {"audio": "@voice"}

# fmt: off
MATRIX: list[tuple] = [
    # method    path                            body        anonymous  parent_a     parent_b     co_guardian  device_a1  device_b1  staff
    ("POST",   "audio/process/",                AUDIO,      ANON,      OK,          OK,          OK,          OK,        VOICE_OFF, OK),
    ("POST",   "audio/transcribe/",             HEAR,       ANON,      OK,          OK,          OK,          OK,        VOICE_OFF, OK),
    ("POST",   "audio/transcribe/",             HEAR_A1,    ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("POST",   "audio/synthesize/",             SAY,        ANON,      OK,          OK,          OK,          OK,        VOICE_OFF, OK),
    ("POST",   "audio/synthesize/",             SAY_A1,     ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("POST",   "chat/voice/",                   ASK,        ANON,      WHICH_CHILD, WHICH_CHILD, WHICH_CHILD, OK,        VOICE_OFF, WHICH_CHILD),
    ("POST",   "chat/voice/",                   ASK_A1,     ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("POST",   "children/{a1}/voiceprint/",     SAMPLES,    ANON,      CREATED,     NF,          CREATED,     PARENT,    PARENT,    NF),
    ("DELETE", "children/{a1}/voiceprint/",     None,       ANON,      DELETED,     NF,          DELETED,     PARENT,    PARENT,    NF),
    ("POST",   "me/voiceprint/",                SAMPLES,    ANON,      CREATED,     CREATED,     CREATED,     PARENT,    PARENT,    CREATED),
    ("DELETE", "me/voiceprint/",                None,       ANON,      DELETED,     NF,          NF,          PARENT,    PARENT,    NF),
    ("POST",   "voice/verify/",                 VERIFY_A1,  ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("POST",   "voice/verify/",                 VERIFY_B1,  ANON,      NF,          NF,          NF,          NF,        VOICE_OFF, NF),
    ("POST",   "voice/identify/",               WHO,        ANON,      OK,          OK,          OK,          OK,        VOICE_OFF, OK),
]
# fmt: on
URL_PLACEHOLDERS = {"child_id": "{a1}"}


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(MORNING, tick=False):
        yield


def _setup_world(cast: Cast) -> dict[str, Any]:
    consent_grant(actor=cast.parent_a, child=cast.child_a1, scope=ConsentScope.VOICEPRINT)
    ChildProfile.objects.filter(pk=cast.child_a1.pk).update(language="en")
    recordings = [(speak(s, VOICE), "audio/wav") for s in ENROL]
    voiceprint_enrol(actor=cast.parent_a, child_id=cast.child_a1.pk, recordings=recordings)
    voiceprint_enrol(
        actor=cast.parent_a, child_id=None, recordings=[(speak(s, "en-us+m7"), "audio/wav") for s in ENROL]
    )
    return cast.path_ids()


def _file(name: str) -> SimpleUploadedFile:
    if name == "question":
        return SimpleUploadedFile("q.wav", speak("what is two plus three"))
    if name == "voice":
        return SimpleUploadedFile("v.wav", speak("Yesterday it rained so we stayed inside and played games.", VOICE))
    return SimpleUploadedFile(f"{name}.wav", speak(ENROL[int(name[-1])], VOICE))


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    if isinstance(value, str) and value.startswith("@"):
        return _file(value[1:])
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def _check_process(body: dict) -> None:
    assert body["sample_rate"] == 16000 and body["steps"][-1]["step"] == "normalise_loudness"


def _check_transcript(body: dict) -> None:
    assert body["text"] == "what is two plus three" and body["engine"] == "pocketsphinx"


def _check_voice_chat(body: dict) -> None:
    # Free speech through pocketsphinx: the words may be wrong (docs/AUDIO.md), the path is what counts.
    assert body["transcript"]["text"] and body["transcript"]["engine"] == "pocketsphinx" and body["reply"]["text"]
    assert base64.b64decode(body["speech"]["audio"])[:4] == b"RIFF"


def _check_voiceprint(body: dict) -> None:
    assert body["samples"] == 3 and body["embedder"]


def _check_verify(body: dict) -> None:
    assert body["verified"] is True and body["score"] >= body["threshold"]


def _check_identify(body: dict) -> None:
    assert set(body) == {"child", "score", "speaker", "threshold"}


CHECKS = {
    "audio/process/": _check_process,
    "audio/transcribe/": _check_transcript,
    "chat/voice/": _check_voice_chat,
    "children/{id}/voiceprint/": _check_voiceprint,
    "me/voiceprint/": _check_voiceprint,
    "voice/verify/": _check_verify,
    "voice/identify/": _check_identify,
}


def _route_of(path: str) -> str:
    return "/".join("{id}" if part.isdigit() else part for part in path.split("/"))


def _cells():
    for method, path, body, *answers in MATRIX:
        assert len(answers) == len(PERSONAS), f"{method} {path}: one answer per persona"
        for persona, expected in zip(PERSONAS, answers, strict=True):
            named = " ".join(f"{k}={v}" for k, v in (body or {}).items() if k == "child")
            yield pytest.param(method, path, body, persona, expected, id=f"{method} {path} [{named}] as {persona}")


def test_matrix_lists_every_route():
    import happy_partner.urls  # noqa: F401  (registers the <id:...> converter)
    from audio.api.urls import urlpatterns

    covered = {(method, path) for method, path, *_rest in MATRIX}
    for pattern in urlpatterns:
        template = str(pattern.pattern)
        for name, placeholder in URL_PLACEHOLDERS.items():
            template = template.replace(f"<id:{name}>", placeholder)
        view = pattern.callback.view_class
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                assert (method.upper(), template) in covered, f"no row for {method.upper()} {template}"


@pytest.mark.parametrize(("method", "path", "body", "persona", "expected"), list(_cells()))
def test_permission_matrix(cast: Cast, method, path, body, persona, expected):
    ids = _setup_world(cast)
    client = cast.client_for(persona)
    client.raise_request_exception = False
    url = "/api/v1/" + path.format(**ids)
    sent = _fill(body, ids)
    if body is None:
        response = getattr(client, method.lower())(url)
    elif path == "audio/synthesize/":
        response = client.post(url, sent, format="json")
    else:
        response = client.post(url, sent, format="multipart")
    status, code, *field = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status, (method, url, persona, response.status_code, response.content[:300])
    if status >= 400:
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields"} and error["message"]
        assert error["code"] == code, (persona, error)
        if field:
            assert field[0] in error["fields"], error
        return
    route = _route_of(path.format(**ids))
    if status == DELETED:
        owner = {"child_id": ids["a1"]} if route.startswith("children") else {"user": cast.parent_a}
        assert not response.content and not Voiceprint.objects.filter(**owner).exists()
        return
    if path == "audio/synthesize/":
        assert response["Content-Type"] == "audio/wav" and response.content[:4] == b"RIFF"
        return
    CHECKS[route](response.json())
