"""Personal invitations (SPEC §5.6): issued by the head, printed on slips, redeemed once
for an account bound to the record; expired, used, withdrawn and unknown codes refused."""

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hazri.common.errors import Conflict, Invalid, NotFound
from hazri.people.models import Guardian, Guardianship, Posting, Staff
from hazri.signon.codes import ALPHABET, code_digest, code_normal
from hazri.signon.models import Invitation
from hazri.signon.services import (
    invitation_issue,
    invitation_redeem,
    invitation_redeem_with_password,
    invitation_revoke,
    invitations_issue_for_section,
)
from hazri.testing.world import PASSWORD, World

NEW_PASSWORD = "kite-mango-river-42"
SLIP_CODE = re.compile(r'data-code="([A-Z0-9]{5}-[A-Z0-9]{5})"')


def _family(world: World) -> Guardian:
    """Salma, mother of Aarav and Bhavna (both in 5 A), with no account yet."""
    salma = Guardian.objects.create(name="Salma Sharma", phone="+919800000002")
    for child in (world.students[0], world.students[2]):
        Guardianship.objects.create(guardian=salma, student=child, relation="mother")
    return salma


def test_a_code_is_short_unambiguous_and_only_its_digest_is_kept(world: World) -> None:
    issued = invitation_issue(
        by=world.ravi, school=world.school, kind="student", target=world.students[0]
    )
    raw = issued.code.replace("-", "")
    assert len(raw) == 10 and set(raw) <= set(ALPHABET) and issued.code[5] == "-"
    assert not set("01OIL") & set(raw)
    stored = Invitation.objects.get()
    assert stored.code_digest == code_digest(issued.code) and issued.code not in str(
        Invitation.objects.values().get()
    )
    # Typed loosely: lower case, spaces, no dash.
    assert code_normal(f" {raw[:5].lower()} {raw[5:]} ") == raw
    assert code_normal("ABCDE-FGHI0") is None


def test_a_section_gets_one_slip_per_family_and_reissuing_revokes(world: World) -> None:
    salma = _family(world)
    first = invitations_issue_for_section(by=world.ravi, section=world.section, kind="guardian")
    # Imran has an account already: only Salma's family gets a slip, one for two children.
    assert [i.invitation.guardian for i in first] == [salma]
    again = invitations_issue_for_section(by=world.ravi, section=world.section, kind="guardian")
    old, new = Invitation.objects.order_by("pk")
    assert old.revoked_at is not None and new.revoked_at is None
    with pytest.raises(Invalid) as refused:
        invitation_redeem(code=first[0].code, user=world.asha)
    assert refused.value.field == "code" and refused.value.code == "revoked_code"
    students = invitations_issue_for_section(by=world.ravi, section=world.section, kind="student")
    assert len(students) == 5 and again[0].code != first[0].code


def test_redeeming_binds_the_record_once(world: World) -> None:
    salma = _family(world)
    issued = invitation_issue(by=world.ravi, school=world.school, kind="guardian", target=salma)
    invitation = invitation_redeem_with_password(
        code=issued.code.lower(), username="salma", password=NEW_PASSWORD
    )
    salma.refresh_from_db()
    assert salma.user is not None and salma.user.username == "salma"
    assert invitation.used_by == salma.user and invitation.used_at is not None
    with pytest.raises(Invalid) as again:
        invitation_redeem_with_password(code=issued.code, username="other", password=NEW_PASSWORD)
    assert (again.value.field, again.value.code) == ("code", "used_code")


def test_an_expired_or_unknown_code_is_refused(world: World) -> None:
    issued = invitation_issue(
        by=world.ravi, school=world.school, kind="student", target=world.students[3]
    )
    later = timezone.now() + dt.timedelta(days=31)
    with time_machine.travel(later), pytest.raises(Invalid) as expired:
        invitation_redeem_with_password(code=issued.code, username="kabir", password="x")
    assert (expired.value.field, expired.value.code) == ("code", "expired_code")
    for code in ["ABCDE-FGHJK", "not a code"]:
        with pytest.raises(Invalid) as unknown:
            invitation_redeem_with_password(code=code, username="kabir", password="x")
        assert (unknown.value.field, unknown.value.code) == ("code", "unknown_code")
    # A refused redemption wrote no account.
    assert not world.students[3].__class__.objects.get(pk=world.students[3].pk).user_id


