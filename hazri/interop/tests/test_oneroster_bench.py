"""bench/oneroster.py keeps working: a two-school state in this process, on the test
database, writing its JSON to a temporary folder."""

import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "oneroster.py"


@pytest.mark.django_db
def test_the_oneroster_benchmark_runs_on_a_small_state(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_oneroster", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "oneroster.json"
    bench.main(
        ["--students", "160", "--school-size", "80", "--import-students", "160", "--out", str(out)]
    )
    report = json.loads(out.read_text())
    assert report["data"]["students"] == 160
    figures = report["oneroster"]
    assert figures["rows"]["users.csv"] == 160 + 2 * 3 + 80  # students, staff, guardians
    assert figures["import_counts"]["students_created"] == 160
    assert figures["round_trip_differs"] == []
