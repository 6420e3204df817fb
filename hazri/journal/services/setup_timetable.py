"""A section's week timetable, the day's changes to it, and who teaches the section.

A new week from a date ends the slots in force the day before and starts new ones:
no slot is edited in place, so the timetable of any past day can be read again. A
change of one day (a substitute, a cancelled, moved or extra lesson) is withdrawn,
never deleted. Teaching assignments are the people services' (hazri.people.services):
these only find the staff and subject by id within the school first."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Invalid, NotFound
from hazri.journal.models import Change, Period, Slot
from hazri.journal.selectors.timetable import timetable
from hazri.org import selectors as org
from hazri.org.models import School, Section, Subject
from hazri.people import services as people
from hazri.people.models import Staff, TeachingAssignment

MAX_NOTE = 300


@dataclass(frozen=True)
class SlotIn:
    weekday: int  # 1 Monday … 7 Sunday
    period: int
    subject: int  # org.Subject id
    teacher: int | None = None  # people.Staff id


def _in_session(section: Section, day: dt.date, field: str) -> None:
    year = section.academic_year
    if not year.starts_on <= day <= year.ends_on:
        raise Invalid(
            f"{day} is outside section {section.label}'s session {year.name}.",
            field=field,
            code="outside_session",
        )


def _periods(school_id: int) -> set[int]:
    return set(Period.objects.filter(school_id=school_id).values_list("number", flat=True))


def week_set(*, section: Section, starts_on: dt.date, slots: list[SlotIn], by: Any) -> list[Slot]:
    """The section's week from `starts_on` on: the slots in force end the day before
    (those set to start on or after it never come into force) and these start. A
    teacher must hold a teaching assignment for the section and subject on that day."""
    _in_session(section, starts_on, "starts_on")
    school_id = section.school_id
    periods = _periods(school_id)
    subjects = {
        s.pk: s
        for s in Subject.objects.filter(school_id=school_id, pk__in={s.subject for s in slots})
    }
    teaching = set(
        TeachingAssignment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on),
            school_id=school_id,
            section=section,
            subject__isnull=False,
            starts_on__lte=starts_on,
        ).values_list("staff_id", "subject_id")
    )
    seen: set[tuple[int, int]] = set()
    for n, slot in enumerate(slots):
        if not 1 <= slot.weekday <= 7:
            raise Invalid(
                "A weekday is 1 (Monday) to 7 (Sunday).",
                field=f"slots[{n}].weekday",
                code="bad_day",
            )
        if slot.period not in periods:
            raise Invalid(
                f"Period {slot.period} is not in the bell schedule.",
                field=f"slots[{n}].period",
                code="no_period",
            )
        if (slot.weekday, slot.period) in seen:
            raise Invalid(
                f"Day {slot.weekday}, period {slot.period} is given twice.",
                field=f"slots[{n}].period",
                code="duplicate",
            )
        seen.add((slot.weekday, slot.period))
        subject = subjects.get(slot.subject)
        if subject is None:
            raise Invalid(
                f"No subject {slot.subject} at this school.",
                field=f"slots[{n}].subject",
                code="not_found",
            )
        if slot.teacher is not None and (slot.teacher, slot.subject) not in teaching:
            raise Invalid(
                f"That teacher is not assigned to teach {subject.name} in {section.label} "
                f"on {starts_on}: assign them first.",
                field=f"slots[{n}].teacher",
                code="not_assigned",
            )
    rows = [
        Slot(
            school_id=school_id,
            section=section,
            weekday=slot.weekday,
            period=slot.period,
            subject_id=slot.subject,
            teacher_id=slot.teacher,
            starts_on=starts_on,
        )
        for slot in slots
    ]
    with transaction.atomic():
        Section.objects.select_for_update().filter(pk=section.pk).first()  # one week at a time
        ended = Slot.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on),
            school_id=school_id,
            section=section,
        ).update(ends_on=starts_on - dt.timedelta(days=1))
        Slot.objects.bulk_create(rows)
        audit_record(
            user=by,
            action="journal.week_set",
            obj=section,
            school_id=school_id,
            detail={
                "starts_on": str(starts_on),
                "ended": ended,
                "slots": [[s.weekday, s.period, s.subject, s.teacher] for s in slots],
            },
        )
    return rows


# --- The day's changes -----------------------------------------------------------------


def _school_day(school: School, day: dt.date, field: str) -> None:
    status = org.school_day_status(school, day)
    if not status.is_school_day:
        raise Invalid(
            f"{day} is not a school day at {school.name} ({status.name or status.kind.value}).",
            field=field,
            code="not_school_day",
        )


def _posted(school: School, staff_id: int, day: dt.date, field: str) -> Staff:
    staff = Staff.objects.filter(
        Q(postings__ends_on__isnull=True) | Q(postings__ends_on__gte=day),
        pk=staff_id,
        postings__school=school,
        postings__starts_on__lte=day,
    ).first()
    if staff is None:
        raise Invalid(
            f"That teacher is not posted to {school.name} on {day}.", field=field, code="not_posted"
        )
    return staff


def change_add(
    *,
    section: Section,
    day: dt.date,
    period: int,
    kind: str,
    by: Any,
    subject: int | None = None,
    teacher: int | None = None,
    to_day: dt.date | None = None,
    to_period: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Change:
    """Change one day's timetable: a substitute teacher, a cancelled lesson, a lesson
    moved to another day and period, or an extra lesson in a free period."""
    if kind not in Change.Kind.values:
        raise Invalid(
            f"'{kind}' is not a change: use one of {', '.join(Change.Kind.values)}.",
            field="kind",
            code="bad_kind",
        )
    school = section.school
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise Invalid(f"A note is at most {MAX_NOTE} characters.", field="note", code="too_long")
    _in_session(section, day, "day")
    _school_day(school, day, "day")
    periods = _periods(school.pk)
    if period not in periods:
        raise Invalid(
            f"Period {period} is not in the bell schedule.", field="period", code="no_period"
        )
    days = [day] if to_day is None else [day, to_day]
    planned = {
        d: {lesson.period: lesson for lesson in lessons if not lesson.cancelled}
        for d, lessons in timetable(section, days).items()
    }
    lesson = planned[day].get(period)
    if kind == Change.Kind.EXTRA:
        if subject is None:
            raise Invalid("Name the extra lesson's subject.", field="subject", code="required")
        if lesson is not None:
            raise Conflict(
                f"Period {period} already has a lesson on {day}.",
                field="period",
                code="period_taken",
            )
    elif lesson is None:
        raise Invalid(
            f"There is no lesson in period {period} on {day}.", field="period", code="no_lesson"
        )
    if subject is not None and not Subject.objects.filter(pk=subject, school=school).exists():
        raise Invalid(f"No subject {subject} at this school.", field="subject", code="not_found")
    if kind == Change.Kind.SUBSTITUTE and teacher is None:
        raise Invalid("Name the substitute teacher.", field="teacher", code="required")
    if teacher is not None:
        _posted(school, teacher, day, "teacher")
    if kind == Change.Kind.MOVED:
        if to_day is None or to_period is None:
            field = "to_day" if to_day is None else "to_period"
            raise Invalid("Say where the lesson moves to.", field=field, code="required")
        _in_session(section, to_day, "to_day")
        _school_day(school, to_day, "to_day")
        if to_period not in periods:
            raise Invalid(
                f"Period {to_period} is not in the bell schedule.",
                field="to_period",
                code="no_period",
            )
        if (to_day, to_period) == (day, period) or to_period in planned[to_day]:
            raise Conflict(
                f"Period {to_period} on {to_day} already has a lesson.",
                field="to_period",
                code="period_taken",
            )
        assert lesson is not None
        subject = subject or lesson.subject_id
        teacher = teacher or lesson.teacher_id
    elif to_day is not None or to_period is not None:
        raise Invalid("Only a moved lesson goes to another day.", field="to_day", code="not_moved")
    with transaction.atomic():
        change = Change.objects.create(
            school=school,
            section=section,
            day=day,
            period=period,
            kind=kind,
            subject_id=subject,
            teacher_id=teacher,
            to_day=to_day,
            to_period=to_period,
            note=note,
            made_by=by,
            made_at=now or timezone.now(),
        )
        audit_record(
            user=by,
            action="journal.change_add",
            obj=change,
            school_id=school.pk,
            detail={"section": section.pk, "day": str(day), "period": period, "kind": kind},
        )
    return change


def change_withdraw(*, change: Change, by: Any, now: dt.datetime | None = None) -> Change:
    with transaction.atomic():
        locked = Change.objects.select_for_update().get(pk=change.pk)
        if locked.withdrawn_at is not None:
            raise Conflict("This change was already withdrawn.", field="change", code="withdrawn")
        locked.withdrawn_at = now or timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        audit_record(
            user=by, action="journal.change_withdraw", obj=locked, school_id=locked.school_id
        )
    return locked


# --- Who teaches the section -----------------------------------------------------------


def teacher_assign(
    *,
    section: Section,
    staff: int,
    starts_on: dt.date,
    by: Any,
    subject: int | None = None,
    ends_on: dt.date | None = None,
) -> TeachingAssignment:
    """A class teacher (no subject) or a subject teacher of the section, through the
    people service (its own transaction, audited there)."""
    school_id = section.school_id
    member = Staff.objects.filter(pk=staff, postings__school_id=school_id).distinct().first()
    if member is None:
        raise NotFound(f"No staff {staff} at this school.", field="staff")
    taught = None
    if subject is not None:
        taught = Subject.objects.filter(pk=subject, school_id=school_id).first()
        if taught is None:
            raise Invalid(
                f"No subject {subject} at this school.", field="subject", code="not_found"
            )
    return people.assignment_start(
        staff=member, section=section, subject=taught, starts_on=starts_on, ends_on=ends_on, by=by
    )


def teacher_unassign(
    *, assignment: TeachingAssignment, ends_on: dt.date, by: Any
) -> TeachingAssignment:
    return people.assignment_end(assignment=assignment, ends_on=ends_on, by=by)
