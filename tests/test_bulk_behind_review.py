"""Review of the sheet import's lines written behind (Writer.behind, one json_each INSERT per
table): values as a one-line add stores them, edits made while a chunk runs, a chunk refused
with edits after it, generated and given codes, and Ctrl-C while a chunk runs."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from portefolje.sheets.apply import CHUNK
from test_sheets import savings_lines, write

NOTES = [
    'Skøn "ifølge" C:\\sager\\2019\\ – ½ år',
    "tab\there and\nnewline",
    "emoji 🙂🚀 and ÆØÅ æøå and ü",
    "x" * 20_000,
    "quote ' and \\\" both",
    "[1, 2]",
    '{"a": 1}',
    "null",
    "123",
    "1.50",
]

SAVING_COLUMNS = (
    "amount, realised, attribution, area, stage, fte, name, note, year, from_year, "
    "price_level, department_id, solution_id, valid_from, valid_to"
)
INVESTMENT_COLUMNS = (
    "amount, area, status, funding, fte, name, note, year, price_level, department_id, "
    "valid_from, valid_to"
)


def typed(db: Path, table: str, columns: str, fk: str) -> list[tuple[Any, ...]]:
    cols = [c.strip() for c in columns.split(",")]
    select = ", ".join(f"{c}, typeof({c})" for c in cols)
    with sqlite3.connect(db) as conn:
        return conn.execute(
            f"SELECT k.code, {select} FROM {table}_version v JOIN {table} k ON k.id = v.{fk} "
            "ORDER BY k.code"
        ).fetchall()


@pytest.mark.parametrize("kind", ["saving", "investment"])
def test_sheet_lines_store_what_a_one_line_add_stores(
    register: Cli, tmp_path: Path, kind: str
) -> None:
    """Every value and its SQLite type, line by line, as `saving add` / `investment add`."""
    other = Cli(tmp_path / "one-by-one.db")
    shutil.copy(register.db, other.db)
    fte = ["0,1", "2,5", "", "17,5", "0", "3", "1,1", "", "999999,9", "0,3"]
    amounts = ["-6.000", "1.000.000", "0", "-1", "999.999.999", "2,5 mio.", "1", "7", "8", "9"]
    if kind == "saving":
        head = (
            "Kode;Projekt;Afdeling;År;Fra år;Beløb;Stade;Realiseret;Henførbar;Årsværk;Linje;P/L;"
            "Bemærkning"
        )
    else:
        head = "Kode;Projekt;Afdeling;År;Beløb;Bevilling;Finansiering;Årsværk;Linje;P/L;Bemærkning"
    lines = [head]
    for n, note in enumerate(NOTES):
        code = f"X{n}"
        project = f"P{n % 2 + 1}"
        dept = ("SF", "BA", "")[n % 3]
        args = [kind, "add", "--code", code, "--project", project, "--amount", amounts[n]]
        if dept:
            args += ["--department", dept]
        if fte[n]:
            args += ["--fte", fte[n]]
        args += ["--name", f"Linje {n} – ø", "--note", note]
        if n % 2:
            args += ["--price-level", "2019"]
        if kind == "saving":
            year, from_year = ("2020", "") if n % 3 else ("", "2021")
            stage = ("estimeret", "dokumenteret", "budgetlagt")[n % 3]
            realised = "500" if n % 3 else ""
            attribution = "80" if n % 2 else ""
            lines.append(
                f"{code};{project};{dept};{year};{from_year};{amounts[n]};{stage};{realised};"
                f"{attribution};{fte[n]};Linje {n} – ø;{'2019' if n % 2 else ''};"
                + '"'
                + note.replace('"', '""')
                + '"'
            )
            args += ["--year", year] if year else ["--from-year", from_year]
            args += ["--stage", ("estimated", "documented", "budgeted")[n % 3]]
            if realised:
                args += ["--realised", realised]
            if attribution:
                args += ["--attribution", attribution]
        else:
            status = ("bevilget", "ansøgt", "afvist")[n % 3]
            lines.append(
                f'{code};{project};{dept};2020;{amounts[n]};{status};Pulje "A";{fte[n]};'
                f"Linje {n} – ø;{'2019' if n % 2 else ''};" + '"' + note.replace('"', '""') + '"'
            )
            args += ["--year", "2020", "--status", ("granted", "applied", "rejected")[n % 3]]
            args += ["--funding", 'Pulje "A"']
        other("--db", str(other.db), *args)
    sheet = write(tmp_path / "lines.csv", lines, "utf-8")
    out = register("import", str(sheet), "--kind", f"{kind}s")
    assert f"{len(NOTES)} created" in out.stderr, out.stderr
    columns = SAVING_COLUMNS if kind == "saving" else INVESTMENT_COLUMNS
    mine = typed(register.db, kind, columns, f"{kind}_id")
    theirs = typed(other.db, kind, columns, f"{kind}_id")
    assert len(mine) == len(NOTES)
    for a, b in zip(mine, theirs, strict=True):
        assert a == b
    assert register.json("db", "check")["ok"]


def edits_among_new(first_new: int, n_new: int, after: list[int]) -> list[str]:
    """n_new new lines from SV<first_new>, and after each sheet row in `after` an edit (a new
    amount and note) of the next line of the first import (savings_lines(20)), by its code."""
    new = savings_lines(n_new, first=first_new)
    old = iter(savings_lines(20)[1:])
    out = [new[0]]
    for row, line in enumerate(new[1:], start=2):
        out.append(line)
        if row in after:
            cells = next(old).split(";")
            cells[6], cells[8] = "99.000", f"rettet efter række {row}"
            out.append(";".join(cells))
    return out


def test_edits_while_a_chunk_runs_behind_are_kept(register: Cli, tmp_path: Path) -> None:
    first = write(tmp_path / "first.csv", savings_lines(20), "utf-8")
    assert "20 created" in register("import", str(first), "--kind", "savings").stderr
    after = [10, CHUNK - 2, CHUNK + 5, CHUNK + 300]  # in the first chunk, and the second's
    sheet = write(tmp_path / "second.csv", edits_among_new(1000, CHUNK + 600, after), "utf-8")
    before = register.snapshot_raw()
    dry = register("import", str(sheet), "--kind", "savings", "--dry-run")
    assert f"{CHUNK + 600} created, 4 updated" in dry.stderr, dry.stderr
    assert register.snapshot_raw() == before
    out = register("import", str(sheet), "--kind", "savings")
    assert f"{CHUNK + 600} created, 4 updated" in out.stderr, out.stderr
    saved = {s["code"]: s for s in register.json("saving", "list")}
    assert len(saved) == 20 + CHUNK + 600
    for code in ("SV1", "SV2", "SV3", "SV4"):
        assert saved[code]["amount"] == 99000, saved[code]
    assert saved["SV5"]["amount"] != 99000
    check = register.json("db", "check")
    assert check["ok"], check


def test_a_refused_chunk_followed_by_edits_names_its_row_and_writes_nothing(
    register: Cli, tmp_path: Path
) -> None:
    first = write(tmp_path / "first.csv", savings_lines(20), "utf-8")
    assert "20 created" in register("import", str(first), "--kind", "savings").stderr
    with sqlite3.connect(register.db) as conn:
        conn.execute(
            "CREATE TRIGGER refuse_marked BEFORE INSERT ON saving_version "
            "WHEN NEW.note = 'afvises' BEGIN SELECT RAISE(ABORT, 'afvist af testen'); END"
        )
    before = register.snapshot_raw()
    lines = edits_among_new(1000, CHUNK + 600, [CHUNK + 5, CHUNK + 300])
    parts = lines[40].split(";")
    parts[8] = "afvises"
    lines[40] = ";".join(parts)
    sheet = write(tmp_path / "second.csv", lines, "utf-8")
    err = register.fails("import", str(sheet), "--kind", "savings")
    assert "row 41" in err and "afvist af testen" in err, err
    assert err.count("row ") == 1, err
    assert register.snapshot_raw() == before
    result = register("import", str(sheet), "--kind", "savings", "--json", code=1)
    doc = json.loads(result.stdout)
    assert doc["written"] is False
    assert [p["row"] for p in doc["problems"]] == [41], doc["problems"]
    assert register.snapshot_raw() == before
    dry = register("import", str(sheet), "--kind", "savings", "--dry-run", code=1)
    assert "row 41" in dry.stderr
    assert register.snapshot_raw() == before


def test_generated_codes_over_several_chunks_are_unique_and_never_reused(
    register: Cli, tmp_path: Path
) -> None:
    register(
        "saving", "add", "--project", "P1", "--amount", "1", "--year", "2019", "--code", "SV40"
    )
    register("saving", "remove", "SV40", "--reason", "fejl")
    lines = ["Projekt;År;Beløb;Linje"]
    lines += [f"P{n % 2 + 1};{2019 + n % 5};{n % 7 + 1}.000;Linje {n}" for n in range(CHUNK + 50)]
    sheet = write(tmp_path / "nocodes.csv", lines, "utf-8")
    assert f"{CHUNK + 50} created" in register("import", str(sheet), "--kind", "savings").stderr
    with sqlite3.connect(register.db) as conn:
        codes = [r[0] for r in conn.execute("SELECT code FROM saving")]
    assert len(codes) == len(set(c.lower() for c in codes)) == CHUNK + 50 + ("SV40" in codes)
    numbers = sorted(int(c[2:]) for c in codes if c != "SV40")
    assert numbers[0] == 41 and numbers[-1] == 40 + CHUNK + 50, numbers[:3]
    assert register.json("db", "check")["ok"]
    last = max(codes, key=lambda c: int(c[2:]))
    shown = register.json("saving", "show", last)
    assert shown["code"] == last, shown
    journal = register.json("history")
    assert [r["entity_id"] for r in journal if r["code"] == last] == [shown["id"]]
    assert "journal intact" in register("history", "verify").stdout


def test_codes_given_in_the_sheet_are_never_generated_for_its_other_lines(
    register: Cli, tmp_path: Path
) -> None:
    """A new register's first savings sheet: SV1 and sv3 given, two lines without a code. The
    generated codes went out before the given ones were claimed, so a line got SV1 too and the
    valid sheet was refused ("code already used")."""
    lines = [
        "Kode;Projekt;År;Beløb",
        "SV1;P1;2019;1.000",
        ";P2;2020;2.000",
        "sv3;P1;2021;3.000",
        ";P2;2022;4.000",
    ]
    sheet = write(tmp_path / "mixed.csv", lines, "utf-8")
    result = register("import", str(sheet), "--kind", "savings")
    assert "4 created" in result.stderr, result.stderr
    amounts = {s["code"]: s["amount"] for s in register.json("saving", "list")}
    assert amounts == {"SV1": 1000, "sv3": 3000, "SV4": 2000, "SV5": 4000}, amounts
    assert register.json("db", "check")["ok"]


def test_ctrl_c_while_the_last_chunk_is_settled_stops_its_insert(register: Cli) -> None:
    """Ctrl-C while the Writer waits for the inserts running behind (settle, before COMMIT):
    the Writer must interrupt them and join the thread before it rolls back. settle() forgot
    the job before joining it, so the rollback ran beside the thread's INSERT on the same
    connection and the Ctrl-C waited for the whole chunk to be written first."""
    from portefolje.store import versions
    from portefolje.store.connection import open_db
    from portefolje.store.write import Writer

    with sqlite3.connect(register.db) as conn:  # each line waits in tick(): a slow disk
        conn.execute(
            "CREATE TRIGGER slow_line BEFORE INSERT ON saving_version "
            "WHEN tick() < 0 BEGIN SELECT 1; END"
        )
    before = register.snapshot_raw()
    lines = 400
    ticks: list[int] = []

    def tick() -> int:  # called by SQLite for each line, outside the transaction's reach
        ticks.append(1)
        time.sleep(0.01)
        return 0

    values = {"project_id": 1, "amount": 1, "year": 2019, "area": "service"}
    conn = open_db(register.db)
    conn.create_function("tick", 0, tick)
    main = threading.main_thread().ident
    assert main is not None
    try:
        with pytest.raises(KeyboardInterrupt), Writer(conn, command="test") as w:
            with w.behind():
                versions.add_many(
                    w,
                    versions.SAVING,
                    [{"code": f"Q{n}"} for n in range(lines)],
                    [{**values, "stage": "estimated", "attribution": 100}] * lines,
                    "2019-06-05",
                )
            threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT)).start()
            w.settle()
        assert not [t for t in threading.enumerate() if t.name == "portefolje-insert"]
        assert not conn.in_transaction
    finally:
        conn.close()
    # the insert was stopped, not left to write every line before the rollback
    assert 0 < len(ticks) < lines, len(ticks)
    assert register.snapshot_raw() == before


def test_xlsx_cells_of_every_type_store_what_a_csv_of_the_same_text_stores(
    register: Cli, tmp_path: Path
) -> None:
    """Number, float, bool and date cells in an XLSX reach the json_each INSERT as the same
    values and types as the text of a CSV."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Kode", "Projekt", "År", "Beløb", "Årsværk", "Henførbar", "Linje", "Bemærkning"])
    sheet.append(["X1", "P1", 2019, 978000, 2.5, 0.6, 12, datetime(2019, 3, 1)])
    sheet.append(["X2", "P2", 2020.0, -1500.0, 0.1, 80, 1.5, True])
    sheet.append(["X3", "P1", "2021", "7.000", "17,5", "100", "tekst", 'a "b" \\ 🙂'])
    path = tmp_path / "savings.xlsx"
    book.save(path)
    assert "3 created" in register("import", str(path)).stderr
    csv = write(
        tmp_path / "same.csv",
        [
            "Kode;Projekt;År;Beløb;Årsværk;Henførbar;Linje;Bemærkning",
            "Y1;P1;2019;978000;2,5;60;12;2019-03-01",
            "Y2;P2;2020;-1500;0,1;80;1.5;True",
            'Y3;P1;2021;7.000;17,5;100;tekst;"a ""b"" \\ 🙂"',
        ],
        "utf-8",
    )
    assert "3 created" in register("import", str(csv), "--kind", "savings").stderr
    rows = {r[0]: r[1:] for r in typed(register.db, "saving", SAVING_COLUMNS, "saving_id")}
    for n in (1, 2, 3):
        assert rows[f"X{n}"] == rows[f"Y{n}"], n
    assert rows["X2"][0:2] == (-1500, "integer") and rows["X1"][10:12] == (2.5, "real")
    assert register.json("db", "check")["ok"]


