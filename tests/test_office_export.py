"""The export streamed: the same document as the store's builder, a workbook in constant memory,
and text too long for an Excel cell refused by name rather than cut."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl

from conftest import Cli
from portefolje.store.transfer import export_document


def test_streamed_json_is_the_export_document(register: Cli, tmp_path: Path) -> None:
    register("project", "pause", "P2", "--reason", "Afventer", "--date", "2018-03-01")
    register("milestone", "add", "Plan", "--project", "P1", "--due", "2019-03-01")
    register("milestone", "move", "M1", "--due", "2019-04-01", "--reason", "Sygdom")
    register("milestone", "move", "M1", "--due", "2019-05-01", "--reason", "Ferie")
    register("saving", "add", "--project", "P2", "--amount", "-333", "--year", "2019")
    out = register("export").stdout
    with sqlite3.connect(register.db) as conn:
        assert json.loads(out) == export_document(conn)
    assert out.count("\n") > 10  # one record per line, not one long line
    assert ": " not in out.splitlines()[2]  # compact separators


def test_xlsx_export_refuses_text_longer_than_a_cell(register: Cli, tmp_path: Path) -> None:
    long = "Baggrund. " * 3_300  # 33,000 characters
    register("project", "edit", "P2", "--purpose", long)
    target = tmp_path / "alt.xlsx"
    message = register.fails("export", "--format", "xlsx", "--out", str(target))
    assert "projects P2, field 'purpose'" in message and "32,767" in message
    assert not target.exists() and not list(tmp_path.glob(".*tmp"))
    assert json.loads(register("export").stdout)["projects"][1]["purpose"] == long


def test_xlsx_export_streams_every_sheet(register: Cli, tmp_path: Path) -> None:
    for n in range(30):
        register("milestone", "add", f"Milepæl {n}", "--project", "P1", "--due", "2019-03-01")
    register("milestone", "move", "M7", "--due", "2019-04-01", "--reason", "Sygdom")
    target = tmp_path / "alt.xlsx"
    register("export", "--format", "xlsx", "--out", str(target))
    book = openpyxl.load_workbook(target, read_only=True)
    rows = list(book["milestones"].iter_rows(values_only=True))
    assert len(rows) == 31 and rows[0][0] == "code" and rows[8][0] == "M8"
    moves = list(book["milestones_moves"].iter_rows(values_only=True))
    assert moves[1][0] == "M7" and moves[1][-1] == "Sygdom"
