"""Reads for report cards: the facts of a section's cards for a term or the year (from
the journal's term grades and remarks, the registers' attendance statement and exam
result), and the issued cards each user may see."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of, restrict
from hazri.common.errors import NotFound
from hazri.journal.models import Remark, Term, TermGrade
from hazri.org import selectors as org
from hazri.org.models import OrgUnit, Section, Subject
from hazri.people.models import Student
from hazri.people.selectors import section_roll
from hazri.registers.models import ExamResult
from hazri.registers.statements import student_statement
from hazri.reportcards import rules
from hazri.reportcards.facts import Card, MonthLine, SubjectLine
from hazri.reportcards.models import CardRemark, RankPolicy, ReportCard


def term_of(section: Section, term_id: int | None) -> Term | None:
    """The section's term with this id (its school's, its year's); None: the year."""
    if term_id is None:
        return None
    term = Term.objects.filter(
        pk=term_id, school_id=section.school_id, academic_year_id=section.academic_year_id
    ).first()
    if term is None:
        raise NotFound(_("No term %(id)s in this section's year.") % {"id": term_id}, field="term")
    return term


def shows_rank(section: Section) -> bool:
    path = section.school.unit_path
    ids = [int(part) for part in path.strip("/").split("/") if part]
    policies = {
        p.unit.path: p.show_rank
        for p in RankPolicy.objects.filter(unit_id__in=ids).select_related("unit")
    }
    return rules.shows_rank(policies, path)


def span(section: Section, term: Term | None) -> tuple[dt.date, dt.date, dt.date]:
    """The card's first and last day, and the day its roll and attendance run to (the
    last day, or the school's today while the period is still running)."""
    year = section.academic_year
    start, end = (term.starts_on, term.ends_on) if term else (year.starts_on, year.ends_on)
    return start, end, max(start, min(end, org.school_today(section.school)))


