"""The API: upload → preview, read the job and its refused lines (paged), confirm,
resume; mappings saved and versioned; bad input is a 4xx naming the field."""

import base64
import json
from typing import Any

import pytest
from django.test import Client

from hazri.audit.models import AuditEvent
from hazri.people.models import Student
from hazri.rosters.models import RosterMapping
from hazri.testing.world import World

from .make_files import STATE_MAPPING
from .rosters_world import ON, data

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def _upload_body(name: str, **more: Any) -> dict[str, Any]:
    file = {"name": name, "data": base64.b64encode(data(name)).decode()}
    return {"kind": "students", "file": file, "on": ON.isoformat(), **more}


def test_upload_preview_confirm_over_the_api(world: World, superuser: Any) -> None:
    client = _client(superuser)
    made = _post(client, "/rosters/imports", _upload_body("students_good.xlsx"))
    assert made.status_code == 201, made.content
    job = made.json()
    assert job["counts"]["create"] == 5 and job["may_confirm"] is True
    assert {p["school_code"] for p in job["parts"]} == {"23370100101", "23370100102"}
    lines = client.get(f"/api/v1/rosters/imports/{job['id']}/lines", {"action": "end"}).json()
    assert lines["total"] == 6 and lines["lines"][0]["line"] == 0
    confirmed = _post(client, f"/rosters/imports/{job['id']}/confirm", {})
    assert confirmed.status_code == 202, confirmed.content
    assert confirmed.json()["status"] == "done"
    assert confirmed.json()["rows_done"] == 5
    assert Student.objects.filter(state_id__startswith="IMP").count() == 5
    again = _post(client, f"/rosters/imports/{job['id']}/confirm", {})
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "job"


def test_refused_rows_are_paged_and_block_the_confirmation(world: World, superuser: Any) -> None:
    client = _client(superuser)
    job = _post(client, "/rosters/imports", _upload_body("students_bad_date.csv")).json()
    assert job["may_confirm"] is False
    lines = client.get(f"/api/v1/rosters/imports/{job['id']}/lines", {"action": "refused"})
    assert lines.json()["lines"] == [
        {
            "line": 3,
            "school": world.school.pk,
            "action": "refused",
            "key": "IMP0002",
            "name": "Rohan Lal",
            "changes": {},
            "column": "admitted_on",
            "reason": "31/02/2022 is not a date.",
        }
    ]
    refused = _post(client, f"/rosters/imports/{job['id']}/confirm", {})
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "file"


@pytest.mark.parametrize(
    ("name", "payload", "status", "field"),
    [
        ("latin1", data("students_latin1.csv"), 422, "file"),
        ("nul", b"school_code,state_id\n1,\x00\n", 422, "file"),
        ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", 422, "file"),
        ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF", 422, "file"),
    ],
)
def test_bad_files_are_4xx(
    world: World, superuser: Any, name: str, payload: bytes, status: int, field: str
) -> None:
    body = _upload_body("students_good.csv")
    body["file"]["data"] = base64.b64encode(payload).decode()
    response = _post(_client(superuser), "/rosters/imports", body)
    assert response.status_code == status, response.content
    assert response.json()["errors"][0]["field"] == field


def test_not_base64_and_an_oversized_body_are_4xx(world: World, superuser: Any) -> None:
    body = _upload_body("students_good.csv")
    body["file"]["data"] = "not base64!"
    response = _post(_client(superuser), "/rosters/imports", body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file.data"
    body["file"]["data"] = "A" * (9 * 1024 * 1024)
    assert _post(_client(superuser), "/rosters/imports", body).status_code == 413


def test_a_teacher_may_not_import_and_a_head_only_their_school(world: World) -> None:
    teacher = _post(_client(world.asha), "/rosters/imports", _upload_body("students_good.csv"))
    assert teacher.status_code == 403
    officer = _post(_client(world.meera), "/rosters/imports", _upload_body("students_good.csv"))
    assert officer.status_code == 403
    head = _post(_client(world.ravi), "/rosters/imports", _upload_body("students_good.csv"))
    assert head.status_code == 201
    assert head.json()["counts"]["refused"] == 2
    assert [p["school_code"] for p in head.json()["parts"]] == ["23370100101"]


def test_a_mapping_is_saved_versioned_and_used(world: World, superuser: Any) -> None:
    client = _client(superuser)
    body = {
        "unit": world.state.pk,
        "name": "MP Samagra",
        "kind": "students",
        "columns": [{"ours": k, "theirs": v} for k, v in STATE_MAPPING.items()],
        "date_formats": ["DD/MM/YYYY"],
    }
    made = _post(client, "/rosters/mappings", body)
    assert made.status_code == 201, made.content
    mapping = made.json()
    assert mapping["version"] == 1 and mapping["columns"]["gender"] == "SEX"
    body["date_formats"] = ["DD/MM/YYYY", "DD-MM-YYYY"]
    edited = client.put(
        f"/api/v1/rosters/mappings/{mapping['id']}",
        json.dumps(body),
        content_type="application/json",
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    events = AuditEvent.objects.filter(action="roster_mapping.save").order_by("pk")
    assert [e.detail["version"] for e in events] == [1, 2]
    assert events[1].detail["before"]["date_formats"] == ["DD/MM/YYYY"]
    job = _post(
        client, "/rosters/imports", _upload_body("students_state.csv", mapping=mapping["id"])
    )
    assert job.status_code == 201 and job.json()["counts"]["create"] == 5
    assert job.json()["mapping_version"] == 2
    # The head sees the state's mapping (to choose it) but may not change it.
    head = _client(world.ravi)
    assert [m["name"] for m in head.get("/api/v1/rosters/mappings").json()] == ["MP Samagra"]
    refused = head.put(
        f"/api/v1/rosters/mappings/{mapping['id']}",
        json.dumps(body),
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert RosterMapping.objects.get().version == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"columns": [{"ours": "nickname", "theirs": "NICK"}]}, "columns.nickname"),
        ({"date_formats": ["YYYY"]}, "date_formats[0]"),
        ({"name": "  "}, "name"),
        ({"unit": 2**62}, "unit"),
    ],
)
def test_a_bad_mapping_names_its_field(
    world: World, superuser: Any, change: dict[str, Any], field: str
) -> None:
    body = {"unit": world.state.pk, "name": "M", "kind": "students", "columns": [], **change}
    response = _post(_client(superuser), "/rosters/mappings", body)
    assert response.status_code in (404, 422), response.content
    assert response.json()["errors"][0]["field"] == field
