"""The diary (SPEC §5.3): a child's week as the family reads it — the timetable with
bell times and the day's changes, each lesson's topic and homework (set in it, due on
it), grades with comments, remarks the family may see, absences (excused or not, with
the reason), the term's progress per subject, class and school meetings, and who
signed the week.

`diary_weeks` reads any number of children, in any schools, in a fixed number of
queries, whatever the number of lessons, grades and children.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.urls import reverse

from hazri.attendance import rules as marks
from hazri.attendance.models import RollCall
from hazri.common.templatetags.hazri_tags import local_name as _local
from hazri.journal import rules
from hazri.journal.models import (
    AbsenceNotice,
    Acknowledgement,
    Attachment,
    Grade,
    Homework,
    Lesson,
    Meeting,
    Remark,
    Term,
)
from hazri.journal.selectors.timetable import Lesson as Planned
from hazri.journal.selectors.timetable import timetables, week_of
from hazri.org.models import Section, Subject
from hazri.people.models import Enrolment, Staff, Student
from hazri.people.selectors import active_on

EXCUSED_CODES = frozenset({marks.LEAVE})


@dataclass(frozen=True)
class HomeworkFile:
    id: int
    name: str
    size: int
    url: str


@dataclass
class HomeworkItem:
    id: int
    subject_id: int
    text: str
    set_on: dt.date
    period: int
    due_on: dt.date
    files: list[HomeworkFile] = field(default_factory=list)


@dataclass
class DiaryLesson:
    planned: Planned
    subject: str
    teacher: str
    topic: str = ""
    homework_set: list[HomeworkItem] = field(default_factory=list)
    homework_due: list[HomeworkItem] = field(default_factory=list)


@dataclass(frozen=True)
class GradeItem:
    day: dt.date
    subject: str
    kind: str
    value: str
    comment: str


@dataclass(frozen=True)
class RemarkItem:
    day: dt.date
    subject: str
    kind: str
    text: str


@dataclass(frozen=True)
class Absence:
    day: dt.date
    meeting: int
    code: str  # attendance's A (absent) or L (leave)
    excused: bool
    reason: str


@dataclass
class DiaryDay:
    day: dt.date
    lessons: list[DiaryLesson] = field(default_factory=list)
    homework_due: list[HomeworkItem] = field(default_factory=list)  # no lesson of its subject
    absences: list[Absence] = field(default_factory=list)


@dataclass(frozen=True)
class Progress:
    """The term's weighted average per subject (points on 0-100) at the end of each
    week of the term so far."""

    term: str
    weeks: list[dt.date]
    series: dict[str, list[float | None]]  # subject -> one figure per week


@dataclass
class ChildWeek:
    student: Student
    week: dt.date  # its Monday
    section: Section | None
    days: list[DiaryDay] = field(default_factory=list)
    grades: list[GradeItem] = field(default_factory=list)
    remarks: list[RemarkItem] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    notices: list[AbsenceNotice] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    progress: Progress | None = None

    def signed_by(self, user_id: int) -> Acknowledgement | None:
        return next((a for a in self.acknowledgements if a.signed_by_id == user_id), None)


def monday_of(day: dt.date) -> dt.date:
    return week_of(day)[0]


def _sections_on(students: Sequence[Student], days: list[dt.date]) -> dict[int, Enrolment]:
    """Each student's enrolment in force during the week (the last to begin)."""
    found: dict[int, Enrolment] = {}
    enrolments = (
        Enrolment.objects.filter(student__in=students, starts_on__lte=days[-1])
        .exclude(ends_on__lt=days[0])
        .select_related("section", "section__school")
        .order_by("student_id", "starts_on", "pk")
    )
    for enrolment in enrolments:
        found[enrolment.student_id] = enrolment
    return found


