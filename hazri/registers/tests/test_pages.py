"""The register page: the paper layout with its counts and totals, certification by the
head, an officer's decision on a change after it, and who may see it."""

import datetime as dt
import re
import uuid
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from hazri.attendance.models import RollCall
from hazri.attendance.services import Capture, rollcall_submit
from hazri.people.selectors import section_roll
from hazri.registers.models import MonthCertification
from hazri.testing.world import PASSWORD, World

IST = ZoneInfo("Asia/Kolkata")
OCTOBER = "2026-10"


def mark(world: World, day: dt.date, codes: str, *, meeting=1, by=None, hour=8, note=""):
    """A roll call of the world's section as the day's roll orders it (one letter each)."""
    roll = [m.id for m in section_roll(world.section, day)]
    captured = dt.datetime.combine(day, dt.time(hour, 30), tzinfo=IST)
    return rollcall_submit(
        section=world.section,
        day=day,
        meeting=meeting,
        marks=list(zip(roll, codes, strict=True)),
        capture=Capture(
            client_uuid=uuid.uuid4(), captured_at=captured, note=note, device_clock=timezone.now()
        ),
        by=by or world.asha,
    ).sheet


def october(world: World) -> None:
    """Thursday 1 October twice, Saturday the 3rd once (the 2nd and 4th have none)."""
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    mark(world, dt.date(2026, 10, 1), "PPPPD", meeting=2, hour=13)
    mark(world, dt.date(2026, 10, 3), "PLPPP")


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


