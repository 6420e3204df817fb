"""The synthetic state of bench/dashboard.py, loaded in bulk.

At scale 1.0: 100,000 schools under a state of 50 districts, 800 blocks and ~9,600
clusters (the fan-out below the state is kept at every scale, so a district, block
and cluster look the same size at 0.02 as at 1.0; only the state shrinks); ~200
students a school; SchoolDay rows for every school and every calendar day of the
span that holds `school_days` school days (Sundays and ~6 % holidays off), ending on
the last school day up to today; and the raw roll calls of the latest `rollcall_days`
school days for a sample of schools (their sections, students and rosters too), with
those schools' SchoolDay figures for the month counted from the roll calls.

PostgreSQL loads with COPY, SQLite with executemany; the big tables lose their
secondary indexes and unique/foreign-key constraints while loading and get them back
(same names and definitions) afterwards. Enrolments, admissions, staff, postings,
meal records and staff roll calls are not generated: no dashboard read needs them.
"""

import datetime as dt
import hashlib
import math
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dashboard_days import calendar, split
from dashboard_load import Loader
from django.db import transaction
from django.utils import timezone

from hazri.accounts.models import OfficerGrant, User
from hazri.attendance import rules
from hazri.dashboards import rollups, weak
from hazri.dashboards.models import WeakStudentBuild
from hazri.org.models import AcademicYear, AttendancePolicy, CalendarEntry, OrgUnit, School
from hazri.org.services import orgunit_create

FULL_SCHOOLS = 100_000
SCHOOLS_PER_DISTRICT = 2_000  # 50 districts at full scale
SCHOOLS_PER_BLOCK = 125  # 16 blocks a district
SCHOOLS_PER_CLUSTER = 10.4  # 12 clusters a block
TRAIL_DAYS_KEPT = 45  # what the nightly `hazri rollups` redoes

# fmt: off
SCHOOLDAY_COLUMNS = [
    "id", "school_id", "day", "unit_path", "is_school_day", "sections", "meetings_expected",
    "meetings_marked", "meetings_late", "meetings_corrected", "on_roll", "slots_marked",
    "attended", "absent", "leave", "present_forenoon", "first_marked_at", "staff_on_roll",
    "staff_marked", "staff_attended", "meals_served", "trail_days", "trail_missed",
    "trail_late", "trail_corrected", "trail_expected", "trail_marked", "trail_slots",
    "trail_attended", "updated_at",
]
TRAIL_ZEROS = (0,) * 8  # set by the unit-rollup build, as in production
ROLLCALL_COLUMNS = [
    "id", "school_id", "section_id", "day", "meeting", "version", "is_current", "client_uuid",
    "roster_id", "marks", "present", "absent", "leave", "duty", "device_captured_at",
    "captured_at", "clock_skew_seconds", "received_at", "taken_by_id", "device_id", "timing",
    "note", "approval", "decided_by_id", "decided_at", "decision_note",
]
WEAK_COLUMNS = [
    "id", "school_id", "student_id", "unit_path", "as_of", "held", "attended", "school_days",
    "days_absent", "pct", "under_threshold", "chronically_absent",
]
# fmt: on


@dataclass(slots=True)
class Spec:
    """What a school is like: its roll, sections, staff and habits."""

    id: int
    unit_path: str
    seed: int
    sizes: list[int]  # students in each section
    staff: int
    rate: float  # usual attendance
    miss: float  # chance of marking nothing on a school day
    late: float  # chance a meeting is marked late
    start: int  # minutes after 08:00 IST a meeting is usually marked
    meals: str  # "ok", "over" (reports more meals than children) or "lax" (often none)
    on_roll: int = 0


@dataclass
class World:
    state: OrgUnit
    district: OrgUnit
    block: OrgUnit
    cluster: OrgUnit
    school: School
    officer: User
    end: dt.date
    days: list[dt.date]
    sizes: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _spec(school_id: int, unit_path: str, seed: int) -> Spec:
    rng = random.Random(seed)
    sections = rng.choice([5, 6, 7, 8, 8, 8, 8, 9, 10, 12])
    roll = min(900, max(30, round(rng.lognormvariate(math.log(200) - 0.101, 0.45))))
    sizes = split(roll, sections, rng) if roll >= sections else [1] * sections
    unreliable = rng.random() < 0.10  # ~10 % of schools often fail to mark
    meals = rng.random()
    return Spec(
        id=school_id,
        unit_path=unit_path,
        seed=seed,
        sizes=sizes,
        staff=max(2, round(roll / 30 + rng.uniform(-1, 2))),
        rate=min(0.98, max(0.45, rng.gauss(0.85, 0.06))),
        miss=rng.uniform(0.15, 0.45) if unreliable else rng.uniform(0.0, 0.02),
        late=rng.uniform(0.0, 0.15) if rng.random() < 0.8 else rng.uniform(0.2, 0.6),
        start=rng.randint(5, 40),
        meals="over" if meals < 0.03 else ("lax" if meals < 0.08 else "ok"),
        on_roll=sum(sizes),
    )


