"""What the API reads and refuses before any service sees it: a body over the size limit
(413), a body that is not JSON by its Content-Type (415), a key sent twice (400), an
id that is not a JSON integer (422) and a control character in any string (422), each
naming the field, and nothing written: on SQLite and on PostgreSQL (CI runs both)."""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.test import override_settings

from hazri.attendance.schemas import BatchIn, RollCallIn, StaffRollCallItemIn
from hazri.attendance.tests.conftest import Api, local, login, now_iso, rollcall
from hazri.common.openapi import SNAPSHOT
from hazri.people.models import Posting
from hazri.testing.world import SCHOOL_DAY, World

BIGGEST_ID = 2**63 - 1


def table_sizes() -> dict[str, int]:
    """Every table's row count: a refused request must leave every one as it was."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("sessions",)
    }


@pytest.fixture
def ravi(world: World) -> Api:
    return login_client(world)


def login_client(world: World) -> Api:
    from django.test import Client

    return login(Client(), world.ravi)


def post(api: Api, path: str, body: bytes | str, content_type: str = "application/json") -> Any:
    method = api.client.put if path.startswith("PUT ") else api.client.post
    path = path.removeprefix("PUT ")
    return method(f"/api/v1{path}", body, content_type=content_type, headers=api.headers)


def refused(response: Any, status: int, field: str, code: str | set[str]) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"], body
    matching = [e for e in body["errors"] if e["field"] == field]
    assert matching, body
    assert matching[0]["code"] in ({code} if isinstance(code, str) else code), body
    return matching[0]


def staff_rollcall(world: World) -> dict[str, Any]:
    staff = sorted(Posting.objects.filter(school=world.school).values_list("staff_id", flat=True))
    return {
        "client_uuid": str(uuid.uuid4()),
        "school": world.school.pk,
        "day": SCHOOL_DAY.isoformat(),
        "captured_at": local(SCHOOL_DAY, 8, 30),
        "device_clock": now_iso(),
        "marks": [{"staff": pk, "code": "P"} for pk in staff],
    }


# --- Size ------------------------------------------------------------------------------


def largest_batch() -> dict[str, Any]:
    """The largest batch the schemas take, written as long as it can be: the objects
    form, every list at its maximum, every id at its largest, every note 500 emoji
    (12 bytes each as escapes)."""
    note = "\U0001f600" * 500
    captured = "2026-11-18T08:30:00.123456+05:30"
    rollcalls = BatchIn.model_fields["rollcalls"].metadata[0].max_length
    staff_rollcalls = BatchIn.model_fields["staff_rollcalls"].metadata[0].max_length
    marks = RollCallIn.model_fields["marks"].metadata[0].max_length
    staff_marks = StaffRollCallItemIn.model_fields["marks"].metadata[0].max_length
    assert (rollcalls, staff_rollcalls, marks, staff_marks) == (200, 50, 400, 400)
    return {
        "device_clock": "2026-11-18T19:00:03.123456+05:30",
        "answer": "full",
        "rollcalls": [
            {
                "client_uuid": str(uuid.uuid4()),
                "section": BIGGEST_ID,
                "day": SCHOOL_DAY.isoformat(),
                "meeting": 2,
                "captured_at": captured,
                "marks": [{"student": BIGGEST_ID - i, "code": "P"} for i in range(marks)],
                "note": note,
            }
            for _ in range(rollcalls)
        ],
        "staff_rollcalls": [
            {
                "client_uuid": str(uuid.uuid4()),
                "school": BIGGEST_ID,
                "day": SCHOOL_DAY.isoformat(),
                "captured_at": captured,
                "marks": [{"staff": BIGGEST_ID - i, "code": "P"} for i in range(staff_marks)],
                "note": note,
            }
            for _ in range(staff_rollcalls)
        ],
    }


def test_the_largest_batch_fits_under_the_body_limit(world: World, ravi: Api) -> None:
    batch = largest_batch()
    parsed = BatchIn.model_validate(batch)
    assert all(isinstance(item, RollCallIn) for item in parsed.rollcalls)
    assert all(isinstance(item, StaffRollCallItemIn) for item in parsed.staff_rollcalls)
    # As Python's json.dumps writes it by default (", " and ": ", ASCII only): longer
    # than what the app sends (JSON.stringify: compact, UTF-8).
    body = json.dumps(batch).encode()
    assert 6_000_000 < len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = post(ravi, "/rollcalls/batch", body)
    assert response.status_code == 200, response.content[:500]
    answer = response.json()
    # Read and judged: no section or school has such an id.
    assert {r["http_status"] for r in answer["results"] + answer["staff_results"]} == {404}


def body_operations() -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document that reads a body."""
    paths = json.loads(SNAPSHOT.read_text())["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "requestBody" in operation
    )


