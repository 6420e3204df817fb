"""The small named world every test reuses: head Ravi and teacher Asha at Rampur
primary school, teacher Suresh at Khedi school, block officer Meera, parent Imran.

Fixed dates keep tests deterministic: the 2026-27 session, and school days in
November 2026 (the 15th is a Sunday; the 16th a local holiday).
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from hazri.accounts.models import OfficerGrant, User
from hazri.org.models import AcademicYear, AttendancePolicy, CalendarEntry, OrgUnit, School, Section
from hazri.org.services import orgunit_create, school_create
from hazri.people.models import (
    Admission,
    Enrolment,
    Guardian,
    Guardianship,
    Posting,
    Staff,
    Student,
)

PASSWORD = "hazri-test-pass"
SCHOOL_DAY = dt.date(2026, 11, 18)  # a Wednesday
SUNDAY = dt.date(2026, 11, 15)
HOLIDAY = dt.date(2026, 11, 16)


def morning_timezone(now: dt.datetime | None = None) -> str:
    """A fixed-offset zone where it is now between 09:00 and 10:00, so a browser
    test can mark "today" on time whenever it runs."""
    now = now or timezone.now()
    for offset in range(-12, 15):
        # Etc/GMT signs are inverted: Etc/GMT-5 is UTC+5.
        name = f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"
        if now.astimezone(ZoneInfo(name)).hour == 9:
            return name
    raise AssertionError("some UTC offset always has 09:00")


@dataclass
class World:
    state: OrgUnit
    district: OrgUnit
    block: OrgUnit
    cluster: OrgUnit
    year: AcademicYear
    policy: AttendancePolicy
    school: School
    other_school: School
    section: Section  # 5 A at Rampur, five students
    other_section: Section  # 3 A at Khedi
    ravi: User
    asha: User
    suresh: User
    meera: User
    imran: User
    students: list[Student] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)


def _user(username: str, first: str, last: str) -> User:
    return User.objects.create_user(username, password=PASSWORD, first_name=first, last_name=last)


def _student(
    world_school: School,
    section: Section,
    n: int,
    name: str,
    local: str,
    gender: str,
    origin: str,
    admitted: dt.date,
) -> Student:
    student = Student.objects.create(
        name=name, name_local=local, gender=gender, state_id=f"SAM{world_school.pk:03d}{n:04d}"
    )
    admission = Admission.objects.create(
        school=world_school, student=student, admission_no=f"{n:04d}", admitted_on=admitted
    )
    Enrolment.objects.create(
        school=world_school,
        section=section,
        student=student,
        admission=admission,
        origin=origin,
        starts_on=admitted,
    )
    return student


def build_world() -> World:
    state = orgunit_create(
        parent=None, kind="state", code="MP", name="Madhya Pradesh", name_local="मध्य प्रदेश"
    )
    district = orgunit_create(
        parent=state, kind="district", code="MP-SEH", name="Sehore", name_local="सीहोर"
    )
    block = orgunit_create(
        parent=district, kind="block", code="MP-SEH-ASH", name="Ashta", name_local="आष्टा"
    )
    cluster = orgunit_create(
        parent=block, kind="cluster", code="MP-SEH-ASH-1", name="Rampur", name_local="रामपुर"
    )
    # The world's school days lie in the past of whenever the suite runs, marked with
    # honest device clocks: its state lets a phone stay offline that long. Tests of
    # late entries set the allowance to the default week.
    policy = AttendancePolicy.objects.create(
        unit=state,
        meetings_per_day=2,
        on_time_minutes=60,
        cutoff=dt.time(17, 0),
        weekly_offs=[7],
        offline_allowance_days=3650,
    )
    # The 2026-27 session, stretched well past today when the suite runs after March
    # 2027: tests that mark "today" or certify next month must stay inside it.
    ends = max(dt.date(2027, 3, 31), timezone.localdate() + dt.timedelta(days=400))
    year = AcademicYear.objects.create(
        unit=state, name="2026-27", starts_on=dt.date(2026, 4, 1), ends_on=ends
    )
    CalendarEntry.objects.create(unit=district, day=HOLIDAY, kind="holiday", name="Local fair")
    CalendarEntry.objects.create(
        unit=state, day=dt.date(2026, 8, 15), kind="national", name="Independence Day"
    )
    school = school_create(
        unit=cluster,
        code="23370100101",
        name="GPS Rampur",
        name_local="शासकीय प्राथमिक शाला रामपुर",
        start_time=dt.time(8, 0),
    )
    other_school = school_create(
        unit=cluster, code="23370100102", name="GPS Khedi", name_local="शासकीय प्राथमिक शाला खेड़ी"
    )
    section = Section.objects.create(school=school, academic_year=year, grade=5, name="A")
    other_section = Section.objects.create(
        school=other_school, academic_year=year, grade=3, name="A"
    )
    ravi, asha = _user("ravi", "Ravi", "Verma"), _user("asha", "Asha", "Patel")
    suresh, meera = _user("suresh", "Suresh", "Yadav"), _user("meera", "Meera", "Joshi")
    imran = _user("imran", "Imran", "Khan")
    start = dt.date(2026, 4, 1)
    staff = []
    for code, user, target, role in [
        ("EMP001", ravi, school, Posting.Role.HEAD),
        ("EMP002", asha, school, Posting.Role.TEACHER),
        ("EMP003", suresh, other_school, Posting.Role.TEACHER),
    ]:
        member = Staff.objects.create(
            employee_code=code, name=user.get_full_name(), gender="F", user=user
        )
        Posting.objects.create(staff=member, school=target, role=role, starts_on=start)
        staff.append(member)
    OfficerGrant.objects.create(user=meera, unit=block, title="Block education officer")
    students = [
        _student(school, section, 1, "Aarav Sharma", "आरव शर्मा", "M", "repeater", start),
        _student(school, section, 2, "Zoya Khan", "ज़ोया ख़ान", "F", "promoted", start),
        _student(school, section, 3, "Bhavna Meena", "भावना मीणा", "F", "promoted", start),
        _student(school, section, 4, "Kabir Singh", "कबीर सिंह", "M", "new", dt.date(2026, 7, 1)),
        _student(school, section, 5, "Diya Rajput", "दिया राजपूत", "F", "new", dt.date(2026, 6, 20)),
    ]
    _student(other_school, other_section, 1, "Gopal Das", "गोपाल दास", "M", "promoted", start)
    guardian = Guardian.objects.create(name="Imran Khan", phone="+919800000001", user=imran)
    Guardianship.objects.create(guardian=guardian, student=students[1], relation="father")
    return World(
        state=state,
        district=district,
        block=block,
        cluster=cluster,
        year=year,
        policy=policy,
        school=school,
        other_school=other_school,
        section=section,
        other_section=other_section,
        ravi=ravi,
        asha=asha,
        suresh=suresh,
        meera=meera,
        imran=imran,
        students=students,
        staff=staff,
    )
