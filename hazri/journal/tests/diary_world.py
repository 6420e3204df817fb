"""A diary's week in the test world: the week of Monday 16 November 2026 at Rampur
(5 A) and Khedi (3 A), with a timetable, a change, topics, homework, grades,
remarks, a roll call with absences, a notice, meetings; Imran is the father of Zoya
(Rampur) and of Gopal (Khedi)."""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from hazri.accounts.models import User
from hazri.attendance.services import Capture, rollcall_submit
from hazri.journal.models import (
    AbsenceNotice,
    Change,
    Grade,
    Homework,
    Lesson,
    Meeting,
    Period,
    Remark,
    Scheme,
    Slot,
    Term,
    WorkKind,
)
from hazri.org.models import Section, Subject
from hazri.people.models import Guardian, Guardianship, Staff, Student, TeachingAssignment
from hazri.people.selectors import section_roll
from hazri.testing.world import PASSWORD, SCHOOL_DAY, World

MONDAY = dt.date(2026, 11, 16)
WEDNESDAY = SCHOOL_DAY
IST = ZoneInfo("Asia/Kolkata")
NOW = dt.datetime(2026, 11, 18, 10, 50, tzinfo=IST)


@dataclass
class DiaryWorld:
    world: World
    zoya: Student
    gopal: Student
    aarav: Student
    bhavna: Student
    maths: Subject
    hindi: Subject
    evs: Subject
    zoya_user: User


def _periods(school_id: int, count: int) -> None:
    for number in range(1, count + 1):
        start = dt.datetime.combine(MONDAY, dt.time(8, 0)) + dt.timedelta(minutes=45 * (number - 1))
        Period.objects.create(
            school_id=school_id,
            number=number,
            starts_at=start.time(),
            ends_at=(start + dt.timedelta(minutes=40)).time(),
        )


def timetable_for(section: Section, subjects: list[Subject], teacher: Staff, periods: int) -> None:
    """Lessons in the first `periods` periods, Monday to Saturday (one period: Monday
    to Friday only, so that the small week has five lessons)."""
    days = range(1, 7) if periods > 1 else range(1, 6)
    for weekday in days:
        for period in range(1, periods + 1):
            Slot.objects.create(
                school_id=section.school_id,
                section=section,
                weekday=weekday,
                period=period,
                subject=subjects[(period - 1) % len(subjects)],
                teacher=teacher,
                starts_on=dt.date(2026, 4, 1),
            )


def grade(
    student: Student,
    section: Section,
    subject: Subject,
    kind: WorkKind,
    term: Term,
    day: dt.date,
    value: str,
    points: int,
    by: User,
    **extra: object,
) -> Grade:
    return Grade.objects.create(
        school_id=section.school_id,
        section=section,
        subject=subject,
        student=student,
        term=term,
        kind=kind,
        day=day,
        period=1,
        value=value,
        points=Decimal(points),
        work=uuid.uuid4(),
        client_uuid=uuid.uuid4(),
        given_by=by,
        given_at=timezone.now(),
        **extra,
    )


