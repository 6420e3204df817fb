"""Photo attendance over an area (SPEC §2.4): the share of roll calls made from photos
and the teachers' corrections per 100 children, on the page, its download and the API,
each over the officer's area only."""

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hazri.accounts.models import OfficerGrant, User
from hazri.attendance.models import RollCall, Source
from hazri.attendance.tests.conftest import login
from hazri.dashboards import selectors
from hazri.dashboards.selectors import photos as photo_selectors
from hazri.dashboards.tests.test_pages import RANGE, csv_rows, figure, logged_in, rows
from hazri.dashboards.tests.test_queries import _mark, _student
from hazri.faces.models import PhotoSet
from hazri.org.models import OrgUnit, School, Section
from hazri.org.services import orgunit_create, school_create
from hazri.people.models import Posting, Staff
from hazri.registers.tests.test_register import mark
from hazri.testing.world import PASSWORD, World

IST = ZoneInfo("Asia/Kolkata")
NOV = [dt.date(2026, 11, d) for d in (10, 17, 18, 19)]

pytestmark = pytest.mark.django_db


def _photo_set(
    school: School, section: Section, day: dt.date, by: User, meeting: int = 1, **fields: Any
) -> PhotoSet:
    return PhotoSet.objects.create(
        school=school,
        section=section,
        day=day,
        meeting=meeting,
        client_uuid=uuid.uuid4(),
        taken_by=by,
        expected=2,
        device_captured_at=dt.datetime.combine(day, dt.time(8, 30), tzinfo=IST),
        created_at=timezone.now(),
        **fields,
    )


def _reviewed(
    world: World, day: dt.date, marks: str, *, to_absent: int, to_present: int
) -> PhotoSet:
    """Rampur's 5 A photographed on the day and reviewed by Asha: the roll call (source
    photo) and the set with the teacher's corrections, as the review stores them.
    (Written here, not through faces' review_submit: see the report on its nested
    durable transaction.)"""
    sheet = mark(world, day, marks)
    RollCall.objects.filter(pk=sheet.pk).update(source=Source.PHOTO)
    return _photo_set(
        world.school,
        world.section,
        day,
        world.asha,
        status=PhotoSet.Status.SUBMITTED,
        rollcall=sheet,
        submitted_at=timezone.now(),
        children=len(marks),
        to_absent=to_absent,
        to_present=to_present,
    )


@pytest.fixture
def photographed(world: World) -> World:
    """Rampur, 17-19 November: two roll calls from photos and one marked by hand.
    The 17th: Bhavna proposed present, marked absent; Diya not seen, marked present.
    The 18th: two proposed present, marked absent. 10 children reviewed: 3 present →
    absent and 1 absent → present. Not counted: a set still waiting for review, one
    reviewed before the period, and a school in another block (GPS Far, Ichhawar)."""
    _reviewed(world, NOV[1], "PAPPP", to_absent=1, to_present=1)
    _reviewed(world, NOV[2], "PPPAA", to_absent=2, to_present=0)
    mark(world, NOV[1], "PAAPP", meeting=2, hour=12)
    _photo_set(
        world.school, world.section, NOV[3], world.asha, status=PhotoSet.Status.PROPOSED, children=5
    )
    _photo_set(
        world.school,
        world.section,
        NOV[0],
        world.asha,
        status=PhotoSet.Status.SUBMITTED,
        children=5,
        to_absent=5,
    )
    block = orgunit_create(
        parent=world.district, kind="block", code="MP-SEH-ICH", name="Ichhawar", name_local="इछावर"
    )
    cluster = orgunit_create(
        parent=block, kind="cluster", code="MP-SEH-ICH-1", name="Ichhawar 1", name_local=""
    )
    far = school_create(unit=cluster, code="23370200101", name="GPS Far", name_local="")
    section = Section.objects.create(school=far, academic_year=world.year, grade=2, name="A")
    head = User.objects.create_user(username="farhead", password=PASSWORD)
    member = Staff.objects.create(employee_code="FAR01", name="Far head", user=head)
    Posting.objects.create(
        staff=member, school=far, role=Posting.Role.HEAD, starts_on=dt.date(2026, 4, 1)
    )
    for n in (1, 2):
        _student(far, section, n)
    _mark(section, NOV[2], "PA", head)
    RollCall.objects.filter(school_id=far.pk).update(source=Source.PHOTO)
    _photo_set(
        far, section, NOV[2], head, status=PhotoSet.Status.SUBMITTED, children=2, to_absent=2
    )
    world.far_block = block  # type: ignore[attr-defined]
    return world


