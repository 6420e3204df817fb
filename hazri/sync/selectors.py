"""What a device is sent: its schools' rules and calendar, rolls, staff, roll calls.

The rows that can be many (students and enrolments) go by delta; the state hash
over them lets the server tell whether a device holds exactly what it was sent.
"""

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from hazri.accounts import selectors as access
from hazri.accounts.models import User
from hazri.attendance import seams
from hazri.attendance.models import RollCall, Roster, StaffRollCall
from hazri.common import sql
from hazri.org import selectors as org
from hazri.org.models import School
from hazri.people.models import Admission, Enrolment, Posting
from hazri.sync.models import SyncLog

DAYS_BACK = 14
DAYS_AHEAD = 60


def pull_of(user: Any, token: str | None) -> SyncLog | None:
    """The user's pull that answered with this token, if there is one."""
    try:
        key = uuid.UUID(token or "")
    except ValueError:
        return None
    rows = sql.select(
        f"SELECT {sql.columns(SyncLog, 's')} FROM sync_synclog s WHERE s.id = %s AND s.user_id = %s",
        [sql.param(SyncLog, "id", key), user.pk],
        sql.model_fields(SyncLog),
    )
    return sql.instance(SyncLog, rows[0]) if rows else None


def device_schools(postings: list[access.PostingSpan], now: dt.datetime) -> list[School]:
    """The schools the user is posted to on each school's own today, by id."""
    schools = org.schools_by_id(p.school_id for p in postings)
    return [
        school
        for school in schools
        if any(
            p.school_id == school.pk and p.covers(org.school_today(school, now)) for p in postings
        )
    ]


def _hhmm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def school_rows(
    user: Any,
    schools: list[School],
    now: dt.datetime,
    *,
    policies: dict[int, org.Policy],
    postings: list[access.PostingSpan],
) -> list[dict[str, Any]]:
    rows = []
    for school in schools:
        policy = policies[school.pk]
        today = org.school_today(school, now)
        rows.append(
            {
                "id": school.pk,
                "name": school.name,
                "name_local": school.name_local,
                "timezone": school.timezone,
                "start_time": _hhmm(school.start_time),
                "afternoon_start": _hhmm(school.afternoon_start),
                "role": access.posting_role(user, school, today, postings=postings),
                "meetings_per_day": policy.meetings_per_day,
                "on_time_minutes": policy.on_time_minutes,
                "opens_before_minutes": policy.opens_before_minutes,
                "cutoff": _hhmm(policy.cutoff),
                "today": today.isoformat(),
            }
        )
    return rows


def day_rows(
    schools: list[School], *, policies: dict[int, org.Policy], now: dt.datetime
) -> list[dict[str, Any]]:
    """Each school's calendar from DAYS_BACK before its today to DAYS_AHEAD after, in one
    query for all of them."""
    if not schools:
        return []
    todays = {school.pk: org.school_today(school, now) for school in schools}
    calendars = org.schools_calendars(
        schools,
        min(todays.values()) - dt.timedelta(days=DAYS_BACK),
        max(todays.values()) + dt.timedelta(days=DAYS_AHEAD),
        policies=policies,
    )
    rows = []
    for school in schools:
        first = todays[school.pk] - dt.timedelta(days=DAYS_BACK)
        last = todays[school.pk] + dt.timedelta(days=DAYS_AHEAD)
        rows += [
            {
                "school": school.pk,
                "day": day.isoformat(),
                "kind": status.kind.value,
                "name": status.name,
                "name_local": status.name_local,
            }
            for day, status in calendars[school.pk][1].items()
            if first <= day <= last
        ]
    return rows


