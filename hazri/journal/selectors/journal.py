"""Reads of the teacher's journal: who may keep or read a section's journal, a
teacher's lessons of the day, one lesson as taught, a subject's sheet for a term and
the class teacher's view of the whole class. Query counts do not grow with the
number of students or grades (tests compare a class of 5 and of 30)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, restrict
from hazri.attendance import rules as marks
from hazri.attendance.models import RollCall
from hazri.common.errors import Invalid, NotFound
from hazri.journal import rules
from hazri.journal.models import Attachment, Grade, Homework, Lesson, Remark, Term, TermGrade
from hazri.journal.selectors import scheme, timetable
from hazri.journal.selectors.journal_access import (
    may_grade,
    may_read,
    require_grader,
    require_reviewer,
)
from hazri.org import selectors as org
from hazri.org.models import Section, Subject
from hazri.people.models import Staff
from hazri.people.selectors import RollMember, section_roll


def section_of(user: Any, section_id: int) -> Section:
    """The section, if the user may see it (else the one 404)."""
    return access.section_visible(user, section_id)


def subject_of(section: Section, subject_id: int) -> Subject:
    found = Subject.objects.filter(school_id=section.school_id, pk=subject_id).first()
    if found is None:
        raise NotFound(_("No subject %(id)s at this school.") % {"id": subject_id}, field="subject")
    return found


def term_of(section: Section, term_id: int | None, day: dt.date) -> Term:
    """The term named, or the one the day falls in."""
    if term_id is None:
        return scheme.term_on(section.school, day)
    found = Term.objects.filter(school_id=section.school_id, pk=term_id).first()
    if found is None:
        raise NotFound(_("No term %(id)s at this school.") % {"id": term_id}, field="term")
    return found


def planned(section: Section, day: dt.date, period: int) -> timetable.Lesson:
    """The timetable's lesson of the section on the day and period (the day's changes applied)."""
    for lesson in timetable.timetable(section, [day])[day]:
        if lesson.period == period and not lesson.cancelled:
            return lesson
    raise NotFound(
        _("%(section)s has no lesson in period %(period)s on %(day)s.")
        % {"section": section.label, "period": period, "day": day},
        field="period",
    )


# --- A teacher's day ------------------------------------------------------------------------


@dataclass(frozen=True)
class TodayLesson:
    section: Section
    subject: Subject
    lesson: timetable.Lesson
    topic: str
    homework: bool


def gradings_of(lessons: list[TodayLesson]) -> dict[int, scheme.Grading | None]:
    """The grading scheme (kinds of work and scale) of each school of these lessons, by
    school id; None where a school has none. Two queries a school."""
    out: dict[int, scheme.Grading | None] = {}
    for lesson in lessons:
        school = lesson.section.school
        if school.pk in out:
            continue
        try:
            out[school.pk] = scheme.grading_for(school)
        except Invalid:
            out[school.pk] = None
    return out


def teacher_day(user: Any, day: dt.date) -> list[TodayLesson]:
    """The lessons of the day in the sections and subjects the user teaches (or takes as
    a substitute), each with whether its topic and homework are recorded."""
    actor = actor_of(user)
    mine = [a for a in actor.assignments if a.covers(day)]
    sections = org.sections_by_id({a.section_id for a in mine})
    staff_ids = set(Staff.objects.filter(user_id=user.pk).values_list("pk", flat=True))
    found: list[tuple[Section, timetable.Lesson]] = []
    for section in sorted(sections.values(), key=lambda s: (s.grade, s.name)):
        subjects = {a.subject_id for a in mine if a.section_id == section.pk}
        for lesson in timetable.timetable(section, [day])[day]:
            if lesson.subject_id in subjects or lesson.teacher_id in staff_ids:
                found.append((section, lesson))
    keys = Q()
    for section, lesson in found:
        keys |= Q(section_id=section.pk, period=lesson.period)
    school_ids = sorted({s.school_id for s in sections.values()})
    topics: dict[tuple[int, int], str] = {}
    homework: set[tuple[int, int]] = set()
    if found:
        for row in Lesson.objects.filter(keys, school_id__in=school_ids, day=day, is_current=True):
            topics[(row.section_id, row.period)] = row.topic
        homework = set(
            Homework.objects.filter(
                keys, school_id__in=school_ids, day=day, replaced_by__isnull=True
            ).values_list("section_id", "period")
        )
    subjects_by_id = Subject.objects.filter(school_id__in=school_ids).in_bulk(
        {lesson.subject_id for _, lesson in found}
    )
    return [
        TodayLesson(
            section=section,
            subject=subjects_by_id[lesson.subject_id],
            lesson=lesson,
            topic=topics.get((section.pk, lesson.period), ""),
            homework=(section.pk, lesson.period) in homework,
        )
        for section, lesson in found
        if lesson.subject_id in subjects_by_id
    ]


# --- One lesson -----------------------------------------------------------------------------


@dataclass
class LessonView:
    section: Section
    subject: Subject
    day: dt.date
    period: int
    planned: timetable.Lesson
    term: Term | None
    lesson: Lesson | None
    homework: Homework | None
    attachments: list[Attachment]
    roll: list[RollMember]
    grades: dict[int, list[Grade]]  # by student: the current grades given in this lesson
    remarks: dict[int, list[Remark]]  # by student: written in this lesson's subject that day
    kinds: list[Any]
    scale: rules.Scale
    may_write: bool


def lesson_view(user: Any, section_id: int, day: dt.date, period: int) -> LessonView:
    section = section_of(user, section_id)
    actor = actor_of(user)
    lesson = planned(section, day, period)
    subject = subject_of(section, lesson.subject_id)
    if not may_read(actor, section, subject.pk, day):
        require_grader(actor, section, subject, day)
    grading = scheme.grading_for(section.school)
    term = Term.objects.filter(
        school_id=section.school_id, starts_on__lte=day, ends_on__gte=day
    ).first()
    school = section.school_id
    current = Lesson.objects.filter(
        school_id=school, section=section, day=day, period=period, is_current=True
    ).first()
    homework = (
        Homework.objects.filter(
            school_id=school, section=section, day=day, period=period, replaced_by__isnull=True
        )
        .order_by("-set_at", "-pk")
        .first()
    )
    attachments = (
        list(
            Attachment.objects.filter(school_id=school, homework=homework)
            .defer("data")
            .order_by("pk")
        )
        if homework
        else []
    )
    grades: dict[int, list[Grade]] = defaultdict(list)
    for grade in Grade.objects.filter(
        school_id=school, section=section, subject=subject, day=day, period=period, is_current=True
    ).order_by("given_at", "pk"):
        grades[grade.student_id].append(grade)
    remarks: dict[int, list[Remark]] = defaultdict(list)
    for remark in Remark.objects.filter(
        school_id=school, section=section, day=day, subject=subject
    ).order_by("written_at", "pk"):
        remarks[remark.student_id].append(remark)
    return LessonView(
        section=section,
        subject=subject,
        day=day,
        period=period,
        planned=lesson,
        term=term,
        lesson=current,
        homework=homework,
        attachments=attachments,
        roll=section_roll(section, day),
        grades=grades,
        remarks=remarks,
        kinds=sorted(grading.kinds.values(), key=lambda k: (-k.weight, k.code)),
        scale=grading.scale,
        may_write=may_grade(actor, section, subject.pk, day),
    )


# --- A subject's sheet for a term --------------------------------------------------------------


@dataclass
class SheetRow:
    student: RollMember
    grades: list[Grade] = field(default_factory=list)
    average: Decimal | None = None
    computed: str | None = None
    confirmed: TermGrade | None = None


@dataclass
class Sheet:
    section: Section
    subject: Subject
    term: Term
    terms: list[Term]
    scale: rules.Scale
    rows: list[SheetRow]
    may_write: bool


def marked(grades: list[Grade], weights: dict[int, Decimal]) -> list[rules.Marked]:
    """The grades that count for an average: current and not withdrawn, with their kinds' weights."""
    return [
        rules.Marked(g.points, weights.get(g.kind_id, Decimal(1)))
        for g in grades
        if not g.withdrawn
    ]


