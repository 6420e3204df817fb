"""The low-attendance list an officer acts on: children too new on the roll left out
(the policy's minimum of school days), ranked by need, with their class and a
guardian's phone, in pages (the download holds every row)."""

import pytest
from django.urls import reverse

from hazri.attendance.tests.conftest import login
from hazri.dashboards import weak
from hazri.dashboards.students import low_attendance_students
from hazri.dashboards.tests.conftest import NOV
from hazri.dashboards.tests.test_pages import csv_rows, logged_in, rows
from hazri.registers.tests.test_register import mark
from hazri.testing.world import World

STUDENTS = "/dashboards/low-attendance/students"


@pytest.fixture
def three_days(marked: World) -> World:
    """Rampur also marks the 19th. Over the 17th to 19th (threshold 90 %): Bhavna 2 of 4
    meetings; Diya and Zoya 3 of 4, Diya absent all day once, Zoya never. Every child
    of Rampur was marked on 3 school days; Zoya's father Imran has a phone."""
    mark(marked, NOV[2], "PPPAP")
    return marked


def _names(world: World, **kwargs: object) -> list[str]:
    return [
        r.student.name
        for r in low_attendance_students(schools=[world.school], end=NOV[2], **kwargs)  # type: ignore[arg-type]
    ]


def test_children_marked_on_fewer_days_than_the_policy_are_left_out(three_days: World) -> None:
    world = three_days
    assert _names(world, threshold=90) == ["Bhavna Meena", "Diya Rajput", "Zoya Khan"]
    world.policy.low_attendance_min_days = 4  # more than the 3 days they were marked
    world.policy.save()
    assert _names(world, threshold=90) == []
    # The nightly lists keep to the same rule.
    assert weak.build(as_of=NOV[2]).students == 0
    world.policy.low_attendance_min_days = 3
    world.policy.save()
    assert _names(world, threshold=90) == ["Bhavna Meena", "Diya Rajput", "Zoya Khan"]
    assert weak.build(as_of=NOV[2]).students == 2  # under 75 % or chronic: Bhavna, Diya


def test_the_policy_default_leaves_out_a_child_marked_a_few_days(three_days: World) -> None:
    world = three_days
    world.policy.refresh_from_db()
    world.policy.low_attendance_min_days = 10  # the field's default
    world.policy.save()
    assert _names(world, threshold=90) == []


def test_the_list_is_ranked_by_need_with_class_and_phone(three_days: World, client) -> None:
    world = three_days
    api = login(client, world.meera)
    listed = api.get(STUDENTS, school=world.school.pk, end=NOV[2], threshold=90).json()
    # The lowest rate first; at 75 % Diya (absent a whole day) before Zoya (never).
    assert [(r["name"], r["pct"], r["days_absent"]) for r in listed] == [
        ("Bhavna Meena", 50.0, 1),
        ("Diya Rajput", 75.0, 1),
        ("Zoya Khan", 75.0, 0),
    ]
    assert {r["section_label"] for r in listed} == {"5 A"}
    assert {r["section"] for r in listed} == {world.section.pk}
    assert [r["guardian_phone"] for r in listed] == ["", "", "+919800000001"]
    # Pages: offset and limit, in the same order, the area's list too.
    second = api.get(STUDENTS, school=world.school.pk, end=NOV[2], threshold=90, offset=1, limit=1)
    assert [r["name"] for r in second.json()] == ["Diya Rajput"]
    area = api.get(STUDENTS, unit=world.block.pk, end=NOV[2], threshold=90, offset=2, limit=5)
    assert [r["name"] for r in area.json()] == ["Zoya Khan"]
    assert api.get(STUDENTS, unit=world.block.pk, offset=-1).status_code == 422


def test_the_page_shows_class_and_phone_and_pages(
    three_days: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = three_days
    monkeypatch.setattr("hazri.dashboards.views.lists.STUDENT_PAGE", 2)
    meera = logged_in(world.meera)
    query = {"unit": world.block.pk, "end": "2026-11-19", "threshold": "90"}
    page = meera.get(reverse("dashboard_low"), query).content.decode()
    assert [r.split(" GPS")[0] for r in rows(page, "low-students")] == [
        "Bhavna Meena",
        "Diya Rajput",
    ]
    assert "Students 1–2 of 3 · page 1 of 2" in page
    last = meera.get(reverse("dashboard_low"), {**query, "page": "2"}).content.decode()
    [zoya] = rows(last, "low-students")
    assert zoya.startswith("Zoya Khan GPS Rampur 5 A +919800000001 75.0%")
    assert 'href="tel:+919800000001"' in last
    # The download holds every row, by need.
    table = csv_rows(meera, reverse("dashboard_low"), {**query, "table": "students"})
    assert [line[0] for line in table[1:]] == ["Bhavna Meena", "Diya Rajput", "Zoya Khan"]
    assert table[0][2:4] == ["Class", "Guardian's phone"]
