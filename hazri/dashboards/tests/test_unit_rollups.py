"""Unit rollups: built from the school-days, kept current, and read in a flat number
of queries at every level."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from hazri.dashboards import rollups, selectors
from hazri.dashboards.models import RollupMark, SchoolDay, UnitDay
from hazri.org import selectors as org
from hazri.registers.tests.test_register import mark
from hazri.testing.scheduler import rollups_counted
from hazri.testing.world import SCHOOL_DAY, World

NOV = [dt.date(2026, 11, d) for d in (17, 18, 19)]  # Tuesday to Thursday


def test_every_unit_up_the_tree_sums_its_schools(world: World) -> None:
    mark(world, NOV[0], "PAPPP")
    mark(world, NOV[0], "PAAPP", meeting=2, hour=13)
    rollups.days_build([NOV[0]])
    rows = {r.unit_id: r for r in UnitDay.objects.filter(day=NOV[0])}
    # State, district, block, cluster: each holds both schools (Rampur and Khedi).
    path = [world.state, world.district, world.block, world.cluster]
    assert set(rows) == {u.pk for u in path}
    for unit in path:
        row = rows[unit.pk]
        assert (row.schools, row.school_days, row.meetings_expected) == (2, 2, 4)
        assert (row.meetings_marked, row.slots_marked, row.attended, row.absent) == (2, 10, 7, 3)
        assert (row.school_days_marked, row.school_days_unmarked, row.school_days_any) == (1, 1, 1)
        assert row.parent_id == unit.parent_id
    # The sums equal the school-days they come from.
    school_days = SchoolDay.objects.filter(day=NOV[0])
    assert rows[world.state.pk].on_roll == sum(r.on_roll for r in school_days)
    assert rows[world.state.pk].staff_expected == sum(r.staff_on_roll for r in school_days)


def test_a_build_gives_every_school_a_row(world: World) -> None:
    assert not SchoolDay.objects.filter(school=world.other_school, day=NOV[1]).exists()
    rollups.days_build([NOV[1]])
    khedi = SchoolDay.objects.get(school=world.other_school, day=NOV[1])
    assert khedi.meetings_expected > 0 and khedi.meetings_marked == 0


def test_a_reader_never_builds_it_says_how_far_the_figures_go(world: World) -> None:
    rollups_counted()
    assert rollups.freshness(start=NOV[0], end=NOV[-1]) == rollups.Freshness()
    built_at = RollupMark.objects.get(day=NOV[0]).built_at
    mark(world, NOV[0], "PPPPP")
    counted = rollups.freshness(start=NOV[0], end=NOV[-1])
    assert counted.behind == (NOV[0],) and counted.counted_up_to == built_at
    # Reading changed nothing: the figures wait for the scheduled job.
    assert selectors.unit_day(unit=world.state, day=NOV[0]).meetings_marked == 0
    assert rollups.freshness(start=NOV[0], end=NOV[-1]).stale
    assert NOV[0].isoformat() in rollups_counted()
    assert selectors.unit_day(unit=world.state, day=NOV[0]).meetings_marked == 1
    assert not rollups.freshness(start=NOV[0], end=NOV[-1]).stale
    # Nothing changed since: the next minute builds only today.
    assert rollups_counted() in ([], [timezone.localdate().isoformat()])


def test_a_day_never_built_is_behind_with_no_time(world: World) -> None:
    counted = rollups.freshness(start=NOV[0], end=NOV[0])
    assert counted.behind == (NOV[0],) and counted.counted_up_to is None


def test_a_write_in_flight_during_a_build_is_not_lost(world: World) -> None:
    """A school-day written just before a build began (its transaction may not have
    been visible) still counts as changed after it."""
    mark(world, NOV[0], "PPPPP")
    rollups.days_build([NOV[0]])
    assert rollups.changed_days([NOV[0]]) == []
    # As if one of the school-days stamped just before the build had not been
    # visible to it: the build saw one fewer.
    built = RollupMark.objects.get(day=NOV[0])
    assert built.recent >= 1
    RollupMark.objects.filter(day=NOV[0]).update(recent=built.recent - 1)
    assert rollups.changed_days([NOV[0]]) == [NOV[0]]


def test_the_trail_holds_the_29_days_before(world: World) -> None:
    mark(world, NOV[0], "PAPPP")  # 4 of 5
    mark(world, NOV[1], "PPPPP")  # 5 of 5
    rollups_counted()  # builds the last 62 days, oldest first
    day = SchoolDay.objects.get(school=world.school, day=NOV[2])
    before = SchoolDay.objects.filter(school=world.school, day__lt=NOV[2], is_school_day=True)
    assert before.count() > day.trail_days == rollups.WINDOW_SCHOOL_DAYS - 1
    assert (day.trail_slots, day.trail_attended, day.trail_marked) == (10, 9, 2)
    assert day.trail_expected == 2 * day.trail_days
    # Every school day but the two marked ones had nothing marked.
    assert day.trail_missed == day.trail_days - 2


def test_compliance_by_area_counts_schools(world: World) -> None:
    mark(world, SCHOOL_DAY, "PPPPP")
    mark(world, SCHOOL_DAY, "PPPPP", meeting=2, hour=13)
    rollups_counted()
    [area] = selectors.compliance_by_area(unit=world.district, day=SCHOOL_DAY)
    assert area.unit == world.block
    f = area.figures
    assert (f.schools, f.school_days, f.school_days_marked, f.school_days_unmarked) == (2, 2, 1, 1)
    assert area.schools_partly == 0


def test_compliance_lists_are_limited_to_the_most_urgent(world: World) -> None:
    mark(world, SCHOOL_DAY, "PPPPP")
    rollups_counted()
    [first] = selectors.compliance(unit=world.state, day=SCHOOL_DAY, limit=1)
    assert first.school == world.other_school


@pytest.mark.parametrize("level", ["state", "district", "block", "cluster"])
def test_area_reads_are_flat_at_every_level(
    world: World, level: str, django_assert_max_num_queries
) -> None:
    mark(world, NOV[0], "PAPPP")
    rollups_counted()
    unit = getattr(world, level)
    with django_assert_max_num_queries(4):
        selectors.area_report(unit=unit, start=NOV[0], end=NOV[-1])
    with django_assert_max_num_queries(1):
        selectors.area_trend(unit=unit, start=NOV[0], end=NOV[-1])
    with django_assert_max_num_queries(2):
        selectors.adoption(unit=unit, start=NOV[0], end=NOV[-1])
    with django_assert_max_num_queries(2):
        selectors.compliance_by_area(unit=unit, day=NOV[0])
    with django_assert_max_num_queries(2):  # the school-days, then their schools
        selectors.compliance(unit=unit, day=NOV[0])
    with django_assert_max_num_queries(2):
        selectors.low_attendance_schools(unit=unit, end=NOV[0], threshold=101)
    with django_assert_max_num_queries(2):
        selectors.meal_gaps(unit=unit, start=NOV[0], end=NOV[-1])


def test_asking_how_far_a_range_is_counted_costs_two_queries(
    world: World, django_assert_num_queries
) -> None:
    rollups_counted()
    today = org.unit_today(world.state)
    with django_assert_num_queries(2):  # the marks, and what changed since
        assert not rollups.freshness(start=NOV[0], end=NOV[-1], today=today).stale


def test_the_nightly_command_rebuilds_both_levels(world: World, capsys) -> None:
    mark(world, NOV[0], "PAPPP")
    call_command("rollups", "--start", str(NOV[0]), "--end", str(NOV[-1]))
    out = capsys.readouterr().out
    assert "school-day" in out and "unit-day" in out
    assert UnitDay.objects.filter(unit=world.state, day__in=NOV).count() == 3
    call_command("rollups", "--days", "2", "--end", str(NOV[-1]))


def test_rebuilding_school_days_is_flat_in_the_number_of_schools(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hazri.dashboards.services import schooldays_rebuild
    from hazri.org.models import School
    from hazri.org.services import school_create

    def queries() -> int:
        schools = list(School.objects.all())
        with CaptureQueriesContext(connection) as captured:
            schooldays_rebuild(schools=schools, start=NOV[0], end=NOV[-1])
        # Reads only: the upsert goes in batches of rows (SQLite's variable limit).
        return sum(1 for q in captured.captured_queries if q["sql"].startswith("SELECT"))

    before = queries()
    for n in range(10):
        school_create(unit=world.cluster, code=f"2337010030{n}", name=f"GPS More {n}")
    assert queries() == before


def test_a_unit_left_without_schools_loses_its_rows(world: World) -> None:
    from hazri.org.models import School
    from hazri.org.services import orgunit_create

    empty = orgunit_create(parent=world.block, kind="cluster", code="EMPTY", name="Empty")
    school = School.objects.get(pk=world.other_school.pk)
    school.unit, school.unit_path = empty, empty.path
    school.save()
    SchoolDay.objects.filter(school=school).update(unit_path=empty.path)
    rollups.days_build([NOV[0]])
    assert UnitDay.objects.filter(unit=empty, day=NOV[0]).exists()
    school.unit, school.unit_path = world.cluster, world.cluster.path
    school.save()
    SchoolDay.objects.filter(school=school).update(unit_path=world.cluster.path)
    rollups.days_build([NOV[0]])
    assert not UnitDay.objects.filter(unit=empty, day=NOV[0]).exists()
    assert UnitDay.objects.get(unit=world.cluster, day=NOV[0]).schools == 2


def test_the_area_filter_takes_exactly_the_subtree(world: World) -> None:
    from hazri.dashboards.selectors import under
    from hazri.org.models import School
    from hazri.org.services import orgunit_create, school_create

    # A sibling whose path shares the digits: /…/1/ and /…/10/ and /…/1x/.
    siblings = [
        orgunit_create(parent=world.block, kind="cluster", code=f"S{n}", name=f"S{n}")
        for n in range(12)
    ]
    for n, unit in enumerate(siblings):
        school_create(unit=unit, code=f"2337019000{n:02d}", name=f"GPS S{n}")
    rollups.days_build([NOV[0]])
    for unit in [world.state, world.block, world.cluster, *siblings]:
        got = set(
            SchoolDay.objects.filter(under(unit.path), day=NOV[0]).values_list(
                "school_id", flat=True
            )
        )
        want = {s.pk for s in School.objects.filter(unit_path__startswith=unit.path)}
        assert got == want, unit.path


def test_the_change_check_is_an_index_range_per_day(world: World) -> None:
    """At a state's scale a scan here costs a minute: the plan must use the index, for
    the longest range a reader checks, with the planner told the state's sizes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    days = [NOV[0] - dt.timedelta(days=n) for n in range(rollups.READ_BUILD_DAYS + 1)]
    rollups.days_build(days)
    with CaptureQueriesContext(connection) as captured:
        assert rollups.changed_days(days) == []
    [check] = [q["sql"] for q in captured.captured_queries if "dashboards_schoolday" in q["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # 28.3 million school-days, 100,000 a day (what ANALYZE wrote at scale 1):
            # with these, an OR of a month's ranges was planned as a full index scan.
            cursor.execute("ANALYZE")
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'dashboards_schoolday'")
            for index, stat in (
                ("schoolday_changed", "28300000 100000 2"),
                ("schoolday_area_by_day", "28300000 100000 10"),
                ("sqlite_autoindex_dashboards_schoolday_1", "28300000 283 1"),
            ):
                cursor.execute(
                    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('dashboards_schoolday', %s, %s)",
                    [index, stat],
                )
            cursor.execute("ANALYZE sqlite_schema")  # reload the statistics
            cursor.execute(f"EXPLAIN QUERY PLAN {check}")
            plan = [str(row[-1]) for row in cursor.fetchall()]
            searches = [line for line in plan if "SEARCH dashboards_schoolday" in line]
            assert not [line for line in plan if "SCAN dashboards_schoolday" in line], plan
            # An OR of ranges left the planner a choice it got wrong at scale (the
            # real statistics made a month's check a full scan): one branch a day.
            assert not [line for line in plan if "MULTI-INDEX OR" in line], plan
            assert len(searches) == len(days) and all("schoolday_changed" in s for s in searches)
        else:
            # As at a state's scale, and whatever autovacuum last saw: the school-days
            # were stamped well before the check's times (marked in the morning, built
            # later), and the planner has statistics that say so. On these it must
            # choose the (day, updated_at) range over the other indexes led by day.
            cursor.execute(
                "UPDATE dashboards_schoolday SET updated_at = updated_at - interval '1 day'"
            )
            cursor.execute("ANALYZE dashboards_schoolday")
            cursor.execute("SET enable_seqscan = off")  # tiny tables: ask what it can use
            cursor.execute(f"EXPLAIN {check}")
            plan = [row[0] for row in cursor.fetchall()]
            assert sum("schoolday_changed" in line for line in plan) == len(days), plan
            ranges = [line for line in plan if "Index Cond" in line]
            assert len(ranges) == len(days), plan
            assert all("day =" in line and "updated_at >" in line for line in ranges), plan
