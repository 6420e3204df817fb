"""The admissions tests' small world on top of the shared one: class 1 sections at
Rampur and Khedi, seat plans, a family's details and documents."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from hazri.admissions.models import Application, SeatPlan
from hazri.admissions.services import Details, Family, application_submit
from hazri.common.files import Upload
from hazri.org.models import Section
from hazri.testing.world import World

PDF = b"%PDF-1.4\n% birth certificate\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PHONE = "9876543210"


@dataclass
class AdmWorld:
    world: World
    rampur_1: Section
    khedi_1: Section


def build_admissions(world: World, *, rampur_seats: int = 2, khedi_seats: int = 2) -> AdmWorld:
    rampur_1 = Section.objects.create(
        school=world.school, academic_year=world.year, grade=1, name="A"
    )
    khedi_1 = Section.objects.create(
        school=world.other_school, academic_year=world.year, grade=1, name="A"
    )
    SeatPlan.objects.create(
        school=world.school, academic_year=world.year, grade=1, seats=rampur_seats
    )
    SeatPlan.objects.create(
        school=world.other_school, academic_year=world.year, grade=1, seats=khedi_seats
    )
    return AdmWorld(world, rampur_1, khedi_1)


def details(**changes: Any) -> Details:
    base: dict[str, Any] = {
        "child_name": "Aarav Sharma",
        "child_name_local": "आरव शर्मा",
        "gender": "M",
        "date_of_birth": dt.date(2020, 6, 1),
        "guardian_name": "Sunita Sharma",
        "guardian_phone": PHONE,
        "relation": "mother",
        "state_id": "",
    }
    base.update(changes)
    return Details(**base)


def documents(**extra: Upload) -> dict[str, Upload]:
    return {"birth_certificate": Upload("birth.pdf", PDF), **extra}


def apply(
    aw: AdmWorld,
    *,
    family: Family | None = None,
    schools: list[int] | None = None,
    **changes: Any,
) -> Application:
    world = aw.world
    return application_submit(
        family=family or Family(phone=PHONE),
        academic_year_id=world.year.pk,
        grade=1,
        school_ids=schools or [world.school.pk, world.other_school.pk],
        details=details(**changes),
        documents=documents(),
    )


def matrix_application(section: Section, *, user: Any = None, phone: str = "") -> int:
    """An application for the section's class held by its school (the authorization
    matrix's and the GET-never-writes test's), by a signed-in parent or a phone."""
    family = Family(user=user, phone=phone)
    return application_submit(
        family=family,
        academic_year_id=section.academic_year_id,
        grade=section.grade,
        school_ids=[section.school_id],
        details=details(
            child_name=f"Matrix child {section.pk}", guardian_phone=phone or "9111111111"
        ),
        documents=documents(),
    ).pk


def code_from_log(text: str) -> str:
    """The last one-time code notify's console channel logged (in any language)."""
    found = re.findall(r"\(admission_code\) to \S+: [^\n]*?\b([0-9]{6})\b", text)
    assert found, text
    return str(found[-1])
