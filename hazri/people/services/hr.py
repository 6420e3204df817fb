"""A school's staff brought into line with the HR system (HRMIS), for imports.

`staff_plan` only reads: who would be added, whose details or role change, whose
posting ends (on the school's postings but not in the file), who is unchanged and which
rows are refused. `staff_sync` plans again inside its transaction and writes through
staff_post and posting_end (their checks: one head at a time, no overlapping posting,
teaching assignments ending with the posting), with staff details audited.
A school's staff is a few dozen people: the per-person services are fast enough.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from hazri.audit.services import audit_record
from hazri.common.errors import Conflict
from hazri.org.models import School
from hazri.people.models import Posting, Staff
from hazri.people.services._boundary import Actor, service
from hazri.people.services.register import Outcome
from hazri.people.services.staff import posting_end, staff_post

ONE_DAY = dt.timedelta(days=1)
DETAILS = ("name", "name_local", "gender", "phone")


@dataclass(frozen=True)
class HrEntry:
    """One member of staff as the HR system lists them at a school."""

    line: int
    employee_code: str
    name: str
    gender: str
    role: str
    starts_on: dt.date | None = None
    name_local: str = ""
    phone: str = ""


@dataclass
class StaffOutcome(Outcome):
    staff: Staff | None = None
    posting: Posting | None = None
    hr: HrEntry | None = None


def staff_plan(school: School, entries: Sequence[HrEntry], *, on: dt.date) -> list[StaffOutcome]:
    """What bringing the school's staff in line with `entries` on `on` would do."""
    postings = list(
        Posting.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), school=school)
        .filter(starts_on__lte=on)
        .select_related("staff")
        .order_by("pk")
    )
    by_code = {p.staff.employee_code: p for p in postings}
    known = {
        s.employee_code: s
        for s in Staff.objects.filter(employee_code__in=[e.employee_code for e in entries])
    }
    listed = {e.employee_code for e in entries}
    heads_staying = [
        p for p in postings if p.role == Posting.Role.HEAD and p.staff.employee_code in listed
    ]
    outcomes: list[StaffOutcome] = []
    for entry in entries:
        staff = known.get(entry.employee_code)
        posting = by_code.get(entry.employee_code)
        changes: dict[str, list[str]] = {}
        if staff is not None:
            for name in DETAILS:
                new, old = getattr(entry, name), getattr(staff, name)
                if new and new != old:
                    changes[name] = [old, new]
        if posting is None or posting.role != entry.role:
            changes["role"] = [posting.role if posting else "", entry.role]
            stays = [p for p in heads_staying if p.staff.employee_code != entry.employee_code]
            # The head listed with another role leaves the headship: that is no clash.
            stays = [p for p in stays if _listed_role(entries, p.staff.employee_code) == "head"]
            if entry.role == Posting.Role.HEAD and stays:
                outcomes.append(
                    StaffOutcome(
                        "refused",
                        entry.line,
                        entry.employee_code,
                        entry.name,
                        column="role",
                        reason=f"{school.name} has a head ({stays[0].staff.name}) listed too.",
                        hr=entry,
                    )
                )
                continue
        action = "create" if staff is None else ("change" if changes else "unchanged")
        outcomes.append(
            StaffOutcome(
                action,
                entry.line,
                entry.employee_code,
                entry.name,
                changes=changes,
                staff=staff,
                posting=posting,
                hr=entry,
            )
        )
    for posting in postings:
        if posting.staff.employee_code in listed:
            continue
        outcome = StaffOutcome(
            "end",
            0,
            posting.staff.employee_code,
            posting.staff.name,
            changes={"ends_on": ["", (on - ONE_DAY).isoformat()]},
            staff=posting.staff,
            posting=posting,
        )
        if on - ONE_DAY < posting.starts_on:
            outcome.action, outcome.column = "refused", "employee_code"
            outcome.reason = f"{posting.staff.name}'s posting starts on {posting.starts_on}."
        outcomes.append(outcome)
    return outcomes


def _listed_role(entries: Sequence[HrEntry], code: str) -> str:
    return next((e.role for e in entries if e.employee_code == code), "")


@service
def staff_sync(
    *, school: School, entries: Sequence[HrEntry], on: dt.date, by: Actor
) -> list[StaffOutcome]:
    """Bring the school's staff in line with `entries` on `on` (staff_plan) in one
    transaction; Conflict, writing nothing, when any entry is refused."""
    outcomes = staff_plan(school, entries, on=on)
    refused = [o for o in outcomes if o.action == "refused"]
    if refused:
        first = refused[0]
        raise Conflict(
            f"Line {first.line}, {first.column}: {first.reason}", field=first.column, code="refused"
        )
    last = on - ONE_DAY
    # Ends first: a new head may follow the one whose posting ends.
    for o in outcomes:
        if o.action == "end" or (o.posting is not None and "role" in o.changes):
            assert o.posting is not None
            posting_end.nested(posting=o.posting, ends_on=last, by=by)
    for o in outcomes:
        entry = o.hr
        if entry is None or o.action == "unchanged":
            continue
        staff = o.staff
        if staff is None:
            staff = Staff.objects.create(
                employee_code=entry.employee_code,
                name=entry.name,
                name_local=entry.name_local,
                gender=entry.gender,
                phone=entry.phone,
            )
            audit_record(
                user=by,
                action="staff.add",
                obj=staff,
                school_id=school.pk,
                detail={"employee_code": staff.employee_code, "import": True},
            )
        else:
            details = {k: v for k, v in o.changes.items() if k in DETAILS}
            if details:
                for name in details:
                    setattr(staff, name, getattr(entry, name))
                staff.save(update_fields=list(details))
                audit_record(
                    user=by,
                    action="staff.update",
                    obj=staff,
                    school_id=school.pk,
                    detail={"changes": details},
                )
        if "role" in o.changes:
            starts = _posting_start(staff, school, entry, on, new_role=o.posting is not None)
            staff_post.nested(staff=staff, school=school, role=entry.role, starts_on=starts, by=by)
    return outcomes


def _posting_start(
    staff: Staff, school: School, entry: HrEntry, on: dt.date, *, new_role: bool
) -> dt.date:
    """A new posting starts on the file's day when it is past and no earlier posting
    there covers it (a first import); a change of role, or a return, starts on `on`."""
    start = entry.starts_on
    if new_role or start is None or start > on:
        return on
    earlier = Posting.objects.filter(staff=staff, school=school, ends_on__gte=start).exists()
    return on if earlier else start
