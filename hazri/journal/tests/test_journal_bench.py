"""bench/journal.py keeps working: a four-school district in this process, on the test
database, writing its JSON to a temporary folder."""

import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "journal.py"


@pytest.mark.django_db
def test_the_journal_benchmark_runs_on_a_small_district(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_journal", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "journal.json"
    bench.main(["--schools", "4", "--students", "400", "--runs", "1", "--out", str(out)])

    report = json.loads(out.read_text())
    data = report["data"]
    assert report["settings"]["schools"] == 4
    assert data["grades"] == data["students"] * data["subjects"] * 15
    assert data["lessons"] > 0 and data["homework"] > 0 and data["roll_calls"] > 0
    for page in ("journal_class", "diary_week"):
        found = report["pages"][page]
        assert found["queries"] == found["queries_small"] > 0, page
        assert found["median_ms"] > 0
