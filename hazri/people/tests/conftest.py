import datetime as dt

import pytest

from hazri.org.models import AcademicYear, Section
from hazri.testing.world import World


@pytest.fixture
def section_b(world: World) -> Section:
    """5 B at Rampur, the same session as the world's 5 A."""
    return Section.objects.create(school=world.school, academic_year=world.year, grade=5, name="B")


@pytest.fixture
def next_year(world: World) -> AcademicYear:
    return AcademicYear.objects.create(
        unit=world.state,
        name="2027-28",
        starts_on=dt.date(2027, 4, 1),
        ends_on=max(dt.date(2028, 3, 31), world.year.ends_on + dt.timedelta(days=1)),
    )
