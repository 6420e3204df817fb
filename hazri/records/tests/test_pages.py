"""The records pages, through their forms: year end, a TC issued and printed, the
admission from it, refusals shown as 4xx pages."""

import datetime as dt

import pytest
from django.urls import reverse

from hazri.people.models import Admission, Enrolment
from hazri.records.models import TransferCertificate
from hazri.testing.world import SCHOOL_DAY, World

from .conftest import Khedi, NextYear, results, signed_in

pytestmark = pytest.mark.usefixtures("signing")


def test_the_year_end_page_promotes_the_class(world: World, next_year: NextYear) -> None:
    ravi = signed_in(world.ravi)
    url = reverse("records_year_end", args=[world.section.pk])
    page = ravi.get(url)
    assert page.status_code == 200 and b"No result recorded" in page.content
    assert ravi.post(url, {"to": next_year.up.pk}).status_code == 422  # results missing
    results(world, "passed", "failed", "passed", "passed", "passed")
    assert b"data-promote-form" in ravi.get(url).content
    done = ravi.post(url, {"to": next_year.up.pk, "repeat_in": next_year.same.pk})
    assert done.status_code == 302
    assert Enrolment.objects.filter(section=next_year.same, origin="repeater").count() == 1
    assert signed_in(world.asha).get(url).status_code == 403
    assert signed_in(world.imran).get(url).status_code == 404


def test_a_tc_issued_printed_and_admitted_from_through_the_pages(
    world: World, khedi: Khedi
) -> None:
    zoya = world.students[1]
    ravi = signed_in(world.ravi)
    record = ravi.get(reverse("records_record", args=[zoya.pk]))
    assert b"data-tc-issue" in record.content
    issue = reverse("records_tc_issue", args=[zoya.pk])
    assert ravi.get(issue).status_code == 200
    bad = ravi.post(issue, {"left_on": "yesterday", "reason": "Moved", "conduct": "Good"})
    assert bad.status_code == 422 and b'data-error-field="left_on"' in bad.content
    left = SCHOOL_DAY.isoformat()
    done = ravi.post(
        issue, {"left_on": left, "reason": "Moved", "conduct": "Good", "dues_cleared": "yes"}
    )
    assert done.status_code == 302
    tc = TransferCertificate.objects.get()
    printed = ravi.get(reverse("records_tc", args=[tc.pk]))
    assert printed.status_code == 200 and tc.number.encode() in printed.content
    assert signed_in(world.imran).get(reverse("records_tc", args=[tc.pk])).status_code == 200

    kavita = signed_in(khedi.head)
    admit = reverse("records_tc_admit", args=[world.other_school.pk])
    found = kavita.get(admit, {"number": tc.number})
    assert found.status_code == 200 and b"data-tc-admit" in found.content
    admitted = kavita.post(
        admit,
        {
            "number": tc.number,
            "section": khedi.section.pk,
            "admission_no": "K-7",
            "admitted_on": (SCHOOL_DAY + dt.timedelta(days=1)).isoformat(),
        },
    )
    assert admitted.status_code == 302, admitted.content
    assert Admission.objects.filter(school=world.other_school, student=zoya).exists()
    assert kavita.get(reverse("records_record", args=[zoya.pk])).status_code == 200
    assert ravi.get(admit).status_code == 404  # not Ravi's school


def test_cancelling_from_the_page(world: World) -> None:
    ravi = signed_in(world.ravi)
    ravi.post(
        reverse("records_tc_issue", args=[world.students[0].pk]),
        {"left_on": SCHOOL_DAY.isoformat(), "reason": "Moved", "conduct": "Good"},
    )
    tc = TransferCertificate.objects.get()
    cancel = reverse("records_tc_cancel", args=[tc.pk])
    assert signed_in(world.asha).post(cancel, {"reason": "x"}).status_code == 403
    assert ravi.post(cancel, {"reason": "Issued in error"}).status_code == 302
    tc.refresh_from_db()
    assert tc.status == "cancelled" and not tc.dues_cleared
