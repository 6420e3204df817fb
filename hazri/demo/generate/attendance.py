"""Weeks of roll calls as the schools would have sent them, built in memory and stored in bulk.

A child's day is drawn once (absent children miss both meetings); the forenoon and
afternoon roll calls are then packed in roster order. Absence depends on the child
(most miss 3-10% of days, a few are chronically absent), the school, the season
(soybean harvest in October, wheat in March), the days around a holiday, Mondays,
and a spell of illness that carries over from yesterday.
"""

import datetime as dt
import hashlib
import random
import uuid
from typing import Any, TypeVar

from hazri.accounts.models import User
from hazri.attendance import rules
from hazri.attendance.models import RollCall, Roster, StaffRollCall, Timing
from hazri.dashboards.models import MealRecord
from hazri.demo.generate.context import BATCH, TZ, Demo, SchoolPlan, SectionPlan, StudentPlan
from hazri.org.selectors import Policy
from hazri.people.roll import RollEntry, order_roll
from hazri.people.selectors import ROLE_ORDER

POLICY = Policy(
    meetings_per_day=2, on_time_minutes=60, cutoff=dt.time(17, 0), weekly_offs=frozenset({7})
)
LATE_SHARE = 0.05  # of each meeting's roll calls
MISSED_SHARE = 0.02  # a section's meeting not marked: teacher away, class merged
CORRECTION_SHARE = 0.004
LATE_NOTES = [
    "Teacher was on BLO duty in the morning",
    "Head was at the cluster meeting; marked on return",
    "Class merged with another section; marked after the prayer",
    "Mid-day meal supplies arrived at start; marked after",
    "Teacher came late: bus did not come",
    "Marked from the paper register later",
]
STAFF_LATE_NOTES = [
    "Head was at the cluster meeting; marked on return",
    "Head on election duty in the morning",
    "Marked from the paper register later",
]
CORRECTION_NOTE = "Corrected: {name} came after the roll was taken"
# Mid-day meals (SPEC §1.9): most heads write them down nearly every day; a few schools
# forget often; now and then more meals are written than children came. These are the
# gaps the officers' meals page should find, a few dozen, not every school day.
MEALS_FORGOTTEN = 0.02
MEALS_FORGOTTEN_LAX = 0.3
LAX_MEAL_SCHOOLS = 10  # one school in this many, the last of the district's first
MEALS_OVER = 0.01

Day = tuple[str, str]  # forenoon and afternoon marks of one child
Sheet = TypeVar("Sheet", RollCall, StaffRollCall)


def _season(day: dt.date) -> float:
    if day.month == 10 or (day.month == 3 and day.day >= 15) or (day.month == 4 and day.day <= 15):
        return 1.5  # soybean harvest; wheat harvest
    if day.month in (7, 8):
        return 1.3  # monsoon sowing and flooded paths
    if day.month == 11 and day.day <= 15:
        return 1.2  # wheat sowing
    if day.month in (12, 1):
        return 1.1  # cold mornings
    return 1.0


def _day_factor(plan: SchoolPlan, day: dt.date) -> float:
    factor = _season(day) * plan.absence_factor
    if day.isoweekday() == 1:
        factor *= 1.2
    elif day.isoweekday() == 6:
        factor *= 1.1
    near = [day + dt.timedelta(days=n) for n in (-2, -1, 1)]
    if any(other in plan.holidays for other in near):
        factor *= 1.4  # the festival goes on at home
    return factor


