"""Writes to the organisation tree; paths are kept here, not in save()."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from hazri.common.errors import Invalid
from hazri.org.models import AcademicYear, OrgUnit, School, Section, Subject


# Not durable: the demo generator and the benchmarks build a tree inside a transaction
# of their own; the unit and its path still commit (or roll back) together.
@transaction.atomic
def orgunit_create(
    *, parent: OrgUnit | None, kind: str, code: str, name: str, name_local: str = ""
) -> OrgUnit:
    unit = OrgUnit.objects.create(
        parent=parent,
        kind=kind,
        code=code,
        name=name,
        name_local=name_local,
        path="",
        depth=(parent.depth + 1) if parent else 0,
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def school_create(
    *,
    unit: OrgUnit,
    code: str,
    name: str,
    name_local: str = "",
    start_time: dt.time = dt.time(8, 0),
    timezone: str = "Asia/Kolkata",
    lowest_grade: int = 1,
    highest_grade: int = 12,
) -> School:
    school = School(
        unit=unit,
        unit_path=unit.path,
        code=code,
        name=name,
        name_local=name_local,
        start_time=start_time,
        timezone=timezone,
        lowest_grade=lowest_grade,
        highest_grade=highest_grade,
    )
    school.full_clean()
    school.save()
    return school


def names_set(obj: OrgUnit | School, *, name: str, name_local: str) -> bool:
    """Rename a unit or school (an import's newer name); False when nothing changed."""
    if not name.strip():
        raise Invalid("A name is required.", field="name", code="required")
    if (obj.name, obj.name_local) == (name.strip(), name_local.strip()):
        return False
    obj.name, obj.name_local = name.strip(), name_local.strip()
    _clean(obj, field="name")
    obj.save(update_fields=["name", "name_local"])
    return True


def academic_year_create(
    *, unit: OrgUnit, name: str, starts_on: dt.date, ends_on: dt.date
) -> AcademicYear:
    if ends_on <= starts_on:
        raise Invalid(
            f"The session {name} ends ({ends_on}) before it starts ({starts_on}).",
            field="ends_on",
            code="ends_before_start",
        )
    year = AcademicYear(unit=unit, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    _clean(year, field="name")
    year.save()
    return year


def section_create(
    *, school: School, academic_year: AcademicYear, grade: int, name: str
) -> Section:
    if not 1 <= grade <= 12:
        raise Invalid(f"Class {grade} is not a class 1 to 12.", field="grade", code="bad_grade")
    section = Section(school=school, academic_year=academic_year, grade=grade, name=name.strip())
    _clean(section, field="name")
    section.save()
    return section


def subject_create(*, school: School, code: str, name: str, name_local: str = "") -> Subject:
    subject = Subject(school=school, code=code.strip(), name=name.strip(), name_local=name_local)
    _clean(subject, field="code")
    subject.save()
    return subject


def _clean(obj: OrgUnit | School | AcademicYear | Section | Subject, *, field: str) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        first = next(iter(error.message_dict.values()))[0]
        raise Invalid(first, field=field, code="invalid") from None
