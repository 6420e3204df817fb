"""Loads the demo district: Sehore, Madhya Pradesh, with weeks of attendance.

Everything is drawn from one seeded random generator, so the same seed on the same
day gives the same district. Objects are built in memory and stored with
bulk_create, a few dozen queries per table, inside one transaction.

    from hazri.demo.generate import load
    demo = load(schools=40, students=6000, weeks=6, seed=1)
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from hazri.accounts.models import User
from hazri.dashboards import rollups, weak
from hazri.dashboards.services import schooldays_rebuild
from hazri.demo.generate import attendance, calendar, journal, org, people
from hazri.demo.generate.context import PASSWORD, TZ, Demo
from hazri.org.models import OrgUnit, School
from hazri.people.models import Guardian, Staff, Student

__all__ = ["DEMO_USERNAMES", "PASSWORD", "Demo", "existing_data", "load"]

DEMO_USERNAMES = ("ravi", "asha", "meera", "imran", "admin")


def existing_data() -> dict[str, int]:
    """What the database already holds that the demo would clash with (empty: nothing)."""
    found = {
        "org units": OrgUnit.objects.count(),
        "schools": School.objects.count(),
        "students": Student.objects.count(),
        "guardians": Guardian.objects.count(),
        "staff": Staff.objects.count(),
        "users": User.objects.count(),
    }
    return {label: count for label, count in found.items() if count}


def load(
    *,
    schools: int = 40,
    students: int = 6000,
    weeks: int = 6,
    seed: int = 1,
    today: dt.date | None = None,
) -> Demo:
    """Build the district into an empty database; `today` defaults to today in India."""
    now = timezone.now()
    if today is None:
        today = now.astimezone(TZ).date()
    else:
        # A chosen day: pretend it is mid-morning there.
        now = dt.datetime.combine(today, dt.time(9, 30), tzinfo=TZ)
    session = calendar.session_for(today)
    yesterday = today - dt.timedelta(days=1)
    first = max(session.starts_on, yesterday - dt.timedelta(days=7 * weeks - 1))
    history = [first + dt.timedelta(days=n) for n in range((yesterday - first).days + 1)]
    demo = Demo(rng=random.Random(seed), today=today, now=now, session=session, history=history)
    with transaction.atomic():
        org.build_tree(demo, schools=schools)
        org.plan_schools(demo, schools=schools, students=students)
        org.create_schools(demo)
        org.create_people_in_charge(demo)
        org.create_sections(demo)
        journal.create_setup(demo)
        people.plan_students(demo)
        people.create_people(demo)
        attendance.create_rollcalls(demo)
        # The officers' dashboards read rollups, not roll calls: build them for the
        # history and today (so schools that have not marked yet show up).
        demo.counts["school-day rollups"] = schooldays_rebuild(
            schools=list(School.objects.order_by("pk")),
            start=history[0] if history else today,
            end=today,
        )
        # …and for every unit up the tree, with each school-day's trail.
        demo.counts["unit-day rollups"] = rollups.days_build(
            [
                (history[0] if history else today) + dt.timedelta(days=n)
                for n in range((today - (history[0] if history else today)).days + 1)
            ],
            trails=True,
        )
        # …and the weak-student lists that officers of a large area read, as the night
        # would have made them.
        demo.counts["students on the low-attendance lists"] = weak.build(as_of=yesterday).students
    demo.counts["schools"] = len(demo.schools)
    return demo