def term_day(section: Section, term: Term) -> dt.date:
    """The day a term's roll and assignments are judged on: today, or the term's last day."""
    return min(org.school_today(section.school), term.ends_on)


def _terms(section: Section) -> list[Term]:
    return list(
        Term.objects.filter(school_id=section.school_id, academic_year_id=section.academic_year_id)
    )


def subject_sheet(user: Any, section_id: int, subject_id: int, term_id: int | None) -> Sheet:
    section = section_of(user, section_id)
    subject = subject_of(section, subject_id)
    actor = actor_of(user)
    term = term_of(section, term_id, org.school_today(section.school))
    day = term_day(section, term)
    if not may_read(actor, section, subject.pk, day):
        require_grader(actor, section, subject, day)
    grading = scheme.grading_for(section.school)
    weights = {pk: kind.weight for pk, kind in grading.kinds.items()}
    rows = {m.id: SheetRow(m) for m in section_roll(section, day)}
    for grade in (
        Grade.objects.filter(
            school_id=section.school_id,
            section=section,
            subject=subject,
            term=term,
            is_current=True,
        )
        .select_related("kind")
        .order_by("day", "given_at", "pk")
    ):
        if grade.student_id in rows:
            rows[grade.student_id].grades.append(grade)
    for confirmed in TermGrade.objects.filter(
        school_id=section.school_id, section=section, subject=subject, term=term, is_current=True
    ):
        if confirmed.student_id in rows:
            rows[confirmed.student_id].confirmed = confirmed
    for row in rows.values():
        counted = marked(row.grades, weights)
        row.average = rules.weighted_average(counted)
        row.computed = rules.term_grade(grading.scale, counted)
    return Sheet(
        section=section,
        subject=subject,
        term=term,
        terms=_terms(section),
        scale=grading.scale,
        rows=list(rows.values()),
        may_write=may_grade(actor, section, subject.pk, day),
    )