def current_sections(schools: list[School], now: dt.datetime) -> list[dict[str, Any]]:
    """The sections of each school's session in force today (its own today), as a device
    gets them: id, school, grade and name, each school's by grade and name."""
    years = org.academic_years_for((school, org.school_today(school, now)) for school in schools)
    wanted = {(pk, year.pk) for pk, year in years.items() if year is not None}
    if not wanted:
        return []
    schools_ = sorted({pk for pk, _ in wanted})
    sessions = sorted({year for _, year in wanted})
    rows = sql.select(
        "SELECT id, school_id, academic_year_id, grade, name FROM org_section "
        f"WHERE school_id IN ({sql.placeholders(schools_)}) "
        f"AND academic_year_id IN ({sql.placeholders(sessions)}) "
        # The database's collation orders the names, as the registers' pages do.
        "ORDER BY school_id, grade, name, id",
        [*schools_, *sessions],
        [None] * 5,
    )
    return [
        {"id": pk, "school": school, "grade": grade, "name": name}
        for pk, school, year, grade, name in rows
        if (school, year) in wanted
    ]


def staff_rows(schools: list[School], today: dt.date) -> list[dict[str, Any]]:
    if not schools:
        return []
    ids = [school.pk for school in schools]
    dated = sql.field(Posting, "starts_on")
    rows = sql.select(
        "SELECT p.staff_id, p.school_id, s.name, s.name_local, p.role, s.employee_code, "
        "p.starts_on, p.ends_on FROM people_posting p JOIN people_staff s ON s.id = p.staff_id "
        f"WHERE p.school_id IN ({sql.placeholders(ids)}) "
        "AND (p.ends_on IS NULL OR p.ends_on >= %s) "
        "ORDER BY p.school_id, p.staff_id, p.starts_on",
        [*ids, sql.param(Posting, "ends_on", today - dt.timedelta(days=DAYS_BACK))],
        [None, None, None, None, None, None, dated, dated],
    )
    return [
        {
            "id": staff,
            "school": school,
            "name": name,
            "name_local": name_local,
            "role": role,
            "employee_code": employee_code,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        }
        for staff, school, name, name_local, role, employee_code, starts_on, ends_on in rows
    ]


@dataclass(frozen=True)
class Rolls:
    """What a device holds of its sections' rolls, as rows (ENROLMENT_FIELDS,
    STUDENT_FIELDS) sorted by id, and the ids of those changed since its last pull."""

    enrolments: list[list[Any]]
    students: list[list[Any]]
    changed_enrolments: set[int]
    changed_students: set[int]


def rolls_in_scope(
    schools: list[School], section_ids: list[int], *, changed_after: dt.datetime | None
) -> Rolls:
    """Every enrolment of these sections and its student (the device builds any day's
    roll from them), each changed if it, its admission or its student was saved after
    `changed_after` (all of them when None). One plain query of values: every pull, a
    delta too, reads all of them for the state hash, and loading them as model
    instances (three a child, their timestamps parsed) was most of a pull's time."""
    if not schools or not section_ids:
        return Rolls(enrolments=[], students=[], changed_enrolments=set(), changed_students=set())
    ids = sorted(school.pk for school in schools)
    if changed_after is None:
        flags, flag_args = "1, 1", []
    else:
        since = sql.param(Enrolment, "updated_at", changed_after)
        flags = "e.updated_at > %s OR a.updated_at > %s, s.updated_at > %s"
        flag_args = [since, since, since]
    dated = sql.field(Enrolment, "starts_on")
    rows = sql.select(
        "SELECT e.id, e.student_id, e.section_id, a.admission_no, a.admitted_on, e.origin, "
        f"e.roll_no, e.starts_on, e.ends_on, s.name, s.name_local, s.gender, {flags} "
        "FROM people_enrolment e JOIN people_admission a ON a.id = e.admission_id "
        "JOIN people_student s ON s.id = e.student_id "
        f"WHERE e.school_id IN ({sql.placeholders(ids)}) "
        f"AND e.section_id IN ({sql.placeholders(section_ids)}) ORDER BY e.id",
        [*flag_args, *ids, *sorted(section_ids)],
        [None, None, None, None, sql.field(Admission, "admitted_on"), None, None, dated, dated],
    )
    enrolments: list[list[Any]] = []
    students: dict[int, list[Any]] = {}
    changed_enrolments: set[int] = set()
    changed_students: set[int] = set()
    for (
        pk,
        student,
        section,
        admission_no,
        admitted_on,
        origin,
        roll_no,
        starts_on,
        ends_on,
        name,
        name_local,
        gender,
        changed,
        student_changed,
    ) in rows:
        enrolments.append(
            [
                pk,
                student,
                section,
                admission_no,
                admitted_on.isoformat(),
                origin,
                roll_no,
                starts_on.isoformat(),
                ends_on.isoformat() if ends_on else None,
            ]
        )
        students[student] = [student, name, name_local, gender]
        if changed:
            changed_enrolments.add(pk)
        if student_changed:
            changed_students.add(student)
    return Rolls(
        enrolments=enrolments,
        students=[students[pk] for pk in sorted(students)],
        changed_enrolments=changed_enrolments,
        changed_students=changed_students,
    )