def diary_weeks(students: Sequence[Student], week: dt.date) -> list[ChildWeek]:
    """The week (any day of it) of each student, in the order given."""
    days = week_of(week)
    first, last = days[0], days[-1]
    enrolments = _sections_on(students, days)
    sections = {e.section_id: e.section for e in enrolments.values()}
    schools = sorted({s.school_id for s in sections.values()})
    ids = [s.pk for s in students]
    plans = timetables(list(sections.values()), days)
    in_week = Q(school_id__in=schools, section_id__in=sorted(sections))
    topics = {
        (row.section_id, row.day, row.period): row.topic
        for row in Lesson.objects.filter(in_week, day__gte=first, day__lte=last, is_current=True)
    }
    homework = list(
        Homework.objects.filter(
            Q(day__gte=first, day__lte=last) | Q(due_on__gte=first, due_on__lte=last),
            in_week,
            replaced_by__isnull=True,
        ).order_by("day", "period", "pk")
    )
    files = _files(homework)
    terms = {
        t.school_id: t
        for t in Term.objects.filter(school_id__in=schools, starts_on__lte=last, ends_on__gte=first)
    }
    since = min([first, *(t.starts_on for t in terms.values())])
    grades = list(
        Grade.objects.filter(
            school_id__in=schools,
            student_id__in=ids,
            is_current=True,
            withdrawn=False,
            day__gte=since,
            day__lte=last,
        )
        .select_related("kind")
        .order_by("day", "period", "given_at", "pk")
    )
    remarks = list(
        Remark.objects.filter(
            school_id__in=schools,
            student_id__in=ids,
            day__gte=first,
            day__lte=last,
            status=Remark.Status.VISIBLE,
        ).order_by("day", "written_at", "pk")
    )
    rollcalls = list(
        RollCall.objects.filter(in_week, is_current=True, day__gte=first, day__lte=last)
        .select_related("roster")
        .only("section_id", "day", "meeting", "marks", "roster__member_ids")
        .order_by("day", "meeting")
    )
    notices = list(
        AbsenceNotice.objects.filter(
            school_id__in=schools,
            student_id__in=ids,
            starts_on__lte=last,
            ends_on__gte=first,
            withdrawn_at__isnull=True,
        ).order_by("starts_on", "pk")
    )
    acks = list(
        Acknowledgement.objects.filter(school_id__in=schools, student_id__in=ids, week=first)
        .select_related("signed_by")
        .order_by("signed_at", "pk")
    )
    meetings = meetings_in(schools, sorted(sections), first, last)
    subject_ids = {p.subject_id for plan in plans.values() for ls in plan.values() for p in ls}
    subject_ids |= {h.subject_id for h in homework} | {g.subject_id for g in grades}
    subject_ids |= {r.subject_id for r in remarks if r.subject_id}
    subjects = {s.pk: _local(s) for s in Subject.objects.filter(pk__in=subject_ids)}
    teacher_ids = {
        p.teacher_id for plan in plans.values() for ls in plan.values() for p in ls if p.teacher_id
    }
    teachers = {s.pk: _local(s) for s in Staff.objects.filter(pk__in=teacher_ids)}

    out = []
    for student in students:
        enrolment = enrolments.get(student.pk)
        section = enrolment.section if enrolment else None
        child = ChildWeek(student=student, week=first, section=section)
        own_notices = [n for n in notices if n.student_id == student.pk]
        child.notices = own_notices
        child.acknowledgements = [a for a in acks if a.student_id == student.pk]
        own_grades = [g for g in grades if g.student_id == student.pk]
        child.grades = [
            GradeItem(g.day, subjects.get(g.subject_id, ""), _local(g.kind), g.value, g.comment)
            for g in own_grades
            if g.day >= first
        ]
        child.remarks = [
            RemarkItem(r.day, subjects.get(r.subject_id or 0, ""), r.kind, r.text)
            for r in remarks
            if r.student_id == student.pk
        ]
        if section is not None:
            plan = plans.get(section.pk, {})
            child.days = _days(section, days, plan, topics, homework, files, subjects, teachers)
            child.absences = _absences(student, section, rollcalls, own_notices)
            for day in child.days:
                day.absences = [a for a in child.absences if a.day == day.day]
            # Sundays (and a Saturday) with nothing in them are left out.
            child.days = [
                d
                for d in child.days
                if d.lessons or d.homework_due or d.absences or d.day.isoweekday() < 6
            ]
            child.meetings = [
                m
                for m in meetings
                if m.school_id == section.school_id and m.section_id in (None, section.pk)
            ]
            term = terms.get(section.school_id)
            if term is not None:
                child.progress = _progress(term, own_grades, subjects, last)
        out.append(child)
    return out


def _files(homework: list[Homework]) -> dict[int, list[HomeworkFile]]:
    """The files given with these homework, by homework (their names, not their bytes)."""
    found: dict[int, list[HomeworkFile]] = defaultdict(list)
    if not homework:
        return found
    for pk, homework_id, name, size in (
        Attachment.objects.filter(
            school_id__in={h.school_id for h in homework}, homework_id__in=[h.pk for h in homework]
        )
        .order_by("pk")
        .values_list("pk", "homework_id", "name", "size")
    ):
        url = reverse("journal_attachment", args=[pk])
        found[homework_id].append(HomeworkFile(pk, name, size, url))
    return found


