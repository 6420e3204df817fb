"""OneRoster import: another producer's bundle, a delta after it, and broken bundles
refused whole with the file, line and column."""

import datetime as dt
import io
import zipfile

import pytest

from hazri.common.errors import Invalid
from hazri.interop.models import SourcedId
from hazri.interop.oneroster import bundle as bundle_module
from hazri.interop.oneroster.bundle import BundleInvalid, read_bundle
from hazri.interop.oneroster.export import export_area
from hazri.interop.oneroster.load import import_bundle
from hazri.interop.tests.oneroster_world import bundle_of, zipped
from hazri.org.models import AcademicYear, OrgUnit, School, Section
from hazri.people.models import Admission, Guardianship, Posting, Student, TeachingAssignment

pytestmark = pytest.mark.django_db
GUID_S1 = "8a0b6c2e-1d3f-4e5a-b6c7-d8e9f0a1b2c3"


def test_a_foreign_bundle_imports(db: None) -> None:
    summary = import_bundle(read_bundle(bundle_of("foreign")), by=None)
    assert summary["refused"] == []
    district = OrgUnit.objects.get(code="VID")
    assert district.kind == "district"
    school = School.objects.get(code="23380200101")
    assert school.unit == district
    # The year hangs under the bundle's top unit; the term is not a Hazri session.
    assert AcademicYear.objects.get(unit=district).name == "2026-27"
    assert summary["counts"]["sessions_skipped"] == 1
    section = Section.objects.get(school=school)
    assert (section.grade, section.name) == (6, "6A")
    assert Student.objects.filter(admissions__school=school).count() == 2
    # Optional columns absent: no state id for Meena, no demographics (marked absent).
    meena = Student.objects.get(name="Meena Ahirwar")
    assert meena.state_id is None and meena.gender == "O"
    arjun = Admission.objects.get(student__state_id="SAM9000004")
    assert arjun.left_on == dt.date(2026, 9, 30)
    assert Posting.objects.get(staff__employee_code="HR-77002").role == "head"
    assert TeachingAssignment.objects.get(staff__employee_code="HR-77001").subject is None
    # The scheduled class names no homeroom section: skipped, its student enrolment too.
    assert summary["counts"]["classes_skipped"] == 1
    link = Guardianship.objects.get(student__state_id="SAM9000001")
    assert (link.guardian.name, link.relation) == ("Ramesh Sahu", "other")
    # Their sourcedIds stay: the export sends them back under the same ids.
    assert SourcedId.objects.filter(sourced_id=GUID_S1, kind="school").exists()
    orgs = export_area(unit=OrgUnit.objects.get(code="VID"))["orgs.csv"].decode()
    assert f"{GUID_S1},,,GMS Gyaraspur,school,23380200101," in orgs


def test_a_delta_after_it(db: None) -> None:
    import_bundle(read_bundle(bundle_of("foreign")), by=None)
    summary = import_bundle(read_bundle(bundle_of("delta")), by=None)
    assert summary["refused"] == []
    assert Student.objects.get(state_id="SAM9000001").name == "Priya Sahu Raikwar"
    kiran = Student.objects.get(state_id="SAM9000008")
    assert (kiran.gender, kiran.date_of_birth) == ("F", dt.date(2014, 2, 11))
    assert kiran.enrolments.get().starts_on == dt.date(2026, 11, 2)
    rahul = Admission.objects.get(student__state_id="SAM9000002")
    assert rahul.left_on == dt.date(2026, 11, 14)
    assert summary["counts"]["admissions_ended"] == 1


def test_a_delta_names_only_what_earlier_imports_brought(db: None) -> None:
    with pytest.raises(BundleInvalid) as refused:
        read_bundle(bundle_of("delta"))
    assert all("earlier import" in p.reason for p in refused.value.problems)
    assert not Student.objects.exists()


BROKEN = {
    "missing_column": ("orgs.csv", 1, "type"),
    "unknown_reference": ("orgs.csv", 3, "parentSourcedId"),
    "bad_date": ("academicSessions.csv", 2, "startDate"),
    "bad_enum": ("orgs.csv", 2, "type"),
    "duplicate_sourcedid": ("orgs.csv", 3, "sourcedId"),
    "missing_file": ("manifest.csv", 0, "file.users"),
    "wrong_version": ("manifest.csv", 3, "oneroster.version"),
    "delta_without_status": ("orgs.csv", 2, "status"),
    "not_utf8": ("orgs.csv", 0, ""),
    "nul_byte": ("orgs.csv", 0, ""),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_bundle_is_refused_whole(db: None, case: str) -> None:
    with pytest.raises(BundleInvalid) as refused:
        read_bundle(bundle_of(f"broken/{case}"))
    problem = refused.value.problems[0]
    assert (problem.file, problem.line, problem.column) == BROKEN[case]
    assert not OrgUnit.objects.exists()


def test_a_foreign_bundle_with_one_bad_row_writes_nothing(db: None) -> None:
    files = _foreign_files()
    files["enrollments.csv"] = files["enrollments.csv"].replace(
        b"2026-04-01,\r\n", b"2026-04-31,\r\n", 1
    )
    files["enrollments.csv"] = files["enrollments.csv"].replace(
        b"2026-04-01,\n", b"2026-04-31,\n", 1
    )
    with pytest.raises(BundleInvalid) as refused:
        read_bundle(zipped(files))
    assert refused.value.problems[0].column == "beginDate"
    assert not OrgUnit.objects.exists() and not Student.objects.exists()


def _foreign_files() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle_of("foreign"))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_what_is_no_zip_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        read_bundle(b"sourcedId,name\n1,x\n")
    assert refused.value.code == "not_zip"


def test_an_oversized_upload_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle_module, "MAX_ZIP_BYTES", 1000)
    with pytest.raises(Invalid) as refused:
        read_bundle(bundle_of("foreign"))
    assert refused.value.code == "too_big"


def test_a_zip_bomb_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", b"propertyName,value\n")
        archive.writestr("users.csv", b"a" * 5_000_000)
    bomb = buffer.getvalue()
    with pytest.raises(Invalid) as refused:
        read_bundle(bomb)
    assert refused.value.code == "zip_bomb"


def test_two_children_with_one_state_id_refuse_their_school(db: None) -> None:
    """The bundle is well formed, but two new children carry the same state id: their
    school's transaction is refused whole; the other school is written."""
    files = _foreign_files()
    files["users.csv"] = files["users.csv"].replace(b"SAM9000002", b"SAM9000001")
    summary = import_bundle(read_bundle(zipped(files)), by=None)
    assert summary["counts"]["schools_refused"] == 1
    assert "SAM9000001" in summary["refused"][0]
    assert not Student.objects.filter(admissions__school__code="23380200101").exists()
    assert Student.objects.filter(admissions__school__code="23380200102").count() == 2
