"""The nightly weak-student lists that officers of an area larger than a cluster read:
what a build keeps, and the pages, API and downloads that read it."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hazri.attendance.tests.conftest import login
from hazri.common.errors import Conflict
from hazri.dashboards import rollups, selectors, weak
from hazri.dashboards.models import WeakStudent, WeakStudentBuild
from hazri.dashboards.students import low_attendance_students
from hazri.dashboards.tests.conftest import NOV
from hazri.dashboards.tests.test_pages import csv_rows, logged_in, rows
from hazri.org.models import AttendancePolicy
from hazri.org.services import school_create
from hazri.registers.tests.test_register import mark
from hazri.testing.scheduler import rollups_counted
from hazri.testing.world import World

pytestmark = pytest.mark.django_db
STUDENTS = "/dashboards/low-attendance/students"


@pytest.fixture
def weakly(marked: World) -> World:
    """Rampur also marks the 19th (one meeting), Diya absent. Over the 17th to 19th:
    Bhavna 2 of 4 meetings (absent all day on the 17th), Zoya 3 of 4, Diya 3 of 4
    (absent all day on the 19th); Aarav and Kabir came to every one."""
    mark(marked, NOV[2], "PPPAP")
    return marked


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """The block's two schools count as a large area: its list is the nightly one."""
    monkeypatch.setattr(weak, "LIVE_MAX_SCHOOLS", 1)


def kept() -> dict[str, tuple]:
    return {
        row.student.name: (
            row.held,
            row.attended,
            row.school_days,
            row.days_absent,
            round(row.pct, 1),
            row.under_threshold,
            row.chronically_absent,
            row.as_of,
        )
        for row in WeakStudent.objects.select_related("student")
    }


def test_a_build_keeps_each_schools_weak_students(weakly: World) -> None:
    run = weak.build(as_of=NOV[2])
    assert (run.schools, run.students, run.as_of, run.kept_below) == (2, 2, NOV[2], 75)
    assert run.finished_at is not None
    # Zoya is at 75 %: not under the 75 % threshold, and not chronic.
    assert kept() == {
        "Bhavna Meena": (4, 2, 3, 1, 50.0, True, True, NOV[2]),
        "Diya Rajput": (4, 3, 3, 1, 75.0, False, True, NOV[2]),
    }
    # The listed ones are the live count's list.
    live = low_attendance_students(schools=[weakly.school], end=NOV[2])
    assert {r.student.pk for r in live} == set(
        WeakStudent.objects.values_list("student", flat=True)
    )
    assert WeakStudent.objects.get(student=weakly.students[2]).unit_path == weakly.school.unit_path
    # The next build replaces the rows: up to the 18th Diya had come to everything.
    # Rampur's cluster now has a threshold of 60 %: Zoya at 66.7 % is not under it, but
    # is kept for a reader who asks the state's 75 %.
    AttendancePolicy.objects.create(
        unit=weakly.cluster,
        meetings_per_day=2,
        on_time_minutes=60,
        cutoff=dt.time(17, 0),
        weekly_offs=[7],
        low_attendance_pct=60,
        low_attendance_min_days=1,
    )
    weak.build(as_of=NOV[1])
    assert kept() == {
        "Bhavna Meena": (3, 1, 2, 1, 33.3, True, True, NOV[1]),
        "Zoya Khan": (3, 2, 2, 0, 66.7, False, False, NOV[1]),
    }
    assert weak.last_build().as_of == NOV[1]
    assert WeakStudentBuild.objects.count() == 2


def test_an_unfinished_build_is_not_the_last_and_blocks_another(weakly: World) -> None:
    weak.build(as_of=NOV[1])
    running = WeakStudentBuild.objects.create(as_of=NOV[2], started_at=timezone.now())
    assert weak.last_build().as_of == NOV[1]
    with pytest.raises(Conflict) as refused:
        weak.build(as_of=NOV[2])
    assert refused.value.code == "build_running"
    with pytest.raises(CommandError, match="being made"):
        call_command("rollups", "--days", "1", stdout=StringIO())
    # A build that never finished in six hours died: the next one goes ahead.
    running.started_at -= dt.timedelta(hours=7)
    running.save()
    assert weak.build(as_of=NOV[2]).finished_at is not None
    assert weak.last_build().as_of == NOV[2]


