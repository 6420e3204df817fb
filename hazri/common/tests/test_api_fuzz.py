"""Every API operation, fed what schemathesis generates from our OpenAPI document,
answers 4xx or 2xx, never a 5xx: on the SQLite default and on PostgreSQL (CI runs the
suite on both), in process, with the small world's real ids in the paths and bodies
and its school morning on the clock, so that writes get past the checks and store.

Derandomised, so a run is repeatable; a deeper run against a served demo district is
`make fuzz` (docs/development.md)."""

import datetime as dt
import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import brotli
import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings

from hazri.attendance.models import RollCall
from hazri.common.openapi import SNAPSHOT
from hazri.people.models import Posting
from hazri.people.selectors import section_roll
from hazri.registers.tests.test_register import mark
from hazri.testing.once import kept_for_module
from hazri.testing.world import PASSWORD, SCHOOL_DAY, World, build_world

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


# The test world's school morning: Wednesday 18 November 2026, 10:00 in Bhopal, before
# the day's cutoff. Whatever the date the suite runs on, the same requests get the same
# answers (a date-dependent 5xx would otherwise come and go with the calendar).
MORNING = dt.datetime.combine(SCHOOL_DAY, dt.time(10), tzinfo=ZoneInfo("Asia/Kolkata"))

# Operations that take data and must store some of it now and then: a run where every
# request to one of them was refused never reached the code that writes.
WRITES = {
    "POST /api/v1/rollcalls",
    "POST /api/v1/rollcalls/batch",
    "POST /api/v1/staff-rollcalls",
    "POST /api/v1/schools/{school_id}/meals",
    "POST /api/v1/students/{student_id}/follow-ups",
    "POST /api/v1/students/{student_id}/fees",
    "PUT /api/v1/sections/{section_id}/exam-results/{student_id}",
}


@dataclass
class Grounds:
    """The world's real ids, put in place of the generated ones, and each operation's
    answers so far."""

    ids: dict[str, int]
    roll: list[int]  # 5 A's students, in roll order
    staff: list[int]  # Rampur's staff
    tokens: dict[str, str]
    statuses: dict[str, list[int]] = field(default_factory=dict)

    def ground(self, value: Any) -> Any:
        """A generated body with the world's ids, and valid dates and times where the
        generator wrote valid ones, so requests get past "no such section" into the rules
        and, now and then, into the writes. What is not valid stays as generated."""
        if isinstance(value, list):
            return [self.ground(item) for item in value]
        if not isinstance(value, dict):
            return value
        grounded = {}
        for name, item in value.items():
            if name in ("section", "school") and isinstance(item, int):
                item = self.ids[f"{name}_id"]
            elif name in ("day", "paid_on") and isinstance(item, str) and _is_day(item):
                item = SCHOOL_DAY.isoformat()
            elif name in ("captured_at", "device_clock") and isinstance(item, str):
                item = MORNING.isoformat() if _is_moment(item) else item
            grounded[name] = self.ground(item)
        # The rules the document cannot say: every child (or member of staff) on the
        # roll gets one mark, in one form only, with one letter per id in the compact
        # form. The letters are the generator's where it wrote valid ones. A class's
        # roll call names its section; the staff's names only the school.
        pool = self.roll if "section" in grounded else self.staff
        member = "student" if "section" in grounded else "staff"
        if isinstance(grounded.get("marks"), list):
            given = [m.get("code") for m in grounded["marks"] if isinstance(m, dict)]
            letters = [c for c in given if c in ("P", "A", "L", "D")]
            grounded["marks"] = [
                {member: member_id, "code": (letters + ["P"] * len(pool))[i]}
                for i, member_id in enumerate(pool)
            ]
        ids = grounded.get("students", grounded.get("staff"))
        codes = grounded.get("codes")
        if isinstance(ids, list) and isinstance(codes, str):
            grounded["students" if "students" in grounded else "staff"] = pool
            letters = "".join(c for c in codes if c in "PALD")
            grounded["codes"] = (letters + "P" * len(pool))[: len(pool)]
            grounded.pop("marks", None)
        return grounded


