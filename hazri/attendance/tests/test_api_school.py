"""Device log-in, rosters, the school's day, and staff attendance through the API."""

import datetime as dt
import uuid

from hazri.accounts.models import DeviceToken
from hazri.attendance.models import StaffRollCall
from hazri.people.models import Admission, Enrolment
from hazri.testing.world import PASSWORD, SCHOOL_DAY

from .conftest import local, now_iso, rollcall


def test_log_in_and_out_with_a_device_token(world, client) -> None:
    wrong = client.post(
        "/api/v1/auth/token",
        {"username": "ravi", "password": "nope"},
        content_type="application/json",
    )
    assert wrong.status_code == 403
    assert wrong.json()["errors"][0]["field"] == "password"
    issued = client.post(
        "/api/v1/auth/token",
        {"username": "ravi", "password": PASSWORD, "device_name": "Ravi's phone"},
        content_type="application/json",
    )
    token = issued.json()["token"]
    assert DeviceToken.objects.get().key_digest != token  # only a digest is kept
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["username"] == "ravi"
    assert me["schools"][0]["name"] == "GPS Rampur" and me["schools"][0]["role"] == "head"
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_session_login_works_for_pages(world, client) -> None:
    client.login(username="meera", password=PASSWORD)
    me = client.get("/api/v1/me").json()
    assert me["officer_of"] == ["Ashta"] and me["schools"] == []


def test_rosters_for_a_device_follow_the_legal_order_and_the_day(world, as_user) -> None:
    api = as_user(world.asha)
    body = api.get(f"/schools/{world.school.pk}/rosters", day=SCHOOL_DAY.isoformat()).json()
    section = body["sections"][0]
    assert [s["name"] for s in section["students"]] == [
        "Aarav Sharma",
        "Bhavna Meena",
        "Zoya Khan",
        "Diya Rajput",
        "Kabir Singh",
    ]
    assert section["students"][0]["admission_no"] == "0001"
    assert [s["role"] for s in body["staff"]] == ["head", "teacher"]
    # On 25 June Kabir (admitted 1 July) was not yet on the roll.
    june = api.get(f"/schools/{world.school.pk}/rosters", day="2026-06-25").json()
    assert "Kabir Singh" not in [s["name"] for s in june["sections"][0]["students"]]


def test_a_student_who_left_is_off_later_rolls(world, as_user) -> None:
    zoya = world.students[1]
    Enrolment.objects.filter(student=zoya).update(ends_on=dt.date(2026, 11, 10))
    Admission.objects.filter(student=zoya).update(left_on=dt.date(2026, 11, 10))
    api = as_user(world.ravi)
    names = [
        s["name"]
        for s in api.get(f"/schools/{world.school.pk}/rosters", day=SCHOOL_DAY.isoformat()).json()[
            "sections"
        ][0]["students"]
    ]
    assert "Zoya Khan" not in names
    # A roll call of that day needs only the four remaining students.
    assert api.post("/rollcalls", rollcall(world, codes="PPPP")).status_code == 201


def test_the_school_day_shows_what_is_marked(world, as_user) -> None:
    api = as_user(world.ravi)
    api.post("/rollcalls", rollcall(world, codes="PAPPP"))
    day = api.get(f"/schools/{world.school.pk}/day", day=SCHOOL_DAY.isoformat()).json()
    assert day["school_day"] and day["meetings_per_day"] == 2
    meetings = day["sections"][0]["meetings"]
    assert meetings[0]["marked"] and meetings[0]["counts"]["absent"] == 1
    assert not meetings[1]["marked"]
    sunday = api.get(f"/schools/{world.school.pk}/day", day="2026-11-15").json()
    assert sunday["school_day"] is False and sunday["day_kind"] == "weekly_off"


def test_an_officer_reads_schools_in_the_block_only(
    world, as_user, django_assert_max_num_queries
) -> None:
    api = as_user(world.meera)
    assert api.get(f"/schools/{world.school.pk}/day", day=SCHOOL_DAY.isoformat()).status_code == 200
    assert as_user(world.suresh).get(f"/schools/{world.school.pk}/day").status_code == 404


def test_school_day_query_count_does_not_grow_with_sections(
    world, as_user, django_assert_max_num_queries
) -> None:
    from hazri.org.models import Section

    api = as_user(world.ravi)
    for grade in range(1, 9):
        Section.objects.create(school=world.school, academic_year=world.year, grade=grade, name="B")
    with django_assert_max_num_queries(12):
        assert (
            api.get(f"/schools/{world.school.pk}/day", day=SCHOOL_DAY.isoformat()).status_code
            == 200
        )


def staff_payload(world, codes: str = "PA", **extra) -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "school": world.school.pk,
        "day": SCHOOL_DAY.isoformat(),
        "captured_at": local(SCHOOL_DAY, 8, 10),
        "marks": [{"staff": s.pk, "code": c} for s, c in zip(world.staff[:2], codes, strict=False)],
        "device_clock": now_iso(),
        **extra,
    }


def test_staff_attendance_is_versioned_like_roll_calls(world, as_user) -> None:
    api = as_user(world.ravi)
    first = api.post("/staff-rollcalls", staff_payload(world, "PL"))
    assert first.status_code == 201 and first.json()["counts"]["leave"] == 1
    again = api.post(
        "/staff-rollcalls", staff_payload(world, "PP", captured_at=local(SCHOOL_DAY, 8, 20))
    )
    assert again.json()["version"] == 2
    history = api.get(
        f"/schools/{world.school.pk}/staff-rollcall", day=SCHOOL_DAY.isoformat()
    ).json()
    assert [v["is_current"] for v in history["versions"]] == [False, True]
    assert StaffRollCall.objects.count() == 2


def test_staff_attendance_refuses_staff_of_another_school(world, as_user) -> None:
    payload = staff_payload(world)
    payload["marks"][1]["staff"] = world.staff[2].pk  # Suresh is posted to Khedi
    response = as_user(world.ravi).post("/staff-rollcalls", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "marks[1].staff"
    assert StaffRollCall.objects.count() == 0


def test_staff_roll_calls_travel_in_the_sync_batch(world, as_user) -> None:
    api = as_user(world.ravi)
    item = staff_payload(world, "PD")
    batch = {"rollcalls": [rollcall(world)], "staff_rollcalls": [item, item]}
    body = api.post("/rollcalls/batch", batch).json()
    assert [r["status"] for r in body["results"]] == ["created"]
    assert [r["status"] for r in body["staff_results"]] == ["created", "duplicate"]
    assert body["staff_results"][0]["staff_rollcall"]["counts"]["duty"] == 1
    assert StaffRollCall.objects.count() == 1


def test_a_staff_roll_call_replaced_by_another_phone_says_by_whom(world, as_user) -> None:
    """The staff roll call in a batch is told who replaced it, as a roll call is: Ravi's
    later capture counts, Asha's phone resends an earlier one."""
    later = as_user(world.ravi).post(
        "/staff-rollcalls", staff_payload(world, "PP", captured_at=local(SCHOOL_DAY, 9, 0))
    )
    assert later.status_code == 201
    batch = {"staff_rollcalls": [staff_payload(world, "PA")]}
    [result] = as_user(world.asha).post("/rollcalls/batch", batch).json()["staff_results"]
    assert result["status"] == "created" and result["staff_rollcall"]["is_current"] is False
    assert result["replaced_by"] == {
        "version": 1,
        "taken_by_name": "Ravi Verma",
        "captured_at": later.json()["captured_at"],
    }
