"""A roll call not yet due is neither marked nor missing (due.py), on a fixed clock.

Both schools start at 08:00 in India with 60 on-time minutes and two meetings a day
(no afternoon start: it begins at 12:00): the forenoon falls due at 09:00, the
afternoon at 13:00. Today is Friday 4 December 2026.
"""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hazri.attendance.tests.conftest import login
from hazri.dashboards import due, selectors
from hazri.dashboards.models import MealRecord, RollupMark
from hazri.dashboards.tests.test_pages import figure, logged_in, row, rows
from hazri.registers.tests.test_register import mark
from hazri.testing.scheduler import rollups_counted
from hazri.testing.world import World

IST = ZoneInfo("Asia/Kolkata")
TODAY = dt.date(2026, 12, 4)


def at(traveller: time_machine.Traveller, hour: int, minute: int = 0) -> None:
    traveller.move_to(dt.datetime.combine(TODAY, dt.time(hour, minute), tzinfo=IST))


@pytest.fixture
def morning(world: World, clock: time_machine.Traveller) -> World:
    """07:00 today: the scheduler has counted the day; nothing is marked yet."""
    at(clock, 7)
    rollups_counted()
    return world


def _chart(page: str) -> dict:
    found = re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))


def test_before_the_schools_open_nothing_is_missing(morning: World) -> None:
    world = morning
    meera = logged_in(world.meera)
    page = meera.get(reverse("dashboard_compliance"), {"unit": world.block.pk}).content.decode()
    assert figure(page, "not_marked") == "0"
    assert figure(page, "pending") == "2"
    assert "the first due by 09:00" in page
    for school in (world.school, world.other_school):
        line = row(page, f'data-school="{school.pk}"')
        assert "Due by 09:00" in line and "Not marked" not in line
        # Today is out of the window while it is not due: the 29 school days before it
        # (none marked in this world), not 30 / 30.
        assert line.endswith("29 / 29"), line
    assert 'data-status="due"' in page and 'data-status="not-marked"' not in page
    # The most urgent come first, the schools not due yet after them (none here).
    state = selectors.compliance(unit=world.state, day=TODAY, clock=due.clock_for_unit(world.state))
    assert {r.status for r in state} == {"due"} and {r.missed_days for r in state} == {29}
    as_built = selectors.compliance(unit=world.state, day=TODAY)
    assert {(r.status, r.missed_days, r.window_days) for r in as_built} == {("not_marked", 30, 30)}
    # Neither marked nor missing: no roll call is expected yet, so no "Marked" figure.
    area = meera.get(reverse("dashboard"), {"unit": world.block.pk}).content.decode()
    assert figure(area, "marked") == "–" or "0 of 0" in area
    api = login(Client(), world.meera)
    total = api.get("/dashboards/area", unit=world.block.pk).json()["total"]
    assert total["meetings_expected"] == 0 and total["meetings_pending"] == 4
    assert total["school_days_unmarked"] == 0 and total["school_days_pending"] == 2
    assert total["compliance_pct"] is None
    # As built (no clock), the rollups still count the whole day: what misled at 07:00.
    built = selectors.unit_day(unit=world.block, day=TODAY)
    assert (built.meetings_expected, built.school_days_unmarked) == (4, 2)


def test_a_forenoon_marked_early_counts_and_the_rest_waits(
    morning: World, clock: time_machine.Traveller
) -> None:
    world = morning
    at(clock, 8, 40)
    mark(world, TODAY, "PPAPP", hour=8)
    rollups_counted()
    today = selectors.unit_day(unit=world.block, day=TODAY, clock=due.clock_for_unit(world.block))
    # Rampur's forenoon is marked before it fell due: 1 of 1 so far; Khedi's waits.
    assert (today.meetings_marked, today.meetings_expected) == (1, 1)
    assert today.compliance_pct == 100.0
    assert (today.school_days_unmarked, today.school_days_pending) == (0, 1)
    page = logged_in(world.meera).get(reverse("dashboard_compliance"), {"unit": world.block.pk})
    rampur = row(page.content.decode(), f'data-school="{world.school.pk}"')
    assert "1 / 2" in rampur and "next due by 13:00" in rampur


