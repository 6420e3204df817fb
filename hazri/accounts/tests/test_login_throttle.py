"""The failed-login throttle (hazri/accounts/throttle.py) on the login page and on the
devices' POST /api/v1/auth/token: a username locked after HAZRI_LOGIN_FAILURES wrong
passwords, even for the right one, whether or not the account exists; unlocked after
HAZRI_LOGIN_LOCK_MINUTES; an address locked across usernames; a right password resets."""

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client, override_settings

from hazri.accounts.models import LoginThrottle
from hazri.accounts.tasks import prune_login_throttle
from hazri.accounts.throttle import login_failed
from hazri.audit.models import AuditEvent
from hazri.testing.world import PASSWORD, World

START = dt.datetime(2026, 11, 18, 5, 0, tzinfo=dt.UTC)
POLICY = {
    "HAZRI_LOGIN_FAILURES": 3,
    "HAZRI_LOGIN_WINDOW_MINUTES": 10,
    "HAZRI_LOGIN_LOCK_MINUTES": 15,
    "HAZRI_LOGIN_IP_FAILURES": 8,
    "HAZRI_LOGIN_IP_LOCK_MINUTES": 60,
}


def page_login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def api_login(client: Client, username: str, password: str, **extra: Any) -> Any:
    body = {"username": username, "password": password}
    return client.post("/api/v1/auth/token", body, content_type="application/json", **extra)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@override_settings(**POLICY)
