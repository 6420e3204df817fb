"""Grades and term grades. A grade is never overwritten: a change is a new version of
the same work (its first version's UUID) with who and why; withdrawing is a version
too. After a term is closed only the head adds or changes its grades. Term and final
grades are computed from the current grades (journal.rules) and confirmed by the
teacher, who may write another value with a reason."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazri.accounts.access import actor_of
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid
from hazri.journal import rules
from hazri.journal.models import Grade, Term, TermGrade
from hazri.journal.selectors import journal, scheme
from hazri.journal.selectors import journal_access as who
from hazri.org.models import Section, Subject
from hazri.people.models import Student


def read_value(scale: rules.Scale, value: str, field: str = "value") -> tuple[str, Decimal]:
    """The value as stored and its points, or a 422 naming the field and what it takes."""
    try:
        points = scale.points(value)
    except rules.BadGrade as error:
        raise Invalid(str(error), field=field, code="bad_grade") from None
    return scale.normal(value), points


def _by_uuid(section: Section, client_uuid: uuid.UUID) -> Grade | None:
    return Grade.objects.filter(school_id=section.school_id, client_uuid=client_uuid).first()


def grade_give(
    *,
    section: Section,
    subject: Subject,
    student_id: int,
    kind_id: int,
    day: dt.date,
    period: int | None,
    value: str,
    comment: str = "",
    client_uuid: uuid.UUID,
    by: Any,
) -> tuple[Grade, bool]:
    """A new grade (its work is its client UUID). created False: the stored row."""
    actor = actor_of(by)
    who.require_grader(actor, section, subject, day)
    found = _by_uuid(section, client_uuid)
    if found is not None:
        return found, False
    term = scheme.term_on(section.school, day)
    who.require_open_term(actor, term)
    grading = scheme.grading_for(section.school)
    if kind_id not in grading.kinds:
        raise Invalid(
            _("Kind %(id)s is not a kind of work of this school's scheme.") % {"id": kind_id},
            field="kind",
        )
    stored, points = read_value(grading.scale, value)
    journal.check_roll(section, day, student_id)
    return _stored(
        Grade(
            school_id=section.school_id,
            section=section,
            subject=subject,
            student_id=student_id,
            term=term,
            kind_id=kind_id,
            day=day,
            period=period,
            value=stored,
            points=points,
            comment=comment.strip()[:500],
            work=client_uuid,
            version=1,
            client_uuid=client_uuid,
            given_by=by,
            given_at=timezone.now(),
        ),
        None,
        by,
    )


def grade_change(
    *,
    current: Grade,
    value: str | None,
    kind_id: int | None = None,
    comment: str | None = None,
    reason: str,
    withdraw: bool = False,
    client_uuid: uuid.UUID,
    by: Any,
) -> tuple[Grade, bool]:
    """A new version of the grade: a changed value, kind or comment, or the grade
    withdrawn; the old version is kept. A reason is required."""
    section = current.section
    actor = actor_of(by)
    who.require_grader(actor, section, current.subject, current.day)
    found = _by_uuid(section, client_uuid)
    if found is not None:
        return found, False
    who.require_open_term(actor, current.term)
    if not reason.strip():
        raise Invalid(_("Say why the grade is changed."), field="reason", code="required")
    grading = scheme.grading_for(section.school)
    stored, points = current.value, current.points
    if value is not None and not withdraw:
        stored, points = read_value(grading.scale, value)
    kind = current.kind_id if kind_id is None else kind_id
    if kind not in grading.kinds:
        raise Invalid(
            _("Kind %(id)s is not a kind of work of this school's scheme.") % {"id": kind},
            field="kind",
        )
    version = Grade(
        school_id=current.school_id,
        section_id=current.section_id,
        subject_id=current.subject_id,
        student_id=current.student_id,
        term_id=current.term_id,
        kind_id=kind,
        day=current.day,
        period=current.period,
        value=stored,
        points=points,
        comment=(current.comment if comment is None else comment.strip())[:500],
        work=current.work,
        client_uuid=client_uuid,
        given_by=by,
        given_at=timezone.now(),
        reason=reason.strip()[:500],
        withdrawn=withdraw,
    )
    return _stored(version, current, by)


def _stored(grade: Grade, current: Grade | None, by: Any) -> tuple[Grade, bool]:
    try:
        with transaction.atomic():
            if current is not None:
                latest = (
                    Grade.objects.select_for_update()
                    .filter(school_id=grade.school_id, work=grade.work, is_current=True)
                    .first()
                )
                if latest is None or latest.pk != current.pk:
                    raise Conflict(
                        _("The grade was changed meanwhile: reload it."), field="work", code="stale"
                    )
                latest.is_current = False
                latest.save(update_fields=["is_current"])
                grade.version = latest.version + 1
            grade.save(force_insert=True)
            audit_record(
                user=by,
                action="journal.grade",
                obj=grade,
                school_id=grade.school_id,
                detail={
                    "version": grade.version,
                    "value": grade.value,
                    "withdrawn": grade.withdrawn,
                },
            )
    except IntegrityError:
        found = Grade.objects.filter(
            school_id=grade.school_id, client_uuid=grade.client_uuid
        ).first()
        if found is None:
            raise Conflict(
                _("The grade was changed meanwhile: reload it."), field="work", code="stale"
            ) from None
        return found, False
    return grade, True


def computed_term_grade(
    section: Section, subject: Subject, student_id: int, term: Term | None
) -> tuple[str | None, rules.Scale]:
    """What the grades come to: a term's from its current grades and their kinds'
    weights; the year's (no term) from the confirmed term grades of the year."""
    grading = scheme.grading_for(section.school)
    if term is not None:
        grades = list(
            Grade.objects.filter(
                school_id=section.school_id,
                section=section,
                subject=subject,
                student_id=student_id,
                term=term,
                is_current=True,
            )
        )
        weights = {pk: kind.weight for pk, kind in grading.kinds.items()}
        return rules.term_grade(grading.scale, journal.marked(grades, weights)), grading.scale
    points = list(
        TermGrade.objects.filter(
            school_id=section.school_id,
            section=section,
            subject=subject,
            student_id=student_id,
            term__academic_year_id=section.academic_year_id,
            is_current=True,
        ).values_list("points", flat=True)
    )
    return rules.final_grade(grading.scale, points), grading.scale


