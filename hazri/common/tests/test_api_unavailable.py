"""While the database is down, every API operation answers a JSON 503 with Retry-After
(a device sends the same request again later), not Django's HTML error page: under
`make run` (DEBUG) and in production."""

import json
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

from hazri.attendance.tests.conftest import login, rollcall
from hazri.common.api import RETRY_AFTER_SECONDS
from hazri.common.openapi import SNAPSHOT
from hazri.testing.world import PASSWORD, World


def operations() -> list[tuple[str, str]]:
    paths = json.loads(SNAPSHOT.read_text())["paths"]
    return sorted(
        (method.upper(), path)
        for path, methods in paths.items()
        for method in methods
        # The document and its page are served without the database.
        if not path.endswith(("/openapi.json", "/docs"))
    )


def concrete(path: str, world: World) -> str:
    for name, value in {
        "{section_id}": world.section.pk,
        "{school_id}": world.school.pk,
        "{student_id}": world.students[0].pk,
        "{rollcall_id}": 1,
        "{list_number}": 0,
    }.items():
        path = path.replace(name, str(value))
    return path


def unavailable(response: Any, what: str) -> None:
    assert response.status_code == 503, (what, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), what
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS), what
    body = response.json()
    assert body["code"] == "unavailable" and body["detail"], (what, body)


@contextmanager
def database_down() -> Iterator[None]:
    """Every statement fails as it does when the server has gone: on either database."""

    def refuse(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.parametrize("debug", [True, False], ids=["local", "production"])
def test_every_operation_answers_a_json_503_while_the_database_is_down(
    world: World, debug: bool
) -> None:
    device = login(Client(), world.ravi)
    body = rollcall(world)
    with override_settings(DEBUG=debug), database_down():
        for method, path in operations():
            what = f"{method} {path}"
            url = concrete(path, world)
            if path.endswith("/auth/token") and method == "POST":
                data = {"username": "ravi", "password": PASSWORD, "device_name": "phone"}
                response = device.client.post(url, data, content_type="application/json")
            elif path.endswith("/invitations/redeem") and method == "POST":
                # Anonymous: a well-formed body reaches the database (the code's look-up).
                data = {"code": "ABCDE-FGHJK", "username": "new.user", "password": PASSWORD}
                response = Client().post(url, data, content_type="application/json")
            elif "/admissions/phone-codes" in path and method == "POST":
                # Anonymous: a family's mobile number (and code) reach the database.
                data = {"phone": "9876543210", "code": "123456"}
                response = Client().post(url, data, content_type="application/json")
            elif path.endswith("/verify") and method == "POST":
                # Anonymous: a QR's text reaches the database (the keys on record).
                response = Client().post(url, {"qr": "HZ1:00"}, content_type="application/json")
            else:
                response = device.client.generic(
                    method,
                    url,
                    json.dumps(body) if method in ("POST", "PUT") else "",
                    content_type="application/json",
                    headers=device.headers,
                )
            unavailable(response, what)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_server_that_cannot_be_reached_is_a_503(world: World) -> None:
    """The server itself gone: connecting is refused (PostgreSQL only: an SQLite
    database is a file, opened once for the whole test run)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    device = login(Client(), world.ravi)
    batch = {"rollcalls": [rollcall(world)]}
    settings_dict = connection.settings_dict
    port = settings_dict["PORT"]
    connection.close()
    settings_dict["PORT"] = str(free_port())
    try:
        unavailable(device.client.get("/api/v1/me", headers=device.headers), "GET /me")
        response = device.client.post(
            "/api/v1/rollcalls/batch",
            batch,
            content_type="application/json",
            headers=device.headers,
        )
        unavailable(response, "POST /rollcalls/batch")
    finally:
        connection.close()
        settings_dict["PORT"] = port
    assert device.client.get("/api/v1/me", headers=device.headers).status_code == 200
