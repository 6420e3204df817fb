"""Ed-Fi attendance events: our marks as Ed-Fi's categories (and our own namespace's
On Duty), two meetings a day carried without a collision of Ed-Fi's keys, only the
current versions, the file as the receiver gets it, and who may export it."""

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hazri.interop.edfi.events import school_events, school_year
from hazri.people.models import Student
from hazri.people.selectors import section_roll
from hazri.registers.tests.test_register import mark
from hazri.testing.world import PASSWORD, World

DATA = Path(__file__).parent / "data" / "edfi"
OCT_1, OCT_3 = dt.date(2026, 10, 1), dt.date(2026, 10, 3)
NAMESPACE = "uri://hazri.example/AttendanceEventCategoryDescriptor"


@pytest.fixture
def marked(world: World) -> World:
    mark(world, OCT_1, "PAPPP")
    mark(world, OCT_1, "PPPPD", meeting=2, hour=13)
    mark(world, OCT_3, "PLPPP")  # the forenoon only
    return world


def normalised(bundle: dict[str, Any], world: World) -> dict[str, Any]:
    """The bundle with this run's database ids replaced by stable names: the school as
    1, each student by their place on the roll (the ids differ from run to run)."""
    roll = [m.id for m in section_roll(world.section, OCT_1)]
    state_ids = dict(Student.objects.filter(pk__in=roll).values_list("pk", "state_id"))
    names = {state_ids[s] or f"HZ{s}": f"student-{i}" for i, s in enumerate(roll, 1)}
    text = json.dumps(bundle, ensure_ascii=False)
    text = text.replace(f'"schoolId": {world.school.pk}', '"schoolId": 1')
    for ours, name in names.items():
        text = text.replace(f'"{ours}"', f'"{name}"')
    out: dict[str, Any] = json.loads(text)
    return out


def test_the_export_is_the_file_we_expect(marked: World) -> None:
    bundle = school_events(marked.school, OCT_1, dt.date(2026, 10, 31))
    expected = json.loads((DATA / "october.json").read_text())
    assert normalised(bundle, marked) == expected


def test_two_meetings_never_collide_on_ed_fis_keys(marked: World) -> None:
    bundle = school_events(marked.school, OCT_1, OCT_3)
    school_keys = Counter(
        (
            e["attendanceEventCategoryDescriptor"],
            e["eventDate"],
            e["schoolReference"]["schoolId"],
            json.dumps(e["sessionReference"], sort_keys=True),
            e["studentReference"]["studentUniqueId"],
        )
        for e in bundle["studentSchoolAttendanceEvents"]
    )
    section_keys = Counter(
        (
            e["attendanceEventCategoryDescriptor"],
            e["eventDate"],
            json.dumps(e["sectionReference"], sort_keys=True),
            e["studentReference"]["studentUniqueId"],
        )
        for e in bundle["studentSectionAttendanceEvents"]
    )
    assert max(school_keys.values()) == 1 and max(section_keys.values()) == 1
    # Every marked meeting is one section event: 5 students, 3 meetings.
    assert len(section_keys) == 15
    # A day's shares add up to the meetings the student was marked in, of two.
    per_day: dict[tuple[str, str], float] = Counter()
    for e in bundle["studentSchoolAttendanceEvents"]:
        per_day[(e["eventDate"], e["studentReference"]["studentUniqueId"])] += e["eventDuration"]
    assert sorted(set(per_day.values())) == [0.5, 1.0]
    assert sum(1 for (day, _), v in per_day.items() if day == "2026-10-01" and v == 1.0) == 5


def test_duty_is_our_own_descriptor_and_is_published(marked: World) -> None:
    bundle = school_events(marked.school, OCT_1, OCT_1)
    categories = {
        e["attendanceEventCategoryDescriptor"] for e in bundle["studentSectionAttendanceEvents"]
    }
    assert f"{NAMESPACE}#On Duty" in categories
    assert [d["codeValue"] for d in bundle["attendanceEventCategoryDescriptors"]] == ["On Duty"]
    assert bundle["attendanceEventCategoryDescriptors"][0]["namespace"] == NAMESPACE


