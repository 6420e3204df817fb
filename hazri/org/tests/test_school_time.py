"""A school's today is its own, an area's its schools', the tree's the newest state's."""

import datetime as dt
from zoneinfo import ZoneInfo

from hazri.org import selectors
from hazri.org.models import School
from hazri.org.services import orgunit_create, school_create

# 19:00 UTC on 30 November: 1 December in India (00:30 IST), still 30 November in London.
LATE_EVENING_UTC = dt.datetime(2026, 11, 30, 19, 0, tzinfo=dt.UTC)
IN_INDIA = dt.date(2026, 12, 1)
IN_LONDON = dt.date(2026, 11, 30)


def _overseas(world):  # type: ignore[no-untyped-def]
    """A second state, in London's zone, with one school."""
    state = orgunit_create(parent=None, kind="state", code="UK", name="Overseas")
    school = school_create(unit=state, code="UK001", name="London school", timezone="Europe/London")
    return state, school


def test_a_school_day_begins_at_its_own_midnight(world) -> None:
    assert selectors.school_today(world.school, LATE_EVENING_UTC) == IN_INDIA
    assert selectors.school_now(world.school, LATE_EVENING_UTC).tzinfo == ZoneInfo("Asia/Kolkata")


def test_an_area_takes_the_zone_of_its_schools(world) -> None:
    state, _ = _overseas(world)
    assert selectors.unit_today(world.block, LATE_EVENING_UTC) == IN_INDIA
    assert selectors.unit_today(state, LATE_EVENING_UTC) == IN_LONDON
    assert selectors.unit_now(state, LATE_EVENING_UTC).tzinfo == ZoneInfo("Europe/London")


def test_an_area_without_schools_takes_the_zone_a_new_school_gets(world) -> None:
    empty = orgunit_create(parent=None, kind="state", code="XX", name="No schools yet")
    default = ZoneInfo(str(School._meta.get_field("timezone").default))
    assert selectors.unit_zone(empty) == default


def test_the_tree_today_is_the_newest_state_today(world) -> None:
    _overseas(world)
    assert selectors.tree_today(LATE_EVENING_UTC) == IN_INDIA
    later = LATE_EVENING_UTC + dt.timedelta(hours=6)  # 1 December in London too
    assert selectors.tree_today(later) == IN_INDIA
