"""Server logs carry paths, never query strings.

A query string is what a parent or a child wrote (``?q=13812345678`` searching history) or a secret
(a WebSocket ticket): logs carry ids, never words. gunicorn's access log leaves it out by its
format (``%(U)s``, happy_partner/gunicorn_conf.py); uvicorn has no such option, so its access and
WebSocket handshake lines go through :class:`StripQueryStrings`, installed by the ASGI application.
"""

from __future__ import annotations

import logging

# uvicorn logs HTTP requests on "uvicorn.access" and WebSocket handshakes on "uvicorn.error".
UVICORN_LOGGERS = ("uvicorn.access", "uvicorn.error")


def path_only(value: str) -> str:
    """``/a/b/?q=x`` → ``/a/b/``; anything that is not a path is left alone."""
    return value.split("?", 1)[0] if value.startswith("/") else value


class StripQueryStrings(logging.Filter):
    """Drop the query string from every path among a log record's arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(path_only(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


def install_uvicorn_filter() -> None:
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, StripQueryStrings) for existing in logger.filters):
            logger.addFilter(StripQueryStrings())
