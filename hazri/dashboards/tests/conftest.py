import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from hazri.registers.tests.test_register import mark
from hazri.testing.scheduler import rollups_counted
from hazri.testing.world import World

NOV = [dt.date(2026, 11, d) for d in (17, 18, 19)]  # Tuesday to Thursday
# The test world's school days are in November 2026, and the minutely job builds a missing
# school-day only for the last 62 days (older ones are the nightly job's): the clock
# starts at a fixed morning a fortnight after them, whenever the suite runs. Without
# it these tests failed from 19 January 2027 on.
NOW = dt.datetime(2026, 12, 4, 6, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def short_records(request: pytest.FixtureRequest) -> None:
    """The test world's children are marked on a few days only: its low-attendance lists
    count a child from the first day (the policy's default, 10 days, would leave out
    every one). test_low_list.py tests the rule itself."""
    if "world" in request.fixturenames:
        world: World = request.getfixturevalue("world")
        world.policy.low_attendance_min_days = 1
        world.policy.save(update_fields=["low_attendance_min_days"])


@pytest.fixture
def marked(world: World) -> World:
    """Rampur marks 5 A twice on the 17th and once on the 18th; Khedi marks nothing.
    Roll order: Aarav, Bhavna, Zoya, Diya, Kabir."""
    mark(world, NOV[0], "PAPPP")
    mark(world, NOV[0], "PAAPP", meeting=2, hour=12)
    mark(world, NOV[1], "PPPPP")
    rollups_counted()  # the scheduler's minute passes: a GET never builds the rollups
    return world
