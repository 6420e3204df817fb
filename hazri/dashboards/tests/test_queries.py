"""Every dashboard page and endpoint reads as many queries with ten schools (or classes,
students, follow-ups) more: a query per row (N+1) fails here."""

import datetime as dt
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hazri.accounts.models import User
from hazri.attendance.services import Capture, rollcall_submit
from hazri.dashboards import weak
from hazri.dashboards.models import FollowUp, WeakStudent
from hazri.org.models import School, Section
from hazri.org.services import school_create
from hazri.people.models import Admission, Enrolment, Posting, Staff, Student
from hazri.people.selectors import section_roll
from hazri.registers.tests.test_register import mark
from hazri.testing.scheduler import rollups_counted
from hazri.testing.world import PASSWORD, World

IST = ZoneInfo("Asia/Kolkata")
DAYS = [dt.date(2026, 11, d) for d in (17, 18, 19)]
RANGE = {"period": "custom", "start": "2026-11-17", "end": "2026-11-19"}
API_RANGE = {"start": "2026-11-17", "end": "2026-11-19"}
GROWTH = 10

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(world: World) -> World:
    mark(world, DAYS[0], "PAPPP")
    mark(world, DAYS[1], "PAAPP")
    return world


def _student(school: School, section: Section, n: int) -> Student:
    student = Student.objects.create(
        name=f"Student {school.pk}-{n}", gender="F", state_id=f"Q{school.pk:04d}{n:04d}"
    )
    admission = Admission.objects.create(
        school=school, student=student, admission_no=f"Q{n:04d}", admitted_on=dt.date(2026, 4, 1)
    )
    Enrolment.objects.create(
        school=school,
        section=section,
        student=student,
        admission=admission,
        origin="new",
        starts_on=dt.date(2026, 4, 1),
    )
    return student


def _mark(section: Section, day: dt.date, codes: str, by: User) -> None:
    roll = [member.id for member in section_roll(section, day)]
    rollcall_submit(
        section=section,
        day=day,
        meeting=1,
        marks=list(zip(roll, codes, strict=True)),
        capture=Capture(
            client_uuid=uuid.uuid4(),
            captured_at=dt.datetime.combine(day, dt.time(8, 30), tzinfo=IST),
            device_clock=timezone.now(),
        ),
        by=by,
    )


def _more_schools(world: World) -> None:
    """Ten more schools in the cluster, each with a head and a class of two that marked
    one present and one absent (so each is in every list: weak, no meals recorded)."""
    for n in range(GROWTH):
        school = school_create(
            unit=world.cluster, code=f"2337019{n:04d}", name=f"GPS Extra {n}", name_local=""
        )
        section = Section.objects.create(school=school, academic_year=world.year, grade=1, name="A")
        user = User.objects.create_user(username=f"head{n}", password=PASSWORD)
        staff = Staff.objects.create(employee_code=f"X{n:03d}", name=f"Head {n}", user=user)
        Posting.objects.create(
            staff=staff, school=school, role=Posting.Role.HEAD, starts_on=dt.date(2026, 4, 1)
        )
        for k in (1, 2):
            _student(school, section, k)
        for day in DAYS[:2]:
            _mark(section, day, "PA", user)


def _more_classes(world: World) -> None:
    """Ten more classes in Rampur, each of two students, marked."""
    for n in range(GROWTH):
        section = Section.objects.create(
            school=world.school, academic_year=world.year, grade=6 + n % 3, name=f"X{n}"
        )
        for k in (1, 2):
            _student(world.school, section, 100 * (n + 1) + k)
        _mark(section, DAYS[0], "PA", world.ravi)


def _more_students(world: World) -> None:
    """Ten more students in the class the pages show."""
    for n in range(GROWTH):
        _student(world.school, world.section, 500 + n)


def _more_follow_ups(world: World) -> None:
    for n in range(GROWTH):
        FollowUp.objects.create(
            student=world.students[2],
            school=world.school,
            reason="work",
            action="call",
            note=f"call {n}",
            recorded_by=world.meera,
            recorded_at=timezone.now(),
        )


def _count(get: Callable[[], int]) -> int:
    rollups_counted()  # as the scheduler would: a GET builds nothing
    get()  # once unmeasured: a session or token touched
    with CaptureQueriesContext(connection) as queries:
        status = get()
    assert status == 200
    return len(queries)


def _page(user: User, name: str, query: dict[str, object], *args: int) -> Callable[[], int]:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return lambda: client.get(reverse(name, args=args), query).status_code


