"""The support rules as pure functions: the level after this one, a level's deadline,
what is overdue, and how long a raiser may reopen a resolved ticket."""

import datetime as dt

from hazri.support.models import LEVELS, Level

# A raiser may reopen a resolved ticket for this many days (then it stays resolved,
# and is closed by the raiser, a handler or the scheduled task).
REOPEN_DAYS = 7
# Units whose officers handle a ticket at the office level, nearest to the school first.
OFFICE_KINDS = ("block", "district")


def next_level(level: str, *, has_office: bool) -> Level | None:
    """The level a ticket climbs to from this one (None: headquarters is the last).
    A school with no block or district office that has officers goes to the state."""
    at = LEVELS.index(Level(level))
    if at == len(LEVELS) - 1:
        return None
    following = LEVELS[at + 1]
    if following == Level.OFFICE and not has_office:
        return Level.STATE
    return following


def deadline(since: dt.datetime, hours: int) -> dt.datetime:
    return since + dt.timedelta(hours=hours)


def is_overdue(due_at: dt.datetime, now: dt.datetime) -> bool:
    return now >= due_at


def may_reopen(resolved_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Within REOPEN_DAYS of being resolved."""
    return resolved_at is not None and now - resolved_at <= dt.timedelta(days=REOPEN_DAYS)


def reopen_window_passed(resolved_at: dt.datetime | None, now: dt.datetime) -> bool:
    """A resolved ticket the raiser can no longer reopen: the task closes it."""
    return resolved_at is not None and not may_reopen(resolved_at, now)
