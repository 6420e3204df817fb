"""Reads of notices: a family's, a school's delivery log, and who may read them."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from hazri.accounts import selectors as access
from hazri.accounts.access import Action, actor_of
from hazri.common.errors import Forbidden, NotFound
from hazri.notify.models import Delivery, Notice, Status
from hazri.org.models import School
from hazri.people.models import Guardian

HISTORY = 100  # a family's latest notices shown
LOG = 200  # a school's latest notices shown


def guardian_of(user: Any) -> Guardian:
    """The guardian record of the signed-in user; a user who is no guardian gets the
    one 404 (there is nothing of theirs here)."""
    guardian = Guardian.objects.filter(user=user).first() if user.is_authenticated else None
    if guardian is None:
        raise NotFound(_("You are not the guardian of a child on any roll."), field="user")
    return guardian


def school_for_log(user: Any, school_id: int) -> School:
    """A school whose notices the user may read: its head, the officers over it and the
    superuser (who "approve late entries" there); other staff are refused."""
    school = access.school_visible(user, school_id)
    if actor_of(user).may(Action.APPROVE_LATE, school) is None:
        raise Forbidden(
            _("Only the head and the officers over the school see its notices."),
            field="school",
            code="not_head",
        )
    return school


def _with_log(notices: QuerySet[Notice]) -> QuerySet[Notice]:
    return notices.select_related("student", "guardian").prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.order_by("at", "pk"))
    )


def family_notices(guardian: Guardian) -> list[Notice]:
    return list(
        _with_log(Notice.objects.filter(guardian=guardian)).order_by("-created_at", "-pk")[:HISTORY]
    )


@dataclass(frozen=True)
class SchoolLog:
    counts: dict[str, int]
    notices: list[Notice]


def school_log(
    school: School, *, status: str | None = None, day: dt.date | None = None
) -> SchoolLog:
    """The school's notices, newest first (failures first when asked by status), with
    every try; the counts by state over all of them."""
    mine = Notice.objects.filter(school_id=school.pk)
    counts = {s.value: 0 for s in Status}
    for row in mine.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    shown = mine
    if status:
        shown = shown.filter(status=status)
    if day:  # the school's day, in its own zone
        start = dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(school.timezone))
        shown = shown.filter(created_at__gte=start, created_at__lt=start + dt.timedelta(days=1))
    return SchoolLog(
        counts=counts, notices=list(_with_log(shown).order_by("-created_at", "-pk")[:LOG])
    )
