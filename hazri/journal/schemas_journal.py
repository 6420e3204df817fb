"""The journal API's request and response shapes, and the rows as they are answered."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from hazri.common.api import Day, Id, QueryId, Text
from hazri.journal.models import Grade, Homework, Lesson, Remark, TermGrade


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


class RemarkReviewIn(Schema):
    release: bool = Field(description="true: the family sees it; false: withdrawn")
    note: Text = Field("", max_length=500)


class TermQuery(Schema):
    term: QueryId | None = None


class JournalDayQuery(Schema):
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


class KindOut(Schema):
    id: int
    code: str
    name: str
    name_local: str
    weight: Decimal


class ScaleOut(Schema):
    name: str = Field(description="The scheme's scale: 5-point, 10-point, percent, cbse-letters")
    kind: Literal["points", "percent", "letters"]
    values: list[str] = Field(description="Every grade it has, best first; [] for a percentage")


class TodayOut(Schema):
    section: int
    section_label: str
    school: int
    day: dt.date
    subject: int
    subject_name: str
    period: int
    starts_at: dt.time | None
    ends_at: dt.time | None
    topic: str
    homework: bool
    kinds: list[KindOut] = Field(
        description="The school's kinds of work, the weightiest first (the offline app grades with them)"
    )
    scale: ScaleOut | None = Field(description="The school's grading scale; None: no scheme set")


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


class SubjectSheetOut(Schema):
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


def grading_out(grading: Any) -> dict[str, Any]:
    """The kinds of work and the scale of a school's scheme (scheme.Grading, or None)."""
    if grading is None:
        return {"kinds": [], "scale": None}
    kinds = sorted(grading.kinds.values(), key=lambda k: (-k.weight, k.code))
    return {
        "kinds": [
            {k: getattr(kind, k) for k in ("id", "code", "name", "name_local", "weight")}
            for kind in kinds
        ],
        "scale": {
            "name": grading.scheme.scale,
            "kind": grading.scale.kind.value,
            "values": list(grading.scale.values()),
        },
    }


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
