"""Who may do what in the data-lifecycle API: every endpoint x every persona, with the exact answer.
Parents only (a device never reaches a family's archives, exports or erasure); a foreign child,
archive or export is 404. The cast is tests/factories.py's; child_a1 has one archived chat and one
ready export here."""

# ruff: noqa: E501

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.principals import ChildPrincipal
from archive.models import ConversationArchive
from archive.services.archiving import conversations_archive
from archive.services.exports import export_build, export_request, export_token
from conversations.services.pipeline import message_send
from tests.factories import Cast

PERSONAS = ("anonymous", "parent_a", "parent_b", "co_guardian", "device_a1", "device_b1", "staff")
MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OK, ACCEPTED, NO_CONTENT = 200, 202, 204
ANON = (401, "not_authenticated")
PARENT = (403, "parent_required")
NF = (404, "not_found")
BAD = (400, "invalid", "confirm")
DAYS = {"transcript_days": 90}
WRONG = {"confirm": "not-my-address@example.com"}

# fmt: off
MATRIX: list[tuple] = [
    # method    path                                           body    anonymous  parent_a   parent_b  co_guardian  device_a1  device_b1  staff
    ("GET",    "children/{a1}/archives/",                      None,   ANON,      OK,        NF,       OK,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/archives/{arc}/messages/",       None,   ANON,      OK,        NF,       OK,          PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/archives/{arc}/restore/",        None,   ANON,      OK,        NF,       OK,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/retention/",                     None,   ANON,      OK,        NF,       OK,          PARENT,    PARENT,    NF),
    ("PUT",    "children/{a1}/retention/",                     DAYS,   ANON,      OK,        NF,       OK,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/exports/",                       None,   ANON,      OK,        NF,       OK,          PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/exports/",                       None,   ANON,      ACCEPTED,  NF,       ACCEPTED,    PARENT,    PARENT,    NF),
    ("GET",    "exports/{exp}/",                               None,   ANON,      OK,        NF,       OK,          PARENT,    PARENT,    NF),
    ("GET",    "exports/{exp}/download/?token={token}",        None,   ANON,      OK,        NF,       OK,          PARENT,    PARENT,    NF),
    ("POST",   "me/erase/",                                    WRONG,  ANON,      BAD,       BAD,      BAD,         PARENT,    PARENT,    BAD),
]
# fmt: on
URL_PLACEHOLDERS = {"child_id": "{a1}", "archive_id": "{arc}", "export_id": "{exp}"}


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(MORNING, tick=False):
        yield


def _world(cast: Cast) -> dict[str, Any]:
    actor = ChildPrincipal(child=cast.child_a1, device=cast.device_a1)
    with time_machine.travel(MORNING - timedelta(days=100), tick=False):
        message_send(actor=actor, child_id=cast.child_a1.pk, text="我喜欢恐龙")
    conversations_archive(older_than_days=30, now=MORNING)
    job = export_request(actor=cast.parent_a, child=cast.child_a1)
    export_build(job_id=job.pk)
    job.refresh_from_db()
    return {**cast.path_ids(), "arc": ConversationArchive.objects.get().pk, "exp": job.pk, "token": export_token(job)}


def _cells():
    for method, path, body, *answers in MATRIX:
        assert len(answers) == len(PERSONAS)
        for persona, expected in zip(PERSONAS, answers, strict=True):
            yield pytest.param(method, path, body, persona, expected, id=f"{method} {path} as {persona}")


def test_matrix_lists_every_route():
    import happy_partner.urls  # noqa: F401  (registers the <id:...> converter)
    from archive.api.urls import urlpatterns

    covered = {(method, path.split("?")[0]) for method, path, *_rest in MATRIX}
    for pattern in urlpatterns:
        template = str(pattern.pattern)
        for name, placeholder in URL_PLACEHOLDERS.items():
            template = template.replace(f"<id:{name}>", placeholder)
        view = pattern.callback.view_class
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                assert (method.upper(), template) in covered, f"no row for {method.upper()} {template}"


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "body", "persona", "expected"), list(_cells()))
def test_permission_matrix(cast: Cast, method, path, body, persona, expected):
    ids = _world(cast)
    client = cast.client_for(persona)
    client.raise_request_exception = False
    url = "/api/v1/" + path.format(**ids)
    response = (
        getattr(client, method.lower())(url, body, format="json") if body else getattr(client, method.lower())(url)
    )
    status, code, *field = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status, (method, url, persona, response.status_code, response.content[:300])
    if status >= 400:
        error = response.json()["error"]
        assert error["code"] == code and error["message"], error
        if field:
            assert field[0] in error["fields"]
        return
    if path.startswith("exports/{exp}/download"):
        assert response["Content-Type"] == "application/zip" and response.content[:2] == b"PK"
    elif path.endswith("/messages/"):
        assert [m["text"] for m in response.json() if m["role"] == "child"] == ["我喜欢恐龙"]
    elif path.endswith("/restore/"):
        assert response.json()["restored"] == 2 and not ConversationArchive.objects.exists()
    elif path.endswith("/retention/"):
        assert set(response.json()) == {"transcript_days", "default_days", "choices", "legal_hold"}
    elif method == "POST" and path.endswith("/exports/"):
        assert response.json()["status"] in ("queued", "done")
