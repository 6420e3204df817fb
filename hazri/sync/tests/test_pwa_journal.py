"""The journal and the diary in the offline app (issue 19). A subject teacher's lessons
of the day are kept at each sync and read offline; a topic and grades entered offline
wait in the queue across a reload and reach the server once each when the network
returns, even when the first answer is lost (the client_uuid makes a resend answer
the stored row). A grade the scale lacks is "not accepted" with the server's reason
until the teacher discards it. A parent who logged in while online reads the
children's week offline."""

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route

from hazri.journal.models import Grade, Lesson, Term, WorkKind
from hazri.journal.selectors.family import diary_today
from hazri.journal.tests.diary_world import build_diary, grade
from hazri.journal.tests.journal_fixtures import journal_world
from hazri.sync.tests.pwa_support import (
    READY,
    log_in,
    phone_context,
    screenshot,
    small_targets,
    wait_idle,
    wait_until,
)
from hazri.testing.browser import sideways
from hazri.testing.world import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRADES = "**/api/v1/journal/grades"


def device_journal(page: Page) -> list[dict[str, Any]]:
    return page.evaluate(
        "HazriDB.getAll('journal').then(r => r.sort((a, b) => a.created_at < b.created_at ? -1 : 1))"
    )


def give(page: Page, student: int, kind: int, value: str, comment: str = "") -> None:
    page.evaluate("document.querySelectorAll('.message.success').forEach(n => n.remove())")
    page.select_option("#grade-student", str(student))
    page.select_option("#grade-kind", str(kind))
    page.fill("#grade-value", value)
    page.fill("#grade-comment", comment)
    page.click("form[data-grade-form] button[type=submit]")
    page.wait_for_selector(".message.success")


