"""Attendance against learning (SPEC §1.8): an area's students by attendance band
with their average grade, on the page, its downloads and the API, each over the
officer's area only."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hazri.accounts.models import OfficerGrant, User
from hazri.attendance.tests.conftest import login
from hazri.dashboards import selectors
from hazri.dashboards.selectors import learning
from hazri.dashboards.selectors.learning import bands_for
from hazri.dashboards.tests.test_pages import RANGE, csv_rows, figure, logged_in, rows
from hazri.dashboards.tests.test_queries import _mark, _student
from hazri.journal.models import Grade, WorkKind
from hazri.journal.tests.journal_fixtures import Journal, journal_world
from hazri.org.models import OrgUnit, Section
from hazri.org.services import orgunit_create, school_create
from hazri.people.models import Posting, Staff, Student
from hazri.registers.tests.test_register import mark
from hazri.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db

NOV = {d: dt.date(2026, 11, d) for d in (10, 17, 18, 20)}


def _grade(
    journal: Journal,
    section: Section,
    student: Student,
    kind: WorkKind,
    points: str,
    day: dt.date = NOV[17],
    **fields: object,
) -> Grade:
    work = uuid.uuid4()
    return Grade.objects.create(
        school_id=section.school_id,
        section=section,
        subject=journal.maths,
        student=student,
        term=journal.term2,
        kind=kind,
        day=day,
        value=points,
        points=Decimal(points),
        work=fields.pop("work", work),
        client_uuid=uuid.uuid4(),
        given_by=User.objects.get(username="asha"),
        given_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def graded(world: World) -> World:
    """17-18 November, two meetings a day at Rampur (roll order Aarav, Bhavna, Zoya,
    Diya, Kabir) and one at Khedi (Gopal):
        Aarav 4 of 4 (100 %): a test of 100 and an oral of 50 → (200 + 50) / 3 = 83.33
        Bhavna 3 of 4 (75 %, the band's lower edge): an oral of 70
        Zoya 2 of 4 (50 %): an oral of 40 (its first version, 100, is not current; a
            withdrawn grade of 100 and one of 0 on the 10th are not counted)
        Diya 3 of 4 (75 %): a test of 55
        Kabir 0 of 4: no grade
        Gopal 1 of 1 (100 %): an oral of 30
    Not counted: a roll call of the 20th (all absent, after the period), and GPS Far in
    another block (one child present, graded 100)."""
    journal = journal_world(world)
    for day, meeting, marks in [
        (NOV[17], 1, "PPPPA"),
        (NOV[17], 2, "PPPAA"),
        (NOV[18], 1, "PPAPA"),
        (NOV[18], 2, "PAAPA"),
        (NOV[20], 1, "AAAAA"),
    ]:
        mark(world, day, marks, meeting=meeting, hour=8 if meeting == 1 else 12)
    _mark(world.other_section, NOV[17], "P", world.suresh)
    child = {s.name.split()[0]: s for s in Student.objects.all()}
    section = world.section
    _grade(journal, section, child["Aarav"], journal.test, "100")
    _grade(journal, section, child["Aarav"], journal.oral, "50", NOV[18])
    _grade(journal, section, child["Bhavna"], journal.oral, "70")
    first = _grade(journal, section, child["Zoya"], journal.oral, "100", is_current=False)
    _grade(journal, section, child["Zoya"], journal.oral, "40", work=first.work, version=2)
    _grade(journal, section, child["Zoya"], journal.test, "100", withdrawn=True)
    _grade(journal, section, child["Zoya"], journal.test, "0", NOV[10])
    _grade(journal, section, child["Diya"], journal.test, "55")
    _grade(journal, world.other_section, child["Gopal"], journal.oral, "30")

    block = orgunit_create(
        parent=world.district, kind="block", code="MP-SEH-ICH", name="Ichhawar", name_local="इछावर"
    )
    cluster = orgunit_create(
        parent=block, kind="cluster", code="MP-SEH-ICH-1", name="Ichhawar 1", name_local=""
    )
    far = school_create(unit=cluster, code="23370200101", name="GPS Far", name_local="")
    far_section = Section.objects.create(school=far, academic_year=world.year, grade=2, name="A")
    head = User.objects.create_user(username="farhead", password=PASSWORD)
    member = Staff.objects.create(employee_code="FAR01", name="Far head", user=head)
    Posting.objects.create(
        staff=member, school=far, role=Posting.Role.HEAD, starts_on=dt.date(2026, 4, 1)
    )
    pupil = _student(far, far_section, 1)
    _mark(far_section, NOV[17], "P", head)
    _grade(journal, far_section, pupil, journal.oral, "100")
    world.far_block = block  # type: ignore[attr-defined]
    return world


def test_the_bands_follow_the_states_threshold() -> None:
    assert [b.key for b in bands_for(75)] == ["0-60", "60-75", "75-90", "90-100"]
    assert [b.key for b in bands_for(80)] == ["0-60", "60-80", "80-90", "90-100"]
    # A threshold outside 60-90 would make an empty or a reversed band: 75 instead.
    assert [b.key for b in bands_for(50)] == ["0-60", "60-75", "75-90", "90-100"]
    assert [b.key for b in bands_for(90)] == ["0-60", "60-75", "75-90", "90-100"]


def test_the_figures_by_band(graded: World) -> None:
    world = graded
    report = selectors.attendance_and_learning(unit=world.block, start=NOV[17], end=NOV[18])
    figures = [(f.band.key, f.students, f.graded, f.average_grade) for f in report.total.bands]
    assert figures == [
        ("0-60", 2, 1, 40.0),  # Zoya 40, Kabir ungraded
        ("60-75", 0, 0, None),
        ("75-90", 2, 2, 62.5),  # Bhavna 70, Diya 55
        ("90-100", 2, 2, 56.7),  # Aarav 83.33, Gopal 30: 170/3 = 56.67
    ]
    assert [r.name for r in report.rows] == ["Rampur"]
    assert report.rows[0].bands == report.total.bands
    # By school in the cluster.
    cluster = selectors.attendance_and_learning(unit=world.cluster, start=NOV[17], end=NOV[18])
    by_school = {r.name: [(f.students, f.average_grade) for f in r.bands] for r in cluster.rows}
    assert by_school == {
        "GPS Khedi": [(0, None), (0, None), (0, None), (1, 30.0)],
        "GPS Rampur": [(2, 40.0), (0, None), (2, 62.5), (1, 83.3)],
    }
    # The 20th's roll call counts when the period holds it: Aarav 4 of 5 is 80 %.
    later = selectors.attendance_and_learning(unit=world.cluster, start=NOV[17], end=NOV[20])
    assert [f.students for f in later.total.bands] == [2, 2, 1, 1]


def test_the_report_reads_in_rounds_of_schools(
    graded: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = selectors.attendance_and_learning(unit=graded.district, start=NOV[17], end=NOV[18])
    monkeypatch.setattr(learning, "ROUND", 1)
    by_one = selectors.attendance_and_learning(unit=graded.district, start=NOV[17], end=NOV[18])
    assert by_one == whole
    assert [f.students for f in whole.total.bands] == [2, 0, 2, 3]  # with GPS Far


def test_the_page_and_a_school_outside_the_area(graded: World) -> None:
    world = graded
    meera = logged_in(world.meera)
    page = meera.get(reverse("dashboard_learning"), RANGE).content.decode()
    assert f'<h1 data-unit="{world.block.pk}">' in page
    assert figure(page, "students") == "6"
    assert rows(page, "learning-total") == [
        "Under 60% 2 33.3% 1 40.0",
        "60–75% 0 0.0% 0 —",
        "75–90% 2 33.3% 2 62.5",
        "90% or more 2 33.3% 2 56.7",
    ]
    assert rows(page, "learning")[0] == "Rampur Under 60% 2 33.3% 1 40.0"
    assert 'data-chart="learning-data"' in page and '"type": "bar"' in page
    assert 'data-nav="dashboard_learning" class="current"' in page
    far_block: OrgUnit = world.far_block  # type: ignore[attr-defined]
    assert meera.get(reverse("dashboard_learning"), {"unit": far_block.pk}).status_code == 404
    officer = User.objects.create_user("dpc", password=PASSWORD)
    OfficerGrant.objects.create(user=officer, unit=world.district, title="District officer")
    district = logged_in(officer).get(reverse("dashboard_learning"), RANGE).content.decode()
    assert rows(district, "learning-total")[3] == "90% or more 3 42.9% 3 71.1"  # + Far's 100
    by_block = rows(district, "learning")
    assert by_block[4] == "Ichhawar Under 60% 0 0.0% 0 —"
    assert by_block[7] == "90% or more 1 100.0% 1 100.0"


def test_the_table_downloads(graded: World) -> None:
    world = graded
    meera = logged_in(world.meera)
    page = meera.get(reverse("dashboard_learning"), RANGE).content.decode()
    assert 'data-export="csv"' in page and 'data-export="xlsx"' in page
    table = csv_rows(meera, reverse("dashboard_learning"), {"unit": world.cluster.pk, **RANGE})
    assert table[0] == [
        "Name",
        "Attendance band",
        "Students",
        "Share of students %",
        "Students graded",
        "Average grade (0–100)",
    ]
    assert table[1:5] == [
        ["Rampur", "Under 60%", "2", "33.3", "1", "40.0"],
        ["Rampur", "60–75%", "0", "0.0", "0", ""],
        ["Rampur", "75–90%", "2", "33.3", "2", "62.5"],
        ["Rampur", "90% or more", "2", "33.3", "2", "56.7"],
    ]
    assert table[5:] == [
        ["GPS Khedi", "Under 60%", "0", "0.0", "0", ""],
        ["GPS Khedi", "60–75%", "0", "0.0", "0", ""],
        ["GPS Khedi", "75–90%", "0", "0.0", "0", ""],
        ["GPS Khedi", "90% or more", "1", "100.0", "1", "30.0"],
        ["GPS Rampur", "Under 60%", "2", "40.0", "1", "40.0"],
        ["GPS Rampur", "60–75%", "0", "0.0", "0", ""],
        ["GPS Rampur", "75–90%", "2", "40.0", "2", "62.5"],
        ["GPS Rampur", "90% or more", "1", "20.0", "1", "83.3"],
    ]


def test_the_api(graded: World, client: Client) -> None:
    world = graded
    api = login(client, world.meera)
    answer = api.get("/dashboards/learning", start="2026-11-17", end="2026-11-18")
    assert answer.status_code == 200, answer.content
    found = answer.json()
    assert len(found) == 8  # the block, then its one cluster, four bands each
    assert found[3] == {
        "kind": "area",
        "id": world.block.pk,
        "name": "Ashta",
        "band": "90-100",
        "attendance_from": 90,
        "attendance_to": 100,
        "students": 2,
        "students_pct": 33.3,
        "graded": 2,
        "average_grade": 56.7,
    }
    assert found[4]["kind"] == "unit" and found[4]["id"] == world.cluster.pk
    assert found[4]["band"] == "0-60" and found[4]["average_grade"] == 40.0
    as_csv = api.get(
        "/dashboards/learning", unit=world.cluster.pk, format="csv", start="2026-11-17"
    )
    lines = as_csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("kind,id,name,band,") and len(lines) == 13
    far_block: OrgUnit = world.far_block  # type: ignore[attr-defined]
    assert api.get("/dashboards/learning", unit=far_block.pk).status_code == 404
    assert login(Client(), world.asha).get("/dashboards/learning").status_code == 404
    bad = api.get("/dashboards/learning", start="2026-13-01")
    assert bad.status_code == 422 and "start" in bad.content.decode()


def test_the_page_speaks_hindi(graded: World) -> None:
    graded.meera.language = "hi"
    graded.meera.save()
    page = logged_in(graded.meera).get(reverse("dashboard_learning"), RANGE).content.decode()
    assert "उपस्थिति और पढ़ाई" in page and "रामपुर" in page
    assert "Average grade" not in page and "Attendance band" not in page
