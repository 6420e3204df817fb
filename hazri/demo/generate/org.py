"""The district's tree, calendar, schools, staff, users and sections."""

import datetime as dt
import math

from django.contrib.auth.hashers import make_password

from hazri.accounts.models import OfficerGrant, User
from hazri.demo import names
from hazri.demo.generate import calendar
from hazri.demo.generate.context import BATCH, PASSWORD, Demo, SchoolPlan, SectionPlan, full
from hazri.org.calendar import CalendarMark, DayKind
from hazri.org.models import AcademicYear, AttendancePolicy, CalendarEntry, OrgUnit, School, Section
from hazri.org.services import orgunit_create
from hazri.people import services
from hazri.people.models import Posting, Staff, TeachingAssignment

STATE, DISTRICT = "MP", "MP-SEH"
START_TIMES = [
    (dt.time(10, 30), 55),
    (dt.time(10, 0), 15),
    (dt.time(8, 0), 15),
    (dt.time(7, 30), 10),
    (dt.time(11, 0), 5),
]
# Fewer children in each higher class: drop-out, and fewer schools teach them.
GRADE_WEIGHT = {
    1: 1.08,
    2: 1.04,
    3: 1.0,
    4: 0.98,
    5: 0.96,
    6: 0.9,
    7: 0.88,
    8: 0.85,
    9: 0.8,
    10: 0.72,
    11: 0.58,
    12: 0.52,
}
LOCAL_KIND = {
    "GPS": "शासकीय प्राथमिक शाला",
    "GMS": "शासकीय माध्यमिक शाला",
    "GHSS": "शासकीय उच्चतर माध्यमिक विद्यालय",
}
OTHER_STAFF = 3  # at most, in a big school: a clerk, a peon, a watchman


def build_tree(demo: Demo, *, schools: int) -> None:
    """State > district > blocks > clusters, the state's policy, session and calendar."""
    state = orgunit_create(
        parent=None, kind="state", code=STATE, name="Madhya Pradesh", name_local="मध्य प्रदेश"
    )
    district = orgunit_create(
        parent=state, kind="district", code=DISTRICT, name="Sehore", name_local="सीहोर"
    )
    demo.units = {STATE: state, DISTRICT: district}
    per_block = max(1, min(4, math.ceil(schools / 10)))
    for code, name, local, villages in names.BLOCKS:
        block = orgunit_create(
            parent=district, kind="block", code=f"{DISTRICT}-{code}", name=name, name_local=local
        )
        demo.units[block.code] = block
        for number, (seat, seat_local) in enumerate(villages[:per_block], start=1):
            cluster = orgunit_create(
                parent=block,
                kind="cluster",
                code=f"{block.code}-{number:02d}",
                name=seat,
                name_local=seat_local,
            )
            demo.units[cluster.code] = cluster
    AttendancePolicy.objects.create(
        unit=state, meetings_per_day=2, on_time_minutes=60, cutoff=dt.time(17, 0), weekly_offs=[7]
    )
    session = demo.session
    demo.year = AcademicYear.objects.create(
        unit=state, name=session.name, starts_on=session.starts_on, ends_on=session.ends_on
    )
    entries = [(state, entry) for entry in calendar.state_entries(session)]
    entries += [(district, entry) for entry in calendar.district_entries(session)]
    entries += _village_fair(demo, [e for _, e in entries])
    CalendarEntry.objects.bulk_create(
        [
            CalendarEntry(unit=unit, day=e.day, kind=e.kind, name=e.name, name_local=e.name_local)
            for unit, e in entries
        ],
        batch_size=BATCH,
    )
    demo.calendar = [(unit.pk, e) for unit, e in entries]
    demo.counts["calendar entries"] = len(entries)


def _village_fair(
    demo: Demo, entries: list[calendar.Entry]
) -> list[tuple[OrgUnit, calendar.Entry]]:
    """One cluster closes for its village fair on a day of the history."""
    taken = {entry.day for entry in entries}
    days = [day for day in demo.history if day.isoweekday() != 7 and day not in taken]
    clusters = [unit for unit in demo.units.values() if unit.kind == "cluster"]
    if not days or len(clusters) < 2:
        return []
    return [(clusters[-1], calendar.Entry(demo.rng.choice(days), "holiday", *calendar.FAIR))]


