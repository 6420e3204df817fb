"""A posting is judged on its school's own today, not the server's (accounts.access)."""

import datetime as dt

import time_machine

from hazri.accounts import selectors
from hazri.org.services import orgunit_create, school_create
from hazri.people.models import Posting, Staff

# 19:00 UTC on 30 November: 1 December in India (00:30 IST), still 30 November in London.
LATE_EVENING_UTC = dt.datetime(2026, 11, 30, 19, 0, tzinfo=dt.UTC)
IN_LONDON = dt.date(2026, 11, 30)


def test_a_posting_is_judged_on_its_school_own_today(world) -> None:
    """A posting that ends on 30 November still holds in London at 19:00 UTC, not in India."""
    state = orgunit_create(parent=None, kind="state", code="UK", name="Overseas")
    london = school_create(unit=state, code="UK001", name="London school", timezone="Europe/London")
    staff = Staff.objects.get(user=world.asha)
    Posting.objects.filter(staff=staff).update(ends_on=IN_LONDON)
    Posting.objects.create(
        staff=staff,
        school=london,
        role=Posting.Role.TEACHER,
        starts_on=dt.date(2026, 4, 1),
        ends_on=IN_LONDON,
    )
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        assert list(selectors.schools_posted_to(world.asha)) == [london]
    earlier = LATE_EVENING_UTC - dt.timedelta(hours=6)  # still 30 November in India
    with time_machine.travel(earlier, tick=False):
        posted = selectors.schools_posted_to(world.asha).order_by("name", "pk")
        assert list(posted) == sorted([world.school, london], key=lambda s: (s.name, s.pk))