class Generator:
    def __init__(self, loader: Loader, seed: int) -> None:
        self.loader, self.seed = loader, seed
        self.now = timezone.now().strftime("%Y-%m-%d %H:%M:%S") + ("+00" if loader.pg else "")
        # (school, day) -> counts from the generated roll calls
        self.counted: dict[tuple[int, dt.date], list[Any]] = {}
        self.first_student = self.last_student = 0  # the sample's students

    # Sample schools: sections, students, rosters and a month of roll calls.
    def month(
        self, specs: list[Spec], days: list[dt.date], year: AcademicYear, taken_by: int
    ) -> dict[str, int]:
        section_id = self.loader.next_id("org_section")
        student_id = self.first_student = self.loader.next_id("people_student")
        roster_id = self.loader.next_id("attendance_roster")
        sections, students, rosters, plans = [], [], [], []
        for spec in specs:
            rng = random.Random(spec.seed * 7 + 1)
            plan = []
            for index, size in enumerate(spec.sizes):
                members = list(range(student_id, student_id + size))
                student_id += size
                likely = [
                    rng.uniform(0.35, 0.7)  # ~8 % chronically absent
                    if rng.random() < 0.08
                    else min(0.995, max(0.3, rng.gauss(spec.rate, 0.07)))
                    for _ in members
                ]
                text = ",".join(map(str, members))
                digest = hashlib.sha256(text.encode()).hexdigest()
                sections.append((section_id, spec.id, year.pk, index + 1, "A"))
                rosters.append((roster_id, spec.id, digest, text))
                students.extend(
                    (m, f"Student {m}", "", "FM"[m % 2], None, None, self.now) for m in members
                )
                plan.append((section_id, roster_id, likely))
                section_id += 1
                roster_id += 1
            plans.append((spec, plan))
        self.last_student = student_id
        load = self.loader.load
        # fmt: off
        load("org_section", ["id", "school_id", "academic_year_id", "grade", "name"], sections)
        load("people_student", ["id", "name", "name_local", "gender", "date_of_birth",
                                "user_id", "updated_at"], students)
        load("attendance_roster", ["id", "school_id", "digest", "member_ids"], rosters)
        # fmt: on
        start = self.loader.next_id("attendance_rollcall")
        made = self._rollcalls(plans, days, start, taken_by)
        rollcalls = load("attendance_rollcall", ROLLCALL_COLUMNS, made, rebuild=True)
        return {
            "sections": len(sections),
            "students_rows": len(students),
            "rosters": len(rosters),
            "rollcalls": rollcalls,
        }

    def _rollcalls(
        self, plans: list, days: list[dt.date], next_id: int, taken_by: int
    ) -> Iterator[tuple[Any, ...]]:
        stamp = self.loader.stamp
        for spec, plan in plans:
            rng = random.Random(spec.seed * 7 + 2)
            rnd = rng.random
            for day in days:
                iso = day.isoformat()
                roll = rnd()
                meetings = 0 if roll < spec.miss else (1 if roll < spec.miss + 0.05 else 2)
                tally = [0, 0, 0, 0, 0, 0, 0, 0, None]  # as Generator.counted
                for meeting in range(1, meetings + 1):
                    for section_id, roster_id, likely in plan:
                        codes = []
                        for p in likely:
                            x = rnd()
                            p = p - 0.02 * (meeting - 1)
                            codes.append(
                                ("D" if x < 0.01 * p else "P")
                                if x < p
                                else ("L" if x < p + (1 - p) * 0.15 else "A")
                            )
                        marks = "".join(codes)
                        counts = rules.count_marks(marks)
                        present, duty = counts.present, counts.duty
                        absent, leave = counts.absent, counts.leave
                        late = rnd() < spec.late
                        after = rng.randint(65, 200) if late else spec.start + rng.randint(0, 20)
                        minute = 150 + 240 * (meeting - 1) + after  # 08:00 IST is 02:30 UTC
                        captured = stamp(iso, minute)
                        yield (
                            next_id, spec.id, section_id, iso, meeting, 1, True,
                            f"{rng.getrandbits(128):032x}", roster_id, marks,
                            present, absent, leave, duty, captured, captured, 0,
                            stamp(iso, minute + 2), taken_by, None,
                            "late" if late else "on_time", "", "", None, None, "",
                        )  # fmt: skip
                        next_id += 1
                        came = present + duty
                        tally[0] += 1
                        tally[1] += late
                        tally[3] += came
                        tally[4] += absent
                        tally[5] += leave
                        tally[6] += len(marks)
                        tally[7] += came if meeting == 1 else 0
                        tally[8] = minute if tally[8] is None else min(tally[8], minute)
                self.counted[(spec.id, day)] = tally

    # Every school: a SchoolDay row for every day.
    def schooldays(
        self, specs: list[Spec], days: list[dt.date], open_days: set[dt.date], next_id: int
    ) -> Iterator[tuple[Any, ...]]:
        """Day by day, every school's row: the order rows arrive in production (as roll
        calls come in, and nightly), so that a day's rows lie together on disk."""
        stamp, now = self.loader.stamp, self.now
        rng = random.Random(self.seed * 7 + 3)
        rnd = rng.random
        for day in days:
            iso, saturday = day.isoformat(), day.isoweekday() == 6
            for spec in specs:
                sections, on_roll, staff = len(spec.sizes), spec.on_roll, spec.staff
                if day not in open_days:
                    yield (
                        next_id, spec.id, iso, spec.unit_path, False, sections, 0, 0, 0, 0,
                        on_roll, 0, 0, 0, 0, 0, None, staff, False, 0, None, *TRAIL_ZEROS,
                        now,
                    )  # fmt: skip
                    next_id += 1
                    continue
                tally = self.counted.get((spec.id, day))
                if tally is None:
                    tally = self._made_up(spec, rng, saturday)
                marked, late, corrected, came, away, off, slots, forenoon, first = tally
                staff_marked = marked > 0 and rnd() < 0.92
                meals = None
                if forenoon:
                    if spec.meals == "over" and rnd() < 0.3:
                        meals = forenoon + rng.randint(1, 20)
                    elif not (spec.meals == "lax" and rnd() < 0.4) and rnd() > 0.02:
                        meals = max(0, forenoon - rng.randint(0, 3))
                yield (
                    next_id, spec.id, iso, spec.unit_path, True, sections, 2 * sections,
                    marked, late, corrected, on_roll, slots, came, away, off, forenoon,
                    None if first is None else stamp(iso, first), staff, staff_marked,
                    max(0, staff - (rnd() < 0.3) - (rnd() < 0.05)) if staff_marked else 0,
                    meals, *TRAIL_ZEROS, now,
                )  # fmt: skip
                next_id += 1

    # Every other school: weak-student rows like the sample's.
    def weak(self, specs: list[Spec], as_of: dt.date, next_id: int) -> Iterator[tuple[Any, ...]]:
        """Rows for the schools without roll calls, as many per student on roll as the
        sample's counted lists hold, each a copy of a sample row's figures; the students
        are the sample's (ids must exist), distinct within a school. The sample is read
        here, before the rows are asked for (a COPY holds the connection)."""
        from hazri.dashboards.models import WeakStudent

        counted = list(
            WeakStudent.objects.values_list(
                "held", "attended", "school_days", "days_absent", "pct",
                "under_threshold", "chronically_absent",
            )
        )  # fmt: skip
        sampled = set(WeakStudent.objects.values_list("school_id", flat=True).distinct())
        pool = list(range(self.first_student, self.last_student))
        on_roll = sum(s.on_roll for s in specs if s.id in sampled) or 1
        share = len(counted) / on_roll
        rng = random.Random(self.seed * 7 + 4)
        iso = as_of.isoformat()

        def rows(next_id: int) -> Iterator[tuple[Any, ...]]:
            for spec in specs:
                if spec.id in sampled or not counted:
                    continue
                for student in rng.sample(pool, min(len(pool), round(spec.on_roll * share))):
                    yield (next_id, spec.id, student, spec.unit_path, iso, *rng.choice(counted))
                    next_id += 1

        return rows(next_id)

    def _made_up(self, spec: Spec, rng: random.Random, saturday: bool) -> list[Any]:
        """A school day's counts without roll calls behind them."""
        roll = rng.random()
        sections, on_roll = len(spec.sizes), spec.on_roll
        if roll < spec.miss:
            return [0, 0, 0, 0, 0, 0, 0, 0, None]
        meetings = 1 if roll < spec.miss + 0.05 else 2
        rate = min(0.995, max(0.2, spec.rate + rng.gauss(0, 0.03) - 0.03 * saturday))
        forenoon = round(on_roll * rate)
        afternoon = round(on_roll * (rate - 0.02)) if meetings == 2 else 0
        came, slots = forenoon + afternoon, on_roll * meetings
        off = round((slots - came) * 0.15)
        marked = sections * meetings
        late = sum(rng.random() < spec.late for _ in range(marked))
        corrected = 1 if rng.random() < 0.02 else 0
        first = 150 + spec.start + rng.randint(0, 20) + (rng.randint(60, 150) if late else 0)
        return [marked, late, corrected, came, slots - came - off, off, slots, forenoon, first]


