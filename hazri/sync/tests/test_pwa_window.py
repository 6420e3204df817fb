"""The offline app and a meeting's time window (docs/attendance.md, "Early"): the
marking screen says when the roll call opens, as the web page does, and warns before
the opening; a roll call taken then is stored, judged early, and shown as "Early".
The app computes the window itself from the pull's policy: compared here with the
server's rules (attendance/rules.py) on awkward inputs.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from hazri.attendance import rules
from hazri.attendance.models import RollCall
from hazri.org.selectors import school_today
from hazri.people.selectors import section_roll
from hazri.sync import views
from hazri.sync.tests.pwa_support import (
    log_in,
    mark,
    phone_context,
    school_morning,
    screenshot,
    small_targets,
    wait_synced,
)
from hazri.testing.browser import sideways
from hazri.testing.world import World, build_world

pytestmark = [pytest.mark.browser]


def hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def server_window(school: dict, meeting: int) -> dict[str, str]:
    """What the marking page computes (attendance/views/base.py marking_window)."""
    parse = dt.time.fromisoformat
    afternoon = school["afternoon_start"]
    window = rules.Window(
        rules.meeting_start(
            start=parse(school["start_time"]),
            afternoon_start=parse(afternoon) if afternoon else None,
            meeting=meeting,
        ),
        school["on_time_minutes"],
        parse(school["cutoff"]),
        opens_before_minutes=school["opens_before_minutes"],
    )
    late = dt.datetime.combine(dt.date(2026, 11, 22), window.start) + dt.timedelta(
        minutes=window.on_time_minutes
    )
    return {
        "start": hhmm(window.start),
        "opens": hhmm(rules.window_opens(window)),
        "lateAfter": hhmm(late.time()),
        "cutoff": school["cutoff"],
    }


SCHOOLS = [
    # start, afternoon start, on time, opens before
    ("10:30", None, 60, 30),
    ("07:00", "13:15", 45, 0),
    ("00:20", None, 60, 30),  # the window would open the day before: 00:00
    ("21:30", None, 180, 90),  # the afternoon would pass midnight: 23:59; on time wraps
    ("08:00", "12:00", 60, 600),
]


def test_the_app_computes_the_window_as_the_server_does(browser: Browser) -> None:
    schools = [
        {
            "start_time": start,
            "afternoon_start": afternoon,
            "on_time_minutes": on_time,
            "opens_before_minutes": before,
            "cutoff": "17:00",
        }
        for start, afternoon, on_time, before in SCHOOLS
    ]
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>t</title>")
        page.add_script_tag(content=(views.PWA_DIR / "js" / "roll.js").read_text())
        got = page.evaluate(
            "schools => schools.flatMap(s => [1, 2].map(m => HazriRoll.meetingWindow(s, m)))",
            schools,
        )
        # An older server did not send opens_before_minutes: nothing is claimed.
        older = page.evaluate(
            "HazriRoll.meetingWindow({start_time: '10:30', afternoon_start: null, "
            "on_time_minutes: 60, cutoff: '17:00'}, 1)"
        )
    finally:
        page.close()
    assert got == [server_window(s, m) for s in schools for m in (1, 2)]
    assert older is None


@pytest.fixture
def early_morning(transactional_db: None) -> World:
    """A school day where it is now 09:xx and school starts two hours later: the roll
    call opens at 11:xx less the policy's 40 minutes."""
    world = build_world()
    school_morning(world)
    local = timezone.now().astimezone(ZoneInfo(world.school.timezone))
    world.school.start_time = (
        (local + dt.timedelta(hours=2)).time().replace(second=0, microsecond=0)
    )
    world.school.save()
    world.policy.opens_before_minutes = 40
    world.policy.save()
    return world


def test_a_roll_call_taken_before_the_window_opens_is_kept_and_shown_early(
    live_server, early_morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = early_morning
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    start = dt.datetime.combine(today, world.school.start_time)
    opens = hhmm((start - dt.timedelta(minutes=40)).time())
    late = hhmm((start + dt.timedelta(minutes=60)).time())
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)

        def before_save(page) -> None:  # type: ignore[no-untyped-def]
            window = page.locator("p.window")
            assert window.get_attribute("data-opens") == opens
            assert window.inner_text() == (
                f"The roll call opens at {opens} and is on time until {late}; after that it "
                "is saved as late. Marking closes at 17:00."
            )
            warning = page.locator("[data-early]")
            assert f"It is before {opens}: the roll call is not open yet." in warning.inner_text()
            assert not sideways(page)
            assert small_targets(page) == []
            screenshot(page, "pwa-early.png")

        mark(page, world.section.pk, 1, [roll[0].id], before_save=before_save)
        context.set_offline(False)
        wait_synced(page, 1)

        page.click("a.tab[href='#/queue']")
        item = page.locator("li.queue-item[data-status=synced] [data-timing]")
        assert item.get_attribute("data-timing") == "early"
        assert item.inner_text().endswith("· Early")
        page.click("a.tab[href='#/history']")
        timing = page.locator(".history-card .version[data-current='1'] [data-timing]")
        assert (timing.get_attribute("data-timing"), timing.inner_text()) == ("early", "Early")
        page.click(".lang-switch button[lang=hi]")
        assert timing.inner_text() == "समय से पहले"
        # In Hindi the marking screen says the same, from the server's catalogue.
        page.goto(f"{live_server.url}/app/#/mark/{world.section.pk}/{today}/1")
        page.wait_for_selector("form[data-marking]")
        assert f"हाज़िरी {opens} बजे खुलती है" in page.locator("p.window").inner_text()
        assert f"अभी {opens} से पहले का समय है" in page.locator("[data-early]").inner_text()

    rollcall = RollCall.objects.get(section=world.section, day=today, meeting=1)
    assert rollcall.timing == "early"


@pytest.fixture
def morning(transactional_db: None) -> World:
    world = build_world()
    school_morning(world)
    return world


def test_within_the_window_there_is_no_warning(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    """School began five minutes ago: the window is open, and the afternoon's (four
    hours after the start: the world's school has no afternoon start) is said too."""
    world = morning
    today = school_today(world.school)
    start = dt.datetime.combine(today, world.school.start_time)
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        page.goto(f"{live_server.url}/app/#/mark/{world.section.pk}/{today}/1")
        page.wait_for_selector("form[data-marking]")
        opens = hhmm((start - dt.timedelta(minutes=30)).time())
        assert page.get_attribute("p.window", "data-opens") == opens
        assert page.locator("[data-early]").count() == 0
        page.goto(f"{live_server.url}/app/#/mark/{world.section.pk}/{today}/2")
        page.wait_for_selector("form[data-marking]")
        afternoon = hhmm((start + dt.timedelta(hours=4, minutes=-30)).time())
        assert page.get_attribute("p.window", "data-opens") == afternoon
        assert page.locator("[data-early]").count() == 1