def test_a_topic_and_grades_entered_offline_reach_the_server_once(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    j = journal_world(world, scale="percent")
    first, second = world.students[0], world.students[1]
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url, "farah")
        wait_until(page, "HazriDB.kvGet('journalToday').then(r => !!r && r.data.length === 1)")

        # Offline, after a reload: the day's lessons as of the last sync.
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        page.reload()
        page.wait_for_selector("body[data-route=today]")
        page.click("a.tab[href='#/journal']")
        card = page.locator(f'[data-lesson="{world.section.pk}/1"]')
        assert "Mathematics" in card.inner_text()
        assert "No topic yet" in card.inner_text()
        assert page.locator("[data-as-of]").count() == 1
        assert "As of" in page.locator("[data-as-of]").inner_text()
        assert page.locator("[data-lesson]").count() == 1  # English is not hers
        card.locator("[data-action=open-lesson]").click()

        # The topic and three grades, the third one the scale lacks.
        page.fill("#topic", "Fractions: halves")
        page.click("form[data-topic-form] button[type=submit]")
        page.wait_for_selector(".message.success")
        kinds = page.locator("#grade-kind option").all_inner_texts()
        assert kinds == ["Test", "Oral"]
        give(page, first.pk, j.test.pk, "95", "Neat work")
        give(page, second.pk, j.oral.pk, "80")
        give(page, first.pk, j.oral.pk, "150")
        assert page.locator("[data-lesson-items] li").count() == 4
        assert not sideways(page)
        assert small_targets(page) == []
        screenshot(page, "pwa-journal-lesson.png")

        page.reload()
        page.wait_for_selector("body[data-route=lesson]")
        assert page.get_attribute("body", "data-journal-queued") == "4"
        held = device_journal(page)
        assert [i["kind"] for i in held] == ["topic", "grade", "grade", "grade"]
        assert held[0]["payload"]["topic"] == "Fractions: halves"
        assert held[1]["payload"]["value"] == "95"
        assert held[1]["payload"]["comment"] == "Neat work"
        assert Lesson.objects.count() == 0 and Grade.objects.count() == 0

        # Online: the first grade's answer is lost (the server stored it), so the sync
        # fails and the rest waits; sent again, the server answers the stored row.
        seen: list[str] = []

        def lose_first(route: Route) -> None:
            body = route.request.post_data_json or {}
            seen.append(body["client_uuid"])
            if len(seen) == 1:
                route.fetch()
                route.abort("connectionreset")
            else:
                route.continue_()

        page.route(GRADES, lose_first)
        context.set_offline(False)
        wait_until(page, "() => HazriDB.kvGet('lastSync').then(s => !!s && !s.ok)", timeout=60)
        wait_idle(page)
        assert Grade.objects.count() == 1
        page.click("[data-action=sync]")
        wait_until(
            page,
            "HazriDB.getAll('journal').then(r => r.every(i => i.status !== 'queued'))",
            timeout=60,
        )
        wait_idle(page)
        uuids = [i["client_uuid"] for i in held]
        assert seen == [uuids[1], uuids[1], uuids[2], uuids[3]]
        [lesson] = Lesson.objects.all()
        assert (lesson.topic, str(lesson.client_uuid), lesson.period) == (
            "Fractions: halves",
            uuids[0],
            1,
        )
        stored = {str(g.client_uuid): g for g in Grade.objects.all()}
        assert set(stored) == {uuids[1], uuids[2]}
        assert (stored[uuids[1]].value, stored[uuids[1]].comment) == ("95", "Neat work")
        assert stored[uuids[1]].kind == j.test
        assert stored[uuids[2]].student == second
        assert [i["status"] for i in device_journal(page)] == [
            "synced",
            "synced",
            "synced",
            "rejected",
        ]

        # Not accepted, with the server's reason, until discarded; never sent again.
        page.goto(f"{live_server.url}/app/#/queue")
        refused = page.locator(f'li.journal-item[data-journal="{uuids[3]}"]')
        assert refused.get_attribute("data-status") == "rejected"
        text = refused.inner_text()
        assert "Not accepted" in text
        assert "150 is not a percentage (0 to 100)." in text
        screenshot(page, "pwa-journal-queue.png")
        page.click("[data-action=sync]")
        wait_until(page, "() => HazriDB.kvGet('lastSync').then(s => !!s && s.ok)")
        wait_idle(page)
        assert len(seen) == 4
        refused.locator("[data-action=discard-journal]").click()
        refused.locator("[data-action=discard-journal][data-armed]").click()
        refused.wait_for(state="detached")
        assert len(device_journal(page)) == 3

        # The journal as the server now has it; in Hindi.
        page.goto(f"{live_server.url}/app/#/journal")
        assert "Topic: Fractions: halves" in page.locator("[data-lesson]").inner_text()
        page.click("button[lang=hi]")
        assert "पाठ का विषय: Fractions: halves" in page.locator("[data-lesson]").inner_text()
    assert Grade.objects.count() == 2


def test_a_waiting_grade_count_has_its_plural(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    j = journal_world(world)
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url, "farah")
        wait_until(page, "HazriDB.kvGet('journalToday').then(r => !!r && r.data.length === 1)")
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        page.goto(f"{live_server.url}/app/#/lesson/{world.section.pk}/1")
        assert page.locator("#grade-value option").all_inner_texts() == [
            "—",
            "5",
            "4",
            "3",
            "2",
            "1",
        ]
        page.select_option("#grade-student", str(world.students[0].pk))
        page.select_option("#grade-kind", str(j.oral.pk))
        page.select_option("#grade-value", "4")
        page.click("form[data-grade-form] button[type=submit]")
        page.wait_for_selector(".message.success")
        page.goto(f"{live_server.url}/app/#/journal")
        assert page.locator("[data-grades-waiting]").inner_text() == "1 grade waiting to sync"
        page.goto(f"{live_server.url}/app/#/lesson/{world.section.pk}/1")
        page.select_option("#grade-student", str(world.students[1].pk))
        page.select_option("#grade-value", "5")
        page.click("form[data-grade-form] button[type=submit]")
        page.wait_for_selector(".message.success")
        page.goto(f"{live_server.url}/app/#/journal")
        assert page.locator("[data-grades-waiting]").inner_text() == "2 grades waiting to sync"
        page.click("button[lang=hi]")
        assert page.locator("[data-grades-waiting]").inner_text() == "2 अंक सिंक की प्रतीक्षा में"