def test_a_state_names_its_own_namespace(marked: World, settings: Any) -> None:
    settings.HAZRI_EDFI_NAMESPACE = "uri://education.rajasthan.gov.in"
    bundle = school_events(marked.school, OCT_1, OCT_1)
    assert bundle["attendanceEventCategoryDescriptors"][0]["namespace"] == (
        "uri://education.rajasthan.gov.in/AttendanceEventCategoryDescriptor"
    )


def test_only_the_current_version_counts(marked: World) -> None:
    mark(marked, OCT_3, "PPPPP", hour=10, note="Zoya came at ten")  # a new version
    bundle = school_events(marked.school, OCT_3, OCT_3)
    categories = {
        e["attendanceEventCategoryDescriptor"] for e in bundle["studentSectionAttendanceEvents"]
    }
    assert categories == {"uri://ed-fi.org/AttendanceEventCategoryDescriptor#In Attendance"}
    assert len(bundle["studentSectionAttendanceEvents"]) == 5


def login(client: Client, username: str) -> Client:
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_head_downloads_the_file_from_the_page(marked: World, client: Client) -> None:
    login(client, "ravi")
    url = reverse("interop_edfi", args=[marked.school.pk])
    form = client.get(url)
    assert form.status_code == 200 and b'name="start"' in form.content
    response = client.get(url, {"start": "2026-10-01", "end": "2026-10-31"})
    assert response.status_code == 200
    assert (
        "edfi-attendance-23370100101-2026-10-01-2026-10-31.json" in response["Content-Disposition"]
    )
    assert normalised(json.loads(response.content), marked) == json.loads(
        (DATA / "october.json").read_text()
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-10-31&end=2026-10-01", "end"),
        ("start=2026-09-01&end=2026-10-31", "end"),
        ("start=2026-13-01&end=2026-10-31", "start"),
        ("start=2026-10-01&end=%00", "end"),
    ],
)
def test_a_bad_range_names_the_field(marked: World, client: Client, query: str, field: str) -> None:
    login(client, "ravi")
    api = client.get(f"/api/v1/edfi/attendance?school={marked.school.pk}&{query}")
    assert 400 <= api.status_code < 500
    assert field in json.dumps(api.json()["errors"])
    page = client.get(f"/schools/{marked.school.pk}/edfi/?{query}")
    assert 400 <= page.status_code < 500


def test_not_yours_and_not_there_are_one_404(marked: World, client: Client) -> None:
    login(client, "ravi")
    other = client.get(
        f"/api/v1/edfi/attendance?school={marked.other_school.pk}&start=2026-10-01&end=2026-10-02"
    )
    missing = client.get("/api/v1/edfi/attendance?school=999999&start=2026-10-01&end=2026-10-02")
    assert other.status_code == missing.status_code == 404
    assert other.json()["detail"].replace(str(marked.other_school.pk), "N") == missing.json()[
        "detail"
    ].replace("999999", "N")


def test_the_command_writes_a_file_per_school_of_an_area(marked: World, tmp_path: Path) -> None:
    call_command(
        "edfi_attendance",
        "--area",
        marked.cluster.code,
        "--start",
        "2026-10-01",
        "--end",
        "2026-12-31",
        "--out",
        str(tmp_path),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [
        "edfi-attendance-23370100101-2026-10-01-2026-12-31.json",
        "edfi-attendance-23370100102-2026-10-01-2026-12-31.json",
    ]
    ours = json.loads((tmp_path / files[0]).read_text())
    assert len(ours["studentSectionAttendanceEvents"]) == 15


def test_the_school_page_links_the_export_for_those_who_may(marked: World, client: Client) -> None:
    login(client, "ravi")
    assert b"data-edfi-export" in client.get(f"/schools/{marked.school.pk}/").content
    teacher = Client()
    login(teacher, "asha")
    assert b"data-edfi-export" not in teacher.get(f"/schools/{marked.school.pk}/").content


def test_ed_fi_names_a_school_year_by_the_year_it_ends(world: World) -> None:
    world.year.starts_on = dt.date(2026, 4, 1)
    assert school_year(world.year) == 2027
    world.year.starts_on = dt.date(2026, 1, 10)
    assert school_year(world.year) == 2026
