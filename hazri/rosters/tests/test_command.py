"""`hazri import-roster`: the preview printed, the import with a progress bar, refused
files stop before anything is written, and `--resume` finishes a stopped job."""

import io

import pytest
from django.core.management import CommandError, call_command

from hazri.people.models import Student
from hazri.rosters.models import RosterJob, RosterJobSchool
from hazri.testing.world import World

from .rosters_world import DATA, ON

pytestmark = pytest.mark.django_db


def _call(*args: str) -> str:
    out = io.StringIO()
    call_command("import_roster", *args, "--on", ON.isoformat(), stdout=out)
    return out.getvalue()


def test_the_command_prints_the_preview_and_imports(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _call("students", str(DATA / "students_good.csv"), "--yes")
    assert "5 rows of students_good.csv for 2 schools" in out
    assert "create: 5  change: 0  end: 6  unchanged: 0  refused: 0" in out
    assert "23370100101 GPS Rampur: create 3, end 5" in out
    assert "Done." in out and f"[{'#' * 40}] 5/5 rows, 2/2 schools" in out
    assert "3/5 rows, 1/2 schools" in capsys.readouterr().out  # the bar after one school
    assert Student.objects.filter(state_id__startswith="IMP").count() == 5


def test_a_refused_file_stops_before_writing(world: World) -> None:
    with pytest.raises(CommandError, match="1 rows are refused"):
        _call("students", str(DATA / "students_bad_date.csv"), "--yes")
    with pytest.raises(CommandError, match="Line 4 is not UTF-8"):
        _call("students", str(DATA / "students_latin1.csv"), "--yes")
    assert not Student.objects.filter(state_id__startswith="IMP").exists()


def test_the_head_imports_only_their_school(world: World) -> None:
    with pytest.raises(CommandError, match="2 rows are refused"):
        _call("students", str(DATA / "students_good.csv"), "--user", "ravi", "--yes")


def test_resume_finishes_a_stopped_job(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    out = _call("students", str(DATA / "students_good.csv"))
    assert "Not imported." in out
    job = RosterJob.objects.get()
    RosterJob.objects.filter(pk=job.pk).update(status="running")  # as a killed run leaves it
    out = _call("--resume", str(job.pk))
    assert "Done." in out
    assert set(RosterJobSchool.objects.values_list("status", flat=True)) == {"done"}
    with pytest.raises(CommandError, match="Only a stopped import"):
        _call("--resume", str(job.pk))
