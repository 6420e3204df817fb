"""Every table on the dashboard pages as CSV and XLSX, with its rows."""

import codecs
import csv
import datetime as dt
import io
import uuid
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hazri.attendance.services import Capture
from hazri.attendance.services.staff import staff_rollcall_submit
from hazri.dashboards.models import FollowUp
from hazri.dashboards.tests.conftest import NOV
from hazri.dashboards.tests.test_pages import RANGE, csv_rows, logged_in
from hazri.people.selectors import school_staff_roll
from hazri.testing.scheduler import rollups_counted
from hazri.testing.world import World

IST = ZoneInfo("Asia/Kolkata")


def test_every_table_downloads_as_csv_and_xlsx(marked: World) -> None:
    world = marked
    rollups_counted()  # as the scheduler would: a GET builds nothing
    meera = logged_in(world.meera)
    for url, query, lines in [
        (reverse("dashboard"), {"unit": world.cluster.pk, **RANGE}, 2),
        (reverse("dashboard_compliance"), {"day": "2026-11-18"}, 2),
        (reverse("dashboard_low"), {"end": "2026-11-19", "threshold": "85", "table": "schools"}, 1),
        (reverse("dashboard_low"), {"end": "2026-11-19", "threshold": "85"}, 2),
        (reverse("dashboard_meals"), RANGE, 2),
        (reverse("dashboard_adoption"), RANGE, 1),
        (reverse("dashboard_photos"), RANGE, 1),
        (reverse("dashboard_learning"), RANGE, 8),
        (reverse("dashboard_school", args=[world.school.pk]), RANGE, 1),
        (reverse("dashboard_section", args=[world.section.pk]), RANGE, 5),
    ]:
        page = meera.get(url, query).content.decode()
        assert 'data-export="csv"' in page and 'data-export="xlsx"' in page, url
        as_csv = meera.get(url, {**query, "format": "csv"})
        assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv"), url
        table = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
        assert len(table) == 1 + lines, (url, table)
        as_xlsx = meera.get(url, {**query, "format": "xlsx"})
        sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
        assert sheet is not None and sheet.max_row == 1 + lines, url
    area = meera.get(reverse("dashboard"), {"unit": world.cluster.pk, **RANGE, "format": "csv"})
    assert area.content.decode("utf-8-sig").splitlines()[2].startswith("GPS Rampur,1,80.0,50.0,")


