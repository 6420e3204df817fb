"""Import: one student's part at one school — their details, their admissions there
(student roles) and their enrolments in its sections (homeroom enrollments), through
the people services. A foreign bundle's dates are brought to the leaving rule: an
admission that has left ends with its last enrolment, and the other way round."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from hazri.interop.oneroster import spec
from hazri.interop.oneroster.bundle import parse_day
from hazri.interop.oneroster.ids import Kind, short_code
from hazri.org.models import School, Section
from hazri.people import services as people
from hazri.people.models import Admission, Enrolment, Student

if TYPE_CHECKING:
    from hazri.interop.oneroster.load import Loader

Row = dict[str, str]

LEFT = "Left, as a OneRoster import recorded"
BATCH = 2000


def _get(row: Row, column: str) -> str:
    return row.get(column, "").strip()


def student_details(loader: "Loader", sid: str) -> dict[str, object]:
    """A student's details as the bundle gives them: the name always, the state id
    where users.csv has the column, sex and birth date where demographics has a row."""
    user = loader._user(sid)
    details: dict[str, object] = {
        "name": loader._name(sid),
        "name_local": _get(user, "metadata.hazri.nameLocal"),
    }
    if "identifier" in user:
        state_id = _get(user, "identifier")
        details["state_id"] = state_id if state_id and len(state_id) <= 32 else None
    demographics = loader.rows["demographics.csv"].get(sid)
    details["gender"] = loader._gender(sid)
    if demographics is not None:
        details["date_of_birth"] = parse_day(_get(demographics[1], "birthDate"))
    return details


def update_student(loader: "Loader", student: Student, sid: str) -> None:
    """A student already here: their users.csv row (if sent) changes their details."""
    if sid in loader.touched or not loader._user(sid):
        return
    loader.touched.add(sid)
    details = student_details(loader, sid)
    if sid not in loader.rows["demographics.csv"]:
        details.pop("gender")
    if people.student_details_set.nested(student=student, by=loader.by, **details):
        loader.result.counts["students_updated"] += 1


def load_student(
    loader: "Loader",
    school: School,
    sid: str,
    roles: list[tuple[int, Row]],
    enrolments: list[tuple[Section, Row]],
) -> None:
    details = student_details(loader, sid)
    pk = loader.known(Kind.STUDENT, sid)
    student = Student.objects.filter(pk=pk).first() if pk else None
    if student is None and details["state_id"]:
        student = Student.objects.filter(state_id=details["state_id"]).first()
    if student is not None:
        update_student(loader, student, sid)
    # Each enrolment goes with the admission whose span holds its first day.
    spans: list[tuple[Row, dt.date | None, dt.date | None, list[Any]]] = []
    for _line, row in roles:
        begin = parse_day(_get(row, "beginDate"))
        spans.append((row, begin, loader._ended(row), []))
    if not spans and enrolments:
        spans.append(({"sourcedId": f"{sid}@{school.code}", "status": spec.ACTIVE}, None, None, []))
    for section, row in sorted(enrolments, key=lambda x: _get(x[1], "beginDate")):
        day = parse_day(_get(row, "beginDate")) or section.academic_year.starts_on
        holder = next(
            (s for s in spans if (s[1] is None or s[1] <= day) and (s[2] is None or day <= s[2])),
            spans[-1],
        )
        holder[3].append((section, row, day))
    new: list[tuple[str, people.AdmissionIn, list[str]]] = []
    for role, begin, end, rows in spans:
        role_sid = _get(role, "sourcedId")
        admission_pk = loader.known(Kind.ADMISSION, role_sid)
        if admission_pk:
            _update(
                loader,
                school,
                Admission.objects.select_related("student").get(pk=admission_pk),
                end,
                rows,
            )
            continue
        if _get(role, "status") == spec.TO_BE_DELETED or not rows:
            loader.result.counts["admissions_skipped"] += 1
            continue
        given = []
        for i, (section, row, day) in enumerate(rows):
            last = i == len(rows) - 1
            ends = parse_day(_get(row, "endDate"))
            if not last:
                ends = ends or rows[i + 1][2] - dt.timedelta(days=1)
            elif end is not None:
                ends = end  # the leaving rule: the last enrolment ends with the admission
            origin = _get(row, "metadata.hazri.origin")
            given.append(
                people.EnrolmentIn(
                    section=section,
                    starts_on=day,
                    ends_on=ends,
                    origin=origin if origin in Enrolment.Origin.values else Enrolment.Origin.NEW,
                )
            )
        left_on = given[-1].ends_on
        number = _get(role, "metadata.hazri.admissionNo") or short_code(role_sid, limit=20)
        admission = people.AdmissionIn(
            school=school,
            admission_no=number,
            admitted_on=min(begin or rows[0][2], rows[0][2]),
            left_on=left_on,
            leaving_reason=LEFT if left_on else "",
            enrolments=given,
        )
        new.append((role_sid, admission, [_get(r, "sourcedId") for _, r, _ in rows]))
    if not new:
        return
    if student is None:
        # A new child: written with the school's other new children at once (flush_new).
        loader.new_students.append((sid, details, new))
        return
    loaded = people.student_history_load.nested(
        admissions=[a for _, a, _ in new],
        by=loader.by,
        student=student,
        **({} if student is not None else details),
    )
    _kept(loader, school, sid, new, loaded)


def flush_new(loader: "Loader", school: School) -> None:
    """The school's new children, written in batches (people.students_history_load)."""
    waiting, loader.new_students = loader.new_students, []
    for start in range(0, len(waiting), BATCH):
        batch = waiting[start : start + BATCH]
        written = people.students_history_load.nested(
            items=[(details, [a for _, a, _ in new]) for _, details, new in batch], by=loader.by
        )
        for (sid, _details, new), loaded in zip(batch, written, strict=True):
            loader.result.counts["students_created"] += 1
            _kept(loader, school, sid, new, loaded)


def _kept(
    loader: "Loader",
    school: School,
    sid: str,
    new: list[tuple[str, people.AdmissionIn, list[str]]],
    loaded: people.Loaded,
) -> None:
    loader.keep(Kind.STUDENT, sid, loaded.student.pk, school_id=None)
    loader.touched.add(sid)  # written from this bundle's row: no second look
    for (role_sid, _, enrolment_sids), written_admission, written in zip(
        new, loaded.admissions, loaded.enrolments, strict=True
    ):
        loader.result.counts["admissions_created"] += 1
        loader.keep(Kind.ADMISSION, role_sid, written_admission.pk, school_id=school.pk)
        for enrolment_sid, enrolment in zip(enrolment_sids, written, strict=True):
            loader.keep(Kind.ENROLMENT, enrolment_sid, enrolment.pk, school_id=school.pk)


def _update(
    loader: "Loader",
    school: School,
    admission: Admission,
    end: dt.date | None,
    rows: list[tuple[Section, Row, dt.date]],
) -> None:
    """An admission already here: new enrolments are moves; an end strikes it off."""
    for section, row, day in rows:
        sid = _get(row, "sourcedId")
        if loader.known(Kind.ENROLMENT, sid) or admission.left_on is not None:
            continue
        moved = people.student_move.nested(
            student=admission.student, section=section, on=day, by=loader.by
        )
        loader.result.counts["enrolments_moved"] += 1
        loader.keep(Kind.ENROLMENT, sid, moved.pk, school_id=school.pk)
    if end is not None and admission.left_on is None:
        people.student_strike_off.nested(
            student=admission.student, school=school, last_day=end, reason=LEFT, by=loader.by
        )
        loader.result.counts["admissions_ended"] += 1