def test_the_page_locks_a_username_after_the_failures_even_for_the_right_password(
    world: World, clock: Any
) -> None:
    client = Client()
    for _ in range(2):
        response = page_login(client, "ravi", "wrong")
        assert response.status_code == 200
        assert "Wrong username or password" in response.content.decode()
    # The third failure locks: the page says so and for how long, with a 429.
    response = page_login(client, "ravi", "wrong")
    assert response.status_code == 429
    assert "Too many failed logins. Try again in 15 minutes." in response.content.decode()
    # The right password is refused while it lasts, and logs no one in.
    clock.shift(dt.timedelta(minutes=14))
    response = page_login(client, "ravi", PASSWORD)
    assert response.status_code == 429
    assert "Try again in 1 minute." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # After the lock, the right password works.
    clock.shift(dt.timedelta(minutes=1, seconds=1))
    response = page_login(client, "ravi", PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.ravi.pk
    assert actions() == [
        "signin.failed",
        "signin.failed",
        "signin.locked",  # the third wrong password starts the lock
        "signin.locked",  # the right one refused during it
        "signin.password",
    ]
    tried = AuditEvent.objects.filter(action="signin.locked").first()
    assert tried is not None and tried.user_id == world.ravi.pk
    assert tried.detail["username"] == "ravi" and tried.detail["ip"] == "127.0.0.1"
    assert PASSWORD not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


@override_settings(**POLICY)
def test_a_username_no_account_has_locks_the_same_way(world: World, clock: Any) -> None:
    client = Client()
    answers = [page_login(client, "nobody", "wrong").status_code for _ in range(4)]
    assert answers == [200, 200, 429, 429]
    assert LoginThrottle.objects.get(key="user:nobody").locked_until is not None
    # Another username from the same address is not locked by it.
    assert page_login(client, "asha", PASSWORD).status_code == 302
    failed = AuditEvent.objects.filter(action="signin.failed").first()
    assert failed is not None and failed.user_id is None and failed.object_id == ""
    assert failed.detail["username"] == "nobody"


@override_settings(**POLICY)
def test_failures_count_within_the_window_only(world: World, clock: Any) -> None:
    client = Client()
    page_login(client, "ravi", "wrong")
    page_login(client, "ravi", "wrong")
    clock.shift(dt.timedelta(minutes=11))  # the window is over: counting starts again
    assert page_login(client, "ravi", "wrong").status_code == 200
    assert page_login(client, "ravi", "wrong").status_code == 200
    assert page_login(client, "ravi", "wrong").status_code == 429


@override_settings(**POLICY)
def test_a_right_password_resets_the_username_count(world: World, clock: Any) -> None:
    client = Client()
    page_login(client, "ravi", "wrong")
    page_login(client, "ravi", "wrong")
    assert page_login(client, "ravi", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    # Two more wrong ones are two, not four.
    assert page_login(client, "ravi", "wrong").status_code == 200
    assert page_login(client, "ravi", "wrong").status_code == 200
    assert page_login(client, "ravi", PASSWORD).status_code == 302


@override_settings(**POLICY)
def test_an_address_is_locked_across_usernames(world: World, clock: Any) -> None:
    client = Client()
    answers = [page_login(client, f"guess{n}", "wrong").status_code for n in range(8)]
    assert answers == [200] * 7 + [429]
    # Now every username from that address is refused, the right password too...
    response = page_login(client, "asha", PASSWORD)
    assert response.status_code == 429
    assert "Try again in 60 minutes." in response.content.decode()
    # ... on the API as well, with Retry-After; another address is not.
    response = api_login(client, "asha", PASSWORD)
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    elsewhere = api_login(Client(), "asha", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == 201
    # A right password does not reset the address's count.
    clock.shift(dt.timedelta(minutes=61))
    assert api_login(client, "asha", PASSWORD).status_code == 201
    assert LoginThrottle.objects.filter(key="ip:127.0.0.1").exists()


@override_settings(**POLICY)
def test_the_api_answers_a_lock_with_429_and_retry_after(world: World, clock: Any) -> None:
    client = Client()
    assert api_login(client, "ravi", "wrong").status_code == 403
    assert api_login(client, "ravi", "wrong").status_code == 403
    response = api_login(client, "ravi", "wrong")
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert response.json()["errors"][0]["code"] == "locked"
    clock.shift(dt.timedelta(minutes=5))
    response = api_login(client, "ravi", PASSWORD)
    assert response.status_code == 429 and response["Retry-After"] == str(10 * 60)
    assert "token" not in response.json()
    # The page's failures and the API's count together: one username, one lock.
    assert page_login(client, "ravi", PASSWORD).status_code == 429
    clock.shift(dt.timedelta(minutes=10))
    assert api_login(client, "ravi", PASSWORD).status_code == 201
    assert actions()[-1] == "signin.token"


@override_settings(**POLICY, HAZRI_CLIENT_IP_HEADER="X-Forwarded-For")
def test_behind_the_proxy_the_address_is_the_headers_last_entry(world: World, clock: Any) -> None:
    client = Client()
    # A forged first entry is not believed: the proxy's own (the last) is.
    for n in range(8):
        page_login(client, f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 10.9.8.7")
    assert LoginThrottle.objects.get(key="ip:10.9.8.7").locked_until is not None
    other = page_login(client, "asha", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.8.6")
    assert other.status_code == 302


@override_settings(**POLICY)
def test_the_admin_login_is_throttled_too(world: World, clock: Any) -> None:
    world.ravi.is_staff = world.ravi.is_superuser = True
    world.ravi.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    for _ in range(3):
        client.post("/admin/login/", {"username": "ravi", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "ravi", "password": PASSWORD})
    assert response.status_code == 200  # the admin's own form, refused
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True)
@override_settings(HAZRI_LOGIN_FAILURES=100, HAZRI_LOGIN_IP_FAILURES=100)
def test_failures_at_the_same_moment_all_count() -> None:
    """Workers failing at once on one username each count (PostgreSQL: the row is read
    and written under FOR UPDATE; SQLite's writers queue on its lock at BEGIN)."""
    if connection.vendor != "postgresql":
        pytest.skip("one in-memory SQLite database is not shared between threads")
    workers = 8
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def fail() -> None:
        try:
            barrier.wait()
            login_failed("ravi", "10.0.0.1", START)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fail) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert LoginThrottle.objects.get(key="user:ravi").failures == workers
    assert LoginThrottle.objects.get(key="ip:10.0.0.1").failures == workers


@override_settings(**POLICY)
def test_the_hourly_job_drops_only_counts_that_are_over(world: World, clock: Any) -> None:
    client = Client()
    for _ in range(3):
        page_login(client, "ravi", "wrong")  # locked for 15 minutes
    page_login(client, "asha", "wrong")  # one failure, window of 10 minutes
    clock.shift(dt.timedelta(minutes=11))
    assert prune_login_throttle.call() == 2  # asha's and the address's: their windows are over
    assert set(LoginThrottle.objects.values_list("key", flat=True)) == {"user:ravi"}
    clock.shift(dt.timedelta(minutes=5))
    assert prune_login_throttle.call() == 1
    assert not LoginThrottle.objects.exists()
