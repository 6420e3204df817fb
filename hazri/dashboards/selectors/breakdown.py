"""An area's figures by the next level down, read live in rounds of schools: its child
units, and the schools attached to the unit itself (all of them when it has no child
units). Shared by the pages that count from the schools' own tables (photos, learning)."""

from collections.abc import Iterator

from hazri.dashboards.selectors.figures import under
from hazri.org.models import OrgUnit, School

# Schools read per round: a state's tens of thousands of ids stay under SQLite's bound
# on a statement's parameters and keep PostgreSQL's plans small.
SCHOOLS_PER_READ = 5_000


def next_level(unit: OrgUnit) -> list[tuple[str, int, str, str]]:
    """(kind, id, name, name_local) of the unit's child units, then of its own schools:
    kind is "unit" or "school"."""
    units = [
        ("unit", child.pk, child.name, child.name_local)
        for child in OrgUnit.objects.filter(parent=unit).order_by("name")
    ]
    schools = [
        ("school", school.pk, school.name, school.name_local)
        for school in School.objects.filter(unit=unit).order_by("name")
    ]
    return units + schools


def child_of(unit: OrgUnit, unit_path: str) -> int | None:
    """The child unit of `unit` whose subtree holds a school of this unit path (None:
    the school is attached to `unit` itself)."""
    below = unit_path[len(unit.path) :].strip("/")
    return int(below.split("/")[0]) if below else None


def school_rounds(unit: OrgUnit, size: int) -> Iterator[list[tuple[int, tuple[str, int]]]]:
    """The schools under the unit in rounds of `size`: (school id, the key of the
    next-level row it counts in: ("unit", child id) or ("school", its own id))."""
    schools = list(School.objects.filter(under(unit.path)).values_list("pk", "unit_path"))
    for first in range(0, len(schools), size):
        chunk = schools[first : first + size]
        yield [
            (pk, ("school", pk) if (child := child_of(unit, path)) is None else ("unit", child))
            for pk, path in chunk
        ]
