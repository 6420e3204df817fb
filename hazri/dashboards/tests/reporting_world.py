"""A world where each of the reporting page's figures is known (test_reporting.py).

Over the test world's block Ashta (officer Meera), in the 2026-27 session:
- cluster Rampur: GPS Rampur (5 A: Aarav a repeater, Zoya and Bhavna promoted, Kabir
  and Diya new) and GPS Khedi (3 A: Gopal promoted);
- Zoya transferred from Rampur to Khedi on 1 October: Rampur one out, Khedi one in;
- Kabir struck off Rampur on 30 September, admitted nowhere after: one drop-out;
- Diya struck off Rampur on 31 August and admitted again on 1 December: neither;
- Neha, of a school in another district, transferred to Khedi on 5 November: one in
  at Khedi, one out of the other district (outside Meera's area);
- GPS Ashta, attached to the block itself: Ishaan struck off in the last session
  (counted in 2025-26, not in 2026-27), and Meena promoted this session.
- Applications for 2026-27: at Rampur one admitted, one refused, one withdrawn, one
  submitted and one under review (two waiting); at GPS Ashta one asked to correct
  (waiting); at GPS Kolar one submitted. For 2025-26: one admitted at Rampur.
"""

import datetime as dt
from dataclasses import dataclass

from hazri.admissions.models import Application
from hazri.org.models import AcademicYear, OrgUnit, School, Section
from hazri.org.services import orgunit_create, school_create
from hazri.people.models import Admission, Enrolment, Student
from hazri.people.services import student_admit, student_strike_off, student_transfer
from hazri.testing.world import World

LAST_YEAR = (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


@dataclass
class Reporting:
    world: World
    last_year: AcademicYear
    direct_school: School  # GPS Ashta, attached to the block
    far_district: OrgUnit
    far_school: School


def admitted(
    school: School, section: Section, no: str, name: str, on: dt.date, origin: str
) -> Student:
    student = Student.objects.create(name=name, gender="F")
    admission = Admission.objects.create(
        school=school, student=student, admission_no=no, admitted_on=on
    )
    Enrolment.objects.create(
        school=school,
        section=section,
        student=student,
        admission=admission,
        origin=origin,
        starts_on=max(on, section.academic_year.starts_on),
    )
    return student


def applied(school: School, year: AcademicYear, status: str) -> Application:
    n = Application.objects.count() + 1
    return Application.objects.create(
        reference=f"APP{n:05d}",
        school=school,
        academic_year=year,
        grade=1,
        status=status,
        child_name=f"Child {n}",
        gender="F",
        date_of_birth=dt.date(2020, 5, n),
        guardian_name=f"Guardian {n}",
        guardian_phone=f"+9198000{n:05d}",
        relation="mother",
        submitted_on=year.starts_on,
    )


def reporting_world(world: World) -> Reporting:
    head = world.ravi
    last_year = AcademicYear.objects.create(
        unit=world.state, name="2025-26", starts_on=LAST_YEAR[0], ends_on=LAST_YEAR[1]
    )
    aarav, zoya, bhavna, kabir, diya = world.students
    student_transfer(
        student=zoya,
        section=world.other_section,
        admission_no="T01",
        on=dt.date(2026, 10, 1),
        by=head,
    )
    student_strike_off(
        student=kabir,
        school=world.school,
        last_day=dt.date(2026, 9, 30),
        reason="Family migrated",
        by=head,
    )
    student_strike_off(
        student=diya,
        school=world.school,
        last_day=dt.date(2026, 8, 31),
        reason="Long illness",
        by=head,
    )
    student_admit(
        section=world.section,
        student=diya,
        admission_no="R05",
        admitted_on=dt.date(2026, 12, 1),
        by=head,
    )
    far_district = orgunit_create(
        parent=world.state, kind="district", code="MP-BPL", name="Bhopal", name_local="भोपाल"
    )
    far_school = school_create(unit=far_district, code="23320100101", name="GPS Kolar")
    far_section = Section.objects.create(school=far_school, academic_year=world.year, grade=3)
    neha = admitted(far_school, far_section, "K01", "Neha", dt.date(2026, 4, 1), "promoted")
    student_transfer(
        student=neha,
        section=world.other_section,
        admission_no="T02",
        on=dt.date(2026, 11, 5),
        by=head,
    )
    direct = school_create(unit=world.block, code="23370100201", name="GPS Ashta")
    old_section = Section.objects.create(school=direct, academic_year=last_year, grade=8)
    section = Section.objects.create(school=direct, academic_year=world.year, grade=8)
    ishaan = admitted(direct, old_section, "A01", "Ishaan", dt.date(2022, 4, 1), "new")
    student_strike_off(
        student=ishaan, school=direct, last_day=dt.date(2026, 1, 31), reason="Left", by=head
    )
    admitted(direct, section, "A02", "Meena", dt.date(2024, 4, 1), "promoted")
    status = Application.Status
    for found in (status.ADMITTED, status.REFUSED, status.WITHDRAWN, status.SUBMITTED):
        applied(world.school, world.year, found)
    applied(world.school, world.year, status.UNDER_REVIEW)
    applied(direct, world.year, status.CORRECTION_ASKED)
    applied(far_school, world.year, status.SUBMITTED)
    applied(world.school, last_year, status.ADMITTED)
    return Reporting(world, last_year, direct, far_district, far_school)
