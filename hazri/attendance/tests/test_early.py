"""A roll call taken before its meeting's window opens (AttendancePolicy.opens_before_minutes)
is kept and flagged early, the same way through every door: the API, a batch (what the
offline app sends), staff attendance and the marking page."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hazri.attendance.models import RollCall, StaffRollCall
from hazri.org.models import AttendancePolicy
from hazri.org.selectors import policy_for_school
from hazri.testing.world import PASSWORD, SCHOOL_DAY, World

from .conftest import IST, local, rollcall
from .test_api_school import staff_payload

# The world's school starts at 08:00; the policy opens its roll call 30 minutes before.


def test_the_default_policy_opens_the_roll_call_half_an_hour_before_the_start(world) -> None:
    assert AttendancePolicy._meta.get_field("opens_before_minutes").default == 30
    assert policy_for_school(world.school).opens_before_minutes == 30


def test_a_roll_call_taken_before_the_window_opens_is_kept_as_early(world, as_user) -> None:
    api = as_user(world.ravi)
    early = api.post("/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 7, 16)))
    assert early.status_code == 201, early.content
    assert early.json()["timing"] == "early"
    assert RollCall.objects.get().timing == "early"
    # From 07:30 it is open: on time.
    opened = api.post("/rollcalls", rollcall(world, meeting=2, captured=local(SCHOOL_DAY, 7, 30)))
    assert opened.json()["timing"] == "early"  # the afternoon is hours away
    on_time = api.post("/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 7, 30)))
    assert on_time.json()["timing"] == "on_time"


def test_a_batch_from_an_offline_phone_keeps_its_early_roll_calls(world, as_user) -> None:
    api = as_user(world.asha)
    batch = {
        "rollcalls": [
            rollcall(world, captured=local(SCHOOL_DAY, 7, 16)),
            rollcall(world, meeting=2, captured=local(SCHOOL_DAY, 12, 40)),
        ]
    }
    results = api.post("/rollcalls/batch", batch).json()["results"]
    assert [r["status"] for r in results] == ["created", "created"]
    assert [r["rollcall"]["timing"] for r in results] == ["early", "on_time"]


def test_the_state_policy_moves_the_opening(world, as_user) -> None:
    world.policy.opens_before_minutes = 180
    world.policy.save()
    response = as_user(world.ravi).post(
        "/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 7, 16))
    )
    assert response.json()["timing"] == "on_time"


def test_early_staff_attendance_is_flagged_too(world, as_user) -> None:
    response = as_user(world.ravi).post(
        "/staff-rollcalls", staff_payload(world, captured_at=local(SCHOOL_DAY, 6, 0))
    )
    assert response.status_code == 201, response.content
    assert response.json()["timing"] == "early"
    assert StaffRollCall.objects.get().timing == "early"


@pytest.fixture
def ravi_page(world: World) -> Client:
    client = Client()
    assert client.login(username="ravi", password=PASSWORD)
    return client


def test_the_marking_page_says_when_the_roll_call_opens_and_saves_early(
    world: World, ravi_page: Client
) -> None:
    url = reverse("section_mark", args=[world.section.pk])
    query = f"?day={SCHOOL_DAY.isoformat()}&meeting=1"
    with time_machine.travel(dt.datetime.combine(SCHOOL_DAY, dt.time(7, 16), tzinfo=IST)):
        page = ravi_page.get(url + query).content.decode()
        assert "The roll call opens at 07:30" in page
        assert "data-early" in page
        form = ravi_page.get(url + query).context["form"]
        data = {
            "client_uuid": str(form.client_uuid),
            "day": SCHOOL_DAY.isoformat(),
            "meeting": "1",
            **{f"mark-{line.person.id}": "P" for line in form.lines},
        }
        assert ravi_page.post(url, data).status_code == 302
        assert RollCall.objects.get().timing == "early"
        day_page = ravi_page.get(
            reverse("school_day", args=[world.school.pk]) + f"?day={SCHOOL_DAY.isoformat()}"
        ).content.decode()
        assert 'class="badge early"' in day_page and "On time" not in day_page
    with time_machine.travel(dt.datetime.combine(SCHOOL_DAY, dt.time(7, 45), tzinfo=IST)):
        page = ravi_page.get(url + "?day=" + SCHOOL_DAY.isoformat() + "&meeting=2").content.decode()
        # The afternoon opens 30 minutes before its own start (four hours after 08:00).
        assert "The roll call opens at 11:30" in page
