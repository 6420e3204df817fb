"""Reference photos of students in the offline app (issue 18, enrolment of faces):
taken offline from a section's list, made small on the phone, kept across a reload,
sent when the network returns. A student with a guardian's consent gets a Reference
on the server (the real recognizer checks the face); one without is "not accepted"
with the server's reason until the teacher discards it, never sent again by itself.
A resend after a lost answer adds no second reference (Idempotency-Key).

The photos are real JPEGs from ../shared/data/faces (never copied into the repo);
the tests are skipped where that folder is absent.
"""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request, Route

from hazri.faces.models import Reference
from hazri.faces.services.consent import consent_record
from hazri.sync.tests.pwa_support import (
    log_in,
    phone_context,
    screenshot,
    small_targets,
    wait_idle,
    wait_until,
)
from hazri.testing.browser import sideways
from hazri.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACES = Path(__file__).resolve().parents[3].parent / "shared/data/faces"
BIDEN = FACES / "people" / "biden" / "biden.jpg"  # 970 x 2204: made 563 x 1280 on the phone
OBAMA = FACES / "people" / "obama" / "obama.jpg"
POSTS = "**/api/v1/students/*/references"
needs_photos = pytest.mark.skipif(
    not (BIDEN.is_file() and OBAMA.is_file()),
    reason=f"the shared test photos are not at {FACES}",
)


@pytest.fixture
def faces_dir(settings: Any, tmp_path: Path) -> Path:
    settings.HAZRI_FACES_DIR = tmp_path / "faces"
    return settings.HAZRI_FACES_DIR


def device_refs(page: Page) -> list[dict[str, Any]]:
    """The phone's reference photos, the photo itself described (type, size)."""
    return page.evaluate(
        """HazriDB.getAll('ref_photos').then(rows => rows.map(r => Object.assign({}, r,
             { blob: r.blob ? { type: r.blob.type, size: r.blob.size } : null })))"""
    )


def take_reference(page: Page, student_id: int, photo: Path) -> None:
    page.set_input_files(f"#ref-file-{student_id}", str(photo))
    page.wait_for_selector(".message.success")
    page.wait_for_selector(f'[data-student="{student_id}"] [data-ref-counts]')


def record_posts(page: Page, seen: list[tuple[int, str]], fail: Any = None) -> None:
    """Note each reference photo the app sends (student, Idempotency-Key); `fail` may
    answer one in its own way (it returns True when it did)."""

    def handle(route: Route) -> None:
        request: Request = route.request
        student = int(request.url.rstrip("/").split("/")[-2])
        seen.append((student, request.headers.get("idempotency-key", "")))
        if fail is None or not fail(route, len(seen)):
            route.continue_()

    page.route(POSTS, handle)


