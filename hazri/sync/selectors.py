"""What a device is sent: its schools' rules and calendar, rolls, staff, roll calls.

The rows that can be many (students and enrolments) go by delta; the state hash
over them lets the server tell whether a device holds exactly what it was sent.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, Value

from hazri.accounts import selectors as access
from hazri.attendance.models import RollCall, StaffRollCall
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment, Posting

DAYS_BACK = 14
DAYS_AHEAD = 60


def device_schools(user: Any, today: dt.date) -> list[School]:
    return list(access.schools_posted_to(user, today).order_by("pk"))


def _hhmm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def school_rows(user: Any, schools: list[School], today: dt.date) -> list[dict[str, Any]]:
    rows = []
    for school in schools:
        policy = org.policy_for_school(school)
        rows.append(
            {
                "id": school.pk,
                "name": school.name,
                "name_local": school.name_local,
                "timezone": school.timezone,
                "start_time": _hhmm(school.start_time),
                "afternoon_start": _hhmm(school.afternoon_start),
                "role": access.posting_role(user, school, today),
                "meetings_per_day": policy.meetings_per_day,
                "on_time_minutes": policy.on_time_minutes,
                "cutoff": _hhmm(policy.cutoff),
                "today": org.school_today(school).isoformat(),
            }
        )
    return rows


def day_rows(schools: list[School]) -> list[dict[str, Any]]:
    rows = []
    for school in schools:
        today = org.school_today(school)
        calendar = org.school_calendar(
            school, today - dt.timedelta(days=DAYS_BACK), today + dt.timedelta(days=DAYS_AHEAD)
        )
        rows += [
            {
                "school": school.pk,
                "day": day.isoformat(),
                "kind": status.kind.value,
                "name": status.name,
                "name_local": status.name_local,
            }
            for day, status in calendar.items()
        ]
    return rows


def current_sections(schools: list[School]) -> list[Section]:
    sections: list[Section] = []
    for school in schools:
        year = org.academic_year_for(school, org.school_today(school))
        if year is not None:
            sections += list(
                Section.objects.filter(school=school, academic_year=year).order_by("grade", "name")
            )
    return sections


def section_rows(sections: list[Section]) -> list[dict[str, Any]]:
    return [{"id": s.pk, "school": s.school_id, "grade": s.grade, "name": s.name} for s in sections]


def staff_rows(schools: list[School], today: dt.date) -> list[dict[str, Any]]:
    postings = (
        Posting.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today - dt.timedelta(days=DAYS_BACK)),
            school__in=schools,
        )
        .select_related("staff")
        .order_by("school_id", "staff_id", "starts_on")
    )
    return [
        {
            "id": p.staff_id,
            "school": p.school_id,
            "name": p.staff.name,
            "name_local": p.staff.name_local,
            "role": p.role,
            "employee_code": p.staff.employee_code,
            "starts_on": p.starts_on.isoformat(),
            "ends_on": p.ends_on.isoformat() if p.ends_on else None,
        }
        for p in postings
    ]


@dataclass(frozen=True)
class Rolls:
    """What a device holds of its sections' rolls, as rows (ENROLMENT_FIELDS,
    STUDENT_FIELDS) sorted by id, and the ids of those changed since its last pull."""

    enrolments: list[list[Any]]
    students: list[list[Any]]
    changed_enrolments: set[int]
    changed_students: set[int]


def rolls_in_scope(
    schools: list[School], sections: list[Section], *, changed_after: dt.datetime | None
) -> Rolls:
    """Every enrolment of this year's sections and its student (the device builds any
    day's roll from them), each changed if it, its admission or its student was saved
    after `changed_after` (all of them when None). One query of plain values: every
    pull, a delta too, reads all of them for the state hash, and loading them as model
    instances (three a child, timestamps parsed) was most of a pull's time."""
    changed: Any = Value(True)
    student_changed: Any = Value(True)
    if changed_after is not None:
        changed = ExpressionWrapper(
            Q(updated_at__gt=changed_after) | Q(admission__updated_at__gt=changed_after),
            output_field=BooleanField(),
        )
        student_changed = ExpressionWrapper(
            Q(student__updated_at__gt=changed_after), output_field=BooleanField()
        )
    rows = (
        Enrolment.objects.filter(school_id__in=[s.pk for s in schools], section__in=sections)
        .annotate(changed=changed, student_changed=student_changed)
        .order_by("pk")
        .values_list(
            "pk",
            "student_id",
            "section_id",
            "admission__admission_no",
            "admission__admitted_on",
            "origin",
            "roll_no",
            "starts_on",
            "ends_on",
            "changed",
            "student__name",
            "student__name_local",
            "student__gender",
            "student_changed",
        )
    )
    enrolments: list[list[Any]] = []
    students: dict[int, list[Any]] = {}
    changed_enrolments: set[int] = set()
    changed_students: set[int] = set()
    for (
        pk,
        student,
        section,
        admission_no,
        admitted_on,
        origin,
        roll_no,
        starts_on,
        ends_on,
        is_changed,
        name,
        name_local,
        gender,
        is_student_changed,
    ) in rows:
        enrolments.append(
            [
                pk,
                student,
                section,
                admission_no,
                admitted_on.isoformat(),
                origin,
                roll_no,
                starts_on.isoformat(),
                ends_on.isoformat() if ends_on else None,
            ]
        )
        students[student] = [student, name, name_local, gender]
        if is_changed:
            changed_enrolments.add(pk)
        if is_student_changed:
            changed_students.add(student)
    return Rolls(
        enrolments=enrolments,
        students=[students[pk] for pk in sorted(students)],
        changed_enrolments=changed_enrolments,
        changed_students=changed_students,
    )


ENROLMENT_FIELDS = [
    "id",
    "student",
    "section",
    "admission_no",
    "admitted_on",
    "origin",
    "roll_no",
    "starts_on",
    "ends_on",
]
STUDENT_FIELDS = ["id", "name", "name_local", "gender"]


def state_hash(enrolments: list[list[Any]], students: list[list[Any]]) -> str:
    """SHA-256 of JSON.stringify([enrolmentRows, studentRows]), rows sorted by id."""
    text = json.dumps(
        [sorted(enrolments, key=lambda r: r[0]), sorted(students, key=lambda r: r[0])],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def recent_rollcalls(
    schools: list[School], *, since_day: dt.date, changed_after: dt.datetime | None
) -> tuple[list[RollCall], list[StaffRollCall]]:
    ids = [s.pk for s in schools]
    rollcalls = RollCall.objects.filter(school_id__in=ids, day__gte=since_day)
    staff = StaffRollCall.objects.filter(school_id__in=ids, day__gte=since_day)
    if changed_after is not None:
        rollcalls = rollcalls.filter(updated_at__gt=changed_after)
        staff = staff.filter(updated_at__gt=changed_after)
    return (
        list(
            rollcalls.select_related("roster", "taken_by").order_by("day", "section_id", "version")
        ),
        list(staff.select_related("roster", "taken_by").order_by("day", "school_id", "version")),
    )
