"""The officers' dashboard pages through Django's test client: figures, scope, bad
input, the follow-up and meal forms, downloads, and a flat number of queries."""

import codecs
import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hazri.accounts.models import User
from hazri.dashboards.models import FollowUp, MealRecord, RollupMark
from hazri.dashboards.services import meal_record
from hazri.people.models import Enrolment
from hazri.testing.scheduler import rollups_counted
from hazri.testing.world import PASSWORD, World

NOV = [dt.date(2026, 11, d) for d in (17, 18, 19)]  # Tuesday to Thursday
IST = ZoneInfo("Asia/Kolkata")
RANGE = {"period": "custom", "start": "2026-11-17", "end": "2026-11-19"}


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def figure(page: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}"><strong>([^<]*)</strong>', page)
    assert found, name
    return found.group(1)


def row(page: str, attribute: str) -> str:
    """The text of the table row with this data attribute, tags and spaces squeezed."""
    found = re.search(rf"<tr {attribute}[^>]*>(.*?)</tr>", page, re.S)
    assert found, attribute
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def rows(page: str, table: str) -> list[str]:
    body = re.search(rf'data-table="{table}">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert body, table
    return [
        " ".join(re.sub(r"<[^>]+>", " ", r).split())
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)
    ]


def csv_rows(client: Client, url: str, query: dict[str, str]) -> list[list[str]]:
    answer = client.get(url, {**query, "format": "csv"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv"), url
    as_xlsx = client.get(url, {**query, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    # Every CSV starts with a byte-order mark, so Excel on Windows reads it as UTF-8.
    assert answer.content.startswith(codecs.BOM_UTF8), url
    table = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert sheet is not None and sheet.max_row == len(table), url
    return table


# --- The area dashboard -------------------------------------------------------------


def test_meera_starts_at_her_block_and_drills_down(marked: World) -> None:
    world = marked
    meera = logged_in(world.meera)
    assert meera.get("/").url == reverse("dashboard")
    page = meera.get(reverse("dashboard"), RANGE).content.decode()
    assert f'<h1 data-unit="{world.block.pk}">Ashta' in page
    assert figure(page, "attendance") == "80.0%"  # 12 of 15 student-meetings
    assert figure(page, "marked") == "25.0%"  # 3 of 12 roll calls
    assert figure(page, "on_roll") == "6" and figure(page, "late") == "0"
    assert rows(page, "area") == ["Rampur 2 80.0% 25.0% — 0 6"]
    # Breadcrumbs start at her block, never above it.
    assert "Sehore" not in page and "Madhya Pradesh" not in page
    drill = f'href="?unit={world.cluster.pk}&amp;period=custom&amp;start=2026-11-17'
    assert drill in page
    assert 'data-chart="trend-data"' in page and '"labels": ["17 Nov", "18 Nov", "19 Nov"]' in page

    cluster = meera.get(reverse("dashboard"), {"unit": world.cluster.pk, **RANGE})
    text = cluster.content.decode()
    assert rows(text, "area") == ["GPS Khedi — 0.0% — 0 1", "GPS Rampur 80.0% 50.0% — 0 5"]
    school_link = reverse("dashboard_school", args=[world.school.pk])
    assert f'href="{school_link}?period=custom&amp;start=2026-11-17&amp;end=2026-11-19"' in text
    assert f'data-crumb="{world.block.pk}"' in text


def test_the_periods_default_to_today(marked: World) -> None:
    meera = logged_in(marked.meera)
    for period in ("day", "week", "month"):
        page = meera.get(reverse("dashboard"), {"period": period}).content.decode()
        assert f'data-period="{period}" class="current"' in page
    assert 'data-period="day" class="current"' in meera.get(reverse("dashboard")).content.decode()


def test_a_header_sorts_the_table_without_javascript(marked: World) -> None:
    meera = logged_in(marked.meera)
    query = {"unit": marked.cluster.pk, **RANGE, "sort": "on_roll"}
    high_first = rows(
        meera.get(reverse("dashboard"), {**query, "dir": "desc"}).content.decode(), "area"
    )
    low_first = rows(
        meera.get(reverse("dashboard"), {**query, "dir": "asc"}).content.decode(), "area"
    )
    assert [r.split()[1] for r in high_first] == ["Rampur", "Khedi"]
    assert [r.split()[1] for r in low_first] == ["Khedi", "Rampur"]


def test_a_superuser_starts_at_the_state(marked: World) -> None:
    User.objects.create_superuser("root", password=PASSWORD)
    root = Client()
    assert root.login(username="root", password=PASSWORD)
    assert root.get("/").url == reverse("dashboard")
    page = root.get(reverse("dashboard"), RANGE).content.decode()
    assert f'<h1 data-unit="{marked.state.pk}">Madhya Pradesh' in page
    assert rows(page, "area")[0].startswith("Sehore 2 80.0%")
    block = root.get(reverse("dashboard"), {"unit": marked.block.pk, **RANGE}).content.decode()
    assert all(f'data-crumb="{u.pk}"' in block for u in (marked.state, marked.district))


def test_officers_and_staff_stay_in_their_area(marked: World) -> None:
    world = marked
    meera = logged_in(world.meera)
    for unit in (world.state, world.district):
        assert meera.get(reverse("dashboard"), {"unit": unit.pk}).status_code == 404
        assert meera.get(reverse("dashboard_compliance"), {"unit": unit.pk}).status_code == 404
    asha = logged_in(world.asha)
    for name in ("dashboard", "dashboard_compliance", "dashboard_low", "dashboard_meals"):
        response = asha.get(reverse(name))
        assert response.status_code == 404 and b"not in your area" in response.content
    assert asha.get(reverse("dashboard_adoption")).status_code == 404
    assert asha.get(reverse("dashboard_photos")).status_code == 404
    # A teacher sees her own school's pages, not another school's.
    assert asha.get(reverse("dashboard_school", args=[world.school.pk])).status_code == 200
    assert asha.get(reverse("dashboard_school", args=[world.other_school.pk])).status_code == 404
    assert asha.get(reverse("dashboard_section", args=[world.other_section.pk])).status_code == 404
    assert (
        b"dash-nav" not in asha.get(reverse("dashboard_section", args=[world.section.pk])).content
    )
    # A parent has their own pages: not the school's follow-ups.
    imran = logged_in(world.imran)
    assert imran.get(reverse("dashboard_student", args=[world.students[1].pk])).status_code == 404
    assert (
        logged_in(world.suresh)
        .get(reverse("dashboard_student", args=[world.students[0].pk]))
        .status_code
        == 404
    )
    assert Client().get(reverse("dashboard")).status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("name", "query", "status"),
    [
        ("dashboard", {"period": "year"}, 400),
        ("dashboard", {"start": "yesterday"}, 400),
        ("dashboard", {"start": "2026-11-20", "end": "2026-11-01"}, 422),
        ("dashboard", {"start": "2024-01-01", "end": "2026-11-01"}, 422),
        ("dashboard", {"start": "0001-01-01"}, 400),
        ("dashboard", {"unit": "abc"}, 400),
        ("dashboard", {"unit": "99999999999999999999999"}, 400),
        ("dashboard", {"unit": "0"}, 400),
        ("dashboard", {"format": "pdf"}, 400),
        ("dashboard_compliance", {"day": "2026-13-45"}, 400),
        ("dashboard_compliance", {"day": "2199-12-31"}, 422),
        ("dashboard_low", {"end": "2199-12-31"}, 422),
        ("dashboard", {"period": "custom", "start": "2199-01-01", "end": "2199-01-02"}, 422),
        ("dashboard_low", {"threshold": "500"}, 400),
        ("dashboard_low", {"threshold": "lots"}, 400),
        ("dashboard_low", {"end": "soon"}, 400),
        ("dashboard_meals", {"end": "2026-02-30"}, 400),
        ("dashboard_photos", {"period": "year"}, 400),
        ("dashboard_photos", {"format": "pdf"}, 400),
        ("dashboard_learning", {"period": "year"}, 400),
        ("dashboard_learning", {"end": "2026-02-30"}, 400),
        (
            "dashboard_adoption",
            {"period": "custom", "start": "2026-11-19", "end": "2026-11-01"},
            422,
        ),
    ],
)
def test_bad_query_values_are_a_readable_4xx(world: World, name: str, query, status: int) -> None:
    response = logged_in(world.meera).get(reverse(name), query)
    assert response.status_code == status, response.content[:500]
    assert b"error-page" in response.content


def test_a_child_who_left_for_no_school_can_still_be_followed_up(marked: World) -> None:
    """Bhavna stops coming and is struck off; she joins no other school. The low list
    still shows her (she was on the roll in the window), and her page opens."""
    bhavna = marked.students[2]
    today = timezone.localdate()
    Enrolment.objects.filter(student=bhavna).update(ends_on=today - dt.timedelta(days=3))
    url = reverse("dashboard_student", args=[bhavna.pk])
    for user in (marked.meera, marked.asha):
        page = logged_in(user).get(url)
        assert page.status_code == 200, user
    saved = logged_in(marked.meera).post(url, {"reason": "migration", "action": "home_visit"})
    assert saved.status_code == 302
    # Struck off more than a year ago: no longer on anyone's list.
    Enrolment.objects.filter(student=bhavna).update(
        starts_on=today - dt.timedelta(days=800), ends_on=today - dt.timedelta(days=400)
    )
    assert logged_in(marked.meera).get(url).status_code == 404


def test_ids_too_big_for_the_database_are_not_found(world: World) -> None:
    meera = logged_in(world.meera)
    for name in ("dashboard_school", "dashboard_section", "dashboard_student"):
        assert meera.get(reverse(name, args=[2**64])).status_code == 404


# --- A school, a section, a student ----------------------------------------------------


def test_the_school_page(marked: World) -> None:
    world = marked
    page = (
        logged_in(world.meera)
        .get(reverse("dashboard_school", args=[world.school.pk]), RANGE)
        .content.decode()
    )
    assert rows(page, "sections") == ["Class 5 A 80.0% 3 3 0 Register"]
    assert f'href="/sections/{world.section.pk}/register/"' in page
    section_link = reverse("dashboard_section", args=[world.section.pk])
    assert f'href="{section_link}?period=custom&amp;start=2026-11-17' in page
    # Bhavna was absent twice of three (both on the 17th); Zoya once of three.
    low = rows(page, "low-students")
    assert low[0].startswith("Bhavna Meena 33.3%") and low[1].startswith("Zoya Khan 66.7%")
    assert 'data-today="' in page and 'data-chart="trend-data"' in page
    assert 'id="meal-form"' not in page  # officers do not record meals


def test_the_section_page_has_every_student_with_their_rate(marked: World) -> None:
    world = marked
    url = reverse("dashboard_section", args=[world.section.pk])
    page = logged_in(world.meera).get(url, RANGE).content.decode()
    bhavna, zoya = world.students[2], world.students[1]
    assert row(page, f'data-student="{bhavna.pk}"') == "Bhavna Meena 33.3% 1 / 3 1 0"
    assert row(page, f'data-student="{zoya.pk}"') == "Zoya Khan 66.7% 2 / 3 1 0"
    assert len(rows(page, "students")) == 5
    assert f'href="{reverse("dashboard_student", args=[bhavna.pk])}"' in page
    # Only the 18th: everyone came.
    day = logged_in(world.meera).get(url, {"start": "2026-11-18", "end": "2026-11-18"})
    assert row(day.content.decode(), f'data-student="{bhavna.pk}"').startswith(
        "Bhavna Meena 100.0%"
    )


def test_the_student_page_and_a_follow_up(marked: World) -> None:
    world = marked
    bhavna = world.students[2]
    url = reverse("dashboard_student", args=[bhavna.pk])
    meera = logged_in(world.meera)
    page = meera.get(url).content.decode()
    assert figure(page, "percent") == "33.3%" and figure(page, "held") == "1 / 3"
    assert row(page, 'data-month="2026-11"') == "November 2026 3 1 0 2 1 0 33.3%"
    assert 'data-absent-days="1"' in page and "Tue 17 Nov" in page
    assert "No follow-up recorded yet." in page

    saved = meera.post(
        url, {"reason": "work", "action": "home_visit", "note": "Helps at the harvest"}
    )
    assert saved.status_code == 302
    follow_up = FollowUp.objects.get(student=bhavna)
    assert (follow_up.school, follow_up.recorded_by) == (world.school, world.meera)
    page = meera.get(url).content.decode()
    assert "Helps at the harvest" in page and "Home visit" in page and "Meera Joshi" in page

    bad = meera.post(url, {"reason": "lazy", "action": "call", "note": "?"})
    assert bad.status_code == 422 and b'data-error="bad_reason"' in bad.content
    assert (
        b'<textarea id="fu-note" name="note" maxlength="1000" rows="3">?</textarea>' in bad.content
    )
    assert meera.post(url, {}).status_code == 422
    # The school's own teacher records one too; the list is newest first.
    assert (
        logged_in(world.asha).post(url, {"reason": "illness", "action": "call"}).status_code == 302
    )
    assert FollowUp.objects.filter(student=bhavna).count() == 2
    page = meera.get(url).content.decode()
    assert page.index("Illness") < page.index("Working / harvest")


def test_the_head_records_meals_on_the_school_page(marked: World) -> None:
    world = marked
    url = reverse("dashboard_school", args=[world.school.pk])
    ravi = logged_in(world.ravi)
    assert 'id="meal-form"' in ravi.get(url).content.decode()
    assert 'id="meal-form"' not in logged_in(world.asha).get(url).content.decode()
    saved = ravi.post(url, {"day": "2026-11-18", "meals_served": "5"})
    assert saved.status_code == 302
    assert MealRecord.objects.get(school=world.school, day=NOV[1]).meals_served == 5
    for data, status, code in [
        ({"day": "2026-11-18", "meals_served": "five"}, 422, "bad_number"),
        ({"day": "2026-11-18", "meals_served": "-3"}, 422, "bad_number"),
        ({"day": "2026-11-18", "meals_served": "9000"}, 422, "out_of_range"),
        ({"day": "2099-01-01", "meals_served": "3"}, 422, "future_day"),
        ({"day": "someday", "meals_served": "3"}, 400, "bad_day"),
    ]:
        refused = ravi.post(url, data)
        assert refused.status_code == status, (data, refused.content[:300])
        assert f'data-error="{code}"'.encode() in refused.content
    # An officer may look, not record meals: the service refuses, the page says so.
    assert (
        logged_in(world.meera).post(url, {"day": "2026-11-18", "meals_served": "3"}).status_code
        == 403
    )


# --- Compliance, low attendance, meals, roll-out -------------------------------------------


def test_compliance_puts_the_schools_that_have_not_marked_first(marked: World) -> None:
    page = (
        logged_in(marked.meera)
        .get(reverse("dashboard_compliance"), {"day": "2026-11-18"})
        .content.decode()
    )
    assert [r.split(" Not")[0].split(" 1 /")[0] for r in rows(page, "compliance")] == [
        "GPS Khedi",
        "GPS Rampur",
    ]
    assert f'data-school="{marked.other_school.pk}" data-status="not-marked"' in page
    assert row(page, f'data-school="{marked.school.pk}"').startswith("GPS Rampur 1 / 2 08:30")
    assert figure(page, "not_marked") == "1"
    assert 'hx-trigger="every 60s"' in page and 'hx-select="#compliance-live"' in page
    # Meera's block has a cluster below it: the day by area first, then the schools.
    assert rows(page, "compliance-areas") == ["Rampur 2 0 1 1 0"]


def test_compliance_by_area_at_the_state(marked: World) -> None:
    from hazri.accounts.models import User

    admin = User.objects.create_superuser("root", "root@example.org", "hazri-test-pass")
    page = (
        logged_in(admin)
        .get(reverse("dashboard_compliance"), {"unit": marked.state.pk, "day": "2026-11-18"})
        .content.decode()
    )
    assert rows(page, "compliance-areas") == ["Sehore 2 0 1 1 0"]
    assert f'href="?unit={marked.district.pk}&amp;day=2026-11-18"' in page


def test_low_attendance_schools_and_students(marked: World, monkeypatch) -> None:
    meera = logged_in(marked.meera)
    query = {"end": "2026-11-19", "threshold": "85"}
    page = meera.get(reverse("dashboard_low"), query).content.decode()
    # 3 of 60 roll calls marked: the last 30 school days, two meetings a day.
    assert rows(page, "low-schools") == ["GPS Rampur 80.0% 5.0%"]
    students = rows(page, "low-students")
    # Under 75 %, and absent all day on one of two days (chronic: 10 % of days or more).
    assert (
        students[0]
        == "Bhavna Meena GPS Rampur 5 A — 33.3% 1 / 2 Low attendance Chronic absence — Record"
    )
    FollowUp.objects.create(
        school=marked.school,
        student=marked.students[2],
        reason="illness",
        action="call",
        recorded_by=marked.meera,
        recorded_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
    )
    page = meera.get(reverse("dashboard_low"), query).content.decode()
    assert rows(page, "low-students")[0].startswith(
        "Bhavna Meena GPS Rampur 5 A — 33.3% 1 / 2 Low attendance Chronic absence 20 Nov"
    )
    # A larger area reads the nightly list, not made yet here (test_weak.py reads it).
    monkeypatch.setattr("hazri.dashboards.weak.LIVE_MAX_SCHOOLS", 1)
    page = meera.get(reverse("dashboard_low"), query).content.decode()
    assert "has not been made yet" in page and 'data-table="low-students"' not in page


def test_meal_gaps(marked: World) -> None:
    meal_record(school=marked.school, day=NOV[0], meals_served=9, by=marked.ravi)
    # The page builds nothing: until the scheduled job runs it says how far it counts.
    built = RollupMark.objects.get(day=NOV[0]).built_at
    page = logged_in(marked.meera).get(reverse("dashboard_meals"), RANGE).content.decode()
    assert "data-counting" in page and figure(page, "meals_served") == "0"
    up_to = timezone.localtime(built).strftime("%H:%M")
    assert f"Figures up to {up_to}; newer marks are being counted." in page
    rollups_counted()
    page = logged_in(marked.meera).get(reverse("dashboard_meals"), RANGE).content.decode()
    assert "data-counting" not in page
    assert rows(page, "meals") == [
        "GPS Rampur Wed 18 Nov — 5 No meals recorded",
        "GPS Rampur Tue 17 Nov 9 4 More meals than children present",
    ]
    # Over the three days: 9 meals for 4 + 5 children present in the forenoons.
    assert figure(page, "meals_served") == "9" and figure(page, "present_forenoon") == "9"
    assert figure(page, "meals_pct") == "100.0%"
    assert rows(page, "meal-areas") == ["Rampur 9 9 100.0%"]
    cluster = {"unit": marked.cluster.pk, **RANGE}
    meera = logged_in(marked.meera)
    page = meera.get(reverse("dashboard_meals"), cluster).content.decode()
    assert rows(page, "meal-areas") == ["GPS Khedi 0 0 —", "GPS Rampur 9 9 100.0%"]
    assert csv_rows(meera, reverse("dashboard_meals"), {**cluster, "table": "areas"}) == [
        ["Name", "Meals served", "Present in the forenoon", "Meals per child present %"],
        ["GPS Khedi", "0", "0", ""],
        ["GPS Rampur", "9", "9", "100.0"],
    ]


def test_adoption_by_the_next_level(marked: World) -> None:
    page = (
        logged_in(marked.meera)
        .get(reverse("dashboard_adoption"), {"unit": marked.block.pk, **RANGE})
        .content.decode()
    )
    assert rows(page, "adoption") == ["Rampur 2 6 2 33.3%"]
    assert 'data-chart="adoption-data"' in page and '"type": "bar"' in page


# --- Language and queries -------------------------------------------------------------


def test_the_pages_speak_hindi(marked: World) -> None:
    marked.meera.language = "hi"
    marked.meera.save()
    meera = logged_in(marked.meera)
    page = meera.get(reverse("dashboard"), RANGE).content.decode()
    assert "आष्टा" in page and "रामपुर" in page and "उपस्थिति" in page
    assert "Attendance" not in re.sub(r"<script.*?</script>", "", page, flags=re.S)
    student = meera.get(reverse("dashboard_student", args=[marked.students[2].pk])).content
    assert "फ़ॉलो-अप".encode() in student or "अनुवर्ती".encode() in student


def test_the_dashboard_query_bound(marked: World, django_assert_max_num_queries) -> None:
    rollups_counted()
    meera = logged_in(marked.meera)
    with django_assert_max_num_queries(20):
        meera.get(reverse("dashboard"), {"unit": marked.cluster.pk, **RANGE})


def test_the_note_on_figures_not_counted_yet_is_translated() -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    from hazri.dashboards.rollups import Freshness

    at = dt.datetime(2026, 11, 17, 5, 12, tzinfo=dt.UTC)  # 10:42 in India
    with translation.override("hi"), timezone.override(ZoneInfo("Asia/Kolkata")):
        behind = render_to_string(
            "dashboards/_counting.html", {"counted": Freshness(behind=(NOV[0],), counted_up_to=at)}
        )
        never = render_to_string("dashboards/_counting.html", {"counted": Freshness((NOV[0],))})
        counted = render_to_string("dashboards/_counting.html", {"counted": Freshness()})
    assert "10:42 तक के आँकड़े" in behind and "कुछ दिनों की गिनती" in never
    assert counted.strip() == ""
