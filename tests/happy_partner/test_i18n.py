"""Chinese first, English second: the real catalogue, through the real HTTP API and the real e-mails.

The expected Chinese texts are read from locale/zh_Hans/LC_MESSAGES/django.po (parsed here with
the standard library), so a translator can reword a message without touching these tests, while
any message that falls back to English, or a catalogue that is incomplete, fuzzy or not compiled,
fails them.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from accounts.services.guardians import invitation_create
from tests.factories import PASSWORD, login, make_child, make_parent, pair_device

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

HAN = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


# --- a tiny .po reader ----------------------------------------------------------------------------
@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a PO string: {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr / msgstr[n] and flags.
    Obsolete (``#~``) entries are dead text and are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)  # the field that continuation lines extend
    flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert entry is not None, f"{path}:{number}: a string outside an entry"
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, getattr(entry, name) + _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        context_only = entry is not None and target == ("msgctxt", 0)
        if keyword == "msgctxt" or (keyword == "msgid" and not context_only):
            entry = Entry(flags=flags, line=number)
            entries.append(entry)
            flags = set()
        assert entry is not None, f"{path}:{number}: cannot read {raw!r}"
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, _unquote(rest))
            target = (keyword, 0)
            continue
        match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
        assert match, f"{path}:{number}: cannot read {raw!r}"
        index = int(match.group(1) or 0)
        entry.msgstr[index] = _unquote(rest)
        target = ("msgstr", index)
    return entries


ENTRIES = parse_po(PO_PATH)
HEADER = next(entry for entry in ENTRIES if entry.msgid == "" and entry.msgctxt is None)
MESSAGES = [entry for entry in ENTRIES if entry is not HEADER]
ZH = {entry.msgid: entry.msgstr[0] for entry in MESSAGES if entry.msgctxt is None}


def zh(msgid: str) -> str:
    """The catalogue's Chinese for ``msgid``, which must be a real translation."""
    text = ZH[msgid]
    assert text and text != msgid and HAN.search(text), f"no Chinese translation for {msgid!r}"
    return text


def _post(client: APIClient, path: str, data, language: str | None = None):
    extra = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return client.post(path, data, format="json", **extra)