def test_a_document_import_of_new_lines_keeps_every_value(register: Cli, tmp_path: Path) -> None:
    """The document import's bulk path now inserts through json_each as well: export a register
    with awkward text and numbers, import it into a new one, and export again."""
    for n, note in enumerate(NOTES):
        register(
            "saving", "add", "--project", f"P{n % 2 + 1}", "--amount", f"{n - 3},5 mio.",
            "--year", "2020", "--fte", ("0,1", "2,5", "17,5")[n % 3], "--note", note,
            "--name", f"Linje {n}",
        )  # fmt: skip
        register(
            "investment", "add", "--project", "P1", "--amount", str(-n), "--year", "2021",
            "--funding", note[:50], "--note", note,
        )  # fmt: skip
    document = tmp_path / "all.json"
    document.write_text(register("export").stdout, encoding="utf-8")
    fresh = Cli(tmp_path / "fresh.db")
    fresh("--db", str(fresh.db), "init")
    fresh("--db", str(fresh.db), "import", str(document))
    again = fresh("--db", str(fresh.db), "export").stdout
    assert json.loads(again) == json.loads(document.read_text(encoding="utf-8"))
    for table, columns in (("saving", SAVING_COLUMNS), ("investment", INVESTMENT_COLUMNS)):
        assert typed(fresh.db, table, columns, f"{table}_id") == typed(
            register.db, table, columns, f"{table}_id"
        )
    assert fresh.json("--db", str(fresh.db), "db", "check")["ok"]


