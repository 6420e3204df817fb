"""A roster file read into each school's entries (and the rows refused on the way):
shared by the preview and the import, which reads the stored file again.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from hazri.common.tabular import read_table
from hazri.org.models import School, Section
from hazri.people.services.hr import HrEntry
from hazri.people.services.register import RegisterEntry
from hazri.rosters import layouts as L
from hazri.rosters.layouts import RowError


@dataclass(frozen=True)
class Refusal:
    line: int
    school_id: int | None
    key: str
    name: str
    column: str
    reason: str


@dataclass
class Parsed:
    rows: int = 0
    schools: dict[int, School] = field(default_factory=dict)
    entries: dict[int, list[Any]] = field(default_factory=dict)  # school id -> entries
    lines: dict[int, int] = field(default_factory=dict)  # school id -> rows in the file
    refused: list[Refusal] = field(default_factory=list)


def read_file(
    data: bytes,
    *,
    kind: str,
    columns: dict[str, str],
    date_formats: list[str],
    reach: Callable[[set[str]], dict[str, School]],
    on: dt.date,
    field_name: str = "file",
) -> Parsed:
    """The file's rows checked and grouped by school. Whole-file faults (encoding,
    missing or unknown columns, a repeated key) are an Invalid; a row that names a school
    `reach` does not give (the schools by code, of the codes asked) is refused like one
    that does not exist."""
    table = L.renamed(read_table(data, field=field_name), kind, columns, field=field_name)
    L.refuse_duplicates(table, kind, field=field_name)
    parsed = Parsed(rows=len(table))
    schools = reach({row.get("school_code", "") for _line, row in table})
    sections: dict[tuple[int, int, str], Section] = {}
    if kind == "students":
        for section in Section.objects.filter(
            school__in=list(schools.values()),
            academic_year__starts_on__lte=on,
            academic_year__ends_on__gte=on,
        ).select_related("academic_year"):
            sections[(section.school_id, section.grade, section.name.casefold())] = section
    for line, row in table:
        key = row.get(L.KEYS[kind], "")
        school = schools.get(row.get("school_code", ""))
        if school is None:
            reason = _("No school %(code)s in your area.") % {"code": row.get("school_code", "")}
            parsed.refused.append(
                Refusal(line, None, key, row.get("name", ""), "school_code", reason)
            )
            continue
        parsed.schools[school.pk] = school
        parsed.lines[school.pk] = parsed.lines.get(school.pk, 0) + 1
        try:
            if kind == "students":
                entry: Any = _student(line, row, school, sections, date_formats)
            else:
                entry = _staff(line, row, date_formats)
        except RowError as error:
            parsed.refused.append(
                Refusal(line, school.pk, key, row.get("name", ""), error.column, error.reason)
            )
            continue
        parsed.entries.setdefault(school.pk, []).append(entry)
    return parsed


def _student(
    line: int,
    row: dict[str, str],
    school: School,
    sections: dict[tuple[int, int, str], Section],
    formats: list[str],
) -> RegisterEntry:
    grade = L.number(row, "class", 1, 12)
    if grade is None:
        raise RowError("class", _("A value is required."))
    name = L.required(row, "section", 10)
    section = sections.get((school.pk, grade, name.casefold()))
    if section is None:
        raise RowError(
            "section",
            _("%(school)s has no section %(grade)s %(name)s this session.")
            % {"school": school.name, "grade": grade, "name": name},
        )
    relation = row.get("guardian_relation", "")
    return RegisterEntry(
        line=line,
        state_id=L.required(row, "state_id", 32),
        name=L.required(row, "name"),
        gender=L.one_of(row, "gender", L.GENDERS, upper=True),
        section=section,
        admission_no=L.required(row, "admission_no", 20),
        admitted_on=L.parse_date(L.required(row, "admitted_on"), formats, "admitted_on"),
        name_local=L.bounded(row.get("name_local", ""), "name_local", 200),
        date_of_birth=L.optional_date(row, "date_of_birth", formats),
        roll_no=L.number(row, "roll_no", 1, 999),
        guardian_name=L.bounded(row.get("guardian_name", ""), "guardian_name", 200),
        guardian_phone=L.phone(row, "guardian_phone"),
        guardian_relation=(
            L.one_of(row, "guardian_relation", L.RELATIONS, upper=False) if relation else ""
        ),
    )


def _staff(line: int, row: dict[str, str], formats: list[str]) -> HrEntry:
    return HrEntry(
        line=line,
        employee_code=L.required(row, "employee_code", 32),
        name=L.required(row, "name"),
        gender=L.one_of(row, "gender", L.GENDERS, upper=True),
        role=L.one_of(row, "role", L.ROLES, upper=False),
        starts_on=L.optional_date(row, "starts_on", formats),
        name_local=L.bounded(row.get("name_local", ""), "name_local", 200),
        phone=L.phone(row, "phone"),
    )
