import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hazri.accounts.models import User
from hazri.credentials.testing import install_signing_key
from hazri.org.models import AcademicYear, Section
from hazri.people.models import Posting, Staff
from hazri.registers.services import exam_result_set
from hazri.testing.world import PASSWORD, World


@pytest.fixture
def signing(db: None, settings: Any, tmp_path: Path) -> None:
    """A signing key: transfer certificates are signed documents (hazri.credentials)."""
    install_signing_key(settings, tmp_path)


@dataclass
class NextYear:
    year: AcademicYear
    up: Section  # class 6 A at Rampur, next session
    same: Section  # class 5 A at Rampur, next session


def next_year_of(world: World) -> NextYear:
    starts = world.year.ends_on + dt.timedelta(days=1)
    year = AcademicYear.objects.create(
        unit=world.state, name="2027-28", starts_on=starts, ends_on=starts + dt.timedelta(days=364)
    )
    return NextYear(
        year=year,
        up=Section.objects.create(school=world.school, academic_year=year, grade=6, name="A"),
        same=Section.objects.create(school=world.school, academic_year=year, grade=5, name="A"),
    )


@pytest.fixture
def next_year(world: World) -> NextYear:
    return next_year_of(world)


def results(world: World, *outcomes: str) -> None:
    """The session results of 5 A's five children, in the world's order."""
    for student, outcome in zip(world.students, outcomes, strict=True):
        exam_result_set(section=world.section, student=student, result=outcome, by=world.ravi)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Khedi:
    head: User
    section: Section  # class 5 A at Khedi, this session


@pytest.fixture
def khedi(world: World) -> Khedi:
    """The other school's head (Kavita) and its class 5."""
    return khedi_of(world)


def khedi_of(world: World) -> Khedi:
    """The other school's head (Kavita) and its class 5."""
    head = User.objects.create_user("kavita", password=PASSWORD, first_name="Kavita")
    staff = Staff.objects.create(employee_code="EMP020", name="Kavita", gender="F", user=head)
    Posting.objects.create(
        staff=staff, school=world.other_school, role="head", starts_on=dt.date(2026, 4, 1)
    )
    section = Section.objects.create(
        school=world.other_school, academic_year=world.year, grade=5, name="A"
    )
    return Khedi(head=head, section=section)
