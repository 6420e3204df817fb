"""Import: what the parts of the loader share — the bundle's rows by sourcedId, the ids
found and kept, and the users' details."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from hazri.interop.models import SourcedId
from hazri.interop.oneroster import spec
from hazri.interop.oneroster.bundle import Bundle, parse_day, parse_moment
from hazri.interop.oneroster.ids import Kind
from hazri.org import selectors as org_selectors
from hazri.org.models import AcademicYear, OrgUnit, School, Section
from hazri.people.models import (
    Posting,
)
from hazri.people.services._boundary import Actor

GENDER = {"female": "F", "male": "M"}
POSTING_ROLE = {
    "principal": Posting.Role.HEAD,
    "siteAdministrator": Posting.Role.ADMIN,
    "administrator": Posting.Role.ADMIN,
    "districtAdministrator": Posting.Role.ADMIN,
    "systemAdministrator": Posting.Role.ADMIN,
    "teacher": Posting.Role.TEACHER,
    "aide": Posting.Role.TEACHER,
    "proctor": Posting.Role.TEACHER,
}

CHUNK = 5000

Row = dict[str, str]


def _get(row: Row, column: str) -> str:
    return row.get(column, "").strip()


def _active(row: Row) -> bool:
    return _get(row, "status") != spec.TO_BE_DELETED


@dataclass
class Result:
    counts: Counter[str] = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"counts": dict(sorted(self.counts.items())), "refused": self.refused}


Rows = dict[str, dict[str, list[tuple[int, Row]]]]  # school's sourcedId: user's: rows


def _rows() -> Rows:
    return defaultdict(lambda: defaultdict(list))


@dataclass
class Plan:
    student_roles: Rows = field(default_factory=_rows)
    staff_roles: Rows = field(default_factory=_rows)
    student_enrolments: Rows = field(default_factory=_rows)
    teacher_enrolments: Rows = field(default_factory=_rows)
    guardians: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


class LoaderState:
    def __init__(self, bundle: Bundle, *, by: Actor, only_school: School | None = None) -> None:
        self.b = bundle
        self.by = by
        self.only = only_school
        self.result = Result()
        self.rows = {
            name: {_get(r, "sourcedId"): (line, r) for line, r in bundle.of(name)}
            for name in spec.FILES
        }
        self.new_ids: list[SourcedId] = []
        self.stored: dict[tuple[str, str], int] = {}
        self.parts: dict[tuple[str, str], int] = {}
        sids = {sid for rows in self.rows.values() for sid in rows}
        for name, column in (
            ("roles.csv", "orgSourcedId"),
            ("enrollments.csv", "schoolSourcedId"),
            ("enrollments.csv", "classSourcedId"),
            ("classes.csv", "schoolSourcedId"),
        ):
            sids |= {_get(r, column) for _, r in bundle.of(name)}
        listed = sorted(sids)
        for start in range(0, len(listed), CHUNK):
            for kind, sid, pk, part in SourcedId.objects.filter(
                sourced_id__in=listed[start : start + CHUNK]
            ).values_list("kind", "sourced_id", "object_id", "part"):
                self.stored[(kind, sid)] = pk
                self.parts[(kind, sid)] = part
        self.units: dict[str, OrgUnit] = {}
        self.schools: dict[str, School] = {}
        self.years: dict[str, AcademicYear] = {}
        self.today = org_selectors.tree_today()
        self.touched: set[str] = set()
        # New children of the school being written, waiting for one bulk write.
        self.new_students: list[tuple[str, dict[str, object], list[Any]]] = []

    # --- ids ---------------------------------------------------------------------------
    def known(self, kind: str, sid: str) -> int | None:
        return self.stored.get((kind, sid))

    def keep(self, kind: str, sid: str, pk: int, *, school_id: int | None, part: int = 0) -> None:
        if (kind, sid) in self.stored:
            return
        self.stored[(kind, sid)] = pk
        file = {"org": "orgs.csv", "school": "orgs.csv", "year": "academicSessions.csv"}.get(kind)
        row = self.rows.get(file or "", {}).get(sid)
        moment = parse_moment(_get(row[1], "dateLastModified")) if row else None
        self.new_ids.append(
            SourcedId(
                kind=kind,
                object_id=pk,
                part=part,
                sourced_id=sid,
                school_id=school_id,
                date_last_modified=moment,
            )
        )

    def flush_ids(self) -> None:
        SourcedId.objects.bulk_create(self.new_ids, batch_size=2000)
        self.new_ids = []

    def _section(self, sections: dict[str, Section], sid: str) -> Section | None:
        if sid in sections:
            return sections[sid]
        pk = self.known(Kind.CLASS, sid)
        section = (
            Section.objects.filter(pk=pk).select_related("academic_year").first() if pk else None
        )
        if section is not None:
            sections[sid] = section
        return section

    def _user(self, sid: str) -> Row:
        return self.rows["users.csv"].get(sid, (0, {}))[1]

    def _name(self, sid: str) -> str:
        user = self._user(sid)
        return " ".join(f"{_get(user, 'givenName')} {_get(user, 'familyName')}".split())

    def _gender(self, sid: str) -> str:
        return GENDER.get(_get(self.rows["demographics.csv"].get(sid, (0, {}))[1], "sex"), "O")

    def _begin(self, row: Row) -> dt.date:
        return parse_day(_get(row, "beginDate")) or self.today

    def _ended(self, row: Row) -> dt.date | None:
        end = parse_day(_get(row, "endDate"))
        if end is None and not _active(row):
            moment = parse_moment(_get(row, "dateLastModified"))
            end = moment.date() if moment else self.today
        return end
