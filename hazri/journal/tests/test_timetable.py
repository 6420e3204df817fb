"""A section's timetable on given days, with the day's changes."""

import datetime as dt

import pytest

from hazri.journal.models import Change, Period, Slot
from hazri.journal.selectors.timetable import timetable, week_of
from hazri.org.models import Subject
from hazri.people.models import Staff
from hazri.testing.world import World

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 11, 16)


def _setup(world: World) -> tuple[Subject, Subject, Staff, Staff]:
    maths = Subject.objects.create(school=world.school, code="MATH", name="Mathematics")
    hindi = Subject.objects.create(school=world.school, code="HIN", name="Hindi")
    ravi, asha = world.staff[0], world.staff[1]
    for number, start in [(1, dt.time(8, 0)), (2, dt.time(8, 45))]:
        Period.objects.create(
            school=world.school,
            number=number,
            starts_at=start,
            ends_at=(dt.datetime.combine(MONDAY, start) + dt.timedelta(minutes=40)).time(),
        )
    for weekday in range(1, 7):
        Slot.objects.create(
            school=world.school,
            section=world.section,
            weekday=weekday,
            period=1,
            subject=maths,
            teacher=asha,
            starts_on=dt.date(2026, 4, 1),
        )
        Slot.objects.create(
            school=world.school,
            section=world.section,
            weekday=weekday,
            period=2,
            subject=hindi,
            teacher=ravi,
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2026, 11, 17),
        )
    return maths, hindi, ravi, asha


def test_a_week_with_its_changes(world: World) -> None:
    maths, hindi, ravi, asha = _setup(world)
    tuesday, wednesday, thursday = (
        MONDAY + dt.timedelta(1),
        MONDAY + dt.timedelta(2),
        MONDAY + dt.timedelta(3),
    )
    Change.objects.create(
        school=world.school,
        section=world.section,
        day=tuesday,
        period=1,
        kind="substitute",
        teacher=ravi,
        made_by=world.ravi,
    )
    Change.objects.create(
        school=world.school,
        section=world.section,
        day=MONDAY,
        period=2,
        kind="moved",
        to_day=thursday,
        to_period=2,
        subject=hindi,
        made_by=world.ravi,
        note="Hindi test day",
    )
    withdrawn = Change.objects.create(
        school=world.school,
        section=world.section,
        day=tuesday,
        period=2,
        kind="cancelled",
        made_by=world.ravi,
    )
    withdrawn.withdrawn_at = withdrawn.made_at
    withdrawn.save()
    week = timetable(world.section, week_of(wednesday))
    assert list(week) == week_of(wednesday) and week_of(wednesday)[0] == MONDAY
    monday = week[MONDAY]
    assert [(x.period, x.subject_id, x.cancelled, x.change) for x in monday] == [
        (1, maths.pk, False, ""),
        (2, hindi.pk, True, "moved"),
    ]
    assert monday[0].starts_at == dt.time(8, 0) and monday[0].ends_at == dt.time(8, 40)
    assert [(x.period, x.teacher_id, x.change) for x in week[tuesday]] == [
        (1, ravi.pk, "substitute"),
        (2, ravi.pk, ""),  # the withdrawn cancellation: none
    ]
    # Hindi's slot ended on the 17th: only mathematics on Wednesday; on Thursday the
    # lesson moved from Monday.
    assert [x.subject_id for x in week[wednesday]] == [maths.pk]
    assert [(x.period, x.subject_id, x.change) for x in week[thursday]] == [
        (1, maths.pk, ""),
        (2, hindi.pk, "moved"),
    ]
    assert week[MONDAY + dt.timedelta(6)] == []  # Sunday
