"""An officer drills down from her block to one student in a real Chromium, on a phone
and on a desktop: the charts draw, the tables sort, the page never scrolls sideways.

Screenshots go to /tmp/dash-*.png (or HAZRI_SCREENSHOTS, when set).
"""

import datetime as dt
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from hazri.accounts.models import User
from hazri.attendance.services import Capture, rollcall_submit
from hazri.people.selectors import section_roll
from hazri.registers.tests.test_register import mark
from hazri.testing.browser import launch, sideways
from hazri.testing.scheduler import rollups_counted
from hazri.testing.world import PASSWORD, World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
NOV = [dt.date(2026, 11, d) for d in (17, 18, 19)]


@pytest.fixture(params=[PHONE, DESKTOP], ids=["360", "1280"])
def browser_page(request: pytest.FixtureRequest) -> Iterator[Page]:
    viewport: ViewportSize = request.param
    phone = viewport["width"] < 600
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(
                viewport=viewport,
                has_touch=phone,
                is_mobile=phone,
                device_scale_factor=2 if phone else 1,
                locale="en-IN",
            )
            try:
                page = context.new_page()
                page.set_default_timeout(15_000)
                yield page
            finally:
                context.close()
        finally:
            browser.close()


@pytest.fixture
def world() -> World:
    world = build_world()
    mark(world, NOV[0], "PAPPP")
    mark(world, NOV[0], "PAAPP", meeting=2, hour=12)
    mark(world, NOV[1], "PPPPP")
    rollups_counted()  # the scheduler's minute: a GET never builds the rollups
    return world


def shot(page: Page, name: str) -> None:
    folder = Path(os.environ.get("HAZRI_SCREENSHOTS") or "/tmp")
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(folder / f"dash-{width}-{name}.png"), full_page=True)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]", has_text="Log in").click()
    page.wait_for_url("**/dashboard/")


def chart_drawn(page: Page) -> bool:
    """Chart.js has drawn the page's chart, within five seconds: the script is
    deferred, and after an htmx swap it draws on the swapped content's load event."""
    try:
        page.wait_for_function(
            """() => {
                const canvas = document.querySelector("canvas[data-chart]");
                const chart = canvas && window.Chart && window.Chart.getChart(canvas);
                return Boolean(chart) && chart.data.datasets.length > 0 && canvas.width > 0;
            }""",
            timeout=5_000,
        )
    except PlaywrightTimeoutError:
        return False
    return True


def choose_range(page: Page) -> None:
    """The custom range through the period picker (htmx swaps the page body in)."""
    page.fill(".range-pick input[name=start]", "2026-11-17")
    page.fill(".range-pick input[name=end]", "2026-11-19")
    page.locator(".range-pick button[type=submit]").click()
    expect(page.locator('.period-label[data-start="2026-11-17"]')).to_be_visible()
    # htmx pushes the address after it has swapped the page in.
    expect(page).to_have_url(re.compile(r"start=2026-11-17"))


def row_names(page: Page) -> list[str]:
    return page.locator("table[data-table=area] tbody th[scope=row]").all_inner_texts()


