"""Escalation when a level's deadline passes: the scheduled task moves each overdue
ticket one level up (school → office → state → headquarters), leaves the others, runs
twice (or two at once) without moving a ticket twice, and closes resolved tickets once
the raiser may no longer reopen them."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from hazri.accounts.models import OfficerGrant
from hazri.support import selectors, services
from hazri.support.models import Ticket, TicketEvent
from hazri.support.tasks import escalate_overdue_tickets

from .support_world import SupportWorld, api, post

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)


def _raise(sw: SupportWorld) -> int:
    body = {"category": sw.category.pk, "description": "The app does not sync"}
    response = post(api(sw.world.asha), "/support/tickets", body)
    assert response.status_code == 201, response.content
    return int(response.json()["ticket"]["id"])


def _level(ticket: int) -> str:
    return str(Ticket.objects.get(pk=ticket).level)


def test_each_deadline_moves_the_ticket_one_level(sw: SupportWorld) -> None:
    # attendance_app: 24 h at the school, 48 at the office, 72 at the state.
    with time_machine.travel(START, tick=False):
        ticket = _raise(sw)
    hours = 0

    def at(after: int) -> dt.datetime:
        return START + dt.timedelta(hours=after)

    for wait, level in [(24, "office"), (48, "state"), (72, "hq")]:
        with time_machine.travel(at(hours + wait - 1), tick=False):
            assert services.escalate_overdue() == 0  # not yet
        hours += wait
        with time_machine.travel(at(hours), tick=False):
            assert services.escalate_overdue() == 1
            assert _level(ticket) == level
    with time_machine.travel(at(hours + 1000), tick=False):
        assert services.escalate_overdue() == 0  # headquarters is the last level
    autos = TicketEvent.objects.filter(ticket_id=ticket, kind="auto_escalated").order_by("pk")
    assert [(e.from_level, e.to_level) for e in autos] == [
        ("school", "office"),
        ("office", "state"),
        ("state", "hq"),
    ]
    assert all(e.by_id is None and "deadline" in e.text for e in autos)
    assert autos[0].to_unit == sw.world.block


def test_a_deadline_past_without_an_office_goes_to_the_state(sw: SupportWorld) -> None:
    OfficerGrant.objects.filter(unit__kind__in=["block", "district"]).delete()
    with time_machine.travel(START, tick=False):
        ticket = _raise(sw)
    with time_machine.travel(START + dt.timedelta(hours=25), tick=False):
        assert services.escalate_overdue() == 1
    assert _level(ticket) == "state"


def test_a_resolved_ticket_is_not_escalated(sw: SupportWorld) -> None:
    with time_machine.travel(START, tick=False):
        ticket = _raise(sw)
        found = Ticket.objects.get(pk=ticket)
        services.ticket_resolve(ticket=found, note="Done", by=sw.world.ravi)
    with time_machine.travel(START + dt.timedelta(hours=100), tick=False):
        assert services.escalate_overdue() == 0
    assert _level(ticket) == "school"


def test_the_task_run_twice_moves_a_ticket_once(sw: SupportWorld) -> None:
    with time_machine.travel(START, tick=False):
        first, second = _raise(sw), _raise(sw)
    with time_machine.travel(START + dt.timedelta(hours=25), tick=False):
        assert escalate_overdue_tickets.call() == {"escalated": 2, "closed": 0}
        assert escalate_overdue_tickets.call() == {"escalated": 0, "closed": 0}
    for ticket in (first, second):
        assert _level(ticket) == "office"
        assert TicketEvent.objects.filter(ticket_id=ticket, kind="auto_escalated").count() == 1


def test_two_runs_at_once_move_a_ticket_once(
    sw: SupportWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run starts while the first has read the ticket and not yet moved it:
    whichever moves it first wins; the other finds it no longer where it was."""
    with time_machine.travel(START, tick=False):
        ticket = _raise(sw)
    real = selectors.next_stop
    overlapped: list[int] = []
    started: list[bool] = []

    def next_stop_with_a_second_run(found: Ticket) -> selectors.Stop | None:
        if not started:
            started.append(True)
            overlapped.append(services.escalate_overdue())
        return real(found)

    monkeypatch.setattr(selectors, "next_stop", next_stop_with_a_second_run)
    with time_machine.travel(START + dt.timedelta(hours=25), tick=False):
        assert services.escalate_overdue() == 0  # the second run moved it
    assert overlapped == [1]
    assert _level(ticket) == "office"
    assert TicketEvent.objects.filter(ticket_id=ticket, kind="auto_escalated").count() == 1


def test_a_late_run_moves_one_level_and_gives_the_next_its_full_time(sw: SupportWorld) -> None:
    with time_machine.travel(START, tick=False):
        ticket = _raise(sw)
    late = START + dt.timedelta(hours=200)  # past the school's and the office's deadlines
    with time_machine.travel(late, tick=False):
        assert services.escalate_overdue() == 1
    found = Ticket.objects.get(pk=ticket)
    assert found.level == "office"
    assert found.due_at == late + dt.timedelta(hours=sw.category.office_hours)


def test_resolved_tickets_close_once_they_cannot_be_reopened(sw: SupportWorld) -> None:
    with time_machine.travel(START, tick=False):
        ticket = _raise(sw)
        services.ticket_resolve(ticket=Ticket.objects.get(pk=ticket), note="Done", by=sw.world.ravi)
    with time_machine.travel(START + dt.timedelta(days=6), tick=False):
        assert services.close_resolved() == 0
    with time_machine.travel(START + dt.timedelta(days=8), tick=False):
        assert services.close_resolved() == 1
        assert services.close_resolved() == 0
    found = Ticket.objects.get(pk=ticket)
    assert found.status == "closed"
    closed = TicketEvent.objects.get(ticket_id=ticket, kind="closed")
    assert closed.by_id is None
    assert timezone.is_aware(closed.at)
