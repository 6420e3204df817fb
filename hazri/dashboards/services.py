"""Keeping the rollups current, and the writes officers and schools make here."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Min, Q, Sum
from django.utils import timezone

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, require_role
from hazri.accounts.models import User
from hazri.attendance.models import RollCall, StaffRollCall, Timing
from hazri.common import sql
from hazri.common.errors import Invalid
from hazri.dashboards.models import FollowUp, MealRecord, SchoolDay
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment, Posting, Student

ROLLUP_FIELDS = [
    "unit_path",
    "is_school_day",
    "sections",
    "meetings_expected",
    "meetings_marked",
    "meetings_late",
    "meetings_corrected",
    "on_roll",
    "slots_marked",
    "attended",
    "absent",
    "leave",
    "present_forenoon",
    "first_marked_at",
    "staff_on_roll",
    "staff_marked",
    "staff_attended",
    "meals_served",
    "updated_at",
]


# What a school-day's current roll calls add up to, as database aggregates.
MARKED = {
    "marked": Count("id"),
    "late": Count("id", filter=Q(timing__in=[Timing.LATE, Timing.LATE_ENTRY])),
    "corrected": Count("id", filter=Q(timing=Timing.CORRECTION)),
    "came": Sum(F("present") + F("duty")),
    "away": Sum("absent"),
    "off": Sum("leave"),
    "slots": Sum(F("present") + F("duty") + F("absent") + F("leave")),
    "forenoon": Sum(F("present") + F("duty"), filter=Q(meeting=1)),
    "first": Min("captured_at"),
}


def _marked_fields(m: dict[str, Any], sheet: StaffRollCall | None) -> dict[str, Any]:
    """SchoolDay fields from a MARKED aggregate row and the current staff roll call."""
    return {
        "meetings_marked": m.get("marked") or 0,
        "meetings_late": m.get("late") or 0,
        "meetings_corrected": m.get("corrected") or 0,
        "slots_marked": m.get("slots") or 0,
        "attended": m.get("came") or 0,
        "absent": m.get("away") or 0,
        "leave": m.get("off") or 0,
        "present_forenoon": m.get("forenoon") or 0,
        "first_marked_at": m.get("first"),
        "staff_marked": sheet is not None,
        "staff_attended": sheet.attended if sheet else 0,
    }


def _spans_cover(spans: Iterable[tuple[dt.date, dt.date | None]], day: dt.date) -> int:
    return sum(start <= day and (end is None or day <= end) for start, end in spans)


def schooldays_rebuild(*, schools: list[School], start: dt.date, end: dt.date) -> int:
    """Recompute the rollups of these schools for every day from start to end.

    A handful of queries for the whole range: roll calls and staff roll calls are
    aggregated in the database, rolls are counted from dated enrolments in Python.
    """
    if not schools or end < start:
        return 0
    ids = [s.pk for s in schools]
    marked = {
        (r["school_id"], r["day"]): r
        for r in RollCall.objects.filter(
            school_id__in=ids, day__gte=start, day__lte=end, is_current=True
        )
        .values("school_id", "day")
        .annotate(**MARKED)
    }
    staff = {
        (r.school_id, r.day): r
        for r in StaffRollCall.objects.filter(
            school_id__in=ids, day__gte=start, day__lte=end, is_current=True
        ).only("school_id", "day", "present", "duty")
    }
    meals = {
        (m.school_id, m.day): m.meals_served
        for m in MealRecord.objects.filter(school_id__in=ids, day__gte=start, day__lte=end)
    }
    spans: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for e in (
        Enrolment.objects.filter(school_id__in=ids, starts_on__lte=end)
        .exclude(ends_on__lt=start)
        .values("school_id", "section_id", "starts_on", "ends_on")
    ):
        spans[(e["school_id"], e["section_id"])].append((e["starts_on"], e["ends_on"]))
    staff_spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for p in (
        Posting.objects.filter(school_id__in=ids, starts_on__lte=end)
        .exclude(ends_on__lt=start)
        .values("school_id", "starts_on", "ends_on")
    ):
        staff_spans[p["school_id"]].append((p["starts_on"], p["ends_on"]))
    sections_of: dict[int, list[int]] = defaultdict(list)
    for school_id, section_id in Section.objects.filter(school_id__in=ids).values_list(
        "school_id", "pk"
    ):
        sections_of[school_id].append(section_id)
    now = timezone.now()
    rows = []
    calendars = org.schools_calendars(schools, start, end)
    for school in schools:
        policy, calendar = calendars[school.pk]
        for day, status in calendar.items():
            on_roll = {s: _spans_cover(spans[(school.pk, s)], day) for s in sections_of[school.pk]}
            live = sum(1 for count in on_roll.values() if count)
            figures = _marked_fields(marked.get((school.pk, day), {}), staff.get((school.pk, day)))
            rows.append(
                SchoolDay(
                    school=school,
                    day=day,
                    unit_path=school.unit_path,
                    is_school_day=status.is_school_day,
                    sections=live,
                    meetings_expected=live * policy.meetings_per_day if status.is_school_day else 0,
                    on_roll=sum(on_roll.values()),
                    staff_on_roll=_spans_cover(staff_spans[school.pk], day),
                    **figures,
                    meals_served=meals.get((school.pk, day)),
                    updated_at=now,
                )
            )
    SchoolDay.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["school", "day"],
        update_fields=ROLLUP_FIELDS,
    )
    return len(rows)


def schoolday_refresh(*, school: School, day: dt.date, staff: bool = True) -> None:
    """Bring one school's day up to date; called in the transaction that changed it."""
    schooldays_refresh(days=[(school, day)], staff=staff)


