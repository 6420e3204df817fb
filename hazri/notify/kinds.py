"""Which notices to write: the four kinds, each found by a job (or, for a message, told
by the messaging app). Writing goes through `queue.notices_add`, which writes each once.

- Absence (`absence_sweep`, every few minutes): once a school's cutoff (the state
  policy's, 17:00 by default) has passed on its own day, in its own time zone, the
  forenoon roll call (meeting 1) of each section is final; every guardian of a child
  marked A in its current version gets one notice for that child and day. Later runs
  that day look only at roll calls changed since (a phone that synced late, a head's
  correction): a child newly marked absent is told; a child corrected to present
  before the notice went out has it cancelled; after it went out nothing more is sent
  (no correction notice: the school speaks to the family).
- Low attendance (`low_attendance_sweep`): from the 1st to the 3rd of a month, after
  08:00, for the month before: children under the state policy's threshold
  (`low_attendance_pct`, 75 %) who were marked on at least `low_attendance_min_days`
  days (SPEC §3.10).
- Week not signed (`week_unsigned_sweep`): from Monday 08:00, for the week before:
  each guardian with a login who did not sign a child's diary week in which the child's
  section held a roll call.
- A message (`notify_message`) or a class teacher's notice to a section
  (`notify_class_notice`): the messaging app's signals call them (receivers.py).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from hazri.attendance import rules
from hazri.attendance.models import RollCall
from hazri.journal.models import Acknowledgement
from hazri.notify.models import Kind, Notice, Status, Sweep
from hazri.notify.queue import NewNotice, notices_add
from hazri.org import selectors as org
from hazri.org.models import School, Section
from hazri.people.models import Enrolment, Guardian, Guardianship, Student
from hazri.people.selectors import section_roll

CHUNK = 200
# A roll call changed this close before the last sweep is looked at again (clock skew
# between the workers and the database).
MARGIN = dt.timedelta(minutes=1)


def _chunks(items: list[School], size: int = CHUNK) -> Iterator[list[School]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _schools() -> list[School]:
    return list(School.objects.only("pk", "timezone", "unit_path", "name", "name_local"))


def _local(school: School, now: dt.datetime) -> dt.datetime:
    return now.astimezone(ZoneInfo(school.timezone))


def _school_params(school: School) -> dict[str, str]:
    return {"school": school.name, "school_local": school.name_local or school.name}


def _about(
    kind: str,
    school: School,
    guardian: int,
    student: int,
    key: str,
    name: tuple[str, str],
    **params: Any,
) -> NewNotice:
    """A notice to a guardian about one child: the child's and the school's names (as
    written and in the local script) beside the kind's own params."""
    return NewNotice(
        school_id=school.pk,
        kind=kind,
        guardian_id=guardian,
        student_id=student,
        key=key,
        params={"child": name[0], "child_local": name[1], **params, **_school_params(school)},
    )


