"""bench/rosters.py keeps working: three schools of ten, in this process, on the test
database, writing its JSON to a temporary folder."""

import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "rosters.py"


@pytest.mark.django_db
def test_the_rosters_benchmark_runs_on_a_small_state(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_rosters", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "rosters.json"
    bench.main(["--schools", "3", "--students", "10", "--out", str(out)])
    report = json.loads(out.read_text())["import"]
    assert report["first"]["counts"]["create"] == 30
    assert report["written"] == {
        "students": 30,
        "admissions": 30,
        "enrolments": 30,
        "guardianships": 30,
    }
    assert report["again"]["counts"] == {
        "create": 0,
        "change": 0,
        "end": 0,
        "unchanged": 30,
        "refused": 0,
    }
