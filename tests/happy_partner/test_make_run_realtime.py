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
import time
from pathlib import Path

import pytest
from websockets.sync.client import connect

from accounts.services.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.servers import api_request, embedded_environment, free_port, start_procfile, wait_healthy


def _pair(base: str) -> tuple[str, int, str]:
    """The demo parent's token, its first child, and a freshly paired device's token."""
    parent = api_request(base, "POST", "auth/token/", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})["access"]
    child = api_request(base, "GET", "children/", token=parent)["results"][0]["id"]
    code = api_request(base, "POST", f"children/{child}/pairing-codes/", {}, token=parent)["code"]
    device = api_request(base, "POST", "devices/pair/", {"code": code, "device_name": "Tablet"})["access"]
    return parent, child, device


def test_a_child_streams_a_reply_while_the_parent_socket_gets_the_alert(tmp_path: Path):
    port = free_port()
    env = embedded_environment(tmp_path, HAPPY_PARTNER_PORT=str(port))
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = start_procfile("web", env=env, stdout=out, procfile="Procfile.embedded")
    base, ws = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"
    try:
        wait_healthy(base, server)
        parent, child, device = _pair(base)
        parent_ticket = api_request(base, "POST", "realtime/ticket/", token=parent)["ticket"]
        child_ticket = api_request(base, "POST", "realtime/ticket/", token=device)["ticket"]
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
    env = embedded_environment(
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
        wait_healthy(base, servers["web"])
        wait_healthy(f"http://127.0.0.1:{ws_port}", servers["realtime"])
        parent, child, device = _pair(base)
        ticket = api_request(base, "POST", "realtime/ticket/", token=parent)["ticket"]  # issued by gunicorn
        with connect(f"{ws}/ws/v1/parent/?ticket={ticket}", open_timeout=10) as parent_socket:  # redeemed by uvicorn
            # Idle longer than the channel layer's 5-second blocking read: the socket must live on
            # (with redis-py 8's default read timeout of 5 s its consumer crashed here).
            time.sleep(6.5)
            parent_socket.send(json.dumps({"type": "ping"}))
            assert json.loads(parent_socket.recv(timeout=10)) == {"type": "pong"}
            answer = api_request(base, "POST", "chat/", {"text": "我不想活了"}, token=device)  # over HTTP, on gunicorn
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
