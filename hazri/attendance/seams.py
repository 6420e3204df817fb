"""Where the apps above attendance take part in its writes, without attendance importing them.

attendance sits below registers, sync and dashboards (docs/development.md, "Layers"):
it may not import them, nor name their tables in its SQL. Yet a roll call must respect
what they keep — a certified month of the register, the device's last pull — and the
officers' figures must move in the same transaction as the marks. So each of those
apps plugs in here from its `AppConfig.ready()`:

- registers sets `month_lock`: which months of a section are certified;
- sync sets `device_pulls`: when a device last pulled its data, and whether anything it
  would pull has changed since (the batch answer tells the device, so it pulls less);
- dashboards connects to `schooldays_changed`, sent inside the transaction that
  changed a school's day, to refresh that day's figures with it;
- journal sets `day_notes`: what families told the school in advance about a
  section's students on a day (an absence and its reason), shown beside each child
  on the roll call.

Without a plug (attendance used alone) no month is locked and no device has pulled.
The single-roll-call path reads all its facts in one statement: a plug hands over a
scalar subquery that attendance places in it, written by the app whose table it reads.
"""

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.dispatch import Signal

from hazri.org.models import Section


@dataclass(frozen=True)
class MonthLock:
    # A scalar subquery, true (non-zero) when the month is certified; its parameters
    # are (school id, section id, first day of the month).
    certified_sql: str
    # The (section id, first of month) pairs certified among these schools, sections, months.
    certified: Callable[
        [Sequence[int], Sequence[int], Collection[dt.date]], set[tuple[int, dt.date]]
    ]
    # How the database gives back a month (for plain-SQL conversion).
    month_field: models.Field  # type: ignore[type-arg]


@dataclass(frozen=True)
class DevicePulls:
    # A scalar subquery, the instant of the device's last pull or NULL; its
    # parameters are (user id, device id).
    last_sql: str
    # The last pull of (user id, device id), or None.
    last: Callable[[int, int], dt.datetime | None]
    # The first pull of (user id, device id) after an instant, or None.
    first_after: Callable[[int, int, dt.datetime], dt.datetime | None]
    # How the database gives back an instant (for plain-SQL conversion).
    instant_field: models.Field  # type: ignore[type-arg]
    # Whether a pull by (user, device id) would now carry anything the device did not
    # send itself since its last pull; None: unknown, so the device should pull.
    changed_since: Callable[[Any, int | None], bool] | None = None


month_lock: MonthLock | None = None
device_pulls: DevicePulls | None = None
# The notes on a section's students for a day, by student id (one query); None: no notes.
day_notes: Callable[[Section, dt.date], dict[int, str]] | None = None

# Sent inside the transaction that changed roll calls of these school-days:
#   days: list of (School, date); students: bool; staff: bool (which roll calls changed).
schooldays_changed = Signal()


def plug_month_lock(lock: MonthLock) -> None:
    global month_lock
    month_lock = lock


def plug_device_pulls(pulls: DevicePulls) -> None:
    global device_pulls
    device_pulls = pulls


def plug_day_notes(notes: Callable[[Section, dt.date], dict[int, str]]) -> None:
    global day_notes
    day_notes = notes


def notes_for(section: Section, day: dt.date) -> dict[int, str]:
    """What families told in advance about the section's students on the day."""
    return day_notes(section, day) if day_notes is not None else {}
