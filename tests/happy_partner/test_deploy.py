"""Production configuration passes Django's deployment checks, and the models match the migrations."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

# Security switches that must come from the production defaults, not from whoever runs the tests.
OVERRIDABLE = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "JWT_SIGNING_KEY",
]


def _production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OVERRIDABLE}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "happy_partner.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(45),  # 60 random characters
            "ALLOWED_HOSTS": "example.com",
        }
    )
    assert len(env["SECRET_KEY"]) == 60
    return env


def _manage(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env={**_production_env(), **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_no_issues():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output and "ERRORS" not in output


def test_models_and_migrations_agree():
    result = _manage("makemigrations", "--check", "--dry-run")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No changes detected" in output


def test_collectstatic_builds_the_compressed_manifest(tmp_path):
    # With DEBUG off, pages need the hashed, compressed files that collectstatic writes.
    result = _manage("collectstatic", "--noinput", HAPPY_PARTNER_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    static = tmp_path / "static"
    paths = json.loads((static / "staticfiles.json").read_text())["paths"]
    for source in ["admin/css/base.css", "rest_framework/css/bootstrap.min.css"]:
        hashed = paths[source]
        assert hashed != source
        assert (static / hashed).is_file()
        assert (static / f"{hashed}.gz").is_file()
