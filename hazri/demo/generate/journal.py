"""The journal's set-up of the demo district: the state's grading scheme (CBSE's
letters), and in every school its subjects, two terms, six periods, subject teachers
for each section (the class teacher teaches a primary class everything) and each
section's week. All in bulk: a few queries a table, whatever the district's size."""

import datetime as dt

from hazri.demo.generate.context import BATCH, Demo, SchoolPlan, SectionPlan
from hazri.demo.generate.org import STATE
from hazri.journal.models import Period, Scheme, Slot, Term, WorkKind
from hazri.org.models import Subject
from hazri.people.models import Staff, TeachingAssignment

KINDS = [
    ("class", "Classwork", "कक्षा कार्य", 1),
    ("homework", "Homework", "गृहकार्य", 1),
    ("test", "Unit test", "इकाई परीक्षा", 2),
    ("exam", "Term exam", "सत्र परीक्षा", 3),
]
# Code, name, Hindi name, and the classes that learn it.
SUBJECTS = [
    ("HIN", "Hindi", "हिंदी", range(1, 13)),
    ("ENG", "English", "अंग्रेज़ी", range(1, 13)),
    ("MATH", "Mathematics", "गणित", range(1, 13)),
    ("EVS", "Environmental studies", "पर्यावरण अध्ययन", range(1, 6)),
    ("SCI", "Science", "विज्ञान", range(6, 13)),
    ("SST", "Social science", "सामाजिक विज्ञान", range(6, 13)),
    ("SKT", "Sanskrit", "संस्कृत", range(6, 11)),
    ("PE", "Physical education", "शारीरिक शिक्षा", range(1, 13)),
]
PERIODS = 6
LESSON, GAP, BREAK = 40, 5, 20  # minutes; the break (mid-day meal) after period 3
SCHOOL_DAYS = range(1, 7)  # Monday to Saturday (Sunday is the state's weekly off)


def create_setup(demo: Demo) -> None:
    assert demo.year is not None
    scheme = Scheme.objects.create(unit=demo.units[STATE], scale="cbse-letters")
    WorkKind.objects.bulk_create(
        WorkKind(scheme=scheme, code=c, name=n, name_local=local, weight=w)
        for c, n, local, w in KINDS
    )
    subjects = [
        Subject(school=plan.school, code=code, name=name, name_local=local)
        for plan in demo.schools
        for code, name, local, grades in SUBJECTS
        if any(plan.lowest_grade <= g <= plan.highest_grade for g in grades)
    ]
    Subject.objects.bulk_create(subjects, batch_size=BATCH)
    by_school: dict[int, dict[str, Subject]] = {}
    for subject in subjects:
        by_school.setdefault(subject.school_id, {})[subject.code] = subject
    year = demo.year
    middle = max(year.starts_on, min(year.ends_on, dt.date(year.starts_on.year, 10, 1)))
    terms, periods, assignments, slots = [], [], [], []
    for plan in demo.schools:
        assert plan.school is not None
        school = plan.school
        terms += [
            Term(
                school=school,
                academic_year=year,
                name="Term 1",
                starts_on=year.starts_on,
                ends_on=middle - dt.timedelta(days=1),
            ),
            Term(
                school=school,
                academic_year=year,
                name="Term 2",
                starts_on=middle,
                ends_on=year.ends_on,
            ),
        ]
        periods += _bell(plan)
        for number, section in enumerate(plan.sections):
            taught = _teachers(plan, section, number, by_school[school.pk])
            for subject, teacher in taught:
                assignments.append(
                    TeachingAssignment(
                        school=school,
                        staff=teacher,
                        section=section.section,
                        subject=subject,
                        starts_on=year.starts_on,
                    )
                )
            slots += _week(plan, section, taught, year.starts_on)
    Term.objects.bulk_create(terms, batch_size=BATCH)
    Period.objects.bulk_create(periods, batch_size=BATCH)
    TeachingAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    Slot.objects.bulk_create(slots, batch_size=BATCH)
    demo.counts["subjects"] = len(subjects)
    demo.counts["subject teachers"] = len(assignments)
    demo.counts["timetable slots"] = len(slots)


def _bell(plan: SchoolPlan) -> list[Period]:
    start = dt.datetime.combine(dt.date(2000, 1, 1), plan.start_time)
    rows = []
    for number in range(1, PERIODS + 1):
        end = start + dt.timedelta(minutes=LESSON)
        rows.append(
            Period(school=plan.school, number=number, starts_at=start.time(), ends_at=end.time())
        )
        start = end + dt.timedelta(minutes=BREAK if number == 3 else GAP)
    return rows


def _teachers(
    plan: SchoolPlan, section: SectionPlan, number: int, subjects: dict[str, Subject]
) -> list[tuple[Subject, Staff]]:
    """Each subject of the class and who teaches it: the class teacher all of a
    primary class's; in the upper classes the school's teachers share them out."""
    assert plan.head is not None and section.teacher is not None
    staff = plan.teachers + [plan.head]
    taught = []
    for n, code in enumerate(code for code, *_, grades in SUBJECTS if section.grade in grades):
        teacher = section.teacher if section.grade <= 5 else staff[(n + number) % len(staff)]
        taught.append((subjects[code], teacher))
    return taught


def _week(
    plan: SchoolPlan, section: SectionPlan, taught: list[tuple[Subject, Staff]], starts_on: dt.date
) -> list[Slot]:
    """Hindi, English and mathematics every day; the others in turn."""
    daily, others = taught[:3], taught[3:]
    rows = []
    for weekday in SCHOOL_DAYS:
        day = daily + [others[(weekday + k) % len(others)] for k in range(PERIODS - len(daily))]
        shift = weekday % len(day)
        for period, (subject, teacher) in enumerate(day[shift:] + day[:shift], start=1):
            rows.append(
                Slot(
                    school=plan.school,
                    section=section.section,
                    weekday=weekday,
                    period=period,
                    subject=subject,
                    teacher=teacher,
                    starts_on=starts_on,
                )
            )
    return rows
