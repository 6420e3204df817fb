"""Import: staff, their postings (roles) and teaching assignments (teacher enrollments),
and the bulk's whole truth for a school's admissions and postings."""

from hazri.interop.oneroster import spec
from hazri.interop.oneroster.bundle import parse_day
from hazri.interop.oneroster.ids import Kind, short_code
from hazri.interop.oneroster.state import POSTING_ROLE, LoaderState, Plan, Row, _active, _get
from hazri.interop.oneroster.students import LEFT
from hazri.org.models import School, Section, Subject
from hazri.people import services as people
from hazri.people.models import (
    Admission,
    Posting,
    Staff,
    TeachingAssignment,
)


class StaffPart(LoaderState):
    def _staff(
        self,
        school: School,
        org: str,
        plan: Plan,
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
        self.touched.add(sid)
        details = {
            "name": self._name(sid),
            "gender": self._gender(sid),
            "phone": _get(user, "phone")[:20],
        }
        if staff is not None and sid not in self.rows["demographics.csv"]:
            details.pop("gender")
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
