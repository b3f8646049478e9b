"""Real server processes for tests: the Procfile's own commands on free local ports.

Shared by the serving, server-log, outage and end-to-end tests, so each starts its processes exactly
as ``make run`` (honcho) does. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def procfile_command(name: str, procfile: str = "Procfile") -> str:
    for line in (ROOT / procfile).read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no {name}: line in {procfile}")


def start_procfile(
    name: str, *, env: dict[str, str], stdout: IO[str] | int, text: bool = False, procfile: str = "Procfile"
) -> subprocess.Popen:
    """The ``name`` line of ``procfile`` (``Procfile``, or ``Procfile.embedded`` as ``make run`` uses
    without Redis) in its own process group (stop it with ``os.killpg``)."""
    return subprocess.Popen(  # noqa: S602 - the Procfile's own line, run by a shell as honcho does
        procfile_command(name, procfile),
        shell=True,
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT,
        text=text,
        start_new_session=True,
    )


def api_request(base: str, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}/api/v1/{path}", data=data, method=method)  # noqa: S310 - 127.0.0.1
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http://127.0.0.1 only
        return json.loads(response.read() or b"{}")


def wait_healthy(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited with {process.returncode}"
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - http://127.0.0.1 only
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not answer in time")


def embedded_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
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
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return env