def term_grade_confirm(
    *,
    section: Section,
    subject: Subject,
    student: Student,
    term: Term | None,
    value: str,
    reason: str = "",
    by: Any,
) -> tuple[TermGrade, bool]:
    """The teacher confirms the computed grade, or writes another with a reason. The
    same confirmation again answers the stored one (created False)."""
    actor = actor_of(by)
    day = journal.term_day(section, term) if term else section.academic_year.ends_on
    who.require_grader(actor, section, subject, min(day, journal.today_of(section)))
    if term is not None:
        who.require_open_term(actor, term)
    journal.check_roll(section, min(day, journal.today_of(section)), student.pk)
    computed, scale = computed_term_grade(section, subject, student.pk, term)
    stored, points = read_value(scale, value)
    reason = reason.strip()[:500]
    if stored != computed and not reason:
        raise Invalid(
            _("The grades come to %(computed)s: say why the term grade is %(value)s.")
            % {"computed": computed or "-", "value": stored},
            field="reason",
            code="required",
        )
    key = {
        "school_id": section.school_id,
        "section": section,
        "subject": subject,
        "student": student,
        "term": term,
    }
    with transaction.atomic():
        current = TermGrade.objects.select_for_update().filter(**key, is_current=True).first()
        if current is not None and (current.value, current.computed, current.reason) == (
            stored,
            computed or "",
            reason,
        ):
            return current, False
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        confirmed = TermGrade.objects.create(
            **key,
            computed=computed or "",
            value=stored,
            points=points,
            version=current.version + 1 if current else 1,
            confirmed_by=by,
            confirmed_at=timezone.now(),
            reason=reason,
        )
        audit_record(
            user=by,
            action="journal.term_grade",
            obj=confirmed,
            school_id=section.school_id,
            detail={"value": stored, "computed": computed, "version": confirmed.version},
        )
    return confirmed, True