ENROLMENT_FIELDS = [
    "id",
    "student",
    "section",
    "admission_no",
    "admitted_on",
    "origin",
    "roll_no",
    "starts_on",
    "ends_on",
]
STUDENT_FIELDS = ["id", "name", "name_local", "gender"]


def state_hash(enrolments: list[list[Any]], students: list[list[Any]]) -> str:
    """SHA-256 of JSON.stringify([enrolmentRows, studentRows]), rows sorted by id.
    orjson writes the same bytes as JSON.stringify (no spaces, text as UTF-8 with only
    quotes, backslashes and control characters escaped) in a tenth of the time of the
    standard library's encoder, and every pull hashes every row."""
    rows = [sorted(enrolments, key=lambda r: r[0]), sorted(students, key=lambda r: r[0])]
    return hashlib.sha256(orjson.dumps(rows)).hexdigest()


def recent_rollcalls(
    schools: list[School], *, since_day: dt.date, changed_after: dt.datetime | None
) -> tuple[list[RollCall], list[StaffRollCall]]:
    """The schools' roll calls (student and staff, every version) from `since_day`,
    those changed after `changed_after` only when given, with their rosters and
    markers loaded for the answer: two plain queries (every pull asks them; a delta's
    is a range of the (school, updated_at) index)."""
    ids = sorted(school.pk for school in schools)
    if not ids:
        return [], []
    return (
        _sheets(RollCall, ids, since_day, changed_after, "r.day, r.section_id, r.version"),
        _sheets(StaffRollCall, ids, since_day, changed_after, "r.day, r.school_id, r.version"),
    )


Sheet = TypeVar("Sheet", RollCall, StaffRollCall)


def _sheets(
    model: type[Sheet],
    schools: list[int],
    since_day: dt.date,
    changed_after: dt.datetime | None,
    order: str,
) -> list[Sheet]:
    where = f"r.school_id IN ({sql.placeholders(schools)}) AND r.day >= %s"
    args = [*schools, sql.param(model, "day", since_day)]
    if changed_after is not None:
        where += " AND r.updated_at > %s"
        args.append(sql.param(model, "updated_at", changed_after))
    own, roster = len(sql.model_fields(model)), len(sql.model_fields(Roster))
    rows = sql.select(
        f"SELECT {sql.columns(model, 'r')}, {sql.columns(Roster, 'o')}, {sql.columns(User, 'u')} "
        f"FROM {model._meta.db_table} r JOIN attendance_roster o ON o.id = r.roster_id "
        f"JOIN accounts_user u ON u.id = r.taken_by_id WHERE {where} ORDER BY {order}",
        args,
        sql.model_fields(model) + sql.model_fields(Roster) + sql.model_fields(User),
    )
    sheets = []
    for row in rows:
        sheet = sql.instance(model, row[:own])
        sheet.roster = sql.instance(Roster, row[own : own + roster])
        sheet.taken_by = sql.instance(User, row[own + roster :])
        sheets.append(sheet)
    return sheets


