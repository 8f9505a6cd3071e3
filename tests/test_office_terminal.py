"""Terminal safety and compact JSON: stored control characters and escape sequences are shown
escaped in tables, records and text reports, never obeyed; JSON carries them as JSON escapes."""

from __future__ import annotations

import json
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "\x1b]0;pwned\x07\x1b[31mRød\x1b[0m\rOK\u202eevil\x00"


def plant(cli: Cli) -> None:
    """Text as it may already be stored (from before any guard), written straight to the file."""
    with sqlite3.connect(cli.db) as conn:
        conn.execute(
            "UPDATE project SET title = ?, leader = ? WHERE code = 'P1'", (HOSTILE, HOSTILE)
        )


def raw_controls(text: str) -> list[str]:
    return [ch for ch in text if (ord(ch) < 32 and ch != "\n") or ch in "\x7f\u202e"]


def test_tables_records_and_text_reports_show_controls_escaped(register: Cli) -> None:
    plant(register)
    for args in (
        ("project", "list"),
        ("project", "show", "P1"),
        ("report", "status", "--as-of", "2019-06-05"),
        ("report", "status", "--as-of", "2019-06-05", "--format", "md"),
    ):
        out = register(*args).stdout
        assert raw_controls(out) == [], (args, out)
        assert "\\x1b" in out and "mR" in out, (args, out)
    shown = register("project", "show", "P1").stdout
    assert "\\x1b]0;pwned\\x07" in shown and "\\rOK\\u202eevil\\x00" in shown


def test_json_keeps_the_text_exactly(register: Cli) -> None:
    plant(register)
    out = register("project", "show", "P1", "--json").stdout
    assert raw_controls(out) == [] or "\u202e" in out  # JSON escapes C0 controls itself
    assert json.loads(out)["title"] == HOSTILE


def test_list_json_is_compact_and_streamed_one_item_per_line(register: Cli) -> None:
    for year in range(2017, 2027):
        register("saving", "add", "--project", "P1", "--amount", "1 mio", "--year", str(year))
    out = register("saving", "list", "--json").stdout
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 12
    assert all(line.startswith("{") for line in lines[1:-1])
    assert ", " not in lines[1] and '": ' not in lines[1]
    assert [s["year"] for s in json.loads(out)] == list(range(2017, 2027))
    assert register("milestone", "list", "--json").stdout == "[]\n"


def test_a_reader_that_stops_early_ends_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import BASE, generate  # type: ignore[import-not-found]

    monkeypatch.setenv("PORTEFOLJE_TODAY", BASE.isoformat())  # the generated savings take effect

    db = tmp_path / "s.db"
    generate(db, "S", seed=2)
    for args in (
        ["saving", "list", "--json"],
        ["saving", "list"],
        ["export"],
        ["report", "status", "--as-of", "2019-06-05", "--format", "html"],
    ):
        shell = (
            f"{shlex.quote(sys.executable)} -m portefolje --db {shlex.quote(str(db))} "
            f"{shlex.join(args)} | head -c 100 > /dev/null; echo ${{PIPESTATUS[0]}}"
        )
        done = subprocess.run(
            ["bash", "-c", shell], capture_output=True, text=True, timeout=120, check=True
        )
        assert done.stderr == "", (args, done.stderr)
        assert done.stdout.strip() in ("141", "0"), (args, done.stdout)