def test_a_parent_reads_the_childrens_week_offline(
    live_server, world: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    diary = build_diary(world)
    term = Term.objects.get(school=world.school, name="Term 2")
    test = WorkKind.objects.get(code="test")
    grade(
        diary.zoya,
        world.section,
        diary.maths,
        test,
        term,
        diary_today(),
        "4",
        80,
        world.asha,
        comment="Good effort this week",
    )
    with phone_context(browser) as context:
        page = context.new_page()
        page.goto(f"{live_server.url}/app/")
        page.fill("#username", "imran")
        page.fill("#password", PASSWORD)
        page.click("form[data-login] button[type=submit]")
        wait_until(page, READY, timeout=30)
        wait_until(page, "HazriDB.kvGet('diary').then(r => !!r)")
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        page.reload()
        page.wait_for_selector("body[data-route=today] .diary-child")
        names = page.locator(".diary-child h2").all_inner_texts()
        assert sorted(names) == sorted([diary.zoya.name, diary.gopal.name])
        assert "As of" in page.locator("[data-as-of]").inner_text()
        zoya = page.locator(f'.diary-child[data-student="{diary.zoya.pk}"]')
        assert "Good effort this week" in zoya.inner_text()
        assert zoya.locator("[data-grades] [data-grade='4']").count() == 1
        assert page.locator(".diary-day").count() >= 1
        assert page.locator("input, select, textarea, form").count() == 0  # read-only
        assert not sideways(page)
        screenshot(page, "pwa-diary.png")


V3_STORES = """new Promise((resolve, reject) => {
  const request = indexedDB.open("hazri", 3);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore("kv");
    for (const name of ["students", "enrolments", "rollcalls", "staff_rollcalls"]) {
      db.createObjectStore(name, { keyPath: "id" });
    }
    for (const name of ["queue", "photo_sets", "ref_photos"]) {
      db.createObjectStore(name, { keyPath: "client_uuid" });
    }
    db.createObjectStore("photo_blobs", { keyPath: "key" });
  };
  request.onsuccess = () => {
    const db = request.result;
    const tx = db.transaction(["kv", "queue", "ref_photos"], "readwrite");
    tx.objectStore("kv").put("farah", "username");
    tx.objectStore("queue").put({ client_uuid: "u-1", kind: "student", status: "queued",
      created_at: "2026-11-18T04:00:00Z", payload: { section: 1, day: "2026-11-18", meeting: 1,
      marks: [] }, errors: [], rev: 0 });
    tx.objectStore("ref_photos").put({ client_uuid: "r-1", kind: "reference", status: "queued",
      created_at: "2026-11-18T04:00:00Z", student: 1, section: 1, size: 5,
      blob: new Blob(["photo"], { type: "image/jpeg" }) });
    tx.oncomplete = () => { db.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
  request.onerror = () => reject(request.error);
})"""


def test_a_phone_with_reference_photos_waiting_is_upgraded_and_keeps_them(
    live_server, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    """A phone with the third version's IndexedDB: the app adds the journal store and
    keeps the roll calls and reference photos that wait."""
    with phone_context(browser) as context:
        page = context.new_page()
        page.goto(f"{live_server.url}/app/manifest.webmanifest")
        assert page.evaluate(V3_STORES) is True
        page.goto(f"{live_server.url}/app/")
        page.wait_for_selector("form[data-login]")
        version, stores = page.evaluate(
            "HazriDB.open().then(db => [db.version, Array.from(db.objectStoreNames).sort()])"
        )
        assert version == 4
        assert "journal" in stores and "ref_photos" in stores
        assert page.evaluate("HazriDB.getAll('queue').then(q => q.map(i => i.client_uuid))") == [
            "u-1"
        ]
        assert page.evaluate("HazriDB.get('ref_photos', 'r-1').then(r => r.blob.size)") == 5
        assert page.evaluate("HazriDB.kvGet('username')") == "farah"
        assert page.evaluate("HazriDB.getAll('journal')") == []
