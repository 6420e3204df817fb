"""Admitting, moving, transferring, promoting and striking off students.

Every service here writes in one transaction (durable: see _boundary), keeps the
leaving rule (leaving.py), writes its audit events inside the transaction, touches
`updated_at` of every student, admission and enrolment it changed (the sync's delta
pulls compare them; a new enrolment's student must travel with it to devices that
never held that child) and sends `roll_changed` for every school whose roll changed.
"""

import datetime as dt
from collections.abc import Collection

from django.db.models import Q
from django.utils import timezone

from hazri.audit.services import audit_record, audit_records
from hazri.common.errors import Conflict, Invalid, NotFound
from hazri.org.models import School, Section
from hazri.people.models import Admission, Enrolment, Gender, Student
from hazri.people.services._boundary import Actor, service
from hazri.people.services.leaving import admission_check
from hazri.people.signals import roll_changed

ONE_DAY = dt.timedelta(days=1)


@service
def student_admit(
    *,
    section: Section,
    admission_no: str,
    admitted_on: dt.date,
    by: Actor,
    student: Student | None = None,
    state_id: str | None = None,
    name: str = "",
    name_local: str = "",
    gender: str = "",
    date_of_birth: dt.date | None = None,
    origin: str = Enrolment.Origin.NEW,
    on_roll_from: dt.date | None = None,
    roll_no: int | None = None,
) -> Enrolment:
    """Admit a child to the section's school under `admission_no`, on its roll from
    `admitted_on`: the Admission and its first Enrolment, in `section`.

    The child is `student`, or the Student with `state_id` (one record for life,
    whatever school admitted them before), or else a new Student from the name and
    gender given. A school bringing its present roll into Hazri gives the children
    admitted in earlier sessions `on_roll_from` (the first day of this one) and, where
    allotted, their `roll_no`. Returns the enrolment (its `.admission`, `.student`)."""
    if student is None:
        student = _student_for(
            state_id=state_id,
            name=name,
            name_local=name_local,
            gender=gender,
            date_of_birth=date_of_birth,
        )
    enrolment = _admit(
        student=student,
        section=section,
        admission_no=admission_no,
        admitted_on=admitted_on,
        origin=origin,
        by=by,
        starts_on=on_roll_from,
        roll_no=roll_no,
    )
    _changed({section.school_id}, enrolment.starts_on)
    return enrolment


@service
def student_move(*, student: Student, section: Section, on: dt.date, by: Actor) -> Enrolment:
    """Move a student to another section of the school they are on the roll of, from
    `on`: their enrolment ends the day before, a new one (same admission, same
    origin, roll number to be allotted) starts on `on`."""
    admission = _open_admission(student, section.school, field="section")
    current = _open_enrolment(admission)
    if current.section_id == section.pk:
        raise Conflict(
            f"{student.name} is already in {section.label}.", field="section", code="same_section"
        )
    _in_year(section, on, field="starts_on")
    _end(current, last_day=on - ONE_DAY, field="starts_on")
    moved = Enrolment.objects.create(
        school_id=section.school_id,
        section=section,
        student=student,
        admission=admission,
        origin=current.origin,
        starts_on=on,
    )
    _student_touch([student.pk])
    admission_check(admission)
    audit_record(
        user=by,
        action="enrolment.move",
        obj=moved,
        school_id=section.school_id,
        detail={"student": student.pk, "from": current.pk, "section": section.pk, "on": str(on)},
    )
    _changed({section.school_id}, on)
    return moved


@service
def student_transfer(
    *,
    student: Student,
    section: Section,
    admission_no: str,
    on: dt.date,
    by: Actor,
    reason: str = "",
) -> Enrolment:
    """Transfer a student to the section's school from `on`: struck off their present
    school the day before (`reason`, by default "Transferred to …"), admitted at the
    new one as a new admission. The same Student record follows the child."""
    leaving = (
        Admission.objects.select_for_update()
        .filter(student=student, left_on__isnull=True)
        .exclude(school_id=section.school_id)
        .select_related("school")
        .first()
    )
    if leaving is None:
        raise NotFound(
            f"{student.name} is not on the roll of another school.",
            field="student",
            code="not_on_roll",
        )
    _leave(
        leaving,
        last_day=on - ONE_DAY,
        reason=reason.strip() or f"Transferred to {section.school.name}",
        field="on",
        by=by,
    )
    enrolment = _admit(
        student=student,
        section=section,
        admission_no=admission_no,
        admitted_on=on,
        origin=Enrolment.Origin.NEW,
        by=by,
        field="on",
    )
    _changed({leaving.school_id, section.school_id}, on - ONE_DAY)
    return enrolment