def section_facts(section: Section, term: Term | None) -> list[Card]:
    """Every card of the section's roll for the term (None: the year), in roll order."""
    start, end, upto = span(section, term)
    roll = section_roll(section, upto)
    ids = [member.id for member in roll]
    school = section.school
    terms = list(
        Term.objects.filter(school_id=school.pk, academic_year_id=section.academic_year_id)
    )
    wanted = [None] if term else [None, *(t.pk for t in terms)]
    grades: dict[int, dict[tuple[int, int | None], TermGrade]] = defaultdict(dict)
    term_filter: dict[str, Any] = {"term": term} if term else {"term_id__in": wanted[1:]}
    for query in (
        TermGrade.objects.filter(**term_filter),
        TermGrade.objects.filter(term__isnull=True) if term is None else TermGrade.objects.none(),
    ):
        for grade in query.filter(
            school_id=school.pk, section=section, is_current=True, student_id__in=ids
        ):
            grades[grade.student_id][(grade.subject_id, grade.term_id)] = grade
    subject_ids = {s for by in grades.values() for s, _t in by}
    subjects = list(Subject.objects.filter(school_id=school.pk, pk__in=subject_ids))
    remarks: dict[int, list[str]] = defaultdict(list)
    for remark in Remark.objects.filter(
        school_id=school.pk,
        section=section,
        student_id__in=ids,
        status=Remark.Status.VISIBLE,
        day__gte=start,
        day__lte=end,
    ).order_by("day", "pk"):
        remarks[remark.student_id].append(remark.text)
    period = rules.period_key(term.pk if term else None)
    teacher = {
        r.student_id: r.text
        for r in CardRemark.objects.filter(
            school_id=school.pk, section=section, period=period, is_current=True
        )
    }
    results = (
        {
            r.student_id: r
            for r in ExamResult.objects.filter(
                school_id=school.pk, section=section, student_id__in=ids
            )
        }
        if term is None
        else {}
    )
    students = Student.objects.in_bulk(ids)
    lines: dict[int, list[SubjectLine]] = {}
    means: dict[int, Decimal | None] = {}
    for member in roll:
        mine = grades.get(member.id, {})
        own = [(subject, mine.get((subject.pk, term.pk if term else None))) for subject in subjects]
        lines[member.id] = [
            SubjectLine(
                code=subject.code,
                subject=subject.name,
                subject_local=subject.name_local,
                value=grade.value if grade else "",
                points=str(grade.points) if grade else "",
                terms=[]
                if term
                else [
                    (mine[(subject.pk, t.pk)].value if (subject.pk, t.pk) in mine else "")
                    for t in terms
                ],
            )
            for subject, grade in own
        ]
        means[member.id] = rules.mean_points([g.points for _s, g in own if g is not None])
    ranked = rules.ranks(means) if shows_rank(section) else {}
    cards = []
    for member in roll:
        statement = student_statement(student=students[member.id], start=start, end=upto)
        result = results.get(member.id)
        percent = statement.total.percent
        cards.append(
            Card(
                student_id=member.id,
                student=member.name,
                student_local=member.name_local,
                admission_no=member.admission_no,
                state_id=students[member.id].state_id or "",
                school=school.name,
                school_local=school.name_local,
                school_code=school.code,
                section=section.label,
                year=section.academic_year.name,
                period=period,
                term=term.name if term else "",
                starts_on=start.isoformat(),
                ends_on=end.isoformat(),
                term_names=[] if term else [t.name for t in terms],
                subjects=lines[member.id],
                held=statement.total.held,
                attended=statement.total.attended,
                percent="" if percent is None else f"{percent:.1f}",
                months=[
                    MonthLine(f"{month:%Y-%m}", counts.held, counts.attended)
                    for month, counts in statement.months.items()
                ],
                remarks=remarks.get(member.id, []),
                teacher_remark=teacher.get(member.id, ""),
                result=result.result if result else "",
                result_percentage=str(result.percentage)
                if result and result.percentage is not None
                else "",
                rank=ranked.get(member.id),
                of=len(ranked) if member.id in ranked else None,
            )
        )
    return cards


# --- Issued cards --------------------------------------------------------------------


def cards_visible_to(user: Any) -> QuerySet[ReportCard]:
    """Issued cards the user may see: the school's staff, the area's officers, and the
    student and their guardians their own."""
    return restrict(ReportCard.objects.all(), actor_of(user), Action.VIEW)


def card_visible(user: Any, card_id: int) -> ReportCard:
    card = (
        cards_visible_to(user)
        .select_related("school", "section", "student", "term")
        .filter(pk=card_id)
        .first()
    )
    if card is None:
        raise NotFound(_("No report card %(id)s in your area.") % {"id": card_id}, field="card_id")
    return card


def student_cards(user: Any, student_id: int) -> tuple[Student, list[ReportCard]]:
    """A student's issued cards, newest first, every version (a revoked one says so)."""
    student = access.student_visible(user, student_id)
    cards = (
        cards_visible_to(user)
        .filter(student=student)
        .select_related("section", "term")
        .order_by("-issued_at", "-version", "-pk")
    )
    return student, list(cards)


def section_of(user: Any, section_id: int) -> Section:
    return access.section_visible(user, section_id)


def section_cards(section: Section, term: Term | None) -> list[ReportCard]:
    """The section's current cards of the period, in the order they were issued (roll order)."""
    return list(
        ReportCard.objects.filter(
            school_id=section.school_id,
            section=section,
            period=rules.period_key(term.pk if term else None),
            is_current=True,
        ).order_by("pk")
    )


def terms_of(section: Section) -> list[Term]:
    return list(
        Term.objects.filter(
            school_id=section.school_id, academic_year_id=section.academic_year_id
        ).order_by("starts_on")
    )


def unit_of_policy(unit: OrgUnit) -> RankPolicy | None:
    return RankPolicy.objects.filter(unit=unit).first()
