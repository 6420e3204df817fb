"""Submitting roll calls through the API: the happy path, idempotency, versions, time."""

import datetime as dt
import uuid

from hazri.attendance.models import RollCall
from hazri.audit.models import AuditEvent
from hazri.testing.world import SCHOOL_DAY

from .conftest import local, rollcall


def test_a_roll_call_is_stored_packed_in_roll_order(world, as_user) -> None:
    api = as_user(world.ravi)
    response = api.post("/rollcalls", rollcall(world, codes="PAPLD"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["counts"] == {"present": 2, "absent": 1, "leave": 1, "duty": 1, "attended": 3}
    assert body["version"] == 1 and body["is_current"] and body["timing"] == "on_time"
    stored = RollCall.objects.get()
    assert stored.marks == "PAPLD"
    names = [world.students[i].name for i in (0, 2, 1, 4, 3)]
    assert [m["student"] for m in body["marks"]] == [
        next(s.pk for s in world.students if s.name == n) for n in names
    ]


def test_a_retry_with_the_same_uuid_is_a_no_op_returning_the_stored_result(world, as_user) -> None:
    api = as_user(world.asha)
    payload = rollcall(world, codes="PAPPP")
    first = api.post("/rollcalls", payload)
    second = api.post("/rollcalls", payload)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert RollCall.objects.count() == 1


def test_a_uuid_reused_for_another_roll_call_is_a_conflict(world, as_user) -> None:
    api = as_user(world.ravi)
    payload = rollcall(world)
    api.post("/rollcalls", payload)
    response = api.post("/rollcalls", {**payload, "meeting": 2})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "client_uuid"
    assert RollCall.objects.count() == 1


def test_forenoon_and_afternoon_are_separate_roll_calls(world, as_user) -> None:
    api = as_user(world.ravi)
    assert api.post("/rollcalls", rollcall(world, meeting=1)).status_code == 201
    assert (
        api.post(
            "/rollcalls",
            rollcall(world, meeting=2, captured=local(SCHOOL_DAY, 13, 10), codes="PPAPP"),
        ).status_code
        == 201
    )
    assert RollCall.objects.filter(is_current=True).count() == 2


def test_once_a_day_states_have_one_meeting(world, as_user) -> None:
    world.policy.meetings_per_day = 1
    world.policy.save()
    response = as_user(world.ravi).post("/rollcalls", rollcall(world, meeting=2))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "meeting"


def test_marks_taken_after_the_grace_period_are_late_with_the_note(world, as_user) -> None:
    response = as_user(world.ravi).post(
        "/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 9, 45), note="Bus broke down")
    )
    assert response.status_code == 201
    assert response.json()["timing"] == "late"
    assert response.json()["note"] == "Bus broke down"


def test_marks_taken_in_time_but_synced_at_night_are_on_time(world, as_user) -> None:
    # The device was offline all day: only the capture time matters.
    response = as_user(world.ravi).post(
        "/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 8, 45))
    )
    assert response.json()["timing"] == "on_time"


def test_a_device_clock_three_hours_slow_is_corrected(world, as_user) -> None:
    now = dt.datetime.now(dt.UTC)
    device_clock = now - dt.timedelta(hours=3)
    # The device says it captured at 05:30 local; its clock is 3 h slow, so 08:30 really.
    payload = rollcall(
        world, captured=local(SCHOOL_DAY, 5, 30), device_clock=device_clock.isoformat()
    )
    response = as_user(world.ravi).post("/rollcalls", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert abs(body["clock_skew_seconds"] - 3 * 3600) < 60
    captured = dt.datetime.fromisoformat(body["captured_at"])
    expected = dt.datetime.fromisoformat(local(SCHOOL_DAY, 8, 30))
    assert abs((captured - expected).total_seconds()) < 60
    assert body["timing"] == "on_time"


def test_a_device_clock_set_back_cannot_fake_an_on_time_capture(world, as_user) -> None:
    # Marks taken just now on a phone whose clock was set back to 08:00 on the school
    # day: the clock it reports at sync gives it away, and the corrected capture time
    # is today, long after that day's cutoff.
    device_capture = dt.datetime.fromisoformat(local(SCHOOL_DAY, 8, 0))
    payload = rollcall(
        world,
        captured=device_capture.isoformat(),
        device_clock=(device_capture + dt.timedelta(minutes=1)).isoformat(),
    )
    response = as_user(world.ravi).post("/rollcalls", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "after_cutoff"
    assert RollCall.objects.count() == 0


def test_a_second_submission_is_a_new_version_and_the_first_stays(world, as_user) -> None:
    api = as_user(world.asha)
    first = api.post("/rollcalls", rollcall(world, codes="PAPPP")).json()
    second = api.post(
        "/rollcalls", rollcall(world, codes="PPPPP", captured=local(SCHOOL_DAY, 8, 50))
    ).json()
    assert second["version"] == 2 and second["is_current"]
    history = api.get(f"/rollcalls/{first['id']}").json()
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert [v["is_current"] for v in history["versions"]] == [False, True]
    assert history["versions"][0]["counts"]["absent"] == 1
    assert history["current"]["id"] == second["id"]


def test_two_devices_the_later_capture_is_current_whatever_arrives_first(world, as_user) -> None:
    later = as_user(world.ravi).post(
        "/rollcalls", rollcall(world, codes="PPPPA", captured=local(SCHOOL_DAY, 9, 0))
    )
    earlier = as_user(world.asha).post(
        "/rollcalls", rollcall(world, codes="APPPP", captured=local(SCHOOL_DAY, 8, 40))
    )
    assert earlier.status_code == 201
    assert earlier.json()["is_current"] is False and earlier.json()["version"] == 2
    current = RollCall.objects.get(is_current=True)
    assert current.pk == later.json()["id"]
    assert RollCall.objects.count() == 2


def test_after_the_cutoff_only_the_head_corrects_and_must_say_why(world, as_user) -> None:
    ravi, asha = as_user(world.ravi), as_user(world.asha)
    original = asha.post("/rollcalls", rollcall(world, codes="PAPPP")).json()
    evening = local(SCHOOL_DAY, 18, 0)
    by_teacher = asha.post(
        "/rollcalls", rollcall(world, codes="PPPPP", captured=evening, note="Was present")
    )
    assert by_teacher.status_code == 403
    no_reason = ravi.post("/rollcalls", rollcall(world, codes="PPPPP", captured=evening))
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "note"
    corrected = ravi.post(
        "/rollcalls",
        rollcall(world, codes="PPPPP", captured=evening, note="Bhavna came after the bell"),
    )
    assert corrected.status_code == 201
    assert corrected.json()["timing"] == "correction" and corrected.json()["version"] == 2
    history = ravi.get(f"/rollcalls/{original['id']}").json()
    assert history["versions"][0]["counts"]["absent"] == 1  # the original is still there
    assert history["versions"][1]["taken_by"] == "ravi"
    assert AuditEvent.objects.filter(action="rollcall.correct", user=world.ravi).count() == 1


def test_a_first_roll_call_after_the_cutoff_is_refused(world, as_user) -> None:
    response = as_user(world.ravi).post(
        "/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 17, 5), note="forgot")
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["code"] == "after_cutoff" and "17:00" in error["message"]
    assert RollCall.objects.count() == 0


def test_history_by_section_day_and_meeting(world, as_user) -> None:
    api = as_user(world.ravi)
    api.post("/rollcalls", rollcall(world))
    body = api.get(
        f"/sections/{world.section.pk}/rollcall", day=SCHOOL_DAY.isoformat(), meeting=1
    ).json()
    assert body["current"]["version"] == 1 and len(body["versions"]) == 1
    empty = api.get(
        f"/sections/{world.section.pk}/rollcall", day=SCHOOL_DAY.isoformat(), meeting=2
    ).json()
    assert empty == {
        "section": world.section.pk,
        "day": SCHOOL_DAY.isoformat(),
        "meeting": 2,
        "current": None,
        "versions": [],
    }


def test_a_batch_stores_each_roll_call_on_its_own(world, as_user) -> None:
    api = as_user(world.ravi)
    good = rollcall(world, meeting=1)
    afternoon = rollcall(world, meeting=2, captured=local(SCHOOL_DAY, 13, 0))
    sunday = rollcall(world, day=dt.date(2026, 11, 15), captured=local(dt.date(2026, 11, 15), 9))
    response = api.post("/rollcalls/batch", {"rollcalls": [good, sunday, afternoon, good]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "created", "duplicate"]
    assert results[1]["errors"][0]["code"] == "not_school_day"
    assert results[3]["rollcall"]["id"] == results[0]["rollcall"]["id"]
    assert RollCall.objects.count() == 2


def test_a_retried_batch_changes_nothing(world, as_user) -> None:
    api = as_user(world.ravi)
    batch = {
        "rollcalls": [
            rollcall(world, meeting=1),
            rollcall(world, meeting=2, captured=local(SCHOOL_DAY, 13)),
        ]
    }
    first = api.post("/rollcalls/batch", batch).json()
    second = api.post("/rollcalls/batch", batch).json()
    assert [r["status"] for r in second["results"]] == ["duplicate", "duplicate"]
    assert [r["rollcall"] for r in first["results"]] == [r["rollcall"] for r in second["results"]]
    assert RollCall.objects.count() == 2


def test_every_submission_and_view_is_audited(world, as_user) -> None:
    api = as_user(world.ravi)
    created = api.post("/rollcalls", rollcall(world)).json()
    api.get(f"/rollcalls/{created['id']}")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"rollcall.submit", "rollcall.view"} <= actions


def test_uuid_must_be_a_uuid(world, as_user) -> None:
    response = as_user(world.ravi).post("/rollcalls", {**rollcall(world), "client_uuid": "abc"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "client_uuid"
    assert str(uuid.UUID(int=0))  # sanity: uuid module used for real payloads


def test_the_afternoon_is_judged_from_the_afternoon_start(world, as_user) -> None:
    world.school.afternoon_start = dt.time(13, 0)
    world.school.save(update_fields=["afternoon_start"])
    api = as_user(world.ravi)
    on_time = api.post("/rollcalls", rollcall(world, meeting=2, captured=local(SCHOOL_DAY, 13, 40)))
    assert on_time.json()["timing"] == "on_time"
    late = api.post("/rollcalls", rollcall(world, meeting=2, captured=local(SCHOOL_DAY, 14, 30)))
    assert late.json()["timing"] == "late"


def test_an_old_capture_without_the_device_clock_is_refused(world, as_user) -> None:
    # Weeks later, a made-up capture time "just before the cutoff" with no device clock
    # to check it against: refused, and the head's roll call stays current.
    ravi, asha = as_user(world.ravi), as_user(world.asha)
    ravi.post("/rollcalls", rollcall(world, codes="PPPPP"))
    backdated = rollcall(world, codes="AAAAA", captured=local(SCHOOL_DAY, 16, 59))
    del backdated["device_clock"]
    response = asha.post("/rollcalls", backdated)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "clock_required"
    assert RollCall.objects.get(is_current=True).marks == "PPPPP"


def test_a_roll_call_names_who_took_it(world, as_user) -> None:
    body = as_user(world.ravi).post("/rollcalls", rollcall(world)).json()
    assert body["taken_by"] == "ravi"  # the login, as before
    assert body["taken_by_name"] == world.ravi.get_full_name() != "ravi"
