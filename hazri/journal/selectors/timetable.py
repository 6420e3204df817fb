"""A section's timetable as it stands on given days: the week's slots in force on each
day, with the day's changes (a substitute, a cancelled, moved or extra lesson) applied,
and the bell schedule's times. Three queries for any number of days."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from hazri.journal.models import Change, Period, Slot
from hazri.org.models import Section


@dataclass(frozen=True)
class Lesson:
    """One lesson of a day's timetable (not yet what was taught: see models.Lesson)."""

    day: dt.date
    period: int
    starts_at: dt.time | None
    ends_at: dt.time | None
    subject_id: int
    teacher_id: int | None  # people.Staff
    change: str = ""  # models.Change.Kind, where the day's timetable was changed
    cancelled: bool = False
    note: str = ""


def _in_force(days: Sequence[dt.date]) -> Q:
    first, last = min(days), max(days)
    return Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))


def timetable(section: Section, days: Sequence[dt.date]) -> dict[dt.date, list[Lesson]]:
    """Each day's lessons in period order. A cancelled lesson stays in the list,
    marked, so that the diary can say so; a lesson moved away is cancelled on its own
    day and appears, marked moved, on the day and period it went to."""
    return timetables([section], days).get(section.pk, {})


def timetables(
    sections: Sequence[Section], days: Sequence[dt.date]
) -> dict[int, dict[dt.date, list[Lesson]]]:
    """`timetable` of many sections (of any schools) at once, by section id: still
    three queries (a family's children in several schools, a week's diary)."""
    if not days or not sections:
        return {}
    schools = sorted({section.school_id for section in sections})
    times: dict[int, dict[int, tuple[dt.time, dt.time]]] = {school: {} for school in schools}
    for p in Period.objects.filter(school_id__in=schools):
        times[p.school_id][p.number] = (p.starts_at, p.ends_at)
    slots = list(
        Slot.objects.filter(
            _in_force(days),
            school_id__in=schools,
            section__in=sections,
            weekday__in={d.isoweekday() for d in days},
        ).order_by("period", "starts_on")
    )
    changes = list(
        Change.objects.filter(
            Q(day__in=days) | Q(to_day__in=days),
            school_id__in=schools,
            section__in=sections,
            withdrawn_at__isnull=True,
        ).order_by("made_at", "pk")
    )
    return {
        section.pk: _days(
            days,
            times[section.school_id],
            [slot for slot in slots if slot.section_id == section.pk],
            [change for change in changes if change.section_id == section.pk],
        )
        for section in sections
    }


def _days(
    days: Sequence[dt.date],
    times: dict[int, tuple[dt.time, dt.time]],
    slots: list[Slot],
    changes: list[Change],
) -> dict[dt.date, list[Lesson]]:
    out: dict[dt.date, list[Lesson]] = {}
    for day in days:
        by_period: dict[int, Lesson] = {}
        for slot in slots:
            if slot.weekday != day.isoweekday() or slot.starts_on > day:
                continue
            if slot.ends_on is not None and slot.ends_on < day:
                continue
            start, end = times.get(slot.period, (None, None))
            by_period[slot.period] = Lesson(
                day, slot.period, start, end, slot.subject_id, slot.teacher_id
            )
        for change in changes:  # in the order they were made: the last one stands
            if change.day == day:
                _apply(by_period, change, day, times)
            if change.kind == Change.Kind.MOVED and change.to_day == day and change.to_period:
                moved_from = change.subject_id
                start, end = times.get(change.to_period, (None, None))
                by_period[change.to_period] = Lesson(
                    day,
                    change.to_period,
                    start,
                    end,
                    moved_from or 0,
                    change.teacher_id,
                    change=Change.Kind.MOVED,
                    note=change.note,
                )
        out[day] = [by_period[p] for p in sorted(by_period)]
    return out


def _apply(
    by_period: dict[int, Lesson],
    change: Change,
    day: dt.date,
    times: dict[int, tuple[dt.time, dt.time]],
) -> None:
    planned = by_period.get(change.period)
    start, end = times.get(change.period, (None, None))
    subject = change.subject_id or (planned.subject_id if planned else 0)
    teacher = change.teacher_id or (planned.teacher_id if planned else None)
    if change.kind in (Change.Kind.CANCELLED, Change.Kind.MOVED):
        if planned is not None:
            by_period[change.period] = Lesson(
                day,
                change.period,
                start,
                end,
                planned.subject_id,
                planned.teacher_id,
                change=change.kind,
                cancelled=True,
                note=change.note,
            )
        return
    # A substitute takes the planned lesson; an extra one fills the period.
    by_period[change.period] = Lesson(
        day, change.period, start, end, subject, teacher, change=change.kind, note=change.note
    )


def week_of(day: dt.date) -> list[dt.date]:
    """The Monday-to-Sunday week holding the day."""
    monday = day - dt.timedelta(days=day.isoweekday() - 1)
    return [monday + dt.timedelta(days=n) for n in range(7)]
