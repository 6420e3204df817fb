"""Children's admissions and enrolments written in bulk: what bringing a school's roll in
line with the state's register (register.py) and loading another system's histories
(loading.py) share. Each caller checks what it writes first, in its own way; this
writes it, a handful of inserts for any number of children."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from hazri.org.models import School, Section
from hazri.people.models import Admission, Enrolment, Student

BATCH = 2000


@dataclass
class EnrolmentIn:
    section: Section
    starts_on: dt.date
    ends_on: dt.date | None = None
    origin: str = Enrolment.Origin.NEW
    roll_no: int | None = None


@dataclass
class AdmissionIn:
    school: School
    admission_no: str
    admitted_on: dt.date
    left_on: dt.date | None = None
    leaving_reason: str = ""
    enrolments: list[EnrolmentIn] = field(default_factory=list)


def admissions_write(
    items: Sequence[tuple[Student, AdmissionIn]],
) -> list[tuple[Admission, list[Enrolment]]]:
    """Each (student, admission) written, in the order given: the students not saved yet
    first (once each: a child may come with several admissions), then the admissions,
    then their enrolments."""
    fresh = list({id(s): s for s, _ in items if s.pk is None}.values())
    Student.objects.bulk_create(fresh, batch_size=BATCH)
    admissions = [
        Admission(
            school=given.school,
            student=student,
            admission_no=given.admission_no.strip(),
            admitted_on=given.admitted_on,
            left_on=given.left_on,
            leaving_reason=given.leaving_reason[:200],
        )
        for student, given in items
    ]
    Admission.objects.bulk_create(admissions, batch_size=BATCH)
    enrolments = [
        [
            Enrolment(
                school_id=admission.school_id,
                section=e.section,
                student=student,
                admission=admission,
                origin=e.origin,
                starts_on=e.starts_on,
                ends_on=e.ends_on,
                roll_no=e.roll_no,
            )
            for e in given.enrolments
        ]
        for (student, given), admission in zip(items, admissions, strict=True)
    ]
    Enrolment.objects.bulk_create([e for rows in enrolments for e in rows], batch_size=BATCH)
    return list(zip(admissions, enrolments, strict=True))
