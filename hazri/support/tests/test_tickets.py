"""Raising a ticket, each escalation path by hand, who may act at each level, the
raiser's reopening and closing, comments and files, every step logged, bad input named
by field, and the raiser's family told of each change once it has committed."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from hazri.accounts.models import OfficerGrant
from hazri.audit.models import AuditEvent
from hazri.notify.models import Kind, Notice
from hazri.support.models import Ticket, TicketEvent
from hazri.support.signals import ticket_changed

from .support_world import PDF, SupportWorld, api, b64, post

pytestmark = pytest.mark.django_db


def _raise(sw: SupportWorld, user=None, **extra) -> int:  # type: ignore[no-untyped-def]
    body = {"category": sw.category.pk, "description": "The app does not sync", **extra}
    response = post(api(user or sw.world.asha), "/support/tickets", body)
    assert response.status_code == 201, response.content
    return int(response.json()["ticket"]["id"])


def _step(sw: SupportWorld, user, ticket: int, step: str, text: str = "Needs the office") -> int:  # type: ignore[no-untyped-def]
    key = "note" if step == "close" else "reason"
    response = post(api(user), f"/support/tickets/{ticket}/{step}", {key: text})
    return int(response.status_code)


def _where(ticket: int) -> tuple[str, str | None]:
    found = Ticket.objects.select_related("unit").get(pk=ticket)
    return found.level, found.unit.name if found.unit else None


def test_a_teacher_raises_a_ticket_at_her_school(sw: SupportWorld) -> None:
    now = timezone.now()
    ticket = _raise(sw, attachments=[{"name": "screen.pdf", "data": b64(PDF)}])
    answer = api(sw.world.asha).get(f"/api/v1/support/tickets/{ticket}").json()
    assert answer["ticket"]["level"] == "school"
    assert answer["ticket"]["status"] == "open"
    assert answer["ticket"]["school"] == sw.world.school.pk
    due = dt.datetime.fromisoformat(answer["ticket"]["due_at"])
    assert abs(due - now - dt.timedelta(hours=sw.category.school_hours)) < dt.timedelta(minutes=1)
    [raised] = answer["events"]
    assert raised["kind"] == "raised" and raised["by"] == "Asha Patel"
    assert [f["name"] for f in raised["files"]] == ["screen.pdf"]
    assert AuditEvent.objects.filter(action="support.raised", object_id=str(ticket)).exists()


def test_escalated_by_hand_school_block_state_hq(sw: SupportWorld) -> None:
    w = sw.world
    ticket = _raise(sw)
    assert _step(sw, w.ravi, ticket, "escalate") == 200
    assert _where(ticket) == ("office", "Ashta")  # the block: Meera is its officer
    assert _step(sw, w.meera, ticket, "escalate", "Needs the state's data team") == 200
    assert _where(ticket) == ("state", "Madhya Pradesh")
    assert _step(sw, sw.sunita, ticket, "escalate") == 200
    assert _where(ticket) == ("hq", None)
    assert _step(sw, sw.hema, ticket, "escalate") == 409  # nowhere higher
    assert _step(sw, sw.hema, ticket, "resolve", "Fixed in version 2.1") == 200
    events = list(TicketEvent.objects.filter(ticket_id=ticket).order_by("pk"))
    assert [(e.kind, e.from_level, e.to_level) for e in events] == [
        ("raised", "", ""),
        ("escalated", "school", "office"),
        ("escalated", "office", "state"),
        ("escalated", "state", "hq"),
        ("resolved", "", ""),
    ]
    assert [e.by_id for e in events[1:]] == [w.ravi.pk, w.meera.pk, sw.sunita.pk, sw.hema.pk]
    assert events[2].text == "Needs the state's data team"
    answer = api(w.asha).get(f"/api/v1/support/tickets/{ticket}").json()
    assert answer["ticket"]["status"] == "resolved" and answer["may_reopen"] is True


def test_the_office_is_the_nearest_with_officers(sw: SupportWorld) -> None:
    w = sw.world
    OfficerGrant.objects.filter(user=w.meera).delete()  # the block has no officer now
    first = _raise(sw)
    assert _step(sw, w.ravi, first, "escalate") == 200
    assert _where(first) == ("office", "Sehore")
    assert _step(sw, w.meera, first, "escalate") == 404  # no longer sees it
    assert _step(sw, sw.dinesh, first, "escalate") == 200
    assert _where(first) == ("state", "Madhya Pradesh")
    OfficerGrant.objects.filter(user=sw.dinesh).delete()
    second = _raise(sw)
    assert _step(sw, w.ravi, second, "escalate") == 200
    assert _where(second) == ("state", "Madhya Pradesh")  # no office: straight to the state


@pytest.mark.parametrize(
    ("level_steps", "allowed", "refused"),
    [
        (0, ["ravi"], ["meera", "dinesh", "sunita", "hema"]),
        (1, ["meera"], ["ravi", "dinesh", "sunita", "hema"]),
        (2, ["sunita"], ["ravi", "meera", "dinesh", "hema"]),
        (3, ["hema"], ["ravi", "meera", "dinesh", "sunita"]),
    ],
)
def test_only_the_current_level_acts(
    sw: SupportWorld, level_steps: int, allowed: list[str], refused: list[str]
) -> None:
    w = sw.world
    users = {"ravi": w.ravi, "meera": w.meera, "dinesh": sw.dinesh, "sunita": sw.sunita}
    users["hema"] = users["hema"] = sw.hema
    ticket = _raise(sw)
    for handler in [w.ravi, w.meera, sw.sunita][:level_steps]:
        assert _step(sw, handler, ticket, "escalate") == 200
    if level_steps == 3:
        refused = [r for r in refused if r != "hema"]
    for name in refused:
        if name == "hema_not_superuser":
            continue
        assert _step(sw, users[name], ticket, "resolve") == 403, name
        assert _step(sw, users[name], ticket, "escalate") == 403, name
    assert _step(sw, w.asha, ticket, "resolve") == 403  # the raiser sees it, does not handle it
    assert _step(sw, w.suresh, ticket, "resolve") == 404  # another school's teacher
    assert _step(sw, w.imran, ticket, "resolve") == 404  # a parent, not the raiser
    for name in allowed:
        assert _step(sw, users[name], ticket, "resolve", "Done") == 200


def test_the_raiser_reopens_within_seven_days_then_not(sw: SupportWorld) -> None:
    w = sw.world
    ticket = _raise(sw)
    assert _step(sw, w.ravi, ticket, "resolve", "Reinstalled") == 200
    assert _step(sw, w.ravi, ticket, "reopen", "Not fixed") == 403  # only the raiser
    assert _step(sw, w.asha, ticket, "reopen", "Still fails") == 200
    found = Ticket.objects.get(pk=ticket)
    assert found.status == "open" and found.level == "school"
    assert _step(sw, w.ravi, ticket, "resolve", "Reinstalled again") == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert _step(sw, w.asha, ticket, "reopen", "Fails again") == 409
    assert _step(sw, w.asha, ticket, "reopen", "") == 422  # a reason is needed


def test_closing(sw: SupportWorld) -> None:
    w = sw.world
    ticket = _raise(sw)
    assert _step(sw, w.ravi, ticket, "close", "") == 409  # a handler resolves first
    assert _step(sw, w.ravi, ticket, "resolve", "Done") == 200
    assert _step(sw, w.ravi, ticket, "close", "") == 200
    assert _step(sw, w.asha, ticket, "close", "") == 409  # already closed
    response = post(api(w.asha), f"/support/tickets/{ticket}/comments", {"text": "Thanks"})
    assert response.status_code == 409
    other = _raise(sw)
    assert _step(sw, w.asha, other, "close", "Solved it myself") == 200  # the raiser, any time
    assert _step(sw, w.ravi, other, "resolve", "x") == 409


def test_comments_and_files_reach_only_those_who_see_the_ticket(sw: SupportWorld) -> None:
    w = sw.world
    ticket = _raise(sw)
    response = post(
        api(w.ravi),
        f"/support/tickets/{ticket}/comments",
        {"text": "Which phone?", "attachments": [{"name": "steps.txt", "data": b64(b"Step 1")}]},
    )
    assert response.status_code == 201, response.content
    file_url = response.json()["files"][0]["url"]
    assert api(w.asha).get(file_url).content == b"Step 1"
    assert api(w.meera).get(file_url).status_code == 200  # the officer over the school
    assert api(w.suresh).get(file_url).status_code == 404
    assert api(w.imran).get(file_url).status_code == 404
    file_id = response.json()["files"][0]["id"]
    assert api(w.suresh).get(f"/api/v1/support/files/{file_id}").status_code == 404
    assert api(w.asha).get(f"/api/v1/support/files/{file_id}").content == b"Step 1"
    assert api(w.suresh).get(f"/api/v1/support/tickets/{ticket}").status_code == 404
    assert api(w.ravi).get("/api/v1/support/tickets/999999").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"category": 999999}, 404, "category"),
        ({"description": ""}, 422, "description"),
        ({"description": "   "}, 422, "description"),
        ({"description": "a\x00b"}, 422, "description"),
        ({"description": "x" * 5001}, 422, "description"),
        ({"category": "1"}, 422, "category"),
        ({"school": 999999}, 404, "school"),
        ({"student": 999999}, 404, "student"),
        ({"attachments": [{"name": "a.exe", "data": b64(b"MZ\x90\x00\x03")}]}, 422, None),
        ({"attachments": [{"name": "a.pdf", "data": "not base64!"}]}, 422, None),
        ({"attachments": [{"name": "a.pdf", "data": b64(PDF)}] * 4}, 422, "attachments"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(
    sw: SupportWorld, body: dict, status: int, field: str | None
) -> None:
    full = {"category": sw.category.pk, "description": "Broken", **body}
    response = post(api(sw.world.asha), "/support/tickets", full)
    assert response.status_code == status, response.content
    errors = response.json()["errors"]
    if field is not None:
        assert errors[0]["field"] == field
    else:
        assert errors[0]["field"].startswith("attachments[0]")
    assert not Ticket.objects.exists()  # nothing half-written


def test_a_parent_names_a_child_and_is_told_of_each_change(
    sw: SupportWorld, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    w = sw.world
    zoya = w.students[1]
    refused = post(
        api(w.imran), "/support/tickets", {"category": sw.category.pk, "description": "x"}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "school"
    with django_capture_on_commit_callbacks(execute=True):
        ticket = _raise(sw, w.imran, student=zoya.pk)
    assert Ticket.objects.get(pk=ticket).school_id == w.school.pk
    assert not Notice.objects.filter(kind=Kind.SUPPORT).exists()  # his own step
    with django_capture_on_commit_callbacks(execute=True):
        assert _step(sw, w.ravi, ticket, "escalate") == 200
        assert _step(sw, w.meera, ticket, "resolve", "Fixed") == 200
    told = list(Notice.objects.filter(kind=Kind.SUPPORT).order_by("pk"))
    assert [(n.guardian.user_id, n.student_id, n.params["step"]) for n in told] == [
        (w.imran.pk, zoya.pk, "escalated"),
        (w.imran.pk, zoya.pk, "resolved"),
    ]


def test_the_signal_is_sent_once_committed_never_for_a_rollback(
    sw: SupportWorld, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def receiver(sender, ticket, event, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(event.kind)

    ticket_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ticket = _raise(sw)
        assert seen == [] and len(callbacks) == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert _step(sw, sw.world.ravi, ticket, "resolve", "Done") == 200
        assert seen == ["resolved"]
    finally:
        ticket_changed.disconnect(receiver)


def test_queues_show_each_level_its_own_with_what_is_overdue(sw: SupportWorld) -> None:
    w = sw.world
    first, second = _raise(sw), _raise(sw)
    assert _step(sw, w.ravi, second, "escalate") == 200

    def queue(user) -> list[tuple[int, bool]]:  # type: ignore[no-untyped-def]
        rows = api(user).get("/api/v1/support/queue").json()["tickets"]
        return [(t["id"], t["overdue"]) for t in rows]

    assert queue(w.ravi) == [(first, False)]
    assert queue(w.meera) == [(second, False)]
    assert queue(sw.dinesh) == []  # the block handles it, not the district
    assert queue(w.asha) == [] and queue(sw.hema) == []
    with time_machine.travel(timezone.now() + dt.timedelta(hours=30)):
        assert queue(w.ravi) == [(first, True)]
        assert queue(w.meera) == [(second, False)]  # 48 hours at the office
    mine = api(w.asha).get("/api/v1/support/tickets").json()["tickets"]
    assert sorted(t["id"] for t in mine) == sorted([first, second])
