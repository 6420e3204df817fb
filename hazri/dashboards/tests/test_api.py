"""The dashboards through the API: scope, figures, exports, meals, follow-ups."""

import csv
import datetime as dt
import io

from django.utils import timezone
from openpyxl import load_workbook

from hazri.attendance.tests.conftest import login
from hazri.registers.tests.test_register import mark
from hazri.testing.scheduler import rollups_counted
from hazri.testing.world import SCHOOL_DAY

DAY = SCHOOL_DAY.isoformat()


def test_an_officer_starts_at_their_block_and_drills_down(world, client) -> None:
    mark(world, SCHOOL_DAY, "PAPPP")
    meera = login(client, world.meera)
    # A GET builds nothing: until the scheduled job has run, the answer says so.
    waiting = meera.get("/dashboards/area", start=DAY, end=DAY).json()
    assert (waiting["counted"], waiting["counted_up_to"]) == (False, None)
    assert waiting["total"]["attendance_pct"] is None
    rollups_counted()
    block = meera.get("/dashboards/area", start=DAY, end=DAY).json()
    assert (block["counted"], block["counted_up_to"]) == (True, None)
    assert block["unit"]["name"] == "Ashta"
    assert [c["name"] for c in block["breadcrumbs"]] == ["Ashta"]  # not above her block
    assert [r["name"] for r in block["rows"]] == ["Rampur"] and block["rows"][0]["kind"] == "unit"
    assert block["total"]["attendance_pct"] == 80.0
    assert block["total"]["meetings_expected"] == 4 and block["total"]["meetings_marked"] == 1
    cluster = meera.get("/dashboards/area", unit=world.cluster.pk, start=DAY, end=DAY).json()
    assert {r["name"]: r["kind"] for r in cluster["rows"]} == {
        "GPS Khedi": "school",
        "GPS Rampur": "school",
    }
    school = meera.get(f"/dashboards/schools/{world.school.pk}", start=DAY, end=DAY).json()
    assert school["sections"][0]["attendance_pct"] == 80.0
    assert school["trend"][0]["attendance_pct"] == 80.0


def test_officers_stay_in_their_area(world, client) -> None:
    meera = login(client, world.meera)
    assert meera.get("/dashboards/area", unit=world.state.pk).status_code == 404
    assert meera.get("/dashboards/area", unit=world.district.pk).status_code == 404
    teacher = login(client, world.asha)
    assert teacher.get("/dashboards/area").status_code == 404
    assert teacher.get("/dashboards/compliance").status_code == 404


def test_bad_ranges_are_refused(world, client) -> None:
    meera = login(client, world.meera)
    back = meera.get("/dashboards/area", start="2026-11-20", end="2026-11-01")
    assert back.status_code == 422 and back.json()["errors"][0]["field"] == "end"
    assert meera.get("/dashboards/area", start="2024-01-01", end="2026-11-01").status_code == 422
    assert meera.get("/dashboards/area", start="yesterday").status_code == 422
    assert meera.get("/dashboards/area", format="pdf").status_code == 422


def test_the_future_has_no_figures_yet(world, client) -> None:
    meera = login(client, world.meera)
    today = timezone.localdate()
    later = (today + dt.timedelta(days=1)).isoformat()
    for path, query, field in [
        ("/dashboards/compliance", {"day": later}, "day"),
        ("/dashboards/low-attendance/schools", {"end": later}, "end"),
        ("/dashboards/area", {"start": later, "end": later}, "start"),
    ]:
        refused = meera.get(path, **query)
        assert refused.status_code == 422, (path, refused.content)
        error = refused.json()["errors"][0]
        assert (error["field"], error["code"]) == (field, "future_day")
        assert f"{later} is after today" in error["message"]
    # Only a start, and that in the future: the start is what is wrong.
    alone = meera.get("/dashboards/area", start=later).json()["errors"][0]
    assert (alone["field"], alone["code"]) == ("start", "future_day")
    # A range that runs on past today is its figures so far.
    start = today - dt.timedelta(days=3)
    so_far = meera.get("/dashboards/area", start=start.isoformat(), end=later)
    assert so_far.status_code == 200
    assert (so_far.json()["start"], so_far.json()["end"]) == (start.isoformat(), today.isoformat())


def test_every_table_exports_as_csv_and_xlsx(world, client) -> None:
    mark(world, SCHOOL_DAY, "PAPPP")
    meera = login(client, world.meera)
    for path, params in [
        ("/dashboards/area", {"start": DAY, "end": DAY}),
        ("/dashboards/compliance", {"day": DAY}),
        ("/dashboards/compliance/areas", {"day": DAY}),
        ("/dashboards/low-attendance/schools", {"end": DAY, "threshold": 90}),
        ("/dashboards/low-attendance/students", {"end": DAY, "threshold": 90}),
        ("/dashboards/meals", {"start": DAY, "end": DAY}),
        ("/dashboards/adoption", {"start": DAY, "end": DAY}),
        ("/dashboards/photos", {"start": DAY, "end": DAY}),
        ("/dashboards/learning", {"start": DAY, "end": DAY}),
        (f"/dashboards/schools/{world.school.pk}", {"start": DAY, "end": DAY}),
    ]:
        as_csv = meera.get(path, format="csv", **params)
        assert as_csv.status_code == 200, (path, as_csv.content)
        lines = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
        as_json = meera.get(path, **params).json()
        data_rows = (
            as_json["rows"]
            if isinstance(as_json, dict) and "rows" in as_json
            else (as_json["sections"] if isinstance(as_json, dict) else as_json)
        )
        assert len(lines) == 1 + len(data_rows), path
        as_xlsx = meera.get(path, format="xlsx", **params)
        sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
        assert sheet.max_row == 1 + len(data_rows), path