def test_every_operation_with_a_body_is_found() -> None:
    assert ("POST", "/api/v1/rollcalls/batch") in body_operations()
    assert ("PUT", "/api/v1/sections/{section_id}/exam-results/{student_id}") in body_operations()


@pytest.mark.parametrize("debug", [True, False], ids=["local", "production"])
def test_a_body_over_the_limit_is_a_json_413_that_names_it(
    world: World, ravi: Api, debug: bool
) -> None:
    """10 MB: under `make run` (DEBUG) it was a 500 with a traceback, in production
    Django's HTML "Bad Request"."""
    ids = {"{section_id}": world.section.pk, "{student_id}": world.students[0].pk}
    ids |= {"{school_id}": world.school.pk, "{rollcall_id}": 1}
    ids |= {"{consent_id}": 1, "{set_id}": 1, "{index}": 0}
    body = b'{"rollcalls": [' + b'{"note": "x"},' * (10 * 2**20 // 14) + b"{}]}"
    assert len(body) > 10 * 2**20
    before = table_sizes()
    with override_settings(DEBUG=debug):
        for method, path in body_operations():
            for name, value in ids.items():
                path = path.replace(name, str(value))
            # The device logging in has no token yet, as everyone else here.
            headers = {} if path.endswith("/auth/token") else ravi.headers
            call = ravi.client.put if method == "PUT" else ravi.client.post
            response = call(path, body, content_type="application/json", headers=headers)
            error = refused(response, 413, "body", "too_large")
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            assert str(limit) in error["message"] and str(limit) in response.json()["detail"]
    assert table_sizes() == before


# --- Content-Type ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin-1",
        "",
    ],
)
def test_a_body_that_is_not_declared_json_is_a_415(
    world: World, ravi: Api, content_type: str
) -> None:
    before = table_sizes()
    body = json.dumps(rollcall(world))
    response = post(ravi, "/rollcalls", body, content_type=content_type)
    refused(response, 415, "body", "unsupported_media_type")
    batch = json.dumps({"device_clock": rollcall(world)["device_clock"], "rollcalls": []})
    refused(
        post(ravi, "/rollcalls/batch", batch, content_type), 415, "body", "unsupported_media_type"
    )
    assert table_sizes() == before
    # The same body, declared as what it is, is stored.
    assert post(ravi, "/rollcalls", body, "application/json; charset=UTF-8").status_code == 201


# --- Keys sent twice -------------------------------------------------------------------


def test_a_key_sent_twice_is_a_400_that_names_it(world: World, ravi: Api) -> None:
    before = table_sizes()
    single = json.dumps(rollcall(world))
    twice = single.replace('"section": ', f'"section": {world.other_section.pk}, "section": ')
    error = refused(post(ravi, "/rollcalls", twice), 400, "section", "duplicate_key")
    assert "section" in error["message"]
    # Deep in a batch, the error says where.
    items = [rollcall(world, meeting=1), rollcall(world, meeting=2)]
    batch = json.dumps({"device_clock": items[0]["device_clock"], "rollcalls": items})
    at = batch.rindex('"code": "P"')
    batch = batch[:at] + '"code": "A", ' + batch[at:]
    refused(
        post(ravi, "/rollcalls/batch", batch), 400, "rollcalls[1].marks[4].code", "duplicate_key"
    )
    login_twice = '{"username": "ravi", "username": "asha", "password": "x"}'
    refused(post(ravi, "/auth/token", login_twice), 400, "username", "duplicate_key")
    assert table_sizes() == before
    # The same keys once each are taken.
    assert post(ravi, "/rollcalls", single).status_code == 201


# --- Ids -------------------------------------------------------------------------------


@dataclass
class IdCase:
    """An operation, a valid body for it, and where in the body an id is."""

    path: str
    body: Callable[[World], dict[str, Any]]
    at: tuple[str | int, ...]  # where the id is in the body
    field: str  # the field the 422 names
    item: str | None = None  # in a batch: the list whose item is rejected alone


def compact(body: dict[str, Any], ids: str) -> dict[str, Any]:
    marks = body.pop("marks")
    member = "student" if ids == "students" else "staff"
    return {**body, ids: [m[member] for m in marks], "codes": "P" * len(marks)}


def batch_of(key: str, item: Callable[[World], dict[str, Any]]) -> Callable[[World], Any]:
    # A device always sends its clock with a batch (docs/sync.md).
    return lambda world: {"device_clock": now_iso(), key: [item(world)]}


