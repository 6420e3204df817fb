"""Rows the benchmarks write in bulk, built one way (import after Django is set up)."""

import datetime as dt
import uuid
from typing import Any


def rollcall_row(
    *, section: Any, roster: Any, day: dt.date, marks: str, by: Any, captured: dt.datetime
) -> Any:
    """A first, current, on-time roll call of one meeting, as a device would have sent
    it at `captured` ("P"/"A" marks in roster order)."""
    from hazri.attendance.models import RollCall

    return RollCall(
        school_id=section.school_id,
        section=section,
        day=day,
        meeting=1,
        version=1,
        is_current=True,
        client_uuid=uuid.uuid4(),
        roster=roster,
        marks=marks,
        present=marks.count("P"),
        absent=marks.count("A"),
        leave=0,
        duty=0,
        device_captured_at=captured,
        captured_at=captured,
        received_at=captured,
        updated_at=captured,
        taken_by=by,
        timing="on_time",
    )