# --- The class teacher's view ----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    subject: Subject
    average: Decimal | None
    computed: str | None
    confirmed: str  # the confirmed term grade, or ""


@dataclass
class ClassRow:
    student: RollMember
    cells: list[Cell] = field(default_factory=list)  # in the order of the view's subjects
    absent: int = 0
    held: int = 0


@dataclass
class ClassView:
    section: Section
    term: Term
    terms: list[Term]
    subjects: list[Subject]
    rows: list[ClassRow]
    concerns: list[Remark]  # held for review


def class_view(user: Any, section_id: int, term_id: int | None) -> ClassView:
    section = section_of(user, section_id)
    actor = actor_of(user)
    term = term_of(section, term_id, org.school_today(section.school))
    day = term_day(section, term)
    require_reviewer(actor, section, day)
    grading = scheme.grading_for(section.school)
    weights = {pk: kind.weight for pk, kind in grading.kinds.items()}
    roll = section_roll(section, day)
    by: dict[tuple[int, int], list[Grade]] = defaultdict(list)
    for grade in Grade.objects.filter(
        school_id=section.school_id, section=section, term=term, is_current=True
    ).only("student_id", "subject_id", "kind_id", "points", "withdrawn"):
        by[(grade.student_id, grade.subject_id)].append(grade)
    confirmed = {
        (t.student_id, t.subject_id): t.value
        for t in TermGrade.objects.filter(
            school_id=section.school_id, section=section, term=term, is_current=True
        ).only("student_id", "subject_id", "value")
    }
    subject_ids = {s for _, s in by} | {s for _, s in confirmed}
    subjects = sorted(
        Subject.objects.filter(school_id=section.school_id, pk__in=subject_ids),
        key=lambda s: s.name,
    )
    absent = absences(section, term.starts_on, min(term.ends_on, day))
    concerns = list(
        Remark.objects.filter(
            school_id=section.school_id, section=section, status=Remark.Status.HELD
        ).order_by("day", "pk")
    )
    rows = []
    for member in roll:
        row = ClassRow(member, absent=absent.get(member.id, 0))
        for subject in subjects:
            counted = marked(by.get((member.id, subject.pk), []), weights)
            row.cells.append(
                Cell(
                    subject,
                    rules.weighted_average(counted),
                    rules.term_grade(grading.scale, counted),
                    confirmed.get((member.id, subject.pk), ""),
                )
            )
        row.held = sum(1 for c in concerns if c.student_id == member.id)
        rows.append(row)
    return ClassView(section, term, _terms(section), subjects, rows, concerns)


