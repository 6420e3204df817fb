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
    reason: Text = Field(
        "",
        max_length=500,
        description="Why: shown to the school and kept with the decision (say it on a refusal)",
    )


class ApprovalQuery(Schema):
    school: QueryId | None = None
    kind: Literal["certified_month", "late_entry"] | None = None
    page: int = Field(1, ge=1, le=100_000)


class MarkChangeOut(Schema):
    student: int
    name: str
    name_local: str
    before: str = Field(description="The mark that counts now; empty where there is none")
    after: str


class ApprovalOut(Schema):
    rollcall: int
    kind: Literal["certified_month", "late_entry"] = Field(
        description="certified_month: an officer decides; late_entry: the head or an officer"
    )
    school: int
    school_name: str
    section: int
    section_label: str
    day: dt.date
    meeting: int
    taken_by: str = Field(description="The name of who entered the change")
    captured_at: dt.datetime
    received_at: dt.datetime
    note: str = Field(description="Their reason")
    changes: list[MarkChangeOut]
    first_entry: bool = Field(description="Nothing counts for this meeting yet")


class ApprovalsOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ApprovalOut]


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
    """Meetings, as the register counts them: a school that meets twice a day holds two
    meetings a day. `days_absent` counts days."""

    held: int = Field(description="Meetings held")
    present: int = Field(description="Meetings present")
    duty: int = Field(description="Meetings on duty (counted as present)")
    absent: int = Field(description="Meetings absent")
    leave: int = Field(description="Meetings on leave")
    attended: int = Field(description="Meetings attended (present or on duty)")
    percent: float | None = Field(description="Meetings attended of those held")
    days_absent: int = Field(description="Days with an absence in at least one meeting")


class MonthTallyOut(TallyOut):
    month: dt.date


class StatementOut(Schema):
    student: int
    name: str
    start: dt.date
    end: dt.date
    total: TallyOut
    months: list[MonthTallyOut]
    absent_days: list[dt.date] = Field(
        description="The days with an absence in at least one meeting (total.days_absent of them)"
    )


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
    # Required to change a result already recorded (a new version; the old one stays).
    reason: Text = Field("", max_length=300)


class ExamResultOut(Schema):
    student: int
    section: int
    result: str
    percentage: Decimal | None
    remarks: str
    version: int
    reason: str
