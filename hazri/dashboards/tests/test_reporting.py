"""Reporting across the system (SPEC §4.2): applications, transfers, promotions and
drop-outs of an area over a year, from the records themselves (reporting_world.py
says what each figure is and why)."""

import pytest

from hazri.dashboards.selectors.reporting import FIGURES, Movement, year_report
from hazri.dashboards.tests.reporting_world import Reporting, reporting_world
from hazri.testing.world import World

pytestmark = pytest.mark.django_db


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
