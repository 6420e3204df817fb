"""The same-day absence notice: at the school's cutoff, once per child and day, whatever
runs twice or is corrected."""

import datetime as dt

import pytest

from hazri.notify import kinds, queue
from hazri.notify.models import Delivery, Kind, Notice, Status
from hazri.notify.tests.helpers import at, codes_with, gateway, mark  # noqa: F401
from hazri.people.models import Guardian

pytestmark = pytest.mark.django_db


def test_nothing_before_the_cutoff_then_one_notice(world, gateway):  # noqa: F811
    zoya = world.students[1]
    mark(world, codes_with(world, {zoya.pk}))
    assert kinds.absence_sweep(now=at(16, 59)) == 0
    assert not Notice.objects.exists()
    kinds.absence_sweep(now=at(17, 0))
    notice = Notice.objects.get()
    assert (notice.kind, notice.student_id, notice.key) == (Kind.ABSENCE, zoya.pk, "2026-11-18")
    assert notice.school_id == world.school.pk
    assert notice.guardian.user == world.imran
    done = queue.deliver_due(now=at(17, 0))
    assert done.sent == 1
    [sms] = gateway.sent
    assert sms["to"] == "+919800000001" and "ज़ोया ख़ान" in sms["text"]  # default: Hindi
    assert "18-11-2026" in sms["text"]
    notice.refresh_from_db()
    assert notice.status == Status.SENT and notice.attempts == 1


def test_the_cutoff_is_the_schools_own_time(world, gateway):  # noqa: F811
    world.school.timezone = "Asia/Kathmandu"  # UTC+5:45, 15 minutes ahead of IST
    world.school.save(update_fields=["timezone"])
    mark(world, codes_with(world, {world.students[1].pk}))
    assert kinds.absence_sweep(now=at(16, 44)) == 0
    assert kinds.absence_sweep(now=at(16, 46)) == 1


def test_twice_and_two_workers_send_once(world, gateway):  # noqa: F811
    mark(world, codes_with(world, {world.students[1].pk}))
    kinds.absence_sweep(now=at(17, 0))
    kinds.absence_sweep(now=at(17, 5))
    assert Notice.objects.count() == 1
    first = queue.claim(now=at(17, 5))
    second = queue.claim(now=at(17, 5))  # another worker, while the first holds it
    assert len(first) == 1 and second == []
    queue.deliver(first, now=at(17, 5))
    assert queue.deliver_due(now=at(17, 10)).sent == 0
    assert len(gateway.sent) == 1
    assert Delivery.objects.filter(channel="sms", outcome="ok").count() == 1


def test_a_dead_workers_claim_is_taken_again(world, gateway):  # noqa: F811
    mark(world, codes_with(world, {world.students[1].pk}))
    kinds.absence_sweep(now=at(17, 0))
    assert len(queue.claim(now=at(17, 0))) == 1  # and the worker dies
    assert queue.claim(now=at(17, 1)) == []
    assert len(queue.claim(now=at(17, 0) + queue.LEASE + dt.timedelta(seconds=1))) == 1


def test_corrected_to_present_after_the_notice_sends_nothing_more(world, gateway):  # noqa: F811
    zoya, aarav = world.students[1], world.students[0]
    mark(world, codes_with(world, {zoya.pk}))
    kinds.absence_sweep(now=at(17, 0))
    queue.deliver_due(now=at(17, 0))
    # The head corrects: Zoya was there after all, Aarav was not.
    mark(world, codes_with(world, {aarav.pk}), captured=at(17, 20), by=world.ravi, note="fixed")
    Guardian.objects.create(name="Aarav's mother", phone="+919800000002").children.add(
        aarav, through_defaults={"relation": "mother"}
    )
    kinds.absence_sweep(now=at(17, 25))
    queue.deliver_due(now=at(17, 25))
    assert Notice.objects.filter(student=zoya).count() == 1
    assert Notice.objects.get(student=zoya).status == Status.SENT
    assert Notice.objects.get(student=aarav).status == Status.SENT
    assert [s["to"] for s in gateway.sent] == ["+919800000001", "+919800000002"]


def test_corrected_before_it_went_out_is_cancelled(world, gateway):  # noqa: F811
    from hazri.notify.preferences import preference_set

    guardian = Guardian.objects.get(user=world.imran)
    preference_set(
        guardian=guardian,
        channels=["sms"],
        language="en",
        quiet_start=dt.time(17, 0),
        quiet_end=dt.time(19, 0),
    )
    mark(world, codes_with(world, {world.students[1].pk}))
    kinds.absence_sweep(now=at(17, 0))
    mark(world, codes_with(world, set()), captured=at(17, 20), by=world.ravi, note="was there")
    kinds.absence_sweep(now=at(17, 25))
    assert queue.deliver_due(now=at(19, 1)).sent == 0
    assert Notice.objects.get().status == Status.CANCELLED
    assert gateway.sent == []


def test_quiet_hours_hold_the_notice_then_it_goes(world, gateway):  # noqa: F811
    from hazri.notify.preferences import preference_set

    preference_set(
        guardian=Guardian.objects.get(user=world.imran),
        channels=["sms"],
        language="en",
        quiet_start=dt.time(16, 30),
        quiet_end=dt.time(18, 0),
    )
    mark(world, codes_with(world, {world.students[1].pk}))
    kinds.absence_sweep(now=at(17, 0))
    assert queue.deliver_due(now=at(17, 30)).sent == 0
    assert gateway.sent == []
    assert queue.deliver_due(now=at(18, 0)).sent == 1
    assert gateway.sent[0]["text"].startswith("Dear parent, Zoya Khan was marked absent")
    assert Notice.objects.get().status == Status.SENT


def test_retried_with_backoff_then_failed_and_reported(world, gateway, settings):  # noqa: F811
    settings.HAZRI_NOTIFY_MAX_ATTEMPTS = 3
    settings.HAZRI_NOTIFY_RETRY_SECONDS = 60
    gateway.failing = True
    mark(world, codes_with(world, {world.students[1].pk}))
    kinds.absence_sweep(now=at(17, 0))
    assert queue.deliver_due(now=at(17, 0)).retried == 1
    notice = Notice.objects.get()
    assert notice.due_at == at(17, 1) and notice.status == Status.PENDING
    assert queue.deliver_due(now=at(17, 0)).retried == 0
    assert queue.deliver_due(now=at(17, 1)).retried == 1  # the second try; next in 2 min
    notice.refresh_from_db()
    assert notice.due_at == at(17, 3)
    assert queue.deliver_due(now=at(17, 3)).failed == 1
    notice.refresh_from_db()
    assert notice.status == Status.FAILED and notice.attempts == 3
    assert "503" in notice.last_error
    assert Delivery.objects.filter(notice=notice, channel="sms", outcome="error").count() == 3
    assert queue.deliver_due(now=at(23, 0)).failed == 0  # reported, not tried again


def test_only_the_forenoon_and_only_absent(world, gateway):  # noqa: F811
    roll = codes_with(world, set())
    mark(world, "L" + roll[1:])  # leave is not an absence
    kinds.absence_sweep(now=at(17, 0))
    assert not Notice.objects.exists()