def _tree(state: OrgUnit, total: int, rng: random.Random) -> tuple[list, dict[str, int]]:
    """Districts, blocks and clusters under the state: [(cluster, its schools)], counts."""
    clusters: list[tuple[OrgUnit, int]] = []
    units = {"district": 0, "block": 0, "cluster": 0}
    create = orgunit_create
    for d, in_d in enumerate(split(total, round(total / SCHOOLS_PER_DISTRICT) or 1, rng), 1):
        district = create(parent=state, kind="district", code=f"D{d}", name=f"District {d:02d}")
        for b, in_b in enumerate(split(in_d, round(in_d / SCHOOLS_PER_BLOCK) or 1, rng), 1):
            name = f"Block {d:02d}-{b:02d}"
            block = create(parent=district, kind="block", code=f"D{d}B{b}", name=name)
            for c, in_c in enumerate(split(in_b, round(in_b / SCHOOLS_PER_CLUSTER) or 1, rng), 1):
                name = f"Cluster {d:02d}-{b:02d}-{c:02d}"
                cluster = create(parent=block, kind="cluster", code=f"D{d}B{b}C{c}", name=name)
                clusters.append((cluster, in_c))
                units["cluster"] += 1
            units["block"] += 1
        units["district"] += 1
    return clusters, units


