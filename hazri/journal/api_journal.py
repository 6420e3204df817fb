"""The teacher's journal in the JSON API: the day's lessons, a lesson's topic and
homework (with files), grades and their versions, term grades, remarks and their
review, a subject's sheet and the class teacher's view. Every write carries a
client_uuid: the same one again answers the stored row (200), never a second one."""

import base64
import binascii
import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from hazri.accounts.access import today_in
from hazri.common.api import Day, ErrorOut, Id, PathId, QueryId, Text, request_user
from hazri.common.errors import Invalid, NotFound
from hazri.journal.models import Grade, Homework, Lesson, Remark, TermGrade
from hazri.journal.selectors import journal
from hazri.journal.services import grades as grading
from hazri.journal.services import lessons, remarks
from hazri.org import selectors as org
from hazri.people.models import Student

router = Router(tags=["journal"])
Period = Annotated[int, Path(ge=1, le=20)]
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 413, 422), ErrorOut)


# --- Shapes ---------------------------------------------------------------------------------


class FileIn(Schema):
    name: Text = Field(max_length=200)
    data: Text = Field(max_length=7_000_000, description="The file, base64 (at most 5 MB)")


class LessonIn(Schema):
    client_uuid: uuid.UUID
    section: Id
    day: Day
    period: int = Field(ge=1, le=20)
    topic: Text = Field(max_length=300)


class HomeworkIn(Schema):
    client_uuid: uuid.UUID
    section: Id
    day: Day
    period: int = Field(ge=1, le=20)
    text: Text = Field(max_length=2000)
    due_on: Day
    attachments: list[FileIn] = Field([], max_length=10)
    drop_attachments: list[Id] = Field(
        [], max_length=10, description="Files of the old homework to leave out"
    )


class GradeIn(Schema):
    client_uuid: uuid.UUID = Field(description="Also the grade's work id: its versions keep it")
    section: Id
    subject: Id
    student: Id
    kind: Id
    day: Day
    period: int | None = Field(None, ge=1, le=20)
    value: Text = Field(max_length=10)
    comment: Text = Field("", max_length=500)


class GradeVersionIn(Schema):
    client_uuid: uuid.UUID
    value: Text | None = Field(None, max_length=10)
    kind: Id | None = None
    comment: Text | None = Field(None, max_length=500)
    reason: Text = Field(max_length=500)
    withdraw: bool = False


class TermGradeIn(Schema):
    section: Id
    subject: Id
    student: Id
    term: Id | None = Field(None, description="None: the year's final grade")
    value: Text = Field(max_length=10)
    reason: Text = Field(
        "", max_length=500, description="Required where it differs from the computed grade"
    )


class RemarkIn(Schema):
    client_uuid: uuid.UUID
    section: Id
    subject: Id
    student: Id
    day: Day
    kind: Literal["praise", "concern"]
    text: Text = Field(max_length=1000)
    hold: bool = Field(False, description="A concern held for the class teacher's review")


class ReviewIn(Schema):
    release: bool = Field(description="true: the family sees it; false: withdrawn")
    note: Text = Field("", max_length=500)


class TermQuery(Schema):
    term: QueryId | None = None


class DayQuery(Schema):
    day: Day | None = None


class LessonOut(Schema):
    id: int
    section: int
    subject: int
    day: dt.date
    period: int
    topic: str
    version: int
    client_uuid: uuid.UUID


class AttachmentOut(Schema):
    id: int
    name: str
    media_type: str
    size: int


class HomeworkOut(Schema):
    id: int
    section: int
    subject: int
    day: dt.date
    period: int
    text: str
    due_on: dt.date
    client_uuid: uuid.UUID
    attachments: list[AttachmentOut]


class GradeOut(Schema):
    id: int
    work: uuid.UUID
    version: int
    is_current: bool
    section: int
    subject: int
    student: int
    term: int
    kind: int
    day: dt.date
    period: int | None
    value: str
    points: Decimal
    comment: str
    reason: str
    withdrawn: bool
    given_at: dt.datetime


class TermGradeOut(Schema):
    id: int
    section: int
    subject: int
    student: int
    term: int | None
    computed: str
    value: str
    version: int
    reason: str


