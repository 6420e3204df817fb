"""The pull half of the offline protocol (docs/sync.md); the push half is
POST /rollcalls/batch in hazri.attendance.api."""

import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from hazri.attendance.schemas import RollCallOut, StaffRollCallOut
from hazri.common.api import DeviceClock, ErrorOut, Text, UnavailableOut, request_user
from hazri.common.jsonio import answer
from hazri.sync.services import sync_pull

router = Router(tags=["sync"])


class PullQuery(Schema):
    token: Text = Field("", max_length=64, description="The token of the last pull, if any")
    state: Text = Field("", max_length=64, description="SHA-256 of what the device holds")
    device_clock: DeviceClock | None = None


class SchoolOut(Schema):
    id: int
    name: str
    name_local: str
    timezone: str
    start_time: str
    afternoon_start: str | None
    role: str | None
    meetings_per_day: int
    on_time_minutes: int
    opens_before_minutes: int = Field(
        description="A meeting's roll call opens this long before the meeting starts; "
        "marks taken before that are kept, judged 'early'"
    )
    cutoff: str
    today: dt.date


class SyncDayOut(Schema):
    school: int
    day: dt.date
    kind: Literal["school_day", "weekly_off", "holiday", "national"]
    name: str
    name_local: str


class SectionOut(Schema):
    id: int
    school: int
    grade: int
    name: str


class StaffPostingOut(Schema):
    id: int
    school: int
    name: str
    name_local: str
    role: str
    employee_code: str
    starts_on: dt.date
    ends_on: dt.date | None


class SyncStudentOut(Schema):
    id: int
    name: str
    name_local: str
    gender: str


class EnrolmentOut(Schema):
    id: int
    student: int
    section: int
    admission_no: str
    admitted_on: dt.date
    origin: Literal["repeater", "promoted", "new"]
    roll_no: int | None
    starts_on: dt.date
    ends_on: dt.date | None


class PullOut(Schema):
    token: str
    full: bool = Field(description="Replace students and enrolments instead of upserting")
    server_time: dt.datetime
    state_hash: str
    schools: list[SchoolOut]
    days: list[SyncDayOut]
    sections: list[SectionOut]
    staff: list[StaffPostingOut]
    students: list[SyncStudentOut]
    enrolments: list[EnrolmentOut]
    rollcalls: list[RollCallOut]
    staff_rollcalls: list[StaffRollCallOut]
    accepts_gzip_bodies: bool = Field(
        False,
        description="The server reads request bodies sent with Content-Encoding: gzip; "
        "the app compresses its batch pushes only when this is true",
    )


@router.get(
    "/sync/pull",
    response={200: PullOut, 401: ErrorOut, 422: ErrorOut, 503: UnavailableOut},
    summary="Download what a device needs offline (full or changes since a token)",
)
def pull(request: HttpRequest, query: Query[PullQuery]) -> HttpResponse:
    # Sent as built (jsonio.answer): the service builds it to PullOut exactly, and
    # checking it against the schema took a tenth of a delta pull's time.
    data = sync_pull(
        user=request_user(request),
        device=getattr(request, "device", None),
        token=query.token,
        state=query.state,
        device_clock=query.device_clock,
    )
    data["accepts_gzip_bodies"] = bool(getattr(settings, "HAZRI_ACCEPTS_GZIP_BODIES", False))
    return answer(data)
