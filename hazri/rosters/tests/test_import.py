"""The import of the enrolment register and the HR file, through the services: the
preview says what will be created, changed, ended and refused; confirming writes it,
one transaction per school; the same file again changes nothing."""

import datetime as dt

import pytest

from hazri.audit.models import AuditEvent
from hazri.common.errors import Conflict
from hazri.org.models import Section
from hazri.people.models import Admission, Enrolment, Guardianship, Posting, Staff, Student
from hazri.rosters import selectors, services
from hazri.rosters.models import RosterJob, RosterLine
from hazri.testing.world import World

from .rosters_world import ON, upload

pytestmark = pytest.mark.django_db
DAY_BEFORE = ON - dt.timedelta(days=1)


def _lines(job: RosterJob, action: str) -> list[RosterLine]:
    return list(RosterLine.objects.filter(job=job, action=action).order_by("line", "key"))


def test_preview_lists_creates_and_ends_and_writes_nothing(world: World) -> None:
    before = (Student.objects.count(), Admission.objects.count())
    job = upload(world.ravi, "students_good.csv")
    # Ravi heads Rampur only: Khedi's rows are refused as not his (same as unknown).
    assert job.counts["create"] == 3
    assert job.counts["end"] == 5  # the world's five at Rampur are not in the file
    refused = _lines(job, "refused")
    assert [(r.line, r.column) for r in refused] == [(5, "school_code"), (6, "school_code")]
    assert "No school 23370100102 in your area." in refused[0].reason
    assert (Student.objects.count(), Admission.objects.count()) == before
    ended = _lines(job, "end")
    assert {line.name for line in ended} == {s.name for s in world.students}
    assert ended[0].changes == {"left_on": ["", DAY_BEFORE.isoformat()]}
    with pytest.raises(Conflict) as refusal:
        services.import_confirm(job=job, user=world.ravi)
    assert refusal.value.code == "refused_rows"


def test_import_writes_each_school_and_again_changes_nothing(world: World, superuser) -> None:
    job = upload(superuser, "students_good.csv")
    assert job.refused == 0 and job.schools == 2
    assert job.counts == {"create": 5, "change": 0, "end": 6, "unchanged": 0, "refused": 0}
    job = services.import_confirm(job=job, user=superuser)
    assert job.status == RosterJob.Status.DONE
    assert (job.rows_done, job.schools_done) == (5, 2)
    meena = Student.objects.get(state_id="IMP0001")
    enrolment = Enrolment.objects.get(student=meena)
    assert enrolment.section == world.section and enrolment.roll_no == 1
    assert enrolment.origin == "promoted" and enrolment.starts_on == world.year.starts_on
    farida = Enrolment.objects.get(student__state_id="IMP0003")
    assert farida.origin == "new" and farida.starts_on == dt.date(2026, 7, 1)
    assert Guardianship.objects.filter(student=meena, relation="mother").count() == 1
    gone = Admission.objects.get(student=world.students[0])
    assert gone.left_on == DAY_BEFORE and "students_good.csv" in gone.leaving_reason
    assert AuditEvent.objects.filter(action="admission.admit").count() == 5
    assert AuditEvent.objects.filter(action="admission.leave").count() == 6
    counted = (Student.objects.count(), Enrolment.objects.count(), AuditEvent.objects.count())
    again = upload(superuser, "students_good.csv")
    assert again.counts == {"create": 0, "change": 0, "end": 0, "unchanged": 5, "refused": 0}
    again = services.import_confirm(job=again, user=superuser)
    assert again.status == RosterJob.Status.DONE
    # Only the confirmation itself is recorded.
    assert (Student.objects.count(), Enrolment.objects.count()) == counted[:2]
    assert AuditEvent.objects.count() == counted[2] + 1


