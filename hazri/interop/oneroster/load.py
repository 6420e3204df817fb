"""Import: a checked bundle (bundle.py) written through the org and people services.

The orgs and school years first (one transaction), then each school in a transaction
of its own (its sections and subjects, staff postings and teaching assignments, the
students whose latest admission is there), then the guardians and their links. An
object is found by its sourcedId (stored, or the one our export derives for it), else
by its natural key (a unit's or school's code, a student's state id, an employee
code), else created; each one created keeps its sourcedId (interop.SourcedId).
A bulk file is the whole truth for the schools it covers: an open admission or posting
there that the bundle no longer holds ends today."""

from typing import Any

from django.db import transaction

from hazri.common.errors import ServiceError
from hazri.interop.oneroster import spec
from hazri.interop.oneroster.bundle import Bundle
from hazri.interop.oneroster.export import ids_of_schools
from hazri.interop.oneroster.ids import Kind
from hazri.interop.oneroster.orgs import OrgsPart
from hazri.interop.oneroster.staff import StaffPart
from hazri.interop.oneroster.state import CHUNK, Plan, Result, Row, _active, _get
from hazri.interop.oneroster.students import flush_new, load_student, update_student
from hazri.org.models import School, Section
from hazri.people import services as people
from hazri.people.models import (
    Guardian,
    Guardianship,
    Student,
)
from hazri.people.services._boundary import Actor


class Loader(OrgsPart, StaffPart):
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
                self.new_students = []
                for row in self.new_ids:
                    self.stored.pop((row.kind, row.sourced_id), None)
                self.new_ids = []
                self.result.refused.append(f"{school.code}: {error.message}")
                self.result.counts["schools_refused"] += 1
            else:
                self.result.counts["schools"] += 1
        with transaction.atomic(durable=True):
            self._guardians(plan)
            self._details()
            self.flush_ids()
        return self.result

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
        flush_new(self, school)

    # --- guardians -----------------------------------------------------------------------
    def _guardians(self, plan: "Plan") -> None:
        guardians: dict[str, Guardian] = {}
        known = {sid: pk for sid in plan.guardians if (pk := self.known(Kind.GUARDIAN, sid))}
        found = Guardian.objects.in_bulk(list(known.values()))
        for sid in sorted(plan.guardians):
            user = self._user(sid)
            if not user or not _active(user):
                continue
            guardian = found.get(known.get(sid, 0))
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
        ids = sorted(g.pk for g in guardians.values())
        linked: set[tuple[int, int]] = set()
        for start in range(0, len(ids), CHUNK):
            linked |= set(
                Guardianship.objects.filter(guardian_id__in=ids[start : start + CHUNK]).values_list(
                    "guardian_id", "student_id"
                )
            )
        for guardian_sid, student_sid in sorted(pairs):
            student_pk = self.known(Kind.STUDENT, student_sid)
            if guardian_sid not in guardians or student_pk is None:
                continue
            guardian = guardians[guardian_sid]
            if (guardian.pk, student_pk) in linked:
                continue
            people.guardian_link.nested(
                guardian=guardian,
                student=Student.objects.get(pk=student_pk),
                relation=self._relation(guardian_sid, plan.guardians[guardian_sid]),
                by=self.by,
            )
            self.result.counts["guardian_links_created"] += 1

    def _details(self) -> None:
        """Users the bundle sends with no role or enrolment here: their details only."""
        for sid, (_line, user) in sorted(self.rows["users.csv"].items()):
            if not _active(user) or sid in self.touched:
                continue
            if pk := self.known(Kind.STUDENT, sid):
                update_student(self, Student.objects.get(pk=pk), sid)
            elif pk := self.known(Kind.STAFF, sid):
                self._staff_member(sid)

    def _relation(self, sid: str, plan_roles: set[str]) -> str:
        given = _get(self._user(sid), "metadata.hazri.relation")
        if given in Guardianship.Relation.values:
            return given
        if "parent" in plan_roles:
            return {"F": "mother", "M": "father"}.get(self._gender(sid), "other")
        return "other"


Rows = dict[str, dict[str, list[tuple[int, Row]]]]  # school's sourcedId: user's: rows


def import_bundle(
    bundle: Bundle, *, by: Actor, only_school: School | None = None
) -> dict[str, Any]:
    """Write a checked bundle; the summary's counts and the schools refused."""
    return Loader(bundle, by=by, only_school=only_school).run().as_dict()
