"""Reporting across the system (SPEC §4.2): applications, transfers, promotions and
drop-outs of an area over a year, from the records themselves (reporting_world.py
says what each figure is and why)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hazri.accounts.models import OfficerGrant, User
from hazri.admissions.models import Application
from hazri.attendance.tests.conftest import login
from hazri.dashboards.selectors.reporting import FIGURES, Movement, year_for, year_report
from hazri.dashboards.tests.reporting_world import Reporting, admitted, applied, reporting_world
from hazri.dashboards.tests.test_pages import csv_rows, figure, logged_in, rows
from hazri.org.models import AcademicYear, Section
from hazri.org.services import orgunit_create, school_create
from hazri.people.services import student_strike_off, student_transfer
from hazri.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db
GROWTH = 10


@pytest.fixture
def rep(world: World) -> Reporting:
    return reporting_world(world)


def _figures(movement: Movement) -> dict[str, int]:
    return {name: value for name in FIGURES if (value := getattr(movement, name))}


def test_the_block_by_cluster_and_its_own_school(rep: Reporting) -> None:
    w = rep.world
    report = year_report(unit=w.block, year=w.year)
    assert _figures(report.total.figures) == {
        "applications": 6,
        "admitted": 1,
        "refused": 1,
        "withdrawn": 1,
        "waiting": 3,
        "transfers_in": 2,
        "transfers_out": 1,
        "dropouts": 1,
        "promoted": 4,
        "repeaters": 1,
    }
    by_row = {(r.kind, r.id): _figures(r.figures) for r in report.rows}
    assert by_row == {
        ("unit", w.cluster.pk): {
            "applications": 5,
            "admitted": 1,
            "refused": 1,
            "withdrawn": 1,
            "waiting": 2,
            "transfers_in": 2,
            "transfers_out": 1,
            "dropouts": 1,
            "promoted": 3,
            "repeaters": 1,
        },
        ("school", rep.direct_school.pk): {"applications": 1, "waiting": 1, "promoted": 1},
    }


def test_the_cluster_by_school(rep: Reporting) -> None:
    w = rep.world
    report = year_report(unit=w.cluster, year=w.year)
    by_row = {(r.kind, r.id): _figures(r.figures) for r in report.rows}
    assert by_row == {
        ("school", w.school.pk): {
            "applications": 5,
            "admitted": 1,
            "refused": 1,
            "withdrawn": 1,
            "waiting": 2,
            "transfers_out": 1,
            "dropouts": 1,
            "promoted": 2,
            "repeaters": 1,
        },
        ("school", w.other_school.pk): {"transfers_in": 2, "promoted": 1},
    }


def test_the_state_counts_the_other_district(rep: Reporting) -> None:
    w = rep.world
    report = year_report(unit=w.state, year=w.year)
    assert _figures(report.total.figures) == {
        "applications": 7,
        "admitted": 1,
        "refused": 1,
        "withdrawn": 1,
        "waiting": 4,
        "transfers_in": 2,
        "transfers_out": 2,
        "dropouts": 1,
        "promoted": 5,
        "repeaters": 1,
    }
    by_row = {(r.kind, r.id): _figures(r.figures) for r in report.rows}
    assert by_row[("unit", rep.far_district.pk)] == {
        "applications": 1,
        "waiting": 1,
        "transfers_out": 1,
        "promoted": 1,
    }


def test_the_last_session_counts_its_own_leavers(rep: Reporting) -> None:
    report = year_report(unit=rep.world.block, year=rep.last_year)
    assert _figures(report.total.figures) == {"applications": 1, "admitted": 1, "dropouts": 1}


# --- The page, its downloads and the API -------------------------------------------


def test_the_page_by_area_with_its_drill_down_and_years(rep: Reporting) -> None:
    w = rep.world
    page = logged_in(w.meera).get(reverse("dashboard_reporting")).content.decode()
    # Meera's own block, in the session in force (the suite's clock is in it).
    assert f'data-unit="{w.block.pk}" data-year="{w.year.pk}"' in page
    assert figure(page, "applications") == "6" and figure(page, "waiting") == "3"
    assert figure(page, "transfers_in") == "2" and figure(page, "transfers_out") == "1"
    assert figure(page, "dropouts") == "1" and figure(page, "promoted") == "4"
    assert figure(page, "repeaters") == "1"
    assert rows(page, "reporting") == [
        "Rampur 5 1 1 1 2 2 1 3 1 1",
        "GPS Ashta 1 0 0 0 1 0 0 1 0 0",
    ]
    # Down to the cluster (in the same session), and back up the crumbs.
    assert f'href="?unit={w.cluster.pk}&amp;year={w.year.pk}"' in page
    assert f'href="{reverse("dashboard_school", args=[rep.direct_school.pk])}"' in page
    cluster = logged_in(w.meera).get(
        reverse("dashboard_reporting"), {"unit": w.cluster.pk, "year": w.year.pk}
    )
    text = cluster.content.decode()
    assert rows(text, "reporting") == [
        "GPS Khedi 0 0 0 0 0 2 0 1 0 0",
        "GPS Rampur 5 1 1 1 2 0 1 2 1 1",
    ]
    assert f'href="/dashboard/reporting/?unit={w.block.pk}&amp;year={w.year.pk}"' in text
    # The other session is one click away and counts its own leavers.
    assert f'href="?unit={w.block.pk}&year={rep.last_year.pk}"' in page.replace("&amp;", "&")
    last = logged_in(w.meera).get(
        reverse("dashboard_reporting"), {"unit": w.block.pk, "year": rep.last_year.pk}
    )
    assert figure(last.content.decode(), "dropouts") == "1"
    assert figure(last.content.decode(), "promoted") == "0"


def test_the_downloads_hold_the_area_and_every_row(rep: Reporting) -> None:
    w = rep.world
    table = csv_rows(logged_in(w.meera), reverse("dashboard_reporting"), {"unit": str(w.block.pk)})
    assert table[0][:3] == ["Name", "Applications received", "Applications admitted"]
    assert table[0][-1] == "Drop-outs" and len(table[0]) == 11
    assert table[1:] == [
        ["Ashta", "6", "1", "1", "1", "3", "2", "1", "4", "1", "1"],
        ["Rampur", "5", "1", "1", "1", "2", "2", "1", "3", "1", "1"],
        ["GPS Ashta", "1", "0", "0", "0", "1", "0", "0", "1", "0", "0"],
    ]


def test_the_api_gives_the_same_rows(rep: Reporting, client: Client) -> None:
    w = rep.world
    api = login(client, w.meera)
    found = api.get("/dashboards/reporting", unit=w.block.pk).json()
    assert [(r["kind"], r["id"]) for r in found] == [
        ("area", w.block.pk),
        ("unit", w.cluster.pk),
        ("school", rep.direct_school.pk),
    ]
    assert found[0] == {
        "kind": "area",
        "id": w.block.pk,
        "name": "Ashta",
        "year": w.year.pk,
        "year_name": "2026-27",
        "applications": 6,
        "admitted": 1,
        "refused": 1,
        "withdrawn": 1,
        "waiting": 3,
        "transfers_in": 2,
        "transfers_out": 1,
        "promoted": 4,
        "repeaters": 1,
        "dropouts": 1,
    }
    last = api.get("/dashboards/reporting", unit=w.block.pk, year=rep.last_year.pk).json()
    assert last[0]["dropouts"] == 1 and last[0]["year_name"] == "2025-26"
    as_csv = api.get("/dashboards/reporting", unit=w.block.pk, format="xlsx")
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    lines = (
        api.get("/dashboards/reporting", unit=w.cluster.pk, format="csv")
        .content.decode("utf-8-sig")
        .splitlines()
    )
    assert lines[0].startswith("kind,id,name,year,year_name,applications,") and len(lines) == 4


# --- Who sees what -------------------------------------------------------------------


def test_each_sees_only_their_area(rep: Reporting, client: Client) -> None:
    w = rep.world
    state_officer = User.objects.create_user("shalini", password=PASSWORD)
    OfficerGrant.objects.create(user=state_officer, unit=w.state, title="State officer")
    api = login(client, state_officer)
    state = api.get("/dashboards/reporting").json()
    assert state[0]["id"] == w.state.pk and state[0]["transfers_out"] == 2
    assert {r["id"] for r in state[1:]} == {w.district.pk, rep.far_district.pk}
    meera = login(Client(), w.meera)
    # Above or beside her block: one 404, as for a unit that does not exist.
    for unit in (w.district, rep.far_district, w.state):
        assert meera.get("/dashboards/reporting", unit=unit.pk).status_code == 404
    assert meera.get("/dashboards/reporting", unit=2**62).status_code == 404
    for user in (w.ravi, w.asha, w.imran):
        assert login(Client(), user).get("/dashboards/reporting").status_code == 404
        assert logged_in(user).get(reverse("dashboard_reporting")).status_code == 404
    page = logged_in(w.meera).get(reverse("dashboard_reporting"), {"unit": w.district.pk})
    assert page.status_code == 404


def test_a_year_of_another_state_is_not_found(rep: Reporting, client: Client) -> None:
    w = rep.world
    other = orgunit_create(parent=None, kind="state", code="RJ", name="Rajasthan")
    theirs = AcademicYear.objects.create(
        unit=other, name="2026-27", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2027, 6, 30)
    )
    api = login(client, w.meera)
    answer = api.get("/dashboards/reporting", year=theirs.pk)
    assert answer.status_code == 404 and answer.json()["errors"][0]["field"] == "year"
    page = logged_in(w.meera).get(reverse("dashboard_reporting"), {"year": theirs.pk})
    assert page.status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "0"}, "year"),
        ({"year": "1\x00"}, "year"),
        ({"unit": "-3"}, "unit"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(
    rep: Reporting, client: Client, query: dict[str, str], field: str
) -> None:
    w = rep.world
    page = logged_in(w.meera).get(reverse("dashboard_reporting"), query)
    assert page.status_code == 400, query
    api = login(client, w.meera)
    answer = api.get("/dashboards/reporting", **query)
    assert answer.status_code in (400, 422), query
    assert field in answer.content.decode()


def test_no_academic_year_yet_is_a_404_not_a_500(world: World, client: Client) -> None:
    lonely = orgunit_create(parent=None, kind="state", code="GA", name="Goa")
    school_create(unit=lonely, code="30000000001", name="GPS Panaji")
    officer = User.objects.create_user("goa", password=PASSWORD)
    OfficerGrant.objects.create(user=officer, unit=lonely, title="State officer")
    answer = login(client, officer).get("/dashboards/reporting")
    assert answer.status_code == 404 and answer.json()["errors"][0]["field"] == "year"


# --- Query budget --------------------------------------------------------------------


def _more_movement(rep: Reporting, n: int) -> None:
    """A new cluster of the block with a school where each kind of record happens once
    (a transfer in from Rampur's roll, a drop-out, a promotion, an application) and a
    school attached to the block itself."""
    w = rep.world
    cluster = orgunit_create(
        parent=w.block, kind="cluster", code=f"MP-SEH-ASH-X{n}", name=f"Extra {n}"
    )
    school = school_create(unit=cluster, code=f"2337099{n:04d}", name=f"GPS Extra {n}")
    section = Section.objects.create(school=school, academic_year=w.year, grade=5)
    mover = admitted(
        w.school, w.section, f"M{n:03d}", f"Mover {n}", dt.date(2026, 4, 1), "promoted"
    )
    student_transfer(
        student=mover, section=section, admission_no="T1", on=dt.date(2026, 9, 1), by=w.ravi
    )
    gone = admitted(school, section, "D1", f"Gone {n}", dt.date(2026, 4, 1), "repeater")
    student_strike_off(
        student=gone, school=school, last_day=dt.date(2026, 10, 1), reason="Left", by=w.ravi
    )
    applied(school, w.year, Application.Status.SUBMITTED)
    direct = school_create(unit=w.block, code=f"2337098{n:04d}", name=f"GPS Block {n}")
    applied(direct, w.year, Application.Status.REFUSED)


def test_the_page_and_api_read_as_many_queries_with_more_schools(
    rep: Reporting, client: Client
) -> None:
    w = rep.world
    page = logged_in(w.meera)
    api = login(client, w.meera)
    gets = {
        "page": lambda: page.get(reverse("dashboard_reporting")).status_code,
        "download": lambda: page.get(reverse("dashboard_reporting"), {"format": "csv"}).status_code,
        "api": lambda: api.get("/dashboards/reporting").status_code,
    }

    def counts() -> dict[str, int]:
        found = {}
        for name, get in gets.items():
            assert get() == 200
            with CaptureQueriesContext(connection) as queries:
                assert get() == 200
            found[name] = len(queries)
        return found

    before = counts()
    for n in range(GROWTH):
        _more_movement(rep, n)
    assert counts() == before
    report = year_report(unit=w.block, year=w.year)
    assert report.total.figures.transfers_in == 2 + GROWTH
    assert report.total.figures.dropouts == 1 + GROWTH
    assert report.total.figures.applications == 6 + 2 * GROWTH
    assert len(report.rows) == 2 + 2 * GROWTH
    # The page's own reads (the unit, its years, its next level, one query per kind
    # of record) and the header's.
    assert before["page"] <= 16


def test_the_page_speaks_hindi(rep: Reporting) -> None:
    w = rep.world
    w.meera.language = "hi"
    w.meera.save()
    page = logged_in(w.meera).get(reverse("dashboard_reporting")).content.decode()
    assert "प्रवेश, स्थानांतरण और शाला त्याग" in page and "शाला त्यागी (ड्रॉप-आउट)" in page
    assert "रामपुर" in page and "Drop-outs" not in page and "Transfers in" not in page


def test_the_default_year(rep: Reporting) -> None:
    w = rep.world
    # In force today (the suite's clock is in 2026-27), else the latest begun, else
    # the first to come.
    assert year_for(w.block, None) == w.year
    upcoming = AcademicYear.objects.create(
        unit=w.state, name="2090-91", starts_on=dt.date(2090, 4, 1), ends_on=dt.date(2091, 3, 31)
    )
    assert year_for(w.block, None) == w.year
    assert year_for(w.block, upcoming.pk) == upcoming
    other = orgunit_create(parent=None, kind="state", code="KL", name="Kerala")
    later = AcademicYear.objects.create(
        unit=other, name="2095-96", starts_on=dt.date(2095, 6, 1), ends_on=dt.date(2096, 3, 31)
    )
    soon = AcademicYear.objects.create(
        unit=other, name="2090-91", starts_on=dt.date(2090, 6, 1), ends_on=dt.date(2091, 3, 31)
    )
    assert year_for(other, None) == soon != later
    w.year.ends_on = dt.date(2026, 10, 31)
    w.year.save()
    assert year_for(w.block, None) == w.year  # ended, the latest begun
