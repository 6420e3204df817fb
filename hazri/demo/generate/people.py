"""Students, their families, admissions (S.R. numbers) and enrolments."""

import datetime as dt

from hazri.demo import names
from hazri.demo.generate.context import (
    BATCH,
    Demo,
    Family,
    SchoolPlan,
    SectionPlan,
    StudentPlan,
    full,
)
from hazri.people import services
from hazri.people.models import Admission, Enrolment, Guardian, Guardianship, Student
from hazri.people.roll import RollEntry, allot_roll_numbers

SIBLING_SHARE = 0.22  # a child whose brother or sister is already at the school
REPEATER_SHARE = 0.03
TRANSFER_SHARE = 0.03  # admitted in another class during the session
LEAVER_SHARE = 0.012
CHRONIC_SHARE = 0.08
DUTY_TEAM_SHARE = 0.06  # NCC, scouts, sports teams: from class 6 up
UNALLOTTED_SHARE = 0.1  # sections whose roll numbers are not yet allotted
LEAVING_REASONS = [
    "Family migrated for work; TC issued",
    "Transferred to a private school",
    "Moved to a relative's village",
    "Admitted to a hostel (ashram school)",
    "Family moved to Bhopal",
]


def plan_students(demo: Demo) -> None:
    yesterday = demo.today - dt.timedelta(days=1)
    key = 0
    for plan in demo.schools:
        families: list[Family] = []
        for section in plan.sections:
            for _ in range(section.size):
                section.students.append(_student(demo, plan, section, families, key, yesterday))
                key += 1
    _imran_family(demo)
    allot_day = demo.session.starts_on + dt.timedelta(days=121)  # end of July
    if demo.history:
        allot_day = min(allot_day, demo.history[0])
    for plan in demo.schools:
        for section in plan.sections:
            if demo.rng.random() >= UNALLOTTED_SHARE or plan is demo.ravi_school:
                _allot(section, allot_day)
        _admission_numbers(demo, plan)
    for student, state_id in zip(
        _students(demo), demo.rng.sample(range(10**8, 10**9), key), strict=True
    ):
        student.state_id = str(state_id)
    demo.counts["students"] = key


def _students(demo: Demo) -> list[StudentPlan]:
    return [s for plan in demo.schools for section in plan.sections for s in section.students]


def _family(demo: Demo, plan: SchoolPlan) -> Family:
    rng = demo.rng
    community = demo.community(plan.communities)
    surname = rng.choice(names.SURNAMES[community])
    father: names.Name | None = demo.person(community, "M", adult=True)
    mother: names.Name | None = demo.person(community, "F", adult=True)
    other: names.Name | None = None
    home = rng.random()
    if home < 0.82:
        pass  # both parents
    elif home < 0.9:
        father = None  # away for work, or no more
    elif home < 0.95:
        mother = None
    else:
        father = mother = None
        other = demo.person(community, "M", adult=True)
    return Family(
        community=community,
        surname=surname,
        father=father,
        mother=mother,
        other=other,
        phone=demo.phone(),
        mother_phone=demo.phone() if rng.random() < 0.4 else "",
    )


def _student(
    demo: Demo,
    plan: SchoolPlan,
    section: SectionPlan,
    families: list[Family],
    key: int,
    yesterday: dt.date,
) -> StudentPlan:
    rng, session = demo.rng, demo.session
    family = None
    if families and rng.random() < SIBLING_SHARE:
        family = rng.choice(families[-80:])
        if section.grade in family.grades:
            family = None
    if family is None:
        family = _family(demo, plan)
        families.append(family)
    family.grades.append(section.grade)
    gender = "F" if rng.random() < 0.48 else "M"
    name, name_local = full(demo.person(family.community, gender, adult=False), family.surname)
    entry_grade = section.grade == plan.lowest_grade
    roll = rng.random()
    if entry_grade and roll >= REPEATER_SHARE:
        origin, admitted = "new", _entry_day(demo, yesterday)
    elif roll < REPEATER_SHARE:
        origin, admitted = "repeater", _earlier_admission(demo, plan, section.grade + 1)
    elif roll < REPEATER_SHARE + TRANSFER_SHARE:
        origin = "new"
        if demo.history and rng.random() < 0.3:
            admitted = rng.choice(demo.history)  # joins while the history runs
        else:
            admitted = session.starts_on + dt.timedelta(
                days=rng.randrange(max(1, (yesterday - session.starts_on).days + 1))
            )
    else:
        origin, admitted = "promoted", _earlier_admission(demo, plan, section.grade)
    starts_on = admitted if origin == "new" else session.starts_on
    age = section.grade + 5 + (rng.random() < 0.15) + (origin == "repeater")
    born = dt.date(session.starts_on.year - age - 1, 4, 2) + dt.timedelta(days=rng.randrange(365))
    student = StudentPlan(
        key=key,
        grade=section.grade,
        name=name,
        name_local=name_local,
        gender=gender,
        family=family,
        origin=origin,
        admitted_on=admitted,
        starts_on=starts_on,
        date_of_birth=born,
        absence=rng.uniform(0.25, 0.5) if rng.random() < CHRONIC_SHARE else rng.uniform(0.03, 0.1),
        on_duty_team=section.grade >= 6 and rng.random() < DUTY_TEAM_SHARE,
    )
    if not entry_grade and rng.random() < LEAVER_SHARE:
        _leave(demo, student, yesterday)
    return student


