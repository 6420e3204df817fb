"""Issuing a section's cards through the API and the pages: versions, reissue (the old
one revoked, nothing overwritten), who may do what, bad input, and the downloads."""

import json

import pytest
from django.test import Client

from hazri.credentials.testing import install_signing_key
from hazri.registers.tests.test_exports import page_count
from hazri.registers.tests.test_pages import login
from hazri.reportcards.models import ReportCard
from hazri.reportcards.tests.rc_world import card_world

API = "/api/v1"


def post(client: Client, url: str, body: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    answer = client.post(url, json.dumps(body), content_type="application/json")
    return answer.status_code, answer.json() if answer.content else {}


@pytest.fixture
def made(world, settings, tmp_path):  # type: ignore[no-untyped-def]
    install_signing_key(settings, tmp_path)
    return card_world(world)


@pytest.mark.django_db
def test_the_head_issues_and_reissues_a_sections_cards(world, made) -> None:
    url = f"{API}/sections/{world.section.pk}/report-cards"
    term = made.journal.term1.pk
    status, first = post(login("ravi"), url, {"term": term})
    assert status == 201 and len(first["cards"]) == 5
    assert {c["version"] for c in first["cards"]} == {1}
    zoya = next(c for c in first["cards"] if c["student"] == made.zoya.pk)
    assert zoya["facts"]["attended"] == 1 and zoya["facts"]["remarks"] == ["Helps others"]

    # A grade changes; the card as issued does not, until it is reissued.
    from hazri.journal.models import TermGrade

    TermGrade.objects.filter(student=made.zoya, term_id=term).update(is_current=False)
    stored = ReportCard.objects.get(pk=zoya["id"])
    assert len(stored.facts["subjects"]) == 2 and stored.facts["subjects"][0]["value"]

    status, second = post(login("ravi"), url, {"term": term})
    assert status == 201 and {c["version"] for c in second["cards"]} == {2}
    versions = ReportCard.objects.filter(student=made.zoya, period=f"term-{term}").order_by(
        "version"
    )
    old, new = list(versions)
    assert (old.is_current, old.revoked_at is not None, old.revoked_by_id) == (
        False,
        True,
        world.ravi.pk,
    )
    assert old.facts["subjects"][0]["value"] != ""  # kept as issued
    assert new.is_current and all(line["value"] == "" for line in new.facts["subjects"])
    listed = login("ravi").get(url, {"term": term}).json()
    assert {c["version"] for c in listed["cards"]} == {2}


@pytest.mark.django_db
def test_a_year_card_is_apart_from_the_term_cards(world, made) -> None:
    url = f"{API}/sections/{world.section.pk}/report-cards"
    assert post(login("ravi"), url, {"term": made.journal.term1.pk})[0] == 201
    status, year = post(login("ravi"), url, {})
    assert status == 201 and {c["version"] for c in year["cards"]} == {1}
    assert {c["period"] for c in year["cards"]} == {"year"}
    aarav = next(c for c in year["cards"] if c["student"] == made.aarav.pk)
    assert aarav["facts"]["result"] == "passed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "status"), [("asha", 403), ("meera", 403), ("imran", 404), ("suresh", 404)]
)
def test_only_the_head_or_school_admin_issues(world, made, username, status) -> None:
    url = f"{API}/sections/{world.section.pk}/report-cards"
    answer, body = post(login(username), url, {"term": made.journal.term1.pk})
    assert answer == status and body["errors"][0]["field"] == "section"
    assert not ReportCard.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"term": "1"}, "term"),
        ({"term": 0}, "term"),
        ({"term": 10**20}, "term"),
        ({"term": 999999}, "term"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(world, made, body, field) -> None:
    url = f"{API}/sections/{world.section.pk}/report-cards"
    status, answer = post(login("ravi"), url, body)
    assert status in (400, 404, 422)
    assert field in json.dumps(answer["errors"])
    assert not ReportCard.objects.exists()


@pytest.mark.django_db
def test_another_schools_term_is_not_found(world, made) -> None:
    from hazri.journal.models import Term

    other = Term.objects.create(
        school=world.other_school,
        academic_year=world.year,
        name="Term 1",
        starts_on=made.journal.term1.starts_on,
        ends_on=made.journal.term1.ends_on,
    )
    url = f"{API}/sections/{world.section.pk}/report-cards"
    status, answer = post(login("ravi"), url, {"term": other.pk})
    assert status == 404 and answer["errors"][0]["field"] == "term"


@pytest.mark.django_db
def test_the_family_sees_and_downloads_only_their_own(world, made, tmp_path) -> None:
    post(login("ravi"), f"{API}/sections/{world.section.pk}/report-cards", {})
    imran = login("imran")
    mine = imran.get(f"{API}/students/{made.zoya.pk}/report-cards").json()
    assert [c["student"] for c in mine] == [made.zoya.pk]
    assert imran.get(f"{API}/students/{made.aarav.pk}/report-cards").status_code == 404
    other = ReportCard.objects.get(student=made.aarav)
    assert imran.get(f"{API}/report-cards/{other.pk}").status_code == 404
    assert imran.get(f"{API}/report-cards/{other.pk}/pdf").status_code == 404
    assert imran.get(f"{API}/sections/{world.section.pk}/report-cards").status_code == 404
    pdf = imran.get(f"{API}/report-cards/{mine[0]['id']}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert page_count(pdf.content, tmp_path) == 1
    page = imran.get(f"/students/{made.zoya.pk}/report-cards/")
    assert page.status_code == 200 and f"/report-cards/{mine[0]['id']}/pdf" in page.content.decode()
    assert imran.get(f"/report-cards/{other.pk}/pdf").status_code == 404


@pytest.mark.django_db
def test_the_school_prints_a_sections_cards_as_one_pdf(world, made, tmp_path) -> None:
    ravi = login("ravi")
    url = f"/sections/{world.section.pk}/report-cards/"
    assert ravi.get(url + "pdf").status_code == 404  # none issued yet
    answer = ravi.post(url, {"term": made.journal.term1.pk})
    assert answer.status_code == 302
    assert ReportCard.objects.filter(is_current=True).count() == 5
    listed = ravi.get(url, {"term": made.journal.term1.pk})
    assert listed.status_code == 200 and listed.content.count(b"data-card=") == 5
    pdf = login("meera").get(url + "pdf", {"term": made.journal.term1.pk})  # the block officer
    assert pdf.status_code == 200 and page_count(pdf.content, tmp_path) == 5
    assert login("asha").post(url, {"term": made.journal.term1.pk}).status_code == 403


@pytest.mark.django_db
def test_the_class_teacher_writes_the_cards_remark(world, made) -> None:
    url = f"{API}/sections/{world.section.pk}/report-card-remarks"
    body = {"student": made.zoya.pk, "term": made.journal.term1.pk, "text": "Curious"}
    status, answer = post(login("asha"), url, body)
    assert status == 201 and answer["version"] == 1
    assert post(login("asha"), url, {**body, "text": "Very curious"})[1]["version"] == 2
    assert post(login("meera"), url, body)[0] == 403
    status, bad = post(login("asha"), url, {**body, "text": "   "})
    assert status == 422 and bad["errors"][0]["field"] == "text"
    status, bad = post(login("asha"), url, {**body, "student": made.journal.term1.pk + 10**6})
    assert status == 422 and bad["errors"][0]["field"] == "student"
    status, bad = post(login("asha"), url, {**body, "text": "a\x00b"})
    assert status in (400, 422)
    status, _ = post(
        login("ravi"),
        f"{API}/sections/{world.section.pk}/report-cards",
        {"term": made.journal.term1.pk},
    )
    card = ReportCard.objects.get(student=made.zoya)
    assert card.facts["teacher_remark"] == "Very curious"


@pytest.mark.django_db
def test_only_a_state_decides_rank(world, made) -> None:
    from hazri.accounts.models import OfficerGrant, User
    from hazri.testing.world import PASSWORD

    url = f"{API}/units/{world.state.pk}/report-card-rank"
    meera = login("meera")
    answer = meera.put(url, json.dumps({"show_rank": True}), content_type="application/json")
    assert answer.status_code == 404  # not her area
    block = f"{API}/units/{world.block.pk}/report-card-rank"
    answer = meera.put(block, json.dumps({"show_rank": True}), content_type="application/json")
    assert answer.status_code == 403
    officer = User.objects.create_user("sunil", password=PASSWORD)
    OfficerGrant.objects.create(user=officer, unit=world.state, title="State")
    answer = login("sunil").put(
        url, json.dumps({"show_rank": True}), content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json() == {
        "unit": world.state.pk,
        "show_rank": True,
    }
    _status, issued = post(
        login("ravi"),
        f"{API}/sections/{world.section.pk}/report-cards",
        {"term": made.journal.term1.pk},
    )
    ranks = {c["student"]: c["facts"]["rank"] for c in issued["cards"]}
    assert ranks[made.kabir.pk] == 3 and ranks[made.diya.pk] is None


def qr_from_pdf(pdf: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The QR code printed on the PDF's first page, read back from a 200 dpi scan the way
    the public verify page reads a photo (credentials.verify.qr_in_image). OpenCV's
    classic detector alone misses about 1 code in 15 at this scale (42 mm at 200 dpi,
    about 4.8 pixels a module); the verify page tries the ArUco-based one first."""
    import subprocess

    from hazri.common.files import Upload
    from hazri.credentials.verify import qr_in_image
    from hazri.registers.tests.test_exports import poppler

    source = tmp_path / "card.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [poppler("pdftoppm"), "-r", "200", "-f", "1", "-l", "1", "-png", source, tmp_path / "scan"],
        check=True,
    )
    scan = next(tmp_path.glob("scan*.png"))
    return qr_in_image(Upload(scan.name, scan.read_bytes()))


@pytest.mark.django_db
def test_each_card_is_signed_and_a_reissue_revokes_the_old_credential(
    world, made, tmp_path
) -> None:
    from hazri.credentials.compact import open_text
    from hazri.credentials.models import SigningKey

    url = f"{API}/sections/{world.section.pk}/report-cards"
    term = made.journal.term1.pk
    _s, first = post(login("ravi"), url, {"term": term})
    zoya = next(c for c in first["cards"] if c["student"] == made.zoya.pk)
    assert zoya["qr_text"].startswith("HZ1:")
    opened = open_text(zoya["qr_text"])
    key = SigningKey.objects.get(kid=opened.kid)
    from hazri.credentials import keys

    assert opened.verifies_with(keys.public_from_b64(key.public_key))
    assert opened.facts["g"] == {"MATH": "4", "ENG": "5"} and opened.facts["a"] == "1/3"
    assert opened.facts["n"] == "Zoya Khan" and opened.facts["v"] == 1
    # The PDF prints the same QR: a scan of the page reads back the signed text.
    pdf = login("imran").get(f"{API}/report-cards/{zoya['id']}/pdf").content
    assert qr_from_pdf(pdf, tmp_path) == zoya["qr_text"]

    post(login("ravi"), url, {"term": term})
    old = ReportCard.objects.select_related("credential").get(pk=zoya["id"])
    new = ReportCard.objects.select_related("credential").get(student=made.zoya, is_current=True)
    assert old.credential.revoked_at is not None and "version 2" in old.credential.revoked_reason
    assert new.credential.revoked_at is None and new.credential.pk != old.credential.pk
    assert new.credential.document["credentialSubject"]["version"] == 2
