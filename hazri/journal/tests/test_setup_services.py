"""The journal's set-up services: the bell schedule, terms, the scheme, a section's
week from a date, and the day's changes."""

import datetime as dt
from decimal import Decimal

import pytest

from hazri.audit.models import AuditEvent
from hazri.common.errors import Conflict, Forbidden, Invalid, NotFound
from hazri.journal.models import Change, Period, Slot, Term
from hazri.journal.selectors.scheme import grading_for
from hazri.journal.selectors.timetable import timetable
from hazri.journal.services import setup as services
from hazri.journal.services import setup_timetable as timetables
from hazri.org.models import Subject
from hazri.people.models import TeachingAssignment
from hazri.testing.world import HOLIDAY, SCHOOL_DAY, SUNDAY, World

pytestmark = pytest.mark.django_db
T = dt.time


def _periods(world: World, count: int = 3) -> None:
    services.periods_set(
        school=world.school,
        periods=[services.PeriodIn(n, T(7 + n), T(7 + n, 40)) for n in range(1, count + 1)],
        by=world.ravi,
    )


def _subjects(world: World) -> tuple[Subject, Subject]:
    maths = services.subject_create(
        school=world.school, code="math", name="Mathematics", by=world.ravi
    )
    hindi = services.subject_create(school=world.school, code="HIN", name="Hindi", by=world.ravi)
    return maths, hindi


def _maths_week(world: World, maths: Subject, starts_on: dt.date = dt.date(2026, 4, 1)) -> None:
    asha = world.staff[1]
    TeachingAssignment.objects.create(
        school=world.school, staff=asha, section=world.section, subject=maths, starts_on=starts_on
    )
    timetables.week_set(
        section=world.section,
        starts_on=starts_on,
        slots=[timetables.SlotIn(day, 1, maths.pk, asha.pk) for day in range(1, 7)],
        by=world.ravi,
    )


def test_the_bell_schedule_refuses_overlaps_and_writes_nothing(world: World) -> None:
    with pytest.raises(Invalid) as refused:
        services.periods_set(
            school=world.school,
            periods=[
                services.PeriodIn(1, T(8), T(8, 40)),
                services.PeriodIn(2, T(8, 30), T(9, 10)),
            ],
            by=world.ravi,
        )
    assert (refused.value.field, refused.value.code) == (
        "periods[1].starts_at",
        "overlapping_period",
    )
    with pytest.raises(Invalid) as backwards:
        services.periods_set(
            school=world.school, periods=[services.PeriodIn(1, T(9), T(8))], by=world.ravi
        )
    assert backwards.value.field == "periods[0].ends_at"
    assert not Period.objects.filter(school=world.school).exists()
    _periods(world, 3)
    _periods(world, 2)  # period 3 goes: no timetable uses it
    assert list(Period.objects.filter(school=world.school).values_list("number", flat=True)) == [
        1,
        2,
    ]
    assert AuditEvent.objects.filter(action="journal.periods_set").count() == 2


def test_a_period_in_use_is_kept(world: World) -> None:
    _periods(world, 2)
    maths, _ = _subjects(world)
    _maths_week(world, maths)
    with pytest.raises(Conflict) as refused:
        services.periods_set(
            school=world.school, periods=[services.PeriodIn(2, T(9), T(9, 40))], by=world.ravi
        )
    assert refused.value.code == "period_in_use"
    assert Period.objects.filter(school=world.school).count() == 2


def test_terms_do_not_overlap_and_a_closed_term_stays_closed(world: World) -> None:
    first = services.term_create(
        school=world.school,
        name="Term 1",
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2026, 9, 30),
        by=world.ravi,
    )
    assert first.academic_year_id == world.year.pk
    with pytest.raises(Conflict) as overlapping:
        services.term_create(
            school=world.school,
            name="Term 2",
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2027, 3, 31),
            by=world.ravi,
        )
    assert (overlapping.value.field, overlapping.value.code) == ("starts_on", "overlapping_term")
    with pytest.raises(Invalid) as outside:
        services.term_create(
            school=world.school,
            name="Term 0",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 2, 1),
            by=world.ravi,
        )
    assert outside.value.field == "starts_on"
    services.term_create(
        school=world.school,
        name="Term 2",
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2027, 3, 31),
        by=world.ravi,
    )
    with pytest.raises(Forbidden) as teacher:
        services.term_close(term=first, by=world.asha)
    assert teacher.value.code == "not_head"
    closed = services.term_close(term=first, by=world.ravi)
    assert closed.closed_at is not None and closed.closed_by == world.ravi
    with pytest.raises(Conflict) as again:
        services.term_close(term=first, by=world.ravi)
    assert again.value.code == "closed"
    first.refresh_from_db()
    assert first.closed_at == closed.closed_at
    assert Term.objects.filter(school=world.school).count() == 2
    assert AuditEvent.objects.filter(action="journal.term_close").count() == 1