@service
def student_strike_off(
    *, student: Student, school: School, last_day: dt.date, reason: str, by: Actor
) -> Admission:
    """Strike a student off the school's roll: `last_day` is their last day on it
    (inclusive), `reason` why they left (a TC issued, the family migrated, …)."""
    if not reason.strip():
        raise Invalid("Say why the student left.", field="leaving_reason", code="required")
    admission = _open_admission(student, school, field="student")
    _leave(admission, last_day=last_day, reason=reason.strip(), field="left_on", by=by)
    _changed({school.pk}, last_day)
    return admission


@service
def section_promote(
    *,
    section: Section,
    to: Section,
    by: Actor,
    on: dt.date | None = None,
    repeaters: Collection[int] = (),
    repeat_in: Section | None = None,
    supplementary: Collection[int] = (),
) -> list[Enrolment]:
    """Carry a section's roll into next session's sections from `on` (by default the
    first day of `to`'s session): every student on `section`'s roll the day before
    goes to `to` as promoted, or, for the student ids in `repeaters`, to `repeat_in`
    as a repeater. The ids in `supplementary` go up to `to` but, as the children who
    sit supplementary exams, first on its roll (SPEC §3.2: origin "repeater"). Their
    enrolments in `section` end the day before `on`."""
    day = on or to.academic_year.starts_on
    repeat_in = repeat_in or (to if not repeaters else None)
    for target, field in ((to, "to"), (repeat_in, "repeat_in")):
        if target is None:
            raise Invalid("Name the section repeaters stay in.", field=field, code="required")
        if target.school_id != section.school_id:
            raise Invalid(
                f"Section {target.label} is of another school.", field=field, code="other_school"
            )
        if target.academic_year.starts_on <= section.academic_year.starts_on:
            raise Invalid(
                f"Section {target.label} is not of a later session.",
                field=field,
                code="not_later_session",
            )
        _in_year(target, day, field="on")
    assert repeat_in is not None
    last = day - ONE_DAY
    current = list(
        Enrolment.objects.select_for_update()
        .filter(section=section, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=last))
        .select_related("admission", "student")
        .order_by("pk")
    )
    on_roll = {e.student_id for e in current}
    for ids, field in ((repeaters, "repeaters"), (supplementary, "supplementary")):
        if unknown := set(ids) - on_roll:
            raise Invalid(
                f"Students {sorted(unknown)} are not on the roll of {section.label} on {last}.",
                field=field,
                code="not_on_roll",
            )
    promoted: list[Enrolment] = []
    for enrolment in current:
        if enrolment.ends_on is None or enrolment.ends_on > last:
            _end(enrolment, last_day=last, field="on")
        _no_overlap(enrolment.student, day, field="on")
        repeats = enrolment.student_id in repeaters
        first = repeats or enrolment.student_id in supplementary
        promoted.append(
            Enrolment(
                school_id=section.school_id,
                section=repeat_in if repeats else to,
                student=enrolment.student,
                admission=enrolment.admission,
                origin=Enrolment.Origin.REPEATER if first else Enrolment.Origin.PROMOTED,
                starts_on=day,
            )
        )
    Enrolment.objects.bulk_create(promoted)  # sets updated_at (auto_now) on each row
    _student_touch(sorted(on_roll))
    for admission in {e.admission_id: e.admission for e in current}.values():
        admission_check(admission)
    audit_records(
        user=by,
        events=[
            (
                "enrolment.promote",
                e,
                section.school_id,
                {"student": e.student_id, "from": section.pk, "origin": e.origin, "on": str(day)},
            )
            for e in promoted
        ],
    )
    if promoted:
        _changed({section.school_id}, last)
    return promoted


def _student_for(
    *,
    state_id: str | None,
    name: str,
    name_local: str,
    gender: str,
    date_of_birth: dt.date | None,
) -> Student:
    state_id = (state_id or "").strip() or None
    if state_id is not None:
        found = Student.objects.select_for_update().filter(state_id=state_id).first()
        if found is not None:
            return found
    if not name.strip():
        raise Invalid("A new student needs a name.", field="name", code="required")
    if gender not in Gender.values:
        raise Invalid(f"'{gender}' is not a gender.", field="gender", code="bad_gender")
    return Student.objects.create(
        state_id=state_id,
        name=name.strip(),
        name_local=name_local.strip(),
        gender=gender,
        date_of_birth=date_of_birth,
    )


