"""Attendance rules as pure functions: no database, no clock, no settings.

Everything the rules need is passed in, so each rule can be tested exhaustively
and every caller (API, page, offline sync, import) judges the same way.
"""

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from hazri.common import figures

PRESENT, ABSENT, LEAVE, DUTY = "P", "A", "L", "D"
MARK_CODES = (PRESENT, ABSENT, LEAVE, DUTY)
_CODE_SET = frozenset(MARK_CODES)


class RuleViolation(Exception):
    """Input that the rules refuse; `field` names the part of the input at fault."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code


# --- Marks -----------------------------------------------------------------------------
#
# The packed format: one letter per roll member, in the order of the roster the marks
# were taken against ("PPAPL" for a roster of five). Only these functions read or write
# it: `pack_marks` builds it, `unpack_marks` and `mark_of` read it, `count_marks` and
# `Counts` tally it.

# The marks that count as attended: D (scouting, NCC, sports) counts as present.
ATTENDED_CODES = frozenset((PRESENT, DUTY))


@dataclass(frozen=True)
class Counts:
    """How many of each mark: a roll call's, or a student's over many meetings (add
    them with +)."""

    present: int = 0
    absent: int = 0
    leave: int = 0
    duty: int = 0

    @property
    def attended(self) -> int:
        """Counted as present: D (scouting, NCC, sports) counts as present."""
        return self.present + self.duty

    @property
    def held(self) -> int:
        """Marks counted: the students marked in a roll call, or the meetings a student
        was marked in."""
        return self.present + self.absent + self.leave + self.duty

    @property
    def percent(self) -> float | None:
        """Attended of held, to one decimal by the one rounding rule; None when nothing
        was held."""
        return figures.percent(self.attended, self.held)

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            present=self.present + other.present,
            absent=self.absent + other.absent,
            leave=self.leave + other.leave,
            duty=self.duty + other.duty,
        )


def count_marks(marks: str) -> Counts:
    """Tally packed marks (or any string of codes, such as one student's over a month)."""
    return Counts(
        present=marks.count(PRESENT),
        absent=marks.count(ABSENT),
        leave=marks.count(LEAVE),
        duty=marks.count(DUTY),
    )


def pack_marks(
    roster: Sequence[int],
    marks: Iterable[tuple[int, str]],
    *,
    member_field: str = "student",
    names: Mapping[int, str] | None = None,
    ids_field: str | None = None,
) -> str:
    """One letter per roster member, in roster order; refuses anything but a full, clean roll.

    `marks` is a sequence of (member id, code) pairs rather than a mapping so that
    a member sent twice is reported instead of silently collapsed. An error names the
    mark as sent: `marks[3].student`, or `students[3]` when the marks came compact
    (`ids_field` names the list of ids).
    """
    marks = marks if isinstance(marks, Sequence) else list(marks)
    if len(marks) == len(roster):
        # What a device sends nearly always: the whole roll in roll order, clean.
        members, codes = zip(*marks, strict=True) if marks else ((), ())
        if list(members) == list(roster) and _CODE_SET.issuperset(codes):
            return "".join(codes)
    names = names or {}

    def who(member: int) -> str:
        return f"{names[member]} ({member})" if member in names else str(member)

    position = {member: index for index, member in enumerate(roster)}
    packed: list[str | None] = [None] * len(roster)
    for index, (member, code) in enumerate(marks):
        field = f"marks[{index}]"
        member_at = f"{ids_field}[{index}]" if ids_field else f"{field}.{member_field}"
        if code not in MARK_CODES:
            raise RuleViolation(
                f"codes[{index}]" if ids_field else f"{field}.code",
                f"'{code}' is not a mark; use one of P, A, L, D.",
                "bad_code",
            )
        slot = position.get(member)
        if slot is None:
            raise RuleViolation(member_at, f"{member} is not on this day's roll.", "not_on_roll")
        if packed[slot] is not None:
            raise RuleViolation(member_at, f"{who(member)} is marked more than once.", "duplicate")
        packed[slot] = code
    missing = [member for member, code in zip(roster, packed, strict=True) if code is None]
    if missing:
        shown = ", ".join(who(member) for member in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise RuleViolation(
            ids_field or "marks",
            f"No mark for {shown}{more}: everyone on the roll needs one.",
            "missing",
        )
    return "".join(code for code in packed if code is not None)


def unpack_marks(roster: Sequence[int], marks: str) -> Iterator[tuple[int, str]]:
    """(member id, code) for each member of the roster, in roll order; lazily, so a
    caller that builds a dict or walks once pays nothing more than a zip."""
    return zip(roster, marks, strict=True)


def mark_of(roster: Sequence[int], marks: str, member: int) -> str | None:
    """One member's mark; None when the member was not on that roster."""
    try:
        return marks[roster.index(member)]
    except ValueError:
        return None


# --- Time window -----------------------------------------------------------------------


class Timing(enum.StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    AFTER_CUTOFF = "after_cutoff"


@dataclass(frozen=True)
class Window:
    """A meeting's window: it opens `opens_before_minutes` before `start`, is on time
    until `on_time_minutes` after it, late until `cutoff`, closed from then."""

    start: dt.time
    on_time_minutes: int
    cutoff: dt.time
    opens_before_minutes: int


# Without a set afternoon start, the afternoon meeting begins this long after the school.
DEFAULT_AFTERNOON_AFTER = dt.timedelta(hours=4)


def meeting_start(*, start: dt.time, afternoon_start: dt.time | None, meeting: int) -> dt.time:
    """When a meeting begins: the school's start for the forenoon (or the only daily
    meeting), the afternoon start (after the interval) for the second."""
    if meeting == 1:
        return start
    if afternoon_start is not None:
        return afternoon_start
    later = dt.datetime.combine(dt.date.min, start) + DEFAULT_AFTERNOON_AFTER
    return later.time() if later.date() == dt.date.min else dt.time(23, 59)


# A device clock may run a little ahead of ours even after correction for skew.
CAPTURE_FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def judge_timing(
    *, day: dt.date, captured: dt.datetime, now: dt.datetime, window: Window
) -> Timing:
    """When were the marks taken, relative to the school's window for `day`?

    `captured` and `now` are aware datetimes in the school's own time zone; the
    capture time is what counts, not when the marks reached the server.

    Marks taken before the window opens are EARLY: kept (an offline phone's roll call
    is never thrown away for its clock) but never on time, so that a roll taken at
    07:16 for a meeting at 10:30 shows as what it is. The cutoff is a time of day and
    wins over everything: a meeting that starts after the cutoff cannot be early.
    """
    if captured.tzinfo is None or now.tzinfo is None:
        raise ValueError("judge_timing needs aware datetimes")
    if day > now.date():
        raise RuleViolation("day", f"{day} is in the future.", "future_day")
    if captured > now + CAPTURE_FUTURE_TOLERANCE:
        raise RuleViolation(
            "captured_at",
            "The capture time is in the future; check the device clock.",
            "capture_in_future",
        )
    if captured.date() < day:
        raise RuleViolation(
            "captured_at",
            f"Marks for {day} cannot be taken before that day.",
            "captured_before_day",
        )
    if captured.date() > day or captured.timetz().replace(tzinfo=None) >= window.cutoff:
        return Timing.AFTER_CUTOFF
    start = dt.datetime.combine(day, window.start, tzinfo=captured.tzinfo)
    if captured < start - dt.timedelta(minutes=window.opens_before_minutes):
        return Timing.EARLY
    if captured > start + dt.timedelta(minutes=window.on_time_minutes):
        return Timing.LATE
    return Timing.ON_TIME


def window_opens(window: Window) -> dt.time:
    """The time of day from which a meeting's roll call is no longer early (00:00 when
    the window reaches back past midnight)."""
    start = dt.datetime.combine(dt.date(2000, 1, 2), window.start)
    opens = start - dt.timedelta(minutes=window.opens_before_minutes)
    return opens.time() if opens.date() == start.date() else dt.time(0, 0)


def corrected_capture(
    captured: dt.datetime, *, device_clock: dt.datetime | None, server_clock: dt.datetime
) -> tuple[dt.datetime, dt.timedelta]:
    """Shift a device's capture time by how far its clock was off when it synced.

    Returns the corrected capture time and the skew (server minus device).
    """
    if device_clock is None:
        return captured, dt.timedelta(0)
    skew = server_clock - device_clock
    return captured + skew, skew
