"""Postings, teaching assignments and guardianships through their services."""

import datetime as dt

import pytest

from hazri.audit.models import AuditEvent
from hazri.common.errors import Conflict, Invalid
from hazri.org.models import Subject
from hazri.people import services
from hazri.people.models import Guardian, Guardianship, Posting, Staff, TeachingAssignment
from hazri.people.selectors import school_staff_roll
from hazri.people.tests.test_students import refused
from hazri.testing.world import SCHOOL_DAY

D = dt.date


@pytest.fixture
def kamla(world) -> Staff:
    return Staff.objects.create(employee_code="EMP009", name="Kamla Devi", gender="F")


def test_post_and_unpost_staff(world, kamla) -> None:
    posting = services.staff_post(
        staff=kamla, school=world.school, role="admin", starts_on=SCHOOL_DAY, by=world.ravi
    )
    assert "Kamla Devi" in [m.name for m in school_staff_roll(world.school, SCHOOL_DAY)]
    assert AuditEvent.objects.get(action="posting.start").object_id == str(posting.pk)
    services.posting_end(posting=posting, ends_on=D(2026, 11, 19), by=world.ravi)
    posting.refresh_from_db()
    assert posting.ends_on == D(2026, 11, 19)
    assert "Kamla Devi" not in [m.name for m in school_staff_roll(world.school, D(2026, 11, 20))]
    assert AuditEvent.objects.filter(action="posting.end", user=world.ravi).count() == 1


def test_posting_refusals(world, kamla) -> None:
    post = services.staff_post
    asha = world.staff[1]
    refused(
        Invalid, "role", "bad_role", post,
        staff=kamla, school=world.school, role="janitor", starts_on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    refused(
        Invalid, "ends_on", "ends_before_start", post,
        staff=kamla, school=world.school, role="teacher", starts_on=SCHOOL_DAY,
        ends_on=D(2026, 11, 1), by=None,
    )  # fmt: skip
    refused(
        Conflict, "starts_on", "overlapping_posting", post,
        staff=asha, school=world.school, role="teacher", starts_on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    refused(
        Conflict, "role", "second_head", post,
        staff=kamla, school=world.school, role="head", starts_on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    posting = Posting.objects.get(staff=asha)
    refused(
        Invalid, "ends_on", "ends_before_start", services.posting_end,
        posting=posting, ends_on=D(2026, 3, 1), by=None,
    )  # fmt: skip
    services.posting_end(posting=posting, ends_on=SCHOOL_DAY, by=None)
    refused(
        Conflict, "ends_on", "ended", services.posting_end,
        posting=posting, ends_on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    assert Posting.objects.count() == 3


def test_assign_a_class_teacher_and_a_subject_teacher(world) -> None:
    asha, ravi = world.staff[1], world.staff[0]
    maths = Subject.objects.create(school=world.school, code="MATH", name="Mathematics")
    class_teacher = services.assignment_start(
        staff=asha, section=world.section, starts_on=world.year.starts_on, by=world.ravi
    )
    assert class_teacher.is_class_teacher and class_teacher.school == world.school
    subject = services.assignment_start(
        staff=ravi, section=world.section, subject=maths, starts_on=SCHOOL_DAY, by=world.ravi
    )
    assert (subject.subject, subject.starts_on, subject.ends_on) == (maths, SCHOOL_DAY, None)
    services.assignment_end(assignment=subject, ends_on=D(2026, 11, 30), by=world.ravi)
    subject.refresh_from_db()
    assert subject.ends_on == D(2026, 11, 30)
    assert [e.action for e in AuditEvent.objects.order_by("pk")] == [
        "assignment.start",
        "assignment.start",
        "assignment.end",
    ]


def test_assignment_refusals(world) -> None:
    asha, ravi, suresh = world.staff
    start = services.assignment_start
    other = Subject.objects.create(school=world.other_school, code="HIN", name="Hindi")
    refused(
        Invalid, "staff", "not_posted", start,
        staff=suresh, section=world.section, starts_on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    refused(
        Invalid, "starts_on", "outside_session", start,
        staff=asha, section=world.section, starts_on=D(2026, 3, 1), by=None,
    )  # fmt: skip
    refused(
        Invalid, "subject", "other_school", start,
        staff=asha, section=world.section, subject=other, starts_on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    refused(
        Invalid, "ends_on", "ends_before_start", start,
        staff=asha, section=world.section, starts_on=SCHOOL_DAY, ends_on=D(2026, 11, 1), by=None,
    )  # fmt: skip
    first = start(staff=asha, section=world.section, starts_on=SCHOOL_DAY, by=None)
    refused(
        Conflict, "section", "overlapping_assignment", start,
        staff=ravi, section=world.section, starts_on=D(2026, 12, 1), by=None,
    )  # fmt: skip
    services.assignment_end(assignment=first, ends_on=SCHOOL_DAY, by=None)
    refused(
        Conflict, "ends_on", "ended", services.assignment_end,
        assignment=first, ends_on=SCHOOL_DAY, by=None,
    )  # fmt: skip
    assert TeachingAssignment.objects.count() == 1


def test_ending_a_posting_ends_the_assignments_it_carried(world) -> None:
    asha = world.staff[1]
    assignment = services.assignment_start(
        staff=asha, section=world.section, starts_on=world.year.starts_on, by=None
    )
    services.posting_end(posting=Posting.objects.get(staff=asha), ends_on=SCHOOL_DAY, by=None)
    assignment.refresh_from_db()
    assert assignment.ends_on == SCHOOL_DAY


def test_link_and_unlink_a_guardian(world) -> None:
    imran = Guardian.objects.get(user=world.imran)
    ayaan = world.students[3]
    link = services.guardian_link(guardian=imran, student=ayaan, relation="father", by=world.ravi)
    assert set(imran.children.all()) == {world.students[1], ayaan}
    refused(
        Conflict, "student", "already_linked", services.guardian_link,
        guardian=imran, student=ayaan, relation="father", by=None,
    )  # fmt: skip
    refused(
        Invalid, "relation", "bad_relation", services.guardian_link,
        guardian=imran, student=world.students[4], relation="uncle-ish", by=None,
    )  # fmt: skip
    services.guardian_unlink(guardianship=link, by=world.ravi)
    assert not Guardianship.objects.filter(pk=link.pk).exists()
    unlinked = AuditEvent.objects.get(action="guardianship.unlink")
    assert unlinked.detail == {"guardian": imran.pk, "student": ayaan.pk, "relation": "father"}
    refused(Conflict, "guardianship", "gone", services.guardian_unlink, guardianship=link, by=None)
