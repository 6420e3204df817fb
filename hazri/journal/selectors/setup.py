"""Reads of a school's journal set-up and a section's week, and who may change them:
the head and the school administrator (Action.ADMIT); the school's staff and the
officers over it see them (Action.VIEW). "Not yours" and "does not exist" are one 404."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, require, require_role
from hazri.common.errors import Invalid, NotFound
from hazri.journal.models import Change, Period, Slot, Term
from hazri.journal.selectors.scheme import Grading, grading_for
from hazri.journal.selectors.timetable import Lesson, timetable, week_of
from hazri.org import selectors as org
from hazri.org.calendar import DayKind, DayStatus
from hazri.org.models import School, Section, Subject
from hazri.people.models import Staff, TeachingAssignment

# --- Who may -----------------------------------------------------------------------------


def may_set_up(user: Any, school: School) -> bool:
    return actor_of(user).may(Action.ADMIT, school) is not None


def school_for_setup(user: Any, school_id: int, *, write: bool = False) -> School:
    school = access.school_visible(user, school_id)
    if write:
        require_role(actor_of(user), Action.ADMIT, school, field="school")
    return school


def section_for_setup(user: Any, section_id: int, *, write: bool = False) -> Section:
    section = access.section_visible(user, section_id)
    if write:
        require_role(actor_of(user), Action.ADMIT, section.school, field="section")
    return section


def subject_for_setup(user: Any, subject_id: int) -> Subject:
    subject = Subject.objects.filter(pk=subject_id).first()
    try:
        school = school_for_setup(user, subject.school_id if subject else 0)
    except NotFound:
        raise NotFound(f"No subject {subject_id} in your area.", field="subject") from None
    require_role(actor_of(user), Action.ADMIT, school, field="subject")
    assert subject is not None
    subject.school = school
    return subject


def term_for_setup(user: Any, term_id: int) -> Term:
    term = require(
        Term.objects.select_related("school"),
        actor_of(user),
        Action.VIEW,
        term_id,
        field="term",
        noun="term",
    )
    require_role(actor_of(user), Action.ADMIT, term.school, field="term")
    return term


def change_for_setup(user: Any, change_id: int) -> Change:
    change = require(
        Change.objects.select_related("school"),
        actor_of(user),
        Action.VIEW,
        change_id,
        field="change",
        noun="change",
    )
    require_role(actor_of(user), Action.ADMIT, change.school, field="change")
    return change


def assignment_for_setup(user: Any, assignment_id: int) -> TeachingAssignment:
    found = TeachingAssignment.objects.filter(pk=assignment_id).first()
    try:
        section_for_setup(user, found.section_id if found else 0)
    except NotFound:
        raise NotFound(f"No assignment {assignment_id} in your area.", field="assignment") from None
    assert found is not None
    require_role(actor_of(user), Action.ADMIT, found.school, field="assignment")
    return found


# --- A school's set-up ---------------------------------------------------------------------


@dataclass
class SchoolSetup:
    school: School
    subjects: list[Subject]
    grading: Grading | None  # None: no scheme for the school or its state yet
    own_scheme: bool  # the school's own, not its state's
    terms: list[Term]
    periods: list[Period]
    sections: list[Section]


def school_setup(school: School) -> SchoolSetup:
    try:
        grading: Grading | None = grading_for(school)
    except Invalid:
        grading = None
    today = org.school_today(school)
    year = org.academic_year_for(school, today)
    return SchoolSetup(
        school=school,
        subjects=list(Subject.objects.filter(school=school).order_by("name")),
        grading=grading,
        own_scheme=grading is not None and grading.scheme.school_id == school.pk,
        terms=list(Term.objects.filter(school=school).order_by("starts_on")),
        periods=list(Period.objects.filter(school=school).order_by("number")),
        sections=list(
            Section.objects.filter(school=school, academic_year=year).order_by("grade", "name")
        )
        if year
        else [],
    )


# --- A section's week ------------------------------------------------------------------


@dataclass
class Cell:
    lesson: Lesson
    subject: str
    teacher: str


@dataclass
class Row:
    period: Period
    cells: list[Cell | None]


@dataclass
class SectionWeek:
    section: Section
    monday: dt.date
    days: list[dt.date]  # the week's days shown: school days, and any day with lessons
    statuses: dict[dt.date, DayStatus]
    lessons: dict[dt.date, list[Lesson]]
    rows: list[Row]
    subjects: dict[int, Subject]
    staff: dict[int, Staff]
    slots: list[Slot]  # the week's timetable in force on its Monday
    changes: list[Change]  # the week's changes, withdrawn ones too
    assignments: list[TeachingAssignment] = field(default_factory=list)
    teachers: list[Staff] = field(default_factory=list)  # posted to the school today


def section_week(section: Section, day: dt.date) -> SectionWeek:
    """The week holding the day: the grid of periods × days with the day's changes
    applied, the slots in force on its Monday, the changes, and who teaches here."""
    school = section.school
    week = week_of(day)
    monday, sunday = week[0], week[-1]
    lessons = timetable(section, week)
    statuses = org.school_calendar(school, monday, sunday)
    days = [d for d in week if statuses[d].kind != DayKind.WEEKLY_OFF or lessons[d]]
    periods = list(Period.objects.filter(school_id=school.pk).order_by("number"))
    subjects = {s.pk: s for s in Subject.objects.filter(school_id=school.pk)}
    today = org.school_today(school)
    posted = Q(postings__school_id=school.pk, postings__starts_on__lte=max(today, sunday)) & (
        Q(postings__ends_on__isnull=True) | Q(postings__ends_on__gte=min(today, monday))
    )
    staff = {s.pk: s for s in Staff.objects.filter(posted).distinct().order_by("name")}
    numbers = {p.number for p in periods} | {
        lesson.period for day_lessons in lessons.values() for lesson in day_lessons
    }
    by_number = {p.number: p for p in periods}
    rows = []
    for number in sorted(numbers):
        period = by_number.get(number) or Period(school_id=school.pk, number=number)
        cells: list[Cell | None] = []
        for d in days:
            lesson = next((x for x in lessons[d] if x.period == number), None)
            cells.append(_cell(lesson, subjects, staff) if lesson else None)
        rows.append(Row(period=period, cells=cells))
    return SectionWeek(
        section=section,
        monday=monday,
        days=days,
        statuses=statuses,
        lessons=lessons,
        rows=rows,
        subjects=subjects,
        staff=staff,
        slots=list(
            Slot.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=monday),
                school_id=school.pk,
                section=section,
                starts_on__lte=monday,
            ).order_by("weekday", "period")
        ),
        changes=list(
            Change.objects.filter(
                school_id=school.pk, section=section, day__gte=monday, day__lte=sunday
            )
            .select_related("teacher")
            .order_by("day", "period", "made_at")
        ),
        assignments=list(
            TeachingAssignment.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=today),
                school_id=school.pk,
                section=section,
            )
            .select_related("staff", "subject")
            .order_by("subject__name", "starts_on")
        ),
        teachers=list(staff.values()),
    )


def _cell(lesson: Lesson, subjects: dict[int, Subject], staff: dict[int, Staff]) -> Cell:
    subject = subjects.get(lesson.subject_id)
    teacher = staff.get(lesson.teacher_id) if lesson.teacher_id else None
    return Cell(
        lesson=lesson,
        subject=subject.name if subject else "",
        teacher=teacher.name if teacher else "",
    )
