"""Start-up stays light: the hot commands import none of the heavy libraries.

Not a timing test (timings live in bench/): it checks the structure that makes start-up fast, in
a fresh interpreter, so an eager import added anywhere on the path fails here.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Cli

HEAVY = (
    "pydantic",
    "pendulum",
    "tabulate",
    "jinja2",
    "openpyxl",
    "xlsxwriter",
    "rich",
    "sqlite_utils",
    "platformdirs",
)

PROBE = """
import json, sys
args, watched = json.loads(sys.argv[1]), json.loads(sys.argv[2])
from portefolje.cli import main
sys.argv = ["portefolje", *args]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in watched if m in sys.modules)), file=sys.stderr)
"""


def _loaded(args: list[str], watched: tuple[str, ...] = HEAVY) -> list[str]:
    """Which of `watched` a fresh interpreter has imported after running the command."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(watched)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_version_imports_nothing_heavy() -> None:
    assert _loaded(["--version"]) == []


@pytest.mark.parametrize(
    "args",
    [
        ["project", "list", "--json"],
        ["project", "show", "P1", "--json"],
        ["portfolio", "list", "--json"],
    ],
)
def test_reading_as_json_imports_nothing_heavy(register: Cli, args: list[str]) -> None:
    assert _loaded(["--db", str(register.db), *args]) == []


def test_only_the_invoked_noun_is_loaded(register: Cli) -> None:
    others = ("portefolje.cli.entities", "portefolje.cli.transfer", "portefolje.cli.demo")
    assert _loaded(["--db", str(register.db), "project", "list", "--json"], others) == []


def _statements(db: Path, build: Callable[[sqlite3.Connection], object]) -> int:
    from portefolje.store.connection import open_db

    conn = open_db(db)
    count = 0

    def trace(_statement: str) -> None:
        nonlocal count
        count += 1

    conn.set_trace_callback(trace)
    build(conn)
    conn.close()
    return count


@pytest.mark.parametrize("report", ["status", "savings", "status-portfolio"])
def test_reports_run_a_bounded_number_of_queries(tmp_path: Path, report: str) -> None:
    """The same number of SQL statements at S (50 projects) and M (500): no query per record."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from datetime import date

    from generate import generate  # type: ignore[import-not-found]

    from portefolje.reports import savings, status

    builders = {
        "status": lambda c: status.build(
            c, portfolio=None, as_of=date(2021, 6, 1), since=None, lang="da"
        ),
        "savings": lambda c: savings.build(
            c,
            portfolio=None,
            from_year=2021,
            years=4,
            price_level=None,
            horizon=20,
            lang="da",
            as_of=date(2021, 6, 1),
        ),
        # one portfolio, with the generated rows' changes inside the window: they are read
        # with a fixed number of statements and summarised, never one query per change
        "status-portfolio": lambda c: status.build(
            c, portfolio="PF1", as_of=date(2021, 6, 1), since=date(2016, 1, 1), lang="da"
        ),
    }
    counts = []
    for scale in ("S", "M"):
        db = tmp_path / f"{scale}.db"
        generate(db, scale, seed=7)
        counts.append(_statements(db, builders[report]))
    assert counts[0] == counts[1], f"{report}: {counts[0]} statements at S, {counts[1]} at M"
    assert counts[0] < 90
