"""A school's roll brought into line with the state's enrolment register, set-based.

The bulk form of student_admit, student_move and student_strike_off (and of
guardian_add + guardian_link) for imports (hazri.rosters): the same checks (admission
numbers unique at the school, the roll's dates inside the section's session, one roll
at a time, the leaving rule), made once for the whole school in a handful of queries
instead of once per child, and the same audit events, `updated_at` stamps and
`roll_changed` signal.

`register_plan` only reads: what syncing would do (create, change: field old → new,
end, unchanged, refused with the column and the reason). `register_sync` plans again
inside its transaction and writes exactly that, or nothing when any row is refused.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from hazri.audit.services import audit_records
from hazri.common.errors import Conflict
from hazri.org.models import School, Section
from hazri.people.models import Admission, Enrolment, Guardian, Guardianship, Student
from hazri.people.services._boundary import Actor, service
from hazri.people.services.bulk import AdmissionIn, EnrolmentIn, admissions_write
from hazri.people.services.leaving import admissions_disagreeing
from hazri.people.signals import roll_changed

ONE_DAY = dt.timedelta(days=1)
DETAILS = ("name", "name_local", "gender", "date_of_birth")
# An audit event to write: action, object, school id, detail (audit_records).
Event = tuple[str, Any, int | None, dict[str, Any] | None]


@dataclass(frozen=True)
class RegisterEntry:
    """One child as the register lists them at a school (optional values blank: not given)."""

    line: int
    state_id: str
    name: str
    gender: str
    section: Section
    admission_no: str
    admitted_on: dt.date
    name_local: str = ""
    date_of_birth: dt.date | None = None
    roll_no: int | None = None
    guardian_name: str = ""
    guardian_phone: str = ""
    guardian_relation: str = ""


@dataclass
class Outcome:
    """What syncing does to one child: create, change, end, unchanged or refused."""

    action: str
    line: int  # the row of the file; 0 for a child on the roll the file leaves out
    key: str  # the state id, else the admission number
    name: str
    changes: dict[str, list[str]] = field(default_factory=dict)  # field -> [old, new]
    column: str = ""
    reason: str = ""
    entry: RegisterEntry | None = None
    student: Student | None = None
    current: Enrolment | None = None  # the child's open enrolment at the school


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Section):
        return value.label
    return str(value)


def _refused(entry: RegisterEntry, column: str, reason: str) -> Outcome:
    return Outcome(
        "refused",
        entry.line,
        entry.state_id or entry.admission_no,
        entry.name,
        column=column,
        reason=reason,
        entry=entry,
    )


def _guardian_key(name: str, phone: str) -> str:
    return phone.strip() or name.strip().casefold()


def register_plan(
    school: School, entries: Sequence[RegisterEntry], *, on: dt.date
) -> list[Outcome]:
    """What bringing the school's roll in line with `entries` on `on` would do: children
    new to the roll are admitted, those listed with other details changed (a new
    section from `on`), those on the roll but not listed struck off on the day before."""
    current = list(
        Enrolment.objects.filter(
            school=school, ends_on__isnull=True, admission__left_on__isnull=True
        )
        .select_related("student", "admission", "section")
        .order_by("pk")
    )
    by_state = {e.student.state_id: e for e in current if e.student.state_id}
    by_number = {e.admission.admission_no: e for e in current}
    numbers = dict(
        Admission.objects.filter(school=school).values_list("admission_no", "student_id")
    )
    wanted = [e.state_id for e in entries if e.state_id and e.state_id not in by_state]
    known = {s.state_id: s for s in Student.objects.filter(state_id__in=wanted)}
    elsewhere = {
        e.student_id: e
        for e in Enrolment.objects.filter(student__in=list(known.values()))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("school", "section")
    }
    matched_ids = [e.student_id for e in current]
    guardians: dict[int, set[str]] = {}
    for link in Guardianship.objects.filter(student_id__in=matched_ids).select_related("guardian"):
        key = _guardian_key(link.guardian.name, link.guardian.phone)
        guardians.setdefault(link.student_id, set()).add(key)
    outcomes: list[Outcome] = []
    seen: set[int] = set()
    numbers_in_file: set[str] = set()
    for entry in entries:
        if entry.admission_no in numbers_in_file:
            outcomes.append(
                _refused(
                    entry, "admission_no", f"Admission number {entry.admission_no} is listed twice."
                )
            )
            continue
        numbers_in_file.add(entry.admission_no)
        enrolment = by_state.get(entry.state_id) if entry.state_id else None
        if enrolment is None and entry.admission_no in by_number:
            holder = by_number[entry.admission_no]
            if holder.student.state_id and holder.student.state_id != entry.state_id:
                outcomes.append(
                    _refused(
                        entry,
                        "admission_no",
                        f"Admission number {entry.admission_no} is held by {holder.student.name} "
                        f"(state id {holder.student.state_id}).",
                    )
                )
                continue
            enrolment = holder
        if enrolment is not None:
            seen.add(enrolment.pk)
            outcomes.append(
                _compare(entry, enrolment, numbers, guardians.get(enrolment.student_id, set()), on)
            )
        else:
            outcomes.append(_admission(entry, known.get(entry.state_id), elsewhere, numbers))
    for enrolment in current:
        if enrolment.pk in seen:
            continue
        key = enrolment.student.state_id or enrolment.admission.admission_no
        last = on - ONE_DAY
        outcome = Outcome(
            "end",
            0,
            key,
            enrolment.student.name,
            changes={"left_on": ["", last.isoformat()]},
            student=enrolment.student,
            current=enrolment,
        )
        if last < enrolment.starts_on:
            outcome.action, outcome.column = "refused", "state_id"
            outcome.reason = (
                f"{enrolment.student.name} is not in the file but joined the roll on "
                f"{enrolment.starts_on}: they cannot be struck off before {on}."
            )
        outcomes.append(outcome)
    return outcomes


def _compare(
    entry: RegisterEntry,
    enrolment: Enrolment,
    numbers: dict[str, int],
    guardian_keys: set[str],
    on: dt.date,
) -> Outcome:
    student = enrolment.student
    changes: dict[str, list[str]] = {}
    for name in DETAILS:
        new = getattr(entry, name)
        old = getattr(student, name)
        if new not in ("", None) and new != old:
            changes[name] = [_text(old), _text(new)]
    if entry.section.pk != enrolment.section_id:
        if on - ONE_DAY < enrolment.starts_on:
            return _refused(
                entry,
                "section",
                f"{student.name} joined {enrolment.section.label} on {enrolment.starts_on}: "
                f"they can move from the next day, not {on}.",
            )
        changes["section"] = [enrolment.section.label, entry.section.label]
    if entry.roll_no is not None and entry.roll_no != enrolment.roll_no:
        changes["roll_no"] = [_text(enrolment.roll_no), str(entry.roll_no)]
    if entry.admission_no != enrolment.admission.admission_no:
        if numbers.get(entry.admission_no, student.pk) != student.pk:
            return _refused(
                entry,
                "admission_no",
                f"Admission number {entry.admission_no} is taken at the school.",
            )
        changes["admission_no"] = [enrolment.admission.admission_no, entry.admission_no]
    if entry.guardian_name and _guardian_key(entry.guardian_name, entry.guardian_phone) not in (
        guardian_keys
    ):
        changes["guardian"] = ["", f"{entry.guardian_name} {entry.guardian_phone}".strip()]
    return Outcome(
        "change" if changes else "unchanged",
        entry.line,
        entry.state_id or entry.admission_no,
        entry.name,
        changes=changes,
        entry=entry,
        student=student,
        current=enrolment,
    )


def _admission(
    entry: RegisterEntry,
    student: Student | None,
    elsewhere: dict[int, Enrolment],
    numbers: dict[str, int],
) -> Outcome:
    if entry.admission_no in numbers:
        return _refused(
            entry,
            "admission_no",
            f"Admission number {entry.admission_no} is taken at the school by a child who has left.",
        )
    if student is not None and student.pk in elsewhere:
        clash = elsewhere[student.pk]
        return _refused(
            entry,
            "state_id",
            f"{student.name} is on the roll of {clash.school.name} ({clash.section.label}) "
            f"from {clash.starts_on}: that school strikes them off or transfers them first.",
        )
    year = entry.section.academic_year
    if entry.admitted_on > year.ends_on:
        return _refused(
            entry,
            "admitted_on",
            f"{entry.admitted_on} is after section {entry.section.label}'s session {year.name}.",
        )
    return Outcome(
        "create",
        entry.line,
        entry.state_id or entry.admission_no,
        entry.name,
        changes={"section": ["", entry.section.label]},
        entry=entry,
        student=student,
    )


@service
def register_sync(
    *,
    school: School,
    entries: Sequence[RegisterEntry],
    on: dt.date,
    by: Actor,
    reason: str,
) -> list[Outcome]:
    """Bring the school's roll in line with `entries` on `on` (register_plan), in one
    transaction; Conflict, writing nothing, when any entry is refused. Children struck
    off leave with `reason`."""
    outcomes = register_plan(school, entries, on=on)
    refused = [o for o in outcomes if o.action == "refused"]
    if refused:
        first = refused[0]
        raise Conflict(
            f"Line {first.line}, {first.column}: {first.reason}", field=first.column, code="refused"
        )
    now = timezone.now()
    events: list[Event] = []
    _create(school, [o for o in outcomes if o.action == "create"], now, events)
    changed = [o for o in outcomes if o.action == "change"]
    _change(school, changed, on, now, events, reason)
    _end(school, [o for o in outcomes if o.action == "end"], on, reason, now, events)
    touched = [o.student.pk for o in outcomes if o.action != "unchanged" and o.student is not None]
    if touched:
        Student.objects.filter(pk__in=touched).update(updated_at=now)
        if admissions_disagreeing().filter(school=school).exists():
            raise Conflict(
                f"The roll of {school.name} would break the leaving rule.",
                field="file",
                code="leaving_rule",
            )
        audit_records(user=by, events=events)
        roll_changed.send(sender=Enrolment, school_ids=[school.pk], since=on - ONE_DAY)
    return outcomes


def _create(school: School, creates: list[Outcome], now: dt.datetime, events: list[Event]) -> None:
    items = []
    for o in creates:
        e = o.entry
        assert e is not None
        if o.student is None:
            o.student = Student(
                state_id=e.state_id or None,
                name=e.name,
                name_local=e.name_local,
                gender=e.gender,
                date_of_birth=e.date_of_birth,
            )
        year = e.section.academic_year
        origin = (
            Enrolment.Origin.PROMOTED if e.admitted_on < year.starts_on else Enrolment.Origin.NEW
        )
        starts_on = max(e.admitted_on, year.starts_on)
        enrolment = EnrolmentIn(e.section, starts_on, origin=origin, roll_no=e.roll_no)
        items.append(
            (o.student, AdmissionIn(school, e.admission_no, e.admitted_on, enrolments=[enrolment]))
        )
    for admission, rows in admissions_write(items):
        detail = {
            "student": admission.student_id,
            "admission_no": admission.admission_no,
            "section": rows[0].section.pk,
            "origin": rows[0].origin,
            "on": str(admission.admitted_on),
            "import": True,
        }
        events.append(("admission.admit", admission, school.pk, detail))
    _guardians([(o.student, o.entry) for o in creates if o.entry and o.entry.guardian_name], events)


def _guardians(pairs: list[tuple[Student | None, RegisterEntry]], events: list[Event]) -> None:
    made = [Guardian(name=e.guardian_name, phone=e.guardian_phone) for _student, e in pairs]
    Guardian.objects.bulk_create(made)
    links = []
    for (student, entry), guardian in zip(pairs, made, strict=True):
        assert student is not None
        relation = entry.guardian_relation or Guardianship.Relation.OTHER
        links.append(Guardianship(guardian=guardian, student=student, relation=relation))
    Guardianship.objects.bulk_create(links)
    for link in links:
        detail = {"guardian": link.guardian.pk, "student": link.student.pk}
        events.append(("guardianship.link", link, None, {**detail, "relation": link.relation}))


def _change(
    school: School,
    changed: list[Outcome],
    on: dt.date,
    now: dt.datetime,
    events: list[Event],
    reason: str,
) -> None:
    students, admissions, rolls, ended, moved = [], [], [], [], []
    for o in changed:
        e, student, current = o.entry, o.student, o.current
        assert e is not None and student is not None and current is not None
        details = {k: v for k, v in o.changes.items() if k in DETAILS}
        if details:
            for name in details:
                setattr(student, name, getattr(e, name))
            students.append(student)
            events.append(
                ("student.update", student, school.pk, {"changes": details, "why": reason})
            )
        if "admission_no" in o.changes:
            current.admission.admission_no = e.admission_no
            current.admission.updated_at = now
            admissions.append(current.admission)
            events.append(
                (
                    "admission.renumber",
                    current.admission,
                    school.pk,
                    {"changes": {"admission_no": o.changes["admission_no"]}, "why": reason},
                )
            )
        if "section" in o.changes:
            current.ends_on = on - ONE_DAY
            current.updated_at = now
            ended.append(current)
            moved.append(
                Enrolment(
                    school=school,
                    section=e.section,
                    student=student,
                    admission=current.admission,
                    origin=current.origin,
                    starts_on=on,
                    roll_no=e.roll_no,
                )
            )
        elif "roll_no" in o.changes:
            current.roll_no = e.roll_no
            current.updated_at = now
            rolls.append(current)
    Student.objects.bulk_update(students, [*DETAILS])
    Admission.objects.bulk_update(admissions, ["admission_no", "updated_at"])
    Enrolment.objects.bulk_update(ended, ["ends_on", "updated_at"])
    Enrolment.objects.bulk_update(rolls, ["roll_no", "updated_at"])
    Enrolment.objects.bulk_create(moved)
    for enrolment in moved:
        detail = {"student": enrolment.student.pk, "section": enrolment.section.pk, "on": str(on)}
        events.append(("enrolment.move", enrolment, school.pk, detail))
    _guardians(
        [(o.student, o.entry) for o in changed if o.entry and "guardian" in o.changes], events
    )


def _end(
    school: School,
    ends: list[Outcome],
    on: dt.date,
    reason: str,
    now: dt.datetime,
    events: list[Event],
) -> None:
    last = on - ONE_DAY
    enrolments, admissions = [], []
    for o in ends:
        current = o.current
        assert current is not None
        current.ends_on, current.updated_at = last, now
        enrolments.append(current)
        admission = current.admission
        admission.left_on, admission.leaving_reason, admission.updated_at = last, reason[:200], now
        admissions.append(admission)
        detail = {"student": current.student_id, "left_on": str(last), "reason": reason}
        events.append(("admission.leave", admission, school.pk, detail))
    Enrolment.objects.bulk_update(enrolments, ["ends_on", "updated_at"])
    Admission.objects.bulk_update(admissions, ["left_on", "leaving_reason", "updated_at"])
