"""Reads of the rosters app, through the permission model (Action.EXCHANGE): the
superuser reaches every school, a head or school administrator their own. A job is
visible to those who reach all of its schools; "not yours" is "does not exist"."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from hazri.accounts.access import Action, actor_of, restrict
from hazri.common.errors import Forbidden, NotFound
from hazri.org.models import OrgUnit, School
from hazri.rosters.models import RosterJob, RosterLine, RosterMapping

PAGE_SIZE = 50


def exchange_schools(user: Any) -> QuerySet[School]:
    """The schools whose rosters the user may import."""
    return restrict(School.objects.all(), actor_of(user), Action.EXCHANGE)


def reach(user: Any, codes: Iterable[str]) -> dict[str, School]:
    """Of these UDISE codes, the schools the user may import (None: the system, every
    school), by code."""
    schools = School.objects.all() if user is None else exchange_schools(user)
    return {s.code: s for s in schools.filter(code__in=sorted(set(codes)))}


def require_exchange(user: Any) -> None:
    """Forbidden for a user who may import for no school at all."""
    if not (user.is_authenticated and exchange_schools(user).exists()):
        raise Forbidden(
            "Only the superuser, a head or a school administrator can import rosters.",
            field="file",
            code="not_exchange",
        )


def sees_job(user: Any, job: RosterJob) -> bool:
    if user.is_superuser:
        return True
    ids = sorted(set(job.parts.values_list("school_id", flat=True)))
    if not ids:
        return job.created_by_id == user.pk
    return exchange_schools(user).filter(pk__in=ids).count() == len(ids)


def job_visible(user: Any, job_id: int) -> RosterJob:
    job = RosterJob.objects.defer("data").filter(pk=job_id).first()
    if job is None or not user.is_authenticated or not sees_job(user, job):
        raise NotFound(f"No import {job_id} in your area.", field="job")
    return job


def jobs_of(user: Any, limit: int = 30) -> list[RosterJob]:
    """The latest imports the user may see."""
    if not user.is_authenticated:
        return []
    jobs = RosterJob.objects.defer("data").order_by("-created_at", "-pk")
    if not user.is_superuser:
        schools = list(exchange_schools(user).values_list("pk", flat=True))
        jobs = jobs.filter(Q(created_by=user) | Q(parts__school_id__in=schools)).distinct()
    return [job for job in jobs[: limit * 2] if sees_job(user, job)][:limit]


def job_parts(job: RosterJob) -> list[Any]:
    return list(job.parts.select_related("school").order_by("school__name", "pk"))


def job_lines(job: RosterJob, *, action: str = "", page: int = 1) -> tuple[list[RosterLine], int]:
    """One page of the job's lines (refused first when no action is named), and how many."""
    lines = RosterLine.objects.filter(job=job)
    if action:
        lines = lines.filter(action=action)
    total = lines.count()
    start = (max(page, 1) - 1) * PAGE_SIZE
    ordered = lines.order_by("line", "pk") if action else lines.order_by("line", "pk")
    return list(ordered[start : start + PAGE_SIZE]), total


def mappings_usable(user: Any) -> list[RosterMapping]:
    """The mappings of the areas above the schools the user may import for."""
    mappings = RosterMapping.objects.select_related("unit").order_by("name")
    if user.is_superuser:
        return list(mappings)
    paths = set(exchange_schools(user).values_list("unit_path", flat=True))
    return [m for m in mappings if any(p.startswith(m.unit.path) for p in paths)]


def mapping_visible(user: Any, mapping_id: int) -> RosterMapping:
    found = next((m for m in mappings_usable(user) if m.pk == mapping_id), None)
    if found is None:
        raise NotFound(f"No mapping {mapping_id} in your area.", field="mapping")
    return found


def mapping_named(user: Any, name: str) -> RosterMapping:
    """A mapping by its name (the command line's --mapping; None: the system, any)."""
    usable = RosterMapping.objects.all() if user is None else mappings_usable(user)
    found = next((m for m in usable if m.name == name), None)
    if found is None:
        raise NotFound(f"No mapping {name} in your area.", field="mapping")
    return found


def require_unit_exchange(user: Any, unit: OrgUnit, *, field: str = "unit") -> None:
    """A mapping is the area's: its editor may import for every school of the area
    (the superuser; a head only where the area is their one school's)."""
    if user.is_superuser:
        return
    under = School.objects.filter(unit_path__startswith=unit.path)
    total = under.count()
    if total == 0 or exchange_schools(user).filter(unit_path__startswith=unit.path).count() < total:
        raise Forbidden(
            f"Only who may import for every school of {unit.name} can set its mapping.",
            field=field,
            code="not_exchange",
        )


def unit_for_mapping(user: Any, unit_id: int) -> OrgUnit:
    """A unit the user sees (else 404), for a mapping."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(f"No unit {unit_id} in your area.", field="unit")
    if user.is_superuser:
        return unit
    paths = exchange_schools(user).values_list("unit_path", flat=True)
    if not any(p.startswith(unit.path) for p in paths):
        raise NotFound(f"No unit {unit_id} in your area.", field="unit")
    return unit
