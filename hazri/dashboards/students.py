"""Students with weak attendance (SPEC §1.7), counted from the packed roll calls of
each school's last school days.

Who is listed: under the threshold or chronically absent, once marked on at least the
policy's `low_attendance_min_days` school days of the window (a child admitted
yesterday and absent today is 0 %, and not yet a case). The order is by need: the
lowest attendance first; at the same rate, the most days absent (the longer record
of absence); then by id (`need`)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from hazri.attendance import rules
from hazri.attendance.models import RollCall, Roster
from hazri.common.figures import percent
from hazri.dashboards.models import FollowUp, SchoolDay
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment, Guardianship, Student


def _percent(part: int, whole: int, *, empty: float) -> float:
    """The one rounding rule's percentage; `empty` when nothing was held (a child with
    no meeting held is not low)."""
    found = percent(part, whole)
    return empty if found is None else found


@dataclass(frozen=True)
class StudentRate:
    student: Student
    school: School
    held: int  # meetings marked while on the roll
    attended: int
    school_days: int  # days with a roll call that had the student
    days_absent: int  # days absent from every meeting marked
    last_follow_up: FollowUp | None
    under_threshold: bool = False  # attended less than the threshold of meetings
    chronically_absent: bool = False  # absent all day on the chronic share of days or more
    as_of: dt.date | None = None  # the window's last day, when not the asked one
    section: Section | None = None  # the class and section they are on the roll of
    guardian_phone: str = ""  # whom the school calls

    @property
    def pct(self) -> float:
        return _percent(self.attended, self.held, empty=100.0)

    @property
    def section_label(self) -> str:
        return self.section.label if self.section else ""

    @property
    def absent_days_pct(self) -> float:
        return _percent(self.days_absent, self.school_days, empty=0.0)

    @property
    def last_follow_up_text(self) -> str:
        """The last follow-up's date and action, as the downloads show it."""
        last = self.last_follow_up
        return f"{last.recorded_at:%Y-%m-%d} {last.get_action_display()}" if last else ""


def window_start(school: School, end: dt.date, school_days: int) -> dt.date:
    """The first of the school's last `school_days` school days up to `end`."""
    return _window_starts([school], end, school_days)[school.pk]


def _window_starts(schools: list[School], end: dt.date, school_days: int) -> dict[int, dt.date]:
    """Each school's first of its last `school_days` school days up to `end` (one query;
    a school day is at most a fortnight apart from the next, holidays aside)."""
    first: dict[int, list[dt.date]] = defaultdict(list)
    for school_id, day in (
        SchoolDay.objects.filter(
            school__in=schools,
            day__lte=end,
            day__gt=end - dt.timedelta(days=school_days * 3),
            is_school_day=True,
        )
        .order_by("school_id", "-day")
        .values_list("school_id", "day")
    ):
        if len(first[school_id]) < school_days:
            first[school_id].append(day)
    return {s.pk: first[s.pk][-1] if first[s.pk] else end for s in schools}


# Students read per query when turning lines into rates.
CHUNK = 5000

# Marks of a student who came (present, or away on school duty) as "1", others "0".
CAME = str.maketrans(
    {code: "1" if code in rules.ATTENDED_CODES else "0" for code in rules.MARK_CODES}
)


@dataclass
class Tally:
    held: int = 0
    came: int = 0
    days: int = 0
    days_absent: int = 0


def _tally(
    rollcalls: list[tuple[dt.date, str]], members: list[int], tallies: dict[int, Tally]
) -> None:
    """Add one roster's roll calls (day, marks) to its members' tallies.

    The marks are turned into 0/1 strings and read column by column (a member's
    column is their marks over the window), so the loops run in C.
    """
    came = [marks.translate(CAME) for _, marks in rollcalls]
    by_day: dict[dt.date, int] = {}
    width = len(members)
    for (day, _), bits in zip(rollcalls, came, strict=True):
        by_day[day] = by_day.get(day, 0) | int(bits, 2)  # came to any meeting that day
    day_bits = [format(value, f"0{width}b") for value in by_day.values()]
    columns = zip(*came, strict=True)
    day_columns = zip(*day_bits, strict=True)
    for member, meetings, days in zip(members, columns, day_columns, strict=True):
        tally = tallies[member]
        tally.held += len(meetings)
        tally.came += meetings.count("1")
        tally.days += len(days)
        tally.days_absent += days.count("0")


def roll_tallies(starts: Mapping[int, dt.date], end: dt.date) -> dict[tuple[int, int], Tally]:
    """Each student's meetings held and attended, and days marked and absent, from
    each school's `starts[school_id]` to `end`, keyed (school_id, student_id): two
    queries (the current roll calls with their packed marks, filtered on school_id,
    and their rosters) for the schools given."""
    if not starts:
        return {}
    by_roster: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    school_of_roster: dict[int, int] = {}
    for school_id, roster_id, day, marks in RollCall.objects.filter(
        school_id__in=list(starts),
        day__gte=min(starts.values()),
        day__lte=end,
        is_current=True,
    ).values_list("school_id", "roster_id", "day", "marks"):
        if day >= starts[school_id]:
            by_roster[roster_id].append((day, marks))
            school_of_roster[roster_id] = school_id
    rosters = Roster.objects.in_bulk(list(by_roster))
    tallies: dict[tuple[int, int], Tally] = {}
    for roster_id, rollcalls in by_roster.items():
        members = rosters[roster_id].members
        school_id = school_of_roster[roster_id]
        mine: dict[int, Tally] = defaultdict(Tally)
        _tally(rollcalls, members, mine)
        for member, tally in mine.items():
            total = tallies.setdefault((school_id, member), Tally())
            total.held += tally.held
            total.came += tally.came
            total.days += tally.days
            total.days_absent += tally.days_absent
    return tallies