def test_a_school_rebuilt_during_the_night_says_its_own_day(weakly: World, client, large) -> None:
    weak.build(as_of=NOV[1])
    # The night's build has reached Rampur (as of the 19th), not finished yet.
    WeakStudent.objects.filter(student=weakly.students[2]).update(as_of=NOV[2])
    api = login(client, weakly.meera)
    rows = api.get(STUDENTS, unit=weakly.block.pk).json()
    assert [(r["name"], r["as_of"]) for r in rows] == [
        ("Bhavna Meena", "2026-11-19"),
        ("Zoya Khan", "2026-11-18"),
    ]


def test_a_row_replaced_between_the_ids_and_the_rows_is_left_out(
    weakly: World, large, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's ids come from an index, then its rows by id: a school rebuilt in
    between (its student no longer weak) drops out rather than failing the page."""
    weak.build(as_of=NOV[2])
    read_rows = WeakStudent.objects.in_bulk

    def rebuilt_first(ids: list[int]) -> dict:
        WeakStudent.objects.filter(student__name="Diya Rajput").delete()
        return read_rows(ids)

    monkeypatch.setattr(WeakStudent.objects, "in_bulk", rebuilt_first)
    listed = weak.area_students(weakly.block, end=NOV[2], threshold=None, limit=2, today=NOV[2])
    assert [r.student.name for r in listed.rates] == ["Bhavna Meena"]
    assert listed.total == 1  # counted after: the list as it now stands


def test_the_api_reads_the_nightly_list_of_a_large_area(weakly: World, client, large) -> None:
    api = login(client, weakly.meera)
    block = {"unit": weakly.block.pk, "end": "2026-11-19"}
    before = api.get(STUDENTS, **block)
    assert before.status_code == 409 and before.json()["errors"][0]["code"] == "not_built"
    weak.build(as_of=NOV[2])
    answer = api.get(STUDENTS, **block)
    assert answer.status_code == 200
    assert [
        (r["name"], r["pct"], r["under_threshold"], r["chronically_absent"], r["as_of"])
        for r in answer.json()
    ] == [
        ("Bhavna Meena", 50.0, True, True, "2026-11-19"),
        ("Diya Rajput", 75.0, False, True, "2026-11-19"),
    ]
    # A lower threshold keeps the chronically absent.
    lower = api.get(STUDENTS, **block, threshold=40).json()
    assert [(r["name"], r["under_threshold"]) for r in lower] == [
        ("Bhavna Meena", False),
        ("Diya Rajput", False),
    ]
    assert [r["name"] for r in api.get(STUDENTS, **block, limit=1).json()] == ["Bhavna Meena"]
    # Today is after the night's day: the night's list, saying so.
    today = api.get(STUDENTS, unit=weakly.block.pk).json()
    assert {r["as_of"] for r in today} == {"2026-11-19"}
    # An earlier day than the night's, or a threshold over what the night kept (the
    # highest of any policy): a 422 naming why.
    earlier = api.get(STUDENTS, **{**block, "end": "2026-11-18"})
    assert earlier.status_code == 422 and earlier.json()["errors"][0]["code"] == "not_kept"
    high = api.get(STUDENTS, **block, threshold=80)
    assert high.status_code == 422 and high.json()["errors"][0]["code"] == "threshold_too_high"
    # A school is still counted live, for any day.
    school = api.get(STUDENTS, school=weakly.school.pk, end="2026-11-18").json()
    assert [(r["name"], r["as_of"]) for r in school] == [
        ("Bhavna Meena", "2026-11-18"),
        ("Zoya Khan", "2026-11-18"),
    ]


def test_the_page_reads_the_nightly_list_of_a_large_area(
    weakly: World, large, monkeypatch: pytest.MonkeyPatch
) -> None:
    rollups_counted()  # as the scheduler would: a GET builds nothing
    meera = logged_in(weakly.meera)
    url = reverse("dashboard_low")
    query = {"unit": weakly.block.pk, "end": "2026-11-19"}
    page = meera.get(url, {**query, "threshold": "85"}).content.decode()
    assert 'data-students-missing="not_built"' in page
    # The school list does not wait for the night.
    assert rows(page, "low-schools") == ["GPS Rampur 80.0% 6.7%"]  # 4 of 60 marked
    refused = meera.get(url, {**query, "format": "csv", "table": "students"})
    assert refused.status_code == 409 and "has not been made yet" in refused.content.decode()
    # The school list downloads without the student list.
    assert meera.get(url, {**query, "format": "csv", "table": "schools"}).status_code == 200
    weak.build(as_of=NOV[2])
    page = meera.get(url, query).content.decode()
    assert "data-nightly" in page and "up to 19 Nov 2026" in page
    assert rows(page, "low-students") == [
        "Bhavna Meena GPS Rampur 5 A — 50.0% 1 / 3 Low attendance Chronic absence — Record",
        "Diya Rajput GPS Rampur 5 A — 75.0% 1 / 3 Chronic absence — Record",
    ]
    # The file is named for the day it was counted up to.
    today = meera.get(url, {"unit": weakly.block.pk, "format": "csv", "table": "students"})
    assert "low-students-MP-SEH-ASH-2026-11-19.csv" in today["Content-Disposition"]
    assert csv_rows(meera, url, {**query, "table": "students"})[1:] == [
        ["Bhavna Meena", "GPS Rampur", "5 A", "", "50.0", "4", "2", "1", "3", "True", "True", ""],
        ["Diya Rajput", "GPS Rampur", "5 A", "", "75.0", "4", "3", "1", "3", "False", "True", ""],
    ]
    # The list comes in pages, by need; the download holds every row.
    monkeypatch.setattr("hazri.dashboards.views.lists.STUDENT_PAGE", 1)
    page = meera.get(url, query).content.decode()
    assert rows(page, "low-students")[0].startswith("Bhavna Meena")
    assert "Students 1–1 of 2 · page 1 of 2" in page and 'rel="next"' in page
    second = meera.get(url, {**query, "page": "2"}).content.decode()
    assert [r.split(" GPS")[0] for r in rows(second, "low-students")] == ["Diya Rajput"]
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert len(csv_rows(meera, url, {**query, "table": "students"})) == 3
    bad = meera.get(url, {**query, "page": "0"})
    assert bad.status_code == 400 and "page" in bad.content.decode()
    # A large area's list is counted up to a cap: past it the page says "many more".
    monkeypatch.setattr(weak, "COUNTED_UP_TO", 2)
    page = meera.get(url, query).content.decode()
    assert "Many more students: the list and the download hold the weakest 2." in page
    earlier = meera.get(url, {**query, "end": "2026-11-18", "threshold": "85"}).content.decode()
    assert 'data-students-missing="not_kept"' in earlier and rows(earlier, "low-schools")
    high = meera.get(url, {**query, "threshold": "80"}).content.decode()
    assert 'data-students-missing="threshold_too_high"' in high
    assert "the threshold may be at most 75%" in high


def test_the_nightly_job_and_the_command_build_the_lists(weakly: World) -> None:
    from hazri.dashboards.tasks import nightly_rollups

    result = nightly_rollups.call(days=3)
    assert result["weak_students"] == WeakStudent.objects.count()
    assert weak.last_build().as_of == timezone.localdate() - dt.timedelta(days=1)
    out = StringIO()
    call_command("rollups", "--days", "2", stdout=out)
    assert "students of 2 schools" in out.getvalue()
    assert WeakStudentBuild.objects.count() == 2
    # A backfill of older days leaves the lists alone.
    call_command("rollups", "--start", "2026-11-01", "--end", "2026-11-05", stdout=StringIO())
    assert WeakStudentBuild.objects.count() == 2


def test_on_sqlite_a_large_area_reads_its_list_weakest_first(weakly: World) -> None:
    """A large share of the schools walks the pct index (LIKE); a small one its range."""
    rollups.days_build([NOV[2]])
    block = weak._area(weakly.block, NOV[2])
    if connection.vendor != "sqlite":
        assert block == selectors.under(weakly.block.path)
        return
    assert block == Q(unit_path__startswith=weakly.block.path)  # both schools: all of them
    # Another 99 schools elsewhere in the state: the block holds 2 of 101.
    for n in range(99):
        school_create(unit=weakly.district, code=f"2337099{n:04d}", name=f"GPS {n}", name_local="")
    rollups.days_build([NOV[2]], trails=False)
    assert weak._area(weakly.block, NOV[2]) == selectors.under(weakly.block.path)
    assert weak._area(weakly.state, NOV[2]) == Q(unit_path__startswith=weakly.state.path)
