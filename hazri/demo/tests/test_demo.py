"""The demo loader at a small scale: logins, roll calls that the app's own rules accept."""

import datetime as dt
import io
import random
import uuid

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from hazri.accounts.models import OfficerGrant, User
from hazri.attendance import rules
from hazri.attendance.models import RollCall, StaffRollCall
from hazri.attendance.services import Capture, rollcall_submit
from hazri.org.models import CalendarEntry, School, Section
from hazri.org.selectors import school_calendar
from hazri.people.models import Enrolment, Guardian, Posting, Student
from hazri.people.selectors import school_staff_roll, section_roll

# The history then runs from Tuesday 22 September to Monday 5 October 2026: two
# Sundays, and Gandhi Jayanti (Friday 2 October) is a holiday.
TODAY = "2026-10-06"
GANDHI_JAYANTI = dt.date(2026, 10, 2)
SMALL = ["--schools", "3", "--students", "150", "--weeks", "2", "--seed", "7", "--today", TODAY]


def load(*extra: str) -> str:
    out = io.StringIO()
    call_command("demo", *SMALL, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def output(db: None) -> str:
    return load()


def test_prints_the_logins_and_counts(output: str) -> None:
    assert "150  students" in output
    for username in ("ravi", "asha", "meera", "imran", "admin"):
        assert f"{username:<6} / hazri-demo" in output


def test_demo_users_can_log_in_with_their_roles(output: str) -> None:
    users = {
        name: authenticate(username=name, password="hazri-demo")
        for name in ("ravi", "asha", "meera", "imran", "admin")
    }
    assert all(users.values()), users
    ravi_school = Posting.objects.get(staff__user=users["ravi"], role="head").school
    assert ravi_school.name.startswith("GMS ")
    assert (ravi_school.lowest_grade, ravi_school.highest_grade) == (1, 8)
    assert Posting.objects.filter(
        staff__user=users["asha"], school=ravi_school, role="teacher"
    ).exists()
    assert OfficerGrant.objects.get(user=users["meera"]).unit.name == "Ashta"
    children = Guardian.objects.get(user=users["imran"]).children.all()
    assert len(children) == 2
    assert {e.school_id for c in children for e in c.enrolments.all()} == {ravi_school.pk}
    assert users["admin"].is_superuser
    # Staff other than the demo logins cannot log in with a password.
    assert (
        authenticate(
            username=f"head{School.objects.exclude(pk=ravi_school.pk)[0].code}",
            password="hazri-demo",
        )
        is None
    )


def test_every_roll_call_matches_its_roster(output: str) -> None:
    sheets = list(RollCall.objects.select_related("roster")) + list(
        StaffRollCall.objects.select_related("roster")
    )
    assert len(sheets) > 100
    for sheet in sheets:
        assert len(sheet.marks) == len(sheet.roster.members) > 0
        assert set(sheet.marks) <= set(rules.MARK_CODES)
        counts = rules.count_marks(sheet.marks)
        assert (sheet.present, sheet.absent, sheet.leave, sheet.duty) == (
            counts.present,
            counts.absent,
            counts.leave,
            counts.duty,
        )
        assert sheet.received_at >= sheet.captured_at
    keys = [(c.section_id, c.day, c.meeting) for c in RollCall.objects.filter(is_current=True)]
    assert len(keys) == len(set(keys))


def test_timing_follows_the_rules(output: str) -> None:
    for call in RollCall.objects.select_related("school").exclude(timing="correction"):
        local = call.captured_at.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30)))
        begins = rules.meeting_start(
            start=call.school.start_time,
            afternoon_start=call.school.afternoon_start,
            meeting=call.meeting,
        )
        start = dt.datetime.combine(call.day, begins, tzinfo=local.tzinfo)
        late = local > start + dt.timedelta(minutes=60)
        assert call.timing == ("late" if late else "on_time")
        assert bool(call.note) == late
        assert local.date() == call.day and local >= start


def test_roll_calls_only_on_school_days(output: str) -> None:
    days = set(RollCall.objects.values_list("day", flat=True))
    days |= set(StaffRollCall.objects.values_list("day", flat=True))
    assert days, "some attendance was loaded"
    assert all(day.isoweekday() != 7 for day in days)
    assert GANDHI_JAYANTI not in days
    assert CalendarEntry.objects.filter(day=GANDHI_JAYANTI, kind="holiday").exists()
    assert max(days) <= dt.date.fromisoformat(TODAY) - dt.timedelta(days=1)
    for school in School.objects.all():
        marked = set(RollCall.objects.filter(school=school).values_list("day", flat=True))
        if not marked:
            continue
        calendar = school_calendar(school, min(marked), max(marked))
        assert all(calendar[day].is_school_day for day in marked), school