def test_a_bad_username_or_password_writes_nothing(world: World) -> None:
    issued = invitation_issue(
        by=world.ravi, school=world.school, kind="student", target=world.students[3]
    )
    for username, password, field in [
        ("asha", NEW_PASSWORD, "username"),  # taken
        ("kabir singh", NEW_PASSWORD, "username"),
        ("kabir", "123", "password"),
    ]:
        with pytest.raises((Invalid, Conflict)) as refused:
            invitation_redeem_with_password(code=issued.code, username=username, password=password)
        assert refused.value.field == field
    assert Invitation.objects.get().used_at is None


def test_another_schools_record_is_not_found(world: World) -> None:
    suresh = Staff.objects.get(user=world.suresh)
    with pytest.raises(NotFound) as refused:
        invitation_issue(by=world.ravi, school=world.school, kind="staff", target=suresh)
    assert refused.value.field == "target"


def test_revoking_and_a_used_one_stays_used(world: World) -> None:
    issued = invitation_issue(
        by=world.ravi, school=world.school, kind="student", target=world.students[4]
    )
    invitation_revoke(by=world.ravi, invitation=issued.invitation)
    assert Invitation.objects.get().revoked_at is not None
    used = invitation_issue(
        by=world.ravi, school=world.school, kind="student", target=world.students[4]
    )
    invitation_redeem_with_password(code=used.code, username="diya", password=NEW_PASSWORD)
    with pytest.raises(Conflict):
        invitation_revoke(by=world.ravi, invitation=Invitation.objects.get(pk=used.invitation.pk))


# --- Pages ---------------------------------------------------------------------------------


def test_the_head_prints_slips_and_sees_their_state(world: World) -> None:
    _family(world)
    head = Client()
    head.force_login(world.ravi)
    listing = head.get(f"/schools/{world.school.pk}/invitations/")
    assert listing.status_code == 200
    slips = head.post(f"/sections/{world.section.pk}/invitations/", {"kind": "guardian"})
    html = slips.content.decode()
    assert slips.status_code == 200 and "@media print" in html and "size: A4" in html
    codes = SLIP_CODE.findall(html)
    assert len(codes) == 1 and "Salma Sharma" in html
    assert "Aarav Sharma" in html and "Bhavna Meena" in html
    assert f"/invite/{codes[0]}/" in html
    listing = head.get(f"/schools/{world.school.pk}/invitations/").content.decode()
    assert 'data-state="live"' in listing and codes[0] not in listing
    invitation = Invitation.objects.get()
    assert head.post(f"/invitations/{invitation.pk}/revoke/").status_code == 302
    listing = head.get(f"/schools/{world.school.pk}/invitations/").content.decode()
    assert 'data-state="revoked"' in listing


def test_a_teacher_may_not_issue(world: World) -> None:
    teacher = Client()
    teacher.force_login(world.asha)
    assert teacher.get(f"/schools/{world.school.pk}/invitations/").status_code == 403
    response = teacher.post(f"/sections/{world.section.pk}/invitations/", {"kind": "student"})
    assert response.status_code == 403 and not Invitation.objects.exists()


