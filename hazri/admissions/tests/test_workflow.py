"""An application's way through a school: apply, review, correct, admit or refuse,
passing to the next preference; duplicates caught; every step logged."""

import datetime as dt

import pytest

from hazri.admissions import selectors
from hazri.admissions.models import Application, ApplicationEvent, Preference
from hazri.admissions.services import (
    Family,
    application_admit,
    application_correction_ask,
    application_refuse,
    application_resubmit,
    application_review,
    application_withdraw,
    seat_plan_set,
)
from hazri.common.errors import Conflict, Forbidden, Invalid, NotFound
from hazri.common.files import Upload
from hazri.people.models import Admission, Enrolment, Guardianship, Student

from .adm_world import PHONE, PNG, AdmWorld, apply, details, documents

S = Application.Status
pytestmark = pytest.mark.django_db


def _statuses(application: Application) -> list[str]:
    return list(
        ApplicationEvent.objects.filter(application=application)
        .order_by("at", "pk")
        .values_list("status", flat=True)
    )


def test_apply_correct_resubmit_admit(aw: AdmWorld) -> None:
    world = aw.world
    application = apply(aw, state_id="")
    assert application.status == S.SUBMITTED and application.school_id == world.school.pk
    assert [p.outcome for p in selectors.preferences(application)] == ["considering", "waiting"]

    application_review(application=application, by=world.ravi)
    application_correction_ask(
        application=application, note="The birth certificate is unreadable", by=world.ravi
    )
    application.refresh_from_db()
    assert application.status == S.CORRECTION_ASKED
    assert application.correction_note == "The birth certificate is unreadable"

    application_resubmit(
        application=application,
        family=Family(phone=PHONE),
        details=details(child_name="Aarav Kumar Sharma"),
        documents=documents(photo=Upload("me.png", PNG)),
    )
    application.refresh_from_db()
    assert application.status == S.RESUBMITTED and application.child_name == "Aarav Kumar Sharma"
    assert {d.kind for d in selectors.documents(application)} == {"birth_certificate", "photo"}

    taken = set(
        Admission.objects.filter(school=world.school).values_list("admission_no", flat=True)
    )
    application_admit(application=application, section_id=aw.rampur_1.pk, by=world.ravi)
    application.refresh_from_db()
    assert application.status == S.ADMITTED
    admission = application.admission
    assert admission is not None and admission.school_id == world.school.pk
    assert admission.admission_no not in taken
    assert int(admission.admission_no) == max(int(n) for n in taken) + 1
    enrolment = Enrolment.objects.get(admission=admission)
    assert enrolment.section_id == aw.rampur_1.pk and enrolment.origin == "new"
    student = enrolment.student
    assert student.name == "Aarav Kumar Sharma"
    # The applying mother is the child's guardian now.
    link = Guardianship.objects.get(student=student)
    assert link.guardian.phone == PHONE and link.relation == "mother"
    assert _statuses(application) == [
        "submitted",
        "under_review",
        "correction_asked",
        "resubmitted",
        "admitted",
    ]
    # Every step says who took it.
    by = [(e.by_id, e.by_phone) for e in selectors.events(application)]
    assert by == [
        (None, PHONE),
        (world.ravi.pk, ""),
        (world.ravi.pk, ""),
        (None, PHONE),
        (world.ravi.pk, ""),
    ]


def test_a_known_state_id_admits_the_same_student(aw: AdmWorld) -> None:
    world = aw.world
    old = Student.objects.create(name="Meena", gender="F", state_id="SAM-LIFE-1")
    application = apply(aw, child_name="Meena Devi", gender="F", state_id="SAM-LIFE-1")
    application_admit(application=application, section_id=aw.rampur_1.pk, by=world.ravi)
    application.refresh_from_db()
    assert application.admission is not None
    assert application.admission.student_id == old.pk
    assert Student.objects.filter(state_id="SAM-LIFE-1").count() == 1


def test_refusal_for_lack_of_seats_passes_to_the_next_preference(aw: AdmWorld) -> None:
    world = aw.world
    application = apply(aw)
    application_refuse(
        application=application, reason="Class 1 is full", no_seats=True, by=world.ravi
    )
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.school_id == world.other_school.pk
    outcomes = [(p.school_id, p.outcome) for p in selectors.preferences(application)]
    assert outcomes == [
        (world.school.pk, Preference.Outcome.NO_SEATS),
        (world.other_school.pk, Preference.Outcome.CONSIDERING),
    ]
    # Rampur no longer sees it; Khedi's head would (Ravi is not posted there).
    with pytest.raises(Forbidden):
        application_review(application=application, by=world.ravi)
    # The last preference refusing ends it.
    application_refuse(
        application=application, reason="Full too", no_seats=True, by=_khedi_head(world)
    )
    application.refresh_from_db()
    assert application.status == S.REFUSED and application.refusal_reason == "Full too"
    assert _statuses(application) == ["submitted", "refused", "submitted", "refused"]


def test_refusal_for_another_reason_ends_it(aw: AdmWorld) -> None:
    application = apply(aw)
    application_refuse(application=application, reason="Too young for class 1", by=aw.world.ravi)
    application.refresh_from_db()
    assert application.status == S.REFUSED and application.school_id == aw.world.school.pk
    with pytest.raises(Invalid):
        application_refuse(
            application=apply(aw, child_name="Other child"), reason=" ", by=aw.world.ravi
        )


