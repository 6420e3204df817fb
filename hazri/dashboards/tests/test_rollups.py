"""Rollups follow roll calls, and the dashboard figures are right on small data."""

import datetime as dt

import pytest

from hazri.dashboards import rollups, selectors
from hazri.dashboards.models import SchoolDay
from hazri.dashboards.services import followup_add, meal_record
from hazri.dashboards.students import low_attendance_students
from hazri.org.models import School
from hazri.registers.tests.test_register import mark
from hazri.testing.scheduler import rollups_counted
from hazri.testing.world import SCHOOL_DAY, World

NOV = [dt.date(2026, 11, d) for d in (17, 18, 19)]  # Tuesday to Thursday


def test_a_roll_call_moves_the_school_day(world: World) -> None:
    mark(world, SCHOOL_DAY, "PAPPD")
    row = SchoolDay.objects.get(school=world.school, day=SCHOOL_DAY)
    assert (row.is_school_day, row.sections, row.meetings_expected, row.meetings_marked) == (
        True,
        1,
        2,
        1,
    )
    assert (row.on_roll, row.slots_marked, row.attended, row.absent) == (5, 5, 4, 1)
    assert row.present_forenoon == 4 and row.staff_on_roll == 2 and not row.staff_marked
    # A second version replaces the figures: never added twice.
    mark(world, SCHOOL_DAY, "PPPPP", hour=9)
    row.refresh_from_db()
    assert (row.meetings_marked, row.attended, row.absent) == (1, 5, 0)


def test_a_late_roll_call_and_a_correction_are_counted(world: World) -> None:
    mark(world, SCHOOL_DAY, "PAPPP", hour=10)  # start 08:00 + 60 min: 10:30 is late
    mark(world, SCHOOL_DAY, "PPPPP", by=world.ravi, hour=18, note="came late")
    row = SchoolDay.objects.get(school=world.school, day=SCHOOL_DAY)
    assert (row.meetings_marked, row.meetings_late, row.meetings_corrected) == (1, 0, 1)


def test_rows_are_filled_in_for_schools_that_marked_nothing(world: World) -> None:
    # By the scheduled job, which builds every recent day never built (a GET does not).
    assert set(NOV) <= {dt.date.fromisoformat(day) for day in rollups_counted()}
    khedi = SchoolDay.objects.filter(school=world.other_school, day__in=NOV)
    assert khedi.count() == 3 and all(r.meetings_marked == 0 for r in khedi)
    assert not set(NOV) & {dt.date.fromisoformat(day) for day in rollups_counted()}


def test_the_area_report_adds_up_by_the_next_level(world: World) -> None:
    mark(world, NOV[0], "PAPPP")
    mark(world, NOV[0], "PAAPP", meeting=2, hour=13)
    mark(world, NOV[1], "PPPPP")
    rollups_counted()
    block = selectors.area_report(unit=world.block, start=NOV[0], end=NOV[-1])
    assert [r.name for r in block.rows] == ["Rampur"]
    total = block.total
    # Two schools × three school days, two meetings each: 12 meetings expected.
    assert (total.schools, total.school_days, total.meetings_expected) == (2, 6, 12)
    assert (total.meetings_marked, total.slots_marked, total.attended) == (3, 15, 12)
    assert total.attendance_pct == 80.0 and total.compliance_pct == 25.0
    assert total.school_days_marked == 1  # only Rampur on the 17th, both meetings
    assert total.school_days_unmarked == 4  # Rampur the 19th, Khedi every day
    cluster = selectors.area_report(unit=world.cluster, start=NOV[0], end=NOV[-1])
    by_school = {r.name: r.figures for r in cluster.rows}
    assert by_school["GPS Khedi"].meetings_marked == 0
    assert by_school["GPS Rampur"].attendance_pct == 80.0


def test_the_trend_is_day_by_day(world: World) -> None:
    mark(world, NOV[0], "PAPPP")
    mark(world, NOV[1], "PPPPP")
    rollups_counted()
    trend = selectors.area_trend(unit=world.block, start=NOV[0], end=NOV[-1])
    # Every day of the range is a point; a day nobody marked has no percentage.
    assert [(d, f.attendance_pct) for d, f in trend] == [
        (NOV[0], 80.0),
        (NOV[1], 100.0),
        (NOV[2], None),
    ]