_DAY = sql.field(SchoolDay, "day")


def schooldays_refresh(*, days: Iterable[tuple[School, dt.date]], staff: bool = True) -> None:
    """Bring these school-days up to date; called in the transaction that changed them.

    The rows are locked first, all at once in id order (two writers never deadlock), so
    two submits for the same school-day at once cannot each count without the other (a
    lost update): the second waits, then recounts what the first committed (in a
    statement of its own, which sees it). A school-day's current roll calls are few
    (sections × meetings): one UPDATE recounts every school-day in the database;
    `staff=False` (student roll calls changed) leaves the staff figures. The roll and
    calendar figures were computed when a row was first made and are redone nightly;
    a row not made yet is built whole. Plain SQL, two statements whatever the number
    of school-days: every submit runs this.
    """
    wanted = {(school.pk, day): school for school, day in days}
    if not wanted:
        return
    schools = sorted({school_id for school_id, _ in wanted})
    on = sql.params(SchoolDay, "day", sorted({day for _, day in wanted}))
    # Schools × days is one index range per pair (a row-value IN is a table scan on
    # SQLite); a batch is one school's days, the pairs not wanted are left out here.
    rows = sql.select(
        f"SELECT id, school_id, day FROM dashboards_schoolday WHERE school_id IN "
        f"({sql.placeholders(schools)}) AND day IN ({sql.placeholders(on)}) "
        f"ORDER BY id{sql.for_update()}",
        [*schools, *on],
        [None, None, _DAY],
    )
    # (SQLite: the transaction already holds the database's write lock.)
    found = {(school_id, day): pk for pk, school_id, day in rows if (school_id, day) in wanted}
    for school_id, day in sorted(set(wanted) - set(found)):
        schooldays_rebuild(schools=[wanted[(school_id, day)]], start=day, end=day)
    if not found:
        return
    ids = sorted(found.values())
    same = "school_id = dashboards_schoolday.school_id AND day = dashboards_schoolday.day"
    staff_sql = (
        ", (staff_marked, staff_attended) = (SELECT COUNT(*) > 0, COALESCE(SUM(present + duty), 0) "
        f"FROM attendance_staffrollcall WHERE {same} AND is_current)"
        if staff
        else ""
    )
    sql.execute(
        # The same figures as MARKED and _marked_fields.
        "UPDATE dashboards_schoolday SET (meetings_marked, meetings_late, meetings_corrected, "
        "attended, absent, leave, slots_marked, present_forenoon, first_marked_at) = ("
        "SELECT COUNT(*), "
        "COALESCE(SUM(CASE WHEN timing IN (%s, %s) THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN timing = %s THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(present + duty), 0), COALESCE(SUM(absent), 0), COALESCE(SUM(leave), 0), "
        "COALESCE(SUM(present + duty + absent + leave), 0), "
        "COALESCE(SUM(CASE WHEN meeting = 1 THEN present + duty ELSE 0 END), 0), "
        "MIN(captured_at) "
        f"FROM attendance_rollcall WHERE {same} AND is_current)"
        f"{staff_sql}, updated_at = %s WHERE id IN ({sql.placeholders(ids)})",
        [
            Timing.LATE,
            Timing.LATE_ENTRY,
            Timing.CORRECTION,
            sql.param(SchoolDay, "updated_at", timezone.now()),
            *ids,
        ],
    )


@transaction.atomic(durable=True)
def meal_record(*, school: School, day: dt.date, meals_served: int, by: User) -> MealRecord:
    """The school records how many mid-day meals it served (SPEC §1.9)."""
    access.require_marker(by, school, org.school_today(school))
    if day > org.school_today(school):
        raise Invalid(f"{day} is in the future.", field="day", code="future_day")
    if not org.school_day_status(school, day).is_school_day:
        raise Invalid(f"{day} is not a school day.", field="day", code="not_school_day")
    if meals_served < 0 or meals_served > 5000:
        raise Invalid(
            "Meals served must be between 0 and 5000.", field="meals_served", code="out_of_range"
        )
    record, _ = MealRecord.objects.update_or_create(
        school=school,
        day=day,
        defaults={"meals_served": meals_served, "recorded_by": by, "recorded_at": timezone.now()},
    )
    schooldays_rebuild(schools=[school], start=day, end=day)
    return record


@transaction.atomic(durable=True)
def followup_add(
    *, student: Student, school: School, reason: str, action: str, note: str, by: User
) -> FollowUp:
    """Record why a student is often absent and what was done (SPEC §1.7): by the
    school's staff or an officer over the school."""
    require_role(actor_of(by), Action.FOLLOW_UP, school, field="school")
    if not Enrolment.objects.filter(student=student, school=school).exists():
        raise Invalid(
            f"{student.name} was never on the roll of {school.name}.",
            field="school",
            code="not_enrolled",
        )
    if reason not in FollowUp.Reason.values:
        raise Invalid(f"'{reason}' is not a reason.", field="reason", code="bad_reason")
    if action not in FollowUp.Action.values:
        raise Invalid(f"'{action}' is not an action.", field="action", code="bad_action")
    return FollowUp.objects.create(
        school=school,
        student=student,
        reason=reason,
        action=action,
        note=note.strip()[:1000],
        recorded_by=by,
        recorded_at=timezone.now(),
    )
