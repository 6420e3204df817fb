import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from hazri.common.api import Day, Id, QueryId, Text
from hazri.common.tables import TableFormat
from hazri.dashboards.models import FollowUp

Format = Annotated[TableFormat, Field(description="json, csv or xlsx")]


class FiguresOut(Schema):
    schools: int
    school_days: int
    school_days_marked: int
    school_days_unmarked: int
    meetings_expected: int
    meetings_marked: int
    meetings_late: int
    meetings_corrected: int
    slots_marked: int
    attended: int
    absent: int
    leave: int
    staff_expected: int
    staff_expected_marked: int
    staff_marked_days: int
    staff_attended: int
    meals_served: int
    present_forenoon: int
    on_roll: int
    meetings_pending: int = Field(
        description="Today's roll calls not due yet (their on-time window is still open, "
        "in the school's time zone): left out of meetings_expected and compliance_pct."
    )
    school_days_pending: int = Field(
        description="Today's school days with nothing due yet and nothing marked: left "
        "out of school_days_unmarked (neither marked nor missing)."
    )
    attendance_pct: float | None
    compliance_pct: float | None
    staff_pct: float | None


class UnitRef(Schema):
    id: int
    name: str
    name_local: str
    kind: str
    parent: int | None


class AreaRowOut(Schema):
    kind: str = Field(description="unit or school: what the row drills down to")
    id: int
    name: str
    name_local: str
    figures: FiguresOut


class TrendPoint(Schema):
    day: dt.date
    attendance_pct: float | None
    compliance_pct: float | None
    staff_pct: float | None


class AreaOut(Schema):
    unit: UnitRef
    breadcrumbs: list[UnitRef]
    start: dt.date
    end: dt.date
    counted: bool = Field(
        description="Every day of the range is counted. The figures are rebuilt by a "
        "scheduled job every minute, never by a reader: false while newer marks wait for it."
    )
    counted_up_to: dt.datetime | None = Field(
        description="When not `counted`: the figures hold the marks up to this time "
        "(null when a day of the range was never counted yet)."
    )
    total: FiguresOut
    rows: list[AreaRowOut]
    trend: list[TrendPoint]


class RangeQuery(Schema):
    unit: QueryId | None = None
    start: Day | None = None
    end: Day | None = None
    format: Format = "json"


LIMIT = Field(500, ge=1, le=100_000, description="The most rows to return, most urgent first")


class ListQuery(RangeQuery):
    limit: int = LIMIT


class DashboardDayQuery(Schema):
    unit: QueryId | None = None
    day: Day | None = None
    format: Format = "json"
    limit: int = LIMIT


class ComplianceOut(Schema):
    school: int
    name: str
    status: str = Field(
        description="closed (no school day), due (nothing due yet: see due_by), "
        "not_marked (a roll call is due, none marked), partly (some of those due marked), "
        "marked (every roll call due so far marked)"
    )
    due_by: dt.time | None = Field(
        description="Today: when the school's next roll call not yet due falls due (the "
        "end of its on-time window, school time); null when none is left or on a past day"
    )
    meetings_expected: int
    meetings_due: int = Field(
        description="Of meetings_expected, those due so far (today), or all of them"
    )
    meetings_marked: int
    first_marked_at: dt.datetime | None
    staff_marked: bool
    missed_days: int
    window_days: int
    late_meetings: int
    corrected_meetings: int


class AreaComplianceOut(Schema):
    unit: int
    name: str
    name_local: str
    schools: int
    school_days: int = Field(description="Schools for which the day was a school day")
    marked_in_full: int
    marked_partly: int
    not_marked: int = Field(description="School days with a roll call due and none marked")
    not_due_yet: int = Field(
        description="Today: school days with nothing due yet and nothing marked"
    )
    meetings_expected: int
    meetings_marked: int
    meetings_late: int
    meetings_corrected: int
    compliance_pct: float | None


class LowQuery(Schema):
    unit: QueryId | None = None
    school: QueryId | None = None
    end: Day | None = None
    threshold: float | None = Field(None, ge=0, le=100)
    format: Format = "json"
    limit: int = LIMIT
    offset: int = Field(
        0,
        ge=0,
        le=100_000,
        description="Rows to skip (students only): page with offset and limit; a page "
        "shorter than the limit is the last",
    )


class LowSchoolOut(Schema):
    school: int
    name: str
    attendance_pct: float | None
    slots_marked: int
    compliance_pct: float | None


