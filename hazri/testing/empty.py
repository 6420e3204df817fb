"""Every roster table emptied, children first: the empty database a OneRoster bundle is
imported into (the round-trip test, bench/oneroster.py)."""


def empty_rosters(*, fast: bool = False) -> None:
    """`fast`: rows deleted in one statement per table, without Django's cascade
    collection and signals (a benchmark's 150,000 users); else through the ORM."""
    from hazri.accounts.models import OfficerGrant
    from hazri.audit.models import AuditEvent
    from hazri.interop.models import SourcedId
    from hazri.org.models import (
        AcademicYear,
        AttendancePolicy,
        CalendarEntry,
        OrgUnit,
        School,
        Section,
        Subject,
    )
    from hazri.people.models import (
        Admission,
        Enrolment,
        Guardian,
        Guardianship,
        Posting,
        Staff,
        Student,
        TeachingAssignment,
    )

    for model in (
        AuditEvent,
        SourcedId,
        Guardianship,
        Guardian,
        TeachingAssignment,
        Enrolment,
        Admission,
        Posting,
        Staff,
        Student,
        Section,
        Subject,
        CalendarEntry,
        AcademicYear,
        AttendancePolicy,
        School,
        OfficerGrant,
    ):
        rows = model.objects.all()
        if fast:
            rows._raw_delete(rows.db)  # type: ignore[attr-defined]
        else:
            rows.delete()
    for unit in OrgUnit.objects.order_by("-depth"):
        unit.delete()