AREA_PAGES = [
    ("dashboard", RANGE),
    ("dashboard_compliance", {"day": "2026-11-18"}),
    ("dashboard_low", {"end": "2026-11-19", "threshold": "90"}),
    ("dashboard_meals", RANGE),
    ("dashboard_adoption", RANGE),
    ("dashboard_photos", RANGE),
    ("dashboard_learning", RANGE),
]


@pytest.mark.parametrize(("name", "query"), AREA_PAGES)
@pytest.mark.parametrize("level", ["block", "cluster"])
def test_an_area_page_reads_as_many_queries_with_more_schools(
    marked: World, name: str, query: dict[str, object], level: str
) -> None:
    unit = getattr(marked, level)
    get = _page(marked.meera, name, {**query, "unit": unit.pk})
    before = _count(get)
    _more_schools(marked)
    assert _count(get) == before
    # The page's own reads, and the header's: the approvals waiting for this officer
    # (her areas and postings, one COUNT).
    assert before <= 26


@pytest.mark.parametrize("table", ["", "trend", "areas", "schools"])
def test_a_download_reads_as_many_queries_with_more_schools(marked: World, table: str) -> None:
    name, query = {
        "": ("dashboard_compliance", {"day": "2026-11-18"}),
        "trend": ("dashboard", RANGE),
        "areas": ("dashboard_compliance", {"day": "2026-11-18"}),
        "schools": ("dashboard_low", {"end": "2026-11-19", "threshold": "90"}),
    }[table]
    params = {**query, "unit": marked.block.pk, "format": "csv"}
    get = _page(marked.meera, name, {**params, "table": table} if table else params)
    before = _count(get)
    _more_schools(marked)
    assert _count(get) == before


@pytest.mark.parametrize(
    ("name", "grow"),
    [
        ("dashboard_school", _more_classes),
        ("dashboard_section", _more_students),
        ("dashboard_student", _more_follow_ups),
    ],
)
def test_a_school_class_or_student_page_reads_as_many_queries_with_more_in_it(
    marked: World, name: str, grow: Callable[[World], None]
) -> None:
    target = {
        "dashboard_school": marked.school.pk,
        "dashboard_section": marked.section.pk,
        "dashboard_student": marked.students[2].pk,
    }[name]
    get = _page(marked.meera, name, RANGE if name != "dashboard_student" else {}, target)
    before = _count(get)
    grow(marked)
    assert _count(get) == before
    assert before <= 30


API = [
    ("/dashboards/area", API_RANGE),
    ("/dashboards/compliance", {"day": "2026-11-18"}),
    ("/dashboards/compliance/areas", {"day": "2026-11-18"}),
    ("/dashboards/low-attendance/schools", {"end": "2026-11-19", "threshold": 90}),
    ("/dashboards/low-attendance/students", {"end": "2026-11-19", "threshold": 90}),
    ("/dashboards/meals", API_RANGE),
    ("/dashboards/adoption", API_RANGE),
    ("/dashboards/photos", API_RANGE),
    ("/dashboards/learning", API_RANGE),
]


@pytest.mark.parametrize(("path", "query"), API)
def test_an_api_endpoint_reads_as_many_queries_with_more_schools(
    marked: World, client: Client, path: str, query: dict[str, object]
) -> None:
    from hazri.attendance.tests.conftest import login

    api = login(client, marked.meera)
    # The student list is for a cluster at most; the rest start at the block.
    unit = marked.cluster if "students" in path else marked.block
    before = _count(lambda: api.get(path, unit=unit.pk, **query).status_code)
    _more_schools(marked)
    assert _count(lambda: api.get(path, unit=unit.pk, **query).status_code) == before


@pytest.mark.parametrize("via", ["page", "download", "api"])
def test_the_nightly_student_list_reads_as_many_queries_with_more_schools(
    marked: World, client: Client, via: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hazri.attendance.tests.conftest import login

    monkeypatch.setattr(weak, "LIVE_MAX_SCHOOLS", 1)  # the block reads the nightly list
    query = {"unit": marked.block.pk, "end": "2026-11-19", "threshold": 70}
    if via == "api":
        api = login(client, marked.meera)
        get = lambda: api.get("/dashboards/low-attendance/students", **query).status_code  # noqa: E731
    else:
        extra = {"format": "csv", "table": "students"} if via == "download" else {}
        get = _page(marked.meera, "dashboard_low", {**query, **extra})
    weak.build(as_of=DAYS[-1])
    before = _count(get)
    _more_schools(marked)
    weak.build(as_of=DAYS[-1])
    assert WeakStudent.objects.count() >= GROWTH  # each new school has a weak student
    assert _count(get) == before
