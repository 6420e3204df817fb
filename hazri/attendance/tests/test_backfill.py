"""Backfilling is not "on time", and who may mark which section on which day.

A device cannot send marks it took before it logged in; a roll call for a day older
than the state's offline allowance is a late entry that counts once the head or an
officer approves it; a posting and a teaching assignment are judged on the day being
marked; a state may let only a section's own teachers mark it.
"""

import datetime as dt

import pytest
import time_machine

from hazri.accounts.models import DeviceToken
from hazri.attendance.models import Approval, RollCall
from hazri.dashboards.models import SchoolDay
from hazri.org.models import AttendancePolicy
from hazri.people.models import Posting, Staff, TeachingAssignment
from hazri.testing.world import SCHOOL_DAY

from .conftest import IST, local, rollcall
from .test_api_school import staff_payload

TEN_DAYS_LATER = dt.datetime.combine(SCHOOL_DAY + dt.timedelta(days=10), dt.time(10, 0), IST)


@pytest.fixture
def week_allowance(world) -> None:
    AttendancePolicy.objects.filter(pk=world.policy.pk).update(offline_allowance_days=7)


def test_marks_dated_before_the_device_logged_in_are_refused(world, as_user) -> None:
    """A first login must not open every past day to entries claimed on time."""
    asha = as_user(world.asha)
    DeviceToken.objects.update(created_at=local_dt(SCHOOL_DAY, 9, 0))
    refused = asha.post("/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 8, 30)))
    assert refused.status_code == 422, refused.content
    assert refused.json()["errors"][0] == {
        "field": "captured_at",
        "message": refused.json()["errors"][0]["message"],
        "code": "captured_before_login",
    }
    assert "before you first logged in" in refused.json()["detail"]
    ravi = as_user(world.ravi)
    DeviceToken.objects.update(created_at=local_dt(SCHOOL_DAY, 9, 0))
    staff = ravi.post("/staff-rollcalls", staff_payload(world, captured_at=local(SCHOOL_DAY, 8, 0)))
    assert staff.status_code == 422 and staff.json()["errors"][0]["code"] == "captured_before_login"
    assert RollCall.objects.count() == 0
    # Taken after the login (the clock's margin allows a sync in flight): stored.
    taken = asha.post("/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 9, 5)))
    assert taken.status_code == 201, taken.content


def local_dt(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), IST)


def test_a_day_older_than_the_allowance_is_a_late_entry_that_waits(
    world, as_user, week_allowance
) -> None:
    with time_machine.travel(TEN_DAYS_LATER, tick=False):
        asha = as_user(world.asha)
        late = asha.post("/rollcalls", rollcall(world, codes="PAPPP"))
        assert late.status_code == 201, late.content
        body = late.json()
        assert body["timing"] == "late_entry" and body["approval"] == "pending"
        assert body["waits_for"] == "approver"
        stored = RollCall.objects.get(pk=body["id"])
        assert not stored.is_current
        day = SchoolDay.objects.get(school=world.school, day=SCHOOL_DAY)
        assert day.meetings_marked == 0  # not counted until approved
        # The teacher who entered it cannot approve it; the head can.
        assert asha.post(f"/rollcalls/{body['id']}/decision", {"approve": True}).status_code == 403
        decided = as_user(world.ravi).post(f"/rollcalls/{body['id']}/decision", {"approve": True})
        assert decided.status_code == 200, decided.content
        stored.refresh_from_db()
        assert stored.is_current and stored.approval == Approval.APPROVED
        assert stored.decided_by == world.ravi
        day.refresh_from_db()
        assert day.meetings_marked == 1 and day.meetings_late == 1


def test_the_head_does_not_approve_his_own_late_entry_an_officer_does(
    world, as_user, week_allowance
) -> None:
    with time_machine.travel(TEN_DAYS_LATER, tick=False):
        ravi = as_user(world.ravi)
        body = ravi.post("/rollcalls", rollcall(world)).json()
        assert body["approval"] == "pending"
        assert ravi.post(f"/rollcalls/{body['id']}/decision", {"approve": True}).status_code == 403
        meera = as_user(world.meera)
        decided = meera.post(f"/rollcalls/{body['id']}/decision", {"approve": False})
        assert decided.status_code == 200
        assert RollCall.objects.get(pk=body["id"]).approval == Approval.REJECTED


def test_a_day_within_the_allowance_is_judged_as_it_was_taken(
    world, as_user, week_allowance
) -> None:
    with time_machine.travel(SCHOOL_DAY + dt.timedelta(days=7), tick=False):
        body = as_user(world.asha).post("/rollcalls", rollcall(world)).json()
    assert body["timing"] == "on_time" and body["approval"] == ""


def test_a_posting_is_judged_on_the_day_being_marked(world, as_user) -> None:
    """Asha is posted from the day after: she may not mark the day before."""
    Posting.objects.filter(staff__user=world.asha).update(
        starts_on=SCHOOL_DAY + dt.timedelta(days=1)
    )
    refused = as_user(world.asha).post("/rollcalls", rollcall(world))
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "not_marker"


def test_a_state_may_let_only_a_sections_own_teachers_mark_it(world, as_user) -> None:
    AttendancePolicy.objects.filter(pk=world.policy.pk).update(marking_scope="assigned")
    asha_staff = Staff.objects.get(user=world.asha)
    refused = as_user(world.asha).post("/rollcalls", rollcall(world, meeting=1))
    assert refused.status_code == 403
    assert "do not teach section 5 A" in refused.json()["detail"]
    TeachingAssignment.objects.create(
        school=world.school,
        staff=asha_staff,
        section=world.section,
        starts_on=SCHOOL_DAY - dt.timedelta(days=30),
    )
    assert as_user(world.asha).post("/rollcalls", rollcall(world, meeting=1)).status_code == 201
    # The assignment is judged on the day being marked too.
    TeachingAssignment.objects.update(ends_on=SCHOOL_DAY - dt.timedelta(days=1))
    again = as_user(world.asha).post("/rollcalls", rollcall(world, meeting=2))
    assert again.status_code == 403
    # The head marks any section whatever the scope.
    head = as_user(world.ravi).post("/rollcalls", rollcall(world, meeting=2))
    assert head.status_code == 201, head.content


def test_the_marking_page_follows_the_marking_scope(world, client) -> None:
    AttendancePolicy.objects.filter(pk=world.policy.pk).update(marking_scope="assigned")
    client.force_login(world.asha)
    url = f"/sections/{world.section.pk}/mark/?day={SCHOOL_DAY.isoformat()}&meeting=1"
    assert client.get(url).status_code == 403
    TeachingAssignment.objects.create(
        school=world.school,
        staff=Staff.objects.get(user=world.asha),
        section=world.section,
        starts_on=SCHOOL_DAY,
    )
    assert client.get(url).status_code == 200


def test_a_late_entry_captured_before_the_current_marks_is_history(
    world, as_user, week_allowance
) -> None:
    """The head marked on the day; a phone's older capture arrives ten days later: it
    is kept as a version, with nothing to approve, and the head's marks stay."""
    ravi = as_user(world.ravi)
    with time_machine.travel(local_dt(SCHOOL_DAY, 9, 20), tick=False):
        head = ravi.post(
            "/rollcalls", rollcall(world, codes="PPPPP", captured=local(SCHOOL_DAY, 9, 20))
        )
    assert head.status_code == 201, head.content
    with time_machine.travel(TEN_DAYS_LATER, tick=False):
        older = (
            as_user(world.asha)
            .post("/rollcalls", rollcall(world, codes="AAAAA", captured=local(SCHOOL_DAY, 9, 0)))
            .json()
        )
    assert older["approval"] == "" and older["timing"] == "late_entry"
    assert RollCall.objects.get(pk=head.json()["id"]).is_current
    assert not RollCall.objects.get(pk=older["id"]).is_current


def test_a_head_no_longer_head_does_not_approve(world, as_user, week_allowance) -> None:
    """The approver's posting is judged on the day of the decision."""
    with time_machine.travel(TEN_DAYS_LATER, tick=False):
        body = as_user(world.asha).post("/rollcalls", rollcall(world)).json()
        ravi = Staff.objects.get(user=world.ravi)
        Posting.objects.filter(staff=ravi).update(
            ends_on=TEN_DAYS_LATER.date() - dt.timedelta(days=1)
        )
        Posting.objects.create(
            staff=ravi,
            school=world.school,
            role=Posting.Role.TEACHER,
            starts_on=TEN_DAYS_LATER.date(),
        )
        refused = as_user(world.ravi).post(f"/rollcalls/{body['id']}/decision", {"approve": True})
    assert refused.status_code == 403


def test_a_second_login_on_the_phone_keeps_what_it_queued(world, as_user, client) -> None:
    """The bound is the user's first login: a re-login does not refuse the queue."""
    as_user(world.asha)  # the first phone login, when the session began
    again = as_user(world.asha)
    DeviceToken.objects.filter(pk=DeviceToken.objects.order_by("-pk").first().pk).update(
        created_at=local_dt(SCHOOL_DAY, 12, 0)
    )
    taken = again.post("/rollcalls", rollcall(world, captured=local(SCHOOL_DAY, 8, 30)))
    assert taken.status_code == 201, taken.content


def test_a_teacher_who_left_syncs_the_days_she_was_posted(world, as_user) -> None:
    Posting.objects.filter(staff__user=world.asha).update(ends_on=SCHOOL_DAY)
    asha = as_user(world.asha)
    with time_machine.travel(local_dt(SCHOOL_DAY + dt.timedelta(days=2), 10, 0), tick=False):
        taken = asha.post("/rollcalls", rollcall(world))
    assert taken.status_code == 201, taken.content
    later = rollcall(world, day=SCHOOL_DAY + dt.timedelta(days=1))
    with time_machine.travel(local_dt(SCHOOL_DAY + dt.timedelta(days=2), 10, 0), tick=False):
        refused = asha.post("/rollcalls", later)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "not_marker"
