"""The API's two doors, with Django's CSRF checks on as a browser meets them (the test
client turns them off unless told): a request with neither a token nor a logged-in
session is a 401 with the bearer challenge, never "CSRF check Failed"; a page's
logged-in session still needs its CSRF token to write."""

import json
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from hazri.attendance.models import RollCall
from hazri.attendance.tests.conftest import login, rollcall
from hazri.common.openapi import SNAPSHOT
from hazri.testing.world import World

CSRF_SECRET = "A1" * 16  # a CSRF cookie is 32 letters and digits


def writes() -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document that changes something and needs a login."""
    paths = json.loads(SNAPSHOT.read_text())["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete") and operation.get("security")
    )


def concrete(path: str, world: World) -> str:
    for name, value in {
        "{section_id}": world.section.pk,
        "{school_id}": world.school.pk,
        "{student_id}": world.students[0].pk,
        "{rollcall_id}": 1,
    }.items():
        path = path.replace(name, str(value))
    return path


def table_sizes() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def call(client: Client, method: str, path: str, body: Any, **headers: str) -> Any:
    return client.generic(
        method, path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_every_write_with_no_credentials_is_a_401_with_the_bearer_challenge(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    operations = writes()
    assert ("POST", "/api/v1/rollcalls/batch") in operations
    assert ("DELETE", "/api/v1/auth/token") in operations
    before = table_sizes()
    for method, path in operations:
        response = call(browser, method, concrete(path, world), rollcall(world))
        assert response.status_code == 401, (method, path, response.content)
        assert response["WWW-Authenticate"].startswith("Bearer "), (method, path)
        assert "Bearer" in response.json()["detail"]
    assert table_sizes() == before


def test_a_token_that_is_not_valid_is_a_401_naming_the_error(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    response = call(
        browser, "POST", "/api/v1/rollcalls", rollcall(world), Authorization="Bearer not-a-token"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="hazri", error="invalid_token"'
    assert RollCall.objects.count() == 0


def test_a_device_token_needs_no_csrf_token(world: World) -> None:
    device = login(Client(enforce_csrf_checks=True), world.ravi)
    device.client = Client(enforce_csrf_checks=True)
    response = call(device.client, "POST", "/api/v1/rollcalls", rollcall(world), **device.headers)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("with_token", [False, True], ids=["no CSRF token", "CSRF token"])
def test_a_logged_in_session_still_needs_its_csrf_token(world: World, with_token: bool) -> None:
    """The page's cookie carries the head's authority: another site's page must not be
    able to borrow it, so a session's write needs the CSRF token as before."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.ravi)
    browser.cookies["csrftoken"] = CSRF_SECRET
    headers = {"X-CSRFToken": CSRF_SECRET} if with_token else {}
    response = call(browser, "POST", "/api/v1/rollcalls", rollcall(world), **headers)
    if with_token:
        assert response.status_code == 201, response.content
        assert RollCall.objects.count() == 1
    else:
        assert response.status_code == 403, response.content
        assert "CSRF" in response.json()["detail"]
        assert RollCall.objects.count() == 0
