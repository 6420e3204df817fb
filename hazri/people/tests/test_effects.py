"""What the services change beyond people's tables: the devices' delta pulls and the
dashboards' school-day rollups, for both schools of a transfer."""

import datetime as dt

import pytest
from django.utils import timezone

from hazri.attendance.tests.conftest import login
from hazri.dashboards.models import SchoolDay
from hazri.dashboards.services import schooldays_rebuild
from hazri.people import services
from hazri.people.models import Admission, Enrolment, Staff, Student
from hazri.people.signals import roll_changed
from hazri.sync.tests.test_protocol import Device
from hazri.testing.world import SCHOOL_DAY

D = dt.date
NEXT_DAY = D(2026, 11, 19)


@pytest.fixture
def quiet_world(world, frozen_now):
    """The world, loaded an hour before now: only what changes from now on is news."""
    hour_ago = timezone.now() - dt.timedelta(hours=1)
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


def _on_roll(school, day: dt.date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    row = SchoolDay.objects.get(school=school, day=day)
    return row.on_roll, row.staff_on_roll


def test_a_transfer_rebuilds_the_rollups_of_both_schools(world, frozen_now) -> None:
    first, today = D(2026, 11, 17), D(2026, 11, 20)
    schooldays_rebuild(schools=[world.school, world.other_school], start=first, end=today)
    assert _on_roll(world.school, NEXT_DAY) == (5, 2)
    assert _on_roll(world.other_school, NEXT_DAY) == (1, 1)
    zoya = world.students[1]
    services.student_transfer(
        student=zoya, section=world.other_section, admission_no="0050", on=NEXT_DAY, by=None
    )
    # Her last day at Rampur still counts her there; from the next, Khedi does.
    assert _on_roll(world.school, SCHOOL_DAY)[0] == 5
    assert _on_roll(world.other_school, SCHOOL_DAY)[0] == 1
    for day in (NEXT_DAY, today):
        assert _on_roll(world.school, day)[0] == 4
        assert _on_roll(world.other_school, day)[0] == 2
    # Only days that had rows are rebuilt: none appear before the first.
    assert not SchoolDay.objects.filter(day__lt=first).exists()


def test_a_posting_rebuilds_the_staff_count(world, frozen_now) -> None:
    schooldays_rebuild(schools=[world.school], start=SCHOOL_DAY, end=D(2026, 11, 20))
    kamla = Staff.objects.create(employee_code="EMP009", name="Kamla Devi", gender="F")
    services.staff_post(staff=kamla, school=world.school, role="other", starts_on=NEXT_DAY, by=None)
    assert _on_roll(world.school, SCHOOL_DAY)[1] == 2
    assert _on_roll(world.school, NEXT_DAY)[1] == 3


def test_the_services_announce_each_roll_change(world) -> None:
    heard: list[tuple[list[int], dt.date]] = []

    def listen(*, school_ids: list[int], since: dt.date, **_: object) -> None:
        heard.append((school_ids, since))

    roll_changed.connect(listen, dispatch_uid="test.listen")
    try:
        services.student_transfer(
            student=world.students[1],
            section=world.other_section,
            admission_no="0050",
            on=NEXT_DAY,
            by=None,
        )
    finally:
        roll_changed.disconnect(dispatch_uid="test.listen")
    assert heard == [(sorted([world.school.pk, world.other_school.pk]), SCHOOL_DAY)]
