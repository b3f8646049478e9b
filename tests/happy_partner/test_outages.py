"""Redis and PostgreSQL going away under a running server, for real.

The Procfile's `web` command (gunicorn) is started against a database of its own and a
redis-server of its own on a free port; the test stops that Redis (or shuts its database's
connections) mid-run and checks what children and parents get, then that everything recovers
without restarting the web process. Traffic goes to 127.0.0.1 only, a bounded number of requests.
The decisions proved here are written down in README ("When Redis or PostgreSQL is down") and
API_SPEC §10.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import OperationalError
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from conversations.models import Message, SafetyEvent
from happy_partner.api.errors import api_exception_handler
from happy_partner.env import database_from_url
from happy_partner.urls import server_error
from tests.factories import PASSWORD, Cast, bearer
from tests.servers import ROOT, free_port, start_procfile

PG_URL = os.environ.get("DATABASE_URL", "")
CRISIS = "我不想活了"
ALL_DAY = {"weekday_start": "00:00", "weekday_end": "23:59", "weekend_start": "00:00", "weekend_end": "23:59"}
# A request during an outage must still be answered promptly (fail fast, never hang).
SLOW_SECONDS = 8

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")


MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


# --- In the test process: the cache pointing at a port where no Redis listens --------------------


@pytest.fixture
def morning() -> Iterator[None]:
    """Inside the children's allowed hours, whatever time the suite runs."""
    with time_machine.travel(MORNING, tick=False):
        yield


@pytest.fixture
def dead_cache(settings, morning, cast) -> Iterator[None]:
    """The family is built with a working cache; then the cache is a Redis nobody answers on."""
    working = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 1},
        }
    }
    yield
    settings.CACHES = working  # before conftest empties the cache


def _parent(cast: Cast) -> APIClient:
    client = APIClient()
    client.force_authenticate(cast.parent_a)
    return client