def _admit(
    *,
    student: Student,
    section: Section,
    admission_no: str,
    admitted_on: dt.date,
    origin: str,
    by: Actor,
    field: str = "admitted_on",
    starts_on: dt.date | None = None,
    roll_no: int | None = None,
) -> Enrolment:
    admission_no = admission_no.strip()
    if not admission_no:
        raise Invalid("An admission number is required.", field="admission_no", code="required")
    if origin not in Enrolment.Origin.values:
        raise Invalid(f"'{origin}' is not an origin.", field="origin", code="bad_origin")
    if Admission.objects.filter(school_id=section.school_id, admission_no=admission_no).exists():
        raise Conflict(
            f"Admission number {admission_no} is taken at {section.school.name}.",
            field="admission_no",
            code="admission_no_taken",
        )
    if starts_on is None:
        starts_on = admitted_on
    elif starts_on < admitted_on:
        raise Invalid(
            f"On the roll from {starts_on}, before the admission ({admitted_on}).",
            field="on_roll_from",
            code="ends_before_start",
        )
    else:
        field = "on_roll_from"
    _in_year(section, starts_on, field=field)
    # Two schools admitting the same child at once: the second waits here, then sees
    # the first's enrolment as an overlap.
    Student.objects.select_for_update().filter(pk=student.pk).first()
    _no_overlap(student, starts_on, field=field)
    admission = Admission.objects.create(
        school_id=section.school_id,
        student=student,
        admission_no=admission_no,
        admitted_on=admitted_on,
    )
    enrolment = Enrolment.objects.create(
        school_id=section.school_id,
        section=section,
        student=student,
        admission=admission,
        origin=origin,
        starts_on=starts_on,
        roll_no=roll_no,
    )
    _student_touch([student.pk])
    admission_check(admission)
    audit_record(
        user=by,
        action="admission.admit",
        obj=admission,
        school_id=section.school_id,
        detail={
            "student": student.pk,
            "admission_no": admission_no,
            "section": section.pk,
            "origin": origin,
            "on": str(admitted_on),
        },
    )
    return enrolment


def _leave(admission: Admission, *, last_day: dt.date, reason: str, field: str, by: Actor) -> None:
    current = _open_enrolment(admission)
    _end(current, last_day=last_day, field=field)
    admission.left_on = last_day
    admission.leaving_reason = reason[:200]
    admission.save(update_fields=["left_on", "leaving_reason", "updated_at"])
    admission_check(admission)
    audit_record(
        user=by,
        action="admission.leave",
        obj=admission,
        school_id=admission.school_id,
        detail={"student": admission.student_id, "left_on": str(last_day), "reason": reason},
    )


def _open_admission(student: Student, school: School, *, field: str) -> Admission:
    admission = (
        Admission.objects.select_for_update()
        .filter(student=student, school=school, left_on__isnull=True)
        .first()
    )
    if admission is None:
        raise NotFound(
            f"{student.name} is not on the roll of {school.name}.", field=field, code="not_on_roll"
        )
    return admission


def _open_enrolment(admission: Admission) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(admission=admission, ends_on__isnull=True)
        .select_related("section")
        .first()
    )
    if enrolment is None:  # only data written around the services can get here
        raise Conflict(
            f"Admission {admission.admission_no} has no open enrolment.",
            field="left_on",
            code="leaving_rule",
        )
    return enrolment


def _end(enrolment: Enrolment, *, last_day: dt.date, field: str) -> None:
    if last_day < enrolment.starts_on:
        raise Invalid(
            f"The enrolment began on {enrolment.starts_on}; it cannot end on {last_day}.",
            field=field,
            code="ends_before_start",
        )
    enrolment.ends_on = last_day
    enrolment.save(update_fields=["ends_on", "updated_at"])


def _in_year(section: Section, day: dt.date, *, field: str) -> None:
    year = section.academic_year
    if not year.starts_on <= day <= year.ends_on:
        raise Invalid(
            f"{day} is outside section {section.label}'s session {year.name} "
            f"({year.starts_on} to {year.ends_on}).",
            field=field,
            code="outside_session",
        )


def _no_overlap(student: Student, starts_on: dt.date, *, field: str) -> None:
    """A child is on one roll at a time: no other enrolment may run on or after
    `starts_on` (the new enrolment is open-ended)."""
    clash = (
        Enrolment.objects.filter(student=student)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .select_related("school", "section")
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        until = f"until {clash.ends_on}" if clash.ends_on else "with no end"
        raise Conflict(
            f"{student.name} is on the roll of {clash.school.name} ({clash.section.label}) "
            f"from {clash.starts_on} {until}.",
            field=field,
            code="overlapping_enrolment",
        )


def _student_touch(ids: list[int]) -> None:
    # update() does not set auto_now fields: the delta pull compares this stamp.
    Student.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def _changed(school_ids: set[int], since: dt.date) -> None:
    roll_changed.send(sender=Enrolment, school_ids=sorted(school_ids), since=since)
