"""bench/dashboard.py keeps working: run at a tiny scale (20 schools, 30 school days)
in this process, on the test database, writing its JSON to a temporary folder."""

import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "dashboard.py"


@pytest.mark.django_db
def test_the_dashboard_benchmark_runs_at_a_tiny_scale(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_dashboard", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "dashboard.json"
    argv = ["--scale", "0.0002", "--days", "30", "--rollcall-days", "5", "--runs", "1"]
    bench.main([*argv, "--explain", "1", "--budget", "1", "--out", str(out)])

    report = json.loads(out.read_text())
    sizes = report["sizes"]
    assert sizes["schools"] == 20 and sizes["school_days"] == 30
    assert sizes["schoolday_rows"] == 20 * sizes["calendar_days"]
    assert sizes["rollcalls"] > 0 and sizes["students_rows"] == sizes["students_on_roll"]
    assert report["reader_behind_days"] == 0  # the generated rollups are complete
    assert sizes["unitday_rows"] > 0 and sizes["days_with_trails"] > 0
    api = {(r["endpoint"], r["level"], r["range"]): r for r in report["results"] if r["url"]}
    for level in ("state", "district", "block", "cluster"):
        for span in ("day", "week", "month"):
            assert api[("area", level, span)]["api"]["n"] == 1
        for endpoint in (
            "compliance",
            "compliance/areas",
            "low-attendance/schools",
            "adoption",
            "meals",
        ):
            assert any(e == endpoint and lv == level for e, lv, _ in api)
    assert api[("schools/{id}", "school", "month")]["rows"] > 0  # sections with roll calls
    assert api[("low-attendance/students", "school", "30 school days")]["rows"] > 0
    # The nightly lists: counted for the sample by the production code, made for the rest.
    assert sizes["weak_student_rows"] >= sizes["weak_student_rows_counted"] > 0
    assert api[("low-attendance/students", "state", "nightly list")]["rows"] > 0
    assert api[("area", "cluster", "month")]["rows"] > 0
    every = report["results"]
    assert all(r["direct"]["p95_ms"] >= r["direct"]["p50_ms"] > 0 for r in every)