def test_xlsx_and_a_state_layout_read_as_the_csv(world: World, superuser) -> None:
    from hazri.rosters.tests.make_files import STATE_MAPPING

    csv_job = upload(superuser, "students_good.csv")
    xlsx_job = upload(superuser, "students_good.xlsx")
    mapping = services.mapping_save(
        user=superuser,
        unit=world.state,
        name="MP Samagra",
        kind="students",
        columns=STATE_MAPPING,
        date_formats=["DD/MM/YYYY"],
    )
    state_job = upload(superuser, "students_state.csv", mapping=mapping)
    assert csv_job.counts == xlsx_job.counts == state_job.counts
    services.import_confirm(job=state_job, user=superuser)
    meena = Student.objects.get(state_id="IMP0001")
    assert meena.date_of_birth == dt.date(2016, 2, 3)


def test_changes_say_old_and_new_and_keep_history(world: World, superuser) -> None:
    services.import_confirm(job=upload(superuser, "students_good.csv"), user=superuser)
    b = Section.objects.create(school=world.school, academic_year=world.year, grade=5, name="B")
    meena = Student.objects.get(state_id="IMP0001")
    from hazri.rosters.tests.make_files import HEADER, STUDENTS, _csv

    rows = [list(r) for r in STUDENTS]
    rows[0][HEADER.index("name")] = "Meena Kumari Sharma"
    rows[0][HEADER.index("section")] = "B"
    from hazri.common.files import Upload

    job = services.import_upload(
        user=superuser,
        kind="students",
        upload=Upload("changed.csv", _csv(HEADER, rows).encode()),
        on=dt.date(2026, 11, 20),
    )
    assert job.counts["change"] == 1 and job.counts["unchanged"] == 4
    (line,) = _lines(job, "change")
    assert line.changes == {
        "name": ["Meena Kumari", "Meena Kumari Sharma"],
        "section": ["5 A", "5 B"],
    }
    services.import_confirm(job=job, user=superuser)
    meena.refresh_from_db()
    assert meena.name == "Meena Kumari Sharma"
    spans = list(Enrolment.objects.filter(student=meena).order_by("starts_on"))
    assert [(e.section_id, e.ends_on) for e in spans] == [
        (world.section.pk, dt.date(2026, 11, 19)),
        (b.pk, None),
    ]
    event = AuditEvent.objects.get(action="student.update", object_id=str(meena.pk))
    assert event.detail["changes"] == {"name": ["Meena Kumari", "Meena Kumari Sharma"]}
    assert event.user == superuser and "changed.csv" in event.detail["why"]


def test_staff_file_posts_changes_and_ends(world: World, superuser) -> None:
    job = upload(superuser, "staff_good.csv", kind="staff")
    # Ravi's phone and name change, Kavita is new; the other staff are as they were.
    assert job.counts["create"] == 1 and job.refused == 0
    changed = {line.key: line.changes for line in _lines(job, "change")}
    assert changed["EMP001"]["phone"] == ["", "+919800000011"]
    services.import_confirm(job=job, user=superuser)
    kavita = Staff.objects.get(employee_code="EMP101")
    posting = Posting.objects.get(staff=kavita)
    assert (posting.school, posting.role, posting.starts_on) == (
        world.school,
        "teacher",
        dt.date(2026, 8, 1),
    )
    again = upload(superuser, "staff_good.csv", kind="staff")
    assert again.counts["unchanged"] == 4 and again.counts["create"] == 0


def test_jobs_are_seen_by_who_reaches_their_schools(world: World, superuser) -> None:
    job = upload(superuser, "students_good.csv")
    assert selectors.job_visible(superuser, job.pk) == job
    from hazri.common.errors import NotFound

    with pytest.raises(NotFound):
        selectors.job_visible(world.ravi, job.pk)  # Khedi is not his
    own = upload(world.ravi, "students_good.csv")
    assert selectors.job_visible(world.ravi, own.pk) == own
    with pytest.raises(NotFound):
        selectors.job_visible(world.asha, own.pk)  # a teacher does not import
