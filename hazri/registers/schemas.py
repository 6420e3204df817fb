"""The register API's shapes."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from hazri.common.api import Day, Id, QueryId, Text
from hazri.common.tables import TableFormat

MONTH = Field(
    pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", max_length=7, description="YYYY-MM", examples=["2026-10"]
)


class MonthQuery(Schema):
    month: str = MONTH


class CellOut(Schema):
    kind: Literal[
        "attended", "duty", "absent", "leave", "not_marked", "not_on_roll", "closed", "future"
    ]
    text: str
    changes: list["ChangeOut"] = []


class ChangeOut(Schema):
    code: str
    by: str
    at: dt.datetime
    note: str
    after_certification: bool


class ColumnOut(Schema):
    day: dt.date
    meeting: int
    open: bool
    day_kind: str
    day_name: str


class RowOut(Schema):
    student: int
    name: str
    name_local: str
    admission_no: str
    roll_no: int | None
    cells: list[CellOut]
    month_attended: int
    month_held: int
    carried_attended: int
    carried_held: int
    total_attended: int
    total_held: int
    percent: float | None


class TotalOut(Schema):
    present: int
    absent: int
    leave: int
    marked: bool


class CertificationOut(Schema):
    month: dt.date
    certified_by: str
    certified_at: dt.datetime
    checked_by: str
    note: str


class RegisterOut(Schema):
    school: int
    section: int
    month: dt.date
    meetings_per_day: int
    columns: list[ColumnOut]
    rows: list[RowOut]
    totals: list[TotalOut]
    meetings_held: int
    average_per_meeting: float | None
    on_roll_at_end: int
    certification: CertificationOut | None
    pending_changes: list[int] = Field(description="Roll call ids waiting for approval")


class CertifyIn(Schema):
    month: str = MONTH
    checked_by: Text = Field(max_length=200)
    note: Text = Field("", max_length=500)


class DecisionIn(Schema):
    approve: bool


class SummaryQuery(Schema):
    month: str = MONTH
    school: QueryId | None = None
    unit: QueryId | None = None
    format: TableFormat = "json"


class SummaryRowOut(Schema):
    school_code: str
    school_name: str
    grade: int
    section: str
    enrolled: int
    girls: int
    boys: int
    working_days: int
    days_marked: int
    attendance_days: Decimal
    average_attendance: Decimal
    percent: Decimal | None


class StatementQuery(Schema):
    start: Day
    end: Day


class TallyOut(Schema):
    held: int
    present: int
    duty: int
    absent: int
    leave: int
    attended: int
    percent: float | None


class MonthTallyOut(TallyOut):
    month: dt.date


class StatementOut(Schema):
    student: int
    name: str
    start: dt.date
    end: dt.date
    total: TallyOut
    months: list[MonthTallyOut]
    absent_days: list[dt.date]


class FeeIn(Schema):
    school: Id
    description: Text = Field(max_length=100, min_length=1)
    amount: Decimal = Field(max_digits=9, decimal_places=2)
    receipt_no: Text = Field("", max_length=30)
    paid_on: Day | None = None
    concession_reason: Text = Field("", max_length=300)


class FeeOut(Schema):
    id: int
    school: int
    description: str
    amount: Decimal
    receipt_no: str
    paid_on: dt.date | None
    concession_reason: str


class ExamResultIn(Schema):
    result: Literal["passed", "supplementary", "failed", "absent"]
    percentage: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    remarks: Text = Field("", max_length=300)


class ExamResultOut(Schema):
    student: int
    section: int
    result: str
    percentage: Decimal | None
    remarks: str