class RemarkOut(Schema):
    id: int
    section: int
    subject: int | None
    student: int
    day: dt.date
    kind: str
    text: str
    status: str
    review_note: str


class TodayOut(Schema):
    section: int
    section_label: str
    subject: int
    subject_name: str
    period: int
    starts_at: dt.time | None
    ends_at: dt.time | None
    topic: str
    homework: bool


class LessonPageOut(Schema):
    section: int
    subject: int
    day: dt.date
    period: int
    lesson: LessonOut | None
    homework: HomeworkOut | None
    students: list[int]
    grades: list[GradeOut]
    remarks: list[RemarkOut]
    may_write: bool


class SheetRowOut(Schema):
    student: int
    name: str
    grades: list[GradeOut]
    average: Decimal | None
    computed: str | None
    confirmed: TermGradeOut | None


class SheetOut(Schema):
    section: int
    subject: int
    term: int
    scale: str
    rows: list[SheetRowOut]


class ClassSubjectOut(Schema):
    subject: int
    average: Decimal | None
    computed: str | None
    confirmed: str


class ClassRowOut(Schema):
    student: int
    name: str
    subjects: list[ClassSubjectOut]
    absent: int


class ClassOut(Schema):
    section: int
    term: int
    rows: list[ClassRowOut]
    held: list[RemarkOut]


def lesson_out(row: Lesson) -> dict[str, Any]:
    return {
        "id": row.pk,
        "section": row.section_id,
        "subject": row.subject_id,
        "day": row.day,
        "period": row.period,
        "topic": row.topic,
        "version": row.version,
        "client_uuid": row.client_uuid,
    }


def homework_out(row: Homework, files: list[Any] | None = None) -> dict[str, Any]:
    if files is None:
        files = list(row.attachments.defer("data").order_by("pk"))
    return {
        "id": row.pk,
        "section": row.section_id,
        "subject": row.subject_id,
        "day": row.day,
        "period": row.period,
        "text": row.text,
        "due_on": row.due_on,
        "client_uuid": row.client_uuid,
        "attachments": [
            {"id": f.pk, "name": f.name, "media_type": f.media_type, "size": f.size} for f in files
        ],
    }


def grade_out(row: Grade) -> dict[str, Any]:
    return {
        **{k: getattr(row, k) for k in ("work", "version", "is_current", "day", "period", "value")},
        **{k: getattr(row, k) for k in ("points", "comment", "reason", "withdrawn", "given_at")},
        "id": row.pk,
        "section": row.section_id,
        "subject": row.subject_id,
        "student": row.student_id,
        "term": row.term_id,
        "kind": row.kind_id,
    }


def term_grade_out(row: TermGrade) -> dict[str, Any]:
    return {
        "id": row.pk,
        "section": row.section_id,
        "subject": row.subject_id,
        "student": row.student_id,
        "term": row.term_id,
        "computed": row.computed,
        "value": row.value,
        "version": row.version,
        "reason": row.reason,
    }


def remark_out(row: Remark) -> dict[str, Any]:
    return {
        **{k: getattr(row, k) for k in ("day", "kind", "text", "status", "review_note")},
        "id": row.pk,
        "section": row.section_id,
        "subject": row.subject_id,
        "student": row.student_id,
    }


def _answer(row: Any, created: bool, out: Any) -> Status[dict[str, Any]]:
    return Status(201 if created else 200, out(row))


def _files(items: list[FileIn]) -> list[lessons.Upload]:
    uploads = []
    for n, item in enumerate(items):
        try:
            data = base64.b64decode(item.data, validate=True)
        except (binascii.Error, ValueError):
            raise Invalid(
                "This is not base64.", field=f"attachments[{n}].data", code="bad_base64"
            ) from None
        uploads.append(lessons.Upload(item.name, data))
    return uploads


# --- Reads ------------------------------------------------------------------------------------


