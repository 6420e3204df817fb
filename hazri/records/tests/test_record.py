"""The lifelong record: who sees a child's whole history, and what it holds."""

import datetime as dt

import pytest

from hazri.accounts.models import OfficerGrant, User
from hazri.org.services import orgunit_create
from hazri.registers.services import exam_result_set
from hazri.registers.tests.test_register import mark
from hazri.testing.world import PASSWORD, SCHOOL_DAY, World

from .conftest import NextYear, results, signed_in


@pytest.fixture
def zoya_user(world: World) -> User:
    user = User.objects.create_user("zoya", password=PASSWORD)
    zoya = world.students[1]
    zoya.user = user
    zoya.save(update_fields=["user"])
    return user


def test_each_role_sees_the_record_within_its_scope(world: World, zoya_user: User) -> None:
    zoya = world.students[1]
    path = f"/api/v1/students/{zoya.pk}/record"
    other_officer = User.objects.create_user("neha", password=PASSWORD)
    other_district = orgunit_create(
        parent=world.state, kind="district", code="MP-BPL", name="Bhopal"
    )
    OfficerGrant.objects.create(user=other_officer, unit=other_district, title="DEO")
    for user, status in [
        (world.imran, 200),  # her father
        (zoya_user, 200),  # herself
        (world.ravi, 200),  # her school's head
        (world.asha, 200),  # her school's teacher
        (world.meera, 200),  # the block officer over her school
        (world.suresh, 404),  # a teacher of another school: not his
        (other_officer, 404),  # an officer of another district
    ]:
        assert signed_in(user).get(path).status_code == status, user
    # A parent sees only their own child.
    assert (
        signed_in(world.imran).get(f"/api/v1/students/{world.students[0].pk}/record").status_code
        == 404
    )
    assert (
        signed_in(world.imran).get(f"/records/students/{world.students[0].pk}/").status_code == 404
    )


def test_the_record_holds_sessions_months_and_result_versions(
    world: World, next_year: NextYear
) -> None:
    zoya = world.students[1]
    mark(world, SCHOOL_DAY - dt.timedelta(days=1), "PPAPP")
    mark(world, SCHOOL_DAY, "PPPPP")
    mark(world, dt.date(2026, 10, 15), "PPPPP")
    results(world, "passed", "failed", "passed", "passed", "passed")
    exam_result_set(
        section=world.section,
        student=zoya,
        result="supplementary",
        reason="Re-totalled",
        by=world.ravi,
    )
    assert (
        signed_in(world.ravi)
        .post(
            f"/api/v1/sections/{world.section.pk}/year-end", "{}", content_type="application/json"
        )
        .status_code
        == 201
    )
    record = signed_in(world.imran).get(f"/api/v1/students/{zoya.pk}/record").json()
    assert [s["name"] for s in record["sessions"]] == ["2026-27", "2027-28"]
    this, following = record["sessions"]
    assert [(m["month"], m["held"], m["attended"]) for m in this["months"]] == [
        ("2026-10-01", 1, 1),
        ("2026-11-01", 2, 1),
    ]
    assert [(r["result"], r["version"], r["current"]) for r in this["results"]] == [
        ("failed", 1, False),
        ("supplementary", 2, True),
    ]
    assert this["results"][1]["reason"] == "Re-totalled"
    # Supplementary: up to class 6, first on its roll.
    assert [(e["label"], e["origin"]) for e in following["enrolments"]] == [("6 A", "repeater")]
    page = signed_in(world.imran).get(f"/records/students/{zoya.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2027-28" in text and "6 A" in text and "Re-totalled" in text
