import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from pydantic import BaseModel

from hazri.accounts.models import DeviceToken, User
from hazri.accounts.services import token_digest
from hazri.attendance.schemas import BatchOut, SubmittedRollCallOut
from hazri.sync.api import PullOut
from hazri.testing.world import PASSWORD, SCHOOL_DAY, World

IST = ZoneInfo("Asia/Kolkata")


class Api:
    """A device talking to the API with a bearer token."""

    def __init__(self, client: Client, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        response = self.client.get(f"/api/v1{path}", params, headers=self.headers)
        _check_as_built(path, response)
        return response

    def post(self, path: str, body: Any) -> Any:
        if path == "/rollcalls/batch" and isinstance(body, dict):
            # A device always sends its clock with a batch (docs/sync.md).
            body = {"device_clock": now_iso(), **body}
        data = body if isinstance(body, str | bytes) else json.dumps(body, default=str)
        response = self.client.post(
            f"/api/v1{path}", data, content_type="application/json", headers=self.headers
        )
        _check_as_built(path, response)
        return response


# Endpoints whose answers go out as the services and presenters build them, and their
# schemas.
SENT_AS_BUILT: dict[str, type[BaseModel]] = {
    "/rollcalls": SubmittedRollCallOut,
    "/rollcalls/batch": BatchOut,
    "/sync/pull": PullOut,
}


def _check_as_built(path: str, response: Any) -> None:
    if path in SENT_AS_BUILT and response.status_code in (200, 201):
        # These answers skip ninja's check against their schema (jsonio.answer): each
        # must be exactly what the schema would make of it.
        answer = response.json()
        schema = SENT_AS_BUILT[path]
        assert schema.model_validate(answer).model_dump(mode="json") == answer


# The phones of the test world logged in when the session began and have been used
# since: marks dated before a device's login are refused
# (services.common.require_after_login), and a login idle for 90 days has expired.
LOGGED_IN = dt.datetime(2026, 4, 1, 7, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def login(client: Client, user: User) -> Api:
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD, "device_name": "test phone"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    DeviceToken.objects.filter(key_digest=token_digest(token)).update(
        created_at=LOGGED_IN, last_used_at=timezone.now()
    )
    return Api(Client(), token)


@pytest.fixture
def as_user(world: World, client: Client) -> Callable[[User], Api]:
    return lambda user: login(client, user)


def now_iso() -> str:
    """The device's clock, right: what an honest device sends as device_clock."""
    return timezone.now().isoformat()


def local(day: dt.date, hour: int, minute: int = 0) -> str:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=IST).isoformat()


def rollcall(
    world: World,
    *,
    day: dt.date = SCHOOL_DAY,
    meeting: int = 1,
    codes: str = "PPPPP",
    captured: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A roll call of 5 A; `codes` go to the students in roll order."""
    from hazri.people.selectors import section_roll

    roll = section_roll(world.section, day)
    return {
        "client_uuid": str(uuid.uuid4()),
        "section": world.section.pk,
        "day": day.isoformat(),
        "meeting": meeting,
        "captured_at": captured or local(day, 8, 30),
        "marks": [{"student": m.id, "code": c} for m, c in zip(roll, codes, strict=False)],
        "device_clock": now_iso(),
        **extra,
    }
