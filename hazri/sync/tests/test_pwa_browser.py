"""The offline app in a real Chromium (Playwright) against a live server: the
issue's offline journey, a rejected roll call put right, a phone whose clock is
three hours wrong.

Set HAZRI_SCREENSHOTS to a folder to keep screenshots of the app's screens.
"""

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page

from hazri.accounts.models import DeviceToken
from hazri.attendance.models import RollCall, StaffRollCall
from hazri.org.models import CalendarEntry
from hazri.org.selectors import school_today
from hazri.people.models import Enrolment
from hazri.people.roll import RollEntry, order_roll
from hazri.people.selectors import section_roll
from hazri.sync import selectors, views
from hazri.sync.tests.pwa_support import (
    add_section,
    device_queue,
    log_in,
    mark,
    marks_of,
    phone_context,
    queue,
    screenshot,
    small_targets,
    status_of,
    submit_as,
    wait_idle,
    wait_synced,
    wait_until,
)
from hazri.testing.browser import sideways
from hazri.testing.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_marking_screen(page: Page) -> None:
    """One tap made a child absent; the counts follow; big targets; no sideways scroll."""
    assert page.locator('[data-count="A"]').inner_text() == "1"
    assert page.locator('[data-count="P"]').inner_text() == "4"
    assert not sideways(page)
    assert small_targets(page) == []
    screenshot(page, "pwa-marking.png")


def mark_staff(page: Page, school_id: int, absent: int) -> None:
    page.goto(page.url.split("#")[0] + "#/")
    page.click(f'[data-staff="{school_id}"] a.mark-button')
    page.wait_for_selector("form[data-marking=staff]")
    page.tap(f'li[data-member="{absent}"] label.chip-A')
    page.click("form[data-marking] button[type=submit]")
    page.wait_for_selector("body[data-route=today] .message.success")
    assert (
        page.get_attribute(f'[data-staff="{school_id}"] [data-meeting="1"]', "data-status")
        == "queued"
    )


