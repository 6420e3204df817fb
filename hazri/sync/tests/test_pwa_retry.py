"""The offline app when the server fails in ways that are not the roll call's fault
(docs/sync.md, "Retryable failures"): a batch answered 503, items answered "retry", an
answer lost after the server stored the batch; the phone's word on its connection;
and the queue's decisions (sync.js settle) one by one.

The server's failures are made by Playwright's route interception in front of a live
server; test_pwa_fault.py kills a real server process instead.
"""

import json
import time
from typing import Any

import pytest
from playwright.sync_api import Browser, Route

from hazri.attendance.models import RollCall
from hazri.org.selectors import school_today
from hazri.people.selectors import section_roll
from hazri.sync import views
from hazri.sync.tests.pwa_support import (
    BATCH,
    device_queue,
    log_in,
    mark,
    marks_of,
    phone_context,
    queue,
    screenshot,
    sent_json,
    wait_idle,
    wait_synced,
    wait_until,
)
from hazri.testing.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sent_uuids(route: Route) -> list[str]:
    return [item["client_uuid"] for item in sent_json(route.request)["rollcalls"]]


def test_a_batch_answered_503_is_sent_again_and_stored_once(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    seen: list[list[str]] = []

    def unavailable_once(route: Route) -> None:
        seen.append(sent_uuids(route))
        if len(seen) == 1:
            route.fulfill(
                status=503,
                headers={"Retry-After": "2"},
                content_type="application/json",
                body=json.dumps(
                    {"detail": "The database is not available.", "code": "unavailable"}
                ),
            )
        else:
            route.continue_()

    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        assert page.get_attribute("[data-net]", "data-net") == "offline"
        assert "No internet" in page.locator(".syncbar").inner_text()
        mark(page, world.section.pk, 1, [roll[0].id])
        [item] = device_queue(page)
        page.route(BATCH, unavailable_once)
        context.set_offline(False)
        wait_until(page, "HazriDB.kvGet('lastSync').then(s => !!s && !s.ok && s.status === 503)")
        wait_idle(page)
        # Not the roll call's fault: it waits, with its client_uuid, and is not "not accepted".
        assert [(i["uuid"], i["status"]) for i in device_queue(page)] == [(item["uuid"], "queued")]
        assert page.get_attribute("[data-net]", "data-net") == "unreachable"
        assert "Server unreachable" in page.locator("[data-net]").inner_text()
        assert "Online" not in page.locator(".syncbar").inner_text()
        assert RollCall.objects.count() == 0
        # After the Retry-After, by itself: sent again, the same client_uuid, stored.
        wait_synced(page, 1)
        assert page.get_attribute("[data-net]", "data-net") == "online"
    assert seen == [[item["uuid"]], [item["uuid"]]]
    [stored] = RollCall.objects.all()
    assert str(stored.client_uuid) == item["uuid"]
    assert marks_of(stored)[roll[0].id] == "A"


def retry_answer(route: Route) -> None:
    """The server could not store any item (its database failed): each one "retry"."""
    route.fulfill(
        status=200,
        content_type="application/json",
        body=json.dumps(
            {
                "results": [
                    {
                        "client_uuid": uuid_,
                        "status": "retry",
                        "http_status": 500,
                        "rollcall": None,
                        "errors": [
                            {"field": "", "message": "The server failed.", "code": "server_error"}
                        ],
                        "replaced_by": None,
                    }
                    for uuid_ in sent_uuids(route)
                ],
                "staff_results": [],
                "clock_skew_seconds": 0,
            }
        ),
    )


def test_a_roll_call_to_retry_and_then_edited_is_stored_once_with_the_latest_marks(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        pulls = page.evaluate("HazriDB.kvGet('lastPull')")
        page.route(BATCH, retry_answer)
        mark(page, world.section.pk, 1, [roll[0].id])
        wait_until(
            page, "HazriDB.getAll('queue').then(q => q.length === 1 && !!q[0].retry)", timeout=30
        )
        wait_idle(page)
        [item] = device_queue(page)
        assert item["status"] == "queued"
        assert queue(page) == {item["uuid"]: "queued"}
        assert page.locator(f'li.queue-item[data-uuid="{item["uuid"]}"] [data-retry]').count() == 1
        # Holding a roll call the server could not store, the phone does not pull.
        assert page.evaluate("HazriDB.kvGet('lastPull')") == pulls
        assert RollCall.objects.count() == 0

        # The teacher changes the marks: the roll call waiting is changed, not doubled.
        page.unroute(BATCH)
        page.goto(f"{live_server.url}/app/#/mark/{world.section.pk}/{today.isoformat()}/1")
        page.wait_for_selector("[data-pending]")
        page.tap(f'li[data-member="{roll[0].id}"] label.chip-P')
        page.tap(f'li[data-member="{roll[1].id}"] label.chip-L')
        page.click("form[data-marking] button[type=submit]")
        wait_synced(page, 1)
        [after] = device_queue(page)
        assert after["uuid"] == item["uuid"]
    [stored] = RollCall.objects.all()
    assert str(stored.client_uuid) == item["uuid"]
    assert marks_of(stored) == {s.id: "L" if s.id == roll[1].id else "P" for s in roll}


def test_a_roll_call_stored_whose_answer_was_lost_then_edited_keeps_both_captures(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    """The server stored the roll call but its answer never came; the teacher then
    changed the marks. The phone asks for what was stored and sends its marks as a new
    roll call: two versions, the later current, nothing stored twice."""
    world = morning
    today = school_today(world.school)
    roll = section_roll(world.section, today)
    answers: list[str] = []

    def stored_then_lost(route: Route) -> None:
        if not answers:
            answers.append(route.fetch().text())
            route.abort("connectionreset")
        else:
            route.continue_()

    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        page.evaluate("HazriApp.retryDelay = 600000")  # no retry by the timer in this test
        page.route(BATCH, stored_then_lost)
        mark(page, world.section.pk, 1, [roll[0].id])
        wait_until(page, "HazriDB.kvGet('lastSync').then(s => !!s && !s.ok)", timeout=30)
        wait_idle(page)
        [item] = device_queue(page)
        assert item["status"] == "queued"
        assert json.loads(answers[0])["results"][0]["status"] == "created"
        assert RollCall.objects.count() == 1

        # The phone sends whole seconds, corrected by its clock skew: a later second.
        time.sleep(2)
        mark(
            page,
            world.section.pk,
            1,
            [roll[2].id],
            before_save=lambda p: p.tap(f'li[data-member="{roll[0].id}"] label.chip-P'),
        )
        wait_synced(page, 2)
        items = {i["uuid"]: i for i in device_queue(page)}
    first, second = RollCall.objects.order_by("version")
    assert str(first.client_uuid) == item["uuid"] and not first.is_current
    assert marks_of(first)[roll[0].id] == "A"
    assert second.is_current and str(second.client_uuid) in items
    assert marks_of(second) == {s.id: "A" if s.id == roll[2].id else "P" for s in roll}
    assert {i["status"] for i in items.values()} == {"synced"}


def test_the_download_notice_ends_and_a_server_down_is_not_no_internet(
    live_server, morning: World, browser: Browser
) -> None:  # type: ignore[no-untyped-def]
    world = morning
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)
        wait_idle(page)
        message = page.locator("main .message").inner_text()
        assert "Downloading" not in message
        assert "Your school's data is on this phone" in message
        assert page.get_attribute("[data-net]", "data-net") == "online"
        # The network is up, the server is not: the phone says so, not "no internet".
        page.route("**/api/v1/**", lambda route: route.abort("connectionrefused"))
        page.click("[data-action=sync]")
        wait_until(page, "HazriDB.kvGet('lastSync').then(s => !!s && !s.ok)")
        wait_idle(page)
        bar = page.locator(".syncbar").inner_text()
        assert page.get_attribute("[data-net]", "data-net") == "unreachable"
        assert "Server unreachable" in bar and "The server cannot be reached" in bar
        assert "Online" not in bar and "No internet" not in bar
        context.set_offline(True)
        wait_until(page, "!navigator.onLine")
        page.click("a.tab[href='#/queue']")
        assert page.get_attribute("[data-net]", "data-net") == "offline"
        assert "No internet" in page.locator(".syncbar").inner_text()
        screenshot(page, "pwa-no-internet.png")
    assert world.school.pk


SETTLE = """
([sent, now, result]) => {
  const out = {versions: [], staffVersions: [], retry: 0, split: 0};
  const put = HazriSync.settle(sent, now, result, "rollcall", "2026-11-18T04:00:00Z", out);
  return {put, out};
}
"""


def _item(marks: str, rev: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "client_uuid": "u-1",
        "kind": "student",
        "status": "queued",
        "created_at": "2026-11-18T03:00:00Z",
        "rev": rev,
        "on_wire": True,
        "errors": [],
        "payload": {
            "client_uuid": "u-1",
            "section": 7,
            "day": "2026-11-18",
            "meeting": 1,
            "captured_at": "2026-11-18T08:30:00+05:30",
            "note": "",
            "marks": [{"student": n, "code": c} for n, c in enumerate(marks, start=1)],
        },
        **extra,
    }


def _stored(status: str, marks: str | None = None) -> dict[str, Any]:
    version: dict[str, Any] = {"id": 9, "version": 1, "is_current": True, "note": ""}
    if marks is not None:
        version["marks"] = [{"student": n, "code": c} for n, c in enumerate(marks, start=1)]
    return {"client_uuid": "u-1", "status": status, "http_status": 200, "rollcall": version}


def _failed(status: str, http: int) -> dict[str, Any]:
    errors = [{"field": "", "message": "no", "code": "server_error"}]
    return {"client_uuid": "u-1", "status": status, "http_status": http, "errors": errors}


def codes(item: dict[str, Any]) -> str:
    return "".join(m["code"] for m in item["payload"]["marks"])


def test_the_queue_settles_each_answer_as_docs_sync_md_says(browser: Browser) -> None:
    page = browser.new_page()
    try:
        page.route(
            "http://localhost/blank",
            lambda route: route.fulfill(
                body="<!doctype html><title>t</title>", content_type="text/html"
            ),
        )
        page.goto("http://localhost/blank")
        for script in views.WORKER_SCRIPTS:  # as the service worker loads them
            page.add_script_tag(content=(views.PWA_DIR / script).read_text())

        def settle(sent: dict[str, Any], now: dict[str, Any], result: Any) -> dict[str, Any]:
            return page.evaluate(SETTLE, [sent, now, result])

        # Stored: synced, the version keeps the marks this phone sent (a brief answer).
        got = settle(_item("PA"), _item("PA"), _stored("created"))
        [done] = got["put"]
        assert (done["status"], done["on_wire"], codes(done)) == ("synced", False, "PA")
        assert [m["code"] for m in got["out"]["versions"][0]["marks"]] == ["P", "A"]
        # Sent again after a lost answer, unchanged: the server's copy is this one.
        got = settle(_item("PA", edited_on_wire=True), _item("PA"), _stored("duplicate", "PA"))
        assert [(i["client_uuid"], i["status"]) for i in got["put"]] == [("u-1", "synced")]
        # Changed after a copy went out, and the server had stored that copy: the copy is
        # one version, the phone's marks a new roll call (a new client_uuid), queued.
        edited = _item("PP", rev=1, edited_on_wire=True)
        got = settle(edited, edited, _stored("duplicate", "PA"))
        done, again = got["put"]
        assert (done["client_uuid"], done["status"], codes(done)) == ("u-1", "synced", "PA")
        assert (
            again["client_uuid"] != "u-1"
            and again["payload"]["client_uuid"] == again["client_uuid"]
        )
        assert (again["status"], codes(again), again["follows"]) == ("queued", "PP", "u-1")
        assert got["out"]["split"] == 1
        # Changed while the batch was on its way and stored as sent: the same.
        got = settle(_item("PA"), _item("PP", rev=1), _stored("created"))
        done, again = got["put"]
        assert (codes(done), done["status"], codes(again), again["status"]) == (
            "PA",
            "synced",
            "PP",
            "queued",
        )
        # Not the roll call's fault: it stays queued, the same client_uuid, free to change.
        for result in (_failed("retry", 500), _failed("rejected", 500)):
            got = settle(_item("PA"), _item("PA"), result)
            [kept] = got["put"]
            assert (kept["client_uuid"], kept["status"], kept["on_wire"]) == (
                "u-1",
                "queued",
                False,
            )
            assert kept["retry"]["count"] == 1 and got["out"]["retry"] == 1
        # A judgement on the roll call: not accepted, with the reasons.
        [refused] = settle(_item("PA"), _item("PA"), _failed("rejected", 422))["put"]
        assert (refused["status"], refused["http_status"]) == ("rejected", 422)
        # ... unless the teacher changed the marks meanwhile: those are judged when sent.
        [kept] = settle(_item("PA"), _item("PP", rev=1), _failed("rejected", 422))["put"]
        assert (kept["status"], codes(kept)) == ("queued", "PP")
        # No answer for it: it waits, and may be stored (on_wire).
        [kept] = settle(_item("PA"), _item("PA"), None)["put"]
        assert (kept["status"], kept["on_wire"]) == ("queued", True)
    finally:
        page.close()