def _entry_day(demo: Demo, yesterday: dt.date) -> dt.date:
    """Class 1 admissions: in April (Praveshotsav), or after the summer vacation."""
    year = demo.session.starts_on.year
    if demo.rng.random() < 0.6:
        day = dt.date(year, 4, 1) + dt.timedelta(days=demo.rng.randrange(30))
    else:
        day = dt.date(year, 6, 16) + dt.timedelta(days=demo.rng.randrange(77))
    return min(day, yesterday)


def _earlier_admission(demo: Demo, plan: SchoolPlan, grade: int) -> dt.date:
    """Admitted in an earlier session: mostly into the school's first class."""
    rng = demo.rng
    first_year = demo.session.starts_on.year
    years_ago = grade - plan.lowest_grade
    if years_ago > 1 and rng.random() < 0.15:
        years_ago = rng.randrange(1, years_ago)  # came in later, by transfer
    year = first_year - max(1, years_ago)
    return dt.date(year, 4, 1) + dt.timedelta(days=rng.randrange(120))


def _leave(demo: Demo, student: StudentPlan, yesterday: dt.date) -> None:
    rng = demo.rng
    if demo.history and rng.random() < 0.5:
        days = [day for day in demo.history if day > student.starts_on]
        if not days:
            return
        left = rng.choice(days)
    else:
        first = student.starts_on + dt.timedelta(days=30)
        last = (demo.history[0] if demo.history else yesterday) - dt.timedelta(days=1)
        if last <= first:
            return
        left = first + dt.timedelta(days=rng.randrange((last - first).days))
    student.left_on = left
    student.leaving_reason = rng.choice(LEAVING_REASONS)
    student.absence = max(student.absence, 0.4)  # the family was already going


def _imran_family(demo: Demo) -> None:
    """Imran Khan's two children, in class 5 (Asha's) and class 2 at Ravi's school."""
    imran = Family(
        community="muslim",
        surname=("Khan", "ख़ान"),
        father=("Imran", "इमरान"),
        mother=("Shabana", "शबाना"),
        other=None,
        phone="+919826012345",
        mother_phone="+919826054321",
        father_user=demo.users["imran"],
    )
    chosen: set[int] = set()
    for grade, first in ((5, ("Zoya", "ज़ोया")), (2, ("Ayaan", "अयान"))):
        candidates = sorted(
            (
                s
                for section in demo.ravi_school.sections
                for s in section.students
                if s.key not in chosen
            ),
            key=lambda s: (s.grade != grade, s.left_on is not None, s.origin != "promoted", s.key),
        )
        child = candidates[0]
        chosen.add(child.key)
        child.family, child.left_on, child.leaving_reason = imran, None, ""
        child.name, child.name_local = full(first, imran.surname)
        child.gender = "F" if first[0] == "Zoya" else "M"
        child.absence = 0.04


def _allot(section: SectionPlan, day: dt.date) -> None:
    """Roll numbers as the register allots them: repeaters, promoted, new, each by name."""
    on_roll = [
        s
        for s in section.students
        if s.starts_on <= day and (s.left_on is None or s.left_on >= day)
    ]
    allotted = allot_roll_numbers(
        RollEntry(
            member=s.key, name=s.name, origin=s.origin, admitted_on=s.admitted_on, roll_no=None
        )
        for s in on_roll
    )
    for student in on_roll:
        student.roll_no = allotted[student.key]


