"""Reads for year end: a section's roll with each child's recorded result, where each
goes next session, and next session's sections to go to."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from hazri.org.models import Section
from hazri.people.models import Enrolment
from hazri.people.selectors import section_roll
from hazri.records import rules
from hazri.registers.selectors import exam_results_current


@dataclass(frozen=True)
class Child:
    student: int
    name: str
    admission_no: str
    result: str  # "" when none is recorded
    percentage: str
    placement: str  # "" when no result


@dataclass
class YearEnd:
    section: Section
    last_day: dt.date  # the roll as it stands on this day is promoted
    children: list[Child]
    to: Section | None  # the next class in next session (None: not found or not unique)
    repeat_in: Section | None  # the same class in next session
    choices_to: list[Section] = field(default_factory=list)
    choices_repeat: list[Section] = field(default_factory=list)
    already_promoted: bool = False

    @property
    def missing(self) -> list[Child]:
        return [child for child in self.children if not child.result]

    def placed(self, placement: str) -> list[int]:
        return [child.student for child in self.children if child.placement == placement]


def next_sections(section: Section, grade: int) -> list[Section]:
    """The school's sections of `grade` in the first session after the section's."""
    later = (
        Section.objects.filter(
            school_id=section.school_id,
            academic_year__starts_on__gt=section.academic_year.ends_on - dt.timedelta(days=1),
        )
        .select_related("academic_year", "school")
        .order_by("academic_year__starts_on", "grade", "name")
    )
    later_list = list(later)
    if not later_list:
        return []
    first = later_list[0].academic_year_id
    return [s for s in later_list if s.academic_year_id == first and s.grade == grade]


def _pick(choices: list[Section], name: str) -> Section | None:
    same = [s for s in choices if s.name == name]
    if same:
        return same[0]
    return choices[0] if len(choices) == 1 else None


def year_end(
    section: Section, *, to: Section | None = None, repeat_in: Section | None = None
) -> YearEnd:
    """The section's roll on its session's last day, in roll order, each child with
    the current session result and where it sends them; `to` and `repeat_in` default
    to next session's section of the same name (or the only one) of the next and of
    the same class."""
    last = section.academic_year.ends_on
    results = exam_results_current(section)
    children = []
    for member in section_roll(section, last):
        exam = results.get(member.id)
        children.append(
            Child(
                student=member.id,
                name=member.name,
                admission_no=member.admission_no,
                result=exam.result if exam else "",
                percentage=str(exam.percentage) if exam and exam.percentage is not None else "",
                placement=rules.placement(exam.result) if exam else "",
            )
        )
    choices_to = next_sections(section, section.grade + 1) if section.grade < 12 else []
    choices_repeat = next_sections(section, section.grade)
    ids = [child.student for child in children]
    already = Enrolment.objects.filter(
        Q(starts_on__gt=last), student_id__in=ids, admission__school_id=section.school_id
    ).exists()
    return YearEnd(
        section=section,
        last_day=last,
        children=children,
        to=to or _pick(choices_to, section.name),
        repeat_in=repeat_in or _pick(choices_repeat, section.name),
        choices_to=choices_to,
        choices_repeat=choices_repeat,
        already_promoted=already,
    )