def plan_schools(demo: Demo, *, schools: int, students: int) -> None:
    rng = demo.rng
    blocks = [demo.units[f"{DISTRICT}-{code}"] for code, *_ in names.BLOCKS]
    clusters = {
        block.pk: [u for u in demo.units.values() if u.parent_id == block.pk] for block in blocks
    }
    villages = {
        block.pk: _villages(pool) for block, (*_, pool) in zip(blocks, names.BLOCKS, strict=True)
    }
    used = {cluster.pk: 0 for group in clusters.values() for cluster in group}
    next_village = {block.pk: len(clusters[block.pk]) for block in blocks}
    for index in range(schools):
        block = blocks[index % 2]
        cluster = clusters[block.pk][(index // 2) % len(clusters[block.pk])]
        seat = used[cluster.pk] == 0
        used[cluster.pk] += 1
        if seat:
            village_no = clusters[block.pk].index(cluster)
        else:
            village_no = next_village[block.pk]
            next_village[block.pk] += 1
        village = villages[block.pk][village_no]
        if index == 0:
            kind, low, high = "GMS", 1, 8
        else:
            kind = rng.choices(
                ["GPS", "GMS", "GHSS"], weights=[0, 40, 60] if seat else [65, 30, 5]
            )[0]
            low, high = {"GPS": (1, 5), "GMS": (1, 8)}.get(kind, (rng.choice([1, 6, 6]), 12))
        ashta = block.code.endswith("ASH")
        tribal = rng.uniform(0, 0.12 if ashta else 0.35)
        muslim = rng.uniform(0.02, 0.25) if ashta else rng.uniform(0, 0.12)
        plan = SchoolPlan(
            kind=kind,
            village=village,
            cluster=cluster,
            code=f"2337{blocks.index(block) + 1:02d}{village_no + 1:03d}01",
            lowest_grade=low,
            highest_grade=high,
            size=0,
            start_time=dt.time(10, 30) if index == 0 else _weighted(demo, START_TIMES),
            communities={"hindu": 1 - tribal - muslim, "muslim": muslim, "tribal": tribal},
            mdm_leave=rng.uniform(0.01, 0.06),
            absence_factor=rng.uniform(0.75, 1.05) + tribal,
        )
        demo.schools.append(plan)
    _behaviour(demo)
    _sizes(demo, students)
    for plan in demo.schools:
        plan.sections = _sections(demo, plan)


def _villages(pool: list[names.Name]) -> list[names.Name]:
    more = [
        (f"{v} {p}", f"{v_local} {p_local}")
        for p, p_local in names.VILLAGE_PARTS
        for v, v_local in pool
    ]
    # Numbered villages after the named ones: enough for a district of thousands of
    # schools (the journal benchmark loads 1,000).
    counted = [(f"{v} {n}", f"{v_local} {n}") for n in range(2, 100) for v, v_local in pool]
    return pool + more + counted


def _weighted(demo: Demo, choices: list[tuple[dt.time, int]]) -> dt.time:
    return demo.rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _behaviour(demo: Demo) -> None:
    """About one school in seven often fails to mark; a few never mark the afternoon."""
    others = demo.schools[1:]
    for plan in demo.rng.sample(others, round(len(others) * 0.15)):
        plan.skip_share = demo.rng.uniform(0.2, 0.4)
    for plan in demo.rng.sample(others, len(others) // 12):
        plan.no_afternoon = True


def _sizes(demo: Demo, students: int) -> None:
    rng, plans = demo.rng, demo.schools
    if len(plans) == 1:
        plans[0].size = students
        return
    plans[0].size = min(240, students // 2)
    low = {"GPS": (40, 180), "GMS": (120, 360), "GHSS": (250, 600)}
    raw = [rng.uniform(*low[plan.kind]) for plan in plans[1:]]
    for plan, share in zip(plans[1:], _split(students - plans[0].size, raw), strict=True):
        plan.size = share


def _split(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to the weights that add up to the total exactly."""
    scale = total / sum(weights)
    exact = [weight * scale for weight in weights]
    parts = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _sections(demo: Demo, plan: SchoolPlan) -> list[SectionPlan]:
    grades = range(plan.lowest_grade, plan.highest_grade + 1)
    weights = [GRADE_WEIGHT[grade] * demo.rng.uniform(0.85, 1.15) for grade in grades]
    sections = []
    for grade, count in zip(grades, _split(plan.size, weights), strict=True):
        parts = max(1, min(4, math.ceil(count / 55)))
        for letter, size in zip("ABCD", _split(count, [1.0] * parts), strict=False):
            sections.append(SectionPlan(grade=grade, name=letter, size=size))
    return sections


def create_schools(demo: Demo) -> None:
    schools = [
        School(
            unit=plan.cluster,
            unit_path=plan.cluster.path,
            code=plan.code,
            name=plan.name,
            name_local=f"{LOCAL_KIND[plan.kind]} {plan.village[1]}",
            start_time=plan.start_time,
            timezone="Asia/Kolkata",
            lowest_grade=plan.lowest_grade,
            highest_grade=plan.highest_grade,
        )
        for plan in demo.schools
    ]
    School.objects.bulk_create(schools, batch_size=BATCH)
    for plan, school in zip(demo.schools, schools, strict=True):
        plan.school = school
        ancestors = plan.cluster.ancestor_ids
        marks = [
            CalendarMark(
                day=entry.day,
                kind=entry.kind,
                name=entry.name,
                specificity=ancestors.index(unit_id),
            )
            for unit_id, entry in demo.calendar
            if unit_id in ancestors
        ]
        # A week either side too: absences run high next to a holiday.
        first = (demo.history[0] if demo.history else demo.today) - dt.timedelta(days=7)
        around = [first + dt.timedelta(days=n) for n in range((demo.today - first).days + 7)]
        status = calendar.statuses(around, weekly_offs=[7], marks=marks)
        plan.school_days = [day for day in demo.history if status[day].is_school_day]
        plan.holidays = {day for day, s in status.items() if s.kind == DayKind.HOLIDAY}


def create_people_in_charge(demo: Demo) -> None:
    """Staff with their postings and users, the demo logins, and the sections."""
    rng = demo.rng
    password = make_password(PASSWORD)
    ravi = User(username="ravi", first_name="Ravi", last_name="Verma", password=password)
    asha = User(username="asha", first_name="Asha", last_name="Patel", password=password)
    meera = User(
        username="meera",
        first_name="Meera",
        last_name="Joshi",
        password=password,
        email="meera.joshi@example.org",
    )
    imran = User(username="imran", first_name="Imran", last_name="Khan", password=password)
    admin = User(
        username="admin",
        first_name="Admin",
        password=password,
        is_staff=True,
        is_superuser=True,
        email="admin@example.org",
    )
    demo.users = {user.username: user for user in (ravi, asha, meera, imran, admin)}
    staff: list[tuple[Staff, SchoolPlan, str, User | None]] = []
    for index, plan in enumerate(demo.schools):
        teachers = max(1, round(plan.size / 30))
        others = min(OTHER_STAFF, plan.size // 150) if plan.size >= 300 else 0
        roles = ["head"] + ["teacher"] * teachers + ["other"] * others
        for number, role in enumerate(roles):
            if index == 0 and number < 2:
                user = (ravi, asha)[number]
                person = (("Ravi Verma", "रवि वर्मा"), ("Asha Patel", "आशा पटेल"))[number]
                gender = "MF"[number]
            else:
                female = rng.random() < {"head": 0.3, "teacher": 0.45, "other": 0.15}[role]
                gender = "F" if female else "M"
                community = demo.community({"hindu": 85, "muslim": 8, "tribal": 7})
                person = full(
                    demo.person(community, gender, adult=True),
                    rng.choice(names.SURNAMES[community]),
                )
                user = None
            staff.append(
                (
                    Staff(name=person[0], name_local=person[1], gender=gender, phone=demo.phone()),
                    plan,
                    role,
                    user,
                )
            )
    codes = rng.sample(range(10**7, 10**8), len(staff))
    users = list(demo.users.values())
    for (member, plan, role, user), code in zip(staff, codes, strict=True):
        member.employee_code = f"MP{code}"
        if user is None and role != "other":
            first, _, last = member.name.rpartition(" ")
            username = f"head{plan.code}" if role == "head" else member.employee_code.lower()
            user = User(username=username, first_name=first, last_name=last)
            user.set_unusable_password()
            users.append(user)
        member.user = user
    User.objects.bulk_create(users, batch_size=BATCH)
    for member, *_ in staff:
        member.user_id = member.user.pk if member.user else None
    Staff.objects.bulk_create([member for member, *_ in staff], batch_size=BATCH)
    # Ravi's and Asha's postings go through hazri.people.services, as the drawing
    # officer's would; the district's hundreds of others are bulk-created (a service
    # call each would slow `hazri demo` for nothing the story shows).
    named = {ravi.pk, asha.pk}
    postings = []
    for member, plan, role, _ in staff:
        if role == "head":
            plan.head = member
        else:
            (plan.teachers if role == "teacher" else plan.others).append(member)
        if member.user is not None:
            demo.staff_users[member.pk] = member.user
        first_day = dt.date(2008, 7, 1) + dt.timedelta(days=rng.randrange(16 * 365))
        posting = Posting(
            staff=member,
            school=plan.school,
            role=role,
            starts_on=min(first_day, demo.session.starts_on),
        )
        if member.user_id in named:
            services.staff_post.nested(
                staff=member, school=posting.school, role=role, starts_on=posting.starts_on, by=None
            )
        else:
            postings.append(posting)
    Posting.objects.bulk_create(postings, batch_size=BATCH)
    OfficerGrant.objects.create(
        user=meera, unit=demo.units[f"{DISTRICT}-ASH"], title="Block Education Officer, Ashta"
    )
    demo.counts["staff"] = len(staff)
    demo.counts["users"] = len(users)
    _class_teachers(demo)


def _class_teachers(demo: Demo) -> None:
    """Each section gets a class teacher; in a small school one teacher takes two classes."""
    for plan in demo.schools:
        assert plan.head is not None
        teachers = plan.teachers + [plan.head]
        for number, section in enumerate(plan.sections):
            section.teacher = teachers[number % len(teachers)]
    ravi_school = demo.ravi_school
    asha = ravi_school.teachers[0]
    fifth = next((s for s in ravi_school.sections if s.grade == 5), ravi_school.sections[0])
    mine = [s for s in ravi_school.sections if s.teacher is asha]
    if mine and fifth.teacher is not asha:
        mine[0].teacher, fifth.teacher = fifth.teacher, asha


def create_sections(demo: Demo) -> None:
    assert demo.year is not None
    plans = [(plan, section) for plan in demo.schools for section in plan.sections]
    rows = [
        Section(
            school=plan.school,
            academic_year=demo.year,
            grade=section.grade,
            name=section.name,
        )
        for plan, section in plans
    ]
    Section.objects.bulk_create(rows, batch_size=BATCH)
    for (_, section), row in zip(plans, rows, strict=True):
        section.section = row
    # Asha's class-teacher assignments through the service, the others in bulk (as
    # for the postings in create_people_in_charge).
    asha = demo.ravi_school.teachers[0]
    TeachingAssignment.objects.bulk_create(
        [
            TeachingAssignment(
                school=plan.school,
                staff=section.teacher,
                section=section.section,
                starts_on=demo.year.starts_on,
            )
            for plan, section in plans
            if section.teacher is not asha
        ],
        batch_size=BATCH,
    )
    for _, section in plans:
        if section.teacher is asha:
            assert section.section is not None
            services.assignment_start.nested(
                staff=asha, section=section.section, starts_on=demo.year.starts_on, by=None
            )
    demo.counts["sections"] = len(rows)
