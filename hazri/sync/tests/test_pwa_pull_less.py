"""The app pulls less (docs/sync.md, "Pulling less"), and compresses its pushes where the
server says it can read them ("Compressed uploads"): in a real Chromium against a live
server, with the requests watched (and one rewritten) by Playwright."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, Request, Route

from hazri.attendance.models import RollCall
from hazri.org.selectors import school_today
from hazri.people.models import Admission, Enrolment, Student
from hazri.people.selectors import section_roll
from hazri.sync.tests.pwa_support import (
    BATCH,
    log_in,
    mark,
    phone_context,
    school_morning,
    sent_json,
    submit_as,
    wait_idle,
    wait_synced,
    wait_until,
)
from hazri.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def morning() -> World:
    world = build_world()
    school_morning(world)
    # The world was built an hour ago: rows saved within a minute of a pull count as
    # news (the delta's overlap), and these are not.
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    for model in (Student, Admission, Enrolment):
        model.objects.update(updated_at=hour_ago)
    return world


class Traffic:
    """The app's sync requests in order: "push" (a batch) and "pull"."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("request", self.note)

    def note(self, request: Request) -> None:
        if "/api/v1/rollcalls/batch" in request.url:
            self.seen.append("push")
        elif "/api/v1/sync/pull" in request.url:
            self.seen.append("pull")

    def since(self, start: int) -> list[str]:
        return self.seen[start:]


def synced_once_more(page: Page, count: int) -> None:
    wait_synced(page, count)
    wait_until(page, "HazriDB.kvGet('lastSync').then(s => s && s.ok)")
    wait_idle(page)


def test_a_push_with_nothing_new_is_not_followed_by_a_pull(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    with phone_context(browser) as context:
        page = context.new_page()
        traffic = Traffic(page)
        log_in(page, live_server.url)
        wait_idle(page)
        start = len(traffic.seen)
        mark(page, world.section.pk, 1, [])
        synced_once_more(page, 1)
        assert traffic.since(start) == ["push"]
        assert page.evaluate("HazriDB.kvGet('lastSync')")["pulled"] is False
        # Past the longest a device goes without pulling, a push is followed by a pull
        # even with nothing new (the calendar and rules carry no "changed" answer).
        page.evaluate("HazriSync.config.pullMaxAgeMs = 0")
        start = len(traffic.seen)
        mark(page, world.section.pk, 2, [])
        synced_once_more(page, 2)
        assert traffic.since(start) == ["push", "pull"]


def test_another_devices_roll_call_is_pulled_after_a_push(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    today = school_today(world.school)
    with phone_context(browser) as context:
        page = context.new_page()
        traffic = Traffic(page)
        log_in(page, live_server.url)
        wait_idle(page)
        roll = section_roll(world.section, today)
        hers = submit_as(world.asha, world.section, today, roll=roll, absent=[roll[1].id])
        start = len(traffic.seen)
        mark(page, world.section.pk, 2, [])
        synced_once_more(page, 1)
        assert traffic.since(start) == ["push", "pull"]
        held = page.evaluate("HazriDB.getAll('rollcalls').then(rs => rs.map(r => r.id))")
        assert hers.pk in held
    assert RollCall.objects.count() == 2


def test_a_child_admitted_after_the_pull_is_on_the_roll_after_the_next_push(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    today = school_today(world.school)
    with phone_context(browser) as context:
        page = context.new_page()
        traffic = Traffic(page)
        log_in(page, live_server.url)
        wait_idle(page)
        child = Student.objects.create(
            name="Naya Bachcha", name_local="नया बच्चा", gender="M", state_id="TNEW001"
        )
        admission = Admission.objects.create(
            school=world.school, student=child, admission_no="N001", admitted_on=today
        )
        Enrolment.objects.create(
            school=world.school,
            section=world.section,
            student=child,
            admission=admission,
            origin="new",
            starts_on=today,
            roll_no=99,
        )
        start = len(traffic.seen)
        # The phone's roll lacks the child: the server refuses these marks, and says the
        # rolls changed, so the phone pulls at once and the child is on its roll.
        mark(page, world.section.pk, 1, [])
        wait_until(page, "HazriDB.kvGet('lastSync').then(s => s && s.ok && s.pulled)")
        wait_idle(page)
        assert traffic.since(start) == ["push", "pull"]
        page.goto(page.url.split("#")[0] + "#/")
        page.click(f'[data-section="{world.section.pk}"] [data-meeting="2"] a.mark-button')
        page.wait_for_selector(f'li[data-member="{child.pk}"]')


def test_pushes_go_compressed_when_the_server_says_it_reads_them(
    live_server, morning: World, browser: Browser, settings
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    settings.HAZRI_ACCEPTS_GZIP_BODIES = True
    sent: list[dict[str, object]] = []

    def unpack(route: Route) -> None:
        # What the app sent, read on the way; the server gets it as sent, gzipped.
        request = route.request
        assert request.headers.get("content-encoding") == "gzip"
        sent.append(sent_json(request))
        route.continue_()

    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        wait_idle(page)
        assert page.evaluate("HazriDB.kvGet('acceptsGzip')") is True
        page.route(BATCH, unpack)
        mark(page, world.section.pk, 1, [])
        wait_synced(page, 1)
        [item] = page.evaluate("HazriDB.getAll('queue')")
    [body] = sent
    assert [r["client_uuid"] for r in body["rollcalls"]] == [item["client_uuid"]]  # type: ignore[index]
    assert body["rollcalls"][0]["codes"] == "P" * 5  # type: ignore[index]
    assert RollCall.objects.get().client_uuid.hex == item["client_uuid"].replace("-", "")


def test_pushes_go_plain_where_the_server_says_not_to_compress(
    live_server, morning: World, browser: Browser, settings
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    settings.HAZRI_ACCEPTS_GZIP_BODIES = False
    encodings: list[str | None] = []

    def note(route: Route) -> None:
        encodings.append(route.request.headers.get("content-encoding"))
        route.continue_()

    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        wait_idle(page)
        assert page.evaluate("HazriDB.kvGet('acceptsGzip')") is False
        page.route(BATCH, note)
        mark(page, world.section.pk, 1, [])
        wait_synced(page, 1)
    assert encodings == [None]
