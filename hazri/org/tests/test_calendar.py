"""The pure calendar rules, tested without a database."""

import datetime as dt

from hazri.org.calendar import CalendarMark, DayKind, DayStatus, day_status

DAY = dt.date(2026, 11, 18)


def test_a_weekly_off_is_not_a_school_day() -> None:
    sunday = dt.date(2026, 11, 15)
    status = day_status(sunday, weekly_offs={7}, marks=[])
    assert status.kind == DayKind.WEEKLY_OFF and not status.is_school_day


def test_an_ordinary_weekday_is_a_school_day() -> None:
    assert day_status(DAY, weekly_offs={7}, marks=[]).is_school_day


def test_a_holiday_closes_the_school() -> None:
    marks = [CalendarMark(DAY, "holiday", "Diwali", 0)]
    status = day_status(DAY, weekly_offs={7}, marks=marks)
    assert status == DayStatus(DayKind.HOLIDAY, "Diwali")


def test_national_days_are_school_days_even_on_a_sunday() -> None:
    # 15 August 2027 is a Sunday: the school still meets and takes attendance.
    day = dt.date(2027, 8, 15)
    marks = [CalendarMark(day, "national", "Independence Day", 0)]
    status = day_status(day, weekly_offs={7}, marks=marks)
    assert status.kind == DayKind.NATIONAL_DAY and status.is_school_day


def test_a_more_specific_entry_wins() -> None:
    state_holiday = CalendarMark(DAY, "holiday", "State holiday", 0)
    school_working = CalendarMark(DAY, "working", "Make-up day", 5)
    assert day_status(DAY, weekly_offs=set(), marks=[state_holiday, school_working]).is_school_day
    block_holiday = CalendarMark(DAY, "holiday", "Block fair", 2)
    state_working = CalendarMark(DAY, "working", "Working Saturday", 0)
    assert not day_status(
        DAY, weekly_offs=set(), marks=[state_working, block_holiday]
    ).is_school_day


def test_entries_for_other_days_are_ignored() -> None:
    other = CalendarMark(DAY + dt.timedelta(days=1), "holiday", "Tomorrow", 0)
    assert day_status(DAY, weekly_offs=set(), marks=[other]).is_school_day
