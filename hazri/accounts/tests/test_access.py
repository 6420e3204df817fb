"""The permission model's questions, role by role (accounts.access)."""

import datetime as dt

import pytest

from hazri.accounts.access import Action, Actor, Role, restrict
from hazri.accounts.models import User
from hazri.org.models import Section, Subject
from hazri.people.models import Guardian, Guardianship, Posting, Staff, TeachingAssignment
from hazri.testing.world import SCHOOL_DAY, World

START = dt.date(2026, 4, 1)


@pytest.fixture
def maths(world: World) -> Subject:
    return Subject.objects.create(school=world.school, code="MATH", name="Mathematics")


def _assign(world: World, user: User, subject: Subject | None, **dates: dt.date) -> None:
    TeachingAssignment.objects.create(
        school=world.school,
        staff=Staff.objects.get(user=user),
        section=world.section,
        subject=subject,
        starts_on=dates.get("starts_on", START),
        ends_on=dates.get("ends_on"),
    )


def test_the_head_outranks_his_teaching_post(world: World) -> None:
    Posting.objects.create(
        staff=Staff.objects.get(user=world.ravi),
        school=world.school,
        role=Posting.Role.TEACHER,
        starts_on=START,
    )
    assert Actor(world.ravi).role_at(world.school.pk, SCHOOL_DAY) == Role.HEAD


def test_a_subject_teacher_grades_only_their_subject(world: World, maths: Subject) -> None:
    hindi = Subject.objects.create(school=world.school, code="HIN", name="Hindi")
    _assign(world, world.asha, maths)
    asha = Actor(world.asha)
    grade = {"section": world.section, "day": SCHOOL_DAY}
    assert asha.may(Action.GRADE, world.school, subject_id=maths.pk, **grade) == Role.TEACHER
    assert asha.may(Action.GRADE, world.school, subject_id=hindi.pk, **grade) is None
    # Another section of the school: not theirs to grade.
    other = Section.objects.create(school=world.school, academic_year=world.year, grade=4)
    assert asha.may(Action.GRADE, world.school, section=other, day=SCHOOL_DAY) is None
    # The head grades anything in his school; an officer nothing.
    assert Actor(world.ravi).may(Action.GRADE, world.school, **grade) == Role.HEAD
    assert Actor(world.meera).may(Action.GRADE, world.school, **grade) is None


def test_restricting_sections_for_grading_keeps_a_teachers_own(world: World, maths) -> None:
    other = Section.objects.create(school=world.school, academic_year=world.year, grade=4)
    _assign(world, world.asha, maths)
    sections = Section.objects.all()
    assert set(restrict(sections, Actor(world.asha), Action.GRADE)) == {world.section}
    assert set(restrict(sections, Actor(world.asha), Action.VIEW)) == {world.section, other}
    assert set(restrict(sections, Actor(world.ravi), Action.GRADE)) == {world.section, other}
    # An officer sees the sections of the area, and grades none.
    assert world.other_section in restrict(sections, Actor(world.meera), Action.VIEW)
    assert not restrict(sections, Actor(world.meera), Action.GRADE).exists()


def test_an_assignment_is_judged_on_the_day(world: World) -> None:
    _assign(world, world.asha, None, ends_on=SCHOOL_DAY)
    asha = Actor(world.asha)
    mark = {"section": world.section, "marking_scope": "assigned"}
    assert asha.may(Action.MARK, world.school, day=SCHOOL_DAY, **mark) == Role.TEACHER
    after = SCHOOL_DAY + dt.timedelta(days=1)
    assert asha.may(Action.MARK, world.school, day=after, **mark) is None
    # Under the default scope any teacher of the school marks any section.
    assert asha.may(Action.MARK, world.school, day=after, section=world.section) == Role.TEACHER


def test_a_parent_and_a_student_see_only_their_own(world: World) -> None:
    zoya = world.students[1]
    assert Actor(world.imran).is_family(zoya.pk)
    assert not Actor(world.imran).is_family(world.students[0].pk)
    assert Actor(world.imran).may(Action.VIEW, world.school) is None
    pupil = User.objects.create_user("zoya")
    zoya.user = pupil
    zoya.save(update_fields=["user"])
    assert Actor(pupil).is_family(zoya.pk) and Actor(pupil).own_student == zoya.pk
    # A guardian of two children in two schools sees both.
    other = world.other_section.enrolments.get().student
    Guardianship.objects.create(
        guardian=Guardian.objects.get(user=world.imran), student=other, relation="father"
    )
    assert Actor(world.imran).children == {zoya.pk, other.pk}


def test_a_superuser_decides_but_does_not_mark(world: World) -> None:
    root = User.objects.create_superuser("root", password="x")
    actor = Actor(root)
    assert actor.may(Action.APPROVE, world.school) == Role.SUPERUSER
    assert actor.may(Action.MARK, world.school, day=SCHOOL_DAY) is None
    assert restrict(Section.objects.all(), actor, Action.VIEW).count() == 2


def test_a_school_administrator_who_also_teaches_marks(world: World) -> None:
    """Every role held that day counts: the highest is only what is reported."""
    Posting.objects.create(
        staff=Staff.objects.get(user=world.asha),
        school=world.school,
        role=Posting.Role.ADMIN,
        starts_on=START,
    )
    asha = Actor(world.asha)
    assert asha.role_at(world.school.pk, SCHOOL_DAY) == Role.SCHOOL_ADMIN
    marks = asha.may(Action.MARK, world.school, section=world.section, day=SCHOOL_DAY)
    assert marks == Role.TEACHER
    assert asha.may(Action.ADMIT, world.school, day=SCHOOL_DAY) == Role.SCHOOL_ADMIN


def test_an_ended_assignment_grades_nothing(world: World, maths: Subject) -> None:
    _assign(world, world.asha, maths, ends_on=dt.date(2026, 5, 1))
    asha = Actor(world.asha)
    assert not restrict(Section.objects.all(), asha, Action.GRADE).exists()
    on_the_day = restrict(Section.objects.all(), asha, Action.GRADE, day=dt.date(2026, 4, 20))
    assert list(on_the_day) == [world.section]
