"""The list commands stream: the same bytes as the in-memory lists they replaced, a table laid out
exactly as tabulate lays it out, and a number of SQL statements that does not grow with the rows.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from portefolje.cli import output
from statements import traced

TRICKY = [
    {"code": "  padded  ", "title": "æøå — 😀 wide", "n": 1_234_567, "x": None, "flag": True},
    {"code": "B", "title": "tab\there\x1b[31m red", "n": -5, "x": 2.5, "flag": False},
    {"code": "C", "title": "x" * 80, "n": 0, "x": 1.0, "flag": 1},
    {"code": "", "title": "", "n": None, "x": None, "flag": None},
]
COLUMNS: list[output.Column] = [
    ("code", "col.code"),
    ("title", "col.title"),
    ("n", "col.amount_kr", output.kroner),
    ("x", "col.price_level"),
    ("flag", "col.code"),
    ("missing", "col.note"),
]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_table_is_laid_out_as_tabulate_lays_it_out(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cells stripped, widths from the widest cell or the header plus two, no trailing blanks;
    bools and floats equal to an int keep their own text (the memo is keyed by type too)."""
    from tabulate import tabulate

    from portefolje.i18n import msg, set_language

    set_language(lang)
    try:
        rows = TRICKY * 3
        output.emit_table(iter(rows), COLUMNS)
        names = [msg(c[1]) for c in COLUMNS]
        body = [
            [
                output.printable(c[2](r.get(c[0])))
                if len(c) == 3
                else output._cell(r.get(c[0]), c[0])
                for c in COLUMNS
            ]
            for r in rows
        ]
    finally:
        set_language(None)
    expected = tabulate(body, names, tablefmt="simple", disable_numparse=True) + "\n"
    assert capsys.readouterr().out == expected
    assert "1.0" in expected or "1,0" in expected  # the float 1.0 is not shown as the int 1


def test_a_table_longer_than_the_spool_in_memory_is_the_same(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [{"code": f"C{i}", "title": "t" * (i % 70)} for i in range(3000)]
    output.emit_table(rows, COLUMNS[:2])
    in_memory = capsys.readouterr().out
    monkeypatch.setattr(output, "_SPOOL_BYTES", 1000)  # rolls over to a file on disk
    output.emit_table(iter(rows), COLUMNS[:2])
    assert capsys.readouterr().out == in_memory
    assert in_memory.count("\n") == 3002


def _savings(cli: Cli) -> None:
    notes = ['quote " and \\ back', "line\nbreak\ttab", "æøå 😀 \u2028", None]
    for i, note in enumerate(notes):
        args = ["--note", note] if note else []
        cli(
            "saving", "add", "--project", "P1", "--amount", f"{(i + 1) * 1000}",
            "--year", "2020", "--department", "SF", "--fte", "17,5", *args,
        )  # fmt: skip
    cli("saving", "add", "--project", "P1", "--amount", "5", "--from-year", "2021")


def test_saving_list_json_is_the_bytes_of_the_list_it_streams(register: Cli) -> None:
    """Rows encoded by SQLite read exactly as Python's compact encoder writes the same rows,
    an fte SQLite would print differently (16 digits) included."""
    from portefolje.store import economics
    from portefolje.store.connection import open_db

    cli = register
    _savings(cli)
    with sqlite3.connect(cli.db) as raw:  # a value the CLI refuses but a document may carry
        raw.execute("UPDATE saving_version SET fte = 100000000000000.5 WHERE saving_id = 2")
    conn = open_db(cli.db)
    rows = economics.savings(conn)
    conn.close()
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    expected = "[\n" + ",\n".join(encode(r) for r in rows) + "\n]\n"
    assert len(rows) == 5 and rows[1]["fte"] == 100000000000000.5
    assert cli("saving", "list", "--json").stdout == expected
    assert cli("saving", "list", "--json", "--as-of", "2000-01-01").stdout == "[]\n"


def test_saving_list_table_shows_the_rows_of_the_json(register: Cli) -> None:
    cli = register
    _savings(cli)
    lines = cli("saving", "list").stdout.splitlines()
    assert len(lines) == 2 + 5
    assert lines[0].split() == [
        "Code", "Project", "Dept.", "Area", "Year", "Stage", "Estimate", "(kr.)",
        "Realised", "(kr.)", "p/l", "Note",
    ]  # fmt: skip
    assert "line\\nbreak\\ttab" in lines[3]
    assert lines[-1].split() == ["SV5", "P1", "service", "2021→", "estimated", "5"]


def test_project_list_json_is_the_bytes_of_the_projects_it_streams(register: Cli) -> None:
    """Departments and health nested by SQLite read as `projects` nests them (dimensions in
    name order, the latest of a day winning, the same day broken by the later entry), on any
    day and with every filter."""
    from datetime import date

    from portefolje.store import queries
    from portefolje.store.connection import open_db

    c = register
    c("project", "health", "P1", "green", "--comment", 'Planen "holder"', "--date", "2019-01-01")
    c("project", "health", "P1", "red", "--dimension", "schedule", "--date", "2019-03-01")
    c("project", "health", "P1", "yellow", "--dimension", "cost", "--date", "2019-03-01")
    c("project", "health", "P1", "red", "--dimension", "cost", "--date", "2019-03-01")
    c("project", "health", "P2", "yellow", "--date", "2019-04-01")
    c("project", "pause", "P2", "--reason", "Afventer\tbudget", "--date", "2019-05-01")
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    cases: list[tuple[list[str], dict[str, Any]]] = [
        ([], {}),
        (["--as-of", "2019-03-15"], {"as_of": date(2019, 3, 15)}),
        (["--as-of", "2017-01-01"], {"as_of": date(2017, 1, 1)}),
        (["--status", "paused"], {"status": "paused"}),
        (["--portfolio", "FOM", "--segment", "S1"], {"portfolio": "FOM", "segment": "S1"}),
    ]
    for args, filters in cases:
        conn = open_db(c.db)
        rows = queries.projects(conn, **filters)
        conn.close()
        expected = "[\n" + ",\n".join(encode(r) for r in rows) + "\n]\n" if rows else "[]\n"
        assert c("project", "list", "--json", *args).stdout == expected, args
    assert '"cost":{"color":"red"' in c("project", "list", "--json").stdout


def _counted_statements(monkeypatch: pytest.MonkeyPatch, db: Path, args: list[str]) -> int:
    with traced(monkeypatch) as seen:
        Cli(db)("--db", str(db), *args)
    return len(seen)


LISTS = [
    ["project", "list"],
    ["project", "list", "--json"],
    ["saving", "list"],
    ["saving", "list", "--json"],
    ["saving", "list", "--portfolio", "PF1", "--stage", "documented"],
    ["milestone", "list", "--json"],
]


def test_lists_run_the_same_number_of_statements_at_s_and_m(
    monkeypatch: pytest.MonkeyPatch, s_and_m: dict[str, Path]
) -> None:
    """No statement per listed row: each list runs as many statements at M (500 projects,
    20,000 savings lines) as at S (50 projects)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import BASE  # type: ignore[import-not-found]

    monkeypatch.setenv("PORTEFOLJE_TODAY", BASE.isoformat())
    counts: dict[str, list[int]] = {}
    for db in s_and_m.values():
        for args in LISTS:
            counts.setdefault(" ".join(args), []).append(_counted_statements(monkeypatch, db, args))
    for label, (at_s, at_m) in counts.items():
        assert at_s == at_m, f"{label}: {at_s} statements at S, {at_m} at M"
        assert 0 < at_s < 40, f"{label}: {at_s} statements"
