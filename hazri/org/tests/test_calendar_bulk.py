"""The bulk calendars and sessions equal the one-school ones, school by school."""

import datetime as dt

from hazri.org import selectors
from hazri.org.models import AcademicYear, CalendarEntry, School


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


def test_the_session_in_force_is_the_one_begun_last(world, django_assert_max_num_queries) -> None:
    # A cluster's own session, begun later, is the one in force where both run.
    cluster_year = AcademicYear.objects.create(
        unit=world.cluster,
        name="2026-27 (cluster)",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2027, 3, 31),
    )
    before, may, november = dt.date(2026, 3, 31), dt.date(2026, 5, 20), dt.date(2026, 11, 18)
    rampur, khedi = world.school, world.other_school
    expected = {before: None, may: world.year, november: cluster_year}
    for first, second in [(before, may), (may, november), (november, before)]:
        with django_assert_max_num_queries(1):
            found = selectors.academic_years_for([(rampur, first), (khedi, second)])
        assert found == {rampur.pk: expected[first], khedi.pk: expected[second]}
    assert selectors.academic_year_for(rampur, november) == cluster_year
    assert selectors.academic_year_for(khedi, before) is None