def absences(section: Section, start: dt.date, end: dt.date) -> dict[int, int]:
    """Each student's meetings marked absent in the section between the days, from the
    current roll calls: one query for any number of students and days."""
    counts: dict[int, int] = defaultdict(int)
    rollcalls = (
        RollCall.objects.filter(
            school_id=section.school_id,
            section_id=section.pk,
            is_current=True,
            day__gte=start,
            day__lte=end,
        )
        .select_related("roster")
        .only("marks", "roster__member_ids")
    )
    for rollcall in rollcalls:
        for student, code in marks.unpack_marks(rollcall.roster.members, rollcall.marks):
            if code == marks.ABSENT:
                counts[student] += 1
    return counts


# --- Remarks as each reader may see them ------------------------------------------------------


def remarks_seen_by(user: Any) -> QuerySet[Remark]:
    """Remarks the user may read: the school's staff and the officers over it all of them;
    a family only those released to it (never one held for review or withdrawn)."""
    actor = actor_of(user)
    rows = restrict(Remark.objects.all(), actor, Action.VIEW)
    if actor.is_superuser:
        return rows
    staff = Q(school_id__in=sorted(actor.schools_posted()))
    for path in actor.areas:
        staff |= Q(school__unit_path__startswith=path)
    return rows.filter(staff | Q(status=Remark.Status.VISIBLE))


def grade_by_work(user: Any, work: Any) -> Grade:
    """The current version of a grade the user may see."""
    found = (
        restrict(Grade.objects.all(), actor_of(user), Action.VIEW)
        .filter(work=work, is_current=True)
        .select_related("section__school", "subject", "term")
        .first()
    )
    if found is None:
        raise NotFound(_("No grade %(work)s in your area.") % {"work": work}, field="work")
    return found


def grade_versions(grade: Grade) -> list[Grade]:
    return list(
        Grade.objects.filter(school_id=grade.school_id, work=grade.work).order_by("version")
    )


def remark_of(user: Any, remark_id: int) -> Remark:
    found = remarks_seen_by(user).filter(pk=remark_id).select_related("section__school").first()
    if found is None:
        raise NotFound(_("No remark %(id)s in your area.") % {"id": remark_id}, field="remark")
    return found


def attachment_of(user: Any, attachment_id: int) -> Attachment:
    """A homework file for the school (as its section's journal) or for the family of a
    child on that section's roll the day the homework was set."""
    actor = actor_of(user)
    found = restrict(Attachment.objects.all(), actor, Action.VIEW).filter(pk=attachment_id).first()
    family = set(actor.children) | ({actor.own_student} if actor.own_student else set())
    if found is None and family:
        candidate = (
            Attachment.objects.select_related("homework__section").filter(pk=attachment_id).first()
        )
        if candidate is not None:
            homework = candidate.homework
            on_roll = {m.id for m in section_roll(homework.section, homework.day)}
            found = candidate if on_roll & family else None
    if found is None:
        raise NotFound(
            _("No attachment %(id)s in your area.") % {"id": attachment_id}, field="attachment"
        )
    return found


def check_roll(
    section: Section, day: dt.date, student_id: int, field_name: str = "student"
) -> None:
    if student_id not in {m.id for m in section_roll(section, day)}:
        raise Invalid(
            _("Student %(id)s is not on the roll of %(section)s on %(day)s.")
            % {"id": student_id, "section": section.label, "day": day},
            field=field_name,
            code="not_on_roll",
        )


def today_of(section: Section) -> dt.date:
    return org.school_today(section.school)