def test_the_other_tables_on_a_page_download_too(marked: World) -> None:
    """Trend numbers, compliance by area, a school's weak students, a student's months
    and follow-ups: each page links each of its tables, and each download has its rows."""
    world = marked
    # One of Rampur's two staff is absent on the 17th.
    staff = [member.id for member in school_staff_roll(world.school, NOV[0])]
    staff_rollcall_submit(
        school=world.school,
        day=NOV[0],
        marks=list(zip(staff, "PA", strict=True)),
        capture=Capture(
            client_uuid=uuid.uuid4(),
            captured_at=dt.datetime.combine(NOV[0], dt.time(8, 30), tzinfo=IST),
            device_clock=timezone.now(),
        ),
        by=world.ravi,
    )
    rollups_counted()  # as the scheduler would: a GET builds nothing
    meera = logged_in(world.meera)
    bhavna = world.students[2]
    meera.post(reverse("dashboard_student", args=[bhavna.pk]), {"reason": "work", "action": "call"})
    area = reverse("dashboard")
    school = reverse("dashboard_school", args=[world.school.pk])
    student = reverse("dashboard_student", args=[bhavna.pk])
    compliance = reverse("dashboard_compliance")
    page = meera.get(area, {"unit": world.cluster.pk, **RANGE}).content.decode()
    assert '{"label": "Staff %", "data": [50.0, null, null]}' in page  # the chart's third line
    for url, query, table in [
        (area, {"unit": world.cluster.pk, **RANGE}, "trend"),
        (compliance, {"day": "2026-11-18"}, "areas"),
        (school, RANGE, "trend"),
        (school, RANGE, "low"),
        (student, {}, "months"),
        (student, {}, "follow-ups"),
    ]:
        page = meera.get(url, query).content.decode()
        assert f"table={table}&amp;format=csv" in page, (url, table)

    # Rampur marked 7 of 10 on the 17th (2 of the cluster's 4 meetings), all 5 of 5 on
    # the 18th (1 of 4); nothing on the 19th; staff only on the 17th, 1 of 2.
    assert csv_rows(meera, area, {"unit": world.cluster.pk, **RANGE, "table": "trend"}) == [
        ["Date", "Attendance %", "Marked %", "Staff %"],
        ["2026-11-17", "70.0", "50.0", "50.0"],
        ["2026-11-18", "100.0", "25.0", ""],
        ["2026-11-19", "", "0.0", ""],
    ]
    assert csv_rows(meera, school, {**RANGE, "table": "trend"})[1:] == [
        ["2026-11-17", "70.0", "100.0", "50.0"],
        ["2026-11-18", "100.0", "50.0", ""],
        ["2026-11-19", "", "0.0", ""],
    ]
    # On the 18th Rampur marked one of its two meetings, Khedi none.
    assert csv_rows(meera, compliance, {"day": "2026-11-18", "table": "areas"}) == [
        [
            "Area",
            "Schools",
            "Schools with a school day",
            "Marked in full",
            "Marked in part",
            "Not marked",
            "Late",
        ],
        ["Rampur", "2", "2", "0", "1", "1", "0"],
    ]
    called = FollowUp.objects.get(student=bhavna)
    on = f"{called.recorded_at:%Y-%m-%d}"
    assert csv_rows(meera, school, {**RANGE, "table": "low"}) == [
        [
            "Student",
            "Class",
            "Guardian's phone",
            "Attendance %",
            "Meetings held",
            "Attended",
            "Days absent",
            "School days",
            "Low attendance",
            "Chronic absence",
            "Last follow-up",
        ],
        ["Bhavna Meena", "5 A", "", "33.3", "3", "1", "1", "2", "True", "True", f"{on} Phone call"],
        ["Zoya Khan", "5 A", "+919800000001", "66.7", "3", "2", "0", "2", "True", "False", ""],
    ]
    assert csv_rows(meera, student, {"table": "months"})[1:] == [
        ["2026-11", "3", "1", "0", "2", "1", "0", "33.3"]
    ]
    assert csv_rows(meera, student, {"table": "follow-ups"}) == [
        ["Recorded at", "Reason for absence", "Action taken", "Note", "Recorded by"],
        [
            f"{timezone.localtime(called.recorded_at):%Y-%m-%d %H:%M:%S}",
            "Working / harvest",
            "Phone call",
            "",
            "Meera Joshi",
        ],
    ]
    bad = meera.get(student, {"table": "marks", "format": "csv"})
    assert bad.status_code == 400
    assert (
        "&#x27;marks&#x27; is not a table of this page (months, follow-ups)."
        in bad.content.decode()
    )


def test_a_hindi_download_names_what_the_hindi_page_shows(marked: World) -> None:
    """The rows of a download in Hindi carry the Devanagari names the page shows, and the
    file opens in Excel on Windows (a UTF-8 byte-order mark)."""
    world = marked
    world.meera.language = "hi"
    world.meera.save()
    meera = logged_in(world.meera)
    area = meera.get(reverse("dashboard"), {"unit": world.cluster.pk, **RANGE, "format": "csv"})
    assert area.content.startswith(codecs.BOM_UTF8)
    names = [
        line[0]
        for line in csv_rows(meera, reverse("dashboard"), {"unit": world.cluster.pk, **RANGE})[1:]
    ]
    assert names == ["शासकीय प्राथमिक शाला खेड़ी", "शासकीय प्राथमिक शाला रामपुर"]
    section = csv_rows(meera, reverse("dashboard_section", args=[world.section.pk]), RANGE)
    assert [line[1] for line in section[1:]][:2] == ["आरव शर्मा", "भावना मीणा"]