class LowStudentOut(Schema):
    student: int
    name: str
    name_local: str
    school: int
    school_name: str
    section: int | None = Field(description="The section the student is on the roll of")
    section_label: str = Field(description="Its class and section, e.g. 5 A")
    guardian_phone: str = Field(description="A guardian's phone (a parent's first); may be empty")
    held: int
    attended: int
    pct: float
    school_days: int
    days_absent: int
    absent_days_pct: float
    under_threshold: bool = Field(description="Attended less than the threshold of meetings")
    chronically_absent: bool = Field(
        description="Absent all day on the policy's chronic share of school days or more"
    )
    last_follow_up: str | None
    as_of: dt.date = Field(
        description="The window's last day: `end`, or the day of the night's list for an "
        "area of more than 60 schools"
    )


class MealGapOut(Schema):
    school: int
    name: str
    day: dt.date
    meals_served: int | None
    present_forenoon: int
    kind: str


class AdoptionOut(Schema):
    unit: int
    name: str
    schools: int
    school_days: int
    school_days_marked: int
    pct: float | None


class PhotoAdoptionOut(Schema):
    kind: str = Field(description="unit (a child unit) or school (a school of the unit itself)")
    id: int
    name: str
    schools: int
    schools_with_photos: int = Field(description="Schools with a roll call from photos")
    rollcalls: int = Field(description="Current roll calls of the days")
    from_photos: int = Field(description="Of those, made from class photos")
    photo_pct: float | None = Field(description="from_photos per 100 roll calls")
    children: int = Field(description="Children on the photo sets teachers reviewed")
    to_absent: int = Field(description="Proposed present, marked absent by the teacher")
    to_present: int = Field(description="Proposed not seen, marked present by the teacher")
    to_absent_per_100: float | None = Field(description="to_absent per 100 children reviewed")
    to_present_per_100: float | None = Field(description="to_present per 100 children reviewed")


class LearningBandOut(Schema):
    kind: str = Field(
        description="area (the asked unit as a whole), unit (a child unit) or school "
        "(a school of the unit itself)"
    )
    id: int
    name: str
    band: str = Field(description="The attendance band, as from-to % (0-60, 60-75, 75-90, 90-100)")
    attendance_from: int = Field(description="From this attendance % (inclusive)")
    attendance_to: int = Field(description="To below this % (100: up to 100 inclusive)")
    students: int = Field(description="Students with a meeting held in the period, in the band")
    students_pct: float | None = Field(description="The band's share of the row's students")
    graded: int = Field(description="Of those, students with a current grade in the period")
    average_grade: float | None = Field(
        description="The mean of the graded students' weighted average grades, on 0-100 points"
    )


class SchoolSectionOut(Schema):
    section: int
    label: str
    meetings_marked: int
    slots_marked: int
    attended: int
    absent: int
    leave: int
    attendance_pct: float | None


class SchoolDashOut(Schema):
    school: int
    name: str
    unit: int
    start: dt.date
    end: dt.date
    sections: list[SchoolSectionOut]
    trend: list[TrendPoint]


class MealIn(Schema):
    day: Day
    meals_served: int = Field(ge=0, le=5000)


def _values(values: list[str]) -> dict[str, Any]:
    return {"enum": values}


class FollowUpIn(Schema):
    school: Id
    # The values are documented here and checked by the service, which names the field.
    reason: Text = Field(max_length=12, json_schema_extra=_values(FollowUp.Reason.values))
    action: Text = Field(max_length=12, json_schema_extra=_values(FollowUp.Action.values))
    note: Text = Field("", max_length=1000)


class FollowUpOut(Schema):
    id: int
    school: int
    reason: str
    action: str
    note: str
    recorded_by: str = Field(description="The login (username) of who recorded it")
    recorded_by_name: str = Field(description="Their name, as pages show it")
    recorded_at: dt.datetime


class AreaMovementQuery(Schema):
    unit: QueryId | None = None
    year: QueryId | None = Field(
        None,
        description="An academic year run over the unit (GET …/dashboards/reporting lists "
        "it on every row); by default the one in force today",
    )
    format: Format = "json"


class AreaMovementOut(Schema):
    kind: str = Field(
        description="area (the asked unit as a whole), unit (a child unit) or school "
        "(a school of the unit itself)"
    )
    id: int
    name: str
    year: int = Field(description="The academic year counted")
    year_name: str
    applications: int = Field(description="Applications for the session held by the row's schools")
    admitted: int = Field(description="Of those, admitted")
    refused: int = Field(description="Of those, refused")
    withdrawn: int = Field(description="Of those, withdrawn by the family")
    waiting: int = Field(description="Of those, not decided yet")
    transfers_in: int = Field(
        description="Admissions in the session of students admitted earlier at another school"
    )
    transfers_out: int = Field(
        description="Admissions struck off in the session whose student was admitted later "
        "at another school"
    )
    promoted: int = Field(description="Students on a roll of the session as promoted")
    repeaters: int = Field(
        description="Students on a roll of the session as failed or supplementary"
    )
    dropouts: int = Field(
        description="Admissions struck off in the session whose student was admitted nowhere since"
    )
