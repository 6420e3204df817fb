"""Loading records another system holds (a OneRoster import): a student with their
admissions and enrolments as they were, a member of staff, and their details.

The same checks as admitting and moving (students.py) hold: every admission number
free at its school, every enrolment inside its section's session and of its
admission's school, no two enrolments of a child overlapping (nor with ones already
here), and the leaving rule (leaving.py) on every admission written.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from hazri.audit.services import audit_records
from hazri.common.errors import Conflict, Invalid
from hazri.org.models import School
from hazri.people.models import Admission, Enrolment, Gender, Staff, Student
from hazri.people.services._boundary import Actor, service
from hazri.people.services.bulk import AdmissionIn, EnrolmentIn, admissions_write
from hazri.people.services.leaving import admission_check
from hazri.people.services.students import _changed, _in_year, _student_touch


def _no_overlap_span(student: Student, starts_on: dt.date, ends_on: dt.date | None) -> None:
    """No enrolment of the child already here shares a day with [starts_on, ends_on]."""
    clash = Enrolment.objects.filter(student=student).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        clash = clash.filter(starts_on__lte=ends_on)
    found = clash.select_related("school").order_by("starts_on").first()
    if found is not None:
        raise Conflict(
            f"{student.name} is on the roll of {found.school.name} from {found.starts_on}.",
            field="starts_on",
            code="overlapping_enrolment",
        )


@dataclass
class Loaded:
    student: Student
    admissions: list[Admission]
    enrolments: list[list[Enrolment]]  # by admission, in the order given


def _details(gender: str, name: str) -> None:
    if not name.strip():
        raise Invalid("A name is required.", field="name", code="required")
    if gender not in Gender.values:
        raise Invalid(f"'{gender}' is not a gender.", field="gender", code="bad_gender")


@service
def student_history_load(
    *, admissions: list[AdmissionIn], by: Actor, student: Student | None = None, **details: object
) -> Loaded:
    """Write a child's admissions and enrolments as another system holds them: for
    `student`, or a new Student of `details` (state_id, name, name_local, gender,
    date_of_birth). Each admission's enrolments in date order, all but the last
    ended; an admission that has left ends with its last enrolment."""
    if student is None:
        _details(str(details.get("gender", "")), str(details.get("name", "")))
        student = Student(**details)  # type: ignore[arg-type]
    else:
        Student.objects.select_for_update().filter(pk=student.pk).first()
    _check_history(student.name, admissions)
    if student.pk is not None:
        for e in (e for a in admissions for e in a.enrolments):
            _no_overlap_span(student, e.starts_on, e.ends_on)
    _numbers_free(admissions)
    written = admissions_write([(student, given) for given in admissions])
    for admission, _rows in written:
        admission_check(admission)
    _written(written, by)
    return Loaded(
        student=student,
        admissions=[a for a, _ in written],
        enrolments=[rows for _, rows in written],
    )


@service
def student_details_set(*, student: Student, by: Actor, **details: object) -> bool:
    """Change a student's name, gender, date of birth or state id; False if none changed."""
    changed = {k: v for k, v in details.items() if getattr(student, k) != v}
    if not changed:
        return False
    _details(str(details.get("gender", student.gender)), str(details.get("name", student.name)))
    Student.objects.filter(pk=student.pk).update(**changed)  # type: ignore[arg-type]
    _student_touch([student.pk])
    audit_records(
        user=by, events=[("student.details", student, None, {"changed": sorted(changed)})]
    )
    return True


@service
def staff_add(
    *, employee_code: str, name: str, gender: str, by: Actor, name_local: str = "", phone: str = ""
) -> Staff:
    """A member of staff the HR system knows, not yet in Hazri."""
    _details(gender, name)
    code = employee_code.strip()
    if not code:
        raise Invalid("An employee code is required.", field="employee_code", code="required")
    if Staff.objects.filter(employee_code=code).exists():
        raise Conflict(
            f"Employee code {code} is taken.", field="employee_code", code="employee_code_taken"
        )
    staff = Staff.objects.create(
        employee_code=code,
        name=name.strip(),
        name_local=name_local.strip(),
        gender=gender,
        phone=phone,
    )
    audit_records(user=by, events=[("staff.add", staff, None, {"employee_code": code})])
    return staff


@service
def staff_details_set(*, staff: Staff, by: Actor, **details: object) -> bool:
    """Change a member of staff's name, gender or phone; False if none changed."""
    changed = {k: v for k, v in details.items() if getattr(staff, k) != v}
    if not changed:
        return False
    _details(str(details.get("gender", staff.gender)), str(details.get("name", staff.name)))
    Staff.objects.filter(pk=staff.pk).update(**changed)  # type: ignore[arg-type]
    audit_records(user=by, events=[("staff.details", staff, None, {"changed": sorted(changed)})])
    return True