def test_roster_order_is_the_legal_roll_order(output: str) -> None:
    calls = list(RollCall.objects.select_related("roster", "section").order_by("pk"))
    for call in random.Random(3).sample(calls, 60):
        assert [m.id for m in section_roll(call.section, call.day)] == call.roster.members
    for call in StaffRollCall.objects.select_related("roster", "school")[:20]:
        assert [m.id for m in school_staff_roll(call.school, call.day)] == call.roster.members


def test_students_look_like_a_school(output: str) -> None:
    enrolments = list(Enrolment.objects.select_related("student", "section", "admission"))
    assert len(enrolments) == Student.objects.count() == 150
    assert {e.origin for e in enrolments} == {"repeater", "promoted", "new"}
    for e in enrolments:
        age = (e.section.academic_year.starts_on - e.student.date_of_birth).days // 365
        assert e.section.grade + 4 <= age <= e.section.grade + 8
        assert e.student.name_local and e.student.name.split()[-1]
        assert len(e.student.state_id) == 9
        if e.origin == "new":
            assert e.starts_on == e.admission.admitted_on >= e.section.academic_year.starts_on
    by_school: dict[int, list[tuple[dt.date, int]]] = {}
    for e in enrolments:
        by_school.setdefault(e.school_id, []).append(
            (e.admission.admitted_on, int(e.admission.admission_no))
        )
    for admissions in by_school.values():
        numbers = [number for _, number in sorted(admissions)]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_refuses_a_second_load_and_reset_reloads_the_same(output: str) -> None:
    names = list(Student.objects.order_by("pk").values_list("name", "name_local"))
    with pytest.raises(CommandError, match="not empty"):
        load()
    assert "not loaded" in load("--if-empty")
    assert Student.objects.count() == 150
    load("--reset", "--noinput")
    assert list(Student.objects.order_by("pk").values_list("name", "name_local")) == names
    assert Student.objects.count() == 150


def test_the_app_marks_on_top_of_the_demo(output: str) -> None:
    """Asha marks today's roll of her class; Ravi corrects an earlier one after the cutoff."""
    india = dt.timezone(dt.timedelta(hours=5, minutes=30))
    today = dt.date.fromisoformat(TODAY)
    asha, ravi = User.objects.get(username="asha"), User.objects.get(username="ravi")
    section = Section.objects.get(assignments__staff__user=asha, assignments__subject=None, grade=5)
    roll = section_roll(section, today)
    morning = dt.datetime.combine(today, dt.time(10, 50), tzinfo=india)
    submitted = rollcall_submit(
        section=section,
        day=today,
        meeting=1,
        marks=[(m.id, "P") for m in roll],
        capture=Capture(client_uuid=uuid.uuid4(), captured_at=morning, device_clock=morning),
        by=asha,
        now=morning,
    )
    assert submitted.sheet.timing == "on_time" and submitted.sheet.present == len(roll)

    stored = RollCall.objects.filter(
        section=section, day__lt=today, meeting=1, is_current=True
    ).latest("day")
    members = stored.roster.members
    corrected = rollcall_submit(
        section=section,
        day=stored.day,
        meeting=1,
        marks=[(m, "P") for m in members],
        capture=Capture(
            client_uuid=uuid.uuid4(),
            captured_at=morning,
            note="Register checked",
            device_clock=morning,
        ),
        by=ravi,
        now=morning,
    )
    assert corrected.sheet.timing == "correction"
    assert corrected.sheet.version == stored.version + 1
    assert corrected.sheet.roster_id == stored.roster_id
    assert RollCall.objects.get(section=section, day=stored.day, meeting=1, is_current=True) == (
        corrected.sheet
    )


def test_the_schools_record_their_meals_with_a_few_real_gaps(output: str) -> None:
    from hazri.dashboards import selectors as dashboards
    from hazri.dashboards.models import MealRecord, SchoolDay
    from hazri.org.models import OrgUnit

    marked_days = SchoolDay.objects.filter(
        day__lt=dt.date.fromisoformat(TODAY), is_school_day=True, present_forenoon__gt=0
    )
    meals = {(m.school_id, m.day): m.meals_served for m in MealRecord.objects.all()}
    assert "meal records" in output
    assert len(meals) >= 0.8 * marked_days.count() > 0
    # Meals are written about the children who came, never on a day nobody came.
    for school_day in marked_days.filter(meals_served__isnull=False):
        assert meals[(school_day.school_id, school_day.day)] == school_day.meals_served
    district = OrgUnit.objects.get(kind="district")
    start, end = dt.date.fromisoformat(TODAY) - dt.timedelta(days=14), dt.date.fromisoformat(TODAY)
    gaps = dashboards.meal_gap_count(unit=district, start=start, end=end - dt.timedelta(days=1))
    assert 0 < gaps < 0.2 * marked_days.count()
