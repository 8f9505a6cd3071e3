"""Every test gets its own database file in tmp_path (PORTEFOLJE_DB) and a fixed 'today'.

`cli` runs the real Typer app in-process against that real SQLite file; nothing is mocked.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from portefolje.cli import app

TODAY = "2019-06-05"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTEFOLJE_DB", str(tmp_path / "portefolje.db"))
    monkeypatch.setenv("PORTEFOLJE_TODAY", TODAY)
    # the tests written against the English wording run in English; tests/test_danish.py
    # removes this to check the Danish default
    monkeypatch.setenv("PORTEFOLJE_LANG", "en")
    monkeypatch.delenv("PORTEFOLJE_JOURNAL_MODE", raising=False)


class Cli:
    def __init__(self, db: Path):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> Any:
        result = self.runner.invoke(app, list(args), prog_name="portefolje")
        if result.exit_code != code:
            raise AssertionError(
                f"portefolje {' '.join(args)} exited {result.exit_code}, expected {code}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}\nexc: {result.exception!r}"
            )
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)

    def fails(self, *args: str, code: int = 1) -> str:
        """Run a command that must be refused; return its stderr (one line, no traceback)."""
        result = self(*args, code=code)
        assert "Traceback" not in result.stderr
        # a crash is never a refusal: the boundary prints "internal error" for a bug
        assert "internal error" not in result.stderr, result.stderr
        assert result.stdout == ""
        return result.stderr

    def snapshot_raw(self) -> tuple[tuple[Any, ...], ...]:
        """Every row of every table, read straight from the file (no portefolje code)."""
        with sqlite3.connect(self.db) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            return tuple(
                tuple(sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr))
                for t in tables
            )

    def snapshot(self) -> tuple[str, list[tuple[Any, ...]]]:
        """The export document and the journal: what must not change when a command is refused."""
        exported = self("export").stdout
        with sqlite3.connect(self.db) as conn:
            rows = conn.execute("SELECT * FROM journal ORDER BY id").fetchall()
        return exported, rows


@pytest.fixture(scope="session")
def s_and_m(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The benchmark's S and M databases (bench/generate.py, seed 7, laid out around its BASE
    day), generated once per test run for the tests that count statements at both sizes. Read
    them, or copy them before writing."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import generate  # type: ignore[import-not-found]

    folder = tmp_path_factory.mktemp("generated")
    dbs = {}
    for scale in ("S", "M"):
        dbs[scale] = folder / f"{scale}.db"
        generate(dbs[scale], scale, seed=7)
    return dbs


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    c = Cli(tmp_path / "portefolje.db")
    c("init")
    return c


@pytest.fixture
def register(cli: Cli) -> Cli:
    """A small Albertslund-like register: one portfolio, three departments, two segments."""
    cli("portfolio", "add", "Fælles om målet", "--code", "FOM", "--owner", "Direktørforum")
    cli("department", "add", "Social & Familie", "--code", "SF")
    cli("department", "add", "Borger & Arbejdsmarked", "--code", "BA")
    cli("department", "add", "Sundhed, Pleje & Omsorg", "--code", "SPO")
    cli(
        "segment",
        "add",
        "Borgere der modtager misbrugsbehandling",
        "--portfolio",
        "FOM",
        "--category",
        "flere-indsatser",
    )
    cli(
        "segment",
        "add",
        "Borgere der modtager hjemløseindsats",
        "--portfolio",
        "FOM",
        "--population",
        "29",
    )
    cli(
        "project",
        "add",
        "Rusmidler og job",
        "--segment",
        "S1",
        "--department",
        "SF",
        "--department",
        "BA",
        "--start",
        "1/5 2017",
        "--phase",
        "udvikling",
    )
    cli(
        "project",
        "add",
        "Fra forsorgshjem til egen bolig",
        "--segment",
        "S2",
        "--start",
        "2017-05-01",
    )
    return cli


Run = Callable[..., Any]


# -- figures for docs/reliability.md ---------------------------------------------------------------
# Reliability tests call record(...) with what they tried and what survived; with
# PORTEFOLJE_RELIABILITY_OUT set, the figures are written there at the end of the run and
# tests/reliability_report.py renders them into docs/reliability.md.
FIGURES: list[dict[str, Any]] = []


@pytest.fixture
def record() -> Callable[..., None]:
    def add(area: str, what: str, **figures: Any) -> None:
        FIGURES.append({"area": area, "what": what, **figures})

    return add


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    import os

    out = os.environ.get("PORTEFOLJE_RELIABILITY_OUT")
    if out and FIGURES:
        Path(out).write_text(json.dumps(FIGURES, ensure_ascii=False, indent=2), encoding="utf-8")
