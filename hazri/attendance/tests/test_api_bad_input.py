"""Every bad input answers 4xx naming the field and the reason, and writes nothing."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from hazri.attendance.models import RollCall, Roster
from hazri.people.models import Enrolment
from hazri.testing.world import HOLIDAY, SCHOOL_DAY, SUNDAY

from .conftest import local, rollcall


def refused(response, status: int, field: str, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"]
    assert body["errors"], body
    error = body["errors"][0]
    assert error["field"] == field, body
    assert error["message"]
    if code:
        assert error["code"] == code, body
    assert RollCall.objects.count() == 0
    assert Roster.objects.count() == 0
    return error


def test_malformed_json(world, as_user) -> None:
    refused(
        as_user(world.ravi).post("/rollcalls", '{"section": 1, "marks": ['),
        400,
        "body",
        "malformed_json",
    )


@pytest.mark.parametrize("body", ['{"section": NaN}', '{"section": Infinity}', "[1,]"])
def test_what_is_not_json_is_malformed(world, as_user, body) -> None:  # type: ignore[no-untyped-def]
    refused(as_user(world.ravi).post("/rollcalls", body), 400, "body", "malformed_json")


def test_a_byte_order_mark_before_the_json_is_skipped(world, as_user) -> None:
    body = b"\xef\xbb\xbf" + json.dumps(rollcall(world)).encode()
    assert as_user(world.ravi).post("/rollcalls", body).status_code == 201


def test_missing_field(world, as_user) -> None:
    payload = rollcall(world)
    del payload["captured_at"]
    refused(as_user(world.ravi).post("/rollcalls", payload), 422, "captured_at")


def test_naive_capture_time(world, as_user) -> None:
    payload = rollcall(world, captured="2026-11-18T08:30:00")
    refused(as_user(world.ravi).post("/rollcalls", payload), 422, "captured_at")


def test_wrong_code(world, as_user) -> None:
    payload = rollcall(world)
    payload["marks"][2]["code"] = "X"
    refused(as_user(world.ravi).post("/rollcalls", payload), 422, "marks[2].code")


def test_unknown_section(world, as_user) -> None:
    refused(
        as_user(world.ravi).post("/rollcalls", {**rollcall(world), "section": 999999}),
        404,
        "section",
        "not_found",
    )


def test_unknown_student(world, as_user) -> None:
    payload = rollcall(world)
    payload["marks"].append({"student": 999999, "code": "P"})
    error = refused(
        as_user(world.ravi).post("/rollcalls", payload), 422, "marks[5].student", "not_on_roll"
    )
    assert "999999" in error["message"]


def test_student_of_another_section(world, as_user) -> None:
    payload = rollcall(world)
    other = Enrolment.objects.get(section=world.other_section).student_id
    payload["marks"][0] = {"student": other, "code": "P"}
    refused(as_user(world.ravi).post("/rollcalls", payload), 422, "marks[0].student", "not_on_roll")


def test_missing_students(world, as_user) -> None:
    error = refused(
        as_user(world.ravi).post("/rollcalls", rollcall(world, codes="PPP")),
        422,
        "marks",
        "missing",
    )
    assert "everyone on the roll" in error["message"]


def test_duplicate_student(world, as_user) -> None:
    payload = rollcall(world)
    payload["marks"][4] = dict(payload["marks"][0])
    refused(as_user(world.ravi).post("/rollcalls", payload), 422, "marks[4].student", "duplicate")


def test_date_outside_the_session(world, as_user) -> None:
    day = dt.date(2026, 3, 20)
    refused(
        as_user(world.ravi).post(
            "/rollcalls", rollcall(world, day=day, captured=local(day, 8, 30))
        ),
        422,
        "day",
        "outside_session",
    )


@pytest.mark.parametrize("day", [SUNDAY, HOLIDAY])
def test_not_a_school_day(world, as_user, day: dt.date) -> None:
    error = refused(
        as_user(world.ravi).post(
            "/rollcalls", rollcall(world, day=day, captured=local(day, 8, 30))
        ),
        422,
        "day",
        "not_school_day",
    )
    assert str(day) in error["message"]


def test_future_date(world, as_user) -> None:
    world.policy.weekly_offs = []
    world.policy.save()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused(
        as_user(world.ravi).post(
            "/rollcalls", rollcall(world, day=tomorrow, captured=local(tomorrow, 8, 30))
        ),
        422,
        "day",
        "future_day",
    )


def test_after_the_cutoff(world, as_user) -> None:
    refused(
        as_user(world.ravi).post("/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 17, 30))),
        422,
        "captured_at",
        "after_cutoff",
    )


def test_meeting_out_of_range(world, as_user) -> None:
    refused(as_user(world.ravi).post("/rollcalls", rollcall(world, meeting=3)), 422, "meeting")


def test_a_teacher_of_another_school(world, as_user) -> None:
    # Suresh teaches at Khedi: Rampur's section does not exist for him.
    refused(as_user(world.suresh).post("/rollcalls", rollcall(world)), 404, "section")


def test_an_officer_sees_but_does_not_mark(world, as_user) -> None:
    refused(as_user(world.meera).post("/rollcalls", rollcall(world)), 403, "section", "not_marker")


def test_a_parent_cannot_mark(world, as_user) -> None:
    refused(as_user(world.imran).post("/rollcalls", rollcall(world)), 404, "section")


def test_too_many_marks_are_refused_before_any_work(world, as_user) -> None:
    payload = rollcall(world)
    payload["marks"] = [{"student": i, "code": "P"} for i in range(401)]
    refused(as_user(world.ravi).post("/rollcalls", payload), 422, "marks")


def test_no_token(world, client) -> None:
    response = client.post("/api/v1/rollcalls", rollcall(world), content_type="application/json")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
    assert RollCall.objects.count() == 0


def test_a_bad_token(world, client) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_a_malformed_batch_item_is_rejected_alone(world, as_user) -> None:
    good, bad, no_uuid = rollcall(world), rollcall(world, meeting=2), {"section": "x"}
    bad["meeting"] = "forenoon"
    response = as_user(world.ravi).post("/rollcalls/batch", {"rollcalls": [good, bad, no_uuid]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "rejected"]
    assert results[1]["client_uuid"] == bad["client_uuid"]
    assert results[1]["errors"][0]["field"] == "meeting"
    assert results[2]["client_uuid"] is None
    assert {e["field"] for e in results[2]["errors"]} >= {"client_uuid", "section", "marks"}
    assert RollCall.objects.count() == 1


def test_a_batch_that_is_not_a_batch(world, as_user) -> None:
    response = as_user(world.ravi).post("/rollcalls/batch", {"rollcalls": "all of them"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rollcalls"


def test_ids_beyond_64_bits_are_bad_input_not_a_crash(world, as_user) -> None:
    api = as_user(world.ravi)
    refused(api.post("/rollcalls", {**rollcall(world), "section": 2**70}), 422, "section")
    assert api.get(f"/rollcalls/{2**70}").status_code == 422
    assert api.get(f"/schools/{2**64}/day").status_code == 422


def test_a_missing_mark_names_the_child(world, as_user) -> None:
    error = refused(
        as_user(world.ravi).post("/rollcalls", rollcall(world, codes="PPPP")),
        422,
        "marks",
        "missing",
    )
    assert "Kabir Singh" in error["message"]


def test_a_revoked_device_token_is_a_401_not_a_csrf_403(world, as_user, client) -> None:
    api = as_user(world.ravi)
    client.delete("/api/v1/auth/token", headers=api.headers)
    response = api.post("/rollcalls/batch", {"rollcalls": [rollcall(world)]})
    assert response.status_code == 401
    assert "log in again" in response.json()["detail"]


def test_dates_at_the_ends_of_the_calendar_are_bad_input(world, as_user) -> None:
    api = as_user(world.ravi)
    for path in [
        f"/schools/{world.school.pk}/day?day=9999-12-31",
        f"/schools/{world.school.pk}/day?day=0001-01-01",
    ]:
        response = api.client.get(f"/api/v1{path}", headers=api.headers)
        assert response.status_code == 422, path
        assert response.json()["errors"][0]["field"] == "day"
    far = {
        "client_uuid": "00000000-0000-4000-8000-000000000001",
        "school": world.school.pk,
        "day": "2150-01-01",
        "captured_at": local(SCHOOL_DAY, 8),
        "marks": [],
    }
    response = api.post("/staff-rollcalls", far)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] in {"outside_session", "future_day"}


@pytest.mark.parametrize(
    "clock", ["0001-01-01T00:00:00Z", "1900-06-01T00:00:00Z", "2150-01-01T00:00:00Z"]
)
def test_a_device_clock_beyond_what_can_be_stored_is_bad_input(world, as_user, clock) -> None:
    """A skew is kept in seconds in a 32-bit column: a clock more than 68 years off was a
    500 on PostgreSQL (integer out of range), and with a capture far off too a date
    overflow on both databases."""
    api = as_user(world.ravi)
    refused(api.post("/rollcalls", rollcall(world, device_clock=clock)), 422, "device_clock")
    batch = api.post("/rollcalls/batch", {"device_clock": clock, "rollcalls": [rollcall(world)]})
    refused(batch, 422, "device_clock")
    staff = {
        "client_uuid": "00000000-0000-4000-8000-000000000002",
        "school": world.school.pk,
        "day": SCHOOL_DAY.isoformat(),
        "captured_at": local(SCHOOL_DAY, 8),
        "marks": [],
        "device_clock": clock,
    }
    refused(api.post("/staff-rollcalls", staff), 422, "device_clock")
    pull = api.get("/sync/pull", device_clock=clock)
    assert pull.status_code == 422 and pull.json()["errors"][0]["field"] == "device_clock"


def test_a_capture_time_of_another_age_is_bad_input(world, as_user) -> None:
    api = as_user(world.ravi)
    for captured in ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00"]:
        refused(api.post("/rollcalls", rollcall(world, captured=captured)), 422, "captured_at")


def test_a_phone_back_at_1970_after_a_flat_battery_is_corrected(world, as_user) -> None:
    """Its clock and its capture times are both 56 years behind: the skew moves the
    marks to when they were really taken, and fits the column."""
    clock = dt.datetime(1970, 1, 1, 0, 5, tzinfo=dt.UTC)
    skew = timezone.now() - clock
    taken = dt.datetime.fromisoformat(local(SCHOOL_DAY, 8, 30)) - skew
    response = as_user(world.ravi).post(
        "/rollcalls",
        rollcall(world, captured=taken.isoformat(), device_clock=clock.isoformat()),
    )
    assert response.status_code == 201, response.content
    stored = response.json()
    assert stored["timing"] == "on_time" and stored["clock_suspect"] is True
    assert stored["clock_skew_seconds"] > 56 * 365 * 86400
    assert dt.datetime.fromisoformat(stored["captured_at"]) - dt.datetime.fromisoformat(
        local(SCHOOL_DAY, 8, 30)
    ) < dt.timedelta(seconds=5)


@pytest.mark.parametrize("day", ["0", "2.225073858507e-311", "20261118", "1763424000"])
def test_a_number_is_not_a_date(world, as_user, day: str) -> None:
    """Pydantic reads a number as seconds since 1970: "day=0" answered for 1 January
    1970 as if it were a school day. A date must be written out."""
    api = as_user(world.ravi)
    response = api.client.get(
        f"/api/v1/schools/{world.school.pk}/day", {"day": day}, headers=api.headers
    )
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == "day" and "YYYY-MM-DD" in error["message"]
    for bad in (day, 0, 1763424000):
        refused(api.post("/rollcalls", {**rollcall(world), "day": bad}), 422, "day")


@pytest.mark.parametrize("moment", [0, 1763452800, "1763452800", "2026-11-18"])
def test_a_number_is_not_a_time(world, as_user, moment) -> None:  # type: ignore[no-untyped-def]
    api = as_user(world.ravi)
    for field in ("captured_at", "device_clock"):
        refused(api.post("/rollcalls", {**rollcall(world), field: moment}), 422, field)
    pull = api.get("/sync/pull", device_clock=moment)
    assert pull.status_code == 422 and pull.json()["errors"][0]["field"] == "device_clock"


@pytest.mark.parametrize("meeting", ["0", "3", "99999999999999999999", "-1"])
def test_a_meeting_that_cannot_be_is_bad_input(world, as_user, meeting: str) -> None:
    """A roll call's history for meeting 3, or one beyond 64 bits (an overflow in the
    database driver), is a 422 on the field."""
    api = as_user(world.ravi)
    response = api.client.get(
        f"/api/v1/sections/{world.section.pk}/rollcall",
        {"day": SCHOOL_DAY.isoformat(), "meeting": meeting},
        headers=api.headers,
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "meeting"