def test_compliance_puts_schools_that_have_not_marked_first(world: World) -> None:
    mark(world, SCHOOL_DAY, "PPPPP")
    rollups_counted()
    rows = selectors.compliance(unit=world.block, day=SCHOOL_DAY)
    assert [r.school.name for r in rows] == ["GPS Khedi", "GPS Rampur"]
    assert rows[0].today is not None and rows[0].today.meetings_marked == 0
    # Khedi marked nothing on any of the window's school days.
    assert rows[0].missed_days == rows[0].window_days > 20


def test_the_school_lists_window_is_the_last_30_school_days(world: World) -> None:
    """Up to Thursday 19 Nov, 30 school days go back to 15 Oct (36 calendar days):
    Sundays and the fair on the 16th are not school days. On Sunday the 22nd, the 30
    school days before it go back to 17 Oct. Khedi marked nothing on any; Rampur marked
    the 17th."""
    mark(world, NOV[0], "PPPAA")
    days = [dt.date(2026, 9, 20) + dt.timedelta(days=n) for n in range(64)]  # to 22 Nov
    rollups.days_build(days)
    for day, first in ((dt.date(2026, 11, 19), dt.date(2026, 10, 15)), (days[-1], days[-37])):
        rows = {r.school.name: r for r in selectors.compliance(unit=world.block, day=day)}
        assert rows["GPS Khedi"].window_days == rows["GPS Khedi"].missed_days == 30
        assert rows["GPS Rampur"].missed_days == 29
        in_window = SchoolDay.objects.filter(
            school=world.other_school, is_school_day=True, day__lte=day
        ).order_by("-day")[:30]
        assert min(d.day for d in in_window) == first
    # Rampur's attendance over the window: 3 of 5 on the one meeting marked.
    (low,) = selectors.low_attendance_schools(unit=world.block, end=days[-1], threshold=75)
    assert low.figures.attendance_pct == 60.0 and low.figures.meetings_expected == 2 * 30


def test_meal_gaps_more_meals_than_children_or_none(world: World) -> None:
    world.school.timezone = "Asia/Kolkata"
    mark(world, NOV[0], "PAPPP")
    mark(world, NOV[1], "PPPPP")
    meal_record(school=world.school, day=NOV[0], meals_served=9, by=world.ravi)
    gaps = selectors.meal_gaps(unit=world.block, start=NOV[0], end=NOV[1])
    # The latest day first.
    assert [(g.day, g.kind) for g in gaps] == [
        (NOV[1], "no_meals_recorded"),
        (NOV[0], "more_meals_than_children"),
    ]
    meal_record(school=world.school, day=NOV[0], meals_served=4, by=world.ravi)
    assert [g.day for g in selectors.meal_gaps(unit=world.block, start=NOV[0], end=NOV[1])] == [
        NOV[1]
    ]


def test_low_attendance_schools_and_students(world: World) -> None:
    # Bhavna (second on the roll) is absent every day; Aarav misses one meeting of four.
    mark(world, NOV[0], "PAPPP")
    mark(world, NOV[0], "AAPPP", meeting=2, hour=13)
    mark(world, NOV[1], "PAPPP")
    mark(world, NOV[1], "PAPPP", meeting=2, hour=13)
    rates = low_attendance_students(schools=[world.school], end=NOV[1])
    assert [r.student.name for r in rates] == ["Bhavna Meena"]
    assert (rates[0].held, rates[0].attended, rates[0].days_absent) == (4, 0, 2)
    followup_add(
        student=rates[0].student,
        school=world.school,
        reason="illness",
        action="home_visit",
        note="Fever; will return Monday",
        by=world.ravi,
    )
    again = low_attendance_students(schools=[world.school], end=NOV[1])
    assert again[0].last_follow_up is not None and again[0].last_follow_up.action == "home_visit"
    strict = low_attendance_students(schools=[world.school], end=NOV[1], threshold=80)
    assert {r.student.name for r in strict} == {"Bhavna Meena", "Aarav Sharma"}
    rollups_counted()
    schools = selectors.low_attendance_schools(unit=world.block, end=NOV[1], threshold=85)
    assert [s.school.name for s in schools] == ["GPS Rampur"]  # 15 of 20 = 75 %


def test_adoption_by_child_unit(world: World) -> None:
    mark(world, NOV[0], "PPPPP")
    rollups_counted()
    rows = selectors.adoption(unit=world.district, start=NOV[0], end=NOV[-1])
    assert [(r.unit.name, r.schools, r.school_days, r.school_days_marked) for r in rows] == [
        ("Ashta", 2, 6, 1)
    ]
    assert rows[0].pct == 16.7