def _child_days(demo: Demo, plan: SchoolPlan) -> dict[dt.date, dict[int, Day]]:
    """Each child's marks for every school day of the history, both meetings."""
    rng = demo.rng
    students = [s for section in plan.sections for s in section.students]
    sports_day = None
    if plan.school_days and plan.highest_grade >= 6 and rng.random() < 0.5:
        sports_day = rng.choice(plan.school_days)  # cluster sports meet: the teams go
    was_absent = dict.fromkeys((s.key for s in students), False)
    days: dict[dt.date, dict[int, Day]] = {}
    for day in plan.school_days:
        factor = _day_factor(plan, day)
        marks = days[day] = {}
        for s in students:
            if not _on_roll(s, day):
                continue
            chance = min(0.95, s.absence * factor)
            if was_absent[s.key]:
                chance = max(chance, 0.5 if s.absence > 0.2 else 0.25)  # a spell of fever
            if s.left_on is not None and (s.left_on - day).days < 10:
                chance = max(chance, 0.7)  # the family is packing up
            if rng.random() < chance:
                code = rules.LEAVE if rng.random() < 0.12 else rules.ABSENT
                marks[s.key] = (code, code) if rng.random() < 0.97 else (code, rules.PRESENT)
                was_absent[s.key] = True
                continue
            was_absent[s.key] = False
            if s.on_duty_team and (day == sports_day or rng.random() < 0.02):
                marks[s.key] = (rules.DUTY, rules.DUTY)
                continue
            # Some children go home after the mid-day meal, the little ones more.
            leaves = plan.mdm_leave * (1.3 if s.grade <= 5 else 0.8)
            marks[s.key] = (rules.PRESENT, rules.ABSENT if rng.random() < leaves else rules.PRESENT)
    return days


def _on_roll(student: StudentPlan, day: dt.date) -> bool:
    return student.starts_on <= day and (student.left_on is None or student.left_on >= day)