def test_the_figures_by_area_and_by_school(photographed: World) -> None:
    world = photographed
    meera = logged_in(world.meera)
    page = meera.get(reverse("dashboard_photos"), RANGE).content.decode()
    assert f'<h1 data-unit="{world.block.pk}">' in page
    # 2 of Rampur's 3 roll calls from photos; 3 and 1 corrections of 10 children.
    assert rows(page, "photos") == ["Rampur 1 of 2 3 66.7% 10 30.0 10.0"]
    assert figure(page, "from_photos") == "66.7%" and figure(page, "children") == "10"
    assert figure(page, "to_absent") == "30.0" and figure(page, "to_present") == "10.0"
    assert figure(page, "schools_with_photos") == "1"
    assert 'data-chart="photos-data"' in page and '"type": "bar"' in page
    assert f'href="?unit={world.cluster.pk}&amp;period=custom' in page
    assert 'data-nav="dashboard_photos" class="current"' in page

    cluster = meera.get(reverse("dashboard_photos"), {"unit": world.cluster.pk, **RANGE})
    assert rows(cluster.content.decode(), "photos") == [
        "GPS Khedi 0 of 1 0 — 0 — —",
        "GPS Rampur 1 of 1 3 66.7% 10 30.0 10.0",
    ]
    school_link = reverse("dashboard_school", args=[world.school.pk])
    assert f'href="{school_link}?period=custom' in cluster.content.decode()


def test_a_school_outside_the_area_is_not_counted(photographed: World) -> None:
    world = photographed
    far_block: OrgUnit = world.far_block  # type: ignore[attr-defined]
    meera = logged_in(world.meera)
    assert meera.get(reverse("dashboard_photos"), {"unit": far_block.pk}).status_code == 404
    assert meera.get(reverse("dashboard_photos"), {"unit": world.district.pk}).status_code == 404
    # The district's officer sees both blocks, each with its own schools only.
    officer = User.objects.create_user("dpc", password=PASSWORD)
    OfficerGrant.objects.create(user=officer, unit=world.district, title="District officer")
    page = logged_in(officer).get(reverse("dashboard_photos"), RANGE).content.decode()
    assert rows(page, "photos") == [
        "Ashta 1 of 2 3 66.7% 10 30.0 10.0",
        "Ichhawar 1 of 1 1 100.0% 2 100.0 0.0",
    ]
    assert figure(page, "from_photos") == "75.0%"  # 3 of 4
    assert figure(page, "to_absent") == "41.7"  # 5 of 12 children


def test_the_report_reads_in_rounds_of_schools(
    photographed: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = selectors.photo_adoption(unit=photographed.district, start=NOV[1], end=NOV[3])
    monkeypatch.setattr(photo_selectors, "SCHOOLS_PER_READ", 1)
    by_one = selectors.photo_adoption(unit=photographed.district, start=NOV[1], end=NOV[3])
    assert by_one == whole
    assert (whole.total.schools, whole.total.rollcalls, whole.total.children) == (3, 4, 12)
    # The set reviewed on the 10th counts when the period holds it.
    earlier = selectors.photo_adoption(unit=photographed.cluster, start=NOV[0], end=NOV[0])
    assert (earlier.total.children, earlier.total.to_absent_per_100) == (5, 100.0)
    assert earlier.total.photo_pct is None  # no roll call that day: no share


def test_the_table_downloads(photographed: World) -> None:
    world = photographed
    meera = logged_in(world.meera)
    page = meera.get(reverse("dashboard_photos"), RANGE).content.decode()
    assert 'data-export="csv"' in page and 'data-export="xlsx"' in page
    query = {"unit": world.cluster.pk, **RANGE}
    assert csv_rows(meera, reverse("dashboard_photos"), query) == [
        [
            "Name",
            "Schools",
            "Schools using photos",
            "Roll calls",
            "Roll calls from photos",
            "From photos %",
            "Children reviewed",
            "Present → absent",
            "Absent → present",
            "Present → absent per 100 children",
            "Absent → present per 100 children",
        ],
        ["GPS Khedi", "1", "0", "0", "0", "", "0", "0", "0", "", ""],
        ["GPS Rampur", "1", "1", "3", "2", "66.7", "10", "3", "1", "30.0", "10.0"],
    ]


def test_the_api(photographed: World, client: Client) -> None:
    world = photographed
    api = login(client, world.meera)
    answer = api.get("/dashboards/photos", start="2026-11-17", end="2026-11-19")
    assert answer.status_code == 200, answer.content
    assert answer.json() == [
        {
            "kind": "unit",
            "id": world.cluster.pk,
            "name": "Rampur",
            "schools": 2,
            "schools_with_photos": 1,
            "rollcalls": 3,
            "from_photos": 2,
            "photo_pct": 66.7,
            "children": 10,
            "to_absent": 3,
            "to_present": 1,
            "to_absent_per_100": 30.0,
            "to_present_per_100": 10.0,
        }
    ]
    as_csv = api.get("/dashboards/photos", unit=world.cluster.pk, format="csv", start="2026-11-17")
    lines = as_csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("kind,id,name,schools,") and len(lines) == 3
    far_block: OrgUnit = world.far_block  # type: ignore[attr-defined]
    assert api.get("/dashboards/photos", unit=far_block.pk).status_code == 404
    assert login(Client(), world.asha).get("/dashboards/photos").status_code == 404


def test_the_page_speaks_hindi(photographed: World) -> None:
    photographed.meera.language = "hi"
    photographed.meera.save()
    page = logged_in(photographed.meera).get(reverse("dashboard_photos"), RANGE).content.decode()
    assert "फ़ोटो" in page and "रामपुर" in page
    assert "Roll calls" not in page and "Children reviewed" not in page
