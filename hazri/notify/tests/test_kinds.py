"""The monthly low-attendance notice, the unsigned week, a new message, and the
guardian's preferences and language."""

import datetime as dt

import pytest

from hazri.accounts.models import User
from hazri.common.errors import Invalid
from hazri.journal.models import Acknowledgement
from hazri.notify import kinds, queue
from hazri.notify.models import Kind, Notice
from hazri.notify.preferences import preference_set, release_at
from hazri.notify.tests.helpers import IST, at, codes_with, gateway, mark  # noqa: F401
from hazri.notify.texts import message_of
from hazri.people.models import Guardian

pytestmark = pytest.mark.django_db
NOV = [dt.date(2026, 11, d) for d in (17, 18, 19, 20)]


def _guardian(student, name, phone, user=None):
    guardian = Guardian.objects.create(name=name, phone=phone, user=user)
    guardian.children.add(student, through_defaults={"relation": "mother"})
    return guardian


def test_low_attendance_under_the_threshold_on_the_months_first_days(world, gateway):  # noqa: F811
    world.policy.low_attendance_min_days = 3
    world.policy.save(update_fields=["low_attendance_min_days"])
    aarav, zoya = world.students[0], world.students[1]
    _guardian(aarav, "Aarav's mother", "+919800000002")
    absent_on = {NOV[0]: {zoya.pk, aarav.pk}, NOV[1]: {zoya.pk}}
    for day in NOV:
        mark(world, codes_with(world, absent_on.get(day, set()), day), day=day)
    december = dt.datetime(2026, 12, 1, 7, 0, tzinfo=IST)
    assert kinds.low_attendance_sweep(now=december) == 0  # before the morning
    kinds.low_attendance_sweep(now=december.replace(hour=9))
    # Zoya 2 of 4 (50 %) is under 75 %; Aarav 3 of 4 (75 %) is not.
    notice = Notice.objects.get()
    assert (notice.kind, notice.student_id, notice.key) == (Kind.LOW_ATTENDANCE, zoya.pk, "2026-11")
    assert notice.params["percent"] == "50.0%"
    kinds.low_attendance_sweep(now=december.replace(day=2, hour=9))
    assert Notice.objects.count() == 1
    queue.deliver_due(now=december.replace(hour=9))
    assert "50.0%" in gateway.sent[0]["text"]


def test_low_attendance_waits_for_enough_days_and_not_after_the_third(world):
    zoya = world.students[1]
    for day in NOV:
        mark(world, codes_with(world, {zoya.pk}, day), day=day)
    kinds.low_attendance_sweep(now=dt.datetime(2026, 12, 1, 9, tzinfo=IST))
    assert not Notice.objects.exists()  # 4 days marked, the policy wants 10
    world.policy.low_attendance_min_days = 1
    world.policy.save(update_fields=["low_attendance_min_days"])
    kinds.low_attendance_sweep(now=dt.datetime(2026, 12, 4, 9, tzinfo=IST))
    assert not Notice.objects.exists()


def test_week_not_signed(world, gateway):  # noqa: F811
    zoya = world.students[1]
    mark(world, codes_with(world, set(), NOV[0]), day=NOV[0])
    signer = User.objects.create_user("salma")
    _guardian(zoya, "Salma Khan", "+919800000003", user=signer)
    _guardian(zoya, "No login", "+919800000004")
    Acknowledgement.objects.create(
        school=world.school,
        student=zoya,
        week=dt.date(2026, 11, 16),
        signed_by=signer,
        signed_at=at(19, 0, NOV[2]),
    )
    monday = dt.datetime(2026, 11, 23, 7, 0, tzinfo=IST)
    assert kinds.week_unsigned_sweep(now=monday) == 0
    kinds.week_unsigned_sweep(now=monday.replace(hour=8))
    kinds.week_unsigned_sweep(now=monday.replace(hour=12))
    notice = Notice.objects.get()  # Imran did not sign; Salma did; the third cannot
    assert notice.guardian.user == world.imran and notice.key == "2026-11-16"
    queue.deliver_due(now=monday.replace(hour=8))
    assert gateway.sent[0]["to"] == "+919800000001"


def test_a_new_message_once(world, gateway):  # noqa: F811
    guardian = Guardian.objects.get(user=world.imran)
    preference_set(
        guardian=guardian, channels=["sms"], language="en", quiet_start=None, quiet_end=None
    )
    for _ in range(2):
        kinds.notify_message(
            school_id=world.school.pk,
            student_id=world.students[1].pk,
            guardian_ids=[guardian.pk],
            thread_id=7,
            message_id=42,
            author="Asha Patel",
            now=at(11, 0),
        )
    notice = Notice.objects.get()
    assert (notice.kind, notice.key) == (Kind.MESSAGE, "message:42")
    queue.deliver_due(now=at(11, 0))
    assert gateway.sent[0]["text"] == (
        "New message from Asha Patel about Zoya Khan. Read it in Hazri. - HAZRI"
    )


def test_preferences_are_checked(world):
    guardian = Guardian.objects.get(user=world.imran)
    with pytest.raises(Invalid) as bad:
        preference_set(
            guardian=guardian, channels=["fax"], language="en", quiet_start=None, quiet_end=None
        )
    assert bad.value.field == "channels[0]"
    with pytest.raises(Invalid) as bad:
        preference_set(
            guardian=guardian, channels=["push"], language="en", quiet_start=None, quiet_end=None
        )
    assert bad.value.code == "no_push"
    with pytest.raises(Invalid) as bad:
        preference_set(
            guardian=guardian, channels=["sms"], language="fr", quiet_start=None, quiet_end=None
        )
    assert bad.value.field == "language"
    with pytest.raises(Invalid):
        preference_set(
            guardian=guardian,
            channels=["sms"],
            language="en",
            quiet_start=dt.time(22),
            quiet_end=None,
        )


def test_language_of_the_texts():
    params = {
        "child": "Zoya Khan",
        "child_local": "ज़ोया ख़ान",
        "school": "GPS Rampur",
        "school_local": "शासकीय प्राथमिक शाला रामपुर",
        "day": "2026-11-18",
    }
    english = message_of(Kind.ABSENCE, "en", params)
    hindi = message_of(Kind.ABSENCE, "hi", params)
    assert english.subject == "Zoya Khan was absent today"
    assert "Zoya Khan" in english.sms.text and english.sms.template_id.endswith("1")
    assert hindi.subject == "ज़ोया ख़ान आज विद्यालय में अनुपस्थित रहे"
    assert "शासकीय प्राथमिक शाला रामपुर" in hindi.body
    assert hindi.sms.text.startswith("प्रिय अभिभावक")


@pytest.mark.parametrize(
    ("now", "start", "end", "release"),
    [
        ((17, 0), None, None, (17, 0)),
        ((17, 0), (16, 0), (18, 0), (18, 0)),
        ((18, 0), (16, 0), (18, 0), (18, 0)),
        ((15, 59), (16, 0), (18, 0), (15, 59)),
        ((22, 0), (21, 0), (7, 0), "tomorrow 07:00"),
        ((6, 0), (21, 0), (7, 0), (7, 0)),
        ((12, 0), (21, 0), (7, 0), (12, 0)),
    ],
)
def test_quiet_hours_rule(now, start, end, release):
    moment = at(*now)
    got = release_at(moment, start and dt.time(*start), end and dt.time(*end))
    if release == "tomorrow 07:00":
        assert got == at(7, 0, moment.date() + dt.timedelta(days=1))
    else:
        assert got == at(*release)