# --- the catalogue itself -------------------------------------------------------------------------
def test_catalogue_header_is_zh_hans_utf8_one_plural_form():
    headers = dict(line.split(": ", 1) for line in HEADER.msgstr[0].splitlines() if ": " in line)
    assert headers["Language"] == "zh_Hans"
    assert headers["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert "charset=UTF-8" in headers["Content-Type"]
    assert "fuzzy" not in HEADER.flags


def test_catalogue_is_complete_and_nothing_is_fuzzy():
    assert len(MESSAGES) > 100  # the parser really read the file
    fuzzy = [entry.msgid for entry in MESSAGES if "fuzzy" in entry.flags]
    empty = [entry.msgid for entry in MESSAGES if not entry.msgstr or not all(entry.msgstr.values())]
    untranslated = [entry.msgid for entry in MESSAGES if not any(HAN.search(text) for text in entry.msgstr.values())]
    assert fuzzy == []
    assert empty == []
    assert untranslated == []


def test_every_translation_keeps_its_placeholders():
    for entry in MESSAGES:
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in entry.msgstr.values():
            assert sorted(PLACEHOLDER.findall(text)) == wanted, entry.msgid


def test_compiled_catalogue_matches_the_po_file():
    """The .mo Django loads (built by `make setup`) says exactly what the .po says."""
    assert MO_PATH.exists(), "compile the catalogue: msgfmt --check-format -o locale/zh_Hans/... (make setup)"
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info()["language"] == "zh_Hans"
    for msgid, text in ZH.items():
        if msgid:
            assert compiled.gettext(msgid) == text, f"django.mo is stale for {msgid!r}"


# --- errors through the HTTP API ------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("accept_language", [None, "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "fr-FR,fr;q=0.9"])
def test_wrong_password_answers_in_chinese_by_default(accept_language):
    make_parent("mama@example.com")
    response = _post(
        APIClient(), "/api/v1/auth/token/", {"email": "mama@example.com", "password": "wrong"}, accept_language
    )
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "invalid_credentials"
    assert error["message"] == zh("The e-mail address or password is not right.")
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
@pytest.mark.parametrize("accept_language", ["en", "en-US,en;q=0.9"])
def test_wrong_password_answers_in_english_when_asked(accept_language):
    make_parent("mum@example.com")
    response = _post(
        APIClient(), "/api/v1/auth/token/", {"email": "mum@example.com", "password": "wrong"}, accept_language
    )
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "invalid_credentials"
    assert error["message"] == "The e-mail address or password is not right."
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_malformed_json_message_follows_the_language():
    source = "The request body could not be read. Send valid JSON."
    for extra, expected in [({}, zh(source)), ({"HTTP_ACCEPT_LANGUAGE": "en"}, source)]:
        response = APIClient().post("/api/v1/auth/token/", data="{", content_type="application/json", **extra)
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "malformed_request"
        assert error["message"] == expected


@pytest.mark.django_db
def test_validation_errors_are_chinese_down_to_the_field_messages():
    make_parent("baba@example.com")
    parent = login("baba@example.com")

    response = _post(parent, "/api/v1/children/", {"display_name": "小宝", "consent_scopes": ["chat"]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == zh("Some fields are not valid.")
    assert error["fields"] == {"birth_date": [zh("Give a birth date or an age.")]}

    # A message with numbers put in: the placeholders survive the translation.
    response = _post(
        parent, "/api/v1/children/", {"display_name": "小宝", "birth_date": "2000-01-01", "consent_scopes": ["chat"]}
    )
    assert response.status_code == 400
    expected = zh("Happy Partner is made for children aged %(min)d to %(max)d.") % {"min": 4, "max": 13}
    assert response.json()["error"]["fields"] == {"birth_date": [expected]}

    # DRF's own field messages come from DRF's Chinese catalogue.
    response = _post(APIClient(), "/api/v1/auth/token/", {"email": "baba@example.com"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"password": ["该字段是必填项。"]}


@pytest.mark.django_db
def test_validation_errors_are_english_when_asked():
    make_parent("dad@example.com")
    parent = login("dad@example.com")
    response = _post(parent, "/api/v1/children/", {"display_name": "Leo", "consent_scopes": ["chat"]}, "en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "Some fields are not valid."
    assert error["fields"] == {"birth_date": ["Give a birth date or an age."]}

    response = _post(APIClient(), "/api/v1/auth/token/", {"email": "dad@example.com"}, "en")
    assert response.json()["error"]["fields"] == {"password": ["This field is required."]}


@pytest.mark.django_db
def test_a_child_device_hears_pairing_and_revocation_in_chinese():
    """Messages a child may read: a wrong pairing code and a device a parent removed."""
    response = _post(APIClient(), "/api/v1/devices/pair/", {"code": "12345", "device_name": "平板"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "pairing_code_invalid"
    assert error["message"] == zh("This code is not right or has expired. Ask a parent for a new one.")
    assert error["fields"] == {"code": [zh("Not a valid pairing code.")]}

    parent = make_parent("nainai@example.com")
    child = make_child(parent, name="小宝")
    device, tokens = pair_device(parent, child)
    revoked = login("nainai@example.com").post(f"/api/v1/children/{child.pk}/devices/{device.pk}/revoke/")
    assert revoked.status_code == 200, revoked.content

    device_client = APIClient()
    device_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    response = device_client.get("/api/v1/me/")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "device_revoked"
    assert error["message"] == zh("This device has been removed by a parent. Ask a parent to pair it again.")

    english = device_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert english["message"] == "This device has been removed by a parent. Ask a parent to pair it again."


# --- the guardian invitation e-mail ---------------------------------------------------------------
def _english_words_left(body: str, *known: str) -> set[str]:
    """Latin words in ``body`` once the values put into it are taken out."""
    for value in known:
        body = body.replace(value, " ")
    return set(re.findall(r"[A-Za-z]{3,}", body))


@pytest.mark.django_db
def test_invitation_email_is_chinese_for_a_chinese_speaking_inviter(mailoutbox, django_capture_on_commit_callbacks):
    inviter = make_parent("mama@example.com", display_name="妈妈", language="zh-hans")
    child = make_child(inviter, name="小宝")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        # Whatever language the caller is in, the e-mail is in the inviter's.
        _invitation, token = invitation_create(actor=inviter, child=child, email="nainai@example.com")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["nainai@example.com"]
    subject = zh("%(inviter)s invites you to look after %(child)s on Happy Partner")
    assert mail.subject == subject % {"inviter": "妈妈", "child": "小宝"}
    body = mail.body
    assert body.startswith("您好")
    assert "妈妈 邀请您在 Happy Partner 上成为 小宝 的监护人" in body
    assert token in body
    accept_url = f"{settings.SITE_URL}/invitations/accept/?token={token}"  # the dashboard's page
    assert accept_url in body
    assert "（Asia/Shanghai 时间）" in body  # the family's zone is named, not assumed
    assert _english_words_left(body.replace("Asia/Shanghai", ""), accept_url, token) <= {
        "Happy",
        "Partner",
    }


@pytest.mark.django_db
def test_invitation_email_is_english_for_an_english_speaking_inviter(mailoutbox, django_capture_on_commit_callbacks):
    inviter = make_parent("mum@example.com", display_name="Mum", language="en")
    child = make_child(inviter, name="Leo")
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        # Whatever language the caller is in, the e-mail is in the inviter's.
        _invitation, token = invitation_create(actor=inviter, child=child, email="gran@example.com")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "Mum invites you to look after Leo on Happy Partner"
    assert mail.body.startswith("Hello,\n\nMum has invited you to become a guardian of Leo on Happy Partner.")
    assert token in mail.body
    assert not HAN.search(mail.body)
    assert "If you did not expect this e-mail, you can ignore it." in mail.body


@pytest.mark.django_db
def test_invitation_by_http_in_english_still_mails_in_the_inviters_chinese(
    mailoutbox, django_capture_on_commit_callbacks
):
    inviter = make_parent("baba@example.com", display_name="爸爸", language="zh-hans")
    child = make_child(inviter, name="小宝")
    client = login("baba@example.com", PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, f"/api/v1/children/{child.pk}/invitations/", {"email": "yeye@example.com"}, "en")
    assert response.status_code == 201, response.content
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == zh("%(inviter)s invites you to look after %(child)s on Happy Partner") % {
        "inviter": "爸爸",
        "child": "小宝",
    }
    assert mailoutbox[0].body.startswith("您好")
