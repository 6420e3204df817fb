"""Roll calls as the API shows them (also what devices get when they sync)."""

import datetime as dt
from typing import Any

from hazri.accounts.names import person_name
from hazri.attendance import rules
from hazri.attendance.models import RollCall, StaffRollCall

# A device clock off by more than this is flagged on the roll calls it sends.
CLOCK_SUSPECT_SECONDS = 300


def replaced_by_out(shown: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any] | None:
    """Who replaced a version and when (both as presented), if another version is current
    instead: a device that sent it shows so. None for the current version, one waiting
    for (or refused) approval, which nothing replaced, or when no version is current."""
    if shown["is_current"] or current is None or shown["approval"] not in ("", "approved"):
        return None
    return {
        "version": current["version"],
        "taken_by_name": current["taken_by_name"],
        "captured_at": current["captured_at"],
    }


def current_version_out(current: Any) -> dict[str, Any]:
    """The version that counts (attendance.selectors.CurrentVersion), as much of it as
    replaced_by_out tells."""
    return {
        "version": current.version,
        "taken_by_name": person_name(current.taken_by),
        "captured_at": current.captured_at.astimezone(dt.UTC),
    }


def counts_out(sheet: Any) -> dict[str, int]:
    return {
        "present": sheet.present,
        "absent": sheet.absent,
        "leave": sheet.leave,
        "duty": sheet.duty,
        "attended": sheet.attended,
    }


def _sheet(sheet: Any, member_key: str, marks: bool) -> dict[str, Any]:
    out = {
        "id": sheet.pk,
        "client_uuid": sheet.client_uuid,
        "school": sheet.school_id,
        "day": sheet.day,
        "version": sheet.version,
        "is_current": sheet.is_current,
        "counts": counts_out(sheet),
        "captured_at": sheet.captured_at.astimezone(dt.UTC),
        "device_captured_at": sheet.device_captured_at.astimezone(dt.UTC),
        "clock_skew_seconds": sheet.clock_skew_seconds,
        "received_at": sheet.received_at.astimezone(dt.UTC),
        "taken_by": sheet.taken_by.username,
        "taken_by_name": person_name(sheet.taken_by),
        "clock_suspect": abs(sheet.clock_skew_seconds) > CLOCK_SUSPECT_SECONDS,
        "timing": sheet.timing,
        "note": sheet.note,
        "approval": sheet.approval,
        "decision_note": sheet.decision_note,
    }
    if marks:
        out["marks"] = [
            {member_key: member, "code": code}
            for member, code in rules.unpack_marks(sheet.roster.members, sheet.marks)
        ]
    return out


def rollcall_out(rollcall: RollCall, *, marks: bool = True) -> dict[str, Any]:
    """A roll call as the API shows it; `marks=False` leaves out the marks (RollCallBriefOut)."""
    return {
        **_sheet(rollcall, "student", marks),
        "section": rollcall.section_id,
        "meeting": rollcall.meeting,
    }


def staff_rollcall_out(sheet: StaffRollCall, *, marks: bool = True) -> dict[str, Any]:
    return _sheet(sheet, "staff", marks)
