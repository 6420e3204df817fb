"""The bulk calendar equals the one-school calendar, school by school."""

import datetime as dt

from hazri.org import selectors
from hazri.org.models import CalendarEntry, School


def test_bulk_calendars_match_one_by_one(world, django_assert_max_num_queries) -> None:
    CalendarEntry.objects.create(
        school=world.school, day=dt.date(2026, 11, 20), kind="holiday", name="School's own"
    )
    CalendarEntry.objects.create(
        unit=world.cluster, day=dt.date(2026, 11, 22), kind="working", name="Make-up Sunday"
    )
    start, end = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    schools = list(School.objects.all())
    with django_assert_max_num_queries(2):
        bulk = selectors.schools_calendars(schools, start, end)
    for school in schools:
        policy, days = bulk[school.pk]
        assert policy == selectors.policy_for_school(school)
        assert days == selectors.school_calendar(school, start, end)
    assert not bulk[world.school.pk][1][dt.date(2026, 11, 20)].is_school_day
    assert bulk[world.other_school.pk][1][dt.date(2026, 11, 20)].is_school_day
    assert bulk[world.school.pk][1][dt.date(2026, 11, 22)].is_school_day