class Builder:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.rng = demo.rng
        self.rosters: dict[tuple[int, str], Roster] = {}
        self.rollcalls: list[RollCall] = []
        self.staff_calls: list[StaffRollCall] = []

    def roster(self, plan: SchoolPlan, members: list[int]) -> Roster:
        member_ids = ",".join(str(member) for member in members)
        digest = hashlib.sha256(member_ids.encode()).hexdigest()
        assert plan.school is not None
        key = (plan.school.pk, digest)
        if key not in self.rosters:
            self.rosters[key] = Roster(school=plan.school, digest=digest, member_ids=member_ids)
        return self.rosters[key]

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def times(
        self, plan: SchoolPlan, day: dt.date, meeting: int
    ) -> tuple[dt.datetime, dt.datetime]:
        """When the marks were taken and when they arrived.

        Most rolls are taken within 50 minutes of the meeting's start; about one in
        twenty is late, an hour to four hours after it, but always before the cutoff.
        """
        rng = self.rng
        start = dt.datetime.combine(day, self.window(plan, meeting).start, tzinfo=TZ)
        cutoff = dt.datetime.combine(day, POLICY.cutoff, tzinfo=TZ)
        room = max(int((cutoff - start).total_seconds() // 60) - 5, 4)
        if rng.random() >= LATE_SHARE or room <= 61:
            minutes = rng.randint(3, min(50, room))
        else:
            minutes = rng.randint(61, min(240, room))
        captured = start + dt.timedelta(minutes=minutes, seconds=rng.randrange(60))
        return captured, self.received(captured)

    @staticmethod
    def window(plan: SchoolPlan, meeting: int) -> rules.Window:
        start = rules.meeting_start(start=plan.start_time, afternoon_start=None, meeting=meeting)
        return rules.Window(
            start, POLICY.on_time_minutes, POLICY.cutoff, POLICY.opens_before_minutes
        )

    def received(self, captured: dt.datetime) -> dt.datetime:
        rng = self.rng
        network = rng.random()
        if network < 0.65:
            delay = dt.timedelta(seconds=rng.randint(20, 600))
        elif network < 0.92:
            delay = dt.timedelta(minutes=rng.randint(10, 180))
        else:
            delay = dt.timedelta(hours=rng.uniform(3, 26))  # the phone was offline
        return max(min(captured + delay, self.demo.now), captured + dt.timedelta(seconds=20))

    def timing(
        self,
        plan: SchoolPlan,
        day: dt.date,
        captured: dt.datetime,
        received: dt.datetime,
        notes: list[str],
        meeting: int,
    ) -> tuple[str, str]:
        judged = rules.judge_timing(
            day=day,
            captured=captured,
            now=received.astimezone(TZ),
            window=self.window(plan, meeting),
        )
        if judged == rules.Timing.ON_TIME:
            return Timing.ON_TIME, ""
        return Timing.LATE, self.rng.choice(notes)

    def sheet(
        self,
        model: type[Sheet],
        plan: SchoolPlan,
        day: dt.date,
        roster: Roster,
        marks: str,
        taken_by: User,
        **key: Any,
    ) -> Sheet:
        """A first version taken by the school's device."""
        meeting = key.get("meeting", 1)
        captured, received = self.times(plan, day, meeting)
        notes = STAFF_LATE_NOTES if model is StaffRollCall else LATE_NOTES
        timing, note = self.timing(plan, day, captured, received, notes, meeting)
        return self.make(
            model,
            plan,
            day,
            roster,
            marks,
            taken_by,
            captured=captured,
            received=received,
            timing=timing,
            note=note,
            **key,
        )

    def make(
        self,
        model: type[Sheet],
        plan: SchoolPlan,
        day: dt.date,
        roster: Roster,
        marks: str,
        taken_by: User,
        *,
        captured: dt.datetime,
        received: dt.datetime,
        timing: str,
        note: str,
        version: int = 1,
        **key: Any,
    ) -> Sheet:
        counts = rules.count_marks(marks)
        return model(
            school=plan.school,
            day=day,
            version=version,
            is_current=True,
            client_uuid=self.uuid(),
            roster=roster,
            marks=marks,
            present=counts.present,
            absent=counts.absent,
            leave=counts.leave,
            duty=counts.duty,
            device_captured_at=captured,
            captured_at=captured,
            clock_skew_seconds=0,
            received_at=received,
            taken_by=taken_by,
            timing=timing,
            note=note,
            **key,
        )

    def section(
        self,
        plan: SchoolPlan,
        section: SectionPlan,
        days: dict[dt.date, dict[int, Day]],
        skipped: set[dt.date],
    ) -> None:
        rng = self.rng
        assert plan.head is not None and section.teacher is not None
        head = self.demo.staff_users[plan.head.pk]
        teacher = self.demo.staff_users.get(section.teacher.pk, head)
        ordered: dict[tuple[int, ...], tuple[list[StudentPlan], Roster]] = {}
        for day in plan.school_days:
            if day in skipped:
                continue
            on_roll = tuple(s.key for s in section.students if s.key in days[day])
            if not on_roll:
                continue
            if on_roll not in ordered:
                members = _roll_order([s for s in section.students if s.key in days[day]])
                ordered[on_roll] = members, self.roster(plan, [s.id for s in members])
            members, roster = ordered[on_roll]
            ids = [s.id for s in members]
            for meeting in (1, 2):
                if (meeting == 2 and plan.no_afternoon) or rng.random() < MISSED_SHARE:
                    continue
                marks = rules.pack_marks(
                    ids, [(s.id, days[day][s.key][meeting - 1]) for s in members]
                )
                taken_by = teacher if rng.random() < 0.85 else head
                call = self.sheet(
                    RollCall,
                    plan,
                    day,
                    roster,
                    marks,
                    taken_by,
                    section=section.section,
                    meeting=meeting,
                )
                self.rollcalls.append(call)
                if rng.random() < CORRECTION_SHARE:
                    self.correct(plan, call, members, head)

    def correct(
        self, plan: SchoolPlan, call: RollCall, members: list[StudentPlan], head: User
    ) -> None:
        """A child marked absent came after the roll: the head corrects it in the evening."""
        roll = list(rules.unpack_marks(call.roster.members, call.marks))
        absent = [i for i, (_, mark) in enumerate(roll) if mark == rules.ABSENT]
        if not absent:
            return
        slot = self.rng.choice(absent)
        roll[slot] = (roll[slot][0], rules.PRESENT)
        marks = rules.pack_marks(call.roster.members, roll)
        captured = dt.datetime.combine(call.day, dt.time(17, 5), tzinfo=TZ) + dt.timedelta(
            minutes=self.rng.randint(0, 150)
        )
        call.is_current = False
        correction = self.make(
            RollCall,
            plan,
            call.day,
            call.roster,
            marks,
            head,
            captured=captured,
            received=self.received(captured),
            timing=Timing.CORRECTION,
            note=CORRECTION_NOTE.format(name=members[slot].name),
            version=2,
            section=call.section,
            meeting=call.meeting,
        )
        self.rollcalls.append(correction)

    def staff(self, plan: SchoolPlan, skipped: set[dt.date]) -> None:
        rng = self.rng
        staff = sorted(
            plan.staff, key=lambda m: (ROLE_ORDER[_role(plan, m)], m.name.casefold(), m.pk)
        )
        ids = [member.pk for member in staff]
        roster = self.roster(plan, ids)
        assert plan.head is not None
        head = self.demo.staff_users[plan.head.pk]
        for day in plan.school_days:
            if day in skipped:
                continue
            codes = [rng.choices(rules.MARK_CODES, weights=(925, 15, 40, 20))[0] for _ in staff]
            marks = rules.pack_marks(ids, list(zip(ids, codes, strict=True)))
            call = self.sheet(StaffRollCall, plan, day, roster, marks, head)
            self.staff_calls.append(call)


def _role(plan: SchoolPlan, member: object) -> str:
    if member is plan.head:
        return "head"
    return "teacher" if member in plan.teachers else "other"


def _roll_order(students: list[StudentPlan]) -> list[StudentPlan]:
    """The legal roll order (SPEC §3.2), as people.selectors.section_roll gives it."""
    by_id = {s.id: s for s in students}
    return [
        by_id[entry.member]
        for entry in order_roll(
            RollEntry(
                member=s.id,
                name=s.name,
                origin=s.origin,
                admitted_on=s.admitted_on,
                roll_no=s.roll_no,
            )
            for s in students
        )
    ]


def create_rollcalls(demo: Demo) -> None:
    builder = Builder(demo)
    for plan in demo.schools:
        days = _child_days(demo, plan)
        skip = round(len(plan.school_days) * plan.skip_share)
        skipped = set(demo.rng.sample(plan.school_days, skip)) if skip else set()
        for section in plan.sections:
            builder.section(plan, section, days, skipped)
        builder.staff(plan, skipped)
    Roster.objects.bulk_create(list(builder.rosters.values()), batch_size=BATCH)
    RollCall.objects.bulk_create(builder.rollcalls, batch_size=BATCH)
    StaffRollCall.objects.bulk_create(builder.staff_calls, batch_size=BATCH)
    demo.counts["rosters"] = len(builder.rosters)
    demo.counts["roll calls"] = len(builder.rollcalls)
    demo.counts["staff roll calls"] = len(builder.staff_calls)
    meals = _meals(demo, builder.rollcalls)
    MealRecord.objects.bulk_create(meals, batch_size=BATCH)
    demo.counts["meal records"] = len(meals)


def _meals(demo: Demo, rollcalls: list[RollCall]) -> list[MealRecord]:
    """The meals each school wrote down on the days its forenoon roll was taken: about
    as many as the children present, fewer when some did not eat. Drawn from each
    school's own generator, so the rest of the district stays as the seed made it."""
    came: dict[tuple[int, dt.date], int] = {}
    for call in rollcalls:
        if call.meeting == 1 and call.is_current:
            key = (call.school.pk, call.day)
            came[key] = came.get(key, 0) + call.present + call.duty
    meals = []
    for index, plan in enumerate(reversed(demo.schools)):
        assert plan.school is not None and plan.head is not None
        rng = random.Random(f"meals:{plan.code}")
        head = demo.staff_users[plan.head.pk]
        forgets = MEALS_FORGOTTEN_LAX if index % LAX_MEAL_SCHOOLS == 0 else MEALS_FORGOTTEN
        for day in plan.school_days:
            children = came.get((plan.school.pk, day), 0)
            if not children or rng.random() < forgets:
                continue
            if rng.random() < MEALS_OVER:
                served = children + rng.randint(5, 30)
            else:
                served = round(children * rng.uniform(0.9, 1.0))
            recorded = dt.datetime.combine(day, dt.time(13, 0), tzinfo=TZ)
            meals.append(
                MealRecord(
                    school=plan.school,
                    day=day,
                    meals_served=served,
                    recorded_by=head,
                    recorded_at=recorded + dt.timedelta(minutes=rng.randint(0, 120)),
                )
            )
    return meals
