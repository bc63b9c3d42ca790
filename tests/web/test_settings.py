"""Settings come from KEEPITLOCAL_ variables, and production settings pass Django's deploy check."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from keepitlocal.web import settings as web_settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = Path(web_settings.__file__).read_text(encoding="utf-8")


def _clean_env(**extra: str) -> dict[str, str]:
    dropped = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KEEPITLOCAL_") and k not in dropped}
    env.update(extra)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keepitlocal.web.manage", *args],
        env=env, capture_output=True, text=True, timeout=60, cwd=ROOT,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="keepitlocal.web.settings",
        KEEPITLOCAL_SECRET_KEY=secrets.token_urlsafe(50),
        KEEPITLOCAL_ALLOWED_HOSTS="keepitlocal.example.org",
        KEEPITLOCAL_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_https_is_switched_off(tmp_path):
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="keepitlocal.web.settings",
        KEEPITLOCAL_SECRET_KEY=secrets.token_urlsafe(50),
        KEEPITLOCAL_DATA_DIR=str(tmp_path),
        KEEPITLOCAL_HTTPS="false",
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


def test_a_missing_secret_key_is_named(tmp_path):
    env = _clean_env(DJANGO_SETTINGS_MODULE="keepitlocal.web.settings",
                     KEEPITLOCAL_DATA_DIR=str(tmp_path))
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "KEEPITLOCAL_SECRET_KEY" in result.stderr


def test_booleans_are_exactly_true_or_false(monkeypatch):
    monkeypatch.setenv("KEEPITLOCAL_DEBUG", "yes")
    with pytest.raises(ImproperlyConfigured, match='KEEPITLOCAL_DEBUG must be "true" or "false"'):
        web_settings.env_bool("DEBUG", False)
    monkeypatch.setenv("KEEPITLOCAL_DEBUG", "TRUE")
    assert web_settings.env_bool("DEBUG", False) is True
    monkeypatch.delenv("KEEPITLOCAL_DEBUG")
    assert web_settings.env_bool("DEBUG", False) is False


def test_numbers_must_be_whole(monkeypatch):
    monkeypatch.setenv("KEEPITLOCAL_MAX_UPLOAD_MB", "ten")
    with pytest.raises(ImproperlyConfigured, match="KEEPITLOCAL_MAX_UPLOAD_MB"):
        web_settings.env_int("MAX_UPLOAD_MB", 100)


def test_production_defaults():
    assert web_settings.DEBUG is False
    assert web_settings.KEEPITLOCAL_MAX_UPLOAD_MB >= 1
    assert web_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= web_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in web_settings.MIDDLEWARE
    assert "django.middleware.csrf.CsrfViewMiddleware" in web_settings.MIDDLEWARE


def test_tests_use_memory_mail_and_inline_tasks(settings):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


def test_every_setting_is_documented():
    names = set(re.findall(r'env(?:_bool|_int|_list)?\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
    assert {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "MAX_UPLOAD_MB", "EMAIL_HOST"} <= names
    docs = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    missing = sorted(f"KEEPITLOCAL_{name}" for name in names if f"KEEPITLOCAL_{name}" not in docs)
    assert not missing, f"docs/web.md does not mention {missing}"
    assert "DATABASE_URL" in docs


def test_database_connections_persist_by_default_with_health_checks() -> None:
    from keepitlocal.web import settings as production

    database = production.DATABASES["default"]
    assert database["CONN_MAX_AGE"] == 300 and database["CONN_HEALTH_CHECKS"] is True
