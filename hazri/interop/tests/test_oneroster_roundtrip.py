"""OneRoster export and the round trip: export, import into an empty database, export
again — the same CSV files, byte for byte."""

import datetime as dt

import pytest

from hazri.interop.models import SourcedId
from hazri.interop.oneroster.bundle import read_bundle
from hazri.interop.oneroster.export import export_area
from hazri.interop.oneroster.load import import_bundle
from hazri.interop.oneroster.rows import zip_files
from hazri.interop.tests.oneroster_world import (
    bundle_of,
    enrich,
    files_of,
    unzipped,
)
from hazri.org.models import OrgUnit, School
from hazri.people.models import Admission, Enrolment, Guardianship, Posting, Student
from hazri.testing.empty import empty_rosters
from hazri.testing.world import World

pytestmark = pytest.mark.django_db


def _export_state() -> dict[str, bytes]:
    return export_area(unit=OrgUnit.objects.get(code="MP"))


def test_round_trip_gives_the_same_files(world: World) -> None:
    enrich(world)
    aarav_id, diya_id = world.students[0].state_id, world.students[4].state_id
    first = _export_state()
    assert _export_state() == first  # deterministic
    empty_rosters()
    assert not Student.objects.exists()
    summary = import_bundle(read_bundle(zip_files(first)), by=None)
    assert summary["refused"] == []
    assert summary["counts"]["students_created"] == 6
    assert _export_state() == first
    # The history came back as it was: a move, a student who left, a mother.
    aarav = Student.objects.get(state_id=aarav_id)
    assert [
        e.section.name for e in Enrolment.objects.filter(student=aarav).order_by("starts_on")
    ] == ["A", "B"]
    diya = Admission.objects.get(student__state_id=diya_id)
    assert diya.left_on == dt.date(2026, 10, 31)
    assert Guardianship.objects.filter(relation="mother", guardian__name="Salma Khan").exists()


def test_our_bundle_file_round_trips(db: None) -> None:
    """The committed bundle (data/oneroster/own) into an empty database and out again."""
    summary = import_bundle(read_bundle(bundle_of("own")), by=None)
    assert summary["refused"] == []
    assert _export_state() == files_of("own")


def test_reimport_changes_nothing(db: None) -> None:
    data = bundle_of("own")
    import_bundle(read_bundle(data), by=None)
    counts = (Student.objects.count(), Enrolment.objects.count(), Posting.objects.count())
    ids = SourcedId.objects.count()
    summary = import_bundle(read_bundle(data), by=None)
    assert not {k for k in summary["counts"] if k.endswith(("_created", "_ended", "_updated"))}
    assert (Student.objects.count(), Enrolment.objects.count(), Posting.objects.count()) == counts
    assert SourcedId.objects.count() == ids


def test_export_of_one_school_holds_only_it(world: World) -> None:
    files = export_area(school=world.other_school)
    users = files["users.csv"].decode()
    gopal = world.other_section.enrolments.get().student
    assert f"student-{gopal.state_id}," in users
    assert f"student-{world.students[0].state_id}," not in users
    orgs = files["orgs.csv"].decode()
    # The school with its chain of units up to the state, so parents resolve.
    assert "school-23370100102" in orgs and "school-23370100101" not in orgs
    assert "org-MP," in orgs and ",ext:cluster," in orgs


def test_the_zip_is_the_same_bytes_each_time(world: World) -> None:
    files = export_area(unit=world.district)
    assert zip_files(files) == zip_files(export_area(unit=world.district))
    assert unzipped(zip_files(files)) == files


def test_manifest_and_columns_follow_the_binding(world: World) -> None:
    files = export_area(unit=world.state)
    manifest = files["manifest.csv"].decode().splitlines()
    assert manifest[:3] == ["propertyName,value", "manifest.version,1.0", "oneroster.version,1.2"]
    assert "file.users,bulk" in manifest and "file.results,absent" in manifest
    assert (
        files["roles.csv"]
        .decode()
        .startswith(
            "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,"
            "orgSourcedId,userProfileSourcedId,"
        )
    )
    school = School.objects.get(code="23370100101")
    assert f"school-{school.code},,,GPS Rampur,school," in files["orgs.csv"].decode()
