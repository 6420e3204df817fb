"""A transfer certificate in a test world, for the tests that need one to exist (the
authorization matrix, the GET-never-writes and fuzz tests): written as a row, the
child left on the roll, so every other row of those worlds stays as it was."""

import datetime as dt

from django.utils import timezone

from hazri.accounts.models import User
from hazri.org.models import School
from hazri.people.models import Admission, Student
from hazri.records.models import TransferCertificate
from hazri.records.rules import tc_number


def tc_object(school: School, student: Student, by: User) -> TransferCertificate:
    admission = Admission.objects.get(school=school, student=student)
    return TransferCertificate.objects.create(
        school=school,
        student=student,
        admission=admission,
        serial=1,
        number=tc_number(school.code, 1),
        issued_on=dt.date(2026, 11, 18),
        student_name=student.name,
        admission_no=admission.admission_no,
        admitted_on=admission.admitted_on,
        left_on=dt.date(2026, 11, 18),
        last_class="5 A",
        session="2026-27",
        conduct="Good",
        reason="Family moved",
        dues_cleared=True,
        issued_by=by,
        issued_at=timezone.now(),
    )
