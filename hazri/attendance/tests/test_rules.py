"""The pure attendance rules, tested without a database."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from hazri.attendance import rules
from hazri.attendance.rules import RuleViolation, Timing

IST = ZoneInfo("Asia/Kolkata")
DAY = dt.date(2026, 11, 18)
WINDOW = rules.Window(
    start=dt.time(10, 30), on_time_minutes=60, cutoff=dt.time(17, 0), opens_before_minutes=30
)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=IST)


NOW_EVENING = at(19, 0)


# --- marks ------------------------------------------------------------------------------


def test_pack_orders_marks_by_roster_whatever_order_they_arrive_in() -> None:
    assert rules.pack_marks([7, 3, 9], [(9, "A"), (7, "P"), (3, "L")]) == "PLA"


def test_pack_takes_the_roll_in_roll_order_as_it_is() -> None:
    assert rules.pack_marks([7, 3, 9], [(7, "P"), (3, "D"), (9, "A")]) == "PDA"
    assert rules.pack_marks([7, 3, 9], iter([(7, "L"), (3, "P"), (9, "P")])) == "LPP"
    assert rules.pack_marks([], []) == ""


@pytest.mark.parametrize("code", ["X", "p", "", "PA", " ", "-"])
def test_pack_refuses_anything_but_the_four_codes(code: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        rules.pack_marks([1, 2], [(1, "P"), (2, code)])
    assert caught.value.field == "marks[1].code"
    assert caught.value.code == "bad_code"


def test_pack_refuses_a_student_off_the_roll() -> None:
    with pytest.raises(RuleViolation) as caught:
        rules.pack_marks([1, 2], [(1, "P"), (2, "P"), (5, "A")])
    assert caught.value.field == "marks[2].student"
    assert "5 is not on this day's roll" in caught.value.message


def test_pack_refuses_a_student_marked_twice() -> None:
    with pytest.raises(RuleViolation) as caught:
        rules.pack_marks([1, 2], [(1, "P"), (2, "A"), (1, "A")])
    assert caught.value.code == "duplicate"
    assert caught.value.field == "marks[2].student"


def test_pack_refuses_a_blank_and_names_who_is_missing() -> None:
    with pytest.raises(RuleViolation) as caught:
        rules.pack_marks([1, 2, 3], [(2, "P")])
    assert caught.value.code == "missing"
    assert "1, 3" in caught.value.message


def test_pack_lists_at_most_ten_missing_students() -> None:
    with pytest.raises(RuleViolation) as caught:
        rules.pack_marks(list(range(1, 31)), [])
    assert "and 20 more" in caught.value.message


@pytest.mark.parametrize("marks", ["".join(p) for p in itertools.product("PALD", repeat=3)])
def test_counts_add_up_and_duty_counts_as_present(marks: str) -> None:
    counts = rules.count_marks(marks)
    assert counts.held == 3
    assert counts.attended == marks.count("P") + marks.count("D")
    assert (counts.present, counts.absent, counts.leave, counts.duty) == tuple(
        marks.count(c) for c in "PALD"
    )


def test_unpack_is_the_inverse_of_pack() -> None:
    roster = [4, 8, 15, 16]
    marks = [(16, "D"), (4, "A"), (15, "P"), (8, "L")]
    assert sorted(rules.unpack_marks(roster, rules.pack_marks(roster, marks))) == sorted(marks)


def test_one_member_mark_is_read_by_position_on_the_roster() -> None:
    roster = [4, 8, 15, 16]
    packed = rules.pack_marks(roster, [(4, "A"), (8, "L"), (15, "P"), (16, "D")])
    assert [rules.mark_of(roster, packed, member) for member in roster] == list("ALPD")
    assert rules.mark_of(roster, packed, 23) is None


def test_unpack_refuses_marks_that_do_not_fit_the_roster() -> None:
    with pytest.raises(ValueError):
        list(rules.unpack_marks([4, 8, 15], "PA"))


@pytest.mark.parametrize(("first", "second"), [("PPA", "LD"), ("", "PALD"), ("DDD", ""), ("", "")])
def test_counts_of_two_strings_add_up_to_the_counts_of_both(first: str, second: str) -> None:
    both = rules.count_marks(first) + rules.count_marks(second)
    assert both == rules.count_marks(first + second)
    assert both.percent == (
        round(100 * both.attended / len(first + second), 1) if first + second else None
    )
    assert {"P", "D"} == rules.ATTENDED_CODES


# --- time window ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("captured", "expected"),
    [
        (at(0, 0), Timing.EARLY),
        (at(7, 16), Timing.EARLY),  # the field trial's roll call, three hours early
        (at(9, 59), Timing.EARLY),
        (at(10, 0), Timing.ON_TIME),  # exactly 30 minutes before the bell: open
        (at(10, 30), Timing.ON_TIME),
        (at(11, 30), Timing.ON_TIME),  # exactly start + 60 min
        (at(11, 31), Timing.LATE),
        (at(16, 59), Timing.LATE),
        (at(17, 0), Timing.AFTER_CUTOFF),  # the cutoff itself is closed
        (at(18, 30), Timing.AFTER_CUTOFF),
    ],
)
def test_timing_is_judged_by_capture_time(captured: dt.datetime, expected: Timing) -> None:
    assert (
        rules.judge_timing(day=DAY, captured=captured, now=NOW_EVENING, window=WINDOW) == expected
    )


def test_marks_taken_on_a_later_day_are_after_the_cutoff() -> None:
    next_morning = at(9, 0, DAY + dt.timedelta(days=1))
    timing = rules.judge_timing(day=DAY, captured=next_morning, now=next_morning, window=WINDOW)
    assert timing == Timing.AFTER_CUTOFF


def test_offline_marks_taken_in_time_stay_on_time_when_they_arrive_late() -> None:
    two_days_later = at(20, 0, DAY + dt.timedelta(days=2))
    assert (
        rules.judge_timing(day=DAY, captured=at(10, 40), now=two_days_later, window=WINDOW)
        == Timing.ON_TIME
    )


def test_a_future_day_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        rules.judge_timing(
            day=DAY + dt.timedelta(days=1), captured=at(10, 0), now=at(10, 5), window=WINDOW
        )
    assert caught.value.field == "day" and caught.value.code == "future_day"


def test_a_capture_time_in_the_future_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        rules.judge_timing(day=DAY, captured=at(12, 0), now=at(11, 0), window=WINDOW)
    assert caught.value.code == "capture_in_future"


def test_a_little_clock_drift_is_tolerated() -> None:
    assert (
        rules.judge_timing(day=DAY, captured=at(11, 3), now=at(11, 0), window=WINDOW)
        == Timing.ON_TIME
    )


def test_marks_taken_before_the_day_are_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        rules.judge_timing(
            day=DAY, captured=at(16, 0, DAY - dt.timedelta(days=1)), now=at(11, 0), window=WINDOW
        )
    assert caught.value.code == "captured_before_day"


def test_timing_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        rules.judge_timing(
            day=DAY, captured=dt.datetime(2026, 11, 18, 10), now=NOW_EVENING, window=WINDOW
        )


def test_timing_uses_the_school_time_zone_not_utc() -> None:
    # 04:50 UTC is 10:20 in India: on time there, though it is "yesterday" nowhere.
    captured = dt.datetime(2026, 11, 18, 4, 50, tzinfo=dt.UTC).astimezone(IST)
    assert (
        rules.judge_timing(day=DAY, captured=captured, now=NOW_EVENING, window=WINDOW)
        == Timing.ON_TIME
    )


def test_skew_correction_moves_capture_by_the_device_error() -> None:
    server = at(19, 0)
    device = server - dt.timedelta(hours=3)  # device clock three hours slow
    captured, skew = rules.corrected_capture(at(7, 40), device_clock=device, server_clock=server)
    assert skew == dt.timedelta(hours=3)
    assert captured == at(10, 40)


def test_without_a_device_clock_there_is_no_correction() -> None:
    assert rules.corrected_capture(at(10, 0), device_clock=None, server_clock=at(19, 0)) == (
        at(10, 0),
        dt.timedelta(0),
    )


def test_the_forenoon_starts_with_the_school() -> None:
    assert rules.meeting_start(start=dt.time(10, 30), afternoon_start=dt.time(14), meeting=1) == (
        dt.time(10, 30)
    )


def test_the_afternoon_starts_after_the_interval() -> None:
    assert rules.meeting_start(start=dt.time(10, 30), afternoon_start=dt.time(14), meeting=2) == (
        dt.time(14)
    )
    # Without a set afternoon start: four hours after the school's start.
    assert rules.meeting_start(start=dt.time(10, 30), afternoon_start=None, meeting=2) == (
        dt.time(14, 30)
    )
    assert rules.meeting_start(start=dt.time(21, 0), afternoon_start=None, meeting=2) == (
        dt.time(23, 59)
    )


def _minutes(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


@pytest.mark.parametrize("opens_before", [0, 1, 30, 90, 11 * 60])
@pytest.mark.parametrize("start", [dt.time(7, 0), dt.time(10, 30), dt.time(16, 50)])
def test_every_minute_of_the_day_is_judged_by_one_rule(start: dt.time, opens_before: int) -> None:
    """Each minute of a day against the rule written out plainly: early before the
    window opens, on time until start + on_time_minutes, late until the cutoff, then
    closed; never early after the cutoff, never on time before the window opens."""
    window = rules.Window(
        start=start, on_time_minutes=60, cutoff=dt.time(17, 0), opens_before_minutes=opens_before
    )
    opens = _minutes(start) - opens_before
    next_day = at(9, 0, DAY + dt.timedelta(days=1))
    seen = set()
    for minute in range(24 * 60):
        captured = at(minute // 60, minute % 60)
        judged = rules.judge_timing(day=DAY, captured=captured, now=next_day, window=window)
        if minute >= 17 * 60:
            expected = Timing.AFTER_CUTOFF
        elif minute < opens:
            expected = Timing.EARLY
        elif minute <= _minutes(start) + 60:
            expected = Timing.ON_TIME
        else:
            expected = Timing.LATE
        assert judged == expected, (start, opens_before, captured)
        seen.add(judged)
    assert Timing.ON_TIME in seen and Timing.AFTER_CUTOFF in seen
    assert (Timing.EARLY in seen) == (opens > 0)


def test_an_early_roll_call_taken_offline_stays_early_when_it_arrives() -> None:
    two_days_later = at(20, 0, DAY + dt.timedelta(days=2))
    assert (
        rules.judge_timing(day=DAY, captured=at(7, 16), now=two_days_later, window=WINDOW)
        == Timing.EARLY
    )


def test_the_afternoon_roll_taken_in_the_forenoon_is_early() -> None:
    afternoon = rules.Window(
        start=rules.meeting_start(start=dt.time(10, 30), afternoon_start=dt.time(14), meeting=2),
        on_time_minutes=60,
        cutoff=dt.time(17, 0),
        opens_before_minutes=30,
    )
    assert rules.judge_timing(day=DAY, captured=at(11, 0), now=NOW_EVENING, window=afternoon) == (
        Timing.EARLY
    )
    assert rules.judge_timing(day=DAY, captured=at(13, 30), now=NOW_EVENING, window=afternoon) == (
        Timing.ON_TIME
    )


@pytest.mark.parametrize(
    ("start", "opens_before", "opens"),
    [
        (dt.time(10, 30), 30, dt.time(10, 0)),
        (dt.time(10, 30), 0, dt.time(10, 30)),
        (dt.time(0, 20), 30, dt.time(0, 0)),  # reaches back past midnight: open all day
        (dt.time(7, 0), 7 * 60, dt.time(0, 0)),
    ],
)
def test_the_window_opens_before_the_start(
    start: dt.time, opens_before: int, opens: dt.time
) -> None:
    window = rules.Window(
        start=start, on_time_minutes=60, cutoff=dt.time(17, 0), opens_before_minutes=opens_before
    )
    assert rules.window_opens(window) == opens