def build(
    *,
    scale: float,
    school_days: int = 220,
    rollcall_days: int = 22,
    rollcall_schools: str = "block",
    seed: int = 1,
    today: dt.date | None = None,
) -> World:
    """The whole synthetic state, loaded; `today` defaults to the local date."""
    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    today = today or timezone.localdate()
    days, open_days, holidays = calendar(today, school_days, rng)
    end = days[-1]
    total = max(1, round(FULL_SCHOOLS * scale))

    with transaction.atomic():
        state = orgunit_create(parent=None, kind="state", code="BENCH", name="Bench Pradesh")
        # The lists count every child from the first day marked: the bench measures
        # reading them, and a short run marks only a few days.
        policy = AttendancePolicy.objects.create(
            unit=state, meetings_per_day=2, weekly_offs=[7], low_attendance_min_days=1
        )
        year = AcademicYear.objects.create(
            unit=state, name="bench", starts_on=days[0], ends_on=end + dt.timedelta(days=200)
        )
        CalendarEntry.objects.bulk_create(
            CalendarEntry(unit=state, day=day, kind="holiday", name="Holiday") for day in holidays
        )
        clusters, units = _tree(state, total, rng)
    seconds["org_tree"] = time.perf_counter() - started

    started = time.perf_counter()
    places = [(cluster, i) for cluster, count in clusters for i in range(1, count + 1)]
    schools = [
        School(unit=c, unit_path=c.path, code=f"27{n:09d}", name=f"GPS {c.name[8:]}-{i:02d}")
        for n, (c, i) in enumerate(places, 1)
    ]
    School.objects.bulk_create(schools, batch_size=5000)
    assert all(s.pk for s in schools)  # PostgreSQL and SQLite ≥ 3.35 return the ids
    specs = [_spec(s.pk, s.unit_path, seed * 1_000_003 + n) for n, s in enumerate(schools)]
    officer = User.objects.create(username="bench-state-officer", first_name="State officer")
    OfficerGrant.objects.create(user=officer, unit=state, title="State project director")
    seconds["schools"] = time.perf_counter() - started

    first_cluster = clusters[0][0]
    district = OrgUnit.objects.get(pk=first_cluster.ancestor_ids[1])
    block = OrgUnit.objects.get(pk=first_cluster.ancestor_ids[2])
    if rollcall_schools == "all":
        sample = specs
    elif rollcall_schools == "block":
        sample = [s for s in specs if s.unit_path.startswith(block.path)]
    else:
        sample = specs[: int(rollcall_schools)]
    recent = sorted(open_days)[-rollcall_days:] if rollcall_days else []

    loader = Loader()
    generator = Generator(loader, seed)
    started = time.perf_counter()
    month = generator.month(sample, recent, year, officer.pk)
    seconds["rollcalls"] = time.perf_counter() - started
    started = time.perf_counter()
    first_id = loader.next_id("dashboards_schoolday")  # not inside the COPY
    made = generator.schooldays(specs, days, open_days, first_id)
    rows = loader.load("dashboards_schoolday", SCHOOLDAY_COLUMNS, made, rebuild=True)
    seconds["schooldays"] = time.perf_counter() - started
    # Unit rollups as the nightly job leaves them: every day built, the trails of the
    # last TRAIL_DAYS_KEPT days set (those are the ones the nightly job redoes).
    started = time.perf_counter()
    built = [day for day in days if day <= timezone.localdate()]
    unit_rows = rollups.days_build(built[:-TRAIL_DAYS_KEPT], trails=False)
    seconds["unit_rollups"] = time.perf_counter() - started
    started = time.perf_counter()
    unit_rows += rollups.days_build(built[-TRAIL_DAYS_KEPT:], trails=True)
    seconds["unit_rollups_with_trails"] = time.perf_counter() - started
    # The nightly weak-student lists: the sample's counted by the production code (the
    # other schools have no roll calls), every other school's made like them.
    started = time.perf_counter()
    sampled = {s.id for s in sample}
    counted = 0
    chosen = [school for school in schools if school.pk in sampled]
    for offset in range(0, len(chosen), weak.BUILD_SCHOOLS):
        counted += weak.build_schools(
            chosen[offset : offset + weak.BUILD_SCHOOLS],
            as_of=end,
            keep_below=policy.low_attendance_pct,
        )
    seconds["weak_students_counted"] = time.perf_counter() - started
    started = time.perf_counter()
    first_id = loader.next_id("dashboards_weakstudent")
    made_weak = generator.weak(specs, end, first_id)
    weak_rows = counted + loader.load(
        "dashboards_weakstudent", WEAK_COLUMNS, made_weak, rebuild=True
    )
    stamp = timezone.now()
    WeakStudentBuild.objects.create(
        as_of=end,
        started_at=stamp,
        finished_at=stamp,
        schools=len(specs),
        students=weak_rows,
        kept_below=policy.low_attendance_pct,
    )
    seconds["weak_students_made"] = time.perf_counter() - started
    return World(
        state, district, block, first_cluster, schools[0], officer, end, days,  # 1st school
        sizes={
            "scale": scale,
            **{f"{kind}s": count for kind, count in units.items()},
            "schools": len(schools),
            "students_on_roll": sum(s.on_roll for s in specs),
            "calendar_days": len(days),
            "school_days": len(open_days),
            "first_day": days[0].isoformat(),
            "last_day": end.isoformat(),
            "schoolday_rows": rows,
            "unitday_rows": unit_rows,
            "days_with_trails": len(built[-TRAIL_DAYS_KEPT:]),
            "schoolday_rows_school_days": len(open_days) * len(schools),
            "rollcall_days": len(recent),
            "rollcall_schools": len(sample),
            "rollcall_sample": rollcall_schools,
            "weak_student_rows": weak_rows,
            "weak_student_rows_counted": counted,
            **month,
            "schools_in": {
                "district": sum(s.unit_path.startswith(district.path) for s in specs),
                "block": sum(s.unit_path.startswith(block.path) for s in specs),
                "cluster": sum(s.unit_path == first_cluster.path for s in specs),
            },
        },
        seconds=seconds,
    )  # fmt: skip
