"""Which days' figures may be asked for: the pages' and the API's one rule."""

import datetime as dt

from hazri.common.errors import Invalid

MAX_RANGE = dt.timedelta(days=366)


def asked_day(day: dt.date, today: dt.date, field: str) -> dt.date:
    """A day asked for its figures: a later one than today has none yet, and gets a
    4xx that says so rather than an empty page."""
    if day > today:
        raise Invalid(
            f"{day} is after today ({today}): there are no figures for it yet.",
            field=field,
            code="future_day",
        )
    return day


def asked_range(start: dt.date, end: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """A range asked for its figures: a year at most, starting today or before; a range
    that runs on past today ends today (this month's figures so far)."""
    start = asked_day(start, today, "start")
    if end < start:
        raise Invalid("The end is before the start.", field="end", code="bad_range")
    end = min(end, today)
    if end - start > MAX_RANGE:
        raise Invalid("Ask for a year at most.", field="start", code="too_long")
    return start, end
