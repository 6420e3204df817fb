"""What the records app tells us: a transfer certificate issued for a child, or
cancelled, is a notice to each of the child's guardians (the family learns the child
has left the school's roll, and the certificate's number to give the next school)."""

import datetime as dt
from typing import Any

from hazri.notify.kinds import _about, _guardians_of, _students
from hazri.notify.models import Kind
from hazri.notify.queue import notices_add
from hazri.org.models import School


def on_tc_issued(sender: Any, certificate: Any, **kwargs: Any) -> None:
    notify_tc(certificate=certificate, step="issued")


def on_tc_cancelled(sender: Any, certificate: Any, **kwargs: Any) -> None:
    notify_tc(certificate=certificate, step="cancelled")


def notify_tc(*, certificate: Any, step: str, now: dt.datetime | None = None) -> int:
    """One notice per guardian and step (its key the certificate and the step: written once)."""
    student_id = certificate.student_id
    names = _students([student_id])
    guardians = _guardians_of([student_id]).get(student_id, [])
    if student_id not in names or not guardians:
        return 0
    school = School.objects.only("pk", "name", "name_local").get(pk=certificate.school_id)
    notices = [
        _about(
            Kind.TRANSFER,
            school,
            guardian,
            student_id,
            f"tc:{certificate.pk}:{step}",
            names[student_id],
            number=certificate.number,
            step=step,
        )
        for guardian in guardians
    ]
    return notices_add(notices, now=now)