def fee(world: World) -> dict[str, Any]:
    return {"school": world.school.pk, "description": "Exam fee", "amount": 50, "receipt_no": "R1"}


def follow_up(world: World) -> dict[str, Any]:
    return {"school": world.school.pk, "reason": "illness", "action": "home_visit", "note": "x"}


def fees_path(world: World) -> str:
    return f"/students/{world.students[0].pk}/fees"


def follow_ups_path(world: World) -> str:
    return f"/students/{world.students[0].pk}/follow-ups"


ID_CASES = {
    "rollcall.section": IdCase("/rollcalls", rollcall, ("section",), "section"),
    "rollcall.marks.student": IdCase(
        "/rollcalls", rollcall, ("marks", 2, "student"), "marks[2].student"
    ),
    "rollcall.students": IdCase(
        "/rollcalls", lambda w: compact(rollcall(w), "students"), ("students", 1), "students[1]"
    ),
    "staff.school": IdCase("/staff-rollcalls", staff_rollcall, ("school",), "school"),
    "staff.marks.staff": IdCase(
        "/staff-rollcalls", staff_rollcall, ("marks", 0, "staff"), "marks[0].staff"
    ),
    "staff.staff": IdCase(
        "/staff-rollcalls", lambda w: compact(staff_rollcall(w), "staff"), ("staff", 0), "staff[0]"
    ),
    "batch.section": IdCase(
        "/rollcalls/batch",
        batch_of("rollcalls", rollcall),
        ("rollcalls", 0, "section"),
        "section",
        "results",
    ),
    "batch.students": IdCase(
        "/rollcalls/batch",
        batch_of("rollcalls", lambda w: compact(rollcall(w), "students")),
        ("rollcalls", 0, "students", 3),
        "students[3]",
        "results",
    ),
    "batch.staff.school": IdCase(
        "/rollcalls/batch",
        batch_of("staff_rollcalls", staff_rollcall),
        ("staff_rollcalls", 0, "school"),
        "school",
        "staff_results",
    ),
    "batch.staff.marks": IdCase(
        "/rollcalls/batch",
        batch_of("staff_rollcalls", staff_rollcall),
        ("staff_rollcalls", 0, "marks", 1, "staff"),
        "marks[1].staff",
        "staff_results",
    ),
    "fee.school": IdCase("fees", fee, ("school",), "school"),
    "follow_up.school": IdCase("follow-ups", follow_up, ("school",), "school"),
}


def case_path(case: IdCase, world: World) -> str:
    return {"fees": fees_path, "follow-ups": follow_ups_path}.get(case.path, lambda _w: case.path)(
        world
    )


def replaced(body: Any, at: tuple[str | int, ...], change: Callable[[Any], Any]) -> Any:
    inner = body
    for step in at[:-1]:
        inner = inner[step]
    inner[at[-1]] = change(inner[at[-1]])
    return body


@pytest.mark.parametrize("name", sorted(ID_CASES))
@pytest.mark.parametrize(
    "change",
    [str, float, lambda i: f" {i}", lambda i: True],
    ids=["string", "float", "padded", "bool"],
)
def test_an_id_is_a_json_integer_not_a_string_or_a_float(
    world: World, ravi: Api, name: str, change: Callable[[int], Any]
) -> None:
    case = ID_CASES[name]
    path = case_path(case, world)
    body = case.body(world)
    before = table_sizes()
    sent = json.dumps(replaced(json.loads(json.dumps(body)), case.at, change))
    response = post(ravi, path, sent)
    if case.item is None:
        error = refused(response, 422, case.field, "int_type")
    else:
        # A batch judges each item on its own: this one is rejected, on its field.
        assert response.status_code == 200, response.content
        [result] = response.json()[case.item]
        assert (result["status"], result["http_status"]) == ("rejected", 422), result
        [error] = [e for e in result["errors"] if e["field"] == case.field]
        assert error["code"] == "int_type", result
    assert error["message"]
    assert table_sizes() == before
    # The same body with the id as a JSON integer is stored.
    response = post(ravi, path, json.dumps(body))
    assert response.status_code in (200, 201), response.content
    if case.item is not None:
        assert response.json()[case.item][0]["status"] == "created", response.content


# --- Control characters ----------------------------------------------------------------


@dataclass
class TextCase:
    path: str  # "PUT /…" for a PUT, "GET /…?" for a query
    body: Callable[[World], dict[str, Any]]
    field: str
    item: str | None = None


def token_body(world: World) -> dict[str, Any]:
    from hazri.testing.world import PASSWORD

    return {"username": "ravi", "password": PASSWORD, "device_name": "phone"}


def certify_body(world: World) -> dict[str, Any]:
    return {"month": "2026-10", "checked_by": "Asha Patel", "note": "checked"}


