"""Configuration comes from the environment, and bad values fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from workplace.env import env_bool, env_choice, env_int, env_list, env_secret

ROOT = Path(__file__).resolve().parents[2]


def test_booleans_read_the_usual_words(monkeypatch):
    for word, expected in [
        ("true", True),
        ("1", True),
        ("ON", True),
        ("false", False),
        ("no", False),
        ("", False),
    ]:
        monkeypatch.setenv("FLAG", word)
        assert env_bool("FLAG") is expected
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def test_a_bad_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("FLAG", "misschien")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")


def test_integers_and_lists(monkeypatch):
    monkeypatch.setenv("N", "42")
    monkeypatch.setenv("HOSTS", "werkplek.stad.gent, intranet.gent ,")
    assert env_int("N", 1) == 42
    assert env_list("HOSTS") == ["werkplek.stad.gent", "intranet.gent"]
    monkeypatch.setenv("N", "veel")
    with pytest.raises(ImproperlyConfigured, match="N must be a whole number"):
        env_int("N", 1)


def test_a_choice_is_one_of_its_words_or_fails_loudly(monkeypatch):
    modes = ("django", "x-accel-redirect")
    monkeypatch.delenv("MODE", raising=False)
    assert env_choice("MODE", modes, "django") == "django"
    monkeypatch.setenv("MODE", " X-Accel-Redirect ")
    assert env_choice("MODE", modes, "django") == "x-accel-redirect"
    monkeypatch.setenv("MODE", "nginx")
    with pytest.raises(ImproperlyConfigured, match="MODE must be one of django, x-accel-redirect"):
        env_choice("MODE", modes, "django")


def test_a_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret_file = tmp_path / "key"
    secret_file.write_text("s3cret\n")
    monkeypatch.setenv("API_KEY_FILE", str(secret_file))
    assert env_secret("API_KEY") == "s3cret"


def test_a_missing_secret_fails_loudly(monkeypatch):
    monkeypatch.delenv("API_KEY", raising=False)
    monkeypatch.delenv("API_KEY_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="API_KEY"):
        env_secret("API_KEY")


def run_manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # The production settings, without the test run's own (pyproject.toml's pytest_env).
    test_run = {"DJANGO_SETTINGS_MODULE", "DEBUG", "HTTPS", "SECRET_KEY"}
    clean = {k: v for k, v in os.environ.items() if k not in test_run}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
            "ALLOWED_HOSTS": "werkplek.stad.gent",
            "WERKPLEK_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_behind_tls_every_cookie_is_bound_to_this_host(tmp_path):
    names = ["SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "LANGUAGE_COOKIE_NAME"]
    names += ["TERMINAL_COOKIE_NAME"]
    script = "from django.conf import settings as s; "
    script += f"print(*[getattr(s, n) for n in {names!r}], s.CSRF_COOKIE_HTTPONLY)"
    result = run_manage(
        ["shell", "-c", script],
        {
            "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
            "WERKPLEK_DATA_DIR": str(tmp_path),
        },
    )
    *cookies, httponly = result.stdout.strip().splitlines()[-1].split()
    assert len(cookies) == 4 and all(name.startswith("__Host-") for name in cookies), result
    assert httponly == "True"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(["check"], {"WERKPLEK_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_bad_file_serving_setting_stops_the_start(tmp_path):
    base = {"DEBUG": "true", "WERKPLEK_DATA_DIR": str(tmp_path)}
    result = run_manage(["check"], {**base, "FILE_SERVING": "nginx"})
    assert result.returncode != 0 and "FILE_SERVING must be one of" in result.stderr
    result = run_manage(["check"], {**base, "FILE_SERVING_PREFIX": "_files"})
    assert (
        result.returncode != 0 and "FILE_SERVING_PREFIX must start and end with /" in result.stderr
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"SESSION_IDLE_SECONDS": "0"}, "SESSION_IDLE_SECONDS must be a positive"),
        ({"SESSION_ABSOLUTE_SECONDS": "-5"}, "SESSION_ABSOLUTE_SECONDS must be a positive"),
        ({"SESSION_COOKIE_AGE": "3600"}, "replaced by SESSION_ABSOLUTE_SECONDS"),
    ],
)
def test_session_limits_that_make_no_sense_fail_loudly(tmp_path, env, complaint):
    result = run_manage(["check"], {"WERKPLEK_DATA_DIR": str(tmp_path), "DEBUG": "true", **env})
    assert result.returncode != 0
    assert complaint in result.stderr


def test_the_demo_with_its_published_passwords_never_lands_in_production(tmp_path):
    result = run_manage(
        ["seed_demo"],
        {
            "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
            "WERKPLEK_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "The demo data is for development only" in result.stderr
