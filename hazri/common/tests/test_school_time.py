"""School time everywhere: no app code asks the server's clock for "today".

A school's today is its own (`org.selectors.school_today`, `school_now`), an area's is
its schools' (`unit_today`), the whole tree's is `tree_today`. The server's zone
(`TIME_ZONE`) is nobody's school day, so the calls below are refused in app code. A
lint rule cannot say this (ruff's banned-api bans imports, not method calls), so this
test reads the code.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCANNED = ("hazri", "config")
# Test code may freeze and read the clock as it likes.
SKIPPED_DIRS = {"tests", "migrations", "testing"}
ALLOWED: set[str] = set()


def _name(node: ast.expr) -> str:
    """`dt.date.today` -> "dt.date.today"; anything else that is called -> "?"."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{_name(node.func)}()"
    return "?"


def naive_today(tree: ast.AST) -> list[tuple[int, str]]:
    """The calls that judge "today" or "now" by the server's zone, with their lines."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        last = name.rsplit(".", 1)[-1]
        # timezone.localdate(), with or without an instant; date.today(); the UTC date of
        # timezone.now().date(); the server's date of localtime().date().
        bad = last == "localdate" or name.endswith(
            ("date.today", "datetime.today", ".now().date", "localtime().date")
        )
        # datetime.now() without a zone is the server's wall clock.
        bad = bad or (name.endswith("datetime.now") and not node.args and not node.keywords)
        if bad:
            found.append((node.lineno, name))
    return found


def app_modules() -> list[Path]:
    paths = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if SKIPPED_DIRS.isdisjoint(relative.parts[:-1]):
                paths.append(relative)
    return paths


def test_no_app_code_asks_the_server_for_today() -> None:
    offenders = [
        f"{path}:{line}: {call}()"
        for path in app_modules()
        if path.as_posix() not in ALLOWED
        for line, call in naive_today(ast.parse((ROOT / path).read_text(), str(path)))
    ]
    assert not offenders, "Use org.selectors.school_today / unit_today / tree_today:\n" + (
        "\n".join(offenders)
    )


def test_the_scan_reaches_the_app() -> None:
    scanned = {path.as_posix() for path in app_modules()}
    assert "hazri/dashboards/api.py" in scanned and "config/settings/base.py" in scanned
    assert not any("/tests/" in path or "/migrations/" in path for path in scanned)
    assert set(ALLOWED) <= scanned  # an allowance for a file that is gone must go too


@pytest.mark.parametrize(
    "code",
    [
        "timezone.localdate()",
        "timezone.localdate(now)",
        "localdate()",
        "date.today()",
        "dt.date.today()",
        "datetime.date.today()",
        "dt.datetime.today()",
        "dt.datetime.now()",
        "datetime.now()",
        "timezone.now().date()",
        "dt.datetime.now(dt.UTC).date()",
        "timezone.localtime().date()",
    ],
)
def test_each_naive_today_is_caught(code: str) -> None:
    assert naive_today(ast.parse(code)), code


@pytest.mark.parametrize(
    "code",
    [
        "timezone.now()",
        "dt.datetime.now(dt.UTC)",
        "dt.datetime.now(tz=IST)",
        "org.school_today(school, now)",
        "org.school_now(school).date()",
        "timezone.localtime(value)",
        "day.today_label()",
    ],
)
def test_school_time_passes(code: str) -> None:
    assert not naive_today(ast.parse(code)), code