# --- Device pulls, plugged into attendance (attendance.seams) ------------------------------

LAST_PULL_SQL = "(SELECT MAX(created_at) FROM sync_synclog WHERE user_id = %s AND device_id = %s)"


def last_pull(user_id: int, device_id: int) -> dt.datetime | None:
    """When this user's device last pulled its data: marks captured well before it
    cannot have been on the device then (attendance's captured_before_last_sync)."""
    [(last,)] = sql.select(f"SELECT {LAST_PULL_SQL}", [user_id, device_id], [_CREATED])
    return last  # type: ignore[no-any-return]


def first_pull_after(user_id: int, device_id: int, instant: dt.datetime) -> dt.datetime | None:
    return (
        SyncLog.objects.filter(user_id=user_id, device_id=device_id, created_at__gt=instant)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


_CREATED = sql.field(SyncLog, "created_at")


# Rows committed a little after the instant a token was cut must not be missed:
# deltas reach back this far before the token's watermark (the device upserts).
OVERLAP = dt.timedelta(minutes=1)


def changed_since_pull(user: User, device_id: int | None) -> bool:
    """Whether this device's next pull would bring it anything but its own roll calls:
    a roll call of its schools from another device (or another of the user's logins),
    or a change to the rolls it holds. Two queries: the device's last pull, then one
    statement of short index ranges from the delta pull's own window (its watermark
    less OVERLAP): roll calls' (school, updated_at), the rolls' updated_at. The
    calendar, the schools' rules, sections, staff and the user's postings carry no
    timestamp: the app pulls at least every few minutes, and when its day changes, for
    those (docs/sync.md, "Pulling less")."""
    if device_id is None:
        return True
    last = (
        SyncLog.objects.filter(user_id=user.pk, device_id=device_id)
        .order_by("-created_at")
        .values_list("watermark", "school_ids")
        .first()
    )
    if last is None:
        return True
    watermark, ids = last
    if not ids:
        return False
    since = sql.param(RollCall, "updated_at", watermark - OVERLAP)
    # The pull sends roll calls from DAYS_BACK before its schools' today; a day before the
    # watermark's date covers every school's zone.
    first_day = sql.param(RollCall, "day", watermark.date() - dt.timedelta(days=DAYS_BACK + 1))
    in_schools = sql.placeholders(ids)
    sheets = [
        f"EXISTS (SELECT 1 FROM {model._meta.db_table} r WHERE r.school_id IN ({in_schools}) "
        "AND r.updated_at > %s AND r.day >= %s "
        "AND (r.device_id IS NULL OR r.device_id <> %s))"
        for model in (RollCall, StaffRollCall)
    ]
    rolls = [
        f"EXISTS (SELECT 1 FROM people_enrolment e WHERE e.school_id IN ({in_schools}) "
        "AND e.updated_at > %s)",
        f"EXISTS (SELECT 1 FROM people_admission a WHERE a.school_id IN ({in_schools}) "
        "AND a.updated_at > %s)",
        "EXISTS (SELECT 1 FROM people_student s JOIN people_enrolment e ON e.student_id = s.id "
        f"WHERE s.updated_at > %s AND e.school_id IN ({in_schools}))",
    ]
    args = [*ids, since, first_day, device_id] * 2 + [*ids, since] * 2 + [since, *ids]
    [(changed,)] = sql.select(
        f"SELECT CASE WHEN {' OR '.join(sheets + rolls)} THEN 1 ELSE 0 END", args, [None]
    )
    return bool(changed)


def device_pulls() -> seams.DevicePulls:
    return seams.DevicePulls(
        last_sql=LAST_PULL_SQL,
        last=last_pull,
        first_after=first_pull_after,
        instant_field=_CREATED,
        changed_since=changed_since_pull,
    )
