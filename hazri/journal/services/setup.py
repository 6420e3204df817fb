"""A school's journal set-up (SPEC §5.6): its subjects, grading scheme, terms and bell
schedule. Every write is audited; the head and the school administrator make them
(the callers ask `hazri.journal.selectors.setup`), a state's scheme the superuser.

A section's timetable and the day's changes are in `setup_timetable`."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hazri.accounts.access import Role, actor_of
from hazri.audit.services import audit_record
from hazri.common.errors import Conflict, Forbidden, Invalid
from hazri.journal import rules
from hazri.journal.models import Grade, Period, Scheme, Slot, Term, WorkKind
from hazri.org import selectors as org
from hazri.org.models import OrgUnit, School, Subject

MAX_PERIODS = 12
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,19}")


def _named(value: str, field: str, longest: int) -> str:
    text = value.strip()
    if not text:
        raise Invalid("Give a name.", field=field, code="required")
    if len(text) > longest:
        raise Invalid(f"At most {longest} characters.", field=field, code="too_long")
    return text


# --- Subjects --------------------------------------------------------------------------


def subject_create(
    *, school: School, code: str, name: str, name_local: str = "", by: Any
) -> Subject:
    code = code.strip().upper()
    if not _CODE.fullmatch(code):
        raise Invalid(
            "A code is up to 20 letters, digits, - or _, as MATH.", field="code", code="bad_code"
        )
    subject = Subject(
        school=school,
        code=code,
        name=_named(name, "name", 120),
        name_local=name_local.strip()[:120],
    )
    with transaction.atomic():
        if Subject.objects.filter(school=school, code=code).exists():
            raise Conflict(
                f"{school.name} has a subject {code} already.", field="code", code="taken"
            )
        subject.save()
        audit_record(
            user=by,
            action="journal.subject_create",
            obj=subject,
            school_id=school.pk,
            detail={"code": code, "name": subject.name},
        )
    return subject


def subject_rename(*, subject: Subject, name: str, name_local: str = "", by: Any) -> Subject:
    subject.name = _named(name, "name", 120)
    subject.name_local = name_local.strip()[:120]
    with transaction.atomic():
        subject.save(update_fields=["name", "name_local"])
        audit_record(
            user=by,
            action="journal.subject_rename",
            obj=subject,
            school_id=subject.school_id,
            detail={"name": subject.name, "name_local": subject.name_local},
        )
    return subject


# --- The grading scheme ----------------------------------------------------------------


@dataclass(frozen=True)
class KindIn:
    code: str
    name: str
    weight: Decimal = Decimal(1)
    name_local: str = ""


def scheme_set(
    *,
    scale: str,
    kinds: list[KindIn],
    by: Any,
    school: School | None = None,
    unit: OrgUnit | None = None,
) -> Scheme:
    """Set the scale and the kinds of work (with weights) of a school, or of a state
    (a unit: the superuser's). Kinds are matched by code: a new code adds a kind, a
    missing one removes it unless grades were given for it. The scale cannot change
    once grades were given on it."""
    if (school is None) == (unit is None):
        raise Invalid("Name a school or a state.", field="school", code="required")
    if unit is not None and not getattr(by, "is_superuser", False):
        raise Forbidden(
            "Only a state's administrator sets the state's scheme.",
            field="unit",
            code="not_superuser",
        )
    if scale not in rules.SCALES:
        raise Invalid(
            f"'{scale}' is not a scale: use one of {', '.join(rules.SCALES)}.",
            field="scale",
            code="bad_scale",
        )
    wanted = _kinds(kinds)
    with transaction.atomic():
        owner = {"school": school} if school is not None else {"unit": unit}
        scheme = Scheme.objects.select_for_update().filter(**owner).first()
        if scheme is None:
            scheme = Scheme.objects.create(scale=scale, **owner)
        elif scheme.scale != scale:
            if Grade.objects.filter(kind__scheme=scheme).exists():
                raise Conflict(
                    "Grades were given on this scale: it cannot change now.",
                    field="scale",
                    code="grades_given",
                )
            scheme.scale = scale
            scheme.save(update_fields=["scale"])
        existing = {kind.code: kind for kind in WorkKind.objects.filter(scheme=scheme)}
        gone = [kind for code, kind in existing.items() if code not in wanted]
        used = set(
            Grade.objects.filter(kind__in=gone).values_list("kind__code", flat=True).distinct()
        )
        if used:
            raise Conflict(
                f"Grades were given for {', '.join(sorted(used))}: keep those kinds of work.",
                field="kinds",
                code="kind_in_use",
            )
        WorkKind.objects.filter(pk__in=[kind.pk for kind in gone]).delete()
        for code, kind_in in wanted.items():
            kind = existing.get(code) or WorkKind(scheme=scheme, code=code)
            kind.name, kind.name_local, kind.weight = (
                kind_in.name,
                kind_in.name_local,
                kind_in.weight,
            )
            kind.save()
        audit_record(
            user=by,
            action="journal.scheme_set",
            obj=scheme,
            school_id=school.pk if school is not None else None,
            detail={
                "unit": unit.pk if unit is not None else None,
                "scale": scale,
                "kinds": {code: str(k.weight) for code, k in wanted.items()},
            },
        )
    return scheme


def _kinds(kinds: list[KindIn]) -> dict[str, KindIn]:
    if not kinds:
        raise Invalid("Give at least one kind of work.", field="kinds", code="required")
    wanted: dict[str, KindIn] = {}
    for n, kind in enumerate(kinds):
        code = kind.code.strip().lower()
        if not _CODE.fullmatch(code):
            raise Invalid(
                "A code is up to 20 letters, digits, - or _.",
                field=f"kinds[{n}].code",
                code="bad_code",
            )
        if code in wanted:
            raise Invalid(f"{code} is given twice.", field=f"kinds[{n}].code", code="duplicate")
        if not Decimal(0) < kind.weight <= Decimal("99.99") or kind.weight != round(kind.weight, 2):
            raise Invalid(
                "A weight is more than 0 and at most 99.99, with two decimals at most.",
                field=f"kinds[{n}].weight",
                code="bad_weight",
            )
        wanted[code] = KindIn(
            code=code,
            name=_named(kind.name, f"kinds[{n}].name", 60),
            weight=kind.weight,
            name_local=kind.name_local.strip()[:60],
        )
    return wanted


# --- Terms -----------------------------------------------------------------------------


def term_create(
    *, school: School, name: str, starts_on: dt.date, ends_on: dt.date, by: Any
) -> Term:
    """A term inside one academic year of the school, overlapping none of its others."""
    name = _named(name, "name", 40)
    if ends_on < starts_on:
        raise Invalid(
            f"It cannot end ({ends_on}) before it starts ({starts_on}).",
            field="ends_on",
            code="ends_before_start",
        )
    year = org.academic_year_for(school, starts_on)
    if year is None:
        raise Invalid(
            f"{starts_on} is in no academic year of {school.name}.",
            field="starts_on",
            code="outside_session",
        )
    if ends_on > year.ends_on:
        raise Invalid(
            f"The {year.name} session ends on {year.ends_on}: a term ends within it.",
            field="ends_on",
            code="outside_session",
        )
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()  # one term at a time
        clash = Term.objects.filter(
            school=school, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).first()
        if clash is not None:
            raise Conflict(
                f"{clash.name} runs from {clash.starts_on} to {clash.ends_on}: terms cannot overlap.",
                field="starts_on",
                code="overlapping_term",
            )
        if Term.objects.filter(school=school, academic_year=year, name=name).exists():
            raise Conflict(f"{year.name} has a term {name} already.", field="name", code="taken")
        term = Term.objects.create(
            school=school, academic_year=year, name=name, starts_on=starts_on, ends_on=ends_on
        )
        audit_record(
            user=by,
            action="journal.term_create",
            obj=term,
            school_id=school.pk,
            detail={"name": name, "starts_on": str(starts_on), "ends_on": str(ends_on)},
        )
    return term


def term_close(*, term: Term, by: Any, now: dt.datetime | None = None) -> Term:
    """Close a term: from now on only the head changes its grades. The head's act;
    a closed term stays closed (there is no reopening)."""
    school = School.objects.get(pk=term.school_id)
    if Role.HEAD not in actor_of(by).roles_at(school.pk):
        raise Forbidden(
            f"Only the head of {school.name} closes a term.", field="term", code="not_head"
        )
    with transaction.atomic():
        locked = Term.objects.select_for_update().get(pk=term.pk)
        if locked.closed_at is not None:
            raise Conflict(
                f"{locked.name} was closed on {locked.closed_at:%Y-%m-%d}; it cannot be reopened.",
                field="term",
                code="closed",
            )
        locked.closed_at = now or timezone.now()
        locked.closed_by = by
        locked.save(update_fields=["closed_at", "closed_by"])
        audit_record(user=by, action="journal.term_close", obj=locked, school_id=school.pk)
    return locked


# --- The bell schedule -----------------------------------------------------------------


@dataclass(frozen=True)
class PeriodIn:
    number: int
    starts_at: dt.time
    ends_at: dt.time


def periods_set(*, school: School, periods: list[PeriodIn], by: Any) -> list[Period]:
    """Replace the school's bell schedule. Periods are numbered 1, 2, … in the order
    of their times and may not overlap; a period that a timetable in force (or to
    come) still uses cannot be taken away."""
    if len(periods) > MAX_PERIODS:
        raise Invalid(f"At most {MAX_PERIODS} periods.", field="periods", code="too_many")
    ordered = sorted(enumerate(periods), key=lambda item: item[1].number)
    for place, (n, period) in enumerate(ordered):
        if not 1 <= period.number <= MAX_PERIODS:
            raise Invalid(
                f"A period's number is 1 to {MAX_PERIODS}.",
                field=f"periods[{n}].number",
                code="bad_number",
            )
        if place and ordered[place - 1][1].number == period.number:
            raise Invalid(
                f"Period {period.number} is given twice.",
                field=f"periods[{n}].number",
                code="duplicate",
            )
        if period.ends_at <= period.starts_at:
            raise Invalid(
                f"Period {period.number} ends before it starts.",
                field=f"periods[{n}].ends_at",
                code="ends_before_start",
            )
        if place and period.starts_at < ordered[place - 1][1].ends_at:
            before = ordered[place - 1][1]
            raise Invalid(
                f"Period {period.number} starts at {period.starts_at:%H:%M}, before period "
                f"{before.number} ends ({before.ends_at:%H:%M}).",
                field=f"periods[{n}].starts_at",
                code="overlapping_period",
            )
    numbers = {period.number for period in periods}
    today = org.school_today(school)
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()
        used = set(
            Slot.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), school=school)
            .exclude(period__in=numbers)
            .values_list("period", flat=True)
        )
        if used:
            raise Conflict(
                f"The timetable uses period {min(used)}: set the timetable without it first.",
                field="periods",
                code="period_in_use",
            )
        Period.objects.filter(school=school).exclude(number__in=numbers).delete()
        existing = {p.number: p for p in Period.objects.filter(school=school)}
        saved = []
        for period in periods:
            row = existing.get(period.number) or Period(school=school, number=period.number)
            row.starts_at, row.ends_at = period.starts_at, period.ends_at
            row.save()
            saved.append(row)
        audit_record(
            user=by,
            action="journal.periods_set",
            obj=school,
            school_id=school.pk,
            detail={
                "periods": [
                    [p.number, f"{p.starts_at:%H:%M}", f"{p.ends_at:%H:%M}"]
                    for p in sorted(saved, key=lambda p: p.number)
                ]
            },
        )
    return sorted(saved, key=lambda p: p.number)
