"""What the generator carries between its steps: the plan of the district, in memory."""

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from hazri.accounts.models import User
from hazri.demo import names
from hazri.demo.generate.calendar import Entry, Session
from hazri.org.models import AcademicYear, OrgUnit, School, Section
from hazri.people.models import Staff

TZ = ZoneInfo("Asia/Kolkata")
PASSWORD = "hazri-demo"
BATCH = 1000


@dataclass
class Family:
    community: str
    surname: names.Name
    father: names.Name | None
    mother: names.Name | None
    other: names.Name | None  # a grandparent or uncle where neither parent is at home
    phone: str
    mother_phone: str
    father_user: User | None = None
    grades: list[int] = field(default_factory=list)
    guardians: list[tuple[int, str]] = field(default_factory=list)  # (guardian id, relation)


@dataclass
class StudentPlan:
    key: int  # position in the district's list; ids follow the same order
    grade: int
    name: str
    name_local: str
    gender: str
    family: Family
    origin: str
    admitted_on: dt.date
    starts_on: dt.date
    date_of_birth: dt.date | None = None
    left_on: dt.date | None = None
    leaving_reason: str = ""
    roll_no: int | None = None
    absence: float = 0.05  # base chance of missing a day
    on_duty_team: bool = False  # NCC, scouts or a sports team: sometimes marked D
    admission_no: str = ""
    state_id: str = ""
    id: int = 0


@dataclass
class SectionPlan:
    grade: int
    name: str
    size: int = 0
    students: list[StudentPlan] = field(default_factory=list)
    teacher: Staff | None = None
    section: Section | None = None


@dataclass
class SchoolPlan:
    kind: str  # GPS, GMS or GHSS
    village: names.Name
    cluster: OrgUnit
    code: str
    lowest_grade: int
    highest_grade: int
    size: int
    start_time: dt.time
    communities: dict[str, float]
    # How this school marks: a share of days skipped, no afternoon roll at all, the
    # share of children who go home after the mid-day meal, and how much more (or
    # less) its children miss school than the district's average.
    skip_share: float = 0.0
    no_afternoon: bool = False
    mdm_leave: float = 0.03
    absence_factor: float = 1.0
    sections: list[SectionPlan] = field(default_factory=list)
    head: Staff | None = None
    teachers: list[Staff] = field(default_factory=list)
    others: list[Staff] = field(default_factory=list)
    school: School | None = None
    school_days: list[dt.date] = field(default_factory=list)  # in the history
    holidays: set[dt.date] = field(default_factory=set)  # around the history

    @property
    def name(self) -> str:
        return f"{self.kind} {self.village[0]}"

    @property
    def staff(self) -> list[Staff]:
        head = [self.head] if self.head else []
        return head + self.teachers + self.others


@dataclass
class Demo:
    rng: random.Random
    today: dt.date
    now: dt.datetime
    session: Session
    history: list[dt.date]  # every day of the attendance history, oldest first
    schools: list[SchoolPlan] = field(default_factory=list)
    units: dict[str, OrgUnit] = field(default_factory=dict)  # by code
    year: AcademicYear | None = None
    calendar: list[tuple[int, Entry]] = field(default_factory=list)  # (unit id, entry)
    users: dict[str, User] = field(default_factory=dict)  # demo logins by username
    staff_users: dict[int, User] = field(default_factory=dict)  # staff id -> user
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ravi_school(self) -> SchoolPlan:
        return self.schools[0]

    def phone(self) -> str:
        return f"+9198{self.rng.randrange(10**8):08d}"

    def person(self, community: str, gender: str, *, adult: bool) -> names.Name:
        if adult:
            pool = names.MEN if gender == "M" else names.WOMEN
        else:
            pool = names.BOYS if gender == "M" else names.GIRLS
        return self.rng.choice(pool[community])

    def community(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]


def full(first: names.Name, surname: names.Name) -> names.Name:
    return f"{first[0]} {surname[0]}", f"{first[1]} {surname[1]}"
