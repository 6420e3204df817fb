"""The people services rebuild the school-days whose roll they change, in their own
transaction, for both schools of a transfer (hazri.people.signals.roll_changed,
received in hazri.dashboards.receivers)."""

import datetime as dt

import pytest
from django.utils import timezone

from hazri.dashboards.models import SchoolDay
from hazri.dashboards.services import schooldays_rebuild
from hazri.people import services
from hazri.people.models import Staff
from hazri.testing.world import SCHOOL_DAY

D = dt.date
NEXT_DAY = D(2026, 11, 19)


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two days after the world's school day: the rebuild runs up to each school's today.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 20, 6, 30, tzinfo=dt.UTC))


def _on_roll(school, day: dt.date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    row = SchoolDay.objects.get(school=school, day=day)
    return row.on_roll, row.staff_on_roll


def test_a_transfer_rebuilds_the_rollups_of_both_schools(world, frozen_now) -> None:
    first, today = D(2026, 11, 17), D(2026, 11, 20)
    schooldays_rebuild(schools=[world.school, world.other_school], start=first, end=today)
    assert _on_roll(world.school, NEXT_DAY) == (5, 2)
    assert _on_roll(world.other_school, NEXT_DAY) == (1, 1)
    zoya = world.students[1]
    services.student_transfer(
        student=zoya, section=world.other_section, admission_no="0050", on=NEXT_DAY, by=None
    )
    # Her last day at Rampur still counts her there; from the next, Khedi does.
    assert _on_roll(world.school, SCHOOL_DAY)[0] == 5
    assert _on_roll(world.other_school, SCHOOL_DAY)[0] == 1
    for day in (NEXT_DAY, today):
        assert _on_roll(world.school, day)[0] == 4
        assert _on_roll(world.other_school, day)[0] == 2
    # Only days that had rows are rebuilt: none appear before the first.
    assert not SchoolDay.objects.filter(day__lt=first).exists()


def test_a_posting_rebuilds_the_staff_count(world, frozen_now) -> None:
    schooldays_rebuild(schools=[world.school], start=SCHOOL_DAY, end=D(2026, 11, 20))
    kamla = Staff.objects.create(employee_code="EMP009", name="Kamla Devi", gender="F")
    services.staff_post(staff=kamla, school=world.school, role="other", starts_on=NEXT_DAY, by=None)
    assert _on_roll(world.school, SCHOOL_DAY)[1] == 2
    assert _on_roll(world.school, NEXT_DAY)[1] == 3