def _students(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    rows = Student.objects.filter(pk__in=sorted(set(ids))).values_list("pk", "name", "name_local")
    return {pk: (name, local or name) for pk, name, local in rows}


def _guardians_of(student_ids: Iterable[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    rows = Guardianship.objects.filter(student_id__in=sorted(set(student_ids))).values_list(
        "student_id", "guardian_id"
    )
    for student, guardian in rows.order_by("student_id", "guardian_id"):
        found[student].append(guardian)
    return found


def _marks(school_ids: list[int], q: Q) -> Iterator[tuple[int, int, str, dt.date]]:
    """(school, student, mark, day) of every member of the current roll calls matched."""
    rows = RollCall.objects.filter(q, school_id__in=school_ids, is_current=True).values_list(
        "school_id", "roster__member_ids", "marks", "day"
    )
    for school_id, members, marks, day in rows:
        roster = [int(m) for m in members.split(",")] if members else []
        for student, mark in rules.unpack_marks(roster, marks):
            yield school_id, student, mark, day


# --- Absence ----------------------------------------------------------------------------


def absence_sweep(*, now: dt.datetime | None = None) -> int:
    """Write the absence notices of every school whose cutoff has passed today."""
    now = now or timezone.now()
    schools = _schools()
    policies = org.schools_policies(schools)
    due: dict[dt.date, list[School]] = defaultdict(list)
    for school in schools:
        local = _local(school, now)
        if local.time() >= policies[school.pk].cutoff:
            due[local.date()].append(school)
    written = 0
    for day, group in due.items():
        for chunk in _chunks(group):
            written += _absences(chunk, day, now)
    return written


def _absences(schools: list[School], day: dt.date, now: dt.datetime) -> int:
    ids = [s.pk for s in schools]
    key = day.isoformat()
    swept = dict(
        Sweep.objects.filter(school_id__in=ids, kind=Kind.ABSENCE, key=key).values_list(
            "school_id", "swept_at"
        )
    )
    fresh = [pk for pk in ids if pk not in swept]
    changed = Q(school_id__in=fresh)
    if swept:
        changed |= Q(school_id__in=list(swept), updated_at__gte=min(swept.values()) - MARGIN)
    absent: set[tuple[int, int]] = set()
    looked: set[tuple[int, int]] = set()
    for school_id, student, mark, _day in _marks(ids, changed & Q(day=day, meeting=1)):
        looked.add((school_id, student))
        if mark == rules.ABSENT:
            absent.add((school_id, student))
    by_id = {s.pk: s for s in schools}
    names = _students(student for _school, student in absent)
    guardians = _guardians_of(student for _school, student in absent)
    new = [
        _about(
            Kind.ABSENCE,
            by_id[school_id],
            guardian,
            student,
            key,
            names[student],
            day=key,
        )
        for school_id, student in sorted(absent)
        for guardian in guardians.get(student, [])
    ]
    written = notices_add(new, now=now)
    # Corrected to present (or leave) before the notice went out: not sent.
    if swept:
        waiting = Notice.objects.filter(
            school_id__in=list(swept), kind=Kind.ABSENCE, key=key, status=Status.PENDING
        ).values_list("pk", "school_id", "student_id")
        cancel = [pk for pk, s, st in waiting if (s, st) in looked and (s, st) not in absent]
        if cancel:
            Notice.objects.filter(pk__in=cancel, status=Status.PENDING).update(
                status=Status.CANCELLED, last_error="corrected: no longer absent"
            )
    Sweep.objects.bulk_create(
        [Sweep(school_id=pk, kind=Kind.ABSENCE, key=key, swept_at=now) for pk in fresh],
        ignore_conflicts=True,
    )
    if swept:
        Sweep.objects.filter(school_id__in=list(swept), kind=Kind.ABSENCE, key=key).update(
            swept_at=now
        )
    return written


# --- Once a month, once a week ----------------------------------------------------------


def _morning_schools(
    now: dt.datetime, kind: str, key_of: Any
) -> Iterator[tuple[School, str, dt.date]]:
    """Schools where it is past the morning hour and `key_of(local today)` names a key
    this job has not done for them yet: (school, key, local today)."""
    wanted = []
    for school in _schools():
        local = _local(school, now)
        key = key_of(local.date())
        if key and local.time() >= settings.HAZRI_NOTIFY_MORNING:
            wanted.append((school, key, local.date()))
    done = set(
        Sweep.objects.filter(school_id__in=[s.pk for s, _k, _d in wanted], kind=kind).values_list(
            "school_id", "key"
        )
    )
    for school, key, today in wanted:
        if (school.pk, key) not in done:
            yield school, key, today


def _last_month(today: dt.date) -> str | None:
    if today.day > settings.HAZRI_NOTIFY_LOW_ATTENDANCE_DAYS:
        return None
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


def low_attendance_sweep(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    written = 0
    for school, key, _today in list(_morning_schools(now, Kind.LOW_ATTENDANCE, _last_month)):
        written += low_attendance_notices(school, month=dt.date.fromisoformat(key + "-01"), now=now)
        Sweep.objects.get_or_create(
            school=school, kind=Kind.LOW_ATTENDANCE, key=key, defaults={"swept_at": now}
        )
    return written


def low_attendance_notices(school: School, *, month: dt.date, now: dt.datetime) -> int:
    """Notices for the school's children under the threshold in `month`."""
    policy = org.policy_for_school(school)
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    counts: dict[int, rules.Counts] = defaultdict(rules.Counts)
    days: dict[int, set[dt.date]] = defaultdict(set)
    for _school, student, mark, day in _marks([school.pk], Q(day__gte=month, day__lte=end)):
        counts[student] += rules.count_marks(mark)
        days[student].add(day)
    low = {
        student: percent
        for student, tally in counts.items()
        if (percent := tally.percent) is not None
        and len(days[student]) >= policy.low_attendance_min_days
        and percent < policy.low_attendance_pct
    }
    names, guardians = _students(low), _guardians_of(low)
    key = month.strftime("%Y-%m")
    return notices_add(
        [
            _about(
                Kind.LOW_ATTENDANCE,
                school,
                guardian,
                student,
                key,
                names[student],
                percent=f"{percent}%",
                month=key,
                threshold=policy.low_attendance_pct,
            )
            for student, percent in sorted(low.items())
            for guardian in guardians.get(student, [])
        ],
        now=now,
    )


def _last_week(today: dt.date) -> str:
    monday = today - dt.timedelta(days=today.weekday())
    return (monday - dt.timedelta(days=7)).isoformat()


def week_unsigned_sweep(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    written = 0
    for school, key, _today in list(_morning_schools(now, Kind.WEEK_UNSIGNED, _last_week)):
        written += week_unsigned_notices(school, week=dt.date.fromisoformat(key), now=now)
        Sweep.objects.get_or_create(
            school=school, kind=Kind.WEEK_UNSIGNED, key=key, defaults={"swept_at": now}
        )
    return written


def week_unsigned_notices(school: School, *, week: dt.date, now: dt.datetime) -> int:
    """Notices to each guardian (with a login: only they can sign) who did not sign the
    diary week of a child whose section held a roll call that week."""
    sunday = week + dt.timedelta(days=6)
    sections = set(
        RollCall.objects.filter(
            school_id=school.pk, day__gte=week, day__lte=sunday, is_current=True
        ).values_list("section_id", flat=True)
    )
    students = set(
        Enrolment.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=week),
            school_id=school.pk,
            section_id__in=sorted(sections),
            starts_on__lte=sunday,
        ).values_list("student_id", flat=True)
    )
    guardians = _guardians_of(students)
    users = dict(
        Guardian.objects.filter(
            pk__in=sorted({g for gs in guardians.values() for g in gs}), user__isnull=False
        ).values_list("pk", "user_id")
    )
    signed = set(
        Acknowledgement.objects.filter(school_id=school.pk, week=week).values_list(
            "student_id", "signed_by_id"
        )
    )
    names = _students(students)
    key = week.isoformat()
    return notices_add(
        [
            _about(
                Kind.WEEK_UNSIGNED,
                school,
                guardian,
                student,
                key,
                names[student],
                week=key,
            )
            for student in sorted(students)
            for guardian in guardians.get(student, [])
            if guardian in users and (student, users[guardian]) not in signed
        ],
        now=now,
    )


# --- A message --------------------------------------------------------------------------


def notify_message(
    *,
    school_id: int,
    student_id: int,
    guardian_ids: Iterable[int],
    thread_id: int,
    message_id: int,
    author: str,
    now: dt.datetime | None = None,
) -> int:
    """A message was posted to a thread about a child: tell these guardians once (the
    messaging app's `message_posted` signal calls this; its author is not told)."""
    names = _students([student_id])
    if student_id not in names:
        return 0
    school = School.objects.only("pk", "name", "name_local").get(pk=school_id)
    return notices_add(
        [
            _about(
                Kind.MESSAGE,
                school,
                guardian,
                student_id,
                f"message:{message_id}",
                names[student_id],
                author=author,
                thread=thread_id,
            )
            for guardian in sorted(set(guardian_ids))
        ],
        now=now,
    )


def notify_class_notice(
    *,
    notice_id: int,
    section_id: int,
    author: str,
    title: str,
    now: dt.datetime | None = None,
) -> int:
    """A class teacher's notice to a section: one notice to each guardian of a child on
    its roll today (a guardian of two children there is told once, of the first)."""
    section = Section.objects.select_related("school").get(pk=section_id)
    school = section.school
    roll = section_roll(section, org.school_today(school, now))
    guardians = _guardians_of(member.id for member in roll)
    child_of: dict[int, int] = {}
    for member in roll:
        for guardian in guardians.get(member.id, []):
            child_of.setdefault(guardian, member.id)
    names = {member.id: (member.name, member.name_local or member.name) for member in roll}
    return notices_add(
        [
            _about(
                Kind.CLASS_NOTICE,
                school,
                guardian,
                student,
                f"notice:{notice_id}",
                names[student],
                author=author,
                title=title,
            )
            for guardian, student in sorted(child_of.items())
        ],
        now=now,
    )
