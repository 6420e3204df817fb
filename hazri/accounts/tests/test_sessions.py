"""A page's session ends after HAZRI_SESSION_IDLE_MINUTES without use and
SESSION_COOKIE_AGE after it logged in (hazri/accounts/middleware.py), landing on the
login page with a message; a device's token keeps its own idle expiry."""

import datetime as dt
import runpy
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings

from hazri.accounts.signins import SEEN_AT
from hazri.audit.models import AuditEvent
from hazri.testing.world import PASSWORD, World

START = dt.datetime(2026, 11, 18, 3, 0, tzinfo=dt.UTC)
REAL = override_settings(SESSION_COOKIE_AGE=12 * 60 * 60, HAZRI_SESSION_IDLE_MINUTES=30)
PAGE = "/accounts/signins/"


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def logged_in(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def ended(client: Client, message: str) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"])
    assert message in login_page.content.decode()


@REAL
def test_an_idle_session_ends(world: World, clock: Any) -> None:
    client = logged_in("ravi")
    clock.shift(dt.timedelta(minutes=29))
    assert client.get(PAGE).status_code == 200  # use restarts the idle time
    clock.shift(dt.timedelta(minutes=29))
    assert client.get(PAGE).status_code == 200
    clock.shift(dt.timedelta(minutes=31))
    ended(client, "You were logged out after a while without use. Please log in again.")
    signout = AuditEvent.objects.get(action="signout")
    assert signout.user_id == world.ravi.pk and signout.detail["reason"] == "idle"


@REAL
def test_the_last_activity_is_written_at_most_once_a_minute(world: World, clock: Any) -> None:
    client = logged_in("ravi")
    first = client.session[SEEN_AT]
    clock.shift(dt.timedelta(seconds=50))
    client.get(PAGE)
    assert client.session[SEEN_AT] == first
    clock.shift(dt.timedelta(seconds=20))
    client.get(PAGE)
    assert client.session[SEEN_AT] == first + 70


@REAL
def test_a_session_ends_twelve_hours_after_logging_in_however_busy(
    world: World, clock: Any
) -> None:
    client = logged_in("asha")
    for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
        clock.shift(dt.timedelta(minutes=20))
        assert client.get(PAGE).status_code == 200
    clock.shift(dt.timedelta(minutes=1))
    ended(client, "Your login has expired. Please log in again.")
    signout = AuditEvent.objects.get(action="signout")
    assert signout.user_id == world.asha.pk and signout.detail["reason"] == "expired"


@REAL
def test_the_api_on_an_idle_session_is_a_401_and_a_device_token_lives_on(
    world: World, clock: Any
) -> None:
    client = logged_in("ravi")
    body = {"username": "ravi", "password": PASSWORD}
    token = Client().post("/api/v1/auth/token", body, content_type="application/json")
    bearer = {"Authorization": f"Bearer {token.json()['token']}"}
    clock.shift(dt.timedelta(hours=2))
    assert client.get("/api/v1/me").status_code == 401
    assert Client().get("/api/v1/me", headers=bearer).status_code == 200


def test_the_session_cookie_is_http_only_and_same_site(world: World) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "ravi", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    assert cookie["max-age"] > 0


def test_production_cookies_are_secure(monkeypatch: Any) -> None:
    monkeypatch.setenv("HAZRI_SECRET_KEY", "x" * 50)
    production = runpy.run_module("config.settings.production")
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"]
    assert production["SESSION_COOKIE_SAMESITE"] == production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["SESSION_COOKIE_AGE"] == 12 * 60 * 60
    assert production["HAZRI_SESSION_IDLE_MINUTES"] == 30
