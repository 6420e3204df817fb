"""A school's roll calls over a range of days as Ed-Fi attendance events.

Ed-Fi keys a StudentSchoolAttendanceEvent by category, date, school, session and
student, and a StudentSectionAttendanceEvent by category, date, section and student.
A school that takes two roll calls a day (forenoon and afternoon, SPEC §3.2) would
send two events of one key whenever a student is marked alike in both. They are
carried so (docs/edfi.md):

- **Section events**: each meeting is a section of its own, the section's identifier
  with the meeting's number (`5-A-M1`, `5-A-M2`), so every marked meeting is one event.
- **School events**: one event per student, day and category, with `eventDuration` the
  share of the day's meetings in that category: present in both meetings is one
  In Attendance event of 1.0; present in the forenoon and absent in the afternoon is an
  In Attendance event of 0.5 and an Unexcused Absence event of 0.5.

Only current versions of roll calls count (a correction replaces what it corrects).
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hazri.attendance.models import RollCall
from hazri.interop.edfi.descriptors import CATEGORIES, own_descriptors
from hazri.org import selectors as org
from hazri.org.models import AcademicYear, School, Section
from hazri.people.models import Student

UDISE = "uri://ed-fi.org/EducationOrganizationIdentificationSystemDescriptor#School"


@dataclass(frozen=True)
class _Meeting:
    section: Section
    year: AcademicYear
    day: dt.date
    meeting: int
    marks: list[tuple[int, str]]  # (student id, P/A/L/D) in roll order


def student_unique_id(student_id: int, state_ids: dict[int, str | None]) -> str:
    """The state's enrolment id where the student has one, else ours."""
    return state_ids.get(student_id) or f"HZ{student_id}"


def school_year(year: AcademicYear) -> int:
    """Ed-Fi names a school year by the calendar year it ends in: 2026-27 (from April,
    or September) is 2027; a session from January is its own calendar year. Read from
    the start: a session's end may be moved (extended), its name in Ed-Fi may not."""
    start = year.starts_on
    return start.year if start.month == 1 else start.year + 1


def session_ref(school: School, year: AcademicYear) -> dict[str, Any]:
    return {"schoolId": school.pk, "schoolYear": school_year(year), "sessionName": year.name}


def section_identifier(section: Section, meeting: int) -> str:
    return f"{section.grade}-{section.name}-M{meeting}"


def section_ref(
    school: School, section: Section, year: AcademicYear, meeting: int
) -> dict[str, Any]:
    return {
        "localCourseCode": f"CLASS-{section.grade}",
        "schoolId": school.pk,
        "schoolYear": school_year(year),
        "sectionIdentifier": section_identifier(section, meeting),
        "sessionName": year.name,
    }


def school_resource(school: School) -> dict[str, Any]:
    """The school as Ed-Fi names it: our number as schoolId (Ed-Fi's is a 32-bit
    integer, too small for an 11-digit UDISE code), the UDISE code as its
    identification code."""
    return {
        "schoolId": school.pk,
        "nameOfInstitution": school.name,
        "educationOrganizationIdentificationCodes": [
            {
                "educationOrganizationIdentificationSystemDescriptor": UDISE,
                "identificationCode": school.code,
            }
        ],
    }


def _meetings(school: School, start: dt.date, end: dt.date) -> Iterator[_Meeting]:
    calls = (
        RollCall.objects.filter(school=school, day__gte=start, day__lte=end, is_current=True)
        .select_related("roster", "section__academic_year")
        .order_by("day", "section__grade", "section__name", "meeting")
    )
    for call in calls:
        members = call.roster.members
        yield _Meeting(
            section=call.section,
            year=call.section.academic_year,
            day=call.day,
            meeting=call.meeting,
            marks=list(zip(members, call.marks, strict=True)),
        )


def school_events(school: School, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The school's attendance from `start` to `end` (inclusive) as Ed-Fi resources:
    its descriptors of our own, the school, and the two kinds of events."""
    meetings = list(_meetings(school, start, end))
    ids = {student for m in meetings for student, _ in m.marks}
    state_ids = dict(
        Student.objects.filter(pk__in=ids, state_id__isnull=False).values_list("pk", "state_id")
    )
    per_day = org.policy_for_school(school).meetings_per_day
    section_events = []
    # (day, section, student) → their marks in the day's meetings, in meeting order.
    days: dict[tuple[dt.date, int], list[_Meeting]] = defaultdict(list)
    for m in meetings:
        days[(m.day, m.section.pk)].append(m)
        for student, code in m.marks:
            section_events.append(
                {
                    "attendanceEventCategoryDescriptor": CATEGORIES[code].uri(),
                    "eventDate": m.day.isoformat(),
                    "sectionReference": section_ref(school, m.section, m.year, m.meeting),
                    "studentReference": {"studentUniqueId": student_unique_id(student, state_ids)},
                }
            )
    school_events = []
    for (day, _), held in days.items():
        first = held[0]
        # A student's marks of the day, counted in the order first marked (a Counter
        # keeps it); a day's share is of the meetings the school holds a day.
        codes: dict[int, Counter[str]] = defaultdict(Counter)
        for m in held:
            for student, code in m.marks:
                codes[student][code] += 1
        meetings_a_day = max(per_day, len(held))
        for student, counted in codes.items():
            for code, count in counted.items():
                school_events.append(
                    {
                        "attendanceEventCategoryDescriptor": CATEGORIES[code].uri(),
                        "eventDate": day.isoformat(),
                        "eventDuration": float(Decimal(count) / Decimal(meetings_a_day)),
                        "schoolReference": {"schoolId": school.pk},
                        "sessionReference": session_ref(school, first.year),
                        "studentReference": {
                            "studentUniqueId": student_unique_id(student, state_ids)
                        },
                    }
                )
    return {
        "attendanceEventCategoryDescriptors": own_descriptors(),
        "schools": [school_resource(school)],
        "studentSchoolAttendanceEvents": school_events,
        "studentSectionAttendanceEvents": section_events,
    }
