"""What bench/dashboard.py times: every dashboard endpoint at every level, through the
API and by calling the selectors behind it, and the nightly work's parts."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Case:
    endpoint: str
    level: str
    span: str
    url: str | None  # the API request (path and query); None: a selector-only case
    direct: Callable[[], Any]  # the selector calls behind it
    result: dict[str, Any] = field(default_factory=dict)
    queries: list[dict[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.endpoint, self.level, self.span) if part)


def cases(world: Any) -> list[Case]:
    from django.utils import timezone

    from hazri.dashboards import rollups, selectors, weak
    from hazri.dashboards.students import low_attendance_students
    from hazri.org.models import School

    end = world.end
    spans = {
        "day": (end, end),
        "week": (end - dt.timedelta(days=6), end),
        "month": (end - dt.timedelta(days=29), end),
    }
    levels = [
        ("state", world.state),
        ("district", world.district),
        ("block", world.block),
        ("cluster", world.cluster),
    ]
    api = "/api/v1/dashboards"
    found: list[Case] = []

    def span_of(name: str) -> str:
        start, stop = spans[name]
        return f"start={start}&end={stop}"

    for span in spans:
        for level, unit in levels:
            start, stop = spans[span]
            found.append(
                Case(
                    "area",
                    level,
                    span,
                    f"{api}/area?unit={unit.pk}&{span_of(span)}",
                    lambda u=unit, a=start, b=stop: (
                        selectors.area_report(unit=u, start=a, end=b),
                        selectors.area_trend(unit=u, start=a, end=b),
                    ),
                )
            )
    for level, unit in levels:
        found.append(
            Case(
                "compliance",
                level,
                "day",
                f"{api}/compliance?unit={unit.pk}&day={end}",
                lambda u=unit: selectors.compliance(unit=u, day=end),
            )
        )
    for level, unit in levels:
        found.append(
            Case(
                "compliance/areas",
                level,
                "day",
                f"{api}/compliance/areas?unit={unit.pk}&day={end}",
                lambda u=unit: selectors.compliance_by_area(unit=u, day=end),
            )
        )
    for level, unit in levels:
        found.append(
            Case(
                "low-attendance/schools",
                level,
                "30 days",
                f"{api}/low-attendance/schools?unit={unit.pk}&end={end}",
                lambda u=unit: selectors.low_attendance_schools(unit=u, end=end, threshold=75),
            )
        )
    start, stop = spans["month"]
    for level, unit in levels:
        found.append(
            Case(
                "adoption",
                level,
                "month",
                f"{api}/adoption?unit={unit.pk}&{span_of('month')}",
                lambda u=unit: selectors.adoption(unit=u, start=start, end=stop),
            )
        )
    for level, unit in levels:
        week = spans["week"]
        found.append(
            Case(
                "meals",
                level,
                "week",
                f"{api}/meals?unit={unit.pk}&{span_of('week')}",
                lambda u=unit, w=week: selectors.meal_gaps(unit=u, start=w[0], end=w[1]),
            )
        )
    school = world.school
    found.append(
        Case(
            "schools/{id}",
            "school",
            "month",
            f"{api}/schools/{school.pk}?{span_of('month')}",
            lambda: (
                selectors.school_sections(school=school, start=start, end=stop),
                selectors.school_trend(school=school, start=start, end=stop),
            ),
        )
    )
    # Above a cluster (more than weak.LIVE_MAX_SCHOOLS schools): the nightly lists.
    for level, unit in levels[:3]:
        found.append(
            Case(
                "low-attendance/students",
                level,
                "nightly list",
                f"{api}/low-attendance/students?unit={unit.pk}&end={end}",
                lambda u=unit: weak.area_students(
                    u, end=end, threshold=None, limit=500, today=timezone.localdate()
                ),
            )
        )
    cluster_schools = list(School.objects.filter(unit=world.cluster).order_by("pk"))
    found.append(
        Case(
            "low-attendance/students",
            "cluster",
            "30 school days",
            f"{api}/low-attendance/students?unit={world.cluster.pk}&end={end}",
            lambda: low_attendance_students(schools=cluster_schools, end=end),
        )
    )
    found.append(
        Case(
            "low-attendance/students",
            "school",
            "30 school days",
            f"{api}/low-attendance/students?school={school.pk}&end={end}",
            lambda: low_attendance_students(schools=[school], end=end),
        )
    )
    # What the night (and the first build of a day) does, for the sizing of the nightly
    # job: one day's trails for every school, and one chunk of a school list's count.
    found.append(
        Case("(rollups.trails_set)", "all schools", "day", None, lambda: rollups.trails_set(end))
    )
    chunk = list(
        School.objects.filter(unit_path__startswith=world.block.path).order_by("pk")[
            : weak.BUILD_SCHOOLS
        ]
    )
    found.append(
        Case(
            "(weak.build_schools)",
            f"{len(chunk)} schools",
            "30 school days",
            None,
            lambda: weak.build_schools(chunk, as_of=end, keep_below=75),
        )
    )
    # What every range endpoint does first: ask whether the rollups are counted.
    found.append(
        Case(
            "(rollups.freshness)",
            "any",
            "month",
            None,
            lambda: rollups.freshness(start=start, end=stop),
        )
    )
    return found
