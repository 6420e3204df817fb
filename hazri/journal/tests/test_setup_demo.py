"""The demo district's journal set-up: a state scheme, two terms and six periods in
every school, and each section's week taught by teachers assigned to it."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from hazri.accounts.models import User
from hazri.journal.models import Period, Slot, Term
from hazri.journal.selectors.scheme import grading_for
from hazri.journal.selectors.timetable import timetable
from hazri.org.models import School, Section
from hazri.people.models import TeachingAssignment

pytestmark = pytest.mark.django_db
SMALL = [
    "--schools",
    "3",
    "--students",
    "150",
    "--weeks",
    "1",
    "--seed",
    "7",
    "--today",
    "2026-10-06",
]


def test_the_demo_has_a_timetable_in_every_section() -> None:
    call_command("demo", *SMALL, stdout=io.StringIO())
    schools = list(School.objects.all())
    for school in schools:
        assert grading_for(school).scale.kind == "letters"
        assert Term.objects.filter(school=school).count() == 2
        assert Period.objects.filter(school=school).count() == 6
    taught = set(
        TeachingAssignment.objects.filter(subject__isnull=False).values_list(
            "section_id", "subject_id", "staff_id"
        )
    )
    slots = list(Slot.objects.all())
    assert slots and all((s.section_id, s.subject_id, s.teacher_id) in taught for s in slots)
    monday = dt.date(2026, 10, 5)
    for section in Section.objects.all():
        week = timetable(section, [monday + dt.timedelta(days=n) for n in range(7)])
        assert [len(week[monday + dt.timedelta(days=n)]) for n in range(7)] == [6] * 6 + [0]
    ravi = User.objects.get(username="ravi")
    client = Client()
    client.force_login(ravi)
    section = Section.objects.filter(school__postings__staff__user=ravi).first()
    assert section is not None
    page = client.get(f"/sections/{section.pk}/timetable/", {"week": "2026-10-05"})
    assert page.status_code == 200 and b"Mathematics" in page.content
