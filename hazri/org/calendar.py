"""Calendar rules as pure functions: is a day a school day, a weekly off or a holiday?

No database, no clock: the selectors in `hazri.org.selectors` gather the calendar
entries and weekly offs that apply to a school and let these rules decide.
"""

import datetime as dt
import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass


class DayKind(enum.StrEnum):
    SCHOOL_DAY = "school_day"
    WEEKLY_OFF = "weekly_off"
    HOLIDAY = "holiday"
    NATIONAL_DAY = "national"  # 15 August, 26 January: the school meets


@dataclass(frozen=True)
class CalendarMark:
    """A dated calendar entry; a higher `specificity` (school over block over state) wins."""

    day: dt.date
    kind: str  # "holiday" | "working" | "national"
    name: str
    specificity: int
    name_local: str = ""


@dataclass(frozen=True)
class DayStatus:
    kind: DayKind
    name: str = ""
    name_local: str = ""

    @property
    def is_school_day(self) -> bool:
        return self.kind in (DayKind.SCHOOL_DAY, DayKind.NATIONAL_DAY)


def day_status(
    day: dt.date, *, weekly_offs: Collection[int], marks: Iterable[CalendarMark]
) -> DayStatus:
    relevant = [mark for mark in marks if mark.day == day]
    if relevant:
        chosen = max(relevant, key=lambda mark: mark.specificity)
        kind = {"holiday": DayKind.HOLIDAY, "national": DayKind.NATIONAL_DAY}.get(
            chosen.kind, DayKind.SCHOOL_DAY
        )
        return DayStatus(kind, chosen.name, chosen.name_local)
    if day.isoweekday() in weekly_offs:
        return DayStatus(DayKind.WEEKLY_OFF)
    return DayStatus(DayKind.SCHOOL_DAY)
