"""New savings lines from a sheet are inserted behind the import (Writer.behind): SQLite writes
one chunk in a thread, from the journal's own batch text, while the next rows are checked.

What must hold: the records are exactly what was read (types and text included); a line SQLite
refuses is still named by its row, wherever its chunk is when the refusal comes back; and a
refused import leaves the file as it was, byte for byte.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import Cli
from portefolje.sheets.apply import CHUNK
from statements import traced_by_thread
from test_sheets import savings_lines, write


def test_lines_written_behind_hold_exactly_what_the_sheet_said(
    register: Cli, tmp_path: Path
) -> None:
    note = 'Skøn "ifølge" C:\\sager\\2019 – ½ år, 🙂'
    lines = [
        "Kode;Projekt;Afdeling;År;Fra år;Beløb;Stade;Årsværk;Henførbar;Linje;Bemærkning",
        f"SV1;P1;SF;2019;;-6.000;dokumenteret;1,5;80;Vikarer;{note}",
        "SV2;P2;;;2021;1.000.000;estimeret;;;;",
        "SV3;P1;BA;2020;;0;budgetlagt;0,0;100;;Ingen",
    ]
    sheet = write(tmp_path / "lines.csv", lines, "utf-8")
    assert "3 created" in register("import", str(sheet), "--kind", "savings").stderr
    with sqlite3.connect(register.db) as conn:
        rows = conn.execute(
            "SELECT s.code, v.amount, typeof(v.amount), v.fte, typeof(v.fte), v.attribution, "
            "v.name, v.note, typeof(v.note), v.year, v.from_year, v.department_id IS NULL "
            "FROM saving_version v JOIN saving s ON s.id = v.saving_id ORDER BY s.code"
        ).fetchall()
    assert rows == [
        ("SV1", -6000, "integer", 1.5, "real", 80, "Vikarer", note, "text", 2019, None, 0),
        ("SV2", 1000000, "integer", None, "null", 100, None, None, "null", None, 2021, 1),
        ("SV3", 0, "integer", 0.0, "real", 100, None, "Ingen", "text", 2020, None, 0),
    ]
    check = register.json("db", "check")
    assert check["ok"], check


@pytest.mark.parametrize("row", [17, CHUNK + 700])
def test_a_line_sqlite_refuses_is_named_by_its_row_wherever_its_chunk_is(
    register: Cli, tmp_path: Path, row: int
) -> None:
    """A trigger stands in for a rule only the database knows. Row 17 is in the first chunk,
    refused while the second is being checked; the other is in the last, refused at the end."""
    with sqlite3.connect(register.db) as conn:
        conn.execute(
            "CREATE TRIGGER refuse_marked BEFORE INSERT ON saving_version "
            "WHEN NEW.note = 'afvises' BEGIN SELECT RAISE(ABORT, 'afvist af testen'); END"
        )
    before = register.snapshot_raw()
    lines = savings_lines(CHUNK + 1000, note={row: "afvises"})
    sheet = write(tmp_path / "savings.csv", lines, "cp1252")
    err = register.fails("import", str(sheet), "--kind", "savings")
    assert f"row {row}" in err and "afvist af testen" in err, err
    assert "internal error" not in err
    assert register.snapshot_raw() == before


def test_the_lines_go_in_on_a_thread_of_their_own_from_the_journals_own_text(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the README says: SQLite inserts each chunk in a thread of its own, from the text
    of the journal's batch rows (so the journal holds exactly what was written)."""
    sheet = write(tmp_path / "savings.csv", savings_lines(CHUNK + 10), "cp1252")
    with traced_by_thread(monkeypatch) as seen:
        assert f"{CHUNK + 10} created" in register("import", str(sheet), "--kind", "savings").stderr
    inserts = [(t, s) for t, s in seen if s.startswith("INSERT INTO saving_version (")]
    assert len(inserts) == 2  # one per chunk
    assert {t for t, _ in inserts} == {"portefolje-insert"}
    assert all(t == "MainThread" for t, s in seen if s.startswith("INSERT INTO journal"))
    with sqlite3.connect(register.db) as conn:
        batches = [
            r[0]
            for r in conn.execute(
                "SELECT after FROM journal WHERE entity = 'saving_version' AND batch IS NOT NULL"
            )
        ]
    assert len(batches) == 6  # 5,010 lines: five full batch rows and one of ten
    statements = "".join(s for _, s in inserts)
    assert all(text in statements for text in batches)


def test_a_code_the_import_already_generated_higher_up_is_refused_by_name(
    register: Cli, tmp_path: Path
) -> None:
    """A sheet is read once: the lines without a code in the first chunk get SV1 … before a
    row further down gives SV10 for a new line of its own. That row is named, with why, and
    nothing is written."""
    rows = ["Kode;Projekt;År;Beløb;Linje"]
    rows += [f";P{n % 2 + 1};2020;1.000;Linje {n}" for n in range(CHUNK)]  # rows 2 … CHUNK + 1
    rows += ["SV10;P1;2021;2.000;Egen kode", "SV20000;P2;2021;3.000;Også egen"]
    before = register.snapshot_raw()
    sheet = write(tmp_path / "savings.csv", rows, "cp1252")
    err = register.fails("import", str(sheet), "--kind", "savings")
    assert f"row {CHUNK + 2}" in err and "already gave code SV10" in err, err
    assert err.count("row ") == 1, err
    assert register.snapshot_raw() == before


def test_without_a_lock_per_connection_the_lines_go_in_on_the_main_thread(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SQLite built without its serialized mode (sqlite3.threadsafety below 3) may not be
    used from two threads at all: the chunk is then inserted where the import runs."""
    monkeypatch.setattr(sqlite3, "threadsafety", 1)
    sheet = write(tmp_path / "savings.csv", savings_lines(40), "cp1252")
    with traced_by_thread(monkeypatch) as seen:
        assert "40 created" in register("import", str(sheet), "--kind", "savings").stderr
    inserts = [t for t, s in seen if s.startswith("INSERT INTO saving_version (")]
    assert inserts == ["MainThread"]
    assert len(register.json("saving", "list")) == 40


def test_the_cycle_collector_is_back_after_an_import_refused_or_not(
    register: Cli, tmp_path: Path
) -> None:
    """Imports hold Python's cycle collector off while they run (CollectorPaused); the process
    must get it back, whether the import was written or refused."""
    import gc

    assert gc.isenabled()
    good = write(tmp_path / "good.csv", savings_lines(30), "cp1252")
    assert "30 created" in register("import", str(good), "--kind", "savings").stderr
    assert gc.isenabled()
    bad = write(
        tmp_path / "bad.csv", savings_lines(30, first=100, note={5: "010190-1009"}), "cp1252"
    )
    register.fails("import", str(bad), "--kind", "savings")
    assert gc.isenabled()
    doc = tmp_path / "doc.json"
    doc.write_text('{"format": "portefolje", "version": 3, "projects": [{"code": 1}]}')
    register.fails("import", str(doc))
    assert gc.isenabled()
