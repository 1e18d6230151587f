"""/healthz tells monitoring whether the database, channel layer and search index work."""

from __future__ import annotations

import pytest

from workplace import health

pytestmark = pytest.mark.django_db


def test_it_answers_200_when_everything_works(client, settings, tmp_path):
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(tmp_path / "index"),
        }
    }
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "channel_layer", "jobs", "search"}
    assert all(check["ok"] for check in body["checks"].values())


def test_it_answers_503_when_a_service_fails(client, monkeypatch, settings):
    def broken() -> dict:
        raise ConnectionError("redis is down")

    monkeypatch.setitem(health.checks, "channel_layer", broken)
    settings.HEALTHZ_TOKEN = "monitoring-secret"
    response = client.get("/healthz", headers={"Authorization": "Bearer monitoring-secret"})
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["channel_layer"] == {
        "ok": False,
        "error": "ConnectionError: redis is down",
    }
    assert body["checks"]["database"]["ok"]


def test_it_reports_an_unwritable_index(client, settings, tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    settings.HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
            "PATH": str(blocked / "index"),
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert not response.json()["checks"]["search"]["ok"]


def test_it_needs_no_login_and_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_anonymous_callers_learn_up_or_down_but_not_what_runs_behind(client, monkeypatch):
    def broken() -> dict:
        raise ConnectionError("redis://10.0.0.7:6379 is down")

    monkeypatch.setitem(health.checks, "channel_layer", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": {"ok": True},
        "channel_layer": {"ok": False},
        "jobs": {"ok": True},
        "search": {"ok": response.json()["checks"]["search"]["ok"]},
    }
    assert b"10.0.0.7" not in response.content and b"sqlite" not in response.content


def test_a_wrong_monitoring_token_shows_no_details(client, settings):
    settings.HEALTHZ_TOKEN = "monitoring-secret"
    response = client.get("/healthz", headers={"Authorization": "Bearer guess"})
    assert "vendor" not in response.json()["checks"]["database"]