def _admission_numbers(demo: Demo, plan: SchoolPlan) -> None:
    """S.R. numbers in order of admission, with gaps for the children who have gone."""
    students = sorted(
        (s for section in plan.sections for s in section.students),
        key=lambda s: (s.admitted_on, s.key),
    )
    number = demo.rng.randrange(300, 3000)
    for student in students:
        number += demo.rng.choice((1, 1, 1, 2, 3, 6))
        student.admission_no = str(number)


def _named(demo: Demo, student: StudentPlan) -> bool:
    """Imran's children, whom the demo's story follows (Zoya in Asha's class 5)."""
    return student.family.father_user is not None and student.family.father_user is demo.users.get(
        "imran"
    )


def create_people(demo: Demo) -> None:
    """The named children are admitted through hazri.people.services, as a school would
    admit them. The thousands of others are written with bulk_create: a service call a
    child (its checks, audit row and stamps, one transaction each) would multiply the
    time of `hazri demo`; they keep the same leaving rule (ends_on is left_on)."""
    everyone = [
        (plan, s, section.section)
        for plan in demo.schools
        for section in plan.sections
        for s in section.students
    ]
    plans = [(plan, s) for plan, s, _ in everyone if not _named(demo, s)]
    rows = [
        Student(
            state_id=s.state_id,
            name=s.name,
            name_local=s.name_local,
            gender=s.gender,
            date_of_birth=s.date_of_birth,
        )
        for _, s in plans
    ]
    Student.objects.bulk_create(rows, batch_size=BATCH)
    for (_, student), row in zip(plans, rows, strict=True):
        student.id = row.pk
    admissions = [
        Admission(
            school=plan.school,
            student_id=s.id,
            admission_no=s.admission_no,
            admitted_on=s.admitted_on,
            left_on=s.left_on,
            leaving_reason=s.leaving_reason,
        )
        for plan, s in plans
    ]
    Admission.objects.bulk_create(admissions, batch_size=BATCH)
    sections = {
        s.key: section.section
        for plan in demo.schools
        for section in plan.sections
        for s in section.students
    }
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                school=plan.school,
                section=sections[s.key],
                student_id=s.id,
                admission=admission,
                origin=s.origin,
                starts_on=s.starts_on,
                ends_on=s.left_on,
                roll_no=s.roll_no,
            )
            for (plan, s), admission in zip(plans, admissions, strict=True)
        ],
        batch_size=BATCH,
    )
    for _, s, section in everyone:
        if _named(demo, s):
            assert section is not None and s.left_on is None
            enrolment = services.student_admit.nested(
                section=section,
                admission_no=s.admission_no,
                admitted_on=s.admitted_on,
                on_roll_from=s.starts_on,
                origin=s.origin,
                roll_no=s.roll_no,
                state_id=s.state_id,
                name=s.name,
                name_local=s.name_local,
                gender=s.gender,
                date_of_birth=s.date_of_birth,
                by=None,
            )
            s.id = enrolment.student_id
    _guardians(demo, [s for _, s, _ in everyone])


def _guardians(demo: Demo, students: list[StudentPlan]) -> None:
    families: list[Family] = []
    seen: set[int] = set()
    for student in students:
        if id(student.family) not in seen:
            seen.add(id(student.family))
            families.append(student.family)
    rows: list[tuple[Family, str, Guardian]] = []
    for family in families:
        for relation, person, phone, user in (
            ("father", family.father, family.phone, family.father_user),
            ("mother", family.mother, family.mother_phone, None),
            ("other", family.other, family.phone, None),
        ):
            if person is None:
                continue
            name, local = full(person, family.surname)
            if relation == "mother" and family.father is None:
                phone = family.phone
            rows.append(
                (family, relation, Guardian(name=name, name_local=local, phone=phone, user=user))
            )
    Guardian.objects.bulk_create([guardian for *_, guardian in rows], batch_size=BATCH)
    for family, relation, guardian in rows:
        family.guardians.append((guardian.pk, relation))
    links = [
        Guardianship(guardian_id=guardian_id, student_id=student.id, relation=relation)
        for student in students
        for guardian_id, relation in student.family.guardians
        if not _named(demo, student)
    ]
    Guardianship.objects.bulk_create(links, batch_size=BATCH)
    for student in students:
        if _named(demo, student):
            for guardian_id, relation in student.family.guardians:
                services.guardian_link.nested(
                    guardian=Guardian.objects.get(pk=guardian_id),
                    student=Student.objects.get(pk=student.id),
                    relation=relation,
                    by=None,
                )
    demo.counts["guardians"] = len(rows)
