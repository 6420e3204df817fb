"""Writes to the organisation tree; paths are kept here, not in save()."""

import datetime as dt

from django.db import transaction

from hazri.org.models import OrgUnit, School


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