def build_diary(world: World, periods: int = 2) -> DiaryWorld:
    school, section = world.school, world.section
    ravi_staff, asha_staff, suresh_staff = world.staff
    zoya, aarav, bhavna = world.students[1], world.students[0], world.students[2]
    gopal = Student.objects.get(name="Gopal Das")
    guardian = Guardian.objects.get(user=world.imran)
    Guardianship.objects.create(guardian=guardian, student=gopal, relation="father")
    zoya_user = User.objects.create_user("zoya", password=PASSWORD)
    zoya.user = zoya_user
    zoya.save(update_fields=["user"])
    TeachingAssignment.objects.create(
        school=school, staff=asha_staff, section=section, starts_on=dt.date(2026, 4, 1)
    )
    maths = Subject.objects.create(school=school, code="MATH", name="Mathematics")
    hindi = Subject.objects.create(school=school, code="HIN", name="Hindi")
    evs = Subject.objects.create(school=world.other_school, code="EVS", name="Environment")
    _periods(school.pk, max(periods, 2))
    _periods(world.other_school.pk, 2)
    timetable_for(section, [maths, hindi], asha_staff, periods)
    timetable_for(world.other_section, [evs], suresh_staff, 1)
    # Tuesday's first lesson is taken by a substitute.
    Change.objects.create(
        school=school,
        section=section,
        day=MONDAY + dt.timedelta(days=1),
        period=1,
        kind="substitute",
        teacher=ravi_staff,
        note="Asha on training",
        made_by=world.ravi,
    )
    Lesson.objects.create(
        school=school,
        section=section,
        subject=maths,
        day=WEDNESDAY,
        period=1,
        topic="Fractions: halves and quarters",
        client_uuid=uuid.uuid4(),
        recorded_by=world.asha,
        recorded_at=timezone.now(),
    )
    old = Homework.objects.create(
        school=school,
        section=section,
        subject=maths,
        day=MONDAY,
        period=1,
        text="Exercise 3.1, questions 1 to 3",
        due_on=WEDNESDAY,
        client_uuid=uuid.uuid4(),
        set_by=world.asha,
        set_at=timezone.now(),
    )
    new = Homework.objects.create(
        school=school,
        section=section,
        subject=maths,
        day=MONDAY,
        period=1,
        text="Exercise 3.1, questions 1 to 5",
        due_on=WEDNESDAY,
        client_uuid=uuid.uuid4(),
        set_by=world.asha,
        set_at=timezone.now(),
    )
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    scheme = Scheme.objects.create(unit=world.state, scale="5-point")
    test = WorkKind.objects.create(scheme=scheme, code="test", name="Test", weight=2)
    oral = WorkKind.objects.create(scheme=scheme, code="oral", name="Oral", weight=1)
    term = Term.objects.create(
        school=school,
        academic_year=world.year,
        name="Term 2",
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    grade(zoya, section, maths, oral, term, dt.date(2026, 11, 4), "3", 60, world.asha)
    grade(zoya, section, maths, test, term, WEDNESDAY, "5", 100, world.asha, comment="Neat work")
    grade(zoya, section, hindi, test, term, WEDNESDAY, "2", 40, world.asha, is_current=False)
    grade(zoya, section, hindi, oral, term, WEDNESDAY, "1", 20, world.asha, withdrawn=True)
    for kind, text, status in [
        ("praise", "Helped a classmate with sums", "visible"),
        ("concern", "Talked through the lesson", "held"),
    ]:
        Remark.objects.create(
            school=school,
            section=section,
            student=zoya,
            subject=maths,
            day=WEDNESDAY,
            kind=kind,
            text=text,
            status=status,
            client_uuid=uuid.uuid4(),
            written_by=world.asha,
            written_at=timezone.now(),
        )
    AbsenceNotice.objects.create(
        school=school,
        student=zoya,
        starts_on=WEDNESDAY,
        ends_on=WEDNESDAY,
        reason="Fever",
        told_by=world.imran,
        told_at=timezone.now(),
    )
    codes = {zoya.pk: "A", aarav.pk: "A", bhavna.pk: "L"}
    with time_machine.travel(NOW, tick=False):
        rollcall_submit(
            section=section,
            day=WEDNESDAY,
            meeting=1,
            marks=[(m.id, codes.get(m.id, "P")) for m in section_roll(section, WEDNESDAY)],
            capture=Capture(client_uuid=uuid.uuid4(), captured_at=NOW, device_clock=None),
            by=world.asha,
            now=NOW,
        )
    Meeting.objects.create(
        school=school,
        starts_at=dt.datetime(2026, 11, 20, 10, 0, tzinfo=IST),
        title="Annual day rehearsal",
        place="School ground",
        created_by=world.ravi,
    )
    Meeting.objects.create(
        school=school,
        section=section,
        starts_at=dt.datetime(2026, 11, 21, 11, 0, tzinfo=IST),
        title="Class 5 A parents",
        created_by=world.ravi,
    )
    Meeting.objects.create(  # next week: not shown
        school=school,
        starts_at=dt.datetime(2026, 11, 24, 11, 0, tzinfo=IST),
        title="Next week's meeting",
        created_by=world.ravi,
    )
    return DiaryWorld(world, zoya, gopal, aarav, bhavna, maths, hindi, evs, zoya_user)