@service
def students_history_load(
    *, items: list[tuple[dict[str, object], list[AdmissionIn]]], by: Actor
) -> list[Loaded]:
    """`student_history_load` for many new children at once (an import's first run):
    the same checks, made over the whole batch in a few queries, and the rows written
    with bulk inserts. Each item: the new Student's details, their admissions."""
    ids = [str(d["state_id"]) for d, _ in items if d.get("state_id")]
    clash = {i for i in ids if ids.count(i) > 1} if len(ids) != len(set(ids)) else set()
    taken = Student.objects.filter(state_id__in=ids).values_list("state_id", flat=True)[:5]
    clash |= {str(i) for i in taken}
    if clash:
        shown = sorted(str(i) for i in clash)[:5]
        raise Conflict(f"State ids {shown} are taken.", field="state_id", code="state_id_taken")
    _numbers_free([given for _, admissions in items for given in admissions])
    for details, admissions in items:
        _details(str(details.get("gender", "")), str(details.get("name", "")))
        _check_history(str(details.get("name", "")), admissions)
    students = [Student(**details) for details, _ in items]  # type: ignore[misc]
    written = admissions_write(
        [
            (s, given)
            for s, (_, admissions) in zip(students, items, strict=True)
            for given in admissions
        ]
    )
    _written(written, by)
    out, at = [], 0
    for student, (_, admissions) in zip(students, items, strict=True):
        mine = written[at : at + len(admissions)]
        at += len(admissions)
        out.append(
            Loaded(
                student=student,
                admissions=[a for a, _ in mine],
                enrolments=[rows for _, rows in mine],
            )
        )
    return out


def _numbers_free(admissions: list[AdmissionIn]) -> None:
    """Every admission number given, once each at its school and not taken there."""
    wanted: dict[School, set[str]] = {}
    for given in admissions:
        number = given.admission_no.strip()
        if not number:
            raise Invalid("An admission number is required.", field="admission_no", code="required")
        if number in wanted.setdefault(given.school, set()):
            raise Conflict(
                f"Admission number {number} is given twice at {given.school.name}.",
                field="admission_no",
                code="admission_no_taken",
            )
        wanted[given.school].add(number)
    for school, numbers in wanted.items():
        rows = Admission.objects.filter(school=school, admission_no__in=numbers)
        if found := sorted(rows.values_list("admission_no", flat=True)[:5]):
            raise Conflict(
                f"Admission numbers taken at {school.name}: {', '.join(found)}.",
                field="admission_no",
                code="admission_no_taken",
            )


def _written(written: list[tuple[Admission, list[Enrolment]]], by: Actor) -> None:
    """After loading: the children's stamps, the audit, and each school's roll changed
    from the first day written."""
    _student_touch(sorted({a.student_id for a, _ in written}))
    audit_records(
        user=by,
        events=[
            (
                "admission.load",
                a,
                a.school_id,
                {"student": a.student_id, "admission_no": a.admission_no, "on": str(a.admitted_on)},
            )
            for a, _ in written
        ],
    )
    first: dict[int, dt.date] = {}
    for e in (e for _, rows in written for e in rows):
        first[e.school_id] = min(first.get(e.school_id, e.starts_on), e.starts_on)
    for school_id, since in first.items():
        _changed({school_id}, since)


def _check_history(name: str, admissions: list[AdmissionIn]) -> None:
    """A new child's admissions in themselves: enrolments inside their sections'
    sessions, of the admission's school, in date order without overlap, the last one
    open while the admission is, ending on its leaving day when it has left."""
    spans = sorted((e.starts_on, e.ends_on) for a in admissions for e in a.enrolments)
    for (_, first_end), (second_start, _) in zip(spans, spans[1:], strict=False):
        if first_end is None or first_end >= second_start:
            raise Conflict(
                f"{name}'s enrolments overlap on {second_start}.",
                field="starts_on",
                code="overlapping_enrolment",
            )
    for given in admissions:
        if not given.enrolments:
            raise Invalid(
                f"Admission {given.admission_no} has no enrolment.",
                field="enrolments",
                code="required",
            )
        for e in given.enrolments:
            _check_enrolment(given, e)
        last = given.enrolments[-1].ends_on
        if last != given.left_on or any(e.ends_on is None for e in given.enrolments[:-1]):
            raise Conflict(
                f"Admission {given.admission_no} left on {given.left_on} but its last "
                f"enrolment ends on {last}.",
                field="left_on",
                code="leaving_rule",
            )


def _check_enrolment(given: AdmissionIn, e: EnrolmentIn) -> None:
    """An enrolment of an admission: in the admission's school, from its admission on,
    of a known origin, in its section's year."""
    if e.section.school_id != given.school.pk:
        raise Invalid(
            f"Section {e.section.label} is not of {given.school.name}.",
            field="section",
            code="other_school",
        )
    if e.starts_on < given.admitted_on:
        raise Invalid(
            f"On the roll from {e.starts_on}, before the admission ({given.admitted_on}).",
            field="starts_on",
            code="ends_before_start",
        )
    if e.origin not in Enrolment.Origin.values:
        raise Invalid(f"'{e.origin}' is not an origin.", field="origin", code="bad_origin")
    _in_year(e.section, e.starts_on, field="starts_on")