def test_meera_drills_down_from_her_block_to_a_student(
    live_server, world: World, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    log_in(page, live_server.url, "meera")
    expect(page.locator("h1")).to_contain_text("Ashta")
    assert not sideways(page)
    choose_range(page)
    assert chart_drawn(page)
    expect(page.locator('[data-figure="attendance"] strong')).to_have_text("80.0%")
    assert not sideways(page)
    shot(page, "block")

    # Block -> cluster.
    page.locator(f'a[data-drill="unit-{world.cluster.pk}"]').click()
    page.wait_for_url(f"**/dashboard/?unit={world.cluster.pk}&period=custom**")
    expect(page.locator("h1")).to_contain_text("Rampur")
    assert row_names(page) == ["GPS Khedi", "GPS Rampur"]
    assert chart_drawn(page)
    # A click on a header sorts in the page: the school without a figure goes last.
    page.locator("th[data-sort=attendance] a").click()
    expect(page.locator("th[data-sort=attendance]")).to_have_attribute("aria-sort", "ascending")
    assert row_names(page) == ["GPS Rampur", "GPS Khedi"]
    page.locator("th[data-sort=name] a").click()
    assert row_names(page) == ["GPS Khedi", "GPS Rampur"]
    page.locator("th[data-sort=name] a").click()
    assert row_names(page) == ["GPS Rampur", "GPS Khedi"]
    assert f"unit={world.cluster.pk}" in page.url and "sort=" not in page.url
    assert not sideways(page)
    shot(page, "cluster")

    # Cluster -> school -> section -> student.
    page.locator(f'a[data-drill="school-{world.school.pk}"]').click()
    page.wait_for_url(f"**/dashboard/schools/{world.school.pk}/?period=custom**")
    expect(page.locator("h1")).to_have_text("GPS Rampur")
    assert chart_drawn(page)
    assert not sideways(page)
    shot(page, "school")
    page.locator(f'a[data-drill="section-{world.section.pk}"]').click()
    page.wait_for_url(f"**/dashboard/sections/{world.section.pk}/?period=custom**")
    bhavna = world.students[2]
    expect(page.locator(f'tr[data-student="{bhavna.pk}"] [data-col=pct]')).to_have_text("33.3%")
    assert not sideways(page)
    shot(page, "section")
    page.locator(f'a[data-drill="student-{bhavna.pk}"]').click()
    page.wait_for_url(f"**/dashboard/students/{bhavna.pk}/")
    expect(page.locator("h1")).to_have_text("Bhavna Meena")
    expect(page.locator('[data-figure="percent"] strong')).to_have_text("33.3%")
    expect(page.locator('tr[data-month="2026-11"]')).to_contain_text("November 2026")
    assert not sideways(page)
    shot(page, "student")

    # A follow-up from the phone or the desk.
    page.select_option("#fu-reason", "work")
    page.select_option("#fu-action", "home_visit")
    page.fill("#fu-note", "Helps at the harvest")
    page.locator("#follow-up-form button[type=submit]").click()
    expect(page.locator(".follow-ups")).to_contain_text("Helps at the harvest")
    expect(page.locator(".messages")).to_contain_text("saved")

    # Back up through the breadcrumbs to her block, never above it.
    crumbs = page.locator(".crumbs a").all_inner_texts()
    assert crumbs == ["Ashta", "Rampur", "GPS Rampur", "Class 5 A"]
    page.locator(".crumbs a", has_text="Ashta").click()
    expect(page.locator("h1")).to_contain_text("Ashta")


def test_the_period_links_swap_the_page_in_place(
    live_server, world: World, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    log_in(page, live_server.url, "meera")
    page.evaluate("window.__stayed = true")
    page.locator('.period-choices a[data-period="month"]').click()
    expect(page.locator('.period-choices a[data-period="month"]')).to_have_class("current")
    expect(page).to_have_url(re.compile(r"period=month"))
    assert page.evaluate("window.__stayed === true")  # htmx: no full page load
    page.locator("[data-nav=dashboard_compliance]").first.click()
    page.wait_for_url("**/dashboard/compliance/**")
    expect(page.locator("#compliance-live")).to_have_attribute("hx-trigger", "every 60s")
    assert not sideways(page)
    shot(page, "compliance")
    page.locator("[data-nav=dashboard_adoption]").click()
    page.wait_for_url("**/dashboard/adoption/**")
    choose_range(page)
    assert chart_drawn(page)
    assert not sideways(page)
    shot(page, "adoption")
    page.locator("[data-nav=dashboard_photos]").click()
    page.wait_for_url("**/dashboard/photos/**")
    expect(page.locator("table[data-table=photos] tbody tr")).to_have_count(1)
    assert chart_drawn(page)
    assert not sideways(page)
    shot(page, "photos")
    page.locator("[data-nav=dashboard_learning]").click()
    page.wait_for_url("**/dashboard/learning/**")
    expect(page.locator("table[data-table=learning-total] tbody tr")).to_have_count(4)
    assert chart_drawn(page)
    assert not sideways(page)
    shot(page, "learning")


def test_the_compliance_table_refreshes_itself(
    live_server, world: World, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.clock.install()
    log_in(page, live_server.url, "meera")
    page.goto(f"{live_server.url}/dashboard/compliance/?day=2026-11-18")
    khedi = page.locator(f'tr[data-school="{world.other_school.pk}"]')
    expect(khedi).to_have_attribute("data-status", "not-marked")
    # Khedi marks while the officer watches: within a minute the table shows it.
    roll = [m.id for m in section_roll(world.other_section, NOV[1])]
    rollcall_submit(
        section=world.other_section,
        day=NOV[1],
        meeting=1,
        marks=[(member, "P") for member in roll],
        capture=Capture(
            client_uuid=uuid.uuid4(),
            captured_at=dt.datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Asia/Kolkata")),
            note="",
            device_clock=timezone.now(),
        ),
        by=world.suresh,
    )
    rollups_counted()  # the scheduler's minute passes too
    page.clock.run_for(61_000)
    expect(khedi).to_have_attribute("data-status", "partly")
    expect(khedi).to_contain_text("1 / 2")
    expect(page.locator('[data-figure="not_marked"] strong')).to_have_text("0")


def test_a_superuser_drills_down_from_the_state(
    live_server, world: World, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_superuser("root", password=PASSWORD, first_name="State", last_name="Admin")
    page = browser_page
    log_in(page, live_server.url, "root")
    expect(page.locator("h1")).to_contain_text("Madhya Pradesh")
    choose_range(page)
    for unit, name in [
        (world.district, "Sehore"),
        (world.block, "Ashta"),
        (world.cluster, "Rampur"),
    ]:
        page.locator(f'a[data-drill="unit-{unit.pk}"]').click()
        expect(page.locator("h1")).to_contain_text(name)
        assert "start=2026-11-17" in page.url
    page.locator(f'a[data-drill="school-{world.school.pk}"]').click()
    expect(page.locator("h1")).to_have_text("GPS Rampur")
    assert page.locator(".crumbs a").all_inner_texts() == [
        "Madhya Pradesh",
        "Sehore",
        "Ashta",
        "Rampur",
    ]
    assert not sideways(page)
    # …on to a section and a student: the state's figures reach one child.
    page.locator(f'a[data-drill="section-{world.section.pk}"]').click()
    page.wait_for_url(f"**/dashboard/sections/{world.section.pk}/**")
    bhavna = world.students[2]
    page.locator(f'a[data-drill="student-{bhavna.pk}"]').click()
    page.wait_for_url(f"**/dashboard/students/{bhavna.pk}/")
    expect(page.locator("h1")).to_have_text("Bhavna Meena")
    expect(page.locator('[data-figure="percent"] strong')).to_have_text("33.3%")

    # The state's compliance: by district first, each a link down.
    page.goto(f"{live_server.url}/dashboard/compliance/?unit={world.state.pk}&day=2026-11-18")
    area = page.locator(f'table[data-table="compliance-areas"] tr[data-area="{world.district.pk}"]')
    expect(area).to_contain_text("Sehore")
    area.locator("a").click()
    expect(page.locator("h1")).to_contain_text("Sehore")
    expect(page.locator(f'tr[data-area="{world.block.pk}"]')).to_contain_text("Ashta")
    assert not sideways(page)


def test_a_state_officer_follows_the_meals_down_and_downloads_each_table(
    live_server, world: World, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    from hazri.accounts.models import OfficerGrant
    from hazri.dashboards.services import meal_record

    meal_record(school=world.school, day=NOV[0], meals_served=9, by=world.ravi)
    rollups_counted()
    officer = User.objects.create_user("lata", password=PASSWORD, first_name="Lata")
    OfficerGrant.objects.create(user=officer, unit=world.state, title="State MDM officer")
    page = browser_page
    log_in(page, live_server.url, "lata")
    expect(page.locator("h1")).to_contain_text("Madhya Pradesh")
    page.locator("[data-nav=dashboard_meals]").first.click()
    page.wait_for_url("**/dashboard/meals/**")
    choose_range(page)
    for unit in (world.district, world.block, world.cluster):
        page.locator(f'tr[data-area="unit-{unit.pk}"] a').click()
        expect(page.locator("h1")).to_have_attribute("data-unit", str(unit.pk))
    rampur = page.locator(f'tr[data-area="school-{world.school.pk}"]')
    expect(rampur).to_contain_text("9")
    assert not sideways(page)
    shot(page, "meals")
    # The by-area table and the gaps each download as they are.
    with page.expect_download() as areas:
        page.locator('.exports a[data-export="csv"]').first.click()
    saved = Path(areas.value.path())
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel on Windows reads UTF-8
    text = saved.read_text(encoding="utf-8-sig")
    assert (
        text.splitlines()[0]
        == "Name,Meals served,Present in the forenoon,Meals per child present %"
    )
    assert "GPS Rampur,9,9,100.0" in text
    with page.expect_download() as gaps:
        page.locator('.exports a[data-export="csv"]').nth(1).click()
    assert "More meals than children present" in Path(gaps.value.path()).read_text("utf-8-sig")
    # Up to compliance by area: its own download.
    page.goto(f"{live_server.url}/dashboard/compliance/?day=2026-11-18")
    with page.expect_download() as by_area:
        page.locator('.exports a[data-export="csv"]').first.click()
    by_area_text = Path(by_area.value.path()).read_text("utf-8-sig")
    assert by_area_text.splitlines()[1] == "Sehore,2,2,0,1,1,0"


def test_a_block_officer_follows_up_a_student_from_the_nightly_list(
    live_server, world: World, browser_page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from hazri.dashboards import weak

    monkeypatch.setattr(weak, "LIVE_MAX_SCHOOLS", 1)  # her block counts as a large area
    page = browser_page
    log_in(page, live_server.url, "meera")
    page.locator("[data-nav=dashboard_low]").first.click()
    page.wait_for_url("**/dashboard/low/**")
    # Before the first night: the school list, and a word on the student list.
    expect(page.locator("[data-students-missing=not_built]")).to_be_visible()
    weak.build(as_of=NOV[1])
    page.reload()
    expect(page.locator("[data-nightly]")).to_contain_text("up to 18 Nov 2026")
    bhavna = world.students[2]
    row = page.locator(f'table[data-table=low-students] tr[data-student="{bhavna.pk}"]')
    expect(row).to_contain_text("33.3%")
    assert not sideways(page)
    shot(page, "low-nightly")
    # Her follow-up from the list, and the list shows it.
    row.locator("a", has_text="Record").click()
    page.wait_for_url(f"**/dashboard/students/{bhavna.pk}/**")
    page.select_option("#fu-reason", "illness")
    page.select_option("#fu-action", "call")
    page.locator("#follow-up-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("saved")
    page.goto(f"{live_server.url}/dashboard/low/?unit={world.block.pk}")
    expect(row).to_contain_text("Phone call")


def test_the_trend_is_straight_today_partial_and_one_day_bars(
    live_server, world: World, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    """Straight lines between days (a smoothed curve overshot them), today's point hollow
    on a dashed segment with a note, and a single day as bars, not a lone dot."""
    page = browser_page
    log_in(page, live_server.url, "meera")
    base = f"{live_server.url}/dashboard/?unit={world.cluster.pk}&period=custom"
    today = timezone.now().astimezone(ZoneInfo("Asia/Kolkata")).date()  # the suite's clock
    page.goto(f"{base}&start=2026-11-17&end={today.isoformat()}")
    assert chart_drawn(page)
    drawn = page.evaluate(
        """() => {
            const chart = window.Chart.getChart(document.querySelector("canvas[data-chart]"));
            const marked = chart.data.datasets[1];
            const last = chart.data.labels.length - 1;
            const dash = marked.segment.borderDash({p1DataIndex: last});
            const before = marked.segment.borderDash({p1DataIndex: last - 1});
            return {type: chart.config.type, tensions: chart.data.datasets.map(d => d.tension),
                    hollow: marked.pointBackgroundColor[last], filled: marked.pointBackgroundColor[0],
                    dash: dash, before: before || null, label: chart.data.labels[last]};
        }"""
    )
    assert drawn["type"] == "line" and drawn["tensions"] == [0, 0, 0]
    assert drawn["hollow"] == "#ffffff" and drawn["filled"] != "#ffffff"
    assert drawn["dash"] == [6, 4] and drawn["before"] is None
    assert drawn["label"].endswith("· so far")
    expect(page.locator("[data-partial-note]")).to_be_visible()
    shot(page, "trend-partial")
    # One school day: bars, and a line saying so.
    page.goto(f"{base}&start=2026-11-17&end=2026-11-17")
    assert chart_drawn(page)
    assert (
        page.evaluate(
            """() => window.Chart.getChart(document.querySelector("canvas[data-chart]")).config.type"""
        )
        == "bar"
    )
    expect(page.locator("[data-one-day]")).to_be_visible()
    assert not sideways(page)
    shot(page, "trend-one-day")
