"""What the servers write and refuse: no query strings in their logs (a parent's search, a ticket),
and WebSocket paths no route matches refused at the handshake, not answered with a 500."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from happy_partner.access_log import StripQueryStrings
from happy_partner.asgi import application
from tests.servers import free_port, start_procfile

ORIGIN = [(b"origin", b"http://127.0.0.1")]
SEARCH = "13812345678"  # a phone number a parent searches the history for


@pytest.mark.parametrize("path", ["/ws/v1/chats/", "/ws/", "/ws/v1/parents/", "/", "/ws/v1/ping", "/ws/v1/ping/x/"])
async def test_an_unknown_websocket_path_is_refused_at_the_handshake(caplog, path):
    communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
    with caplog.at_level(logging.INFO):
        connected, _ = await communicator.connect(timeout=5)
    assert not connected
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []


async def test_the_known_path_still_connects():
    communicator = WebsocketCommunicator(application, "/ws/v1/ping/", headers=ORIGIN)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    await communicator.disconnect()


def test_the_uvicorn_filter_drops_query_strings_from_paths_only():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5555", "GET", f"/api/v1/children/1/messages/?q={SEARCH}", "1.1", 200),
        None,
    )
    assert StripQueryStrings().filter(record)
    assert record.getMessage() == '127.0.0.1:5555 - "GET /api/v1/children/1/messages/ HTTP/1.1" 200'


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - http://127.0.0.1 only
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in time")


def test_the_servers_logs_carry_paths_not_query_strings_and_unknown_sockets_are_refused(tmp_path):
    """The Procfile's `web` (gunicorn) and `realtime` (uvicorn), started for real; their logs read back."""
    web_port, ws_port = free_port(), free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "HAPPY_PARTNER_PORT": str(web_port),
        "HAPPY_PARTNER_WS_PORT": str(ws_port),
        "HAPPY_PARTNER_VAR_DIR": str(tmp_path),
        "WEB_WORKERS": "1",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
    }
    logs = {name: tmp_path / f"{name}.log" for name in ("web", "realtime")}
    processes = {}
    for name, log in logs.items():
        with log.open("w") as out:
            processes[name] = start_procfile(name, env=env, stdout=out)
    try:
        for port, name in ((web_port, "web"), (ws_port, "realtime")):
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/healthz", processes[name])
            assert _get(f"{base}/api/v1/children/1/messages/?q={SEARCH}") == 401
            assert _get(f"{base}/healthz?q={SEARCH}") == 200
        ws = f"ws://127.0.0.1:{ws_port}"
        with connect(f"{ws}/ws/v1/ping/?ticket={SEARCH}", origin="http://127.0.0.1", open_timeout=10):
            pass
        with pytest.raises(InvalidStatus) as refused:
            connect(f"{ws}/ws/v1/nothing/?ticket={SEARCH}", origin="http://127.0.0.1", open_timeout=10)
        assert refused.value.response.status_code == 403
    finally:
        for process in processes.values():
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
    web_log, realtime_log = (log.read_text(errors="replace") for log in logs.values())
    assert '"GET /api/v1/children/1/messages/ HTTP/1.1" 401' in web_log, web_log[-2000:]
    assert '"GET /api/v1/children/1/messages/ HTTP/1.1" 401' in realtime_log, realtime_log[-2000:]
    assert '"WebSocket /ws/v1/nothing/" 403' in realtime_log, realtime_log[-2000:]
    for log in (web_log, realtime_log):
        assert SEARCH not in log, log[-2000:]
        assert "Traceback" not in log, log[-2000:]
