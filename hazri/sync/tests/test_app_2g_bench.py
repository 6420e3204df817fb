"""bench/app_2g.py keeps working: run unthrottled on a two-school demo district in
its own process (it serves its own throwaway database), writing its JSON to a
temporary folder."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hazri.testing.browser import CHROMIUM

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.browser


def test_the_2g_benchmark_runs_on_a_small_district(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    out = tmp_path / "app-2g.json"
    argv = ["--profile", "none", "--schools", "2", "--students", "100", "--weeks", "1"]
    done = subprocess.run(
        [sys.executable, "bench/app_2g.py", *argv, "--as", "ravi", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a guard against a hang, not a speed check (that is bench/)
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "login to a usable today screen" in done.stdout

    report = json.loads(out.read_text())
    assert report["settings"]["profile"] == "none"
    (result,) = report["results"]
    who = result["who"]
    assert who["username"] == "ravi" and who["students"] > 0 and who["sections"] > 0
    for key in ("first_load_s", "login_to_usable_s", "later_start_s", "offline_restart_s"):
        assert 0 < result[key] < 60, key
    login = result["login_traffic"]
    assert login["by_kind"]["GET sync/pull"]["n"] >= 1
    assert login["down_body_bytes"] > 1000 and login["down_wire_bytes"] > 0
    # Every section in every meeting was marked, each pushed on its own.
    day = result["day_traffic"]
    assert result["day_roll_calls"] >= who["sections"]
    assert day["by_kind"]["POST rollcalls/batch"]["n"] == result["day_roll_calls"]
    assert day["up_body_bytes"] > 0