@router.get(
    "/journal/today",
    response={200: list[TodayOut], **ERRORS},
    summary="A teacher's lessons of a day",
)
def get_today(request: HttpRequest, query: Query[DayQuery]) -> list[dict[str, Any]]:
    user = request_user(request)
    day = query.day or today_in(settings.TIME_ZONE)
    return [
        {
            "section": t.section.pk,
            "section_label": t.section.label,
            "subject": t.subject.pk,
            "subject_name": t.subject.name,
            "period": t.lesson.period,
            "starts_at": t.lesson.starts_at,
            "ends_at": t.lesson.ends_at,
            "topic": t.topic,
            "homework": t.homework,
        }
        for t in journal.teacher_day(user, day)
    ]


@router.get(
    "/journal/sections/{section_id}/lessons/{day}/{period}",
    response={200: LessonPageOut, **ERRORS},
    summary="A lesson: topic, homework, grades and remarks",
)
def get_lesson(
    request: HttpRequest, section_id: PathId, day: Day, period: Period
) -> dict[str, Any]:
    view = journal.lesson_view(request.user, section_id, day, period)
    return {
        "section": view.section.pk,
        "subject": view.subject.pk,
        "day": day,
        "period": period,
        "lesson": lesson_out(view.lesson) if view.lesson else None,
        "homework": homework_out(view.homework, view.attachments) if view.homework else None,
        "students": [m.id for m in view.roll],
        "grades": [grade_out(g) for rows in view.grades.values() for g in rows],
        "remarks": [remark_out(r) for rows in view.remarks.values() for r in rows],
        "may_write": view.may_write,
    }


@router.get(
    "/journal/sections/{section_id}/subjects/{subject_id}/sheet",
    response={200: SheetOut, **ERRORS},
    summary="A subject's sheet for a term: grades, averages, computed and confirmed term grades",
)
def get_sheet(
    request: HttpRequest, section_id: PathId, subject_id: PathId, query: Query[TermQuery]
) -> dict[str, Any]:
    sheet = journal.subject_sheet(request.user, section_id, subject_id, query.term)
    return {
        "section": sheet.section.pk,
        "subject": sheet.subject.pk,
        "term": sheet.term.pk,
        "scale": sheet.scale.kind.value,
        "rows": [
            {
                "student": r.student.id,
                "name": r.student.name,
                "grades": [grade_out(g) for g in r.grades],
                "average": r.average,
                "computed": r.computed,
                "confirmed": term_grade_out(r.confirmed) if r.confirmed else None,
            }
            for r in sheet.rows
        ],
    }


@router.get(
    "/journal/sections/{section_id}/class",
    response={200: ClassOut, **ERRORS},
    summary="The class teacher's view: every subject's average and term grade, absences, held concerns",
)
def get_class(request: HttpRequest, section_id: PathId, query: Query[TermQuery]) -> dict[str, Any]:
    view = journal.class_view(request.user, section_id, query.term)
    return {
        "section": view.section.pk,
        "term": view.term.pk,
        "rows": [
            {
                "student": r.student.id,
                "name": r.student.name,
                "absent": r.absent,
                "subjects": [
                    {
                        "subject": c.subject.pk,
                        "average": c.average,
                        "computed": c.computed,
                        "confirmed": c.confirmed,
                    }
                    for c in r.cells
                ],
            }
            for r in view.rows
        ],
        "held": [remark_out(r) for r in view.concerns],
    }


@router.get(
    "/journal/grades/{work}",
    response={200: list[GradeOut], **ERRORS},
    summary="A grade's versions, oldest first",
)
def get_grade(request: HttpRequest, work: uuid.UUID) -> list[dict[str, Any]]:
    return [grade_out(g) for g in journal.grade_versions(journal.grade_by_work(request.user, work))]


# --- Writes -----------------------------------------------------------------------------------


@router.post(
    "/journal/lessons",
    response={200: LessonOut, 201: LessonOut, **ERRORS},
    summary="Record a lesson's topic",
)
def post_lesson(request: HttpRequest, payload: LessonIn) -> Status[dict[str, Any]]:
    section = journal.section_of(request.user, payload.section)
    row, created = lessons.lesson_record(
        section=section,
        day=payload.day,
        period=payload.period,
        topic=payload.topic,
        client_uuid=payload.client_uuid,
        by=request_user(request),
    )
    return _answer(row, created, lesson_out)


