"""The headmaster's and teachers' pages, through Django's test client."""

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hazri.accounts.models import User
from hazri.attendance import services
from hazri.attendance.models import RollCall, StaffRollCall
from hazri.audit.models import AuditEvent
from hazri.org.selectors import school_today
from hazri.people.selectors import school_staff_roll, section_roll
from hazri.testing.world import HOLIDAY, PASSWORD, SCHOOL_DAY, SUNDAY, World, morning_timezone

LEGAL_ORDER = ["Aarav Sharma", "Bhavna Meena", "Zoya Khan", "Diya Rajput", "Kabir Singh"]


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def ravi(world: World) -> Client:
    return logged_in(world.ravi)


@pytest.fixture
def morning(world: World) -> World:
    """Today is a school day at the school, and it is 09:xx there: marking is open."""
    world.school.timezone = morning_timezone()
    world.school.save()
    world.policy.weekly_offs = []
    world.policy.save()
    return world


def day_url(world: World, day: Any = None) -> str:
    url = reverse("school_day", args=[world.school.pk])
    return f"{url}?day={day.isoformat()}" if day else url


def mark_url(world: World, meeting: int = 1) -> str:
    return f"{reverse('section_mark', args=[world.section.pk])}?meeting={meeting}"


def history_url(world: World, meeting: int = 1) -> str:
    today = school_today(world.school)
    return f"{reverse('section_history', args=[world.section.pk])}?day={today}&meeting={meeting}"


def form_data(
    world: World, codes: str, *, client_uuid: str | None = None, note: str = ""
) -> dict[str, str]:
    today = school_today(world.school)
    data = {
        "client_uuid": client_uuid or str(uuid.uuid4()),
        "day": today.isoformat(),
        "meeting": "1",
        "note": note,
    }
    for member, code in zip(section_roll(world.section, today), codes, strict=False):
        data[f"mark-{member.id}"] = code
    return data


# --- Login, home, language ------------------------------------------------------------


