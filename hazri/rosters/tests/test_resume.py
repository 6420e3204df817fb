"""One transaction per school: a school that fails is left untouched while the others
are written, and a job stopped mid-way (the process killed) resumes from the schools
not done, without writing any school twice."""

import pytest

from hazri.people.models import Enrolment, Student
from hazri.people.services import register
from hazri.rosters import services
from hazri.rosters.models import RosterJob, RosterJobSchool
from hazri.testing.world import World

from .rosters_world import upload

pytestmark = pytest.mark.django_db


def _failing_at(monkeypatch: pytest.MonkeyPatch, school_id: int, error: BaseException) -> None:
    real = register.register_sync.nested

    def sync(**kwargs: object) -> object:
        result = real(**kwargs)  # written, then the failure: all of it must roll back
        if kwargs["school"].pk == school_id:  # type: ignore[attr-defined]
            raise error
        return result

    monkeypatch.setattr(register.register_sync, "nested", sync)


def test_a_failing_school_rolls_back_alone(
    world: World, superuser: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hazri.common.errors import Conflict

    job = upload(superuser, "students_good.csv")
    _failing_at(monkeypatch, world.other_school.pk, Conflict("the disk is full", code="x"))
    job = services.import_confirm(job=job, user=superuser)
    assert job.status == RosterJob.Status.FAILED
    parts = {p.school_id: p for p in job.parts.all()}
    assert parts[world.school.pk].status == "done"
    assert parts[world.other_school.pk].status == "failed"
    assert parts[world.other_school.pk].error == "the disk is full"
    assert Student.objects.filter(state_id__in=["IMP0001", "IMP0002", "IMP0003"]).count() == 3
    assert not Student.objects.filter(state_id__in=["IMP0004", "IMP0005"]).exists()
    assert Enrolment.objects.filter(school=world.other_school, ends_on__isnull=True).count() == 1
    assert (job.rows_done, job.schools_done) == (3, 1)


def test_a_killed_job_resumes_from_the_schools_not_done(
    world: World, superuser: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = upload(superuser, "students_good.csv")
    _failing_at(monkeypatch, world.other_school.pk, KeyboardInterrupt())  # killed mid-school
    with pytest.raises(KeyboardInterrupt):
        services.import_confirm(job=job, user=superuser)
    job.refresh_from_db()
    assert job.status == RosterJob.Status.RUNNING and job.schools_done == 1
    assert RosterJobSchool.objects.get(job=job, school=world.other_school).status == "pending"
    monkeypatch.undo()
    job = services.import_resume(job=job, user=superuser)
    assert job.status == RosterJob.Status.DONE and (job.rows_done, job.schools_done) == (5, 2)
    for state_id in ["IMP0001", "IMP0002", "IMP0003", "IMP0004", "IMP0005"]:
        assert Enrolment.objects.filter(student__state_id=state_id).count() == 1
    with pytest.raises(Exception, match="Only a stopped import"):
        services.import_resume(job=job, user=superuser)
