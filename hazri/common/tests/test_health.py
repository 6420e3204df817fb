"""GET /healthz: what a load balancer sees, with the database up and down."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from hazri.common import health

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def test_ok_when_the_database_answers_and_is_migrated(client: Client) -> None:
    client.get("/healthz")  # the first probe of a process also reads the migrations
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    # No session, language or CSRF cookie for a probe that comes every few seconds.
    assert not response.cookies


def test_a_migration_not_applied_makes_it_unavailable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "_migrated", False)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = %s AND name = %s",
            ["attendance", "0001_initial"],
        )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "migrations": "pending"}


def test_the_migrations_found_are_those_djangos_loader_finds() -> None:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    assert health.migrations_on_disk() == set(loader.disk_migrations)
    assert ("attendance", "0001_initial") in health.migrations_on_disk()


def test_head_has_the_status_and_no_body(client: Client) -> None:
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_other_methods_are_refused(client: Client) -> None:
    response = client.post("/healthz", {"x": "1"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "use GET or HEAD" in response.json()["detail"]


@override_settings(ALLOWED_HOSTS=["hazri.example.org"], SECURE_SSL_REDIRECT=True)
def test_a_balancer_asking_by_address_over_plain_http_is_answered(client: Client) -> None:
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    # Everything else still meets the host check and the redirect to HTTPS.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    assert client.get("/", HTTP_HOST="hazri.example.org").status_code == 301


def _probe(database: dict[str, str]) -> dict[str, object]:
    """/healthz in a fresh process with the production settings and this database."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "HAZRI_SECRET_KEY": "health-test-" + "x" * 50,
        "HAZRI_ALLOWED_HOSTS": "hazri.example.org",
        **database,
    }
    code = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz', HTTP_HOST='10.0.0.7')\n"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_unavailable_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    missing = {"HAZRI_SQLITE_PATH": str(tmp_path / "no-such-dir" / "hazri.sqlite3")}
    assert _probe(missing) == {
        "status": 503,
        "body": {"status": "unavailable", "database": "unreachable"},
    }
    # A PostgreSQL server that is not there (nothing listens on port 9 of loopback).
    down = {"DATABASE_URL": "postgres://hazri@127.0.0.1:9/hazri"}
    assert _probe(down) == {
        "status": 503,
        "body": {"status": "unavailable", "database": "unreachable"},
    }


def test_unavailable_until_the_database_is_migrated(tmp_path: Path) -> None:
    empty = {"HAZRI_SQLITE_PATH": str(tmp_path / "hazri.sqlite3")}  # new code, no migrate yet
    assert _probe(empty) == {
        "status": 503,
        "body": {"status": "unavailable", "database": "ok", "migrations": "pending"},
    }
