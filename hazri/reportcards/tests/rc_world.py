"""The report cards' test set-up on the test world's 5 A (journal_fixtures: a 5-point
scheme, Mathematics and English, terms 1 and 2): confirmed term and final grades, a
visible remark and a held one, two days of roll calls in September and the session's
result of two students. Figures a test can work out by hand:

    term 1        Mathematics  English   mean points   rank
    Aarav          5            4          90           1
    Zoya           4            5          90           1
    Bhavna         3            3          60           4   (Kabir has 80: 3)
    Kabir          4            4          80           3
    Diya           -            -          -            -

September: the 1st twice (meetings 1 and 2), the 2nd once: Zoya absent in the 1st's
first meeting and on leave on the 2nd: held 3, attended 1 (33.3%).
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from hazri.accounts.models import User
from hazri.attendance.services import Capture, rollcall_submit
from hazri.journal.models import Remark, TermGrade
from hazri.journal.tests.journal_fixtures import Journal, journal_world
from hazri.org.models import Section
from hazri.people.models import Student
from hazri.people.selectors import section_roll
from hazri.registers.models import ExamResult
from hazri.testing.world import World

TERM1_GRADES = {  # student index: (maths, english)
    0: ("5", "4"),
    1: ("4", "5"),
    2: ("3", "3"),
    3: ("4", "4"),
}
FINAL_GRADES = {0: ("5", "5"), 1: ("4", "4")}
SEPTEMBER = [  # (day, meeting, {student index: code}); the others present
    (dt.date(2026, 9, 1), 1, {1: "A"}),
    (dt.date(2026, 9, 1), 2, {3: "D"}),
    (dt.date(2026, 9, 2), 1, {1: "L"}),
]


@dataclass
class CardWorld:
    world: World
    journal: Journal
    aarav: Student
    zoya: Student
    bhavna: Student
    kabir: Student
    diya: Student


def points(value: str) -> Decimal:
    return Decimal(value) * 20  # 5-point: 5 is 100


def card_world(world: World) -> CardWorld:
    made = journal_world(world)
    students = world.students
    now = timezone.now()
    for term, table in [(made.term1, TERM1_GRADES), (None, FINAL_GRADES)]:
        for index, values in table.items():
            for subject, value in zip((made.maths, made.english), values, strict=True):
                TermGrade.objects.create(
                    school=world.school,
                    section=world.section,
                    subject=subject,
                    student=students[index],
                    term=term,
                    value=value,
                    computed=value,
                    points=points(value),
                    confirmed_by=world.asha,
                    confirmed_at=now,
                )
    for status, text in [(Remark.Status.VISIBLE, "Helps others"), (Remark.Status.HELD, "Late")]:
        Remark.objects.create(
            school=world.school,
            section=world.section,
            student=students[1],
            day=dt.date(2026, 9, 2),
            kind="praise",
            text=text,
            status=status,
            client_uuid=uuid.uuid4(),
            written_by=world.asha,
            written_at=now,
        )
    for day, meeting, codes in SEPTEMBER:
        roll = [m.id for m in section_roll(world.section, day)]
        index = {s.pk: n for n, s in enumerate(students)}
        rollcall_submit(
            section=world.section,
            day=day,
            meeting=meeting,
            marks=[(pk, codes.get(index[pk], "P")) for pk in roll],
            capture=Capture(
                client_uuid=uuid.uuid4(),
                captured_at=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
                device_clock=timezone.now(),
            ),
            by=world.asha,
        )
    for index, result, percentage in [(0, "passed", "91.50"), (1, "supplementary", None)]:
        ExamResult.objects.create(
            school=world.school,
            section=world.section,
            student=students[index],
            result=result,
            percentage=Decimal(percentage) if percentage else None,
            recorded_by=world.ravi,
            recorded_at=now,
        )
    return CardWorld(world, made, *students)


def report_card_of(section: Section, student: Student, by: User) -> int:
    """A year's card of the student as issued (unsigned: the matrix needs its id)."""
    from hazri.reportcards import rules
    from hazri.reportcards.models import ReportCard
    from hazri.reportcards.selectors import section_facts

    facts = next(c for c in section_facts(section, None) if c.student_id == student.pk)
    return ReportCard.objects.create(
        school=section.school,
        section=section,
        student=student,
        academic_year=section.academic_year,
        period=rules.period_key(None),
        facts=facts.to_json(),
        issued_by=by,
        issued_at=timezone.now(),
    ).pk