def test_marks_two_classes_offline_and_they_sync_once(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    six_a, pupils = add_section(
        world, 6, "A", [("Meera Bai", "मीरा बाई"), ("Ramesh Kumar", "रमेश कुमार")]
    )
    today = school_today(world.school)
    five_a = section_roll(world.section, today)
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        assert not sideways(page)
        assert small_targets(page) == []

        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        mark(page, world.section.pk, 1, [five_a[1].id], before_save=check_marking_screen)
        assert status_of(page, world.section.pk) == "queued"
        screenshot(page, "pwa-sections.png")
        mark(page, six_a.pk, 1, [pupils[0].id])
        assert status_of(page, six_a.pk) == "queued"
        mark_staff(page, world.school.pk, absent=world.staff[1].id)
        assert RollCall.objects.count() == 0

        page.reload()
        page.wait_for_selector("body[data-route=today] [data-section]")
        assert status_of(page, world.section.pk) == "queued"
        assert status_of(page, six_a.pk) == "queued"
        assert sorted(queue(page).values()) == ["queued"] * 3
        screenshot(page, "pwa-queue-offline.png")

        page.close()
        page = context.new_page()
        page.goto(f"{live_server.url}/app/#/queue")
        page.wait_for_selector("li.queue-item")
        assert sorted(queue(page).values()) == ["queued"] * 3
        sent = {
            item["payload"].get("section", "staff"): item["uuid"] for item in device_queue(page)
        }
        assert RollCall.objects.count() == 0

        context.set_offline(False)
        wait_synced(page, 3)
        page.reload()
        assert sorted(queue(page).values()) == ["synced"] * 3
        assert not sideways(page)
        assert small_targets(page) == []
        screenshot(page, "pwa-queue.png")

        # The pull after the upload was a delta, and the phone holds exactly what the
        # server meant it to (the state hash over students and enrolments agrees).
        wait_idle(page)
        last_pull = page.evaluate("HazriDB.kvGet('lastPull')")
        assert last_pull["full"] is False
        assert last_pull["verified"] is True

        # Another teacher marks 5 A again later, from her own phone: after a sync this
        # phone shows her version as current and its own as superseded, with who and when.
        later = submit_as(world.asha, world.section, today, roll=five_a, absent=[])
        page.click("[data-action=sync]")
        wait_until(page, "n => Number(document.body.dataset.pulls) >= n", arg=2)
        page.goto(f"{live_server.url}/app/#/")
        page.wait_for_selector("[data-section]")
        assert status_of(page, world.section.pk) == "marked"
        row = page.locator(f'[data-section="{world.section.pk}"] [data-meeting="1"]')
        assert "Replaced by Asha Patel" in row.inner_text()
        # In the queue: this phone's roll call is stored, and replaced, by whom and when.
        at = later.captured_at.astimezone(ZoneInfo(world.school.timezone)).strftime("%H:%M")
        queue(page)
        mine = page.locator(f'li.queue-item[data-uuid="{sent[world.section.pk]}"]')
        assert mine.get_attribute("data-status") == "synced"
        assert mine.locator("[data-badge]").get_attribute("data-badge") == "replaced"
        assert f"Replaced by Asha Patel at {at}" in mine.locator(".replaced").inner_text()
        page.click("a.tab[href='#/history']")
        card = page.locator(f'.history-card[data-history="{world.section.pk}"][data-meeting="1"]')
        current = card.locator(".version[data-current='1']")
        assert current.get_attribute("data-version") == str(later.version) == "2"
        assert "Asha Patel" in current.inner_text()
        old = card.locator(".version[data-version='1']")
        assert "Ravi Verma" in old.inner_text()
        assert old.locator("[data-mine]").count() == 1
        assert f"Replaced by version 2, taken later by Asha Patel at {at}" in old.inner_text()
        assert not sideways(page)
        screenshot(page, "pwa-history.png")

    assert RollCall.objects.count() == 3
    assert RollCall.objects.filter(client_uuid=sent[world.section.pk]).count() == 1
    assert RollCall.objects.filter(client_uuid=sent[six_a.pk]).count() == 1
    first = RollCall.objects.get(section=world.section, day=today, meeting=1, version=1)
    second = RollCall.objects.get(section=six_a, day=today, meeting=1)
    assert str(first.client_uuid) == sent[world.section.pk]
    assert str(second.client_uuid) == sent[six_a.pk]
    assert marks_of(first) == {s.id: "A" if s.id == five_a[1].id else "P" for s in five_a}
    assert marks_of(second) == {pupils[0].id: "A", pupils[1].id: "P"}
    assert (first.present, first.absent, second.present, second.absent) == (4, 1, 1, 1)
    assert first.timing == "on_time"
    staff = StaffRollCall.objects.get(school=world.school, day=today)
    assert str(staff.client_uuid) == sent["staff"]
    assert (staff.present, staff.absent) == (1, 1)


def test_a_rejected_roll_call_shows_why_and_is_sent_again(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    leaver, absent = roll[-1], roll[1]
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        mark(page, world.section.pk, 1, [absent.id])
        # Meanwhile the office records that a child left yesterday: the phone's roll is stale.
        enrolment = Enrolment.objects.get(section=world.section, student_id=leaver.id)
        enrolment.ends_on = today - dt.timedelta(days=1)
        enrolment.save()

        context.set_offline(False)
        wait_until(
            page,
            "HazriDB.getAll('queue').then(items => items.some(i => i.status === 'rejected'))",
            timeout=30,
        )
        wait_idle(page)
        assert RollCall.objects.count() == 0
        page.goto(f"{live_server.url}/app/#/")
        page.wait_for_selector("[data-section]")
        assert status_of(page, world.section.pk) == "rejected"
        [(first_uuid, status)] = queue(page).items()
        assert status == "rejected"
        reason = page.locator(f'li.queue-item[data-uuid="{first_uuid}"] .errors').inner_text()
        assert f"{leaver.id} is not on this day's roll" in reason
        # The marks went compact: the error names the child by position in the ids sent.
        assert reason.startswith(f"{leaver.name}: ")
        screenshot(page, "pwa-queue-rejected.png")

        # Edit: the marking screen again, with its marks, on the roll as the server has it now.
        page.click(f'li.queue-item[data-uuid="{first_uuid}"] a.btn.primary')
        page.wait_for_selector("form[data-marking]")
        assert "not on this day's roll" in page.locator("[data-rejected]").inner_text()
        members = page.eval_on_selector_all("li.member", "rows => rows.map(r => +r.dataset.member)")
        assert members == [s.id for s in roll[:-1]]
        assert page.is_checked(f'li[data-member="{absent.id}"] input[value="A"]')
        page.fill("#note", "Kabir left yesterday")
        page.click("form[data-marking] button[type=submit]")
        wait_until(
            page,
            "HazriDB.getAll('queue').then(items => items.some(i => i.status === 'synced'))",
            timeout=30,
        )
        items = {item["uuid"]: item for item in device_queue(page)}
        assert items[first_uuid]["status"] == "replaced"
        [resent] = [i for i in items.values() if i["status"] == "synced"]
        assert resent["uuid"] != first_uuid
        # The batch was answered brief: the version kept on the phone has the marks it sent.
        kept = page.evaluate(
            "uuid => HazriDB.getAll('rollcalls').then(all => all.filter(v => v.client_uuid === uuid))",
            resent["uuid"],
        )

    rollcall = RollCall.objects.get(section=world.section, day=today, meeting=1)
    assert str(rollcall.client_uuid) == resent["uuid"]
    assert marks_of(rollcall) == {s.id: "A" if s.id == absent.id else "P" for s in roll[:-1]}
    assert rollcall.note == "Kabir left yesterday"
    [version] = kept
    assert version["id"] == rollcall.pk and version["is_current"]
    assert {m["student"]: m["code"] for m in version["marks"]} == marks_of(rollcall)


SHIFT_DATE = """
(() => {
  const shift = %d * 1000;
  const Real = Date;
  class Shifted extends Real {
    constructor(...args) { if (args.length) super(...args); else super(Real.now() + shift); }
    static now() { return Real.now() + shift; }
  }
  globalThis.Date = Shifted;
})();
"""


def test_a_phone_three_hours_slow_is_corrected_by_the_server(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    with phone_context(browser) as context:
        context.add_init_script(SHIFT_DATE % -10800)
        page = context.new_page()
        log_in(page, live_server.url)
        device_now = page.evaluate("Date.now()") / 1000
        assert abs(timezone.now().timestamp() - 10800 - device_now) < 60
        mark(page, world.section.pk, 1, [roll[0].id])
        wait_until(
            page,
            "HazriDB.getAll('queue').then(items => items.some(i => i.status === 'synced'))",
            timeout=30,
        )
        wait_idle(page)
        assert status_of(page, world.section.pk) == "synced"

    rollcall = RollCall.objects.get(section=world.section, day=today, meeting=1)
    assert abs(rollcall.clock_skew_seconds - 10800) < 60
    assert abs((timezone.now() - rollcall.captured_at).total_seconds()) < 120
    assert abs((rollcall.captured_at - rollcall.device_captured_at).total_seconds() - 10800) < 60
    assert rollcall.timing == "on_time"


def test_an_expired_login_keeps_the_queue_until_logged_in_again(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        mark(page, world.section.pk, 1, [roll[2].id])
        DeviceToken.objects.filter(user=world.ravi).update(revoked_at=timezone.now())
        context.set_offline(False)
        banner = page.wait_for_selector("main [role=alert]")
        assert "Your login has expired" in banner.inner_text()
        assert [i["status"] for i in device_queue(page)] == ["queued"]
        assert RollCall.objects.count() == 0

        page.click("main [role=alert] a")
        page.wait_for_selector("form[data-login]")
        assert page.input_value("#username") == "ravi"
        page.fill("#password", PASSWORD)
        page.click("form[data-login] button[type=submit]")
        wait_synced(page, 1)
    rollcall = RollCall.objects.get(section=world.section, day=today, meeting=1)
    assert marks_of(rollcall)[roll[2].id] == "A"


def test_no_marking_on_a_holiday_and_its_name_is_shown(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    today = school_today(world.school)
    CalendarEntry.objects.create(
        school=world.school, day=today, kind="holiday", name="Village fair", name_local="ग्राम मेला"
    )
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        banner = page.locator("[data-day-kind]")
        assert banner.get_attribute("data-day-kind") == "holiday"
        assert banner.inner_text() == "Holiday: Village fair"
        assert page.locator("a.mark-button").count() == 0
        page.click(".lang-switch button[lang=hi]")
        page.wait_for_selector("html[lang=hi]")
        assert "ग्राम मेला" in page.locator("[data-day-kind]").inner_text()
        # Even by its address, the marking screen offers nothing to save.
        page.goto(f"{live_server.url}/app/#/mark/{world.section.pk}/{today.isoformat()}/1")
        page.wait_for_selector("body[data-route=mark]")
        assert page.locator("form[data-marking]").count() == 0


def test_the_device_orders_rolls_and_hashes_state_as_the_server_does(browser: Browser) -> None:
    """roll.js ports roll_order_key; sync.js hashes what the device holds the way
    hazri/sync/selectors.state_hash does. Random and awkward inputs, compared."""
    rng = random.Random(20261122)
    names = [
        "asha",
        "Asha",
        "Zoya Khan",
        "zoya khan",
        "Ärzte",
        "आरव शर्मा",
        "ज़ोया",
        "O'Neil",
        'Quote "q"',
        "back\\slash",
        "tab\there",
        "line\u2028sep",
        "emoji 🙂",
        "",
        "b",
        "B",
    ]
    entries = []
    for member in rng.sample(range(1, 10_000), 300):
        entries.append(
            RollEntry(
                member=member,
                name=rng.choice(names),
                origin=rng.choice(["repeater", "promoted", "new"]),
                admitted_on=dt.date(2026, 4, 1) + dt.timedelta(days=rng.randrange(0, 5)),
                roll_no=rng.choice([None, None, rng.randrange(1, 40)]),
            )
        )
    expected = [e.member for e in order_roll(entries)]
    enrolments = [
        {
            "id": 5000 + i,
            "student": e.member,
            "section": 7,
            "admission_no": f"A{i}\u00e9",
            "admitted_on": e.admitted_on.isoformat(),
            "origin": e.origin,
            "roll_no": e.roll_no,
            "starts_on": "2026-04-01",
            "ends_on": rng.choice([None, "2027-03-31"]),
        }
        for i, e in enumerate(entries)
    ]
    students = [
        {"id": e.member, "name": e.name, "name_local": rng.choice(names), "gender": "F"}
        for e in entries
    ]
    rng.shuffle(enrolments)
    page = browser.new_page()
    try:
        # A secure origin for crypto.subtle, served by Playwright itself.
        page.route(
            "http://localhost/blank",
            lambda route: route.fulfill(
                body="<!doctype html><title>t</title>", content_type="text/html"
            ),
        )
        page.goto("http://localhost/blank")
        for script in views.WORKER_SCRIPTS:  # as the service worker loads them
            page.add_script_tag(content=(views.PWA_DIR / script).read_text())
        got = page.evaluate(
            """([enrolments, students]) => {
                const studentsById = Object.fromEntries(students.map(s => [s.id, s]));
                return HazriRoll.rollOfDay(7, "2026-11-22", {enrolments, studentsById})
                  .map(s => s.id);
            }""",
            [enrolments, students],
        )
        digest = page.evaluate("([e, s]) => HazriSync.stateHash(e, s)", [enrolments, students])
    finally:
        page.close()
    assert got == expected
    rows = [[e[f] for f in selectors.ENROLMENT_FIELDS] for e in enrolments]
    student_rows = [[s[f] for f in selectors.STUDENT_FIELDS] for s in students]
    assert digest == selectors.state_hash(rows, student_rows)


def test_this_phones_earlier_capture_sent_late_shows_who_replaced_it(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    """Two phones marked offline; this one captured first but reached the server last:
    its version is stored, not current, and the phone says so at once, naming Asha."""
    world = morning
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        mark(page, world.section.pk, 1, [roll[0].id])
        # The phone sends whole seconds; the server corrects them by its clock skew.
        time.sleep(2)
        later = submit_as(world.asha, world.section, today, roll=roll, absent=[])
        context.set_offline(False)
        wait_synced(page, 1)
        [item] = device_queue(page)
        answer = page.evaluate(
            "uuid => HazriDB.get('queue', uuid).then(i => i.replaced_by)", item["uuid"]
        )
        assert answer["taken_by_name"] == "Asha Patel" and answer["version"] == 1
        queue(page)
        text = page.locator(f'li.queue-item[data-uuid="{item["uuid"]}"]').inner_text()
        at = later.captured_at.astimezone(ZoneInfo(world.school.timezone)).strftime("%H:%M")
        assert f"Replaced by Asha Patel at {at}" in text
        assert "version 2" in text
    mine = RollCall.objects.get(client_uuid=item["uuid"])
    assert (mine.version, mine.is_current) == (2, False)
