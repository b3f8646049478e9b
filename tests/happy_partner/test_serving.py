"""How the product is served: the Procfile's `web` (gunicorn, WSGI) and `realtime` (uvicorn, ASGI)
commands started for real, and the gunicorn configuration's choices."""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from websockets.sync.client import connect

from happy_partner import gunicorn_conf
from happy_partner.gunicorn_conf import LLM_THREADS, server_shape
from tests.servers import free_port, start_procfile


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"cpus": 2}, {"workers": 4, "worker_class": "sync", "threads": 1}),
        ({"cpus": 1}, {"workers": 2, "worker_class": "sync", "threads": 1}),
        ({"cpus": 8, "shared_cache": False}, {"workers": 1, "worker_class": "sync", "threads": 1}),
        ({"cpus": 2, "llm_provider": "openai"}, {"workers": 4, "worker_class": "gthread", "threads": LLM_THREADS}),
        ({"cpus": 8, "workers": 3}, {"workers": 3, "worker_class": "sync", "threads": 1}),
        ({"cpus": 2, "shared_cache": False, "workers": 3}, {"workers": 3, "worker_class": "sync", "threads": 1}),
        ({"cpus": 2, "threads": 4}, {"workers": 4, "worker_class": "gthread", "threads": 4}),
        ({"cpus": 2, "llm_provider": "openai", "threads": 1}, {"workers": 4, "worker_class": "sync", "threads": 1}),
    ],
)
def test_server_shape(kwargs, expected):
    defaults = {"llm_provider": "builtin", "shared_cache": True, "workers": None, "threads": None}
    assert server_shape(**{**defaults, **kwargs}) == expected


def test_the_configuration_reads_the_environment(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("WEB_WORKERS", raising=False)
    monkeypatch.setenv("LLM_PROVIDER", "openai")
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "10")
    try:
        conf = importlib.reload(gunicorn_conf)
        assert (conf.workers, conf.worker_class, conf.threads, conf.timeout) == (1, "gthread", LLM_THREADS, 50)
        monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
        monkeypatch.setenv("WEB_WORKERS", "3")
        assert importlib.reload(gunicorn_conf).workers == 3
        monkeypatch.setenv("WEB_THREADS", "lots")
        with pytest.raises(ImproperlyConfigured, match="WEB_THREADS"):
            importlib.reload(gunicorn_conf)
    finally:
        monkeypatch.undo()
        importlib.reload(gunicorn_conf)


def _wait_http(url: str, process: subprocess.Popen, seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http://127.0.0.1 only
                return response.read()
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in time")


def _stop(process: subprocess.Popen) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate(timeout=5)
    return out


def test_the_procfile_serves_http_on_gunicorn_and_websockets_on_uvicorn():
    web_port, ws_port = free_port(), free_port()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "HAPPY_PARTNER_PORT": str(web_port),
        "HAPPY_PARTNER_WS_PORT": str(ws_port),
        "WEB_WORKERS": "2",
        "DEBUG": "1",  # plain http on 127.0.0.1, as `make run` serves it
    }
    started = [start_procfile(name, env=env, stdout=subprocess.PIPE, text=True) for name in ("web", "realtime")]
    web, realtime = started
    try:
        health = _wait_http(f"http://127.0.0.1:{web_port}/healthz", web)
        assert json.loads(health) == {"status": "ok"}
        _wait_http(f"http://127.0.0.1:{ws_port}/healthz", realtime)
        with connect(f"ws://127.0.0.1:{ws_port}/ws/v1/ping/", origin="http://127.0.0.1", open_timeout=10) as ws:
            ws.send(json.dumps({"type": "ping"}))
            assert json.loads(ws.recv(timeout=10)) == {"type": "pong"}
        assert _gunicorn_workers(web.pid) == 2  # WEB_WORKERS reached the configuration
    finally:
        logs = [_stop(process) for process in started]
    assert '"GET /healthz HTTP/1.1" 200' in logs[0], logs[0][-2000:]  # the access log is on


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _gunicorn_workers(pid: int, seconds: float = 20) -> int:
    """Workers of the gunicorn master started as ``pid`` (or as the shell's child, if it did not exec)."""
    if Path(f"/proc/{pid}/comm").read_text().strip() in {"sh", "bash", "dash"}:
        (pid,) = _children(pid)
    deadline = time.monotonic() + seconds
    while len(_children(pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    return len(_children(pid))
