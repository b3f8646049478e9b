"""End to end against the servers ``make run`` starts, driven only over HTTP and real WebSockets, like
an app would. Without Redis (``Procfile.embedded``: one ASGI process for HTTP and WebSockets) the demo
parent signs in, pairs a device, both open their sockets with tickets, and the child's message
streams back sentence by sentence while the parent's socket receives the alert of the escalation.
With Redis (``Procfile``: gunicorn and uvicorn) an alert raised over HTTP in one process reaches the
parent's socket in the other, through the real Redis channel layer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from websockets.sync.client import connect

from accounts.services.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.servers import ROOT, free_port, start_procfile


def _request(base: str, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}/api/v1/{path}", data=data, method=method)  # noqa: S310 - 127.0.0.1
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http://127.0.0.1 only
        return json.loads(response.read() or b"{}")


def _wait(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited with {process.returncode}"
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - http://127.0.0.1 only
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not answer in time")


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        HAPPY_PARTNER_VAR_DIR=str(tmp_path),
        DEBUG="1",  # plain http on 127.0.0.1, as `make run` serves it
        **extra,
    )
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    return env


def _pair(base: str) -> tuple[str, int, str]:
    """The demo parent's token, its first child, and a freshly paired device's token."""
    parent = _request(base, "POST", "auth/token/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})["access"]
    child = _request(base, "GET", "children/", token=parent)["results"][0]["id"]
    code = _request(base, "POST", f"children/{child}/pairing-codes/", {}, token=parent)["code"]
    device = _request(base, "POST", "devices/pair/", {"code": code, "device_name": "Tablet"})["access"]
    return parent, child, device


def test_a_child_streams_a_reply_while_the_parent_socket_gets_the_alert(tmp_path: Path):
    port = free_port()
    env = _environment(tmp_path, HAPPY_PARTNER_PORT=str(port))
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = start_procfile("web", env=env, stdout=out, procfile="Procfile.embedded")
    base, ws = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"
    try:
        _wait(base, server)
        parent, child, device = _pair(base)
        parent_ticket = _request(base, "POST", "realtime/ticket/", token=parent)["ticket"]
        child_ticket = _request(base, "POST", "realtime/ticket/", token=device)["ticket"]
        # Neither socket sends an Origin header: apps and devices do not.
        with (
            connect(f"{ws}/ws/v1/parent/?ticket={parent_ticket}", open_timeout=10) as parent_socket,
            connect(f"{ws}/ws/v1/chat/?ticket={child_ticket}", open_timeout=10) as chat,
        ):
            assert json.loads(parent_socket.recv(timeout=10))["type"] == "child.online"
            chat.send(json.dumps({"type": "message", "text": "我不想活了", "client_id": "e2e-1"}))
            events = []
            while not events or events[-1]["type"] != "done":
                events.append(json.loads(chat.recv(timeout=30)))
            kinds = [e["type"] for e in events]
            assert kinds[:2] == ["accepted", "agent"] and "delta" in kinds
            assert events[-1]["safety"]["action"] == "escalate"
            alert = json.loads(parent_socket.recv(timeout=10))
            assert alert["type"] == "alert" and alert["child"] == child and alert["action"] == "escalate"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert "我不想活了" not in text  # no child's words in a server log


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the production shape needs Redis (REDIS_URL)")
def test_with_redis_an_alert_from_the_http_process_reaches_a_socket_of_the_websocket_process(tmp_path: Path):
    """The production shape (``Procfile``): gunicorn serves HTTP, uvicorn WebSockets, Redis between."""
    web_port, ws_port = free_port(), free_port()
    redis = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/9"
    env = _environment(
        tmp_path,
        HAPPY_PARTNER_PORT=str(web_port),
        HAPPY_PARTNER_WS_PORT=str(ws_port),
        REDIS_URL=redis,
        CHANNEL_LAYER_PREFIX=f"hp-e2e-{os.getpid()}",
        CACHE_KEY_PREFIX=f"hp-e2e-{os.getpid()}",
        WEB_WORKERS="2",
    )
    logs = {name: tmp_path / f"{name}.log" for name in ("web", "realtime")}
    servers = {}
    for name, log in logs.items():
        with log.open("w") as out:
            servers[name] = start_procfile(name, env=env, stdout=out)
    base, ws = f"http://127.0.0.1:{web_port}", f"ws://127.0.0.1:{ws_port}"
    try:
        _wait(base, servers["web"])
        _wait(f"http://127.0.0.1:{ws_port}", servers["realtime"])
        parent, child, device = _pair(base)
        ticket = _request(base, "POST", "realtime/ticket/", token=parent)["ticket"]  # issued by gunicorn
        with connect(f"{ws}/ws/v1/parent/?ticket={ticket}", open_timeout=10) as parent_socket:  # redeemed by uvicorn
            # Idle longer than the channel layer's 5-second blocking read: the socket must live on
            # (with redis-py 8's default read timeout of 5 s its consumer crashed here).
            time.sleep(6.5)
            parent_socket.send(json.dumps({"type": "ping"}))
            assert json.loads(parent_socket.recv(timeout=10)) == {"type": "pong"}
            answer = _request(base, "POST", "chat/", {"text": "我不想活了"}, token=device)  # over HTTP, on gunicorn
            assert answer["safety"]["action"] == "escalate"
            alert = json.loads(parent_socket.recv(timeout=10))
            assert alert["type"] == "alert" and alert["child"] == child and alert["action"] == "escalate"
    finally:
        for server in servers.values():
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    for log in logs.values():
        text = log.read_text(errors="replace")
        assert "Traceback" not in text, text[-3000:]