class Table(HTMLParser):
    """The register table's rows as lists of cell texts, keyed by data-student or
    data-total / data-summary."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.key: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        found = dict(attrs)
        if tag == "tr":
            key = found.get("data-student") or found.get("data-total") or found.get("data-summary")
            self.key = key
            if key:
                self.rows[key] = []
        elif tag in ("td", "th") and self.key:
            self.cell = []

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("td", "th") and self.key and self.cell is not None:
            self.rows[self.key].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr":
            self.key = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.cell is not None:
            self.cell.append(data)


def table(content: bytes) -> dict[str, list[str]]:
    parser = Table()
    parser.feed(content.decode())
    return parser.rows


def url(world: World, month: str = OCTOBER) -> str:
    return f"/sections/{world.section.pk}/register/?month={month}"


def test_the_page_shows_the_running_counts_and_totals(world) -> None:
    october(world)
    response = login("asha").get(url(world))
    assert response.status_code == 200
    rows = table(response.content)
    aarav, bhavna, kabir = (str(world.students[i].pk) for i in (0, 2, 3))
    # No., S.R. No., name, then 1 Oct FN and AN, the 2nd (two), the 3rd (two), the
    # Sunday 4th as one closed cell spanning the rows (first row only).
    assert rows[aarav][:3] == ["1", "0001", "Aarav Sharma"]
    assert rows[aarav][3:9] == ["1", "2", "?", "?", "3", "?"]
    assert rows[aarav][9] == "Sunday"
    assert rows[bhavna][3:5] == ["A", "1"]
    assert rows[bhavna][7] == "L"
    assert rows[kabir][4] == "D"
    # Month total, carried forward, running total, percentage.
    assert rows[kabir][-4:] == ["3", "0", "3", "100.0"]
    assert rows[bhavna][-4:] == ["1", "0", "1", "33.3"]
    assert rows["present"][2:5] == ["Present", "4", "5"]
    assert rows["absent"][3:5] == ["1", "0"]
    assert rows["leave"][7] == "1"
    assert rows["present"][-4] == "13"  # attendances this month
    page = response.content.decode()
    assert re.search(r'data-summary="average"><dt>[^<]*</dt><dd>4.3</dd>', page)
    assert re.search(r'data-summary="on-roll"><dt>[^<]*</dt><dd>5</dd>', page)
    assert re.search(r'data-summary="held"><dt>[^<]*</dt><dd>3</dd>', page)
    assert b'href="/sections/%d/register.pdf?month=2026-10"' % world.section.pk in response.content
    assert b"register.xlsx?month=2026-10" in response.content
    assert b'?month=2026-09"' in response.content and b'?month=2026-11"' in response.content


def test_the_hindi_page_writes_names_in_devanagari(world) -> None:
    october(world)
    world.asha.language = "hi"
    world.asha.save()
    response = login("asha").get(url(world))
    rows = table(response.content)
    assert rows[str(world.students[0].pk)][2] == "आरव शर्मा"
    assert rows[str(world.students[0].pk)][9] == "रविवार"
    assert "अक्टूबर 2026" in response.content.decode()
    assert "Aarav Sharma" not in response.content.decode()


def test_the_default_month_is_the_current_one(world) -> None:
    response = login("asha").get(f"/sections/{world.section.pk}/register/")
    assert response.status_code == 200
    today = dt.datetime.now(IST).date()
    assert f'data-month="{today:%Y-%m}"' in response.content.decode()


def test_the_head_certifies_and_the_month_is_locked(world) -> None:
    october(world)
    ravi = login("ravi")
    page = ravi.get(url(world)).content.decode()
    assert 'name="checked_by"' in page and 'data-certified="false"' in page
    response = ravi.post(
        url(world), {"action": "certify", "month": OCTOBER, "checked_by": "S. Mishra"}
    )
    assert response.status_code == 302 and response["Location"] == url(world)
    page = ravi.get(url(world)).content.decode()
    assert 'data-certified="true"' in page
    assert "Certified by Ravi Verma on" in page and "checked by S. Mishra" in page
    assert "is certified and locked" in page
    assert 'name="checked_by"' not in page
    assert MonthCertification.objects.get().checked_by == "S. Mishra"


def test_a_teacher_sees_no_certify_form_and_is_refused(world) -> None:
    asha = login("asha")
    assert 'name="checked_by"' not in asha.get(url(world)).content.decode()
    response = asha.post(url(world), {"action": "certify", "month": OCTOBER, "checked_by": "X"})
    assert response.status_code == 403
    assert "Only the head of school can certify the month." in response.content.decode()
    assert not MonthCertification.objects.exists()


NEXT_MONTH = (dt.date.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)


@pytest.mark.parametrize(
    ("month", "checker", "status", "message"),
    [
        (OCTOBER, "  ", 422, "Write the name of the checker"),
        (f"{NEXT_MONTH:%Y-%m}", "S. Mishra", 422, "is not over yet"),
        ("2026-03", "S. Mishra", 422, "outside the school session"),
    ],
)
def test_certify_errors_are_shown_on_the_page(world, month, checker, status, message) -> None:
    response = login("ravi").post(
        url(world, month), {"action": "certify", "month": month, "checked_by": checker}
    )
    assert response.status_code == status
    page = response.content.decode()
    assert message in page and 'role="alert"' in page
    assert "<table" in page or "Nobody is on the roll" in page  # still the register page


def test_certifying_twice_is_a_conflict(world) -> None:
    ravi = login("ravi")
    form = {"action": "certify", "month": OCTOBER, "checked_by": "S. Mishra"}
    assert ravi.post(url(world), form).status_code == 302
    response = ravi.post(url(world), form)
    assert response.status_code == 409
    assert "already certified" in response.content.decode()


def test_an_officer_approves_a_change_after_certification(world) -> None:
    october(world)
    login("ravi").post(url(world), {"action": "certify", "month": OCTOBER, "checked_by": "S. M."})
    pending = mark(
        world, dt.date(2026, 10, 1), "PPPPP", by=world.ravi, hour=18, note="Bhavna was present"
    )
    page = login("ravi").get(url(world)).content.decode()
    assert f'data-rollcall="{pending.pk}"' in page
    assert (
        "Waiting for the approval of the officer of Ashta" in page and 'value="approve"' not in page
    )
    assert "Bhavna Meena: A → P" in page and "Bhavna was present" in page

    meera = login("meera")
    page = meera.get(url(world)).content.decode()
    assert 'value="approve"' in page and 'value="reject"' in page
    response = meera.post(
        url(world), {"action": "approve", "month": OCTOBER, "rollcall": str(pending.pk)}
    )
    assert response.status_code == 302
    response = meera.get(url(world))
    page = response.content.decode()
    assert "The change is approved" in page
    assert f'data-rollcall="{pending.pk}"' not in page
    bhavna = table(response.content)[str(world.students[2].pk)]
    assert bhavna[3].startswith("1") and bhavna[3] == "11"  # the count 1 and footnote 1
    assert "After certification: was A; changed by Ravi Verma at 18:30, 1 Oct" in page
    assert RollCall.objects.get(pk=pending.pk).is_current
    # Deciding again is a conflict, shown on the page.
    again = meera.post(url(world), {"action": "reject", "month": OCTOBER, "rollcall": pending.pk})
    assert again.status_code == 409 and "already decided" in again.content.decode()


def test_the_head_cannot_approve(world) -> None:
    october(world)
    login("ravi").post(url(world), {"action": "certify", "month": OCTOBER, "checked_by": "S. M."})
    pending = mark(world, dt.date(2026, 10, 1), "PAPPP", by=world.ravi, hour=18, note="x")
    response = login("ravi").post(
        url(world), {"action": "approve", "month": OCTOBER, "rollcall": pending.pk}
    )
    assert response.status_code == 403
    assert not RollCall.objects.get(pk=pending.pk).is_current


def test_a_correction_is_footnoted(world) -> None:
    mark(world, dt.date(2026, 10, 1), "PAPPP")
    mark(world, dt.date(2026, 10, 1), "PPPPP", by=world.ravi, hour=16, note="Bhavna came late")
    response = login("asha").get(url(world))
    page = response.content.decode()
    assert 'class="p changed"' in page
    assert "was A; changed by Ravi Verma at 16:30, 1 Oct: Bhavna came late" in page
    assert 'data-note="1"' in page


@pytest.mark.parametrize("username", ["suresh", "imran"])
def test_others_get_404(world, username) -> None:
    client = login(username)
    assert client.get(url(world)).status_code == 404
    assert client.get(f"/sections/{world.section.pk}/register.pdf").status_code == 404
    assert client.get(f"/sections/{world.section.pk}/register.xlsx").status_code == 404
    form = {"action": "certify", "month": OCTOBER, "checked_by": "X"}
    assert client.post(url(world), form).status_code == 404


@pytest.mark.parametrize("month", ["2026-13", "abc", "2026-1", "0001-01", "2026-10-01", "９999-01"])
def test_a_bad_month_is_a_400_page(world, month) -> None:
    response = login("asha").get(url(world, month))
    assert response.status_code == 400
    assert "is not a month" in response.content.decode()


def test_login_is_required(world) -> None:
    response = Client().get(url(world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_bad_action_or_rollcall_is_refused(world) -> None:
    meera = login("meera")
    assert meera.post(url(world), {"action": "dance", "month": OCTOBER}).status_code == 400
    for rollcall in ("9999", "9" * 40, "-1", ""):
        form = {"action": "approve", "month": OCTOBER, "rollcall": rollcall}
        assert meera.post(url(world), form).status_code == 404


def test_national_days_and_days_off_the_roll_are_marked(world) -> None:
    page = login("asha").get(url(world, "2026-08")).content.decode()
    assert re.search(r'class="day k-national national" data-day="2026-08-15"', page)
    assert "15 August, Independence Day: a national day" in page
    # Diya joined on 20 June: her June cells before then are off the roll (grey, blank).
    june = login("asha").get(url(world, "2026-06")).content.decode()
    diya = re.search(rf'<tr data-student="{world.students[4].pk}">(.*?)</tr>', june, re.S)
    assert diya is not None
    cells = re.findall(r'<td class="([a-z ]+)"[^>]*>([^<]*)</td>', diya.group(1))
    kinds = [css.split()[0] for css, _text in cells if css.split()[0] != "closed"]
    assert kinds[2:4] == ["off", "off"]  # 1 June, forenoon and afternoon (after No., S.R.)
    assert all(text == "" for css, text in cells if css.startswith("off"))
