"""The support rules, as pure functions."""

import datetime as dt

import pytest

from hazri.support import rules
from hazri.support.models import Level

T = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("level", "has_office", "expected"),
    [
        ("school", True, Level.OFFICE),
        ("school", False, Level.STATE),
        ("office", True, Level.STATE),
        ("office", False, Level.STATE),
        ("state", True, Level.HQ),
        ("state", False, Level.HQ),
        ("hq", True, None),
        ("hq", False, None),
    ],
)
def test_next_level(level: str, has_office: bool, expected: Level | None) -> None:
    assert rules.next_level(level, has_office=has_office) == expected


def test_deadline_and_overdue() -> None:
    due = rules.deadline(T, 24)
    assert due == T + dt.timedelta(days=1)
    assert not rules.is_overdue(due, due - dt.timedelta(seconds=1))
    assert rules.is_overdue(due, due)


def test_reopening_window() -> None:
    week = dt.timedelta(days=rules.REOPEN_DAYS)
    assert rules.may_reopen(T, T + week)
    assert not rules.may_reopen(T, T + week + dt.timedelta(seconds=1))
    assert not rules.may_reopen(None, T)
    assert rules.reopen_window_passed(T, T + week + dt.timedelta(seconds=1))
    assert not rules.reopen_window_passed(None, T)