def _days(
    section: Section,
    days: list[dt.date],
    plan: dict[dt.date, list[Planned]],
    topics: dict[tuple[int, dt.date, int], str],
    homework: list[Homework],
    files: dict[int, list[HomeworkFile]],
    subjects: dict[int, str],
    teachers: dict[int, str],
) -> list[DiaryDay]:
    items = [
        HomeworkItem(h.pk, h.subject_id, h.text, h.day, h.period, h.due_on, files.get(h.pk, []))
        for h in homework
        if h.section_id == section.pk
    ]
    out = []
    for day in days:
        lessons = [
            DiaryLesson(
                planned=p,
                subject=subjects.get(p.subject_id, ""),
                teacher=teachers.get(p.teacher_id or 0, ""),
                topic=topics.get((section.pk, day, p.period), ""),
            )
            for p in plan.get(day, [])
        ]
        diary_day = DiaryDay(day=day, lessons=lessons)
        for item in items:
            if item.set_on == day:
                # Set in the lesson of its period, else the day's first of its subject.
                source = next((ls for ls in lessons if ls.planned.period == item.period), None)
                source = source or next(
                    (ls for ls in lessons if ls.planned.subject_id == item.subject_id), None
                )
                if source is not None:
                    source.homework_set.append(item)
            if item.due_on == day:
                due = next(
                    (
                        ls
                        for ls in lessons
                        if ls.planned.subject_id == item.subject_id and not ls.planned.cancelled
                    ),
                    None,
                )
                (due.homework_due if due else diary_day.homework_due).append(item)
        out.append(diary_day)
    return out


def _absences(
    student: Student, section: Section, rollcalls: list[RollCall], notices: list[AbsenceNotice]
) -> list[Absence]:
    out = []
    for rollcall in rollcalls:
        if rollcall.section_id != section.pk:
            continue
        code = marks.mark_of(rollcall.roster.members, rollcall.marks, student.pk)
        if code not in (marks.ABSENT, marks.LEAVE):
            continue
        told = next((n for n in notices if n.starts_on <= rollcall.day <= n.ends_on), None)
        out.append(
            Absence(
                day=rollcall.day,
                meeting=rollcall.meeting,
                code=code,
                excused=code in EXCUSED_CODES or told is not None,
                reason=told.reason if told is not None else "",
            )
        )
    return out


def meetings_in(
    schools: list[int], sections: list[int] | None, first: dt.date, last: dt.date
) -> list[Meeting]:
    """The meetings of these schools from one day to another (whole-school ones, and
    those of these sections; None: of every section), each judged on its school's
    own calendar."""
    margin = dt.timedelta(days=1)
    start = dt.datetime.combine(first - margin, dt.time(0), tzinfo=dt.UTC)
    end = dt.datetime.combine(last + margin * 2, dt.time(0), tzinfo=dt.UTC)
    found = Meeting.objects.filter(
        school_id__in=schools, starts_at__gte=start, starts_at__lt=end
    ).select_related("school")
    if sections is not None:
        found = found.filter(Q(section__isnull=True) | Q(section_id__in=sections))
    return [
        m
        for m in found.order_by("starts_at", "pk")
        if first <= m.starts_at.astimezone(ZoneInfo(m.school.timezone)).date() <= last
    ]


def _progress(term: Term, grades: list[Grade], subjects: dict[int, str], last: dt.date) -> Progress:
    in_term = [g for g in grades if term.starts_on <= g.day <= term.ends_on]
    weeks = []
    monday = monday_of(term.starts_on)
    while monday <= min(last, term.ends_on):
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    by_subject: dict[int, list[Grade]] = defaultdict(list)
    for grade in in_term:
        by_subject[grade.subject_id].append(grade)
    series: dict[str, list[float | None]] = {}
    for subject_id, own in sorted(by_subject.items(), key=lambda kv: subjects.get(kv[0], "")):
        figures: list[float | None] = []
        for week in weeks:
            end = week + dt.timedelta(days=6)
            average = rules.weighted_average(
                rules.Marked(Decimal(g.points), g.kind.weight) for g in own if g.day <= end
            )
            figures.append(None if average is None else float(average))
        series[subjects.get(subject_id, str(subject_id))] = figures
    return Progress(term=term.name, weeks=weeks, series=series)


def told_on(section: Section, day: dt.date) -> dict[int, str]:
    """The section's students whose families told in advance that they would be absent
    on the day, with the reason (attendance's roll call shows it: seams.day_notes)."""
    enrolled = Enrolment.objects.filter(active_on(day), section=section).values("student_id")
    rows = AbsenceNotice.objects.filter(
        school_id=section.school_id,
        student_id__in=enrolled,
        starts_on__lte=day,
        ends_on__gte=day,
        withdrawn_at__isnull=True,
    ).order_by("told_at", "pk")
    return {row.student_id: row.reason for row in rows}