def test_refused_lines_in_two_chunks_and_a_bad_cell_are_all_named(
    register: Cli, tmp_path: Path
) -> None:
    with sqlite3.connect(register.db) as conn:
        conn.execute(
            "CREATE TRIGGER refuse_marked BEFORE INSERT ON saving_version "
            "WHEN NEW.note = 'afvises' BEGIN SELECT RAISE(ABORT, 'afvist af testen'); END"
        )
    before = register.snapshot_raw()
    lines = savings_lines(2 * CHUNK + 10, note={17: "afvises", CHUNK + 700: "afvises"})
    cells = lines[29].split(";")
    cells[6] = "mange penge"
    lines[29] = ";".join(cells)
    sheet = write(tmp_path / "savings.csv", lines, "utf-8")
    result = register("import", str(sheet), "--kind", "savings", "--json", code=1)
    doc = json.loads(result.stdout)
    assert sorted(p["row"] for p in doc["problems"]) == [17, 30, CHUNK + 700], doc["problems"]
    assert doc["written"] is False
    assert register.snapshot_raw() == before


def test_a_behind_block_left_before_it_began_leaves_nothing_to_the_garbage_collector(
    register: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C can land after the block has started (its savepoint open) and before the
    `with` statement took it over, so the block's exit never runs. The Writer's exit rolls
    everything back; nothing may be left to run at garbage collection, when the connection is
    closed (the generator that was behind() once tried to undo then and printed a traceback)."""
    import gc

    from portefolje.store.connection import open_db
    from portefolje.store.write import Writer

    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    before = register.snapshot_raw()
    conn = open_db(register.db)
    with pytest.raises(KeyboardInterrupt), Writer(conn, command="test") as w:
        block = w.behind()
        block.__enter__()
        raise KeyboardInterrupt  # between the block's start and the with statement's
    conn.close()
    del block, w
    gc.collect()
    assert unraisable == []
    assert register.snapshot_raw() == before
