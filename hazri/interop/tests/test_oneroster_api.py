"""OneRoster through the API, the pages and the command line: who may, what a broken
bundle gets back, and an export's zip fetched once its task ran."""

import base64
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from hazri.accounts.models import User
from hazri.interop.models import Exchange
from hazri.interop.oneroster.export import export_area
from hazri.interop.oneroster.rows import zip_files
from hazri.interop.tests.oneroster_world import bundle_of, unzipped
from hazri.people.models import Student
from hazri.testing.world import World

pytestmark = pytest.mark.django_db
API = "/api/v1/oneroster"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_head_exports_his_school_and_fetches_the_zip(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    head = _client(world.ravi)
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(head, f"{API}/exports", {"school": world.school.pk})
    assert answer.status_code == 202, answer.content
    exchange = answer.json()
    status = head.get(f"{API}/exchanges/{exchange['id']}").json()
    assert (
        status["status"] == "done" and status["summary"]["rows"]["users"] == 8
    )  # 5 students, 2 staff, 1 father
    zipped = head.get(status["download"])
    assert zipped.status_code == 200
    assert unzipped(b"".join(zipped.streaming_content)) == export_area(school=world.school)


def test_the_head_may_not_export_the_district(world: World) -> None:
    answer = _post(_client(world.ravi), f"{API}/exports", {"unit": world.district.pk})
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["field"] == "unit"


def test_another_school_or_an_officer_gets_404(world: World) -> None:
    assert (
        _post(_client(world.ravi), f"{API}/exports", {"school": world.other_school.pk}).status_code
        == 404
    )
    assert (
        _post(_client(world.meera), f"{API}/exports", {"school": world.school.pk}).status_code
        == 404
    )


def test_a_broken_bundle_is_a_422_naming_file_line_and_column(world: World) -> None:
    data = base64.b64encode(bundle_of("broken/bad_date")).decode()
    answer = _post(_client(world.ravi), f"{API}/imports", {"school": world.school.pk, "data": data})
    assert answer.status_code == 422
    body = answer.json()
    assert body["errors"][0]["field"] == "file"
    assert "academicSessions.csv, line 2, startDate" in body["detail"]
    assert not Exchange.objects.filter(direction="import").exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [("not base64!", "bad_base64"), (base64.b64encode(b"just text").decode(), "not_zip")],
)
def test_what_is_no_bundle_is_refused(world: World, data: str, code: str) -> None:
    answer = _post(_client(world.ravi), f"{API}/imports", {"school": world.school.pk, "data": data})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["code"] == code


def test_a_nul_in_the_name_is_refused(world: World) -> None:
    data = base64.b64encode(bundle_of("own")).decode()
    answer = _post(
        _client(world.ravi),
        f"{API}/imports",
        {"school": world.school.pk, "data": data, "name": "a\x00"},
    )
    assert answer.status_code == 422


def test_the_head_imports_his_schools_bundle_and_nothing_changes(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    data = base64.b64encode(zip_files(export_area(school=world.school))).decode()
    head = _client(world.ravi)
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(head, f"{API}/imports", {"school": world.school.pk, "data": data})
    assert answer.status_code == 202
    status = head.get(f"{API}/exchanges/{answer.json()['id']}").json()
    assert status["status"] == "done", status
    assert not [k for k in status["summary"]["counts"] if k.endswith("_created")]


def test_a_head_may_not_import_other_schools(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    data = base64.b64encode(bundle_of("foreign")).decode()
    head = _client(world.ravi)
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(head, f"{API}/imports", {"school": world.school.pk, "data": data})
    status = head.get(f"{API}/exchanges/{answer.json()['id']}").json()
    assert status["status"] == "failed"
    assert status["error"].startswith("orgs.csv, line 2")
    assert not Student.objects.filter(state_id="SAM9000001").exists()


def test_the_page_exports_and_shows_the_download(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    head = _client(world.ravi)
    assert head.get("/interop/oneroster/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = head.post("/interop/oneroster/export/", {"area": f"school:{world.school.pk}"})
    assert answer.status_code == 302
    page = head.get(answer["Location"])
    assert b"data-download" in page.content


def test_the_page_refuses_a_broken_upload_with_its_problems(world: World) -> None:
    upload = io.BytesIO(bundle_of("broken/duplicate_sourcedid"))
    upload.name = "bundle.zip"
    answer = _client(world.ravi).post(
        "/interop/oneroster/import/", {"school": world.school.pk, "bundle": upload}
    )
    assert answer.status_code == 422
    assert "orgs.csv, line 3, sourcedId" in answer.content.decode()


def test_the_command_line_exports_and_imports(db: None, tmp_path: Path) -> None:
    bundle = tmp_path / "own.zip"
    bundle.write_bytes(bundle_of("own"))
    out = io.StringIO()
    call_command("oneroster", "import", str(bundle), stdout=out)
    assert json.loads(out.getvalue())["counts"]["students_created"] == 6
    again = tmp_path / "again.zip"
    call_command("oneroster", "export", "--area", "MP", "--out", str(again), stdout=io.StringIO())
    assert unzipped(again.read_bytes()) == unzipped(bundle.read_bytes())
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bundle_of("broken/bad_enum"))
    with pytest.raises(CommandError, match="orgs.csv, line 2, type"):
        call_command("oneroster", "import", str(broken))
