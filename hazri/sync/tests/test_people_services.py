"""The people services' changes reach the devices: a delta pull after the change sees
it, for both schools of a transfer (hazri.people.services stamp what the pull reads)."""

import datetime as dt

import pytest
from django.utils import timezone

from hazri.attendance.tests.conftest import login
from hazri.people import services
from hazri.people.models import Admission, Enrolment, Staff, Student
from hazri.sync.tests.test_protocol import FROZEN_NOW, Device
from hazri.testing.world import SCHOOL_DAY

NEXT_DAY = dt.date(2026, 11, 19)


@pytest.fixture
def quiet_world(world, monkeypatch):
    """The world, loaded an hour before a frozen now: only what changes from now on is news."""
    monkeypatch.setattr(timezone, "now", lambda: FROZEN_NOW)
    hour_ago = FROZEN_NOW - dt.timedelta(hours=1)
    for model in (Student, Admission, Enrolment):
        model.objects.update(updated_at=hour_ago)
    return world


def test_a_transfer_reaches_both_schools_devices(quiet_world, client) -> None:
    world = quiet_world
    rampur = Device(login(client, world.ravi))
    rampur.pull()
    khedi = Device(login(client, world.suresh))
    khedi.pull()
    zoya = world.students[1]
    services.student_transfer(
        student=zoya, section=world.other_section, admission_no="0050", on=NEXT_DAY, by=world.ravi
    )
    # Khedi's device never held Zoya: her enrolment and her name both arrive.
    body = khedi.pull()
    assert body["full"] is False
    assert [s["id"] for s in body["students"]] == [zoya.pk]
    assert [(e["student"], e["starts_on"]) for e in body["enrolments"]] == [(zoya.pk, "2026-11-19")]
    # Rampur's device learns that her enrolment there ended.
    body = rampur.pull()
    assert body["full"] is False
    assert [(e["student"], e["ends_on"]) for e in body["enrolments"]] == [(zoya.pk, "2026-11-18")]


def test_a_move_and_a_strike_off_reach_the_device(quiet_world, client) -> None:
    world = quiet_world
    rampur = Device(login(client, world.ravi))
    rampur.pull()
    kabir = world.students[3]
    services.student_strike_off(
        student=kabir, school=world.school, last_day=SCHOOL_DAY, reason="TC", by=None
    )
    body = rampur.pull()
    assert [(e["student"], e["ends_on"]) for e in body["enrolments"]] == [(kabir.pk, "2026-11-18")]


def test_a_posting_reaches_the_device(quiet_world, client) -> None:
    world = quiet_world
    rampur = Device(login(client, world.ravi))
    rampur.pull()
    kamla = Staff.objects.create(employee_code="EMP009", name="Kamla Devi", gender="F")
    services.staff_post(
        staff=kamla, school=world.school, role="other", starts_on=SCHOOL_DAY, by=None
    )
    assert "Kamla Devi" in {s["name"] for s in rampur.pull()["staff"]}
