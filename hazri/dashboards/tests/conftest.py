import datetime as dt

import pytest

from hazri.registers.tests.test_register import mark
from hazri.testing.world import World

NOV = [dt.date(2026, 11, d) for d in (17, 18, 19)]  # Tuesday to Thursday


@pytest.fixture
def marked(world: World) -> World:
    """Rampur marks 5 A twice on the 17th and once on the 18th; Khedi marks nothing.
    Roll order: Aarav, Bhavna, Zoya, Diya, Kabir."""
    mark(world, NOV[0], "PAPPP")
    mark(world, NOV[0], "PAAPP", meeting=2, hour=12)
    mark(world, NOV[1], "PPPPP")
    return world
