"""The typed environment readers, and settings that refuse to start on a malformed value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from happy_partner.env import (
    SQLITE_OPTIONS,
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_rate,
    env_redis_url,
    env_str,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
VAR = "HP_TEST_VARIABLE"


@pytest.fixture
def unset(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)


# --- env_str ------------------------------------------------------------------------------------


def test_env_str_returns_stripped_value(monkeypatch):
    monkeypatch.setenv(VAR, "  hello world \n")
    assert env_str(VAR) == "hello world"


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_env_str_blank_counts_as_unset(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_str(VAR) is None
    assert env_str(VAR, "fallback") == "fallback"


def test_env_str_default_when_unset(unset):
    assert env_str(VAR) is None
    assert env_str(VAR, "fallback") == "fallback"


# --- env_bool -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "Yes", "on", " on "])
def test_env_bool_true_values(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "NO", "off", "", "  "])
def test_env_bool_false_values(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_default_when_unset(unset, default):
    assert env_bool(VAR, default) is default


@pytest.mark.parametrize("raw", ["maybe", "2", "y", "enabled"])
def test_env_bool_malformed_raises_with_name(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=VAR) as excinfo:
        env_bool(VAR, False)
    assert repr(raw) in str(excinfo.value)


# --- env_int ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [("42", 42), (" 7 ", 7), ("-3", -3), ("0", 0)])
def test_env_int_good_values(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_int(VAR, 99) == expected


def test_env_int_default_when_unset_or_blank(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert env_int(VAR, 13) == 13
    monkeypatch.setenv(VAR, "  ")
    assert env_int(VAR, 13) == 13


@pytest.mark.parametrize("raw", ["abc", "1.5", "10min", "0x10"])
def test_env_int_malformed_raises_with_name(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} must be an integer"):
        env_int(VAR, 1)


def test_env_int_bounds(monkeypatch):
    monkeypatch.setenv(VAR, "5")
    assert env_int(VAR, 1, minimum=5, maximum=5) == 5
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} must be at least 6, got 5"):
        env_int(VAR, 1, minimum=6)
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} must be at most 4, got 5"):
        env_int(VAR, 1, maximum=4)


def test_env_int_default_is_not_range_checked(unset):
    # The default is the code's own choice; only values from the environment are validated.
    assert env_int(VAR, 0, minimum=1) == 0


# --- env_list -----------------------------------------------------------------------------------


def test_env_list_splits_and_strips(monkeypatch):
    monkeypatch.setenv(VAR, " example.com, api.example.com ,,  ")
    assert env_list(VAR, ["unused"]) == ["example.com", "api.example.com"]


def test_env_list_default_is_a_copy(unset):
    default = ["a", "b"]
    result = env_list(VAR, default)
    assert result == ["a", "b"]
    result.append("c")
    assert default == ["a", "b"]


def test_env_list_blank_gives_default(monkeypatch):
    monkeypatch.setenv(VAR, "   ")
    assert env_list(VAR, ["x"]) == ["x"]


# --- env_choice ---------------------------------------------------------------------------------

CHOICES = {"DEBUG", "INFO", "WARNING"}


def test_env_choice_good_value(monkeypatch):
    monkeypatch.setenv(VAR, " WARNING ")
    assert env_choice(VAR, "INFO", CHOICES) == "WARNING"


def test_env_choice_default(unset):
    assert env_choice(VAR, "INFO", CHOICES) == "INFO"


@pytest.mark.parametrize("raw", ["LOUD", "info", "WARN"])
def test_env_choice_malformed_raises_with_name(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=VAR) as excinfo:
        env_choice(VAR, "INFO", CHOICES)
    assert repr(raw) in str(excinfo.value)


# --- env_rate -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["60/min", "5/s", "1000/hour", "20/day", "3/m", "7/sec"])
def test_env_rate_good_values(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_rate(VAR, "1/day") == raw


def test_env_rate_default(unset):
    assert env_rate(VAR, "30/min") == "30/min"


@pytest.mark.parametrize("raw", ["fast", "60", "60/fortnight", "-1/min", "1.5/min", "/min", "60 / min"])
def test_env_rate_malformed_raises_with_name(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env_rate(VAR, "30/min")


# --- env_redis_url ------------------------------------------------------------------------------


def test_env_redis_url_unset(unset):
    assert env_redis_url(VAR) is None


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/0", "rediss://:secret@redis.example.com:6380/2", "unix:///run/redis.sock"]
)
def test_env_redis_url_good(monkeypatch, url):
    monkeypatch.setenv(VAR, f" {url} ")
    assert env_redis_url(VAR) == url


@pytest.mark.parametrize("url", ["http://x", "memcached://127.0.0.1", "127.0.0.1:6379", "amqp://guest@rabbit//"])
def test_env_redis_url_malformed_raises_with_name(monkeypatch, url):
    monkeypatch.setenv(VAR, url)
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env_redis_url(VAR)


# --- database_from_url --------------------------------------------------------------------------


def test_database_from_url_full():
    db = database_from_url(
        "DATABASE_URL",
        "postgres://hp_user:p%40ss%3Aw%2Ford@db.example.com:6543/happy%20partner?sslmode=require&application_name=hp",
        pool_max=7,
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["NAME"] == "happy partner"
    assert db["USER"] == "hp_user"
    assert db["PASSWORD"] == "p@ss:w/ord"
    assert db["HOST"] == "db.example.com"
    assert db["PORT"] == "6543"
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"] == {
        "pool": {"min_size": 1, "max_size": 7, "timeout": 10},
        "sslmode": "require",
        "application_name": "hp",
    }
    assert db["TEST"] == {"NAME": "test_happy partner"}


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_database_from_url_minimal(scheme):
    db = database_from_url("DATABASE_URL", f"{scheme}://localhost/hp", pool_max=3)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["NAME"] == "hp"
    assert db["USER"] == ""
    assert db["PASSWORD"] == ""
    assert db["HOST"] == "localhost"
    assert db["PORT"] == ""
    assert db["OPTIONS"] == {"pool": {"min_size": 1, "max_size": 3, "timeout": 10}}


def test_database_from_url_socket_without_host():
    db = database_from_url("DATABASE_URL", "postgres:///hp", pool_max=2)
    assert db["NAME"] == "hp"
    assert db["HOST"] == ""


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("sqlite:///var/db.sqlite3", "var/db.sqlite3"),  # dj-database-url: three slashes, a relative path
        ("sqlite:////srv/happy-partner/db.sqlite3", "/srv/happy-partner/db.sqlite3"),
        ("sqlite://:memory:", ":memory:"),
    ],
)
def test_database_from_url_sqlite(url, name):
    db = database_from_url("DATABASE_URL", url, pool_max=3)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == name
    assert db["OPTIONS"] == SQLITE_OPTIONS  # the embedded default's WAL settings, no pool
    assert db["OPTIONS"] is not SQLITE_OPTIONS


@pytest.mark.parametrize("url", ["mysql://root@127.0.0.1/hp", "oracle://u:p@db.example.com/hp"])
def test_database_from_url_rejects_other_engines(url):
    with pytest.raises(ImproperlyConfigured, match="MY_DB must be a postgres:// or sqlite:// URL"):
        database_from_url("MY_DB", url, pool_max=1)


@pytest.mark.parametrize("url", ["http://db.example.com/hp", "db.example.com/hp", "postgres//localhost/hp"])
def test_database_from_url_rejects_what_is_not_a_database_url(url):
    with pytest.raises(ImproperlyConfigured, match="MY_DB must be a database URL"):
        database_from_url("MY_DB", url, pool_max=1)


@pytest.mark.parametrize("url", ["postgres://user@127.0.0.1:5432", "postgres://user@127.0.0.1:5432/"])
def test_database_from_url_requires_a_database_name(url):
    with pytest.raises(ImproperlyConfigured, match="MY_DB must name a database"):
        database_from_url("MY_DB", url, pool_max=1)


@pytest.mark.parametrize("url", ["postgres://127.0.0.1:port/hp", "postgres://127.0.0.1:99999/hp"])
def test_database_from_url_rejects_a_bad_port(url):
    with pytest.raises(ImproperlyConfigured, match="MY_DB must be a database URL"):
        database_from_url("MY_DB", url, pool_max=1)


# --- the real settings module, imported in a fresh process --------------------------------------

# Every variable settings.py reads that could change the outcome: removed so the parent's
# environment (CI, a developer's shell) cannot decide the result.
SETTINGS_VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DATABASE_POOL_MAX",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "LOG_LEVEL",
    "JWT_ACCESS_MINUTES",
    "JWT_REFRESH_DAYS",
    "JWT_CHILD_REFRESH_DAYS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "THROTTLE_ANONYMOUS",
]
GOOD_KEY = "a-test-secret-key-that-is-long-enough-0123456789-abcdefghijklmnop"


def _setup_django(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "happy_partner.settings"
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('settings-loaded')"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_load_with_a_good_environment():
    # The control for the failures below: the same command succeeds when nothing is malformed.
    result = _setup_django(
        DEBUG="0",
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL="postgres://u@127.0.0.1:5432/hp",
        DATABASE_POOL_MAX="4",
        REDIS_URL="redis://127.0.0.1:6379/0",
        LOG_LEVEL="WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "settings-loaded" in result.stdout


def test_settings_load_with_a_sqlite_database_url(tmp_path):
    """A sqlite:// DATABASE_URL (dj-database-url's convention) is a working database with WAL."""
    script = (
        "import django; django.setup(); from django.conf import settings; from django.db import connection\n"
        "print(settings.DATABASES['default'])\n"
        "with connection.cursor() as cursor: cursor.execute('PRAGMA journal_mode'); print(cursor.fetchone())"
    )
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="happy_partner.settings", SECRET_KEY=GOOD_KEY)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/hp.sqlite3"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "'ENGINE': 'django.db.backends.sqlite3'" in result.stdout
    assert f"'NAME': '{tmp_path}/hp.sqlite3'" in result.stdout
    assert "('wal',)" in result.stdout
    assert (tmp_path / "hp.sqlite3").is_file()


