import datetime as dt

import pytest
from django.utils import timezone

from hazri.org.models import AcademicYear, Section
from hazri.testing.world import World

# Two days after the world's school day: "today" for the services' effects (the
# rollups are rebuilt up to each school's today).
FROZEN_NOW = dt.datetime(2026, 11, 20, 6, 30, tzinfo=dt.UTC)


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr(timezone, "now", lambda: FROZEN_NOW)
    return FROZEN_NOW


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