def test_once_the_window_closes_the_roll_call_is_missing(
    morning: World, clock: time_machine.Traveller
) -> None:
    world = morning
    at(clock, 8, 40)
    mark(world, TODAY, "PPAPP", hour=8)
    at(clock, 10)  # the forenoon is due at both schools: Khedi has not marked
    rollups_counted()
    meera = logged_in(world.meera)
    page = meera.get(reverse("dashboard_compliance"), {"unit": world.block.pk}).content.decode()
    assert figure(page, "not_marked") == "1" and 'data-figure="pending"' not in page
    khedi = row(page, f'data-school="{world.other_school.pk}"')
    assert "Not marked" in khedi and khedi.endswith("30 / 30"), khedi
    assert (
        rows(page, "compliance")[0].startswith("शासकीय")
        or world.other_school.name in (rows(page, "compliance")[0])
    )
    assert f'data-school="{world.other_school.pk}" data-status="not-marked"' in page
    assert f'data-school="{world.school.pk}" data-status="marked"' in page
    area = meera.get(reverse("dashboard"), {"unit": world.block.pk}).content.decode()
    assert figure(area, "marked") == "50.0%"  # Rampur's forenoon of the two due
    at(clock, 14)  # every meeting of the day is due: as the rollups count it
    area = meera.get(reverse("dashboard"), {"unit": world.block.pk}).content.decode()
    assert figure(area, "marked") == "25.0%"
    page = meera.get(reverse("dashboard_compliance"), {"unit": world.block.pk}).content.decode()
    assert f'data-school="{world.school.pk}" data-status="partly"' in page


def test_this_month_leaves_out_what_is_not_due(
    marked: World, clock: time_machine.Traveller
) -> None:
    """The month's "Marked" and the trend: today's roll calls not due yet are no misses,
    and today's point is drawn partial."""
    world = marked
    at(clock, 7)
    # The fixture counted the days at noon; back at 07:00 the builds would look newer
    # than the marks to come: count them again from this morning.
    RollupMark.objects.all().delete()
    rollups_counted()
    meera = logged_in(world.meera)
    query = {
        "unit": world.cluster.pk,
        "period": "custom",
        "start": "2026-11-17",
        "end": "2026-12-04",
    }
    page = meera.get(reverse("dashboard"), query).content.decode()
    chart = _chart(page)
    assert chart["type"] == "line"
    # Today is on the chart, partial, with no figure yet: not a drop to 0 %.
    assert chart["partial"] == len(chart["labels"]) - 1
    assert chart["labels"][-1] == "4 Dec · so far"
    assert [series["data"][-1] for series in chart["series"]] == [None, None, None]
    before = selectors.area_report(unit=world.cluster, start=dt.date(2026, 11, 17), end=TODAY)
    at(clock, 8, 40)
    mark(world, TODAY, "PPPPP", hour=8)
    rollups_counted()
    page = meera.get(reverse("dashboard"), query).content.decode()
    chart = _chart(page)
    assert chart["partial"] == len(chart["labels"]) - 1
    assert chart["labels"][-1] == "4 Dec · so far"
    assert chart["series"][1]["data"][-1] == 100.0  # of the roll calls due: all marked
    assert "Dashed line and hollow point: today so far" in page
    report = selectors.area_report(
        unit=world.cluster,
        start=dt.date(2026, 11, 17),
        end=TODAY,
        clock=due.clock_for_unit(world.cluster),
    )
    # Without the clock, today's four meetings (two schools × two) counted as expected.
    assert report.total.meetings_expected == before.total.meetings_expected - 3
    assert report.total.meetings_pending == 3


def test_meals_do_not_flag_today_before_it_is_over(
    morning: World, clock: time_machine.Traveller
) -> None:
    world = morning
    at(clock, 8, 40)
    mark(world, TODAY, "PPPPP", hour=8)
    rollups_counted()
    meera = logged_in(world.meera)
    week = {"unit": world.block.pk, "period": "week"}
    page = meera.get(reverse("dashboard_meals"), week).content.decode()
    assert "No meals recorded" not in page
    assert selectors.meal_gaps(unit=world.block, start=TODAY, end=TODAY, today=TODAY) == []
    # The next morning the day is over: no meals were recorded for five children present.
    clock.move_to(dt.datetime(2026, 12, 5, 7, 0, tzinfo=IST))
    page = meera.get(
        reverse("dashboard_meals"),
        {**week, "period": "custom", "start": "2026-12-04", "end": "2026-12-05"},
    ).content.decode()
    assert "No meals recorded" in page
    assert not MealRecord.objects.exists()


def test_the_due_time_speaks_hindi(morning: World) -> None:
    world = morning
    world.meera.language = "hi"
    world.meera.save()
    page = logged_in(world.meera).get(reverse("dashboard_compliance"), {"unit": world.block.pk})
    text = page.content.decode()
    assert "09:00 तक देय" in text and "पहली 09:00 तक देय" in text
