"""The journal's test set-up on the test world: a grading scheme with two kinds of work,
two terms, the bell schedule, and the timetable of 5 A (Mathematics in period 1 and
English in period 2, Monday to Saturday); Farah teaches Mathematics, Asha is the
class teacher. Written with the ORM: the school set-up's services are another's."""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from hazri.accounts.models import User
from hazri.journal.models import Period, Scheme, Slot, Term, WorkKind
from hazri.org.models import School, Section, Subject
from hazri.people.models import (
    Admission,
    Enrolment,
    Posting,
    Staff,
    Student,
    TeachingAssignment,
)
from hazri.testing.world import PASSWORD, SCHOOL_DAY, World

START = dt.date(2026, 4, 1)


@dataclass
class Journal:
    maths: Subject
    english: Subject
    scheme: Scheme
    oral: WorkKind  # weight 1
    test: WorkKind  # weight 2
    term1: Term  # April to September
    term2: Term  # October to March: SCHOOL_DAY is in it
    farah: User | None = None


def journal_objects(
    school: School, section: Section, maths: Subject, *, scale: str = "5-point"
) -> Journal:
    english = Subject.objects.create(school=school, code="ENG", name="English")
    scheme = Scheme.objects.create(school=school, scale=scale)
    oral = WorkKind.objects.create(scheme=scheme, code="oral", name="Oral", weight=Decimal(1))
    test = WorkKind.objects.create(scheme=scheme, code="test", name="Test", weight=Decimal(2))
    year = section.academic_year
    term1 = Term.objects.create(
        school=school,
        academic_year=year,
        name="Term 1",
        starts_on=START,
        ends_on=dt.date(2026, 9, 30),
    )
    term2 = Term.objects.create(
        school=school,
        academic_year=year,
        name="Term 2",
        starts_on=dt.date(2026, 10, 1),
        ends_on=year.ends_on,
    )
    for number, start in [(1, dt.time(8, 0)), (2, dt.time(8, 45))]:
        end = (dt.datetime.combine(START, start) + dt.timedelta(minutes=40)).time()
        Period.objects.create(school=school, number=number, starts_at=start, ends_at=end)
    for weekday in range(1, 8):
        for period, subject in [(1, maths), (2, english)]:
            Slot.objects.create(
                school=school,
                section=section,
                weekday=weekday,
                period=period,
                subject=subject,
                starts_on=START,
            )
    return Journal(maths, english, scheme, oral, test, term1, term2)


def journal_world(world: World, *, scale: str = "5-point") -> Journal:
    """The test world's 5 A with its journal: Farah (Mathematics) and Asha (class teacher)."""
    maths = Subject.objects.create(school=world.school, code="MATH", name="Mathematics")
    farah = User.objects.create_user("farah", password=PASSWORD, first_name="Farah")
    staff = Staff.objects.create(employee_code="EMP012", name="Farah", gender="F", user=farah)
    Posting.objects.create(staff=staff, school=world.school, role="teacher", starts_on=START)
    asha = Staff.objects.get(user=world.asha)
    for member, subject in [(asha, None), (staff, maths)]:
        TeachingAssignment.objects.create(
            school=world.school,
            staff=member,
            section=world.section,
            subject=subject,
            starts_on=START,
        )
    made = journal_objects(world.school, world.section, maths, scale=scale)
    made.farah = farah
    return made


def more_students(world: World, count: int) -> None:
    """Grow 5 A by this many students."""
    for n in range(count):
        student = Student.objects.create(name=f"Extra {n:02d}", gender="F")
        admission = Admission.objects.create(
            school=world.school, student=student, admission_no=f"X{n:03d}", admitted_on=START
        )
        Enrolment.objects.create(
            school=world.school,
            section=world.section,
            student=student,
            admission=admission,
            origin="new",
            starts_on=START,
        )


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()


DAY = SCHOOL_DAY  # a Wednesday in term 2
