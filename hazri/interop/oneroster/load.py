"""Import: a checked bundle (bundle.py) written through the org and people services.

The orgs and school years first (one transaction), then each school in a transaction
of its own (its sections and subjects, staff postings and teaching assignments, the
students whose latest admission is there), then the guardians and their links. An
object is found by its sourcedId (stored, or the one our export derives for it), else
by its natural key (a unit's or school's code, a student's state id, an employee
code), else created; each one created keeps its sourcedId (interop.SourcedId).
A bulk file is the whole truth for the schools it covers: an open admission or posting
there that the bundle no longer holds ends today."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from hazri.common.errors import ServiceError
from hazri.interop.models import SourcedId
from hazri.interop.oneroster import spec
from hazri.interop.oneroster.bundle import Bundle, BundleInvalid, Problem, parse_day, parse_moment
from hazri.interop.oneroster.export import ids_of_schools
from hazri.interop.oneroster.ids import Kind, short_code
from hazri.interop.oneroster.students import LEFT, load_student
from hazri.org import services as org_services
from hazri.org.models import AcademicYear, OrgUnit, School, Section, Subject
from hazri.people import services as people
from hazri.people.models import (
    Admission,
    Guardian,
    Guardianship,
    Posting,
    Staff,
    Student,
    TeachingAssignment,
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


class Loader:
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
        self.today = timezone.localdate()
        self.touched: set[str] = set()

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

    # --- the whole import ----------------------------------------------------------------
    def run(self) -> Result:
        with transaction.atomic(durable=True):
            self._orgs()
            self._schools_named()
            self._years()
            self.flush_ids()
        covered = sorted(self.schools.values(), key=lambda s: s.code)
        derived = ids_of_schools(covered) if covered else None
        if derived is not None:
            for (kind, sid), (pk, part) in derived.seen.items():
                self.stored.setdefault((kind, sid), pk)
                self.parts.setdefault((kind, sid), part)
        plan = self._plan_people()
        for school in covered:
            try:
                with transaction.atomic(durable=True):
                    self._school(school, plan)
                    if derived is not None:
                        self._whole_truth(school, derived.seen)
                    self.flush_ids()
            except ServiceError as error:
                for row in self.new_ids:
                    self.stored.pop((row.kind, row.sourced_id), None)
                self.new_ids = []
                self.result.refused.append(f"{school.code}: {error.message}")
                self.result.counts["schools_refused"] += 1
            else:
                self.result.counts["schools"] += 1
        with transaction.atomic(durable=True):
            self._guardians(plan)
            self.flush_ids()
        return self.result

    # --- orgs and years ------------------------------------------------------------------
    def _orgs(self) -> None:
        pending = [(line, r) for line, r in self.b.of("orgs.csv") if _active(r)]
        if deleted := sum(1 for _, r in self.b.of("orgs.csv") if not _active(r)):
            self.result.counts["orgs_not_deleted"] += deleted
        while pending:
            later = []
            for line, row in pending:
                parent = _get(row, "parentSourcedId")
                waits = parent and parent not in self.units and parent in self.rows["orgs.csv"]
                if waits and _get(self.rows["orgs.csv"][parent][1], "type") != "school":
                    later.append((line, row))
                    continue
                self._org(line, row)
            if len(later) == len(pending):
                raise BundleInvalid(
                    [
                        Problem(
                            "orgs.csv",
                            later[0][0],
                            "parentSourcedId",
                            "the orgs' parents go round in a circle",
                        )
                    ]
                )
            pending = later

    def _org(self, line: int, row: Row) -> None:
        sid, kind, name = _get(row, "sourcedId"), _get(row, "type"), _get(row, "name")
        local = _get(row, "metadata.hazri.nameLocal")
        code = _get(row, "identifier")
        code = code if code and len(code) <= 32 else short_code(sid, limit=32)
        parent_sid = _get(row, "parentSourcedId")
        if kind == "school":
            pk = self.known(Kind.SCHOOL, sid)
            school = (
                School.objects.filter(pk=pk).first()
                if pk
                else School.objects.filter(code=code).first()
            )
            if school is None:
                if self.only is not None:
                    raise BundleInvalid(
                        [
                            Problem(
                                "orgs.csv", line, "sourcedId", "you may import your own school only"
                            )
                        ]
                    )
                unit = self._unit_of(parent_sid)
                if unit is None:
                    raise BundleInvalid(
                        [
                            Problem(
                                "orgs.csv",
                                line,
                                "parentSourcedId",
                                "a school needs a parent org (not a school)",
                            )
                        ]
                    )
                school = org_services.school_create(
                    unit=unit, code=code, name=name, name_local=local
                )
                self.result.counts["schools_created"] += 1
            elif self.only is not None and school.pk != self.only.pk:
                raise BundleInvalid(
                    [Problem("orgs.csv", line, "sourcedId", "you may import your own school only")]
                )
            elif self.only is None and org_services.names_set(
                school, name=name, name_local=local or school.name_local
            ):
                self.result.counts["schools_renamed"] += 1
            self.schools[sid] = school
            self.keep(Kind.SCHOOL, sid, school.pk, school_id=school.pk)
            return
        pk = self.known(Kind.ORG, sid)
        unit = (
            OrgUnit.objects.filter(pk=pk).first()
            if pk
            else OrgUnit.objects.filter(code=code).first()
        )
        if unit is None:
            if self.only is not None:
                raise BundleInvalid(
                    [
                        Problem(
                            "orgs.csv",
                            line,
                            "sourcedId",
                            "only a state administrator can add units",
                        )
                    ]
                )
            level = slugify(kind.removeprefix("ext:"))[:32] or "unit"
            unit = org_services.orgunit_create(
                parent=self._unit_of(parent_sid), kind=level, code=code, name=name, name_local=local
            )
            self.result.counts["units_created"] += 1
        elif self.only is None and org_services.names_set(
            unit, name=name, name_local=local or unit.name_local
        ):
            self.result.counts["units_renamed"] += 1
        self.units[sid] = unit
        self.keep(Kind.ORG, sid, unit.pk, school_id=None)

    def _schools_named(self) -> None:
        """Schools a delta names that earlier imports brought (their org row not sent)."""
        named = {_get(r, "orgSourcedId") for _, r in self.b.of("roles.csv")}
        named |= {_get(r, "schoolSourcedId") for _, r in self.b.of("enrollments.csv")}
        for sid in sorted(named - set(self.schools)):
            pk = self.known(Kind.SCHOOL, sid)
            school = School.objects.filter(pk=pk).first() if pk else None
            if school is None:
                continue
            if self.only is not None and school.pk != self.only.pk:
                raise BundleInvalid(
                    [Problem("roles.csv", 0, "orgSourcedId", "you may import your own school only")]
                )
            self.schools[sid] = school

    def _unit_of(self, sid: str) -> OrgUnit | None:
        if not sid:
            return None
        if sid in self.units:
            return self.units[sid]
        pk = self.known(Kind.ORG, sid)
        return OrgUnit.objects.filter(pk=pk).first() if pk else None

    def _years(self) -> None:
        root = self._root()
        for line, row in self.b.of("academicSessions.csv"):
            sid = _get(row, "sourcedId")
            if not _active(row) or _get(row, "type") != "schoolYear":
                self.result.counts["sessions_skipped"] += 1
                continue
            pk = self.known(Kind.YEAR, sid)
            title = _get(row, "title")[:20]
            year = AcademicYear.objects.filter(pk=pk).first() if pk else None
            if year is None and root is not None:
                year = AcademicYear.objects.filter(unit=root, name=title).first()
            if year is None:
                if root is None or self.only is not None:
                    raise BundleInvalid(
                        [
                            Problem(
                                "academicSessions.csv",
                                line,
                                "sourcedId",
                                "no such school year here",
                            )
                        ]
                    )
                starts, ends = parse_day(_get(row, "startDate")), parse_day(_get(row, "endDate"))
                assert starts is not None and ends is not None  # checked in bundle.py
                year = org_services.academic_year_create(
                    unit=root, name=title, starts_on=starts, ends_on=ends
                )
                self.result.counts["years_created"] += 1
            self.years[sid] = year
            self.keep(Kind.YEAR, sid, year.pk, school_id=None)

    def _root(self) -> OrgUnit | None:
        for school in self.schools.values():
            return OrgUnit.objects.get(pk=school.unit.ancestor_ids[0])
        return next(iter(self.units.values()), None)

    def _year_of(self, class_row: Row) -> AcademicYear | None:
        for sid in spec.split_list(_get(class_row, "termSourcedIds")):
            for candidate in (
                sid,
                _get(self.rows["academicSessions.csv"].get(sid, (0, {}))[1], "parentSourcedId"),
            ):
                if candidate in self.years:
                    return self.years[candidate]
                pk = self.known(Kind.YEAR, candidate)
                if pk:
                    return AcademicYear.objects.filter(pk=pk).first()
        course = self.rows["courses.csv"].get(_get(class_row, "courseSourcedId"))
        if course is not None:
            return self.years.get(_get(course[1], "schoolYearSourcedId"))
        return None

    # --- planning the people -------------------------------------------------------------
    def _plan_people(self) -> "Plan":
        plan = Plan()
        for line, row in self.b.of("roles.csv"):
            user, role, org = (
                _get(row, "userSourcedId"),
                _get(row, "role"),
                _get(row, "orgSourcedId"),
            )
            if role in spec.STUDENT_ROLES:
                plan.student_roles[org][user].append((line, row))
            elif role in spec.GUARDIAN_ROLES:
                plan.guardians[user].add(role)
            else:
                plan.staff_roles[org][user].append((line, row))
        for line, row in self.b.of("enrollments.csv"):
            user, role, org = (
                _get(row, "userSourcedId"),
                _get(row, "role"),
                _get(row, "schoolSourcedId"),
            )
            wanted = plan.student_enrolments if role == "student" else plan.teacher_enrolments
            wanted[org][user].append((line, row))
        return plan

    # --- one school's writes -------------------------------------------------------------
    def _school(self, school: School, plan: "Plan") -> None:
        sections, subject_classes = self._classes(school)
        org = next(sid for sid, s in self.schools.items() if s == school)
        self._staff(school, org, plan, sections, subject_classes)
        self._students(school, org, plan, sections)

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

    def _classes(
        self, school: School
    ) -> tuple[dict[str, Section], dict[str, tuple[Section, Subject]]]:
        sections: dict[str, Section] = {}
        scheduled: list[tuple[int, Row]] = []
        for line, row in self.b.of("classes.csv"):
            if self.schools.get(_get(row, "schoolSourcedId")) != school or not _active(row):
                continue
            if _get(row, "classType") != "homeroom":
                scheduled.append((line, row))
                continue
            sid = _get(row, "sourcedId")
            pk = self.known(Kind.CLASS, sid)
            section = (
                Section.objects.filter(pk=pk).select_related("academic_year").first()
                if pk
                else None
            )
            if section is None:
                year = self._year_of(row)
                grades = [g for g in map(spec.grade_of, spec.split_list(_get(row, "grades"))) if g]
                if year is None or not grades:
                    self.result.counts["classes_skipped"] += 1
                    continue
                code = _get(row, "classCode")
                prefix = f"{grades[0]}-"
                name = (
                    code.removeprefix(prefix)
                    if code.startswith(prefix)
                    else code or _get(row, "title")
                )[:10]
                section = Section.objects.filter(
                    school=school, academic_year=year, grade=grades[0], name=name
                ).first()
                if section is None:
                    section = org_services.section_create(
                        school=school, academic_year=year, grade=grades[0], name=name
                    )
                    self.result.counts["sections_created"] += 1
            sections[sid] = section
            self.keep(Kind.CLASS, sid, section.pk, school_id=school.pk)
        subject_classes: dict[str, tuple[Section, Subject]] = {}
        for _line, row in scheduled:
            sid = _get(row, "sourcedId")
            section = sections.get(_get(row, "metadata.hazri.sectionSourcedId"))
            if section is None:
                self.result.counts["classes_skipped"] += 1
                continue
            course_sid = _get(row, "courseSourcedId")
            course = self.rows["courses.csv"].get(course_sid, (0, {}))[1]
            code = _get(course, "courseCode") or short_code(course_sid, limit=32)
            pk = self.known(Kind.COURSE, course_sid)
            subject = Subject.objects.filter(pk=pk).first() if pk else None
            subject = subject or Subject.objects.filter(school=school, code=code).first()
            if subject is None:
                title = _get(course, "title") or _get(row, "title")
                subject = org_services.subject_create(school=school, code=code, name=title[:120])
                self.result.counts["subjects_created"] += 1
            self.keep(Kind.COURSE, course_sid, subject.pk, school_id=school.pk)
            subject_classes[sid] = (section, subject)
            self.keep(Kind.SUBJECT_CLASS, sid, section.pk, school_id=school.pk, part=subject.pk)
        return sections, subject_classes

    def _user(self, sid: str) -> Row:
        return self.rows["users.csv"].get(sid, (0, {}))[1]

    def _name(self, sid: str) -> str:
        user = self._user(sid)
        return " ".join(f"{_get(user, 'givenName')} {_get(user, 'familyName')}".split())

    def _gender(self, sid: str) -> str:
        return GENDER.get(_get(self.rows["demographics.csv"].get(sid, (0, {}))[1], "sex"), "O")

    def _staff(
        self,
        school: School,
        org: str,
        plan: "Plan",
        sections: dict[str, Section],
        subject_classes: dict[str, tuple[Section, Subject]],
    ) -> None:
        teaching = plan.teacher_enrolments.get(org, {})
        for user_sid, here in sorted(plan.staff_roles.get(org, {}).items()):
            staff = self._staff_member(user_sid)
            for _line, row in sorted(here, key=lambda x: _get(x[1], "beginDate")):
                self._posting(school, staff, row)
            for _line, row in teaching.get(user_sid, []):
                class_sid = _get(row, "classSourcedId")
                if class_sid in subject_classes:
                    section, subject = subject_classes[class_sid]
                    self._assignment(school, staff, section, subject, row)
                elif (found := self._section(sections, class_sid)) is not None:
                    self._assignment(school, staff, found, None, row)

    def _staff_member(self, sid: str) -> Staff:
        pk = self.known(Kind.STAFF, sid)
        user = self._user(sid)
        code = _get(user, "identifier")
        code = code if code and len(code) <= 32 else short_code(sid, limit=32)
        staff = (
            Staff.objects.filter(pk=pk).first()
            if pk
            else Staff.objects.filter(employee_code=code).first()
        )
        details = {
            "name": self._name(sid),
            "gender": self._gender(sid),
            "phone": _get(user, "phone")[:20],
        }
        if staff is None:
            staff = people.staff_add.nested(
                employee_code=code,
                by=self.by,
                name_local=_get(user, "metadata.hazri.nameLocal"),
                **details,
            )  # type: ignore[arg-type]
            self.result.counts["staff_created"] += 1
        elif user and people.staff_details_set.nested(staff=staff, by=self.by, **details):
            self.result.counts["staff_updated"] += 1
        self.keep(Kind.STAFF, sid, staff.pk, school_id=None)
        return staff

    def _begin(self, row: Row) -> dt.date:
        return parse_day(_get(row, "beginDate")) or self.today

    def _ended(self, row: Row) -> dt.date | None:
        end = parse_day(_get(row, "endDate"))
        if end is None and not _active(row):
            moment = parse_moment(_get(row, "dateLastModified"))
            end = moment.date() if moment else self.today
        return end

    def _posting(self, school: School, staff: Staff, row: Row) -> None:
        sid = _get(row, "sourcedId")
        pk = self.known(Kind.POSTING, sid)
        ends = self._ended(row)
        if pk:
            posting = Posting.objects.get(pk=pk)
            if ends is not None and posting.ends_on is None:
                people.posting_end.nested(
                    posting=posting, ends_on=max(ends, posting.starts_on), by=self.by
                )
                self.result.counts["postings_ended"] += 1
            return
        if not _active(row):
            return
        role = POSTING_ROLE.get(_get(row, "role"), Posting.Role.OTHER)
        posting = people.staff_post.nested(
            staff=staff,
            school=school,
            role=role,
            starts_on=self._begin(row),
            ends_on=ends,
            by=self.by,
        )
        self.result.counts["postings_created"] += 1
        self.keep(Kind.POSTING, sid, posting.pk, school_id=school.pk)

    def _assignment(
        self, school: School, staff: Staff, section: Section, subject: Subject | None, row: Row
    ) -> None:
        sid = _get(row, "sourcedId")
        pk = self.known(Kind.ASSIGNMENT, sid)
        ends = self._ended(row)
        if pk:
            assignment = TeachingAssignment.objects.get(pk=pk)
            if ends is not None and assignment.ends_on is None:
                people.assignment_end.nested(
                    assignment=assignment, ends_on=max(ends, assignment.starts_on), by=self.by
                )
                self.result.counts["assignments_ended"] += 1
            return
        if not _active(row):
            return
        starts = parse_day(_get(row, "beginDate")) or max(
            section.academic_year.starts_on, self.today
        )
        assignment = people.assignment_start.nested(
            staff=staff,
            section=section,
            subject=subject,
            starts_on=starts,
            ends_on=ends,
            by=self.by,
        )
        self.result.counts["assignments_created"] += 1
        self.keep(Kind.ASSIGNMENT, sid, assignment.pk, school_id=school.pk)

    def _students(
        self, school: School, org: str, plan: "Plan", sections: dict[str, Section]
    ) -> None:
        roles = plan.student_roles.get(org, {})
        enrolments = plan.student_enrolments.get(org, {})
        for user_sid in sorted(set(roles) | set(enrolments)):
            homeroom = []
            for _line, row in enrolments.get(user_sid, []):
                section = self._section(sections, _get(row, "classSourcedId"))
                if section is None:
                    self.result.counts["enrolments_implied"] += 1
                else:
                    homeroom.append((section, row))
            load_student(self, school, user_sid, roles.get(user_sid, []), homeroom)

    def _whole_truth(self, school: School, seen: dict[tuple[str, str], tuple[int, int]]) -> None:
        """Bulk: open admissions and postings here the bundle does not hold end today."""
        if self.b.modes.get("roles.csv") != spec.BULK:
            return
        held = {_get(r, "sourcedId") for _, r in self.b.of("roles.csv")}
        ours = {(kind, pk): sid for (kind, sid), (pk, _) in seen.items()}
        ours |= {(kind, pk): sid for (kind, sid), pk in self.stored.items()}
        for admission in Admission.objects.filter(
            school=school, left_on__isnull=True
        ).select_related("student"):
            sid = ours.get((Kind.ADMISSION, admission.pk))
            if sid is not None and sid not in held:
                people.student_strike_off.nested(
                    student=admission.student,
                    school=school,
                    last_day=self.today,
                    reason=LEFT,
                    by=self.by,
                )
                self.result.counts["admissions_ended"] += 1
        for posting in Posting.objects.filter(school=school, ends_on__isnull=True):
            sid = ours.get((Kind.POSTING, posting.pk))
            if sid is not None and sid not in held:
                people.posting_end.nested(
                    posting=posting, ends_on=max(self.today, posting.starts_on), by=self.by
                )
                self.result.counts["postings_ended"] += 1

    # --- guardians -----------------------------------------------------------------------
    def _guardians(self, plan: "Plan") -> None:
        guardians: dict[str, Guardian] = {}
        for sid in sorted(plan.guardians):
            user = self._user(sid)
            if not user or not _active(user):
                continue
            pk = self.known(Kind.GUARDIAN, sid)
            guardian = Guardian.objects.filter(pk=pk).first() if pk else None
            if guardian is None:
                guardian = people.guardian_add.nested(
                    name=self._name(sid),
                    phone=_get(user, "phone")[:20],
                    email=_get(user, "email"),
                    name_local=_get(user, "metadata.hazri.nameLocal"),
                    by=self.by,
                )
                self.result.counts["guardians_created"] += 1
            guardians[sid] = guardian
            self.keep(Kind.GUARDIAN, sid, guardian.pk, school_id=None)
        pairs: set[tuple[str, str]] = set()
        for sid, (_line, user) in self.rows["users.csv"].items():
            for agent in spec.split_list(_get(user, "agentSourcedIds")):
                pairs.add((agent, sid) if agent in guardians else (sid, agent))
        for guardian_sid, student_sid in sorted(pairs):
            student_pk = self.known(Kind.STUDENT, student_sid)
            if guardian_sid not in guardians or student_pk is None:
                continue
            guardian = guardians[guardian_sid]
            if Guardianship.objects.filter(guardian=guardian, student_id=student_pk).exists():
                continue
            people.guardian_link.nested(
                guardian=guardian,
                student=Student.objects.get(pk=student_pk),
                relation=self._relation(guardian_sid, plan.guardians[guardian_sid]),
                by=self.by,
            )
            self.result.counts["guardian_links_created"] += 1

    def _relation(self, sid: str, plan_roles: set[str]) -> str:
        given = _get(self._user(sid), "metadata.hazri.relation")
        if given in Guardianship.Relation.values:
            return given
        if "parent" in plan_roles:
            return {"F": "mother", "M": "father"}.get(self._gender(sid), "other")
        return "other"


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


def import_bundle(
    bundle: Bundle, *, by: Actor, only_school: School | None = None
) -> dict[str, Any]:
    """Write a checked bundle; the summary's counts and the schools refused."""
    return Loader(bundle, by=by, only_school=only_school).run().as_dict()
