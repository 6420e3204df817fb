"""Admitting, moving, transferring, promoting and striking off: each service's
happy path, each refusal, and the leaving rule."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from hazri.audit.models import AuditEvent
from hazri.common.errors import Conflict, Invalid, NotFound, ServiceError
from hazri.org.models import Section
from hazri.people import services
from hazri.people.models import Admission, Enrolment, Student
from hazri.people.selectors import section_roll
from hazri.testing.world import SCHOOL_DAY

D = dt.date


def refused(error: type[ServiceError], field: str, code: str, call, **kwargs) -> ServiceError:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as caught:
        call(**kwargs)
    assert (caught.value.field, caught.value.code) == (field, code), caught.value.message
    return caught.value


def test_admit_a_new_child(world) -> None:
    enrolment = services.student_admit(
        section=world.section,
        admission_no="0100",
        admitted_on=SCHOOL_DAY,
        name="Meena Bai",
        gender="F",
        state_id="SAM-NEW-1",
        by=world.ravi,
    )
    admission = enrolment.admission
    assert (admission.school, admission.admission_no, admission.admitted_on) == (
        world.school,
        "0100",
        SCHOOL_DAY,
    )
    assert (enrolment.section, enrolment.origin, enrolment.starts_on, enrolment.ends_on) == (
        world.section,
        "new",
        SCHOOL_DAY,
        None,
    )
    assert enrolment.student.state_id == "SAM-NEW-1"
    assert "Meena Bai" in [m.name for m in section_roll(world.section, SCHOOL_DAY)]
    event = AuditEvent.objects.get(action="admission.admit")
    assert (event.user, event.school_id, event.object_id) == (
        world.ravi,
        world.school.pk,
        str(admission.pk),
    )


def test_admit_finds_the_child_by_state_id_one_record_for_life(world) -> None:
    gopal = Student.objects.get(name="Gopal Das")
    services.student_strike_off(
        student=gopal, school=world.other_school, last_day=D(2026, 11, 17), reason="TC", by=None
    )
    enrolment = services.student_admit(
        section=world.section,
        admission_no="0200",
        admitted_on=SCHOOL_DAY,
        state_id=gopal.state_id,
        by=world.ravi,
    )
    assert enrolment.student == gopal
    assert Student.objects.filter(name="Gopal Das").count() == 1
    assert gopal.admissions.count() == 2


def test_admit_existing_roll_from_the_session_start_with_roll_numbers(world) -> None:
    enrolment = services.student_admit(
        section=world.section,
        admission_no="0300",
        admitted_on=D(2024, 7, 1),
        on_roll_from=world.year.starts_on,
        origin="promoted",
        roll_no=6,
        name="Raju",
        gender="M",
        by=None,
    )
    assert (enrolment.admission.admitted_on, enrolment.starts_on, enrolment.roll_no) == (
        D(2024, 7, 1),
        world.year.starts_on,
        6,
    )


def test_admit_refusals(world, section_b) -> None:
    new = {"name": "Meena", "gender": "F", "by": None}
    admit = services.student_admit
    refused(
        Conflict, "admission_no", "admission_no_taken", admit,
        section=world.section, admission_no="0001", admitted_on=SCHOOL_DAY, **new,
    )  # fmt: skip
    refused(
        Invalid, "admitted_on", "outside_session", admit,
        section=world.section, admission_no="0100", admitted_on=D(2026, 3, 31), **new,
    )  # fmt: skip
    refused(
        Invalid, "admission_no", "required", admit,
        section=world.section, admission_no=" ", admitted_on=SCHOOL_DAY, **new,
    )  # fmt: skip
    refused(
        Invalid, "name", "required", admit,
        section=world.section, admission_no="0100", admitted_on=SCHOOL_DAY, gender="F", by=None,
    )  # fmt: skip
    refused(
        Invalid, "gender", "bad_gender", admit,
        section=world.section, admission_no="0100", admitted_on=SCHOOL_DAY, name="X", gender="Q",
        by=None,
    )  # fmt: skip
    refused(
        Invalid, "origin", "bad_origin", admit,
        section=world.section, admission_no="0100", admitted_on=SCHOOL_DAY, origin="alien", **new,
    )  # fmt: skip
    refused(
        Invalid, "on_roll_from", "ends_before_start", admit,
        section=world.section, admission_no="0100", admitted_on=SCHOOL_DAY,
        on_roll_from=D(2026, 11, 1), **new,
    )  # fmt: skip
    # Zoya is on Rampur's roll: admitting her at Khedi (or again at Rampur) overlaps.
    zoya = world.students[1]
    refused(
        Conflict, "admitted_on", "overlapping_enrolment", admit,
        section=world.other_section, admission_no="0100", admitted_on=SCHOOL_DAY, student=zoya,
        by=None,
    )  # fmt: skip
    refused(
        Conflict, "admitted_on", "overlapping_enrolment", admit,
        section=section_b, admission_no="0100", admitted_on=SCHOOL_DAY, student=zoya, by=None,
    )  # fmt: skip
    # Nothing half-written by any refusal.
    assert Admission.objects.count() == 6 and Student.objects.count() == 6
    assert not AuditEvent.objects.exists()


def test_move_to_another_section_of_the_school(world, section_b) -> None:
    aarav = world.students[0]
    old = Enrolment.objects.get(student=aarav)
    moved = services.student_move(student=aarav, section=section_b, on=SCHOOL_DAY, by=world.ravi)
    old.refresh_from_db()
    assert old.ends_on == D(2026, 11, 17)
    assert (moved.section, moved.starts_on, moved.admission, moved.origin) == (
        section_b,
        SCHOOL_DAY,
        old.admission,
        "repeater",
    )
    assert aarav.pk in {m.id for m in section_roll(world.section, D(2026, 11, 17))}
    assert aarav.pk not in {m.id for m in section_roll(world.section, SCHOOL_DAY)}
    assert aarav.pk in {m.id for m in section_roll(section_b, SCHOOL_DAY)}
    assert AuditEvent.objects.filter(action="enrolment.move", user=world.ravi).count() == 1
    assert not services.admissions_disagreeing().exists()


def test_move_refusals(world, section_b, next_year) -> None:
    aarav = world.students[0]
    move = services.student_move
    # A section of another school: Aarav is not on Khedi's roll.
    refused(
        NotFound, "section", "not_on_roll", move,
        student=aarav, section=world.other_section, on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    refused(
        Conflict, "section", "same_section", move,
        student=aarav, section=world.section, on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    refused(
        Invalid, "starts_on", "ends_before_start", move,
        student=aarav, section=section_b, on=world.year.starts_on, by=None,
    )  # fmt: skip
    later = Section.objects.create(school=world.school, academic_year=next_year, grade=6)
    refused(
        Invalid, "starts_on", "outside_session", move,
        student=aarav, section=later, on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    assert Enrolment.objects.filter(student=aarav).count() == 1


def test_transfer_between_schools_keeps_the_child_record(world) -> None:
    zoya = world.students[1]
    day = D(2026, 11, 19)
    enrolment = services.student_transfer(
        student=zoya, section=world.other_section, admission_no="0050", on=day, by=world.ravi
    )
    left = Admission.objects.get(student=zoya, school=world.school)
    assert (left.left_on, left.leaving_reason) == (SCHOOL_DAY, "Transferred to GPS Khedi")
    assert Enrolment.objects.get(admission=left).ends_on == SCHOOL_DAY
    assert (enrolment.student, enrolment.school, enrolment.origin, enrolment.starts_on) == (
        zoya,
        world.other_school,
        "new",
        day,
    )
    assert enrolment.admission.admission_no == "0050"
    assert zoya.pk in {m.id for m in section_roll(world.section, SCHOOL_DAY)}
    assert zoya.pk not in {m.id for m in section_roll(world.section, day)}
    assert zoya.pk in {m.id for m in section_roll(world.other_section, day)}
    actions = sorted(AuditEvent.objects.values_list("action", "school_id"))
    assert actions == [
        ("admission.admit", world.other_school.pk),
        ("admission.leave", world.school.pk),
    ]
    assert not services.admissions_disagreeing().exists()


def test_transfer_refusals(world) -> None:
    zoya = world.students[1]
    transfer = services.student_transfer
    refused(
        Conflict, "admission_no", "admission_no_taken", transfer,
        student=zoya, section=world.other_section, admission_no="0001", on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    gopal = Student.objects.get(name="Gopal Das")  # already at Khedi
    refused(
        NotFound, "student", "not_on_roll", transfer,
        student=gopal, section=world.other_section, admission_no="0051", on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    refused(
        Invalid, "on", "ends_before_start", transfer,
        student=zoya, section=world.other_section, admission_no="0051",
        on=world.year.starts_on, by=None,
    )  # fmt: skip
    # The refusal after the leaving was written rolled the leaving back too.
    assert Admission.objects.get(student=zoya).left_on is None
    assert Enrolment.objects.get(student=zoya).ends_on is None


def test_promote_a_section_with_repeaters(world, next_year) -> None:
    sixth = Section.objects.create(school=world.school, academic_year=next_year, grade=6)
    fifth = Section.objects.create(school=world.school, academic_year=next_year, grade=5)
    aarav = world.students[0]
    promoted = services.section_promote(
        section=world.section,
        to=sixth,
        repeaters=[aarav.pk],
        repeat_in=fifth,
        by=world.ravi,
    )
    assert {(e.student_id, e.section_id, e.origin) for e in promoted} == {
        (aarav.pk, fifth.pk, "repeater"),
        *((s.pk, sixth.pk, "promoted") for s in world.students[1:]),
    }
    assert {e.starts_on for e in promoted} == {D(2027, 4, 1)}
    ended = Enrolment.objects.filter(section=world.section)
    assert {e.ends_on for e in ended} == {D(2027, 3, 31)}
    assert len(section_roll(sixth, D(2027, 4, 1))) == 4
    assert AuditEvent.objects.filter(action="enrolment.promote").count() == 5
    assert not services.admissions_disagreeing().exists()
    # Twice: they are already on next session's rolls.
    refused(
        Conflict, "on", "overlapping_enrolment", services.section_promote,
        section=world.section, to=sixth, by=None,
    )  # fmt: skip


def test_promote_refusals(world, next_year) -> None:
    promote = services.section_promote
    khedi = Section.objects.create(school=world.other_school, academic_year=next_year, grade=6)
    sixth = Section.objects.create(school=world.school, academic_year=next_year, grade=6)
    same_year = Section.objects.create(school=world.school, academic_year=world.year, grade=6)
    refused(Invalid, "to", "other_school", promote, section=world.section, to=khedi, by=None)
    refused(
        Invalid, "to", "not_later_session", promote, section=world.section, to=same_year, by=None
    )
    refused(
        Invalid, "repeat_in", "required", promote,
        section=world.section, to=sixth, repeaters=[world.students[0].pk], by=None,
    )  # fmt: skip
    refused(
        Invalid, "repeaters", "not_on_roll", promote,
        section=world.section, to=sixth, repeaters=[10**6], repeat_in=sixth, by=None,
    )  # fmt: skip
    refused(
        Invalid, "on", "outside_session", promote,
        section=world.section, to=sixth, on=D(2026, 12, 1), by=None,
    )  # fmt: skip
    assert Enrolment.objects.filter(section=sixth).count() == 0
    assert Enrolment.objects.filter(ends_on__isnull=False).count() == 0


def test_strike_off_keeps_the_last_day_on_the_roll(world) -> None:
    kabir = world.students[3]
    admission = services.student_strike_off(
        student=kabir,
        school=world.school,
        last_day=SCHOOL_DAY,
        reason="Family migrated; TC issued",
        by=world.ravi,
    )
    enrolment = Enrolment.objects.get(student=kabir)
    # The rule: the leaving date is the last day on the roll, and the enrolment's end.
    assert admission.left_on == enrolment.ends_on == SCHOOL_DAY
    assert admission.leaving_reason == "Family migrated; TC issued"
    assert kabir.pk in {m.id for m in section_roll(world.section, SCHOOL_DAY)}
    assert kabir.pk not in {m.id for m in section_roll(world.section, D(2026, 11, 19))}
    assert AuditEvent.objects.get(action="admission.leave").detail["left_on"] == "2026-11-18"


def test_strike_off_refusals(world) -> None:
    kabir = world.students[3]  # on the roll from 1 July
    strike = services.student_strike_off
    refused(
        Invalid, "leaving_reason", "required", strike,
        student=kabir, school=world.school, last_day=SCHOOL_DAY, reason=" ", by=None,
    )  # fmt: skip
    refused(
        Invalid, "left_on", "ends_before_start", strike,
        student=kabir, school=world.school, last_day=D(2026, 6, 30), reason="TC", by=None,
    )  # fmt: skip
    refused(
        NotFound, "student", "not_on_roll", strike,
        student=kabir, school=world.other_school, last_day=SCHOOL_DAY, reason="TC", by=None,
    )  # fmt: skip
    strike(student=kabir, school=world.school, last_day=SCHOOL_DAY, reason="TC", by=None)
    refused(
        NotFound, "student", "not_on_roll", strike,
        student=kabir, school=world.school, last_day=SCHOOL_DAY, reason="TC", by=None,
    )  # fmt: skip


def test_the_leaving_rule_finds_what_disagrees(world) -> None:
    assert not services.admissions_disagreeing().exists()
    kabir, diya = world.students[3], world.students[4]
    # Written around the services, the two dates can disagree: the check finds them.
    Enrolment.objects.filter(student=kabir).update(ends_on=SCHOOL_DAY)
    Admission.objects.filter(student=diya).update(left_on=SCHOOL_DAY, leaving_reason="x")
    assert {a.student_id for a in services.admissions_disagreeing()} == {kabir.pk, diya.pk}
    for student in (kabir, diya):
        with pytest.raises(Conflict) as caught:
            services.admission_check(Admission.objects.get(student=student))
        assert caught.value.code == "leaving_rule"
    # And a service refuses to build on a broken admission rather than spread it.
    with pytest.raises(Conflict):
        services.student_strike_off(
            student=kabir, school=world.school, last_day=SCHOOL_DAY, reason="TC", by=None
        )


def test_the_database_refuses_leaving_before_admission(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Admission.objects.filter(student=world.students[3]).update(left_on=D(2026, 6, 30))


def test_a_service_is_the_outer_transaction_unless_called_nested(world) -> None:
    kabir = world.students[3]
    kwargs = {"student": kabir, "school": world.school, "last_day": SCHOOL_DAY, "reason": "TC"}
    with transaction.atomic():
        with pytest.raises(RuntimeError, match="durable"):
            services.student_strike_off(**kwargs, by=None)
        services.student_strike_off.nested(**kwargs, by=None)
    assert Admission.objects.get(student=kabir).left_on == SCHOOL_DAY