def test_compliance_lists_unmarked_schools_first(world, client) -> None:
    mark(world, SCHOOL_DAY, "PPPPP")
    rollups_counted()  # as the scheduler would: a GET builds nothing
    rows = login(client, world.meera).get("/dashboards/compliance", day=DAY).json()
    assert [(r["name"], r["meetings_marked"]) for r in rows] == [
        ("GPS Khedi", 0),
        ("GPS Rampur", 1),
    ]


def test_compliance_by_area_and_limited_lists(world, client) -> None:
    mark(world, SCHOOL_DAY, "PPPPP")
    mark(world, SCHOOL_DAY, "PPPPP", meeting=2, hour=13)
    rollups_counted()  # as the scheduler would: a GET builds nothing
    meera = login(client, world.meera)
    [area] = meera.get("/dashboards/compliance/areas", day=DAY).json()
    assert area["unit"] == world.cluster.pk
    assert (area["schools"], area["marked_in_full"], area["marked_partly"]) == (2, 1, 0)
    assert (area["not_marked"], area["meetings_expected"], area["meetings_marked"]) == (1, 4, 2)
    assert area["compliance_pct"] == 50.0
    [first] = meera.get("/dashboards/compliance", day=DAY, limit=1).json()
    assert first["name"] == "GPS Khedi"
    assert meera.get("/dashboards/compliance", day=DAY, limit=0).status_code == 422
    assert meera.get("/dashboards/meals", limit=100_001).status_code == 422
    other = login(client, world.asha)
    assert other.get("/dashboards/compliance/areas", day=DAY).status_code == 404


def test_the_student_list_keeps_to_its_limit(world, client) -> None:
    mark(world, SCHOOL_DAY, "PAAPP")  # Bhavna and Zoya absent: 0 % each
    meera = login(client, world.meera)
    both = meera.get("/dashboards/low-attendance/students", end=DAY).json()
    assert sorted(r["name"] for r in both) == ["Bhavna Meena", "Zoya Khan"]
    [first] = meera.get("/dashboards/low-attendance/students", end=DAY, limit=1).json()
    assert first["name"] == both[0]["name"]


def test_meals_and_their_gaps(world, client) -> None:
    mark(world, SCHOOL_DAY, "PAPPP")
    ravi = login(client, world.ravi)
    saved = ravi.post(f"/schools/{world.school.pk}/meals", {"day": DAY, "meals_served": 7})
    assert saved.status_code == 200
    gaps = login(client, world.meera).get("/dashboards/meals", start=DAY, end=DAY).json()
    assert gaps == [
        {
            "school": world.school.pk,
            "name": "GPS Rampur",
            "day": DAY,
            "meals_served": 7,
            "present_forenoon": 4,
            "kind": "more_meals_than_children",
        }
    ]
    too_many = ravi.post(f"/schools/{world.school.pk}/meals", {"day": DAY, "meals_served": -1})
    assert too_many.status_code == 422
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert (
        ravi.post(
            f"/schools/{world.school.pk}/meals", {"day": future, "meals_served": 3}
        ).status_code
        == 422
    )
    assert (
        login(client, world.suresh)
        .post(f"/schools/{world.school.pk}/meals", {"day": DAY, "meals_served": 3})
        .status_code
        == 404
    )


def test_follow_ups_of_a_weak_student(world, client) -> None:
    bhavna = world.students[2]
    meera = login(client, world.meera)
    path = f"/students/{bhavna.pk}/follow-ups"
    made = meera.post(
        path,
        {
            "school": world.school.pk,
            "reason": "work",
            "action": "home_visit",
            "note": "Helping at harvest; father agreed to send her",
        },
    )
    assert made.status_code == 201
    bad = meera.post(path, {"school": world.school.pk, "reason": "lazy", "action": "call"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reason"
    listed = login(client, world.ravi).get(path).json()
    assert [(f["reason"], f["recorded_by"]) for f in listed] == [("work", "meera")]
    assert (
        login(client, world.imran)
        .post(path, {"school": world.school.pk, "reason": "work", "action": "call"})
        .status_code
        == 404
    )


def test_meals_only_on_school_days_and_follow_ups_only_for_the_schools_children(
    world, client
) -> None:
    ravi = login(client, world.ravi)
    sunday = ravi.post(
        f"/schools/{world.school.pk}/meals", {"day": "2026-11-15", "meals_served": 3}
    )
    assert sunday.status_code == 422 and sunday.json()["errors"][0]["code"] == "not_school_day"
    khedi_child = world.other_section.enrolments.get().student
    meera = login(client, world.meera)
    wrong = meera.post(
        f"/students/{khedi_child.pk}/follow-ups",
        {"school": world.school.pk, "reason": "work", "action": "call"},
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["code"] == "not_enrolled"
