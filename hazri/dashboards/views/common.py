"""What the dashboard pages share: the period and unit in the query, breadcrumbs, the
nav between the pages, chart data, and the tables' CSV/XLSX downloads."""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hazri.accounts.access import actor_of, within_area
from hazri.attendance.views.base import parse_day
from hazri.common.errors import NotFound, ServiceError
from hazri.common.pages import error_text, plain_int
from hazri.common.tables import table_response
from hazri.dashboards.asked import asked_range
from hazri.dashboards.selectors import Figures
from hazri.org.models import OrgUnit

MAX_ID = 2**63 - 1

# Refusals the dashboard pages can meet, in the user's language.
REFUSALS = {
    "bad_period": _("Choose today, this week, this month or a range of dates."),
    "bad_range": _("The end date is before the start date."),
    "too_long": _("Choose a year at most."),
    "bad_id": _("That is not a valid number in the address."),
    "bad_format": _("Downloads are CSV or Excel (xlsx)."),
    "bad_threshold": _("The threshold must be a number from 0 to 100."),
    "bad_page": _("That page of the list does not exist."),
    "bad_number": _("Write the number of meals served, from 0 to 5000."),
    "out_of_range": _("Meals served must be between 0 and 5000."),
    "bad_reason": _("Choose a reason from the list."),
    "bad_action": _("Choose an action from the list."),
    "not_officer": _("Only an officer over this school, or its staff, can record a follow-up."),
}


def refusal_text(error: ServiceError) -> str:
    friendly = REFUSALS.get(error.code)
    return str(friendly) if friendly is not None else error_text(error)


# --- The query ----------------------------------------------------------------------


def parse_id(value: str | None, field: str) -> int | None:
    """An optional id from the query: absent is None, anything but a positive integer 400."""
    if value is None or value == "":
        return None
    number = plain_int(value, max_digits=19)
    if number is None or not 1 <= number <= MAX_ID:
        raise ServiceError(f"'{value[:20]}' is not an id.", field=field, code="bad_id")
    return number


def check_id(value: int, field: str) -> int:
    """An id from the address that the database can hold; a bigger one finds nothing."""
    if value > MAX_ID:
        raise NotFound(f"No {field} {value}.", field=field)
    return value


def parse_format(params: Mapping[str, str]) -> str | None:
    """None for the page itself, else the download format."""
    value = params.get("format", "")
    if value in ("", "html"):
        return None
    if value not in ("csv", "xlsx"):
        raise ServiceError(f"'{value[:20]}' is not csv or xlsx.", field="format", code="bad_format")
    return value


def parse_table(params: Mapping[str, str], tables: Sequence[str]) -> str:
    """Which of the page's tables a download is: the first when none is named."""
    value = params.get("table", "") or tables[0]
    if value not in tables:
        raise ServiceError(
            f"'{value[:20]}' is not a table of this page ({', '.join(tables)}).",
            field="table",
            code="bad_table",
        )
    return value


# The most pages a list is read to (a page's offset stays under the counted rows).
MAX_PAGE = 10_000


def parse_page(value: str | None) -> int:
    """A list's page number from the query: 1 when absent, else a whole number from 1."""
    if not value:
        return 1
    number = plain_int(value, max_digits=5)
    if number is None or not 1 <= number <= MAX_PAGE:
        raise ServiceError(
            f"'{value[:20]}' is not a page number (1 to {MAX_PAGE}).", field="page", code="bad_page"
        )
    return number


