"""Hand-written SQL names its own app's tables, and never a table of an app above it.

The apps' layers (pyproject.toml's import-linter contract, docs/development.md) hold for
SQL too: a lower app that needs work from above goes through a seam
(hazri.attendance.seams), not through another app's table. A few hot reads of the
offline sync and the dashboards join the tables of apps below them in one statement,
for speed; they are listed here by file, so a new one is a decision, not an accident.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LAYERS = [
    "common",
    "audit",
    "org",
    "people",
    "accounts",
    "attendance",
    ("registers", "sync"),
    "dashboards",
    "demo",
]
TABLE = re.compile(
    r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(org|people|accounts|attendance|registers|sync|dashboards|audit)_[a-z]+\b",
    re.IGNORECASE,
)
# Reads of lower apps' tables on hot paths, each a single statement measured in bench/.
DOWNWARD_READS = {
    # The offline pull: every sync of the teacher app (docs/sync.md).
    "hazri/sync/selectors.py": {"accounts", "attendance", "org", "people"},
    # The school-day recount, in every roll-call submit's transaction.
    "hazri/dashboards/services.py": {"attendance"},
    # A posting's school's time zone, read with the posting on every submit.
    "hazri/people/selectors.py": {"org"},
}


def _rank(app: str) -> int:
    for index, layer in enumerate(LAYERS):
        if app == layer or (isinstance(layer, tuple) and app in layer):
            return index
    raise AssertionError(f"{app} is not in LAYERS")


def _tables_named(path: Path) -> set[str]:
    apps: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            apps.update(match.group(1) for match in TABLE.finditer(node.value))
    return apps


def _app_code() -> list[Path]:
    return [
        path
        for path in sorted((ROOT / "hazri").rglob("*.py"))
        if not {"tests", "migrations", "testing"} & set(path.parts)
    ]


def test_sql_names_only_its_own_tables_or_listed_reads_below() -> None:
    wrong = []
    for path in _app_code():
        relative = path.relative_to(ROOT).as_posix()
        app = relative.split("/")[1]
        if app not in {
            a for layer in LAYERS for a in (layer if isinstance(layer, tuple) else (layer,))
        }:
            continue
        for other in _tables_named(path) - {app}:
            upward = _rank(other) >= _rank(app)
            if upward or other not in DOWNWARD_READS.get(relative, set()):
                wrong.append(f"{relative} names {other}_* in its SQL")
    assert wrong == []


def test_the_check_finds_a_table_of_an_app_above(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('Q = "SELECT 1 FROM registers_monthcertification WHERE school_id = %s"\n')
    assert _tables_named(sample) == {"registers"}
    assert _rank("registers") > _rank("attendance")
