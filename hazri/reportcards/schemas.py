"""The shapes of the report cards' API."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from hazri.common.api import Id, QueryId, Text
from hazri.reportcards.models import ReportCard
from hazri.reportcards.services import REMARK_MAX


class ReportCardTermQuery(Schema):
    term: QueryId | None = Field(None, description="A term of the section's year; none: the year")


class ReportCardIssueIn(Schema):
    term: Id | None = Field(None, description="A term of the section's year; none: the year")


class ReportCardRemarkIn(Schema):
    student: Id
    term: Id | None = None
    text: Text = Field(max_length=REMARK_MAX)


class ReportCardRankIn(Schema):
    show_rank: bool


class ReportCardSubjectOut(Schema):
    code: str
    subject: str
    subject_local: str
    value: str
    points: str
    terms: list[str]


class ReportCardMonthOut(Schema):
    month: str
    held: int
    attended: int


class ReportCardFactsOut(Schema):
    student_id: int
    student: str
    student_local: str
    admission_no: str
    state_id: str
    school: str
    school_local: str
    school_code: str
    section: str
    year: str
    period: str
    term: str
    starts_on: str
    ends_on: str
    term_names: list[str]
    subjects: list[ReportCardSubjectOut]
    held: int
    attended: int
    percent: str
    months: list[ReportCardMonthOut]
    remarks: list[str]
    teacher_remark: str
    result: str
    result_percentage: str
    rank: int | None
    of: int | None


class ReportCardOut(Schema):
    id: int
    student: int
    section: int
    term: int | None
    period: str
    version: int
    is_current: bool
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    credential: int | None
    qr_text: str
    facts: ReportCardFactsOut


class ReportCardsOut(Schema):
    section: int
    term: int | None
    period: str
    cards: list[ReportCardOut]


class ReportCardRemarkOut(Schema):
    id: int
    student: int
    term: int | None
    text: str
    version: int


class ReportCardRankOut(Schema):
    unit: int
    show_rank: bool


def card_out(card: ReportCard) -> dict[str, Any]:
    return {
        "id": card.pk,
        "student": card.student_id,
        "section": card.section_id,
        "term": card.term_id,
        "period": card.period,
        "version": card.version,
        "is_current": card.is_current,
        "issued_at": card.issued_at,
        "revoked_at": card.revoked_at,
        "credential": card.credential_id,
        "qr_text": card.credential.qr if card.credential else "",
        "facts": card.facts,
    }
