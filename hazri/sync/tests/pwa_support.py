"""Helpers for the offline app's browser tests: Chromium, a world where "today" is a
school morning, and the app's own steps (log in, mark, read the queue)."""

import datetime as dt
import gzip
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Request, ViewportSize

from hazri.attendance import services
from hazri.attendance.models import RollCall
from hazri.org.models import School, Section
from hazri.people.models import Admission, Enrolment, Student
from hazri.testing.browser import CHROMIUM, CHROMIUM_ARGS, launch  # noqa: F401
from hazri.testing.world import PASSWORD, World, morning_timezone

PHONE: ViewportSize = {"width": 360, "height": 740}
# Ready: the service worker controls the page and a pull has finished.
# The app's pushes, as a Playwright route pattern.
BATCH = "**/api/v1/rollcalls/batch"
READY = "navigator.serviceWorker.controller !== null && Number(document.body.dataset.pulls) >= 1"


def sent_json(request: Request) -> Any:
    """The JSON body the app sent, unpacked where it sent it gzipped (the pull tells
    it the server reads `Content-Encoding: gzip`)."""
    body = request.post_data_buffer or b""
    if request.headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return json.loads(body)


@contextmanager
def phone_context(browser: Browser, **options: Any) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport=PHONE,
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
        locale="en-IN",
        timezone_id="Asia/Kolkata",
        **options,
    )
    context.set_default_timeout(20_000)
    if os.environ.get("HAZRI_PWA_CONSOLE"):
        context.on("console", lambda message: print("console:", message.type, message.text))  # noqa: T201
        context.on("weberror", lambda error: print("page error:", error.error))  # noqa: T201
    try:
        yield context
    finally:
        context.close()


def school_morning(world: World, school: School | None = None) -> None:
    """Today is a school day at 09:xx school time, and school began five minutes ago,
    so marks taken in the next 55 minutes are on time."""
    zone = morning_timezone()
    began = (timezone.now().astimezone(ZoneInfo(zone)) - dt.timedelta(minutes=5)).time()
    for target in [school or world.school]:
        target.timezone = zone
        target.start_time = began.replace(second=0, microsecond=0)
        target.save()
    world.policy.weekly_offs = []
    world.policy.save()


def add_section(
    world: World, grade: int, name: str, pupils: list[tuple[str, str]], *, code: str = ""
) -> tuple[Section, list[Student]]:
    """A section of Rampur school with these (name, local name) pupils, in this order."""
    section = Section.objects.create(
        school=world.school, academic_year=world.year, grade=grade, name=name
    )
    students = []
    start = world.year.starts_on
    for index, (english, local) in enumerate(pupils, start=1):
        key = f"{code or grade}{name}{index:03d}"
        student = Student.objects.create(
            name=english, name_local=local, gender="F", state_id=f"T{world.school.pk}{key}"
        )
        admission = Admission.objects.create(
            school=world.school, student=student, admission_no=f"X{key}", admitted_on=start
        )
        Enrolment.objects.create(
            school=world.school,
            section=section,
            student=student,
            admission=admission,
            origin="promoted",
            starts_on=start,
            roll_no=index,
        )
        students.append(student)
    return section, students


def wait_until(
    page: Page, expression: str, timeout: float = 20, arg: Any = None, interval: float = 0.1
) -> Any:
    """Poll a JS expression (may return a promise) until truthy. Not wait_for_function:
    that evaluates strings, which the app's Content-Security-Policy rightly forbids."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(interval)


def log_in(page: Page, base_url: str, username: str = "ravi") -> None:
    page.goto(f"{base_url}/app/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form[data-login] button[type=submit]")
    wait_until(page, READY, timeout=30)
    page.wait_for_selector("body[data-route=today] [data-section]")


def screenshot(page: Page, name: str) -> None:
    """Keep a screenshot when HAZRI_SCREENSHOTS names a folder."""
    folder = os.environ.get("HAZRI_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


TARGETS = "button, a.btn, a.tab, a.back, .chip-face, input[type=text], input[type=password]"


def small_targets(page: Page) -> list[str]:
    """Controls smaller than 44 x 44 CSS px (WCAG 2.5.5), as 'text (w x h)'."""
    return page.eval_on_selector_all(
        TARGETS,
        """nodes => nodes.filter(n => n.offsetParent !== null).map(n => {
            const r = n.getBoundingClientRect();
            return [n.textContent.trim().slice(0, 30), Math.round(r.width), Math.round(r.height)];
        }).filter(([, w, h]) => w < 44 || h < 44).map(([t, w, h]) => `${t} (${w} x ${h})`)""",
    )


def mark(
    page: Page,
    section_id: int,
    meeting: int,
    absent: list[int],
    note: str = "",
    before_save: Callable[[Page], None] | None = None,
) -> None:
    """Mark a section from the "today" screen: everyone present but `absent` (one tap
    each), then save."""
    page.goto(page.url.split("#")[0] + "#/")
    page.click(f'[data-section="{section_id}"] [data-meeting="{meeting}"] a.mark-button')
    page.wait_for_selector("form[data-marking]")
    for student in absent:
        page.tap(f'li[data-member="{student}"] label.chip-A')
    if note:
        page.fill("#note", note)
    if before_save:
        before_save(page)
    page.click("form[data-marking] button[type=submit]")
    page.wait_for_selector("body[data-route=today] .message.success")


def status_of(page: Page, section_id: int, meeting: int = 1) -> str | None:
    selector = f'[data-section="{section_id}"] [data-meeting="{meeting}"]'
    return page.get_attribute(selector, "data-status")


def queue(page: Page) -> dict[str, str]:
    """client_uuid -> status as the queue screen shows them."""
    page.goto(page.url.split("#")[0] + "#/queue")
    page.wait_for_selector("body[data-route=queue]")
    return page.eval_on_selector_all(
        "li.queue-item",
        "items => Object.fromEntries(items.map(i => [i.dataset.uuid, i.dataset.status]))",
    )


def device_queue(page: Page) -> list[dict[str, Any]]:
    """The queue straight from IndexedDB."""
    return page.evaluate(
        "HazriDB.getAll('queue').then(items => items.map(i => ({uuid: i.client_uuid, "
        "status: i.status, kind: i.kind, payload: i.payload, errors: i.errors})))"
    )


def marks_of(rollcall: RollCall) -> dict[int, str]:
    return dict(zip(rollcall.roster.members, rollcall.marks, strict=True))


def wait_idle(page: Page) -> None:
    """No sync running: the test may touch the database (in-memory SQLite locks whole
    tables while the live server writes)."""
    wait_until(page, "!HazriApp.syncing")


def wait_synced(page: Page, count: int) -> None:
    wait_until(
        page,
        "n => HazriDB.getAll('queue').then(items => items.filter("
        "i => i.status === 'synced').length >= n)",
        arg=count,
        timeout=30,
    )
    wait_idle(page)


def submit_as(
    user: Any, section: Section, day: dt.date, roll: list[Any], absent: list[int]
) -> RollCall:
    """A roll call from another phone, captured now (later than this phone's)."""
    return services.rollcall_submit(
        section=section,
        day=day,
        meeting=1,
        marks=[(s.id, "A" if s.id in absent else "P") for s in roll],
        capture=services.Capture(client_uuid=uuid.uuid4(), captured_at=timezone.now()),
        by=user,
    ).sheet
