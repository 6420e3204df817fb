"""Class photos in the offline app (issue 18): taken offline, kept on the phone across
a reload, uploaded in chunks when the network returns, resumed from the server's count
after a cut, followed until the photos propose a roll call.

The photos are real JPEGs from ../shared/data/faces (never copied into the repo);
the test is skipped where that folder is absent. Processing (the recognition engine)
is not under test here: its task is replaced by one that leaves the set queued, and
the test moves the set on as the worker would.
"""

import hashlib
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from playwright.sync_api import Browser, Page, Route

from hazri.faces import storage
from hazri.faces.models import Photo, PhotoSet
from hazri.sync.tests.pwa_support import (
    log_in,
    phone_context,
    screenshot,
    wait_idle,
    wait_until,
)
from hazri.testing.browser import sideways
from hazri.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACES = Path(__file__).resolve().parents[3].parent / "shared/data/faces"
GROUP = [FACES / "group" / "obama_and_biden.jpg", FACES / "group" / "two_people.jpg"]
CHUNK = 256 * 1024
CHUNKS = "**/api/v1/photo-sets/*/photos/*"
needs_photos = pytest.mark.skipif(
    not all(path.is_file() for path in GROUP),
    reason=f"the shared test photos are not at {FACES}",
)


class HeldTask:
    """Stands for the processing task: the set stays queued, as with a busy worker."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def enqueue(self, *args: Any) -> None:
        self.calls.append(args)


@pytest.fixture
def held_task(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> HeldTask:
    settings.HAZRI_FACES_DIR = tmp_path / "faces"
    task = HeldTask()
    monkeypatch.setattr("hazri.faces.tasks.process_photo_set", task)
    return task


def in_database(change: Any) -> None:
    """A write from the test while the app may be reading (in-memory SQLite locks
    whole tables): tried again for a moment if the table is busy."""
    for _ in range(50):
        try:
            change()
            return
        except OperationalError:
            time.sleep(0.1)
    change()


def take_photos(page: Page, section_id: int, files: list[Path]) -> None:
    """From the "today" screen: Class photos, choose the files, save."""
    page.goto(page.url.split("#")[0] + "#/")
    page.click(f'[data-section="{section_id}"] [data-meeting="1"] a[data-action=photos]')
    page.wait_for_selector("form[data-photo-form]")
    assert page.get_attribute("#photo-files", "accept") == "image/*"
    assert page.get_attribute("#photo-files", "capture") == "environment"
    page.set_input_files("#photo-files", [str(path) for path in files])
    page.wait_for_selector(f'[data-chosen="{len(files)}"]')
    assert page.locator(".photo-previews img").count() == len(files)
    assert not sideways(page)
    screenshot(page, "pwa-photos.png")
    page.click("form[data-photo-form] button[type=submit]")
    page.wait_for_selector("body[data-route=today] .message.success")


def device_sets(page: Page) -> list[dict[str, Any]]:
    return page.evaluate("HazriDB.getAll('photo_sets')")


def blobs_held(page: Page) -> int:
    return page.evaluate("HazriDB.getAll('photo_blobs').then(rows => rows.length)")


def record_chunks(page: Page, seen: list[tuple[int, int, int]], fail: Any = None) -> None:
    """Note every chunk the app sends (photo index, Upload-Offset, length); `fail`
    may answer one in its own way (it returns True when it did)."""

    def handle(route: Route) -> None:
        request = route.request
        entry = (
            int(request.url.rstrip("/").rsplit("/", 1)[1]),
            int(request.headers["upload-offset"]),
            len(request.post_data_buffer or b""),
        )
        seen.append(entry)
        if fail is None or not fail(route, len(seen)):
            route.continue_()

    page.route(CHUNKS, handle)


def wait_for_chunks(page: Page, seen: list[Any], count: int) -> None:
    """Until the app has sent `count` chunks (the route's handler runs between the
    page's steps: Playwright's own wait lets it)."""
    deadline = time.monotonic() + 20
    while len(seen) < count:
        assert time.monotonic() < deadline, f"{len(seen)} chunks sent, not {count}"
        page.wait_for_timeout(100)


def expected_offsets(size: int) -> list[int]:
    return list(range(0, size, CHUNK))


def check_on_server(photo_set: PhotoSet, files: list[Path]) -> None:
    photos = list(photo_set.photos.order_by("index"))
    assert len(photos) == len(files)
    for photo, path in zip(photos, files, strict=True):
        data = path.read_bytes()
        assert photo.status == Photo.Status.RECEIVED
        assert (photo.size, photo.received) == (len(data), len(data))
        assert photo.sha256 == hashlib.sha256(data).hexdigest()
        assert storage.photo_path(photo.school_id, photo.pk).read_bytes() == data


@needs_photos
def test_photos_taken_offline_wait_on_the_phone_and_upload_in_chunks(
    live_server, morning: World, browser: Browser, held_task: HeldTask
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        take_photos(page, world.section.pk, GROUP)
        assert "2 photos" in page.locator(".message.success").inner_text()
        assert page.get_attribute("body", "data-photos-queued") == "1"
        assert PhotoSet.objects.count() == 0

        # Across a reload (offline): the set and both photos are still on the phone.
        page.reload()
        page.wait_for_selector("body[data-route=today] [data-section]")
        row = f'[data-section="{world.section.pk}"] [data-meeting="1"]'
        assert page.get_attribute(f"{row} [data-photos]", "data-photos") == "queued"
        [held] = device_sets(page)
        assert held["status"] == "queued"
        assert [p["size"] for p in held["photos"]] == [p.stat().st_size for p in GROUP]
        assert [p["sha256"] for p in held["photos"]] == [
            hashlib.sha256(p.read_bytes()).hexdigest() for p in GROUP
        ]
        assert blobs_held(page) == 2
        page.goto(f"{live_server.url}/app/#/queue")
        card = page.locator(f'li.photo-set[data-photo-set="{held["client_uuid"]}"]')
        assert card.get_attribute("data-status") == "queued"
        assert "2 photos" in card.inner_text()
        screenshot(page, "pwa-photos-queue.png")

        # Online: announced, then each photo in chunks of 256 KiB, every one taken.
        page.evaluate(f"HazriPhotos.config.chunkBytes = {CHUNK}; HazriPhotos.config.pollMs = 300")
        seen: list[tuple[int, int, int]] = []
        record_chunks(page, seen)
        context.set_offline(False)
        wait_until(
            page,
            "HazriDB.getAll('photo_sets').then(s => s[0].status === 'uploaded')",
            timeout=30,
        )
        wait_idle(page)
        photo_set = PhotoSet.objects.get(client_uuid=held["client_uuid"])
        assert (photo_set.section_id, photo_set.meeting, photo_set.expected) == (
            world.section.pk,
            1,
            2,
        )
        check_on_server(photo_set, GROUP)
        for index, path in enumerate(GROUP):
            assert [offset for i, offset, _ in seen if i == index] == expected_offsets(
                path.stat().st_size
            )
        assert all(length <= CHUNK for _, _, length in seen)
        assert len(held_task.calls) == 1
        # The server holds them all: the phone keeps the set's progress, not the photos.
        assert blobs_held(page) == 0
        assert page.get_attribute("body", "data-photos-queued") == "0"

        # While the server processes them, the app shows how far it is.
        page.goto(f"{live_server.url}/app/#/queue")
        card = page.locator(f'li.photo-set[data-photo-set="{held["client_uuid"]}"]')
        card.locator("[data-badge=processing]").wait_for()
        in_database(
            lambda: PhotoSet.objects.filter(pk=photo_set.pk).update(
                status=PhotoSet.Status.PROCESSING, processed=1
            )
        )
        card.locator('[data-processed="1"]').wait_for()
        assert "1 of 2 photos" in card.inner_text()
        in_database(
            lambda: PhotoSet.objects.filter(pk=photo_set.pk).update(
                status=PhotoSet.Status.PROPOSED, processed=2
            )
        )
        link = card.locator("a[data-action=review]")
        link.wait_for()
        assert link.get_attribute("href") == f"/photo-sets/{photo_set.pk}/"
        assert link.inner_text() == "Check the roll call"
        screenshot(page, "pwa-photos-proposed.png")
        page.goto(f"{live_server.url}/app/#/")
        page.wait_for_selector(f"{row} a[data-action=review]")
        assert not sideways(page)
        screenshot(page, "pwa-photos-today.png")

        # In Hindi, the counts take their plural forms.
        page.click("button[lang=hi]")
        page.goto(f"{live_server.url}/app/#/queue")
        assert "2 फ़ोटो" in page.locator("li.photo-set").inner_text()


@needs_photos
def test_a_cut_upload_resumes_from_the_servers_count(
    live_server, morning: World, browser: Browser, held_task: HeldTask
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    photo = GROUP[0]
    size = photo.stat().st_size
    assert size > 2 * CHUNK, "the photo must take three chunks"

    def cut(route: Route, number: int) -> bool:
        if number == 2:  # the connection drops before the server has the chunk
            route.abort("connectionreset")
            return True
        if number == 3:  # the server takes the chunk; its answer is lost
            route.fetch()
            route.abort("connectionreset")
            return True
        if number == 4:  # the server is busy: it says when to come back
            route.fulfill(
                status=503,
                headers={"Retry-After": "1"},
                content_type="application/json",
                body='{"detail": "The database is not available.", "code": "unavailable"}',
            )
            return True
        return False

    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        take_photos(page, world.section.pk, [photo])
        page.evaluate(f"HazriPhotos.config.chunkBytes = {CHUNK}")
        seen: list[tuple[int, int, int]] = []
        record_chunks(page, seen, cut)
        context.set_offline(False)

        # The first cut: the sync fails as a network failure does, the set waits.
        wait_until(page, "() => HazriDB.kvGet('lastSync').then(s => !!s && !s.ok)")
        wait_idle(page)
        server_photo = Photo.objects.get()
        assert server_photo.received == CHUNK
        [held] = device_sets(page)
        assert held["status"] == "queued"
        assert held["photos"][0]["received"] == CHUNK
        assert blobs_held(page) == 1
        page.goto(f"{live_server.url}/app/#/queue")
        assert page.locator("li.photo-set [data-sent]").get_attribute("data-sent") == str(CHUNK)

        # Sent again (by hand, not to wait for the backoff): from the server's count.
        page.click("[data-action=sync]")
        wait_for_chunks(page, seen, 3)
        wait_idle(page)
        server_photo.refresh_from_db()
        assert server_photo.received == 2 * CHUNK  # the server took it; the app did not hear

        # Again: the announce tells the app what the server holds; then a 503 with
        # Retry-After, after which the app comes back by itself.
        page.click("[data-action=sync]")
        wait_until(
            page,
            "HazriDB.getAll('photo_sets').then(s => s[0].status === 'uploaded')",
            timeout=30,
        )
        wait_idle(page)

    assert [offset for _, offset, _ in seen] == [0, CHUNK, CHUNK, 2 * CHUNK, 2 * CHUNK]
    assert [length for _, _, length in seen] == [CHUNK] * 3 + [size - 2 * CHUNK] * 2
    check_on_server(PhotoSet.objects.get(), [photo])
    assert len(held_task.calls) == 1


V1_STORES = """new Promise((resolve, reject) => {
  const request = indexedDB.open("hazri", 1);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore("kv");
    for (const name of ["students", "enrolments", "rollcalls", "staff_rollcalls"]) {
      db.createObjectStore(name, { keyPath: "id" });
    }
    db.createObjectStore("queue", { keyPath: "client_uuid" });
  };
  request.onsuccess = () => {
    const db = request.result;
    const tx = db.transaction(["kv", "queue"], "readwrite");
    tx.objectStore("kv").put("ravi", "username");
    tx.objectStore("queue").put({ client_uuid: "u-1", kind: "student", status: "queued",
      created_at: "2026-11-18T04:00:00Z", payload: { section: 1, day: "2026-11-18", meeting: 1,
      marks: [] }, errors: [], rev: 0 });
    tx.oncomplete = () => { db.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
  request.onerror = () => reject(request.error);
})"""


def test_an_older_apps_storage_is_upgraded_and_kept(live_server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    """A phone with the first version's IndexedDB: the app adds the photo stores and
    keeps what waits in the queue."""
    with phone_context(browser) as context:
        page = context.new_page()
        page.goto(f"{live_server.url}/app/manifest.webmanifest")
        assert page.evaluate(V1_STORES) is True
        page.goto(f"{live_server.url}/app/")
        page.wait_for_selector("form[data-login]")
        stores = page.evaluate(
            "HazriDB.open().then(db => [db.version, Array.from(db.objectStoreNames).sort()])"
        )
        assert stores == [
            4,
            [
                "enrolments",
                "journal",
                "kv",
                "photo_blobs",
                "photo_sets",
                "queue",
                "ref_photos",
                "rollcalls",
                "staff_rollcalls",
                "students",
            ],
        ]
        kept = page.evaluate("HazriDB.getAll('queue').then(q => q.map(i => i.client_uuid))")
        assert kept == ["u-1"]
        assert page.evaluate("HazriDB.kvGet('username')") == "ravi"
        assert page.evaluate("HazriDB.getAll('photo_sets')") == []


@needs_photos
def test_an_offset_the_server_does_not_hold_resumes_from_its_count(
    live_server, morning: World, browser: Browser, held_task: HeldTask
) -> None:  # type: ignore[no-untyped-def]
    """The server answers 409 offset_mismatch: the app asks how much it holds and goes
    on from there, in the same sync."""
    world = morning
    photo = GROUP[0]
    asked: list[str] = []

    def skewed(route: Route, number: int) -> bool:
        if number == 2:  # this chunk claims an offset the server does not hold
            headers = {**route.request.headers, "upload-offset": str(2 * CHUNK)}
            route.continue_(headers=headers)
            return True
        return False

    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        take_photos(page, world.section.pk, [photo])
        page.evaluate(f"HazriPhotos.config.chunkBytes = {CHUNK}")
        seen: list[tuple[int, int, int]] = []
        record_chunks(page, seen, skewed)
        page.on(
            "request",
            lambda r: (
                asked.append(r.url) if r.method == "GET" and "/photo-sets/" in r.url else None
            ),
        )
        context.set_offline(False)
        wait_until(
            page,
            "HazriDB.getAll('photo_sets').then(s => s[0].status === 'uploaded')",
            timeout=30,
        )
        wait_idle(page)
        assert page.evaluate("HazriDB.kvGet('lastSync').then(s => s.ok)") is True

    assert [offset for _, offset, _ in seen] == [0, CHUNK, CHUNK, 2 * CHUNK]
    assert any(url.endswith(f"/api/v1/photo-sets/{PhotoSet.objects.get().pk}") for url in asked)
    check_on_server(PhotoSet.objects.get(), [photo])


@needs_photos
def test_what_cannot_be_sent_is_said_and_kept_to_discard(
    live_server, morning: World, browser: Browser, held_task: HeldTask, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    not_a_photo = tmp_path / "register.txt"
    not_a_photo.write_text("not a photo")
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        # A file that is no photo: said on the spot, naming it; nothing kept.
        page.goto(f"{live_server.url}/app/#/photos/{world.section.pk}/{held_day(page)}/1")
        page.set_input_files("#photo-files", [str(GROUP[0]), str(not_a_photo)])
        page.wait_for_selector('[data-chosen="2"]')
        page.click("form[data-photo-form] button[type=submit]")
        alert = page.locator("form[data-photo-form] .alert")
        alert.wait_for()
        assert "register.txt is not a JPEG, PNG or WebP photo." in alert.inner_text()
        assert device_sets(page) == []
        assert blobs_held(page) == 0

        # The server refuses the set (a 4xx): not accepted, with its reasons, until
        # the teacher discards it; photos and all.
        page.click('[data-preview="1"] [data-action=remove-photo]')
        page.wait_for_selector('[data-chosen="1"]')
        page.route(
            "**/api/v1/photo-sets",
            lambda route: route.fulfill(
                status=422,
                content_type="application/json",
                body='{"detail": "Invalid", "errors": [{"field": "meeting", '
                '"message": "There is no meeting 1 here.", "code": "invalid"}]}',
            ),
        )
        page.click("form[data-photo-form] button[type=submit]")
        page.wait_for_selector("body[data-route=today] .message.success")
        wait_until(page, "HazriDB.getAll('photo_sets').then(s => s[0].status === 'rejected')")
        wait_idle(page)
        page.goto(f"{live_server.url}/app/#/queue")
        card = page.locator("li.photo-set")
        assert card.get_attribute("data-status") == "rejected"
        assert "There is no meeting 1 here." in card.inner_text()
        assert page.locator("a.tab .tab-count").inner_text() == "1"
        card.locator("[data-action=discard-photos]").click()
        card.locator("[data-action=discard-photos][data-armed]").click()
        page.wait_for_selector("li.photo-set", state="detached")
        assert device_sets(page) == []
        assert blobs_held(page) == 0
    assert PhotoSet.objects.count() == 0


def held_day(page: Page) -> str:
    """The day the phone's "today" screen shows for the school (its own zone)."""
    return page.evaluate(
        "HazriUI.schoolToday(HazriApp, HazriApp.data.schools[0])",
    )
