"""The generated district's days and shares (no Django): bench/dashboard_data.py."""

import datetime as dt
import random

HOLIDAY_RATE = 0.06  # of the days that are not Sundays


def split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` into `parts` near-equal positive shares, ±15 %."""
    weights = [rng.uniform(0.85, 1.15) for _ in range(parts)]
    shares = [max(1, int(total * w / sum(weights))) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    while sum(shares) > total:
        shares[shares.index(max(shares))] -= 1
    return shares


def calendar(today: dt.date, school_days: int, rng: random.Random) -> tuple[list, set, list]:
    """Days from the first to the last, the school days among them, and the holidays.
    The last day is the latest Monday-to-Saturday up to today, and always a school day."""
    end = today
    while end.isoweekday() == 7:
        end -= dt.timedelta(days=1)
    days: list[dt.date] = []
    open_days: set[dt.date] = set()
    holidays: list[dt.date] = []
    day = end
    while len(open_days) < school_days:
        days.append(day)
        if day.isoweekday() == 7:
            pass
        elif day != end and rng.random() < HOLIDAY_RATE:
            holidays.append(day)
        else:
            open_days.add(day)
        day -= dt.timedelta(days=1)
    return days[::-1], open_days, holidays
