"""What the benchmarks share: the bench database and Redis db, Django set-up, the machine, statistics.

Everything here talks to 127.0.0.1 only. The bench database is dropped and created again for a
clean run; Redis db 5 is flushed (nothing else lives there).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
# One fixed key for the fixtures process and the servers, so the tokens it mints are valid there.
SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    """The production configuration (DEBUG off, PostgreSQL with the psycopg pool, Redis), for the
    bench database. TLS is terminated by a proxy in production: clients send X-Forwarded-Proto."""
    env = {
        "DJANGO_SETTINGS_MODULE": "happy_partner.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_KEY_PREFIX": "hp-bench",
        "CHANNEL_LAYER_PREFIX": "hp-bench-asgi",
        "JWT_ACCESS_MINUTES": "120",  # the fixtures mint tokens before a run of several minutes
    }
    env.update(extra)
    return env


def check_local(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"refusing to benchmark against {host}: only 127.0.0.1 is allowed")


def _psql(database_url: str, sql: str, db: str = "postgres") -> str:
    parts = urlsplit(database_url)
    env = dict(os.environ, PGPASSWORD=parts.password or "")
    cmd = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    cmd += ["-U", parts.username or "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-tAc", sql]
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def database_exists(database_url: str) -> bool:
    name = urlsplit(database_url).path.lstrip("/")
    if not name.replace("_", "").isalnum():
        sys.exit(f"unexpected database name {name!r}")
    return _psql(database_url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"  # noqa: S608


def recreate_database(database_url: str) -> None:
    """Drop and create the bench database (never anything but the one named in the URL)."""
    check_local(database_url)
    if "django.db" in sys.modules:  # this process may hold pooled connections to it
        from django.db import connection

        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()
    name = urlsplit(database_url).path.lstrip("/")
    if not name.startswith("hp_bench"):
        sys.exit(f"the bench database must be called hp_bench*, not {name!r}: it is dropped on every run")
    _psql(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(database_url, f'CREATE DATABASE "{name}"')


def flush_redis() -> None:
    check_local(REDIS_URL)
    parts = urlsplit(REDIS_URL)
    db = parts.path.lstrip("/") or "0"
    if db == "0":
        sys.exit("refusing to flush Redis db 0: give the benchmarks a db of their own (BENCH_REDIS_URL)")
    cmd = ["redis-cli", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 6379), "-n", db, "FLUSHDB"]
    subprocess.run(cmd, check=True, capture_output=True)


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed_requests(send: Callable[[], list]) -> tuple[float, int]:
    """Server time of ``send`` (in-process test-client requests: one or a sequence) and the SQL queries
    they ran; any answer but a 200 without GraphQL errors ends the benchmark."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):  # survives the reconnect of each request (the pool)
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        responses = send()
        elapsed = time.perf_counter() - started
    for response in responses:
        body = response.json() if response["Content-Type"].startswith("application/json") else None
        if response.status_code != 200 or (isinstance(body, dict) and body.get("errors")):
            raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}: {str(body)[:300]}")
    return elapsed, len(executed)


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


def summary_ms(samples_s: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_s]
    return {
        "n": len(ms),
        "p50": statistics.median(ms),
        "p99": percentile(ms, 99),
        "max": max(ms),
    }


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs so far, from /proc/stat (idle and iowait count as idle)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def other_load(seconds: float = 3.0) -> float:
    """How many cores other work keeps busy right now (this machine is shared)."""
    import time

    busy0 = machine_busy()
    time.sleep(seconds)
    busy1 = machine_busy()
    return (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]) * (os.cpu_count() or 1)


def _first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        return out.splitlines()[0] if out else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine(database_url: str | None = None) -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    info = {
        "date": _first_line(["date", "-u", "+%Y-%m-%d %H:%M UTC"]),
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "redis": _first_line(["redis-server", "--version"]).partition("v=")[2].split(" ")[0] or "?",
    }
    if database_url:
        try:
            info["postgresql"] = _psql(database_url, "SHOW server_version")
        except subprocess.CalledProcessError:
            info["postgresql"] = "?"
    return info


def print_machine(info: dict[str, str]) -> None:
    print("machine: " + ", ".join(f"{k}={v}" for k, v in info.items()))
