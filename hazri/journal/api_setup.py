"""The journal's set-up over the API: a school's subjects, grading scheme, terms and
bell schedule; a section's week timetable, the day's changes and who teaches it.
The head and the school administrator write; the staff and officers read."""

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator

from hazri.common.api import Day, ErrorOut, Id, PathId, Text, request_user
from hazri.journal.models import Change, Period, Term
from hazri.journal.selectors import setup as selectors
from hazri.journal.services import setup as services
from hazri.journal.services import setup_timetable as timetables
from hazri.org import selectors as org

router = Router(tags=["journal set-up"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
_HHMM = re.compile(r"[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?")


def _written_time(value: Any) -> Any:
    if isinstance(value, dt.time) or (isinstance(value, str) and _HHMM.fullmatch(value)):
        return value
    raise ValueError("must be a time written HH:MM, as 08:40")


Clock = Annotated[
    dt.time,
    BeforeValidator(_written_time),
    Field(json_schema_extra={"pattern": "^[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$", "maxLength": 8}),
]


# --- Shapes ----------------------------------------------------------------------------


class SubjectIn(Schema):
    code: Text = Field(max_length=20, description="Short and unique in the school: MATH")
    name: Text = Field(max_length=120)
    name_local: Text = Field("", max_length=120)


class RenameIn(Schema):
    name: Text = Field(max_length=120)
    name_local: Text = Field("", max_length=120)


class SubjectOut(Schema):
    id: int
    code: str
    name: str
    name_local: str


class KindSchema(Schema):
    code: Text = Field(max_length=20)
    name: Text = Field(max_length=60)
    name_local: Text = Field("", max_length=60)
    weight: float = Field(1, gt=0, le=99.99, description="Up to two decimals")


class SchemeIn(Schema):
    scale: Literal["5-point", "10-point", "percent", "cbse-letters"]
    kinds: list[KindSchema] = Field(min_length=1, max_length=20)


class SchemeOut(Schema):
    scale: str
    own: bool = Field(description="The school's own scheme, not its state's")
    kinds: list[KindSchema]


class TermIn(Schema):
    name: Text = Field(max_length=40)
    starts_on: Day
    ends_on: Day


class TermOut(Schema):
    id: int
    name: str
    academic_year: int
    starts_on: dt.date
    ends_on: dt.date
    closed_at: dt.datetime | None


class PeriodSchema(Schema):
    number: int = Field(ge=1, le=services.MAX_PERIODS)
    starts_at: Clock
    ends_at: Clock


class PeriodsIn(Schema):
    periods: list[PeriodSchema] = Field(max_length=services.MAX_PERIODS)


class SetupOut(Schema):
    school: int
    subjects: list[SubjectOut]
    scheme: SchemeOut | None
    terms: list[TermOut]
    periods: list[PeriodSchema]


class SlotSchema(Schema):
    weekday: int = Field(ge=1, le=7, description="1 Monday … 7 Sunday")
    period: int = Field(ge=1, le=services.MAX_PERIODS)
    subject: Id
    teacher: Id | None = None


class WeekIn(Schema):
    starts_on: Day = Field(description="The old week ends the day before; the new one starts")
    slots: list[SlotSchema] = Field(max_length=7 * services.MAX_PERIODS)


class TimetableLessonOut(Schema):
    period: int
    starts_at: dt.time | None
    ends_at: dt.time | None
    subject: int
    subject_name: str
    teacher: int | None
    teacher_name: str
    change: str
    cancelled: bool
    note: str


class TimetableDayOut(Schema):
    day: dt.date
    kind: str = Field(description="school_day, weekly_off, holiday or national")
    lessons: list[TimetableLessonOut]


class ChangeIn(Schema):
    day: Day
    period: int = Field(ge=1, le=services.MAX_PERIODS)
    kind: Literal["substitute", "cancelled", "moved", "extra"]
    subject: Id | None = None
    teacher: Id | None = Field(None, description="The substitute, or the extra lesson's teacher")
    to_day: Day | None = None
    to_period: int | None = Field(None, ge=1, le=services.MAX_PERIODS)
    note: Text = Field("", max_length=timetables.MAX_NOTE)


class TimetableChangeOut(Schema):
    id: int
    day: dt.date
    period: int
    kind: str
    subject: int | None
    teacher: int | None
    to_day: dt.date | None
    to_period: int | None
    note: str
    made_at: dt.datetime
    withdrawn_at: dt.datetime | None


class WeekOut(Schema):
    section: int
    monday: dt.date
    days: list[TimetableDayOut]
    slots: list[SlotSchema] = Field(description="The week's timetable in force on its Monday")
    changes: list[TimetableChangeOut]


class AssignmentIn(Schema):
    staff: Id
    subject: Id | None = Field(None, description="None: the section's class teacher")
    starts_on: Day
    ends_on: Day | None = None


class AssignmentOut(Schema):
    id: int
    staff: int
    section: int
    subject: int | None
    starts_on: dt.date
    ends_on: dt.date | None


class EndIn(Schema):
    ends_on: Day = Field(description="The last day")


class WeekQuery(Schema):
    week: Day | None = Field(None, description="Any day of the week; this week without one")


# --- Presenters ------------------------------------------------------------------------


def _term(term: Term) -> dict[str, Any]:
    return {
        "id": term.pk,
        "name": term.name,
        "academic_year": term.academic_year_id,
        "starts_on": term.starts_on,
        "ends_on": term.ends_on,
        "closed_at": term.closed_at,
    }


def _period(p: Period) -> dict[str, Any]:
    return {"number": p.number, "starts_at": p.starts_at, "ends_at": p.ends_at}


def _change(c: Change) -> dict[str, Any]:
    fields = ["day", "period", "kind", "to_day", "to_period", "note", "made_at", "withdrawn_at"]
    return {
        "id": c.pk,
        "subject": c.subject_id,
        "teacher": c.teacher_id,
        **{name: getattr(c, name) for name in fields},
    }


def _setup(school_id: int, user: Any) -> dict[str, Any]:
    setup = selectors.school_setup(selectors.school_for_setup(user, school_id))
    grading = setup.grading
    return {
        "school": setup.school.pk,
        "subjects": setup.subjects,
        "scheme": {
            "scale": grading.scheme.scale,
            "own": setup.own_scheme,
            "kinds": [
                {"code": k.code, "name": k.name, "name_local": k.name_local, "weight": k.weight}
                for k in grading.kinds.values()
            ],
        }
        if grading
        else None,
        "terms": [_term(t) for t in setup.terms],
        "periods": [_period(p) for p in setup.periods],
    }


def _week(user: Any, section_id: int, day: dt.date | None) -> dict[str, Any]:
    section = selectors.section_for_setup(user, section_id)
    week = selectors.section_week(section, day or org.school_today(section.school))
    return {
        "section": section.pk,
        "monday": week.monday,
        "days": [
            {
                "day": d,
                "kind": week.statuses[d].kind.value,
                "lessons": [
                    {
                        "period": x.period,
                        "starts_at": x.starts_at,
                        "ends_at": x.ends_at,
                        "subject": x.subject_id,
                        "subject_name": getattr(week.subjects.get(x.subject_id), "name", ""),
                        "teacher": x.teacher_id,
                        "teacher_name": getattr(week.staff.get(x.teacher_id or 0), "name", ""),
                        "change": x.change,
                        "cancelled": x.cancelled,
                        "note": x.note,
                    }
                    for x in week.lessons[d]
                ],
            }
            for d in week.days
        ],
        "slots": [
            {
                "weekday": s.weekday,
                "period": s.period,
                "subject": s.subject_id,
                "teacher": s.teacher_id,
            }
            for s in week.slots
        ],
        "changes": [_change(c) for c in week.changes],
    }


# --- A school's set-up -----------------------------------------------------------------


@router.get(
    "/schools/{school_id}/journal-setup",
    response={200: SetupOut, **ERRORS},
    summary="A school's subjects, grading scheme, terms and bell schedule",
)
def get_setup(request: HttpRequest, school_id: PathId) -> dict[str, Any]:
    return _setup(school_id, request.user)


@router.post(
    "/schools/{school_id}/subjects",
    response={201: SubjectOut, **ERRORS},
    summary="Add a subject to the school",
)
def post_subject(request: HttpRequest, school_id: PathId, payload: SubjectIn) -> Status[Any]:
    school = selectors.school_for_setup(request.user, school_id, write=True)
    subject = services.subject_create(
        school=school,
        code=payload.code,
        name=payload.name,
        name_local=payload.name_local,
        by=request_user(request),
    )
    return Status(201, subject)


@router.put(
    "/subjects/{subject_id}", response={200: SubjectOut, **ERRORS}, summary="Rename a subject"
)
def put_subject(request: HttpRequest, subject_id: PathId, payload: RenameIn) -> Any:
    subject = selectors.subject_for_setup(request.user, subject_id)
    return services.subject_rename(
        subject=subject, name=payload.name, name_local=payload.name_local, by=request_user(request)
    )


@router.put(
    "/schools/{school_id}/grading-scheme",
    response={200: SetupOut, **ERRORS},
    summary="Set the school's own scale and kinds of work with their weights",
)
def put_scheme(request: HttpRequest, school_id: PathId, payload: SchemeIn) -> dict[str, Any]:
    school = selectors.school_for_setup(request.user, school_id, write=True)
    services.scheme_set(
        school=school,
        scale=payload.scale,
        kinds=[
            services.KindIn(
                code=kind.code,
                name=kind.name,
                name_local=kind.name_local,
                weight=Decimal(str(kind.weight)),
            )
            for kind in payload.kinds
        ],
        by=request_user(request),
    )
    return _setup(school_id, request.user)


@router.post(
    "/schools/{school_id}/terms",
    response={201: TermOut, **ERRORS},
    summary="Add a term within the academic year (terms may not overlap)",
)
def post_term(request: HttpRequest, school_id: PathId, payload: TermIn) -> Status[Any]:
    school = selectors.school_for_setup(request.user, school_id, write=True)
    term = services.term_create(
        school=school,
        name=payload.name,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        by=request_user(request),
    )
    return Status(201, _term(term))


@router.post(
    "/terms/{term_id}/close",
    response={200: TermOut, **ERRORS},
    summary="Close a term (the head; a closed term is never reopened)",
)
def post_term_close(request: HttpRequest, term_id: PathId) -> dict[str, Any]:
    term = selectors.term_for_setup(request.user, term_id)
    return _term(services.term_close(term=term, by=request_user(request)))


@router.put(
    "/schools/{school_id}/periods",
    response={200: SetupOut, **ERRORS},
    summary="Replace the bell schedule (periods may not overlap)",
)
def put_periods(request: HttpRequest, school_id: PathId, payload: PeriodsIn) -> dict[str, Any]:
    school = selectors.school_for_setup(request.user, school_id, write=True)
    services.periods_set(
        school=school,
        periods=[services.PeriodIn(**p.model_dump()) for p in payload.periods],
        by=request_user(request),
    )
    return _setup(school_id, request.user)


# --- A section's week ------------------------------------------------------------------


@router.get(
    "/sections/{section_id}/timetable",
    response={200: WeekOut, **ERRORS},
    summary="A section's week timetable, with the day's changes applied",
)
def get_week(request: HttpRequest, section_id: PathId, query: Query[WeekQuery]) -> dict[str, Any]:
    return _week(request.user, section_id, query.week)


@router.put(
    "/sections/{section_id}/timetable",
    response={200: WeekOut, **ERRORS},
    summary="Set the section's week from a date (the old week ends the day before)",
)
def put_week(request: HttpRequest, section_id: PathId, payload: WeekIn) -> dict[str, Any]:
    section = selectors.section_for_setup(request.user, section_id, write=True)
    timetables.week_set(
        section=section,
        starts_on=payload.starts_on,
        slots=[timetables.SlotIn(**s.model_dump()) for s in payload.slots],
        by=request_user(request),
    )
    return _week(request.user, section_id, payload.starts_on)


@router.post(
    "/sections/{section_id}/timetable-changes",
    response={201: TimetableChangeOut, **ERRORS},
    summary="Change one day's timetable: a substitute, a cancelled, moved or extra lesson",
)
def post_change(request: HttpRequest, section_id: PathId, payload: ChangeIn) -> Status[Any]:
    section = selectors.section_for_setup(request.user, section_id, write=True)
    change = timetables.change_add(
        section=section, by=request_user(request), **payload.model_dump()
    )
    return Status(201, _change(change))


@router.post(
    "/timetable-changes/{change_id}/withdraw",
    response={200: TimetableChangeOut, **ERRORS},
    summary="Withdraw a change to a day's timetable",
)
def post_change_withdraw(request: HttpRequest, change_id: PathId) -> dict[str, Any]:
    change = selectors.change_for_setup(request.user, change_id)
    return _change(timetables.change_withdraw(change=change, by=request_user(request)))


@router.post(
    "/sections/{section_id}/teaching-assignments",
    response={201: AssignmentOut, **ERRORS},
    summary="Assign a class teacher (no subject) or a subject teacher to the section",
)
def post_assignment(request: HttpRequest, section_id: PathId, payload: AssignmentIn) -> Status[Any]:
    section = selectors.section_for_setup(request.user, section_id, write=True)
    assignment = timetables.teacher_assign(
        section=section, by=request_user(request), **payload.model_dump()
    )
    return Status(201, _assignment(assignment))


@router.post(
    "/teaching-assignments/{assignment_id}/end",
    response={200: AssignmentOut, **ERRORS},
    summary="End a teaching assignment",
)
def post_assignment_end(request: HttpRequest, assignment_id: PathId, payload: EndIn) -> Any:
    assignment = selectors.assignment_for_setup(request.user, assignment_id)
    ended = timetables.teacher_unassign(
        assignment=assignment, ends_on=payload.ends_on, by=request_user(request)
    )
    return _assignment(ended)


def _assignment(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "staff": a.staff_id,
        "section": a.section_id,
        "subject": a.subject_id,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
    }
