"""The support pages: raising a ticket through the form (with a file), the ticket page
with the steps its reader may take, the queue with what is overdue, and a refusal shown
as a 4xx page, never a 500."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hazri.support.models import Ticket, TicketFile

from .support_world import PDF, SupportWorld, api

pytestmark = pytest.mark.django_db


def _raise_by_form(sw: SupportWorld) -> Ticket:
    client = api(sw.world.asha)
    form = client.get("/support/new/")
    assert form.status_code == 200
    assert f'value="school:{sw.world.school.pk}"' in form.content.decode()
    response = client.post(
        "/support/new/",
        {
            "where": f"school:{sw.world.school.pk}",
            "category": sw.category.pk,
            "description": "The roll call does not sync",
            "attachment": SimpleUploadedFile("screen.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/support/tickets/{ticket.pk}/"
    return ticket


def test_raise_escalate_resolve_through_the_pages(sw: SupportWorld) -> None:
    w = sw.world
    ticket = _raise_by_form(sw)
    assert TicketFile.objects.get().name == "screen.pdf"
    page = api(w.ravi).get(f"/support/tickets/{ticket.pk}/").content.decode()
    assert "data-handle-form" in page and "The roll call does not sync" in page
    assert (
        "data-handle-form" not in api(w.asha).get(f"/support/tickets/{ticket.pk}/").content.decode()
    )
    step = api(w.ravi).post(
        f"/support/tickets/{ticket.pk}/step/", {"step": "escalate", "text": "Needs the block"}
    )
    assert step.status_code == 302
    queue = api(w.meera).get("/support/queue/").content.decode()
    assert f'data-ticket="{ticket.pk}"' in queue
    assert (
        api(w.meera)
        .post(f"/support/tickets/{ticket.pk}/step/", {"step": "resolve", "text": "Updated the app"})
        .status_code
        == 302
    )
    mine = api(w.asha).get("/support/").content.decode()
    assert 'data-status="resolved"' in mine
    page = api(w.asha).get(f"/support/tickets/{ticket.pk}/").content.decode()
    assert "data-reopen-form" in page and "Updated the app" in page


def test_the_queue_marks_what_is_overdue(sw: SupportWorld) -> None:
    ticket = _raise_by_form(sw)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        page = api(sw.world.ravi).get("/support/queue/").content.decode()
    assert f'data-ticket="{ticket.pk}"' in page and "data-overdue-badge" in page
    assert 'data-overdue-total="1"' in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"where": "", "category": "1", "description": "x"}, "where"),
        ({"where": "school:abc", "category": "1", "description": "x"}, "where"),
        ({"where": "school:1", "category": "", "description": "x"}, "category"),
        ({"where": "school:1", "category": "1", "description": "a\x00b"}, "description"),
    ],
)
def test_a_bad_form_is_a_4xx_naming_the_field(sw: SupportWorld, data: dict, field: str) -> None:
    if data["where"] == "school:1":
        data = {**data, "where": f"school:{sw.world.school.pk}"}
    if data["category"] == "1":
        data = {**data, "category": str(sw.category.pk)}
    response = api(sw.world.asha).post("/support/new/", data)
    assert 400 <= response.status_code < 500
    assert f'data-error-field="{field}"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_bad_step_or_a_refused_one_is_a_4xx_page(sw: SupportWorld) -> None:
    ticket = _raise_by_form(sw)
    path = f"/support/tickets/{ticket.pk}/step/"
    assert api(sw.world.ravi).post(path, {"step": "explode", "text": "x"}).status_code == 422
    assert api(sw.world.meera).post(path, {"step": "resolve", "text": "x"}).status_code == 403
    assert api(sw.world.ravi).post(path, {"step": "resolve", "text": ""}).status_code == 422
    assert api(sw.world.suresh).post(path, {"step": "resolve", "text": "x"}).status_code == 404
    assert api(sw.world.ravi).get(path).status_code == 405
