"""The approval queue: who is asked to decide what, the list as JSON and as a page, the
count in every page's header, and the note the head gets when his change waits."""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hazri.accounts.access import Actor
from hazri.attendance.models import Approval, RollCall
from hazri.audit.models import AuditEvent
from hazri.org.models import AttendancePolicy
from hazri.registers.approvals import Kind, approvals_count, approvals_for
from hazri.registers.services import month_certify
from hazri.registers.tests.test_pages import login, mark, october
from hazri.testing.world import SCHOOL_DAY, World

OCTOBER = dt.date(2026, 10, 1)
TEN_DAYS_LATER = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


def certified_change(world: World, codes: str = "PPPPP") -> RollCall:
    """October certified, then the head changes the 1st's forenoon: it waits for Meera."""
    october(world)
    month_certify(section=world.section, month=OCTOBER, checked_by="S. Mishra", by=world.ravi)
    return mark(world, OCTOBER, codes, by=world.ravi, hour=18, note="Bhavna was present")


def late_entry(world: World, by_head: bool = False) -> RollCall:
    """A roll call of the world's school day entered ten days later, past a week's
    allowance: it waits for the head (unless he entered it) or an officer."""
    AttendancePolicy.objects.filter(pk=world.policy.pk).update(offline_allowance_days=7)
    with time_machine.travel(TEN_DAYS_LATER, tick=False):
        return mark(world, SCHOOL_DAY, "PAPPP", by=world.ravi if by_head else world.asha)


def decidable(world: World, username: str, **kw) -> set[int]:  # type: ignore[no-untyped-def]
    user = getattr(world, username)
    return set(approvals_for(Actor(user), **kw).values_list("pk", flat=True))


def test_who_is_asked_to_decide_what(world) -> None:
    change = certified_change(world)
    entry = late_entry(world)
    assert change.approval == entry.approval == Approval.PENDING
    # The block officer decides both; the head the late entry Asha made, not his own
    # change to a certified month; a teacher, another school's teacher, a parent nothing.
    assert decidable(world, "meera") == {change.pk, entry.pk}
    assert decidable(world, "ravi") == {entry.pk}
    for nobody in ("asha", "suresh", "imran"):
        assert decidable(world, nobody) == set()
    assert decidable(world, "meera", kind=Kind.LATE_ENTRY) == {entry.pk}
    assert decidable(world, "meera", kind=Kind.CERTIFIED_MONTH) == {change.pk}
    assert decidable(world, "meera", school_id=world.other_school.pk) == set()
    assert approvals_count(Actor(world.meera)) == 2
    assert approvals_count(Actor(world.asha)) == 0


def test_the_head_is_not_asked_about_his_own_late_entry(world) -> None:
    entry = late_entry(world, by_head=True)
    assert decidable(world, "ravi") == set()
    assert decidable(world, "meera") == {entry.pk}


def test_a_late_entry_in_a_certified_month_is_the_officers(world) -> None:
    october(world)
    month_certify(section=world.section, month=OCTOBER, checked_by="S. Mishra", by=world.ravi)
    AttendancePolicy.objects.filter(pk=world.policy.pk).update(offline_allowance_days=7)
    with time_machine.travel(TEN_DAYS_LATER, tick=False):
        entry = mark(world, dt.date(2026, 10, 5), "PPPPP", by=world.asha)
    assert entry.timing == "late_entry" and entry.approval == Approval.PENDING
    assert decidable(world, "ravi") == set()
    assert decidable(world, "meera", kind=Kind.CERTIFIED_MONTH) == {entry.pk}