def test_the_scheme_of_a_school_and_of_a_state(world: World) -> None:
    with pytest.raises(Forbidden):
        services.scheme_set(
            unit=world.state,
            scale="5-point",
            kinds=[services.KindIn("test", "Test")],
            by=world.ravi,
        )
    with pytest.raises(Invalid) as weight:
        services.scheme_set(
            school=world.school,
            scale="cbse-letters",
            kinds=[services.KindIn("test", "Test", Decimal(0))],
            by=world.ravi,
        )
    assert weight.value.field == "kinds[0].weight"
    with pytest.raises(Invalid) as scale:
        services.scheme_set(
            school=world.school, scale="7-point", kinds=[services.KindIn("t", "T")], by=world.ravi
        )
    assert scale.value.field == "scale"
    services.scheme_set(
        school=world.school,
        scale="cbse-letters",
        kinds=[services.KindIn("test", "Unit test", Decimal(2)), services.KindIn("oral", "Oral")],
        by=world.ravi,
    )
    services.scheme_set(
        school=world.school,
        scale="cbse-letters",
        kinds=[services.KindIn("test", "Unit test", Decimal("1.5"))],
        by=world.ravi,
    )
    grading = grading_for(world.school)
    assert grading.scheme.school_id == world.school.pk
    assert [(k.code, k.weight) for k in grading.kinds.values()] == [("test", Decimal("1.5"))]


def test_subjects_have_unique_codes(world: World) -> None:
    maths, _ = _subjects(world)
    assert maths.code == "MATH"
    with pytest.raises(Conflict) as taken:
        services.subject_create(school=world.school, code="Math", name="Maths", by=world.ravi)
    assert taken.value.field == "code"
    services.subject_rename(subject=maths, name="Ganit", name_local="गणित", by=world.ravi)
    maths.refresh_from_db()
    assert (maths.name, maths.name_local) == ("Ganit", "गणित")


def test_a_new_week_from_a_date_keeps_the_old_week_before_it(world: World) -> None:
    _periods(world)
    maths, hindi = _subjects(world)
    _maths_week(world, maths)
    tuesday, wednesday = SCHOOL_DAY - dt.timedelta(days=1), SCHOOL_DAY
    timetables.week_set(
        section=world.section,
        starts_on=wednesday,
        slots=[timetables.SlotIn(day, 1, hindi.pk) for day in range(1, 7)],
        by=world.ravi,
    )
    days = timetable(world.section, [tuesday, wednesday])
    assert [(x.period, x.subject_id) for x in days[tuesday]] == [(1, maths.pk)]
    assert [(x.period, x.subject_id, x.teacher_id) for x in days[wednesday]] == [
        (1, hindi.pk, None)
    ]
    old = Slot.objects.filter(section=world.section, subject=maths)
    assert old.count() == 6 and {s.ends_on for s in old} == {tuesday}
    # The same date again: the first set never comes into force, nothing is deleted.
    timetables.week_set(
        section=world.section,
        starts_on=wednesday,
        slots=[timetables.SlotIn(3, 2, maths.pk)],
        by=world.ravi,
    )
    assert Slot.objects.filter(section=world.section).count() == 13
    assert [(x.period, x.subject_id) for x in timetable(world.section, [wednesday])[wednesday]] == [
        (2, maths.pk)
    ]


