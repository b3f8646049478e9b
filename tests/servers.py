"""Real server processes for tests: the Procfile's own commands on free local ports.

Shared by the serving, server-log, outage and end-to-end tests, so each starts its processes exactly
as ``make run`` (honcho) does. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import socket
import subprocess
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
