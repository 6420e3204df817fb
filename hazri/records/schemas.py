"""The records API's shapes (names unique across hazri: common/tests/test_openapi.py)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from hazri.common.api import Day, Id, Text


class RecordSchoolOut(Schema):
    school: int
    school_name: str
    admission_no: str
    admitted_on: dt.date
    left_on: dt.date | None
    leaving_reason: str


class RecordEnrolmentOut(Schema):
    school: int
    section: int
    label: str
    origin: str
    starts_on: dt.date
    ends_on: dt.date | None


class RecordMonthOut(Schema):
    month: dt.date
    held: int
    attended: int
    absent: int
    leave: int
    percent: float | None


class RecordResultOut(Schema):
    section: int
    result: str
    percentage: Decimal | None
    remarks: str
    version: int
    current: bool
    reason: str
    recorded_at: dt.datetime


class RecordGradeOut(Schema):
    subject: str
    value: str


class RecordSessionOut(Schema):
    name: str
    starts_on: dt.date
    ends_on: dt.date
    enrolments: list[RecordEnrolmentOut]
    held: int
    attended: int
    percent: float | None
    months: list[RecordMonthOut]
    results: list[RecordResultOut]
    final_grades: list[RecordGradeOut]


class TransferCertificateOut(Schema):
    id: int
    number: str
    school: int
    school_name: str
    student: int
    student_name: str
    date_of_birth: dt.date | None
    admission_no: str
    admitted_on: dt.date
    left_on: dt.date
    last_class: str
    session: str
    result: str
    qualified_for_promotion: str
    meetings_held: int
    meetings_attended: int
    conduct: str
    reason: str
    dues_cleared: bool
    remarks: str
    issued_on: dt.date
    status: str
    cancel_reason: str
    credential: int | None  # the signed document (hazri.credentials)


class RecordDocumentOut(Schema):
    id: int
    kind: str
    name: str
    school: int
    issued_at: dt.datetime
    revoked: bool


class RecordOut(Schema):
    student: int
    name: str
    name_local: str
    date_of_birth: dt.date | None
    schools: list[RecordSchoolOut]
    sessions: list[RecordSessionOut]
    transfer_certificates: list[TransferCertificateOut]
    documents: list[RecordDocumentOut]


class YearEndChildOut(Schema):
    student: int
    name: str
    admission_no: str
    result: str
    placement: str


class YearEndSectionOut(Schema):
    id: int
    label: str
    session: str


class YearEndOut(Schema):
    section: int
    last_day: dt.date
    children: list[YearEndChildOut]
    to: YearEndSectionOut | None
    repeat_in: YearEndSectionOut | None
    sections_next_class: list[YearEndSectionOut]
    sections_same_class: list[YearEndSectionOut]
    missing_results: list[int]
    already_promoted: bool


class YearEndIn(Schema):
    to: Id | None = None
    repeat_in: Id | None = None


class YearEndPlacedOut(Schema):
    student: int
    section: int
    origin: str


class YearEndDoneOut(Schema):
    placed: list[YearEndPlacedOut]


class TransferCertificateIn(Schema):
    left_on: Day
    reason: Text = Field(..., max_length=200)
    conduct: Text = Field(..., max_length=100)
    dues_cleared: bool
    remarks: Text = Field("", max_length=300)


class TransferCertificateCancelIn(Schema):
    reason: Text = Field(..., max_length=300)


class AdmitFromCertificateIn(Schema):
    # The TC's number, typed, or the text read from its QR.
    number: Text = Field(..., max_length=1000)
    section: Id
    admission_no: Text = Field(..., max_length=20)
    admitted_on: Day


class AdmittedFromCertificateOut(Schema):
    student: int
    admission: int
    enrolment: int
    section: int


class CertificateNumberQuery(Schema):
    # The TC's number, typed, or the text read from its QR.
    number: Text = Field(..., min_length=1, max_length=1000)
