"""The batch answer's `changed_since_pull`: whether the device's next pull would bring it
anything it did not send itself, so the app pulls after a push only when it would
(docs/sync.md, "Pulling less")."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hazri.attendance.tests.conftest import Api, login, rollcall
from hazri.people.models import Admission, Enrolment, Student
from hazri.testing.world import World

START = dt.datetime(2026, 11, 20, 6, 30, tzinfo=dt.UTC)  # noon at the school
TODAY = dt.date(2026, 11, 20)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def advance(self, minutes: float) -> None:
        self.now += dt.timedelta(minutes=minutes)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, world: World) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    # The world was loaded an hour ago: only what changes from now on is news.
    for model in (Student, Admission, Enrolment):
        model.objects.update(updated_at=START - dt.timedelta(hours=1))
    return clock


def pull(api: Api) -> None:
    assert api.get("/sync/pull").status_code == 200


def push(api: Api, world: World, *, meeting: int = 1) -> dict[str, Any]:
    # Captured now (a device may not send marks captured well before its last pull).
    item = rollcall(world, day=TODAY, meeting=meeting, captured=timezone.now().isoformat())
    response = api.post("/rollcalls/batch", {"rollcalls": [item]})
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    assert body["results"][0]["status"] == "created", body["results"][0]["errors"]
    return body


def test_a_device_that_never_pulled_is_told_to_pull(world, client: Client, clock) -> None:
    assert push(login(client, world.ravi), world)["changed_since_pull"] is True


def test_its_own_push_is_no_news_to_the_device(world, client: Client, clock) -> None:
    ravi = login(client, world.ravi)
    pull(ravi)
    clock.advance(5)
    assert push(ravi, world)["changed_since_pull"] is False
    clock.advance(1)
    assert push(ravi, world, meeting=2)["changed_since_pull"] is False


def test_another_devices_roll_call_in_its_school_is_news(world, client: Client, clock) -> None:
    ravi, asha = login(client, world.ravi), login(client, world.asha)
    pull(ravi)
    clock.advance(5)
    assert push(asha, world)["changed_since_pull"] is True  # she never pulled
    clock.advance(1)
    assert push(ravi, world, meeting=2)["changed_since_pull"] is True
    pull(ravi)
    clock.advance(5)
    assert push(ravi, world, meeting=2)["changed_since_pull"] is False


def test_the_same_users_other_phone_is_another_device(world, client: Client, clock) -> None:
    phone, tablet = login(client, world.ravi), login(client, world.ravi)
    pull(phone)
    clock.advance(5)
    push(tablet, world)
    clock.advance(1)
    assert push(phone, world, meeting=2)["changed_since_pull"] is True


@pytest.mark.parametrize("change", ["student", "admission", "enrolment"])
def test_a_change_to_the_roll_is_news(world, client: Client, clock, change: str) -> None:
    ravi = login(client, world.ravi)
    pull(ravi)
    clock.advance(5)
    student = world.students[1]
    if change == "student":
        student.name_local = "बदला नाम"
        student.save()
    elif change == "admission":
        Admission.objects.filter(student=student).update(
            admission_no="0777", updated_at=timezone.now()
        )
    else:
        Enrolment.objects.filter(student=student).update(roll_no=42, updated_at=timezone.now())
    assert push(ravi, world)["changed_since_pull"] is True


def test_a_change_long_before_the_pull_is_no_news(world, client: Client, clock) -> None:
    """The window is the delta pull's: its watermark less the overlap."""
    asha, ravi = login(client, world.asha), login(client, world.ravi)
    push(asha, world)
    clock.advance(2)  # more than the pull's overlap (one minute)
    pull(ravi)
    clock.advance(5)
    assert push(ravi, world, meeting=2)["changed_since_pull"] is False


def test_a_change_just_before_the_pull_counts_within_the_overlap(
    world, client: Client, clock
) -> None:
    """A roll call committed around the instant of the pull may have missed it: the next
    delta reaches back an overlap for it, so the answer says so too."""
    asha, ravi = login(client, world.asha), login(client, world.ravi)
    push(asha, world)
    clock.advance(0.5)
    pull(ravi)
    clock.advance(5)
    assert push(ravi, world, meeting=2)["changed_since_pull"] is True


def test_the_pull_announces_gzip_uploads_unless_switched_off(
    world, client: Client, clock, settings
) -> None:
    ravi = login(client, world.ravi)
    assert ravi.get("/sync/pull").json()["accepts_gzip_bodies"] is True
    settings.HAZRI_ACCEPTS_GZIP_BODIES = False
    assert ravi.get("/sync/pull").json()["accepts_gzip_bodies"] is False
