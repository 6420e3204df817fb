"""The lifelong record (SPEC §4.1): one child's whole history, whatever school they
were in — schools, classes by session, attendance by session and month, results,
transfers and documents issued. Whoever may see the child sees all of it: the record
follows the child."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from hazri.accounts.access import today_in
from hazri.credentials.models import Credential
from hazri.credentials.selectors import credentials_of_student
from hazri.journal.models import TermGrade
from hazri.people.models import Admission, Enrolment, Student
from hazri.records.models import TransferCertificate
from hazri.registers.models import ExamResult
from hazri.registers.selectors import exam_results_of_student
from hazri.registers.statements import student_statement


@dataclass(frozen=True)
class Month:
    month: dt.date
    held: int
    attended: int
    absent: int
    leave: int
    percent: float | None


@dataclass
class Session:
    """One academic year of the child: the sections they were in (a move or a transfer
    gives two), the attendance by month, the session result and the final grades."""

    name: str
    starts_on: dt.date
    ends_on: dt.date
    enrolments: list[Enrolment] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)
    held: int = 0
    attended: int = 0
    percent: float | None = None
    results: list[ExamResult] = field(default_factory=list)  # every version, oldest first
    grades: list[TermGrade] = field(default_factory=list)  # the final (year) grades

    @property
    def current_results(self) -> list[ExamResult]:
        return [result for result in self.results if result.is_current]


@dataclass
class Record:
    student: Student
    admissions: list[Admission]
    sessions: list[Session]
    certificates: list[TransferCertificate]
    documents: list[Credential]  # every signed document issued for the child, newest first


def student_record(student: Student) -> Record:
    """The child's record, oldest first: a query per session for its attendance, a
    handful for the rest whatever the number of schools."""
    admissions = list(
        Admission.objects.filter(student=student)
        .select_related("school")
        .order_by("admitted_on", "pk")
    )
    enrolments = list(
        Enrolment.objects.filter(student=student)
        .select_related("school", "section__academic_year")
        .order_by("starts_on", "pk")
    )
    sessions: dict[int, Session] = {}
    for enrolment in enrolments:
        year = enrolment.section.academic_year
        session = sessions.setdefault(
            year.pk, Session(name=year.name, starts_on=year.starts_on, ends_on=year.ends_on)
        )
        session.enrolments.append(enrolment)
    by_section = {e.section_id: sessions[e.section.academic_year_id] for e in enrolments}
    for result in exam_results_of_student(student.pk):
        if result.section_id in by_section:
            by_section[result.section_id].results.append(result)
    finals = (
        TermGrade.objects.filter(student=student, term__isnull=True, is_current=True)
        .select_related("subject")
        .order_by("subject__name")
    )
    for grade in finals:
        if grade.section_id in by_section:
            by_section[grade.section_id].grades.append(grade)
    today = today_in(settings.TIME_ZONE)
    for session in sessions.values():
        _attendance(session, student, today)
    certificates = list(
        TransferCertificate.objects.filter(student=student)
        .select_related("school")
        .order_by("issued_at", "pk")
    )
    return Record(
        student=student,
        admissions=admissions,
        sessions=sorted(sessions.values(), key=lambda s: s.starts_on),
        certificates=certificates,
        documents=list(credentials_of_student(student.pk)),
    )


def _attendance(session: Session, student: Student, today: dt.date) -> None:
    start = min(e.starts_on for e in session.enrolments)
    ends = [e.ends_on or today for e in session.enrolments]
    end = min(max(ends), session.ends_on, today)
    if end < start:
        return
    statement = student_statement(student=student, start=start, end=end)
    by_month: dict[dt.date, Month] = {}
    for month, counts in statement.months.items():
        by_month[month] = Month(
            month=month,
            held=counts.held,
            attended=counts.attended,
            absent=counts.absent,
            leave=counts.leave,
            percent=counts.percent,
        )
    session.months = [by_month[m] for m in sorted(by_month)]
    session.held = statement.total.held
    session.attended = statement.total.attended
    session.percent = statement.total.percent
