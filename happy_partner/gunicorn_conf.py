"""How gunicorn serves HTTP (the `web` process): `gunicorn -c python:happy_partner.gunicorn_conf`.

Plain REST, the dashboard and the admin are served by WSGI, WebSockets by uvicorn (the `realtime`
process). Measured on 2 vCPUs (bench/RESULTS.md): Django's ASGI path costs about 5 ms of CPU more
per request than sync workers, and gunicorn's threaded workers keep each client's keep-alive
connection on one process, so 50 busy clients ended up 49/1 on two workers. So:

- builtin provider: nothing waits, so 2 sync workers per CPU; each request is one accept, and the
  kernel spreads them over whichever worker is free.
- no REDIS_URL (the embedded defaults): one worker, because the local-memory cache lives in one
  process, and what it holds must be seen by every request: throttle and lockout counts, the
  cached child snapshot a parent's new rule just invalidated, the lexicon version.
- an LLM configured: a chat waits seconds for it, so threaded workers (16 threads by default): a
  worker serves other requests while one of its threads waits, instead of serving nobody.

`WEB_WORKERS` and `WEB_THREADS` override the defaults (`WEB_THREADS` > 1 always means threads).
"""

from __future__ import annotations

import os

from happy_partner.env import env_int, env_llm_provider, env_llm_timeout_seconds, env_redis_url

LLM_THREADS = 16


def server_shape(*, cpus: int, llm_provider: str, shared_cache: bool, workers: int | None, threads: int | None) -> dict:
    """Workers, worker class and threads for this machine and configuration."""
    if threads is None:
        threads = 1 if llm_provider == "builtin" else LLM_THREADS
    if workers is None:
        workers = 2 * max(1, cpus) if shared_cache else 1
    return {
        "workers": workers,
        "worker_class": "sync" if threads == 1 else "gthread",
        "threads": threads,
    }


def _optional_int(name: str, *, maximum: int) -> int | None:
    return env_int(name, 0, minimum=1, maximum=maximum) if os.environ.get(name) else None


_shape = server_shape(
    cpus=len(os.sched_getaffinity(0)),
    llm_provider=env_llm_provider(),
    shared_cache=env_redis_url("REDIS_URL") is not None,
    workers=_optional_int("WEB_WORKERS", maximum=64),
    threads=_optional_int("WEB_THREADS", maximum=256),
)
workers = _shape["workers"]
worker_class = _shape["worker_class"]
threads = _shape["threads"]
# A chat may wait for two LLM calls (the classifier, then the reply; each has one total deadline)
# before a silent worker is recycled.
timeout = 30 + 2 * env_llm_timeout_seconds()
graceful_timeout = 30
accesslog = "-"
# The path without its query string (%(U)s, not the request line %(r)s): a history search
# (?q=...) is what a parent wrote, and logs carry ids, never words (happy_partner/access_log.py).
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
proc_name = "happy-partner-web"
# The connection address is REMOTE_ADDR, never a header (NUM_PROXIES decides in the app); the
# scheme header is trusted only from the machine itself, i.e. the TLS proxy in front.
forwarded_allow_ips = "127.0.0.1,::1"