@router.post(
    "/journal/homework",
    response={200: HomeworkOut, 201: HomeworkOut, **ERRORS},
    summary="Set a lesson's homework (replacing what was set), with files: PDF, JPEG, PNG, WebP, text",
)
def post_homework(request: HttpRequest, payload: HomeworkIn) -> Status[dict[str, Any]]:
    section = journal.section_of(request.user, payload.section)
    row, created = lessons.homework_set(
        section=section,
        day=payload.day,
        period=payload.period,
        text=payload.text,
        due_on=payload.due_on,
        uploads=_files(payload.attachments),
        drop=set(payload.drop_attachments),
        client_uuid=payload.client_uuid,
        by=request_user(request),
    )
    return _answer(row, created, homework_out)


@router.post(
    "/journal/grades", response={200: GradeOut, 201: GradeOut, **ERRORS}, summary="Give a grade"
)
def post_grade(request: HttpRequest, payload: GradeIn) -> Status[dict[str, Any]]:
    section = journal.section_of(request.user, payload.section)
    row, created = grading.grade_give(
        section=section,
        subject=journal.subject_of(section, payload.subject),
        student_id=payload.student,
        kind_id=payload.kind,
        day=payload.day,
        period=payload.period,
        value=payload.value,
        comment=payload.comment,
        client_uuid=payload.client_uuid,
        by=request_user(request),
    )
    return _answer(row, created, grade_out)


@router.post(
    "/journal/grades/{work}/versions",
    response={200: GradeOut, 201: GradeOut, **ERRORS},
    summary="Change or withdraw a grade: a new version, with the reason",
)
def post_grade_version(
    request: HttpRequest, work: uuid.UUID, payload: GradeVersionIn
) -> Status[dict[str, Any]]:
    current = journal.grade_by_work(request.user, work)
    row, created = grading.grade_change(
        current=current,
        value=payload.value,
        kind_id=payload.kind,
        comment=payload.comment,
        reason=payload.reason,
        withdraw=payload.withdraw,
        client_uuid=payload.client_uuid,
        by=request_user(request),
    )
    return _answer(row, created, grade_out)


@router.post(
    "/journal/term-grades",
    response={200: TermGradeOut, 201: TermGradeOut, **ERRORS},
    summary="Confirm a term (or the year's) grade; another value than the computed one needs a reason",
)
def post_term_grade(request: HttpRequest, payload: TermGradeIn) -> Status[dict[str, Any]]:
    section = journal.section_of(request.user, payload.section)
    term = (
        journal.term_of(section, payload.term, org.school_today(section.school))
        if payload.term
        else None
    )
    student = Student.objects.filter(pk=payload.student).first()
    if student is None:
        raise NotFound(f"No student {payload.student} in this section.", field="student")
    row, created = grading.term_grade_confirm(
        section=section,
        subject=journal.subject_of(section, payload.subject),
        student=student,
        term=term,
        value=payload.value,
        reason=payload.reason,
        by=request_user(request),
    )
    return _answer(row, created, term_grade_out)


@router.post(
    "/journal/remarks",
    response={200: RemarkOut, 201: RemarkOut, **ERRORS},
    summary="Write a remark",
)
def post_remark(request: HttpRequest, payload: RemarkIn) -> Status[dict[str, Any]]:
    section = journal.section_of(request.user, payload.section)
    row, created = remarks.remark_write(
        section=section,
        subject=journal.subject_of(section, payload.subject),
        student_id=payload.student,
        day=payload.day,
        kind=payload.kind,
        text=payload.text,
        hold=payload.hold,
        client_uuid=payload.client_uuid,
        by=request_user(request),
    )
    return _answer(row, created, remark_out)


@router.post(
    "/journal/remarks/{remark_id}/review",
    response={200: RemarkOut, **ERRORS},
    summary="Release a held concern to the family, or withdraw it (the class teacher)",
)
def post_review(request: HttpRequest, remark_id: PathId, payload: ReviewIn) -> dict[str, Any]:
    remark = journal.remark_of(request.user, remark_id)
    row, _changed = remarks.remark_review(
        remark=remark, release=payload.release, note=payload.note, by=request_user(request)
    )
    return remark_out(row)