def pager(page: int, size: int, total: int, query: str) -> dict[str, Any]:
    """A list's page links: previous, next, and where this page lies in the list."""
    last = max(1, -(-total // size))
    prefix = f"?{query}&" if query else "?"
    return {
        "page": page,
        "pages": last,
        "first_row": (page - 1) * size + 1 if total else 0,
        "last_row": min(page * size, total),
        "total": total,
        "previous": f"{prefix}page={page - 1}" if page > 1 else "",
        "next": f"{prefix}page={page + 1}" if page < last else "",
    }


def parse_threshold(value: str | None) -> float | None:
    if not value:
        return None
    try:
        threshold = float(value)
    except ValueError:
        threshold = -1.0
    if not 0 <= threshold <= 100:
        raise ServiceError(
            f"'{value[:20]}' is not from 0 to 100.", field="threshold", code="bad_threshold"
        )
    return threshold


PERIODS = (
    ("day", _("Today")),
    ("week", _("This week")),
    ("month", _("This month")),
    ("custom", _("Dates")),
)


@dataclass(frozen=True)
class Period:
    kind: str  # day, week, month or custom
    start: dt.date
    end: dt.date

    @property
    def params(self) -> dict[str, str]:
        if self.kind == "custom":
            return {
                "period": "custom",
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            }
        return {"period": self.kind}

    @property
    def query(self) -> str:
        return urlencode(self.params)

    @property
    def label(self) -> str:
        if self.start == self.end:
            return date_format(self.start, "j F Y")
        return f"{date_format(self.start, 'j M Y')} – {date_format(self.end, 'j M Y')}"


def parse_period(params: Mapping[str, str], today: dt.date, default: str = "day") -> Period:
    """Today, this week (from Monday), this month, or a custom range of a year at most."""
    custom = bool(params.get("start") or params.get("end"))
    kind = params.get("period") or ("custom" if custom else default)
    if kind == "day":
        return Period(kind, today, today)
    if kind == "week":
        return Period(kind, today - dt.timedelta(days=today.weekday()), today)
    if kind == "month":
        return Period(kind, today.replace(day=1), today)
    if kind != "custom":
        raise ServiceError(f"'{kind[:20]}' is not a period.", field="period", code="bad_period")
    end = parse_day(params.get("end"), today)
    start, end = asked_range(parse_day(params.get("start"), min(end, today)), end, today)
    return Period(kind, start, end)


def period_choices(base: str, period: Period) -> list[dict[str, Any]]:
    """The period picker's links; `base` is the page's other query (unit=…)."""
    prefix = f"?{base}&" if base else "?"
    return [
        {
            "kind": kind,
            "label": label,
            "url": f"{prefix}period={kind}",
            "current": kind == period.kind,
        }
        for kind, label in PERIODS
        if kind != "custom"
    ]


# --- Where the user is ------------------------------------------------------------


def crumbs(user: Any, unit: OrgUnit) -> list[OrgUnit]:
    """The units from the user's own top unit down to `unit`: never above their area."""
    ancestors = OrgUnit.objects.filter(pk__in=unit.ancestor_ids).order_by("depth")
    return within_area(actor_of(user), ancestors)


NAV = (
    ("dashboard", _("Attendance")),
    ("dashboard_compliance", _("Not marked")),
    ("dashboard_low", _("Low attendance")),
    ("dashboard_meals", _("Meals")),
    ("dashboard_adoption", _("Roll-out")),
    ("dashboard_photos", _("Photos")),
    ("dashboard_learning", _("Learning")),
    ("dashboard_reporting", _("Admissions and transfers")),
)


def nav(current: str, unit_id: int | None) -> list[dict[str, Any]]:
    query = f"?unit={unit_id}" if unit_id else ""
    return [
        {"name": name, "label": label, "url": reverse(name) + query, "current": name == current}
        for name, label in NAV
    ]


def register_url(section_id: int) -> str:
    """The section's register page (another app's): by name, else by its known path."""
    try:
        return reverse("section_register", args=[section_id])
    except NoReverseMatch:
        return f"/sections/{section_id}/register/"


# --- Charts and downloads ------------------------------------------------------------


def trend_chart(
    points: Sequence[tuple[dt.date, Figures]], *, today: dt.date | None = None
) -> dict[str, Any]:
    """Attendance % and marked % per day, for the page's Chart.js chart.

    Days are points joined by straight lines: a smoothed curve rose above 100 % or
    dipped between two days where no figure exists. One day alone is bars (a line of
    one point is a dot in an empty chart). `today`, the reader's: that day's figures
    are partial (roll calls not due yet are left out, marks still come): `partial`
    is its index, which the chart draws hollow, on a dashed line, with a note."""
    school_days = [(day, f) for day, f in points if f.school_days or f.meetings_marked]
    partial = next((n for n, (day, _f) in enumerate(school_days) if day == today), None)
    return {
        "type": "line" if len(school_days) > 1 else "bar",
        "labels": [
            date_format(day, "j M") + (f" · {gettext('so far')}" if n == partial else "")
            for n, (day, _f) in enumerate(school_days)
        ],
        "series": [
            {"label": gettext("Attendance %"), "data": [f.attendance_pct for _d, f in school_days]},
            {"label": gettext("Marked %"), "data": [f.compliance_pct for _d, f in school_days]},
            {"label": gettext("Staff %"), "data": [f.staff_pct for _d, f in school_days]},
        ],
        "partial": partial,
        "rows": [(day, f.attendance_pct, f.compliance_pct, f.staff_pct) for day, f in school_days],
    }


def download(
    fmt: str,
    name: str,
    columns: Sequence[tuple[Any, Callable[[Any], object]]],  # (title, value of a row)
    rows: Sequence[Any],
) -> HttpResponse:
    """The page's table as CSV or XLSX, headed in the user's language."""
    return table_response(
        headers=[str(title) for title, _get in columns],
        rows=[[get(row) for _title, get in columns] for row in rows],
        filename=f"hazri-{name}",
        format=fmt,
    )


TREND_COLUMNS: list[tuple[Any, Callable[[Any], object]]] = [
    (_("Date"), lambda row: row[0]),
    (_("Attendance %"), lambda row: row[1]),
    (_("Marked %"), lambda row: row[2]),
    (_("Staff %"), lambda row: row[3]),
]


def trend_download(fmt: str, name: str, chart: Mapping[str, Any]) -> HttpResponse:
    """A trend chart's numbers (the table under it), day by day."""
    return download(fmt, f"{name}-trend", TREND_COLUMNS, chart["rows"])


def low_student_columns(*, with_school: bool) -> list[tuple[Any, Callable[[Any], object]]]:
    """A download's columns for weak students (students.StudentRate rows)."""
    school: list[tuple[Any, Callable[[Any], object]]] = [(_("School"), lambda r: r.school)]
    return [
        (_("Student"), lambda r: r.student),
        *(school if with_school else []),
        (_("Class"), lambda r: r.section_label),
        (_("Guardian's phone"), lambda r: r.guardian_phone),
        (_("Attendance %"), lambda r: r.pct),
        (_("Meetings held"), lambda r: r.held),
        (_("Attended"), lambda r: r.attended),
        (_("Days absent"), lambda r: r.days_absent),
        (_("School days"), lambda r: r.school_days),
        (_("Low attendance"), lambda r: r.under_threshold),
        (_("Chronic absence"), lambda r: r.chronically_absent),
        (_("Last follow-up"), lambda r: r.last_follow_up_text),
    ]


def export_links(query: str) -> dict[str, str]:
    prefix = f"?{query}&" if query else "?"
    return {"csv": f"{prefix}format=csv", "xlsx": f"{prefix}format=xlsx"}
