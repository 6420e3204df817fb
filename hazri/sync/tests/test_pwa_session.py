"""The offline app and who uses it: people named by their names, not their logins;
the app offered for installation where the browser offers it; a login that the
server no longer accepts (a 401 with the bearer challenge) asks to log in again and
keeps the queue.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, Response

from hazri.accounts.models import DeviceToken
from hazri.attendance.models import RollCall
from hazri.dashboards.models import MealRecord
from hazri.org.selectors import school_today
from hazri.people.selectors import section_roll
from hazri.sync.tests.pwa_support import (
    BATCH,
    device_queue,
    log_in,
    mark,
    phone_context,
    small_targets,
    submit_as,
    wait_synced,
    wait_until,
)
from hazri.testing.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_people_are_named_by_their_names_not_their_logins(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    # Asha marked 5 A from her phone before Ravi opens the app.
    submit_as(world.asha, world.section, today, roll=roll, absent=[roll[1].id])
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        row = page.locator(f'[data-section="{world.section.pk}"] [data-meeting="1"]')
        assert row.get_attribute("data-status") == "marked"
        assert "Marked by Asha Patel" in row.inner_text()
        page.click(f'[data-section="{world.section.pk}"] [data-meeting="1"] a.mark-button')
        current = page.locator("[data-current-version]").inner_text()
        assert "Already marked: version 1, by Asha Patel at" in current
        page.click(".lang-switch button[lang=hi]")
        page.goto(f"{live_server.url}/app/#/")
        assert "Asha Patel द्वारा दर्ज" in row.inner_text()
        page.click(".lang-switch button[lang=en]")

        # The signed-in user, by name; one who logs in on another's unsent roll calls
        # is told whose they are by name, and which login sends them.
        page.click("a.tab[href='#/queue']")
        assert page.locator("[data-signed-in]").inner_text() == "Logged in as Ravi Verma"
        page.route(BATCH, lambda route: route.abort())
        mark(page, world.section.pk, 2, [roll[0].id])
        refusal = page.evaluate(
            "pw => HazriApp.login('asha', pw).then(() => 'logged in', e => e.message)", PASSWORD
        )
        assert refusal == (
            "This phone has roll calls of Ravi Verma that are not sent yet (1). "
            "Log in as ravi first to send them."
        )
        # A phone logged in before the app kept the name learns it at its next sync.
        page.unroute(BATCH)
        page.evaluate("HazriDB.kvSet('fullName', '')")
        page.reload()
        wait_synced(page, 1)
        wait_until(page, "HazriDB.kvGet('fullName').then(name => name === 'Ravi Verma')")
        # Versions from an older server carry only the login: it is shown then.
        assert page.evaluate("HazriUI.takerName({taken_by: 'asha'})") == "asha"
        assert page.evaluate(
            "HazriUI.takerName({taken_by: 'asha', taken_by_name: 'Asha Patel'})"
        ) == ("Asha Patel")


OFFER = """() => {
    const offer = new Event("beforeinstallprompt", {cancelable: true});
    offer.prompt = () => { window.prompted = (window.prompted || 0) + 1; return Promise.resolve(); };
    offer.userChoice = Promise.resolve({outcome: "accepted", platform: "web"});
    window.dispatchEvent(offer);
    return offer.defaultPrevented;
}"""


def install_buttons(page: Page) -> int:
    return page.locator("[data-action=install]").count()


def test_the_app_offers_to_install_itself_when_the_browser_does(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    with phone_context(browser) as context:
        page = context.new_page()
        page.goto(f"{live_server.url}/app/")
        page.wait_for_selector("form[data-login]")
        assert install_buttons(page) == 0  # nothing offered: nothing shown
        # The app keeps the browser's offer for its own button (no mini-infobar).
        assert page.evaluate(OFFER) is True
        page.wait_for_selector("[data-action=install]")
        assert page.locator("[data-action=install]").inner_text() == "Install the app"
        page.click("[data-action=install]")
        assert page.evaluate("window.prompted") == 1
        assert install_buttons(page) == 0  # an offer is shown once

        log_in(page, live_server.url)
        page.evaluate(OFFER)
        page.wait_for_selector("main [data-action=install]")
        assert small_targets(page) == []
        page.click(".lang-switch button[lang=hi]")
        assert page.locator("[data-action=install]").inner_text() == "ऐप इंस्टॉल करें"
        # Installed some other way (the browser's menu): no more offer.
        page.evaluate("window.dispatchEvent(new Event('appinstalled'))")
        wait_until(page, "!document.querySelector('[data-action=install]')")
        assert page.evaluate("window.prompted") is None  # this page's offer: never tapped


def record_meals(page: Page, school_id: int, count: str) -> None:
    page.goto(page.url.split("#")[0] + "#/")
    page.click(f'[data-meals="{school_id}"] a.mark-button')
    page.fill("#meals", count)
    page.click("form[data-meals-form] button[type=submit]")
    page.wait_for_selector("body[data-route=today] .message.success")


def test_a_login_the_server_no_longer_accepts_asks_to_log_in_and_keeps_the_queue(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    """The server answers a token it does not accept (idle too long, or revoked) with
    401 and the bearer challenge, CSRF checks on (a real server): the app stops, asks
    to log in again, and sends everything once logged in. No other request is made to
    tell a 401 from a CSRF 403 (the workaround of old)."""
    world = morning
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        mark(page, world.section.pk, 1, [roll[2].id])
        record_meals(page, world.school.pk, "7")
        idle = dt.timedelta(days=settings.HAZRI_DEVICE_TOKEN_IDLE_DAYS + 1)
        DeviceToken.objects.filter(user=world.ravi).update(
            created_at=timezone.now() - idle, last_used_at=timezone.now() - idle
        )
        answers: list[Response] = []
        page.on("response", lambda r: "/api/" in r.url and answers.append(r))
        context.set_offline(False)
        banner = page.wait_for_selector("main [role=alert]")
        assert "Your login has expired" in banner.inner_text()
        assert [(r.request.method, r.url.split("/api/v1")[1], r.status) for r in answers] == [
            ("POST", "/rollcalls/batch", 401)
        ]
        assert answers[0].headers["www-authenticate"].startswith("Bearer ")
        assert sorted((i["kind"], i["status"]) for i in device_queue(page)) == [
            ("meal", "queued"),
            ("student", "queued"),
        ]

        page.click("main [role=alert] a")
        page.fill("#password", PASSWORD)
        page.click("form[data-login] button[type=submit]")
        wait_synced(page, 2)
        assert RollCall.objects.get(section=world.section, day=today).absent == 1
        assert MealRecord.objects.get(school=world.school, day=today).meals_served == 7

        # A meal sent on a revoked login: the same, not "not accepted".
        DeviceToken.objects.filter(user=world.ravi).update(revoked_at=timezone.now())
        answers.clear()
        record_meals(page, world.school.pk, "8")  # saved, then sent at once
        page.wait_for_selector("main [role=alert]")
        wait_until(page, "!HazriApp.syncing")
        assert [(r.url.split("/api/v1")[1], r.status) for r in answers] == [
            (f"/schools/{world.school.pk}/meals", 401)
        ]
        meal = [i for i in device_queue(page) if i["payload"].get("meals_served") == 8]
        assert [i["status"] for i in meal] == ["queued"]