@pytest.mark.parametrize(
    ("variable", "overrides"),
    [
        ("DEBUG", {"DEBUG": "maybe", "SECRET_KEY": GOOD_KEY}),
        (
            "DATABASE_POOL_MAX",
            {"SECRET_KEY": GOOD_KEY, "DATABASE_URL": "postgres://u@127.0.0.1:5432/hp", "DATABASE_POOL_MAX": "abc"},
        ),
        ("DATABASE_POOL_MAX", {"SECRET_KEY": GOOD_KEY, "DATABASE_POOL_MAX": "abc"}),
        ("CELERY_BROKER_URL", {"SECRET_KEY": GOOD_KEY, "CELERY_BROKER_URL": "http://nope"}),
        ("DATABASE_URL", {"SECRET_KEY": GOOD_KEY, "DATABASE_URL": "mysql://u@127.0.0.1/hp"}),
        ("REDIS_URL", {"SECRET_KEY": GOOD_KEY, "REDIS_URL": "http://x"}),
        ("LOG_LEVEL", {"SECRET_KEY": GOOD_KEY, "LOG_LEVEL": "LOUD"}),
        ("JWT_ACCESS_MINUTES", {"SECRET_KEY": GOOD_KEY, "JWT_ACCESS_MINUTES": "0"}),
        ("THROTTLE_ANONYMOUS", {"SECRET_KEY": GOOD_KEY, "THROTTLE_ANONYMOUS": "fast"}),
    ],
)
def test_settings_refuse_a_malformed_variable(variable, overrides):
    result = _setup_django(**overrides)
    assert result.returncode != 0
    assert "settings-loaded" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable} must" in result.stderr


def test_settings_require_a_secret_key_when_debug_is_off(tmp_path):
    result = _setup_django(DEBUG="0", HAPPY_PARTNER_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is required" in result.stderr


def test_settings_read_the_machine_key_file_when_the_variable_is_unset(tmp_path):
    (tmp_path / "secret_key").write_text(GOOD_KEY + "\n")
    script = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="happy_partner.settings", DEBUG="0", HAPPY_PARTNER_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == GOOD_KEY


def test_settings_allow_a_missing_secret_key_in_debug():
    result = _setup_django(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "settings-loaded" in result.stdout