def test_the_queue_as_json_paged_and_decided_with_a_reason(world) -> None:
    change = certified_change(world)
    entry = late_entry(world)
    meera = login("meera")
    body = meera.get("/api/v1/approvals").json()
    assert body["count"] == 2 and body["page"] == 1 and body["pages"] == 1
    # Oldest first: the late entry arrived on the 28th of November (travelled there).
    assert [i["rollcall"] for i in body["items"]] == [entry.pk, change.pk]
    second, first = body["items"]
    assert first["kind"] == "certified_month"
    assert first["school_name"] == "GPS Rampur" and first["section_label"] == "5 A"
    assert first["day"] == "2026-10-01" and first["meeting"] == 1
    assert first["taken_by"] == "Ravi Verma" and first["note"] == "Bhavna was present"
    bhavna = world.students[2]
    assert first["changes"] == [
        {
            "student": bhavna.pk,
            "name": "Bhavna Meena",
            "name_local": "भावना मीणा",
            "before": "A",
            "after": "P",
        }
    ]
    assert not first["first_entry"]
    assert second["kind"] == "late_entry" and second["first_entry"]
    assert len(second["changes"]) == 5
    only = meera.get("/api/v1/approvals", {"kind": "late_entry"}).json()
    assert [i["rollcall"] for i in only["items"]] == [entry.pk]
    assert meera.get("/api/v1/approvals", {"school": world.other_school.pk}).json()["count"] == 0
    assert meera.get("/api/v1/approvals", {"page": 9}).json()["page"] == 1
    assert meera.get("/api/v1/approvals", {"kind": "other"}).status_code == 422
    assert login("asha").get("/api/v1/approvals").json()["count"] == 0
    assert login("ravi").get("/api/v1/approvals").json()["count"] == 1

    refused = meera.post(
        f"/api/v1/rollcalls/{change.pk}/decision",
        json.dumps({"approve": False, "reason": "The register shows her absent"}),
        content_type="application/json",
    )
    assert refused.status_code == 200 and refused.json()["approval"] == "rejected"
    event = AuditEvent.objects.get(action="rollcall.reject", object_id=str(change.pk))
    assert event.detail == {"reason": "The register shows her absent"}
    assert meera.get("/api/v1/approvals").json()["count"] == 1


def test_the_queue_page_lists_filters_and_decides(world) -> None:
    change = certified_change(world)
    entry = late_entry(world)
    meera = login("meera")
    page = meera.get("/approvals/").content.decode()
    assert f'data-rollcall="{change.pk}"' in page and f'data-rollcall="{entry.pk}"' in page
    assert "GPS Rampur" in page and "Class 5 A" in page and "Bhavna Meena: A → P" in page
    assert "Bhavna was present" in page and "Ravi Verma" in page
    assert 'data-approvals="2"' in page  # the header's count
    filtered = meera.get("/approvals/", {"kind": "late_entry"}).content.decode()
    assert f'data-rollcall="{change.pk}"' not in filtered
    assert f'data-rollcall="{entry.pk}"' in filtered

    # A refusal needs a reason; nothing is decided without one.
    bare = meera.post("/approvals/", {"action": "refuse", "rollcall": change.pk})
    assert bare.status_code == 422 and "Say why" in bare.content.decode()
    assert RollCall.objects.get(pk=change.pk).approval == Approval.PENDING

    done = meera.post(
        "/approvals/", {"action": "approve", "rollcall": change.pk, "kind": "", "page": "1"}
    )
    assert done.status_code == 302 and done["Location"] == "/approvals/?page=1"
    after = meera.get(done["Location"]).content.decode()
    assert "Approved: the register of 1 Oct 2026 now counts the change." in after
    assert f'data-rollcall="{change.pk}"' not in after and 'data-approvals="1"' in after
    assert RollCall.objects.get(pk=change.pk).is_current

    # Someone else's change, or one already decided, is not in your queue: one 404.
    ravi = login("ravi")
    assert ravi.post("/approvals/", {"action": "approve", "rollcall": change.pk}).status_code == 404
    assert login("asha").get("/approvals/").status_code == 200
    refused = ravi.post(
        "/approvals/", {"action": "refuse", "rollcall": entry.pk, "reason": "Not our class"}
    )
    assert refused.status_code == 302
    assert RollCall.objects.get(pk=entry.pk).approval == Approval.REJECTED
    # Asha, who entered it, reads who refused it and why, on the page and in the API.
    asha = login("asha")
    history = asha.get(
        f"/sections/{world.section.pk}/history/",
        {"day": SCHOOL_DAY.isoformat(), "meeting": 1},
    ).content.decode()
    assert "Refused by Ravi Verma" in history and "Reason: Not our class" in history
    versions = asha.get(
        f"/api/v1/sections/{world.section.pk}/rollcall",
        {"day": SCHOOL_DAY.isoformat(), "meeting": 1},
    )
    assert versions.status_code == 200, versions.content
    refusal = [v for v in versions.json()["versions"] if v["id"] == entry.pk]
    assert refusal[0]["decision_note"] == "Not our class"


