"""The register's downloads: the spreadsheet's formulas agree with the grid, and the PDF
carries the names as real, shaped Devanagari text on as many pages as the roll needs."""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from PIL import Image

from hazri.people.models import Admission, Enrolment, Student
from hazri.registers.exports.pdf import html_pdf, register_pdf
from hazri.registers.exports.strips import DIGIT, LETTERS, SPACE, SPACES, Padder
from hazri.registers.exports.xlsx import FIRST_MEETING_COLUMN, FIRST_ROW, register_xlsx
from hazri.registers.selectors import section_register
from hazri.registers.services import month_certify
from hazri.registers.tests.test_pages import OCTOBER, login, mark, october
from hazri.testing.world import World

MONTH = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 22)


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"no {tool}: apt-get install poppler-utils")
        pytest.skip(f"no {tool} (poppler-utils)")
    return path


def pdf_text(pdf: bytes, tmp_path: Path, *pages: int) -> str:
    source = tmp_path / "register.pdf"
    source.write_bytes(pdf)
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    command = [poppler("pdftotext"), *first_last, str(source), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def page_count(pdf: bytes, tmp_path: Path) -> int:
    source = tmp_path / "count.pdf"
    source.write_bytes(pdf)
    info = subprocess.run(
        [poppler("pdfinfo"), str(source)], check=True, capture_output=True, text=True
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


# --- The spreadsheet -----------------------------------------------------------------


class Formulas:
    """Just enough of a spreadsheet to evaluate the register's own formulas."""

    def __init__(self, ws) -> None:  # type: ignore[no-untyped-def]
        self.ws = ws

    def values(self, first: str, last: str) -> list:
        cells = self.ws[f"{first}:{last}"]
        return [self.value(cell.coordinate) for row in cells for cell in row]

    def value(self, ref: str):  # type: ignore[no-untyped-def]
        raw = self.ws[ref].value
        if not (isinstance(raw, str) and raw.startswith("=")):
            return raw
        expression = raw[1:]
        expression = re.sub(r"([A-Z]+\d+):([A-Z]+\d+)", r'RANGE("\1","\2")', expression)
        expression = re.sub(r'(?<![A-Z"])([A-Z]{1,3}\d+)(?![\d"(])', r'CELL("\1")', expression)
        expression = re.sub(r"(?<![<>=!])=(?!=)", "==", expression)
        return eval(  # noqa: S307 - our own formulas, in a test
            expression,
            {
                "RANGE": self.values,
                "CELL": self.value,
                "COUNT": lambda r: sum(isinstance(v, int | float) for v in r),
                "COUNTIF": lambda r, text: sum(v == text for v in r),
                "SUM": lambda r: sum(v for v in r if isinstance(v, int | float)),
                "ROUND": lambda x, n: round(x + 1e-9, n),
                "IF": lambda condition, yes, no: yes if condition else no,
            },
        )


def test_the_spreadsheet_has_the_grid_and_formulas_that_agree_with_it(world) -> None:
    october(world)
    mark(world, dt.date(2026, 9, 30), "AAPPP")  # carried forward from September
    register = section_register(section=world.section, month=MONTH, today=TODAY)
    workbook = openpyxl.load_workbook(io.BytesIO(register_xlsx(register)))
    ws = workbook.active
    grid = register.grid
    assert ws.freeze_panes == "D6"
    last_meeting = FIRST_MEETING_COLUMN + len(grid.columns) - 1
    month_col = last_meeting + 1
    formulas = Formulas(ws)
    for offset, row in enumerate(grid.rows):
        r = FIRST_ROW + offset
        assert ws.cell(r, 2).value == row.student.admission_no
        assert ws.cell(r, 3).value == row.student.name
        for index, cell in enumerate(row.cells):
            value = ws.cell(r, FIRST_MEETING_COLUMN + index)
            if cell.kind.value == "attended":
                assert value.value == int(cell.text)
            elif cell.kind.value in ("absent", "leave", "duty"):
                assert value.value == cell.text
            if cell.kind.value == "absent":
                assert value.font.color.rgb.endswith("C62828")
        month = ws.cell(r, month_col)
        assert month.value == f'=COUNT(D{r}:BM{r})+COUNTIF(D{r}:BM{r},"D")'
        assert formulas.value(month.coordinate) == row.attended
        assert formulas.value(ws.cell(r, month_col + 1).coordinate) == row.held
        assert ws.cell(r, month_col + 2).value == row.carried.attended  # a value
        assert ws.cell(r, month_col + 3).value == row.carried.held
        assert ws.cell(r, month_col + 4).value.startswith("=")
        assert formulas.value(ws.cell(r, month_col + 4).coordinate) == row.total_attended
        assert formulas.value(ws.cell(r, month_col + 5).coordinate) == row.total_held
        assert formulas.value(ws.cell(r, month_col + 6).coordinate) == row.percent
    totals_row = FIRST_ROW + len(grid.rows)
    for index, total in enumerate(grid.totals):
        column = FIRST_MEETING_COLUMN + index
        letter = ws.cell(totals_row, column).column_letter
        span = f"{letter}{FIRST_ROW}:{letter}{totals_row - 1}"
        present = ws.cell(totals_row, column).value
        if not total.marked:
            assert present is None
            continue
        assert present == f'=COUNT({span})+COUNTIF({span},"D")'
        assert ws.cell(totals_row + 1, column).value == f'=COUNTIF({span},"A")'
        assert ws.cell(totals_row + 2, column).value == f'=COUNTIF({span},"L")'
        assert formulas.value(f"{letter}{totals_row}") == total.present
        assert formulas.value(f"{letter}{totals_row + 1}") == total.absent
        assert formulas.value(f"{letter}{totals_row + 2}") == total.leave
    assert formulas.value(f"D{totals_row + 3}") == grid.meetings_held == 3
    assert formulas.value(f"D{totals_row + 4}") == grid.average_per_meeting == 4.3
    assert ws.cell(totals_row + 5, 4).value == grid.on_roll_at_end
    # Bhavna's September absence is carried forward into her percentage.
    bhavna = FIRST_ROW + 1
    assert ws.cell(bhavna, month_col + 3).value == 1
    assert formulas.value(ws.cell(bhavna, month_col + 6).coordinate) == 25.0


def test_a_name_is_never_a_formula(world) -> None:
    student = world.students[0]
    student.name = '=HYPERLINK("http://evil.example","x")'
    student.save()
    register = section_register(section=world.section, month=MONTH, today=TODAY)
    ws = openpyxl.load_workbook(io.BytesIO(register_xlsx(register))).active
    names = [ws.cell(FIRST_ROW + i, 3) for i in range(5)]
    evil = next(cell for cell in names if "HYPERLINK" in str(cell.value))
    assert evil.data_type == "s"


def test_the_downloads_are_attachments_with_a_clear_name(world) -> None:
    asha = login("asha")
    url = f"/sections/{world.section.pk}/register"
    response = asha.get(f"{url}.xlsx?month={OCTOBER}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = 'attachment; filename="register-23370100101-5A-2026-10.xlsx"'
    assert response["Content-Disposition"] == disposition
    response = asha.get(f"{url}.pdf?month={OCTOBER}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith('-5A-2026-10.pdf"')
    assert asha.get(f"{url}.pdf?month=2026-13").status_code == 400


# --- The PDF -------------------------------------------------------------------------


def test_the_pdf_has_the_names_in_devanagari_as_real_text(world, tmp_path) -> None:
    october(world)
    mark(world, dt.date(2026, 10, 5), "PAPPP")
    mark(world, dt.date(2026, 10, 5), "PPPPP", by=world.ravi, hour=16, note="Bhavna came late")
    month_certify(section=world.section, month=MONTH, checked_by="S. Mishra", by=world.ravi)
    register = section_register(section=world.section, month=MONTH, today=TODAY)
    with translation.override("hi"):
        text = pdf_text(register_pdf(register), tmp_path)
    for student in world.students:
        assert student.name_local in text
    assert "Aarav Sharma" not in text
    assert "अक्टूबर 2026" in text and "23370100101" in text
    assert "S. Mishra" in text  # the certification line
    assert "Bhavna came late" in text  # the correction's footnote
    assert "रविवार" in text  # Sunday written in its column


def test_the_pdf_page_is_drawn_with_red_absences(world, tmp_path) -> None:
    october(world)
    register = section_register(section=world.section, month=MONTH, today=TODAY)
    source = tmp_path / "register.pdf"
    source.write_bytes(register_pdf(register))
    subprocess.run(
        [poppler("pdftoppm"), "-r", "50", "-f", "1", "-l", "1", "-png", source, tmp_path / "p"],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    assert image.width > image.height  # A4 landscape
    data = image.tobytes()
    pixels = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]
    inked = sum(r + g + b < 600 for r, g, b in pixels)
    red = sum(r > 150 and g < 100 and b < 100 for r, g, b in pixels)
    assert inked > 0.01 * len(pixels)  # text, lines and shading, not a blank page
    assert red > 0  # Bhavna's A


def test_devanagari_is_shaped_with_the_noto_font(tmp_path, caplog) -> None:
    name = "आरव शर्मा · ज़ोया ख़ान · कबीर सिंह · भावना मीणा"
    html = (
        "<html lang=\"hi\"><body style=\"font-family: 'Noto Sans', 'Noto Sans Devanagari'\">"
        f"<p>{name}</p></body></html>"
    )
    source = tmp_path / "name.pdf"
    with caplog.at_level("WARNING", logger="weasyprint"):
        source.write_bytes(html_pdf(html))
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]  # no boxes
    fonts = subprocess.run(
        [poppler("pdffonts"), str(source)], check=True, capture_output=True, text=True
    ).stdout
    devanagari = [line for line in fonts.splitlines() if "Devanagari" in line]
    assert devanagari and "Noto" in devanagari[0]
    assert " yes " in devanagari[0]  # embedded
    assert pdf_text(source.read_bytes(), tmp_path).strip() == name


def add_students(world: World, count: int) -> None:
    start = dt.date(2026, 4, 1)
    for n in range(100, 100 + count):
        student = Student.objects.create(
            name=f"Student {n}", name_local=f"छात्र {n}", gender="F", state_id=f"T{n:06d}"
        )
        admission = Admission.objects.create(
            school=world.school, student=student, admission_no=f"{n:04d}", admitted_on=start
        )
        Enrolment.objects.create(
            school=world.school,
            section=world.section,
            student=student,
            admission=admission,
            origin="promoted",
            starts_on=start,
        )


def test_a_long_roll_repeats_the_header_on_every_page(world, tmp_path) -> None:
    add_students(world, 65)  # 70 in all
    mark(world, dt.date(2026, 10, 1), "P" * 70)
    register = section_register(section=world.section, month=MONTH, today=TODAY)
    pdf = register_pdf(register)
    assert page_count(pdf, tmp_path) >= 2
    second = pdf_text(pdf, tmp_path, 2)
    assert "S.R. No." in second and "Name" in second  # the table's header, again
    assert "Student 16" in second  # the roll goes on
    assert "GPS Rampur" in second  # the running page header
    assert "Page 2 /" in second


def test_letters_are_padded_to_two_digits_without_drift() -> None:
    padder = Padder()
    for letter in "ADLDADLAADDDLLAAD" * 5:
        padded = padder.pad(letter)
        width = LETTERS[letter] + sum(SPACES[c] for c in padded if c != letter)
        assert abs(width - 2 * DIGIT) <= 20
        assert abs(padder.drift) <= 20  # thousandths of an em: the errors cancel out
    assert SPACES[" "] == SPACE


def test_a_school_meeting_once_a_day_gets_one_column_a_day(world, tmp_path) -> None:
    world.policy.meetings_per_day = 1
    world.policy.save()
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    mark(world, dt.date(2026, 10, 3), "PPPPD")
    register = section_register(section=world.section, month=MONTH, today=TODAY)
    assert len(register.grid.columns) == 31
    text = pdf_text(register_pdf(register), tmp_path)
    assert "Aarav Sharma" in text and "Sunday" in text
    ws = openpyxl.load_workbook(io.BytesIO(register_xlsx(register))).active
    assert Formulas(ws).value(ws.cell(FIRST_ROW + 4, FIRST_MEETING_COLUMN + 31).coordinate) == 2
    page = login("asha").get(f"/sections/{world.section.pk}/register/?month={OCTOBER}")
    assert page.status_code == 200 and b'data-meetings-per-day="1"' in page.content


def drawn_lines(html: str, css_class: str) -> list[tuple[str, float, float]]:
    """(text, width of its drawn line, width of its box) for each element of a class,
    from WeasyPrint's laid-out boxes: the line is as wide as the shaped text."""
    import weasyprint

    found = []

    def walk(box) -> None:  # type: ignore[no-untyped-def]
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if css_class in classes and type(box).__name__ == "BlockBox":
            for line in box.children:
                text = "".join(getattr(child, "text", "") for child in line.children)
                found.append((text, line.width, box.width))
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in weasyprint.HTML(string=html).render().pages:
        walk(page._page_box)
    return found


@pytest.mark.parametrize("language", ["hi", "en"])
def test_every_closed_days_name_fits_its_column(world, language) -> None:
    """The field trial's PDF cut "दीपावली अवकाश" to "दीपावली अवक": every name the
    demo's calendar uses is drawn whole; one too long for the page is shortened with a
    visible "…"; no line is clipped by its column."""
    from hazri.org.models import CalendarEntry
    from hazri.registers.exports.layout import build_sheet
    from hazri.registers.exports.pdf import sheet_html

    october(world)
    names = [
        ("Deepawali vacation", "दीपावली अवकाश"),
        ("Village fair (mela)", "ग्राम मेला"),
        ("Birth anniversary of Sant Shiromani", "संत शिरोमणि श्री रविदास जयंती"),
    ]
    for day, (name, name_local) in zip((19, 20, 21), names, strict=True):
        CalendarEntry.objects.create(
            unit=world.school.unit,
            day=dt.date(2026, 10, day),
            kind="holiday",
            name=name,
            name_local=name_local,
        )
    register = section_register(section=world.section, month=MONTH, today=TODAY)
    with translation.override(language):
        lines = drawn_lines(sheet_html(build_sheet(register)), "vertical")
    drawn = {text for text, _line, _box in lines}
    expected = [local if language == "hi" else name for name, local in names]
    assert set(expected[:2]) <= drawn
    assert expected[2] in drawn or any(
        text.endswith("…") and expected[2].startswith(text[:-1]) for text in drawn
    )
    assert ("रविवार" if language == "hi" else "Sunday") in drawn
    for text, line, box in lines:
        assert line <= box, f"{text!r} is {line:.1f}px in a {box:.1f}px column"


def test_the_pdf_says_at_its_head_that_columns_are_dates_and_counts_are_meetings(
    world, tmp_path
) -> None:
    october(world)
    add_students(world, 65)
    register = section_register(section=world.section, month=MONTH, today=TODAY)
    pdf = register_pdf(register)
    for page in (1, 2):
        text = " ".join(pdf_text(pdf, tmp_path, page).split())
        assert "Columns are the days of the month by date" in text
        assert "count of meetings attended so far this month, not of days" in text
