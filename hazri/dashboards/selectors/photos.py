"""Photo attendance in the field (SPEC §2.4): by the next level down, the share of roll
calls made from class photos, and how often teachers corrected the proposal (present
→ absent, absent → present, per 100 children reviewed): the field's own measure of
recognition quality.

Read live from the roll calls and photo sets (not from the rollups): one query for
the area's schools, then hazri.faces' two reads per school, filtered on school_id."""

import datetime as dt
from dataclasses import dataclass

from hazri.common.figures import percent
from hazri.dashboards.selectors import breakdown
from hazri.dashboards.selectors.breakdown import next_level
from hazri.faces.selectors import Adoption, adoption_by_school
from hazri.org.models import OrgUnit

# Schools read per round of the two queries (breakdown.SCHOOLS_PER_READ).
SCHOOLS_PER_READ = breakdown.SCHOOLS_PER_READ


@dataclass
class PhotoRow:
    kind: str  # "unit" or "school"
    id: int
    name: str
    name_local: str
    schools: int = 0
    schools_with_photos: int = 0  # at least one roll call from photos in the period
    rollcalls: int = 0
    from_photos: int = 0
    children: int = 0  # children on the photo sets teachers reviewed
    to_absent: int = 0  # proposed present, marked absent by the teacher
    to_present: int = 0  # proposed not seen, marked present

    def add(self, school: Adoption) -> None:
        self.schools += 1
        self.schools_with_photos += school.from_photos > 0
        self.rollcalls += school.rollcalls
        self.from_photos += school.from_photos
        self.children += school.children
        self.to_absent += school.to_absent
        self.to_present += school.to_present

    @property
    def photo_pct(self) -> float | None:
        """Share of the roll calls made from photos."""
        return percent(self.from_photos, self.rollcalls)

    @property
    def to_absent_per_100(self) -> float | None:
        """Present → absent corrections for every 100 children reviewed."""
        return percent(self.to_absent, self.children)

    @property
    def to_present_per_100(self) -> float | None:
        """Absent → present corrections for every 100 children reviewed."""
        return percent(self.to_present, self.children)


@dataclass(frozen=True)
class PhotoReport:
    unit: OrgUnit
    start: dt.date
    end: dt.date
    total: PhotoRow
    rows: list[PhotoRow]


def photo_adoption(*, unit: OrgUnit, start: dt.date, end: dt.date) -> PhotoReport:
    """The unit's photo attendance over the days, by its child units, and by its own
    schools (all of them when it has no child units)."""
    rows = {
        (kind, pk): PhotoRow(kind, pk, name, local) for kind, pk, name, local in next_level(unit)
    }
    total = PhotoRow("unit", unit.pk, unit.name, unit.name_local)
    for chunk in breakdown.school_rounds(unit, SCHOOLS_PER_READ):
        found = adoption_by_school([pk for pk, _key in chunk], start, end)
        for pk, key in chunk:
            row = rows.get(key)
            if row is not None:
                row.add(found[pk])
            total.add(found[pk])
    return PhotoReport(unit=unit, start=start, end=end, total=total, rows=list(rows.values()))