def test_the_header_counts_only_for_those_who_approve(world) -> None:
    certified_change(world)
    register = f"/sections/{world.section.pk}/register/?month=2026-10"
    assert 'data-approvals="1"' in login("meera").get(register).content.decode()
    ravi_page = login("ravi").get(register).content.decode()
    assert 'data-nav="approvals"' not in ravi_page  # nothing of his to decide
    asha = login("asha")
    with CaptureQueriesContext(connection) as queries:
        asha.get(register)
    assert not any("COUNT" in q["sql"] and "approval" in q["sql"] for q in queries)
    with CaptureQueriesContext(connection) as queries:
        login("meera").get(register)
    counts = [q for q in queries if "COUNT" in q["sql"] and '"approval"' in q["sql"]]
    assert len(counts) == 1


def test_the_head_is_told_whose_approval_his_change_waits_for(world) -> None:
    change = certified_change(world)
    register = f"/sections/{world.section.pk}/register/?month=2026-10"
    page = login("ravi").get(register).content.decode()
    assert "Waiting for the approval of the officer of Ashta" in page
    assert f'data-rollcall="{change.pk}"' in page
    # Through the API, the answer to the save says it.
    answer = login("ravi").post(
        "/api/v1/rollcalls",
        json.dumps(
            {
                "client_uuid": "0b7e4b6c-5f7a-4d5e-9c1e-2f4a0c9d1e11",
                "section": world.section.pk,
                "day": "2026-10-03",
                "meeting": 1,
                "captured_at": "2026-10-03T18:30:00+05:30",
                "device_clock": dt.datetime.now(dt.UTC).isoformat(),
                "note": "Bhavna was on leave, not present",
                "marks": [
                    {"student": s.pk, "code": "P"}
                    for s in sorted(world.students, key=lambda s: s.pk)
                ],
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["approval"] == "pending" and answer.json()["waits_for"] == "officer"


@pytest.mark.parametrize("username", ["ravi", "asha"])
def test_a_late_entry_answer_says_it_waits(world, username) -> None:  # type: ignore[no-untyped-def]
    AttendancePolicy.objects.filter(pk=world.policy.pk).update(offline_allowance_days=7)
    with time_machine.travel(TEN_DAYS_LATER, tick=False):
        answer = login(username).post(
            "/api/v1/rollcalls",
            json.dumps(
                {
                    "client_uuid": "9f0c1b8e-1d2e-4f3a-8b5c-6d7e8f9a0b1c",
                    "section": world.section.pk,
                    "day": SCHOOL_DAY.isoformat(),
                    "meeting": 1,
                    "captured_at": "2026-11-18T08:30:00+05:30",
                    "device_clock": TEN_DAYS_LATER.isoformat(),
                    "marks": [
                        {"student": s.pk, "code": "P"}
                        for s in sorted(world.students, key=lambda s: s.pk)
                    ],
                }
            ),
            content_type="application/json",
        )
    assert answer.status_code == 201, answer.content
    assert answer.json()["waits_for"] == "approver"


def test_the_marking_page_tells_the_head_his_change_waits_for_the_officer(world) -> None:
    """The field trial's head changed a certified month and was told only "Saved"."""
    october(world)
    month_certify(section=world.section, month=OCTOBER, checked_by="S. Mishra", by=world.ravi)
    ravi = login("ravi")
    form = {"client_uuid": "3c4d6e1a-7b2f-4c9d-8e1f-0a2b3c4d5e6f", "day": "2026-10-03"}
    form |= {"meeting": "1", "note": "Bhavna was on leave"}
    form |= {f"mark-{s.pk}": "P" for s in world.students}
    saved = ravi.post(f"/sections/{world.section.pk}/mark/", form, follow=True)
    assert saved.status_code == 200
    text = saved.content.decode()
    assert "the change counts once the block officer approves it" in text
    change = RollCall.objects.get(client_uuid=form["client_uuid"])
    assert change.approval == Approval.PENDING
