"""The admin site writes people's links through the services: a refusal is a form
error on the field it names, and nothing is written."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hazri.audit.models import AuditEvent
from hazri.people.models import Admission, Enrolment, Guardianship, Posting, Staff

ROOT_PASSWORD = "x-root-pass-1"


@pytest.fixture
def admin_client(world, client: Client) -> Client:
    get_user_model().objects.create_superuser("root", password=ROOT_PASSWORD)
    client.login(username="root", password=ROOT_PASSWORD)
    return client


def _errors(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    return str(form.errors)


def test_post_staff_through_the_admin(world, admin_client) -> None:
    kamla = Staff.objects.create(employee_code="EMP009", name="Kamla Devi", gender="F")
    url = "/admin/people/posting/add/"
    assert admin_client.get(url).status_code == 200
    asha = world.staff[1]
    refused = admin_client.post(
        url,
        {"staff": asha.pk, "school": world.school.pk, "role": "teacher", "starts_on": "2026-11-18"},
    )
    assert "already posted to GPS Rampur" in _errors(refused)
    assert Posting.objects.count() == 3
    done = admin_client.post(
        url,
        {"staff": kamla.pk, "school": world.school.pk, "role": "admin", "starts_on": "2026-11-18"},
    )
    assert done.status_code == 302, _errors(done)
    posting = Posting.objects.get(staff=kamla)
    assert posting.role == "admin"
    event = AuditEvent.objects.get(action="posting.start")
    assert event.user.username == "root"
    # Ending it: the change form edits only the end, and refuses one before the start.
    change = f"/admin/people/posting/{posting.pk}/change/"
    assert "before it starts" in _errors(admin_client.post(change, {"ends_on": "2026-11-01"}))
    assert admin_client.post(change, {"ends_on": "2026-11-30"}).status_code == 302
    posting.refresh_from_db()
    assert posting.ends_on == dt.date(2026, 11, 30)


def test_move_a_student_through_the_admin(world, admin_client) -> None:
    url = "/admin/people/enrolment/add/"
    aarav = world.students[0]
    refused = admin_client.post(
        url, {"student": aarav.pk, "section": world.other_section.pk, "starts_on": "2026-11-18"}
    )
    assert "not on the roll of GPS Khedi" in _errors(refused)
    assert Enrolment.objects.filter(student=aarav).count() == 1


def test_admit_and_strike_off_through_the_admin(world, admin_client) -> None:
    zoya = world.students[1]
    url = "/admin/people/admission/add/"
    body = {
        "student": zoya.pk,
        "section": world.other_section.pk,
        "admission_no": "0050",
        "admitted_on": "2026-11-19",
        "origin": "new",
    }
    assert "is on the roll of GPS Rampur" in _errors(admin_client.post(url, body))
    done = admin_client.post(url, {**body, "transfer": "on"})
    assert done.status_code == 302, _errors(done)
    left = Admission.objects.get(student=zoya, school=world.school)
    assert left.left_on == dt.date(2026, 11, 18)
    kabir = world.students[3]
    admission = Admission.objects.get(student=kabir)
    change = f"/admin/people/admission/{admission.pk}/change/"
    assert "Say why" in _errors(admin_client.post(change, {"left_on": "2026-11-18"}))
    ok = admin_client.post(change, {"left_on": "2026-11-18", "leaving_reason": "TC issued"})
    assert ok.status_code == 302
    assert Enrolment.objects.get(student=kabir).ends_on == dt.date(2026, 11, 18)


def test_guardianships_through_the_admin(world, admin_client) -> None:
    link = Guardianship.objects.get()
    url = "/admin/people/guardianship/add/"
    refused = admin_client.post(
        url, {"guardian": link.guardian_id, "student": link.student_id, "relation": "father"}
    )
    assert "already a guardian" in _errors(refused)
    delete = f"/admin/people/guardianship/{link.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Guardianship.objects.exists()
    assert AuditEvent.objects.filter(action="guardianship.unlink").count() == 1


def test_the_links_are_read_only_inlines_and_cannot_be_deleted(world, admin_client) -> None:
    student = world.students[0]
    page = admin_client.get(f"/admin/people/student/{student.pk}/change/")
    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].has_add_permission is False
    enrolment = Enrolment.objects.get(student=student)
    assert admin_client.get(f"/admin/people/enrolment/{enrolment.pk}/delete/").status_code == 403