def _unavailable(response, code: str = "temporarily_unavailable") -> None:
    assert response.status_code == 503, response.content
    assert response.json()["error"]["code"] == code
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_without_the_cache_a_child_in_crisis_is_answered_stored_and_escalated(dead_cache, cast, caplog):
    device = bearer(APIClient(), cast.device_a1_tokens["access"])
    response = device.post("/api/v1/chat/", {"text": CRISIS}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["reply"]["text"]
    assert Message.objects.filter(session__child=cast.child_a1, text=CRISIS).exists()
    assert SafetyEvent.objects.get(child=cast.child_a1).action == "escalate"
    assert "throttle not counted, cache unavailable scope=child" in caplog.text


@pytest.mark.django_db
def test_without_the_cache_parents_read_and_stay_signed_in(dead_cache, cast):
    parent = _parent(cast)
    assert parent.get(f"/api/v1/children/{cast.child_a1.pk}/controls/").status_code == 200
    assert parent.get(f"/api/v1/children/{cast.child_a1.pk}/messages/").status_code == 200
    refresh = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": cast.device_a1_tokens["refresh"]})
    assert refresh.status_code == 200, refresh.content


@pytest.mark.django_db
def test_without_the_cache_what_a_lockout_or_the_credentials_rate_guards_answers_503(dead_cache, cast):
    anonymous = APIClient()
    _unavailable(anonymous.post("/api/v1/auth/token/", {"email": cast.parent_a.email, "password": PASSWORD}))
    _unavailable(
        anonymous.post("/api/v1/auth/register/", {"email": "n@example.com", "password": PASSWORD, "display_name": "N"})
    )
    _unavailable(anonymous.post("/api/v1/devices/pair/", {"code": "123456", "device_name": "T"}))
    device = bearer(APIClient(), cast.device_a1_tokens["access"])
    _unavailable(device.post(f"/api/v1/children/{cast.child_a1.pk}/controls/verify-pin/", {"pin": "000000"}))


@pytest.mark.django_db
def test_without_the_cache_readyz_names_it_in_one_log_line_not_a_traceback(dead_cache, caplog):
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert "cache" in response.json()["failing"]
    readiness = [record for record in caplog.records if record.name == "happy_partner.readiness"]
    assert [record.getMessage().split(":")[0] for record in readiness] == ["readiness check cache failed"]
    assert all(record.exc_info is None for record in readiness)  # probed every few seconds: no tracebacks
    assert Client().get("/healthz").status_code == 200


# --- The one error handler: an outage is a 503, never a 500 ------------------------------------------


def test_the_api_handler_answers_503_for_an_unreachable_database(caplog):
    response = api_exception_handler(OperationalError("server closed the connection unexpectedly"), {"view": None})
    assert response.status_code == 503
    assert response.data["error"]["code"] == "database_unavailable"
    assert int(response["Retry-After"]) > 0
    assert "server closed the connection" not in str(response.data)


@pytest.mark.parametrize(("path", "content_type"), [("/api/v1/me/", "application/json"), ("/admin/", "text/plain")])
def test_the_server_error_handler_answers_503_while_a_database_error_is_handled(path, content_type):
    request = RequestFactory().get(path)
    try:
        raise OperationalError("the database system is starting up")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Content-Type"].startswith(content_type)
    assert int(response["Retry-After"]) > 0
    assert b"starting up" not in response.content
    try:
        raise KeyError("a bug")
    except KeyError:
        assert server_error(RequestFactory().get("/api/v1/me/")).status_code == 500


def test_the_database_pool_checks_connections_before_lending_them():
    db = database_from_url("DATABASE_URL", "postgres://u@127.0.0.1/hp", pool_max=4, pool_timeout=3)
    assert db["CONN_HEALTH_CHECKS"] is True  # Django passes ConnectionPool.check_connection to the pool
    assert db["OPTIONS"]["pool"]["timeout"] == 3


# --- Real servers: the Procfile's web process, a private Redis, a private database ------------------


class RedisServer:
    """A private redis-server on a free port: no persistence, killed at teardown."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [*command, "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # a crash, not a polite shutdown
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _admin_connection():
    import psycopg

    parts = urlsplit(PG_URL)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres", query="")), autocommit=True)


@pytest.fixture
def database_url(tmp_path) -> Iterator[str | None]:
    """A database of the server's own: a fresh PostgreSQL database when the suite runs on
    PostgreSQL, else SQLite in the server's own var directory. None means SQLite."""
    if not PG_URL:
        yield None
        return
    name = f"hp_outage_{os.getpid()}"
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(PG_URL)._replace(path=f"/{name}"))
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    """The Procfile's `web` process with its own port, var directory, database and Redis."""

    def __init__(self, tmp_path: Path, *, database_url: str | None, redis_url: str | None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"}
        }
        env.update(
            PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
            HAPPY_PARTNER_PORT=str(self.port),
            HAPPY_PARTNER_VAR_DIR=str(tmp_path / "var"),
            DEBUG="0",
            SECURE_SSL_REDIRECT="0",
            WEB_WORKERS="2",
            DATABASE_POOL_TIMEOUT="2",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        if redis_url:
            env["REDIS_URL"] = redis_url
        self.env = env
        (tmp_path / "var").mkdir(exist_ok=True)
        self.log_path = tmp_path / "web.log"
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert migrate.returncode == 0, migrate.stderr[-3000:]
        self.log = self.log_path.open("w")
        self.process = start_procfile("web", env=env, stdout=self.log)
        deadline = time.monotonic() + 60
        while self.request("GET", "/healthz", check_fast=False)[0] != 200:
            assert self.process.poll() is None, self.log_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)

    def request(
        self, method: str, path: str, body: dict | None = None, token: str | None = None, *, check_fast: bool = True
    ) -> tuple[int, dict, dict]:
        headers = {"Accept-Language": "en"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http://127.0.0.1 only
                status, raw, response_headers = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            status, raw, response_headers = error.code, error.read(), dict(error.headers)
        except OSError:
            return 0, {}, {}
        if check_fast:
            assert time.monotonic() - started < SLOW_SECONDS, f"{method} {path} took too long"
        assert b"Traceback" not in raw
        return status, (json.loads(raw) if raw else {}), response_headers

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self.log.close()


@pytest.fixture
def start_server(tmp_path) -> Iterator:
    started: list[Server] = []

    def start(**kwargs) -> Server:
        server = Server(tmp_path, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _family(server: Server, email: str) -> dict:
    """A parent, a child with all-day chat, and the child's paired device, all through the API."""
    password = "a-long-and-unusual-passphrase-42"
    status, _, _ = server.request(
        "POST", "/api/v1/auth/register/", {"email": email, "password": password, "display_name": "P"}
    )
    assert status == 201
    status, tokens, _ = server.request("POST", "/api/v1/auth/token/", {"email": email, "password": password})
    assert status == 200
    parent = tokens["access"]
    status, child, _ = server.request(
        "POST", "/api/v1/children/", {"display_name": "Kid", "age": 8, "consent_scopes": ["chat"]}, parent
    )
    assert status == 201, child
    assert server.request("PATCH", f"/api/v1/children/{child['id']}/controls/", ALL_DAY, parent)[0] == 200
    status, code, _ = server.request("POST", f"/api/v1/children/{child['id']}/pairing-codes/", None, parent)
    assert status == 201
    status, paired, _ = server.request("POST", "/api/v1/devices/pair/", {"code": code["code"], "device_name": "Tab"})
    assert status == 201, paired
    return {
        "email": email,
        "password": password,
        "parent": parent,
        "refresh": tokens["refresh"],
        "child_id": child["id"],
        "device": paired["access"],
    }


def _assert_unavailable(answer: tuple[int, dict, dict], code: str) -> None:
    status, body, headers = answer
    assert status == 503, (status, body)
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert int(headers["Retry-After"]) > 0


def _wait_until(predicate, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "did not recover in time"
        time.sleep(0.5)


def test_redis_down_children_are_answered_crises_stored_and_parents_can_read(start_server, redis_server, database_url):
    server = start_server(database_url=database_url, redis_url=redis_server.url)
    family = _family(server, "outage.parent@example.com")
    child_id, parent, device = family["child_id"], family["parent"], family["device"]
    assert server.request("POST", "/api/v1/chat/", {"text": "你好"}, device)[0] == 200
    assert server.request("GET", "/readyz")[0] == 200

    redis_server.stop()

    # The probes: alive, but not ready, naming every part that lives in Redis.
    assert server.request("GET", "/healthz")[0] == 200
    status, ready, _ = server.request("GET", "/readyz")
    assert status == 503
    assert {"cache", "channel_layer", "broker"} <= set(ready["failing"])
    assert "database" not in ready["failing"]

    # A child in crisis is answered with care; the message and the escalation are stored.
    status, chat, _ = server.request("POST", "/api/v1/chat/", {"text": CRISIS}, device)
    assert status == 200, chat
    assert chat["reply"]["text"]
    # The parent can still read: controls, history, safety events; and stays signed in.
    assert server.request("GET", f"/api/v1/children/{child_id}/controls/", None, parent)[0] == 200
    status, history, _ = server.request("GET", f"/api/v1/children/{child_id}/messages/", None, parent)
    assert status == 200
    assert CRISIS in [message["text"] for message in history["results"]]
    status, events, _ = server.request("GET", f"/api/v1/children/{child_id}/safety-events/", None, parent)
    assert status == 200
    assert "escalate" in [event["action"] for event in events["results"]]
    status, refreshed, _ = server.request("POST", "/api/v1/auth/token/refresh/", {"refresh": family["refresh"]})
    assert status == 200, refreshed
    # Writes that queue an e-mail still succeed (the e-mail cannot be queued; see README).
    invitations = f"/api/v1/children/{child_id}/invitations/"
    assert server.request("POST", invitations, {"email": "grandma@example.com"}, parent)[0] == 201

    # Endpoints guarded by a lockout or the credentials rate limit refuse cleanly: they cannot be counted.
    credentials = {"email": family["email"], "password": family["password"]}
    _assert_unavailable(server.request("POST", "/api/v1/auth/token/", credentials), "temporarily_unavailable")
    _assert_unavailable(
        server.request(
            "POST", "/api/v1/auth/register/", {"email": "new@example.com", "password": "x" * 20, "display_name": "N"}
        ),
        "temporarily_unavailable",
    )
    _assert_unavailable(
        server.request("POST", "/api/v1/devices/pair/", {"code": "123456", "device_name": "T"}),
        "temporarily_unavailable",
    )

    redis_server.start()  # same port, empty: a restarted Redis

    _wait_until(lambda: server.request("GET", "/readyz")[0] == 200)
    assert server.request("POST", "/api/v1/auth/token/", credentials)[0] == 200
    assert server.request("POST", "/api/v1/chat/", {"text": "我们来讲故事吧"}, device)[0] == 200
    log = server.log_text()
    assert '" 500 ' not in log, log[-4000:]
    assert "Internal Server Error" not in log, log[-4000:]


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL restarts need PostgreSQL (DATABASE_URL)")
def test_postgresql_restart_fails_cleanly_and_recovers_without_restarting_the_server(start_server, database_url):
    server = start_server(database_url=database_url, redis_url=None)
    family = _family(server, "pg.parent@example.com")
    child_id, parent, device = family["child_id"], family["parent"], family["device"]
    controls = f"/api/v1/children/{child_id}/controls/"
    assert server.request("GET", controls, None, parent)[0] == 200
    name = urlsplit(database_url).path.lstrip("/")

    def terminate_connections(admin) -> None:
        admin.execute(
            # Waits (up to 5 s) until each backend has exited, as after a restart.
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )

    # A restart that is over before the next request costs no request: the pool checks the
    # connection it lends and replaces the ones the restart closed.
    with _admin_connection() as admin:
        terminate_connections(admin)
    for _ in range(4):  # more than the workers, so every worker's pool meets a closed connection
        assert server.request("GET", controls, None, parent)[0] == 200

    # During a restart every connection is closed, and new ones are refused meanwhile.
    with _admin_connection() as admin:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        terminate_connections(admin)
    try:
        assert server.request("GET", "/healthz")[0] == 200
        _assert_unavailable(server.request("GET", controls, None, parent), "database_unavailable")
        _assert_unavailable(server.request("POST", "/api/v1/chat/", {"text": "你好"}, device), "database_unavailable")
        status, ready, _ = server.request("GET", "/readyz")
        assert status == 503
        assert ready["failing"] == ["database"]
    finally:
        with _admin_connection() as admin:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')

    _wait_until(lambda: server.request("GET", controls, None, parent)[0] == 200)
    assert server.request("POST", "/api/v1/chat/", {"text": "你好"}, device)[0] == 200
    assert server.request("GET", "/readyz")[0] == 200
    log = server.log_text()
    assert '" 500 ' not in log, log[-4000:]
