"""The leaving rule: how an admission's leaving date and its enrolments' ends agree.

Written once, here; docs/attendance.md ("Leaving the roll") says the same.

- `Enrolment.ends_on` is the **last day on the section's roll**, inclusive: the
  student is marked on it and is off the roll from the next day (the registers, the
  roll of a day and the dashboards all read `starts_on <= day <= ends_on`).
- `Admission.left_on` is the **last day on the school's roll**, inclusive: the day
  the student was struck off (with `leaving_reason`), not the day after.
- They agree: an admission still on roll has no `left_on` and exactly one open
  enrolment (no `ends_on`); an admission that has left has `left_on` equal to the
  latest `ends_on` of its enrolments and no open one.

Only hazri.people.services write these fields; each service checks the admissions
it wrote with `admission_check` before its transaction commits. The rule spans two
tables, so no CheckConstraint can hold it; the one part a row can check
(`left_on >= admitted_on`) is a constraint on Admission. `admissions_disagreeing`
finds any admission that breaks it (data written before the services, say).
"""

from django.db.models import Count, F, Max, Q, QuerySet

from hazri.common.errors import Conflict
from hazri.people.models import Admission, Enrolment


def admission_check(admission: Admission) -> None:
    """Refuse (Conflict) an admission whose leaving date and enrolments disagree."""
    spans = list(Enrolment.objects.filter(admission=admission).values_list("ends_on", flat=True))
    open_ = sum(1 for end in spans if end is None)
    if admission.left_on is None:
        if open_ != 1:
            raise Conflict(
                f"Admission {admission.admission_no} is on the roll but has {open_} open "
                "enrolments (it must have one).",
                field="left_on",
                code="leaving_rule",
            )
        return
    last = max((end for end in spans if end is not None), default=None)
    if open_ or last != admission.left_on:
        raise Conflict(
            f"Admission {admission.admission_no} left on {admission.left_on} but its last "
            f"enrolment ends on {last if not open_ else 'no date'}.",
            field="left_on",
            code="leaving_rule",
        )


def admissions_disagreeing() -> QuerySet[Admission]:
    """Every admission that breaks the leaving rule (none, when only services wrote)."""
    return (
        Admission.objects.annotate(
            still_open=Count("enrolments", filter=Q(enrolments__ends_on__isnull=True)),
            last=Max("enrolments__ends_on"),
        )
        .filter(
            (Q(left_on__isnull=True) & ~Q(still_open=1))
            | (
                Q(left_on__isnull=False)
                & (Q(still_open__gt=0) | Q(last__isnull=True) | ~Q(last=F("left_on")))
            )
        )
        .order_by("pk")
    )