@pytest.mark.parametrize("unit_name", ["state", "district", "block", "cluster"])
def test_area_report_query_count_is_flat(
    world: World, unit_name: str, django_assert_max_num_queries
) -> None:
    mark(world, NOV[0], "PAPPP")
    with django_assert_max_num_queries(4):
        selectors.area_report(unit=getattr(world, unit_name), start=NOV[0], end=NOV[-1])


def test_schools_attached_to_a_unit_with_children_are_rows_too(world: World) -> None:
    from hazri.org.services import school_create

    school_create(unit=world.block, code="23370100999", name="GHSS Ashta")
    mark(world, NOV[0], "PAPPP")
    rollups_counted()
    report = selectors.area_report(unit=world.block, start=NOV[0], end=NOV[0])
    assert [(r.kind, r.name) for r in report.rows] == [("unit", "Rampur"), ("school", "GHSS Ashta")]
    assert report.total.attended == 4


def test_student_rates_match_a_count_mark_by_mark(world: World) -> None:
    import random

    from hazri.attendance.models import RollCall

    rng = random.Random(7)
    days = [dt.date(2026, 11, d) for d in (9, 10, 11, 12, 13, 17, 18)]  # 16th: a fair
    for day in days:
        mark(world, day, "".join(rng.choice("PPPAL") for _ in range(5)))
        if rng.random() < 0.7:
            mark(world, day, "".join(rng.choice("PPAAD") for _ in range(5)), meeting=2, hour=13)
    held: dict[int, int] = {}
    came: dict[int, int] = {}
    present_days: dict[int, dict[dt.date, bool]] = {}
    for rollcall in RollCall.objects.filter(school=world.school, is_current=True):
        for member, code in zip(rollcall.roster.members, rollcall.marks, strict=True):
            held[member] = held.get(member, 0) + 1
            came[member] = came.get(member, 0) + (code in "PD")
            seen = present_days.setdefault(member, {})
            seen[rollcall.day] = seen.get(rollcall.day, False) or code in "PD"
    rates = low_attendance_students(
        schools=[world.school], end=days[-1], threshold=101, chronic_pct=101
    )
    assert len(rates) == 5  # a threshold over 100 % takes everyone
    for rate in rates:
        member = rate.student.pk
        assert (rate.held, rate.attended) == (held[member], came[member])
        assert rate.school_days == len(present_days[member])
        assert rate.days_absent == sum(not v for v in present_days[member].values())


def test_chronic_absence_flags_a_student_whose_attendance_is_above_the_threshold(
    world: World,
) -> None:
    """Roll order: Aarav, Bhavna, Zoya, Diya, Kabir (default policy: 75 %, chronic 10 %).
    Aarav misses the whole of one day in five: 8 of 10 meetings (80 %), absent on 20 % of
    the days, chronic only. Bhavna misses three afternoons: 7 of 10 (70 %), never a whole
    day, low only. Zoya misses two whole days: 6 of 10 and 40 % of days, both."""
    days = [dt.date(2026, 11, d) for d in (17, 18, 19, 20, 21)]  # Tuesday to Saturday
    for n, day in enumerate(days):
        forenoon = ("A" if n == 0 else "P") + "P" + ("A" if n < 2 else "P") + "PP"
        afternoon = ("A" if n == 0 else "P") + ("A" if n < 3 else "P") + forenoon[2] + "PP"
        mark(world, day, forenoon)
        mark(world, day, afternoon, meeting=2, hour=13)
    rates = {
        r.student.name: (r.attended, r.held, r.days_absent, r.under_threshold, r.chronically_absent)
        for r in low_attendance_students(schools=[world.school], end=days[-1])
    }
    assert rates == {
        "Aarav Sharma": (8, 10, 1, False, True),
        "Bhavna Meena": (7, 10, 0, True, False),
        "Zoya Khan": (6, 10, 2, True, True),
    }
    # Without the chronic rule (over 100 % of days) Aarav is not on the list.
    names = {
        r.student.name
        for r in low_attendance_students(schools=[world.school], end=days[-1], chronic_pct=101)
    }
    assert names == {"Zoya Khan", "Bhavna Meena"}


def test_student_rates_take_a_flat_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    mark(world, NOV[0], "PAPPP")
    schools = list(School.objects.all())
    with django_assert_max_num_queries(8):
        low_attendance_students(schools=schools, end=NOV[1], threshold=90)