def test_no_seats_left_refuses_to_admit(aw: AdmWorld) -> None:
    world = aw.world
    seat_plan_set(school=world.school, academic_year=world.year, grade=1, seats=1, by=world.ravi)
    first = apply(aw, child_name="First Child", date_of_birth=dt.date(2020, 1, 1))
    second = apply(aw, child_name="Second Child", date_of_birth=dt.date(2020, 2, 2))
    application_admit(application=first, section_id=aw.rampur_1.pk, by=world.ravi)
    (row,) = selectors.seats(world.school, world.year, 1)
    assert (row.seats, row.admitted, row.left, row.waiting) == (1, 1, 0, 1)
    with pytest.raises(Conflict) as refused:
        application_admit(application=second, section_id=aw.rampur_1.pk, by=world.ravi)
    assert refused.value.code == "no_seats"
    second.refresh_from_db()
    assert second.status == S.SUBMITTED


def test_seats_left_counts_the_roll(aw: AdmWorld) -> None:
    world = aw.world
    (row,) = selectors.seats(world.school, world.year, 5)  # 5 A: five on the roll, no plan
    assert (row.seats, row.on_roll, row.left) == (None, 5, None)
    seat_plan_set(school=world.school, academic_year=world.year, grade=5, seats=7, by=world.ravi)
    (row,) = selectors.seats(world.school, world.year, 5)
    assert (row.seats, row.on_roll, row.admitted, row.left) == (7, 5, 0, 2)


def test_duplicates_are_caught(aw: AdmWorld) -> None:
    apply(aw, state_id="SAM-NEW-1")
    with pytest.raises(Conflict) as same_id:
        apply(aw, state_id="SAM-NEW-1", child_name="Another Name", guardian_phone="9000000001")
    assert same_id.value.code == "duplicate_application" and same_id.value.field == "state_id"
    with pytest.raises(Conflict) as same_child:
        apply(aw, child_name="aarav  SHARMA")  # same name, birth date and phone
    assert same_child.value.code == "duplicate_application"
    # A twin (another name) is no duplicate.
    apply(aw, child_name="Anaya Sharma", gender="F")


def test_a_child_on_a_roll_is_caught(aw: AdmWorld) -> None:
    on_roll = aw.world.students[0]
    assert on_roll.state_id
    with pytest.raises(Conflict) as caught:
        apply(aw, state_id=on_roll.state_id, child_name=on_roll.name)
    assert caught.value.code == "on_roll" and "GPS Rampur" in caught.value.message


def test_withdrawn_frees_the_child_for_a_new_application(aw: AdmWorld) -> None:
    application = apply(aw, state_id="SAM-NEW-2")
    with pytest.raises(NotFound):  # withdrawing is the family's, through its selector
        selectors.application_of_family(Family(phone="9111111111"), application.pk)
    application_withdraw(application=application, family=Family(phone=PHONE), reason="Moved")
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    with pytest.raises(Conflict):
        application_review(application=application, by=aw.world.ravi)
    apply(aw, state_id="SAM-NEW-2")


def test_steps_out_of_order_are_refused(aw: AdmWorld) -> None:
    application = apply(aw)
    with pytest.raises(Conflict) as refused:
        application_resubmit(
            application=application,
            family=Family(phone=PHONE),
            details=details(),
            documents={},
        )
    assert refused.value.code == "bad_step"
    application_admit(application=application, section_id=aw.rampur_1.pk, by=aw.world.ravi)
    with pytest.raises(Conflict):
        application_refuse(application=application, reason="Changed mind", by=aw.world.ravi)


def test_only_the_schools_admitters_act(aw: AdmWorld) -> None:
    application = apply(aw)
    for user in (aw.world.asha, aw.world.meera, aw.world.imran):
        with pytest.raises(Forbidden):
            application_review(application=application, by=user)
    with pytest.raises(Forbidden):
        seat_plan_set(
            school=aw.world.school, academic_year=aw.world.year, grade=1, seats=9, by=aw.world.asha
        )


def test_admitting_to_another_class_is_refused(aw: AdmWorld) -> None:
    application = apply(aw)
    with pytest.raises(NotFound) as refused:
        application_admit(application=application, section_id=aw.world.section.pk, by=aw.world.ravi)
    assert refused.value.field == "section"
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.admission is None


def test_bad_details_name_the_field(aw: AdmWorld) -> None:
    cases = [
        ({"child_name": "  "}, "child_name"),
        ({"gender": "X"}, "gender"),
        ({"relation": "uncle"}, "relation"),
        ({"guardian_phone": "12ab"}, "guardian_phone"),
        ({"guardian_email": "not-mail"}, "guardian_email"),
        ({"date_of_birth": dt.date(1990, 1, 1)}, "date_of_birth"),
        ({"child_name": "A\x00B"}, "child_name"),
        ({"address": "x" * 301}, "address"),
    ]
    for changes, field in cases:
        with pytest.raises(Invalid) as refused:
            apply(aw, **changes)
        assert refused.value.field == field, changes
    assert not Application.objects.exists()


def test_preferences_are_checked(aw: AdmWorld) -> None:
    world = aw.world
    with pytest.raises(Invalid):
        apply(aw, schools=[world.school.pk, world.school.pk])
    with pytest.raises(NotFound) as missing:
        apply(aw, schools=[world.school.pk, 10**9])
    assert missing.value.field == "schools[1]"
    assert not Application.objects.exists()


def _khedi_head(world):  # type: ignore[no-untyped-def]
    from hazri.accounts.models import User
    from hazri.people.models import Posting, Staff

    user = User.objects.create_user("kavita", password="x")
    staff = Staff.objects.create(employee_code="EMP-KH", name="Kavita", gender="F", user=user)
    Posting.objects.create(
        staff=staff, school=world.other_school, role="head", starts_on=dt.date(2026, 4, 1)
    )
    return user