def exam_body(world: World) -> dict[str, Any]:
    return {"result": "passed", "percentage": 71.5, "remarks": "good"}


TEXT_CASES = {
    "token.username": TextCase("/auth/token", token_body, "username"),
    "token.password": TextCase("/auth/token", token_body, "password"),
    "token.device_name": TextCase("/auth/token", token_body, "device_name"),
    "rollcall.note": TextCase("/rollcalls", rollcall, "note"),
    "rollcall.codes": TextCase("/rollcalls", lambda w: compact(rollcall(w), "students"), "codes"),
    "staff.note": TextCase("/staff-rollcalls", staff_rollcall, "note"),
    "batch.note": TextCase("/rollcalls/batch", batch_of("rollcalls", rollcall), "note", "results"),
    "batch.staff.note": TextCase(
        "/rollcalls/batch", batch_of("staff_rollcalls", staff_rollcall), "note", "staff_results"
    ),
    "certify.checked_by": TextCase("certify", certify_body, "checked_by"),
    "certify.note": TextCase("certify", certify_body, "note"),
    "fee.description": TextCase("fees", fee, "description"),
    "fee.receipt_no": TextCase("fees", fee, "receipt_no"),
    "fee.concession_reason": TextCase("fees", fee, "concession_reason"),
    "exam.remarks": TextCase("exam", exam_body, "remarks"),
    "follow_up.note": TextCase("follow-ups", follow_up, "note"),
    "follow_up.reason": TextCase("follow-ups", follow_up, "reason"),
    "pull.token": TextCase("pull", lambda w: {"token": "", "state": ""}, "token"),
    "pull.state": TextCase("pull", lambda w: {"token": "", "state": ""}, "state"),
}


def text_path(case: TextCase, world: World) -> str:
    return {
        "fees": fees_path(world),
        "follow-ups": follow_ups_path(world),
        "certify": f"/sections/{world.section.pk}/register/certify",
        "exam": f"PUT /sections/{world.section.pk}/exam-results/{world.students[0].pk}",
    }.get(case.path, case.path)


CONTROLS = {
    "nul": "\x00",
    "escape": "\x1b",
    "vertical tab": "\x0b",
    "unit separator": "\x1f",
    "lone surrogate": "\ud800",
}


def with_text(body: dict[str, Any], field: str, text: str, item: str | None) -> dict[str, Any]:
    target = (
        body[{"results": "rollcalls", "staff_results": "staff_rollcalls"}[item]][0]
        if item
        else body
    )
    value = target.get(field, "")
    target[field] = value[:1] + text + value[1:] if value else text
    return body


def send(api: Api, case: TextCase, world: World, body: dict[str, Any]) -> Any:
    if case.path == "pull":
        return api.client.get("/api/v1/sync/pull", body, headers=api.headers)
    path = text_path(case, world)
    return post(api, path, json.dumps(body))


@pytest.mark.parametrize("name", sorted(TEXT_CASES))
@pytest.mark.parametrize("control", sorted(CONTROLS))
def test_a_control_character_in_any_string_is_a_422_on_its_field(
    world: World, ravi: Api, name: str, control: str
) -> None:
    """A NUL was a 500 on PostgreSQL (DataError) and stored as is on SQLite."""
    case = TEXT_CASES[name]
    if case.path == "pull" and control == "lone surrogate":
        pytest.skip("a query string is bytes: Django decodes it to text without surrogates")
    # The same operation, from a device that has not sent it before: once with the
    # control character (refused), once without (taken).
    api = login_client(world)
    before = table_sizes()
    dirty = with_text(case.body(world), case.field, CONTROLS[control], case.item)
    # Pydantic refuses a lone surrogate itself (mostly), before common.api.Text looks.
    code = {"control_character"} | ({"string_unicode"} if control == "lone surrogate" else set())
    response = send(api, case, world, dirty)
    if case.item is None:
        error = refused(response, 422, case.field, code)
    else:
        assert response.status_code == 200, response.content
        [result] = response.json()[case.item]
        assert (result["status"], result["http_status"]) == ("rejected", 422), result
        [error] = result["errors"]
        assert error["field"] == case.field and error["code"] in code, result
    if error["code"] == "control_character":
        assert f"U+{ord(CONTROLS[control]):04X}" in error["message"]
    assert table_sizes() == before
    clean = with_text(
        case.body(world), case.field, "\t" if case.field != "codes" else "", case.item
    )
    if case.field in ("username", "password", "reason"):
        clean = case.body(world)  # these have no room for a tab: the plain body
    response = send(api, case, world, clean)
    assert 200 <= response.status_code < 300, response.content
