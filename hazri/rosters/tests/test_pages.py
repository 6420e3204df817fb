"""The pages: upload → preview → confirm → done, progress polled by htmx, resume, the
mapping form; links from where a head (the school's page) and the superuser (home) look."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hazri.people.models import Student
from hazri.rosters.models import RosterJob, RosterMapping
from hazri.testing.world import World

from .make_files import STATE_MAPPING
from .rosters_world import ON, data

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data(name))


def test_upload_preview_confirm_on_the_pages(world: World, superuser: Any) -> None:
    client = _client(superuser)
    home = client.get("/dashboard/").content.decode()
    assert "data-roster-imports" in home
    sent = client.post(
        "/rosters/imports/",
        {"kind": "students", "on": ON.isoformat(), "file": _file("students_good.csv")},
    )
    assert sent.status_code == 302, sent.content[:500]
    job = RosterJob.objects.get()
    page = client.get(sent["Location"]).content.decode()
    assert "data-confirm" in page and 'data-part="23370100102"' in page
    assert "left_on: — → 2026-11-17" in page
    done = client.post(sent["Location"], {"do": "confirm"})
    assert done.status_code == 302
    job.refresh_from_db()
    assert job.status == "done"
    assert Student.objects.filter(state_id__startswith="IMP").count() == 5
    # Polling a finished job reloads the page.
    poll = client.get(sent["Location"], headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"


def test_progress_is_polled_while_the_job_runs(world: World, superuser: Any) -> None:
    client = _client(superuser)
    client.post("/rosters/imports/", {"kind": "students", "file": _file("students_good.csv")})
    job = RosterJob.objects.get()
    RosterJob.objects.filter(pk=job.pk).update(status="running", rows_done=3, schools_done=1)
    poll = client.get(f"/rosters/imports/{job.pk}/", headers={"HX-Request": "true"})
    text = poll.content.decode()
    assert 'hx-trigger="every 2s"' in text and 'value="3"' in text
    assert "3 of 5 rows, 1 of 2 schools done." in text
    page = client.get(f"/rosters/imports/{job.pk}/").content.decode()
    assert "data-resume" in page


def test_a_refused_file_says_which_rows_to_fix(world: World, superuser: Any) -> None:
    client = _client(superuser)
    sent = client.post(
        "/rosters/imports/", {"kind": "students", "file": _file("students_bad_date.csv")}
    )
    page = client.get(sent["Location"]).content.decode()
    assert "data-fix-rows" in page and "data-confirm" not in page
    assert "31/02/2022 is not a date." in page
    refused = client.post(sent["Location"], {"do": "confirm"})
    assert refused.status_code == 409
    assert 'data-error-code="refused_rows"' in refused.content.decode()


@pytest.mark.parametrize(
    ("name", "payload", "code"),
    [
        ("latin1.csv", data("students_latin1.csv"), "encoding"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "bad_type"),
        ("nul.csv", b"school_code\n\x00\n", "nul"),
    ],
)
def test_a_bad_upload_is_a_4xx_page(
    world: World, superuser: Any, name: str, payload: bytes, code: str
) -> None:
    response = _client(superuser).post(
        "/rosters/imports/", {"kind": "students", "file": SimpleUploadedFile(name, payload)}
    )
    assert response.status_code == 422
    assert f'data-error-code="{code}"' in response.content.decode()
    assert not RosterJob.objects.exists()


def test_the_head_finds_the_import_on_the_school_page(world: World) -> None:
    page = _client(world.ravi).get(f"/schools/{world.school.pk}/").content.decode()
    assert "data-roster-imports" in page
    teacher = _client(world.asha).get(f"/schools/{world.school.pk}/").content.decode()
    assert "data-roster-imports" not in teacher
    assert _client(world.asha).get("/rosters/imports/").status_code == 403


def test_the_mapping_form_saves_versions(world: World, superuser: Any) -> None:
    client = _client(superuser)
    form = {
        "name": "MP Samagra",
        "unit": world.state.pk,
        "kind": "students",
        "date_formats": "DD/MM/YYYY",
        **{f"col-students-{k}": v for k, v in STATE_MAPPING.items()},
    }
    saved = client.post("/rosters/mappings/", form)
    assert saved.status_code == 302
    mapping = RosterMapping.objects.get()
    assert mapping.columns == STATE_MAPPING and mapping.date_formats == ["DD/MM/YYYY"]
    page = client.get(saved["Location"]).content.decode()
    assert 'value="SAMAGRA_ID"' in page
    form["date_formats"] = "DD/MM/YYYY, DD-MM-YYYY"
    client.post(saved["Location"], form)
    mapping.refresh_from_db()
    assert mapping.version == 2 and mapping.date_formats == ["DD/MM/YYYY", "DD-MM-YYYY"]
    bad = client.post(saved["Location"], {**form, "name": "a\x00b"})
    assert bad.status_code == 422 and 'data-error-field="name"' in bad.content.decode()