def test_a_teacher_without_an_assignment_is_refused(world: World) -> None:
    _periods(world)
    maths, hindi = _subjects(world)
    _maths_week(world, maths)
    before = Slot.objects.count()
    asha = world.staff[1]
    with pytest.raises(Invalid) as refused:
        timetables.week_set(
            section=world.section,
            starts_on=SCHOOL_DAY,
            slots=[
                timetables.SlotIn(1, 1, maths.pk, asha.pk),
                timetables.SlotIn(1, 2, hindi.pk, asha.pk),
            ],
            by=world.ravi,
        )
    assert (refused.value.field, refused.value.code) == ("slots[1].teacher", "not_assigned")
    with pytest.raises(Invalid) as no_period:
        timetables.week_set(
            section=world.section,
            starts_on=SCHOOL_DAY,
            slots=[timetables.SlotIn(1, 9, maths.pk)],
            by=world.ravi,
        )
    assert no_period.value.field == "slots[0].period"
    assert Slot.objects.count() == before
    assert not Slot.objects.filter(ends_on__isnull=False).exists()


def test_no_change_on_a_day_without_school(world: World) -> None:
    _periods(world)
    maths, _ = _subjects(world)
    _maths_week(world, maths)
    for day in (HOLIDAY, SUNDAY):
        with pytest.raises(Invalid) as refused:
            timetables.change_add(
                section=world.section, day=day, period=1, kind="cancelled", by=world.ravi
            )
        assert (refused.value.field, refused.value.code) == ("day", "not_school_day")
    with pytest.raises(Invalid) as moved:
        timetables.change_add(
            section=world.section,
            day=SCHOOL_DAY,
            period=1,
            kind="moved",
            to_day=HOLIDAY,
            to_period=2,
            by=world.ravi,
        )
    assert moved.value.field == "to_day"
    assert not Change.objects.exists()


def test_a_substitute_and_a_moved_lesson_then_withdrawn(world: World) -> None:
    _periods(world)
    maths, _ = _subjects(world)
    _maths_week(world, maths)
    ravi, asha = world.staff[0], world.staff[1]
    thursday = SCHOOL_DAY + dt.timedelta(days=1)
    with pytest.raises(Invalid) as nobody:
        timetables.change_add(
            section=world.section, day=SCHOOL_DAY, period=1, kind="substitute", by=world.ravi
        )
    assert nobody.value.field == "teacher"
    with pytest.raises(Invalid) as empty:
        timetables.change_add(
            section=world.section, day=SCHOOL_DAY, period=2, kind="cancelled", by=world.ravi
        )
    assert (empty.value.field, empty.value.code) == ("period", "no_lesson")
    substitute = timetables.change_add(
        section=world.section,
        day=SCHOOL_DAY,
        period=1,
        kind="substitute",
        teacher=ravi.pk,
        note="Asha on training",
        by=world.ravi,
    )
    moved = timetables.change_add(
        section=world.section,
        day=thursday,
        period=1,
        kind="moved",
        to_day=thursday,
        to_period=3,
        by=world.ravi,
    )
    days = timetable(world.section, [SCHOOL_DAY, thursday])
    assert [(x.teacher_id, x.change) for x in days[SCHOOL_DAY]] == [(ravi.pk, "substitute")]
    assert [(x.period, x.subject_id, x.change, x.cancelled) for x in days[thursday]] == [
        (1, maths.pk, "moved", True),
        (3, maths.pk, "moved", False),
    ]
    timetables.change_withdraw(change=substitute, by=world.ravi)
    timetables.change_withdraw(change=moved, by=world.ravi)
    with pytest.raises(Conflict):
        timetables.change_withdraw(change=moved, by=world.ravi)
    days = timetable(world.section, [SCHOOL_DAY, thursday])
    assert [(x.teacher_id, x.change) for x in days[SCHOOL_DAY]] == [(asha.pk, "")]
    assert [(x.period, x.change) for x in days[thursday]] == [(1, "")]
    assert Change.objects.filter(withdrawn_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action="journal.change_withdraw").count() == 2


def test_teachers_are_assigned_through_the_people_service(world: World) -> None:
    maths, _ = _subjects(world)
    asha, suresh = world.staff[1], world.staff[2]
    assignment = timetables.teacher_assign(
        section=world.section, staff=asha.pk, subject=maths.pk, starts_on=SCHOOL_DAY, by=world.ravi
    )
    assert (assignment.subject_id, assignment.staff_id) == (maths.pk, asha.pk)
    with pytest.raises(NotFound) as other_school:
        timetables.teacher_assign(
            section=world.section, staff=suresh.pk, starts_on=SCHOOL_DAY, by=world.ravi
        )
    assert other_school.value.field == "staff"
    ended = timetables.teacher_unassign(assignment=assignment, ends_on=SCHOOL_DAY, by=world.ravi)
    assert ended.ends_on == SCHOOL_DAY
