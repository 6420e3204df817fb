"""Every API operation, fed what schemathesis generates from our OpenAPI document,
answers 4xx or 2xx, never a 5xx: on the SQLite default and on PostgreSQL (CI runs the
suite on both), in process, with the small world's real ids in the paths.

Derandomised, so a run is repeatable; a deeper run against a served demo district is
`make fuzz` (docs/development.md)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings

from hazri.attendance.models import RollCall
from hazri.common.openapi import SNAPSHOT
from hazri.registers.tests.test_register import mark
from hazri.testing.world import PASSWORD, SCHOOL_DAY, World

schema = schemathesis.openapi.from_path(str(SNAPSHOT))
schema.app = get_wsgi_application()


def _token(user: str) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        {"username": user, "password": PASSWORD, "device_name": "fuzz"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return str(response.json()["token"])


@contextmanager
def one_connection() -> Iterator[None]:
    """Schemathesis calls the WSGI application itself, not through Django's test client:
    as that client does, keep the request's start and end from closing the connection
    that holds the test's transaction (PostgreSQL would lose it)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def fuzz_world(world: World) -> dict[str, Any]:
    mark(world, SCHOOL_DAY, "PAPPP")
    rollcall = RollCall.objects.filter(section=world.section).first()
    assert rollcall is not None
    return {
        "ids": {
            "school_id": world.school.pk,
            "section_id": world.section.pk,
            "student_id": world.students[0].pk,
            "rollcall_id": rollcall.pk,
            "unit": world.block.pk,
            "school": world.school.pk,
        },
        # The head marks and reads his school; the block officer reads her block.
        "head": _token("ravi"),
        "officer": _token("meera"),
    }


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_a_server_error(case: Any, fuzz_world: dict[str, Any]) -> None:
    ids = fuzz_world["ids"]
    for name in list(case.path_parameters or {}):
        case.path_parameters[name] = ids[name]
    for name, value in list((case.query or {}).items()):
        if name in ("unit", "school") and isinstance(value, int):
            case.query[name] = ids[name]
    path = case.operation.path
    who = "officer" if "/dashboards/" in path or "/reports/" in path else "head"
    token = _token("ravi") if case.method == "DELETE" else fuzz_world[who]
    with one_connection():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (case.as_curl_command(), response.text[:500])