def test_a_student_redeems_a_slip_for_a_login(world: World) -> None:
    zoya = world.students[1]
    issued = invitation_issue(by=world.ravi, school=world.school, kind="student", target=zoya)
    browser = Client()
    page = browser.get(f"/invite/{issued.code}/")
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    mismatch = browser.post(
        f"/invite/{issued.code}/",
        {"username": "zoya", "password": NEW_PASSWORD, "password2": "other"},
    )
    assert mismatch.status_code == 422 and mismatch.context["field"] == "password"
    done = browser.post(
        f"/invite/{issued.code}/",
        {"username": "zoya", "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == "/family/"
    zoya.refresh_from_db()
    assert zoya.user is not None and zoya.user.check_password(NEW_PASSWORD)
    assert Client().login(username="zoya", password=NEW_PASSWORD)
    assert Client().get(f"/invite/{issued.code}/").status_code == 422


# --- API -------------------------------------------------------------------------------------


def _api(user: Any) -> Client:
    client = Client()
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {response.json()['token']}"
    return client


def test_the_api_issues_lists_revokes_and_redeems(world: World) -> None:
    salma = _family(world)
    head = _api(world.ravi)
    one = head.post(
        f"/api/v1/schools/{world.school.pk}/invitations",
        {"kind": "guardian", "target": salma.pk},
        content_type="application/json",
    )
    assert one.status_code == 201, one.json()
    body = one.json()
    assert body["invitation"]["state"] == "live" and body["invitation"]["section"] == "5 A"
    assert body["link"].endswith(f"/invite/{body['code']}/")
    many = head.post(
        f"/api/v1/sections/{world.section.pk}/invitations",
        {"kind": "student"},
        content_type="application/json",
    )
    assert many.status_code == 201 and len(many.json()["issued"]) == 5
    listed = head.get(f"/api/v1/schools/{world.school.pk}/invitations").json()
    states = {row["id"]: row["state"] for row in listed}
    # Re-issuing for the section did not touch Salma's own invitation.
    assert len(listed) == 6 and states[body["invitation"]["id"]] == "live"
    assert "code" not in listed[0]
    revoked = head.post(f"/api/v1/invitations/{body['invitation']['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    code = many.json()["issued"][0]["code"]
    redeemed = Client().post(
        "/api/v1/invitations/redeem",
        {"code": code, "username": "aarav", "password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert redeemed.status_code == 201 and redeemed.json() == {
        "kind": "student",
        "username": "aarav",
    }
    again = Client().post(
        "/api/v1/invitations/redeem",
        {"code": code, "username": "aarav2", "password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "code"
    teacher = _api(world.asha)
    refused = teacher.post(
        f"/api/v1/schools/{world.school.pk}/invitations",
        {"kind": "guardian", "target": salma.pk},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_staff_slips_for_those_without_an_account(world: World) -> None:
    newcomer = Staff.objects.create(employee_code="EMP020", name="Nisha Rao", gender="F")
    Posting.objects.create(
        staff=newcomer, school=world.school, role="teacher", starts_on=dt.date(2026, 4, 1)
    )
    head = Client()
    head.force_login(world.ravi)
    slips = head.post(f"/schools/{world.school.pk}/invitations/staff/")
    html = slips.content.decode()
    codes = SLIP_CODE.findall(html)
    # Ravi and Asha have accounts: only Nisha gets a slip.
    assert slips.status_code == 200 and len(codes) == 1 and "Nisha Rao" in html
    done = Client().post(
        f"/invite/{codes[0]}/",
        {"username": "nisha", "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.user is not None and newcomer.user.username == "nisha"


def test_the_list_reads_in_a_fixed_number_of_queries(world: World) -> None:
    head = Client()
    head.force_login(world.ravi)
    url = f"/schools/{world.school.pk}/invitations/"
    invitations_issue_for_section(by=world.ravi, section=world.section, kind="student")
    with CaptureQueriesContext(connection) as few:
        assert head.get(url).status_code == 200
    _family(world)
    invitations_issue_for_section(by=world.ravi, section=world.section, kind="guardian")
    invitations_issue_for_section(by=world.ravi, section=world.section, kind="student")
    with CaptureQueriesContext(connection) as more:
        assert head.get(url).status_code == 200
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_school_page_links_its_invitations_for_the_head_only(world: World) -> None:
    url = f"/schools/{world.school.pk}/"
    for user, shown in [(world.ravi, True), (world.asha, False)]:
        browser = Client()
        browser.force_login(user)
        page = browser.get(url, {"day": "2026-11-18"}).content.decode()
        assert ("data-invitations" in page) is shown
