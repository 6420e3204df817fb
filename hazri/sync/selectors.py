"""What a device is sent: its schools' rules and calendar, rolls, staff, roll calls.

The rows that can be many (students and enrolments) go by delta; the state hash
over them lets the server tell whether a device holds exactly what it was sent.
"""

import datetime as dt
import hashlib
import json
from typing import Any

from django.db.models import Q, QuerySet

from hazri.accounts import selectors as access
from hazri.attendance.models import RollCall, StaffRollCall
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment, Posting, Student

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


def enrolments_in_scope(schools: list[School], sections: list[Section]) -> QuerySet[Enrolment]:
    """Every enrolment of this year's sections: the device builds any day's roll from them."""
    return Enrolment.objects.filter(
        school_id__in=[s.pk for s in schools], section__in=sections
    ).select_related("admission", "student")


def enrolment_row(e: Enrolment) -> list[Any]:
    return [
        e.pk,
        e.student_id,
        e.section_id,
        e.admission.admission_no,
        e.admission.admitted_on.isoformat(),
        e.origin,
        e.roll_no,
        e.starts_on.isoformat(),
        e.ends_on.isoformat() if e.ends_on else None,
    ]


def student_row(s: Student) -> list[Any]:
    return [s.pk, s.name, s.name_local, s.gender]


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
