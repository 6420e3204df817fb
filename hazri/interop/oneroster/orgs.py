"""Import: the orgs (units and schools), the school years, and a school's classes
(sections and subject classes)."""

from django.utils.text import slugify

from hazri.interop.oneroster import spec
from hazri.interop.oneroster.bundle import BundleInvalid, Problem, parse_day
from hazri.interop.oneroster.ids import Kind, short_code
from hazri.interop.oneroster.state import LoaderState, Row, _active, _get
from hazri.org import services as org_services
from hazri.org.models import AcademicYear, OrgUnit, School, Section, Subject


class OrgsPart(LoaderState):
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