def test_pages_need_login(world: World, client: Client) -> None:
    for url in [
        "/",
        day_url(world),
        mark_url(world),
        history_url(world),
        reverse("staff_mark", args=[world.school.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_and_login(world: World, client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content
    world.ravi.language = "hi"
    world.ravi.save()
    response = client.post(reverse("login"), {"username": "ravi", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    # The user's saved language is the page language from now on.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"


def test_login_with_wrong_password(world: World, client: Client) -> None:
    response = client.post(reverse("login"), {"username": "ravi", "password": "nope"})
    assert response.status_code == 200
    assert b"Wrong username or password" in response.content


def test_logout_is_a_post(world: World, ravi: Client) -> None:
    response = ravi.post(reverse("logout"))
    assert response.status_code == 302
    assert ravi.get("/").status_code == 302  # back to the login page


def test_home_goes_to_the_only_school(world: World, ravi: Client) -> None:
    response = ravi.get("/")
    assert response.status_code == 302
    assert response["Location"] == day_url(world)


def test_officer_home_goes_to_the_dashboard(world: World) -> None:
    response = logged_in(world.meera).get("/")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_language_switch_saves_the_choice(world: World, ravi: Client) -> None:
    response = ravi.post(reverse("language"), {"language": "hi", "next": day_url(world)})
    assert response.status_code == 302
    assert response["Location"] == day_url(world)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"
    world.ravi.refresh_from_db()
    assert world.ravi.language == "hi"
    page = ravi.get(day_url(world)).content.decode()
    assert "उपस्थिति" in page
    assert 'lang="hi"' in page


def test_language_switch_refuses_other_sites(world: World, ravi: Client) -> None:
    response = ravi.post(reverse("language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_hindi_user_sees_hindi_pages_and_names(morning: World) -> None:
    morning.ravi.language = "hi"
    morning.ravi.save()
    client = logged_in(morning.ravi)
    day_page = client.get(day_url(morning)).content.decode()
    assert "उपस्थिति" in day_page
    assert "दर्ज नहीं" in day_page  # not marked
    assert "शासकीय प्राथमिक शाला रामपुर" in day_page
    mark_page = client.get(mark_url(morning)).content.decode()
    assert "आरव शर्मा" in mark_page
    assert "अनुपस्थित" in mark_page
    assert "Aarav Sharma" not in mark_page


# --- School day ------------------------------------------------------------------------


def test_school_day_lists_section_not_marked(morning: World, ravi: Client) -> None:
    response = ravi.get(day_url(morning))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Class 5 A" in page
    assert "Not marked" in page
    assert 'data-status="marked"' not in page
    assert reverse("section_mark", args=[morning.section.pk]) in page
    assert [(m["done"], m["total"]) for m in response.context["meetings_done"]] == [(0, 1), (0, 1)]


def test_the_summary_counts_each_meeting_as_it_happens(morning: World) -> None:
    client = logged_in(morning.ravi)
    assert client.post(mark_url(morning), form_data(morning, "PPAPP")).status_code == 302
    page = client.get(day_url(morning)).content.decode()
    # Right after the forenoon: the forenoon is done, the afternoon still to come.
    assert 'data-meeting-done="1" data-done="1" data-total="1"' in page
    assert 'data-meeting-done="2" data-done="0" data-total="1"' in page
    assert "Forenoon: <strong>1 / 1</strong>" in page
    assert "Afternoon: <strong>0 / 1</strong>" in page


def test_school_day_says_sunday_and_holiday(world: World, ravi: Client) -> None:
    page = ravi.get(day_url(world, SUNDAY)).content.decode()
    assert "Sunday: weekly off" in page
    assert "mark-button" not in page
    assert "No school" in page and "Not marked" not in page
    page = ravi.get(day_url(world, HOLIDAY)).content.decode()
    assert "Holiday: Local fair" in page
    page = ravi.get(day_url(world, SCHOOL_DAY)).content.decode()
    assert "School day" in page


def test_bad_query_is_a_4xx_not_a_500(world: World, ravi: Client) -> None:
    for day in ["2026-13-45", "0001-01-01", "9999-12-31", "yesterday"]:
        response = ravi.get(f"{day_url(world)}?day={day}")
        assert response.status_code == 400, day
        assert b"not a valid date" in response.content
    response = ravi.get(mark_url(world, meeting=3))
    assert response.status_code == 422
    response = ravi.get(f"{history_url(world)}x")
    assert response.status_code == 422


def test_unknown_page_is_a_404_page(world: World, ravi: Client) -> None:
    response = ravi.get("/schools/999999/")
    assert response.status_code == 404
    assert b"not in your area" in response.content
    response = ravi.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Hazri" in response.content


def test_anonymous_language_switch_sets_the_cookie(world: World, client: Client) -> None:
    response = client.post(reverse("language"), {"language": "hi", "next": reverse("login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"
    page = client.get(reverse("login")).content.decode()
    assert "लॉग इन करें" in page


# --- Marking ---------------------------------------------------------------------------


def test_marking_page_lists_students_in_legal_order(morning: World, ravi: Client) -> None:
    response = ravi.get(mark_url(morning))
    assert response.status_code == 200
    page = response.content.decode()
    positions = [page.index(name) for name in LEGAL_ORDER]
    assert positions == sorted(positions)
    assert [line.person.member.name for line in response.context["form"].lines] == LEGAL_ORDER
    assert "S.R. No. 0001" in page
    # Everyone present by default: one tap per absent child.
    assert page.count('value="P" checked') == 5
    assert 'name="client_uuid"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Reason if late" in page


def test_post_roll_call(morning: World, ravi: Client) -> None:
    response = ravi.post(mark_url(morning), form_data(morning, "PAPPP"))
    assert response.status_code == 302
    assert response["Location"] == day_url(morning, school_today(morning.school))
    rollcall = RollCall.objects.get()
    assert (rollcall.present, rollcall.absent, rollcall.leave, rollcall.duty) == (4, 1, 0, 0)
    assert rollcall.taken_by == morning.ravi
    assert rollcall.timing == "late"  # 09:xx is after 08:00 + 60 minutes
    page = ravi.get(response["Location"]).content.decode()
    assert "Attendance of Class 5 A (Forenoon) saved: 4 present, 1 absent" in page
    assert "Saved as late." in page
    assert 'data-status="marked" data-present="4" data-absent="1"' in " ".join(page.split())


def test_double_submit_is_stored_once(morning: World, ravi: Client) -> None:
    data = form_data(morning, "PAPPP")
    first = ravi.post(mark_url(morning), data)
    second = ravi.post(mark_url(morning), data)
    assert first.status_code == second.status_code == 302
    assert RollCall.objects.count() == 1
    assert "already saved" in ravi.get(second["Location"]).content.decode()


def test_second_post_is_version_two_and_history_shows_both(morning: World, ravi: Client) -> None:
    ravi.post(mark_url(morning), form_data(morning, "PAPPP"))
    page = ravi.get(mark_url(morning)).content.decode()
    assert "This will be saved as a new version" in page
    # The current marks are filled in: Bhavna (second on the roll) is absent.
    assert page.count('value="P" checked') == 4
    assert page.count('value="A" checked') == 1
    response = ravi.post(mark_url(morning), form_data(morning, "PPPLA", note="Bhavna came late"))
    assert response.status_code == 302
    assert "Saved as version 2." in ravi.get(response["Location"]).content.decode()
    versions = list(RollCall.objects.order_by("version"))
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[1].marks == "PPPLA"
    history = ravi.get(history_url(morning))
    assert history.status_code == 200
    page = history.content.decode()
    assert "Version 1" in page
    assert "Version 2" in page
    assert page.index("Version 1") < page.index("Version 2")
    assert "Bhavna came late" in page
    assert "3 marks changed" in page
    assert page.count('class="changed"') == 3
    assert 'data-version="2" data-current="true"' in page
    assert AuditEvent.objects.filter(action="rollcall.view", object_id=str(versions[1].pk)).exists()


def test_history_says_which_version_was_replaced_by_whom_and_when(
    morning: World, ravi: Client
) -> None:
    """Asha's phone sent a roll call captured later than Ravi's, which reached the server
    first: Ravi's version says it was replaced, by Asha Patel (her name), and when."""
    ravi.post(mark_url(morning), form_data(morning, "PAPPP"))
    today = school_today(morning.school)
    later = services.rollcall_submit(
        section=morning.section,
        day=today,
        meeting=1,
        marks=[(s.id, "P") for s in section_roll(morning.section, today)],
        capture=services.Capture(
            client_uuid=uuid.uuid4(), captured_at=timezone.now() + dt.timedelta(minutes=1)
        ),
        by=morning.asha,
    ).sheet
    page = ravi.get(history_url(morning)).content.decode()
    at = timezone.localtime(later.captured_at, ZoneInfo(morning.school.timezone))
    replaced = page[page.index('data-version="1"') : page.index('data-version="2"')]
    assert 'data-replaced-by="2"' in replaced
    assert (
        f"Not current: replaced by version 2, marked by Asha Patel at {at:%-d %B %Y, %H:%M}."
        in " ".join(replaced.split())
    )
    current = page[page.index('data-version="2"') :]
    assert 'data-current="true"' in current and "data-replaced-by" not in current


def test_bad_code_is_refused_and_nothing_stored(morning: World, ravi: Client) -> None:
    response = ravi.post(mark_url(morning), form_data(morning, "PXPPP"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Every mark must be P, A, L or D." in page
    assert 'class="member missing"' in page
    assert page.count('value="P" checked') == 4  # the user's other choices are kept
    assert RollCall.objects.count() == 0


def test_missing_student_is_refused_and_nothing_stored(morning: World, ravi: Client) -> None:
    response = ravi.post(mark_url(morning), form_data(morning, "PAPP"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Everyone on the list needs a mark" in page
    assert 'value="A" checked' in page
    assert RollCall.objects.count() == 0


def test_marking_a_future_day_is_refused(morning: World, ravi: Client) -> None:
    data = form_data(morning, "PPPPP")
    data["day"] = "2027-01-05"
    response = ravi.post(mark_url(morning), data)
    assert response.status_code == 422
    assert RollCall.objects.count() == 0


def test_other_school_gets_404(morning: World) -> None:
    suresh = logged_in(morning.suresh)
    urls = [
        day_url(morning),
        mark_url(morning),
        history_url(morning),
        reverse("staff_mark", args=[morning.school.pk]),
        reverse("staff_history", args=[morning.school.pk]),
    ]
    for url in urls:
        response = suresh.get(url)
        assert response.status_code == 404, url
    response = suresh.post(mark_url(morning), form_data(morning, "PPPPP"))
    assert response.status_code == 404
    assert RollCall.objects.count() == 0


def test_officer_sees_but_cannot_mark(morning: World) -> None:
    meera = logged_in(morning.meera)
    page = meera.get(day_url(morning)).content.decode()
    assert "Class 5 A" in page
    assert "mark-button" not in page
    response = meera.get(mark_url(morning))
    assert response.status_code == 403
    assert response.context["error"].code == "not_marker"


# --- Staff -----------------------------------------------------------------------------


def test_staff_page_marks_staff(morning: World, ravi: Client) -> None:
    url = reverse("staff_mark", args=[morning.school.pk])
    response = ravi.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Ravi Verma") < page.index("Asha Patel")  # the head first
    today = school_today(morning.school)
    staff = school_staff_roll(morning.school, today)
    data = {"client_uuid": str(uuid.uuid4()), "day": today.isoformat(), "note": ""}
    data.update({f"mark-{member.id}": code for member, code in zip(staff, "PL", strict=True)})
    response = ravi.post(url, data)
    assert response.status_code == 302
    sheet = StaffRollCall.objects.get()
    assert (sheet.present, sheet.leave) == (1, 1)
    day_page = ravi.get(response["Location"]).content.decode()
    assert "Attendance of staff saved" in day_page
    assert "data-staff" in day_page
    page = ravi.get(url).content.decode()
    assert "This will be saved as a new version" in page
    history = ravi.get(reverse("staff_history", args=[morning.school.pk]))
    assert "Version 1" in history.content.decode()


def test_superscript_digits_are_bad_input_not_a_crash(world: World, ravi: Client) -> None:
    # str.isdigit() says yes to "²"; int() does not.
    for view in ["section_mark", "section_history"]:
        url = reverse(view, args=[world.section.pk])
        assert ravi.get(url, {"meeting": "²"}).status_code == 422, view