@needs_photos
def test_reference_photos_taken_offline_are_added_or_said_not_accepted(
    live_server, morning: World, browser: Browser, faces_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    consenting, other = world.students[0], world.students[1]
    consent_record(
        school=world.school,
        student=consenting,
        given_by="Sunita Sharma",
        method="form",
        reference="F-17",
        by=world.ravi,
    )
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")

        # From the section's card: its students, each with a camera button.
        page.click(f'[data-section="{world.section.pk}"] a[data-action=references]')
        page.wait_for_selector(f'[data-references="{world.section.pk}"]')
        assert page.locator(".ref-member").count() == len(world.students)
        field = f"#ref-file-{consenting.pk}"
        assert page.get_attribute(field, "accept") == "image/*"
        assert page.get_attribute(field, "capture") == "user"
        take_reference(page, consenting.pk, BIDEN)
        assert consenting.name in page.locator(".message.success").inner_text()
        take_reference(page, other.pk, OBAMA)
        row = page.locator(f'.ref-member[data-student="{consenting.pk}"]')
        assert "1 photo waiting to sync" in row.inner_text()
        assert not sideways(page)
        assert small_targets(page) == []
        screenshot(page, "pwa-references.png")

        # Made small on the phone: a JPEG of at most 1280 px on its long side.
        page.reload()
        page.wait_for_selector(f'[data-references="{world.section.pk}"]')
        assert page.get_attribute("body", "data-refs-queued") == "2"
        held = {row["student"]: row for row in device_refs(page)}
        assert set(held) == {consenting.pk, other.pk}
        big = held[consenting.pk]
        assert (big["width"], big["height"]) == (563, 1280)
        assert big["blob"]["type"] == "image/jpeg"
        assert big["blob"]["size"] == big["size"] < BIDEN.stat().st_size
        assert held[other.pk]["status"] == "queued"
        page.goto(f"{live_server.url}/app/#/queue")
        card = page.locator(f'li.ref-photo[data-ref="{big["client_uuid"]}"]')
        assert f"Reference photo: {consenting.name}" in card.inner_text()
        assert card.get_attribute("data-status") == "queued"
        assert Reference.objects.count() == 0

        # Online: the first answer is lost (the server stored the reference), so the
        # sync fails and the photo waits; sent again, the server finds it by its key.
        seen: list[tuple[int, str]] = []

        def lose_first(route: Route, number: int) -> bool:
            if number == 1:
                route.fetch()
                route.abort("connectionreset")
                return True
            return False

        record_posts(page, seen, lose_first)
        context.set_offline(False)
        wait_until(page, "() => HazriDB.kvGet('lastSync').then(s => !!s && !s.ok)", timeout=60)
        wait_idle(page)
        assert Reference.objects.filter(student=consenting).count() == 1
        assert page.get_attribute("body", "data-refs-queued") == "2"

        page.click("[data-action=sync]")
        wait_until(
            page,
            "HazriDB.getAll('ref_photos').then(r => r.every(i => i.status !== 'queued'))",
            timeout=60,
        )
        wait_idle(page)
        assert seen == [
            (consenting.pk, big["client_uuid"]),
            (consenting.pk, big["client_uuid"]),
            (other.pk, held[other.pk]["client_uuid"]),
        ]
        [reference] = Reference.objects.filter(student=consenting)
        assert reference.source == Reference.Source.UPLOAD
        assert str(reference.client_uuid) == big["client_uuid"]
        assert reference.face_width >= 60
        assert not Reference.objects.filter(student=other).exists()

        # Added: the photo leaves the phone. Not accepted: kept, with the reason.
        now = {row["student"]: row for row in device_refs(page)}
        assert now[consenting.pk]["status"] == "added"
        assert now[consenting.pk]["blob"] is None
        assert now[other.pk]["status"] == "rejected"
        assert now[other.pk]["errors"][0]["code"] == "no_consent"
        assert page.get_attribute("body", "data-refs-queued") == "0"
        page.goto(f"{live_server.url}/app/#/queue")
        added = page.locator(f'li.ref-photo[data-student="{consenting.pk}"]')
        assert added.locator("[data-badge=added]").inner_text() == "Added"
        refused = page.locator(f'li.ref-photo[data-student="{other.pk}"]')
        assert refused.get_attribute("data-status") == "rejected"
        text = refused.inner_text()
        assert f"No guardian's consent is recorded for {other.name}" in text
        assert "Not accepted" in text
        assert page.locator("a.tab .tab-count").inner_text() == "1"
        screenshot(page, "pwa-references-queue.png")

        # Never sent again by itself: another sync leaves it as it is.
        page.click("[data-action=sync]")
        wait_until(page, "() => HazriDB.kvGet('lastSync').then(s => !!s && s.ok)")
        wait_idle(page)
        assert len(seen) == 3

        # In Hindi, on the section's list.
        page.click("button[lang=hi]")
        page.goto(f"{live_server.url}/app/#/references/{world.section.pk}")
        assert (
            "1 फ़ोटो जोड़ी गई"
            in page.locator(f'.ref-member[data-student="{consenting.pk}"]').inner_text()
        )
        page.click("button[lang=en]")

        # Discarded (two taps): gone from the phone.
        page.goto(f"{live_server.url}/app/#/queue")
        refused = page.locator(f'li.ref-photo[data-student="{other.pk}"]')
        refused.locator("[data-action=discard-reference]").click()
        refused.locator("[data-action=discard-reference][data-armed]").click()
        refused.wait_for(state="detached")
        assert [row["student"] for row in device_refs(page)] == [consenting.pk]
    assert Reference.objects.count() == 1


def test_a_large_photo_is_made_small_on_the_phone(live_server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    """A 12 MP camera photo (4000 x 3000) becomes 1280 x 960, a JPEG of a few hundred
    KB; a file that is no picture is said so."""
    with phone_context(browser) as context:
        page = context.new_page()
        page.goto(f"{live_server.url}/app/")
        page.wait_for_selector("form[data-login]")
        made = page.evaluate(
            """async () => {
              const canvas = new OffscreenCanvas(4000, 3000);
              const c = canvas.getContext('2d');
              for (let i = 0; i < 200; i++) {
                c.fillStyle = `hsl(${i * 37 % 360}, 60%, ${30 + i % 40}%)`;
                c.fillRect((i * 97) % 4000, (i * 61) % 3000, 400, 300);
              }
              const big = await canvas.convertToBlob({ type: 'image/png' });
              const small = await HazriRefs.shrink(new File([big], 'camera.png'));
              let refused = null;
              await HazriRefs.shrink(new File(['no photo'], 'note.txt')).catch(e => { refused = e.code; });
              return [small.width, small.height, small.blob.type, small.blob.size, refused];
            }"""
        )
    assert made[:3] == [1280, 960, "image/jpeg"]
    assert 0 < made[3] < 1024 * 1024
    assert made[4] == "not_a_photo"


V2_STORES = """new Promise((resolve, reject) => {
  const request = indexedDB.open("hazri", 2);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore("kv");
    for (const name of ["students", "enrolments", "rollcalls", "staff_rollcalls"]) {
      db.createObjectStore(name, { keyPath: "id" });
    }
    db.createObjectStore("queue", { keyPath: "client_uuid" });
    db.createObjectStore("photo_sets", { keyPath: "client_uuid" });
    db.createObjectStore("photo_blobs", { keyPath: "key" });
  };
  request.onsuccess = () => {
    const db = request.result;
    const tx = db.transaction(["kv", "queue", "photo_sets", "photo_blobs"], "readwrite");
    tx.objectStore("kv").put("ravi", "username");
    tx.objectStore("queue").put({ client_uuid: "u-1", kind: "student", status: "queued",
      created_at: "2026-11-18T04:00:00Z", payload: { section: 1, day: "2026-11-18", meeting: 1,
      marks: [] }, errors: [], rev: 0 });
    tx.objectStore("photo_sets").put({ client_uuid: "s-1", kind: "photos", status: "queued",
      created_at: "2026-11-18T04:00:00Z", section: 1, day: "2026-11-18", meeting: 1, photos: [] });
    tx.objectStore("photo_blobs").put({ key: "s-1:0", set: "s-1", index: 0,
      blob: new Blob(["photo"], { type: "image/jpeg" }) });
    tx.oncomplete = () => { db.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
  request.onerror = () => reject(request.error);
})"""


def test_a_phone_with_class_photos_waiting_is_upgraded_and_keeps_them(
    live_server, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    """A phone with the second version's IndexedDB: the app adds ref_photos and keeps
    the roll calls and class photos that wait."""
    with phone_context(browser) as context:
        page = context.new_page()
        page.goto(f"{live_server.url}/app/manifest.webmanifest")
        assert page.evaluate(V2_STORES) is True
        page.goto(f"{live_server.url}/app/")
        page.wait_for_selector("form[data-login]")
        version, stores = page.evaluate(
            "HazriDB.open().then(db => [db.version, Array.from(db.objectStoreNames).sort()])"
        )
        assert version == 4
        assert "ref_photos" in stores and "photo_blobs" in stores
        assert page.evaluate("HazriDB.getAll('queue').then(q => q.map(i => i.client_uuid))") == [
            "u-1"
        ]
        assert page.evaluate(
            "HazriDB.getAll('photo_sets').then(s => s.map(i => i.client_uuid))"
        ) == ["s-1"]
        assert page.evaluate("HazriDB.get('photo_blobs', 's-1:0').then(b => b.blob.size)") == 5
        assert page.evaluate("HazriDB.kvGet('username')") == "ravi"
        assert page.evaluate("HazriDB.getAll('ref_photos')") == []