@dataclass(frozen=True)
class Line:
    """A listed student's figures over the window, and why they are listed."""

    school_id: int
    student_id: int
    held: int
    attended: int
    school_days: int
    days_absent: int
    under_threshold: bool
    chronically_absent: bool
    as_of: dt.date | None = None  # the window's last day, when not the asked one

    @property
    def pct(self) -> float:
        return _percent(self.attended, self.held, empty=100.0)


def weak_tallies(
    *,
    schools: list[School],
    end: dt.date,
    school_days: int = 30,
    threshold: float | None = None,
    chronic_pct: float | None = None,
    keep_below: float | None = None,
) -> list[Line]:
    """The students under the threshold or chronically absent over each school's last `school_days` school days up to `end`.

    Thresholds default to each school's policy. `keep_below`: also keep students
    under this attendance % (flagged as they are), so a later reader can ask a
    threshold up to it. A fixed number of queries for any number of schools: the
    windows, the roll calls (packed marks), their rosters and the policies.
    """
    if not schools:
        return []
    starts = _window_starts(schools, end, school_days)
    tallies = roll_tallies(starts, end)
    policies = org.schools_policies(schools)  # one query for them all
    weak: list[Line] = []
    for (school_id, member), tally in tallies.items():
        policy = policies[school_id]
        low = policy.low_attendance_pct if threshold is None else threshold
        chronic = policy.chronic_absence_pct if chronic_pct is None else chronic_pct
        # A student on two rosters the same day counts that day once per roster: rare
        # (a mid-day move) and only ever adds a day.
        if tally.days < policy.low_attendance_min_days:
            continue  # too new on the roll for a rate to mean anything
        pct = 100 * tally.came / tally.held
        under = pct < low
        often = bool(tally.days) and 100 * tally.days_absent / tally.days >= chronic
        if under or often or (keep_below is not None and pct < keep_below):
            weak.append(
                Line(
                    school_id=school_id,
                    student_id=member,
                    held=tally.held,
                    attended=tally.came,
                    school_days=tally.days,
                    days_absent=tally.days_absent,
                    under_threshold=under,
                    chronically_absent=often,
                )
            )
    return weak


def low_attendance_students(
    *,
    schools: list[School],
    end: dt.date,
    school_days: int = 30,
    threshold: float | None = None,
    chronic_pct: float | None = None,
) -> list[StudentRate]:
    """Students under the attendance threshold or chronically absent, worst first,
    counted live from the roll calls (a school or a cluster: see weak.py for larger
    areas). A fixed number of queries for any number of schools."""
    lines = weak_tallies(
        schools=schools,
        end=end,
        school_days=school_days,
        threshold=threshold,
        chronic_pct=chronic_pct,
    )
    return rates(lines, {s.pk: s for s in schools}, end)


def need(rate: StudentRate) -> tuple[float, int, int]:
    """The list's order: lowest attendance, then most days absent, then the student's
    id (stable from page to page; as the nightly list's index orders it, weak.py)."""
    share = rate.attended / rate.held if rate.held else 1.0
    return (share, -rate.days_absent, rate.student.pk)


def rates(lines: list[Line], schools: Mapping[int, School], end: dt.date) -> list[StudentRate]:
    """The lines as StudentRates, by need, with their students, their class and section
    on `end` (or a line's own as_of), a guardian's phone and the last follow-ups (four
    queries per 5,000 lines: IN lists stay under SQLite's variable limit)."""
    students: dict[int, Student] = {}
    follow_ups: dict[tuple[int, int], FollowUp] = {}
    sections: dict[tuple[int, int], Section] = {}
    phones: dict[int, str] = {}
    for offset in range(0, len(lines), CHUNK):
        chunk = lines[offset : offset + CHUNK]
        ids = [line.student_id for line in chunk]
        students.update(Student.objects.in_bulk(ids))
        for follow_up in FollowUp.objects.filter(student_id__in=ids).order_by("recorded_at"):
            follow_ups[(follow_up.school_id, follow_up.student_id)] = follow_up
        last = max([end, *(line.as_of for line in chunk if line.as_of)])
        # The enrolment begun last by the window's end (a later one overwrites).
        for enrolment in (
            Enrolment.objects.filter(student_id__in=ids, starts_on__lte=last)
            .select_related("section")
            .order_by("starts_on", "pk")
        ):
            sections[(enrolment.school_id, enrolment.student_id)] = enrolment.section
        # A mother's or father's number before another guardian's, else the first.
        for link in (
            Guardianship.objects.filter(student_id__in=ids)
            .exclude(guardian__phone="")
            .select_related("guardian")
            .order_by("-relation", "-pk")
        ):
            phones[link.student_id] = link.guardian.phone
    found = [
        StudentRate(
            student=students[line.student_id],
            school=schools[line.school_id],
            held=line.held,
            attended=line.attended,
            school_days=line.school_days,
            days_absent=line.days_absent,
            last_follow_up=follow_ups.get((line.school_id, line.student_id)),
            under_threshold=line.under_threshold,
            chronically_absent=line.chronically_absent,
            as_of=line.as_of,
            section=sections.get((line.school_id, line.student_id)),
            guardian_phone=phones.get(line.student_id, ""),
        )
        for line in lines
        if line.student_id in students
    ]
    return sorted(found, key=need)