def _is_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _is_moment(text: str) -> bool:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return moment.tzinfo is not None


@pytest.fixture(scope="module")
def grounds(django_db_setup: None, django_db_blocker: Any) -> Iterator[Grounds]:
    """The world and its ids, built once for the module; each operation's requests run
    in its test's own savepoint (`db`), so every operation meets the world as built."""
    with kept_for_module(django_db_blocker):
        world = build_world()
        yield from _grounded(world)


def _grounded(world: World) -> Iterator[Grounds]:
    from hazri.common.tests.test_get_never_writes import (
        admission_ids,
        credential_ids,
        face_ids,
        journal_ids,
        message_ids,
        oneroster_ids,
        records_ids,
        report_card_ids,
        roster_ids,
        signon_ids,
        support_ids,
    )

    with time_machine.travel(MORNING, tick=True):
        mark(world, SCHOOL_DAY - dt.timedelta(days=1), "PAPPP")
        rollcall = RollCall.objects.filter(section=world.section).first()
        assert rollcall is not None
        found = Grounds(
            ids={
                "school_id": world.school.pk,
                "section_id": world.section.pk,
                "student_id": world.students[0].pk,
                "rollcall_id": rollcall.pk,
                **face_ids(world),
                **journal_ids(world),
                **signon_ids(world),
                **message_ids(world),
                **records_ids(world),
                **report_card_ids(world),
                **credential_ids(world),
                **admission_ids(world),
                **support_ids(world),
                **roster_ids(world),
                **oneroster_ids(world),
                "notice_id": 1,  # none in this world: a 404, never a 500
                "unit": world.block.pk,
                "school": world.school.pk,
            },
            roll=[m.id for m in section_roll(world.section, SCHOOL_DAY)],
            staff=[p.staff_id for p in Posting.objects.filter(school=world.school)],
            # The head marks and reads his school; the block officer reads her block.
            tokens={"head": _token("ravi"), "officer": _token("meera")},
        )
        yield found
    for operation, statuses in found.statuses.items():
        if operation in WRITES:
            assert any(200 <= status < 300 for status in statuses), (operation, statuses)


def unpacked(response: Any) -> bytes:
    """The answer's body: schemathesis offers gzip (requests' Accept-Encoding) and its
    WSGI transport hands the bytes over as they came (hazri/common/compression.py)."""
    coding = response.headers.get("content-encoding") or response.headers.get("Content-Encoding")
    coding = (coding or [""])[0]
    if coding == "gzip":
        return gzip.decompress(response.content)
    if coding == "br":
        return brotli.decompress(response.content)
    content: bytes = response.content
    return content


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_a_server_error(case: Any, grounds: Grounds, db: None) -> None:
    for name in list(case.path_parameters or {}):
        case.path_parameters[name] = grounds.ids[name]
    for name, value in list((case.query or {}).items()):
        if name in ("unit", "school") and isinstance(value, int):
            case.query[name] = grounds.ids[name]
    if isinstance(case.body, dict | list):
        case.body = grounds.ground(case.body)
    path = case.operation.path
    who = "officer" if "/dashboards/" in path or "/reports/" in path else "head"
    # Logging out ends the token it is sent with: it gets one of its own.
    token = _token("ravi") if case.method == "DELETE" else grounds.tokens[who]
    with one_connection():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
    grounds.statuses.setdefault(f"{case.method} {path}", []).append(response.status_code)
    assert response.status_code < 500, (case.as_curl_command(), unpacked(response)[:500])
    if path == "/api/v1/rollcalls/batch" and response.status_code == 200:
        # A batch answers 200 and each item its own status: a failed item is a 5xx too.
        answer = json.loads(unpacked(response))
        items = answer.get("results", []) + answer.get("staff_results", [])
        assert all(item.get("http_status", 200) < 500 for item in items), answer
