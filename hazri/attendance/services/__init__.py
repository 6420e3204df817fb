"""Writes of attendance: roll calls of sections and of staff, never overwriting.

Every submission carries a client-generated UUID: sending it again is a no-op
that returns what was stored. A second submission for the same section, day and
meeting becomes a new version; the one captured last is current, and the others
stay readable in its history (SPEC §3.7).

The reads and writes of a student roll call are plain SQL (hazri.common.sql): a
device's submit runs about fifteen statements, and building each with the ORM cost
more Python than the database spent on it. The staff roll call keeps the ORM.

- common: the capture, the answer, timing and sync rules, rosters;
- checks: the rules of a student roll call and the reads they need;
- rollcalls: storing one or a batch of student roll calls;
- staff: the staff roll call;
- corrections: approving or rejecting a change to a certified month.
"""

from hazri.attendance.models import MarkSheet
from hazri.attendance.services.common import (
    SYNC_MARGIN,
    UNCLOCKED_CAPTURE_LIMIT,
    Capture,
    RollCallItem,
    Submitted,
    roster_for,
    rosters_for,
)
from hazri.attendance.services.corrections import correction_decide
from hazri.attendance.services.rollcalls import rollcall_submit, rollcalls_submit
from hazri.attendance.services.staff import staff_rollcall_submit

__all__ = [
    "SYNC_MARGIN",
    "UNCLOCKED_CAPTURE_LIMIT",
    "Capture",
    "MarkSheet",
    "RollCallItem",
    "Submitted",
    "correction_decide",
    "roster_for",
    "rosters_for",
    "rollcall_submit",
    "rollcalls_submit",
    "staff_rollcall_submit",
]
