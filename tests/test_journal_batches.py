"""Journal rows that hold a batch of records (schema 11), and the indexes a bulk insert sets aside.

An import journals the records it adds to a table in rows of up to 1,000; every reader of the
journal reads them record by record: history (all of it, and per project), db check's
comparison of the data with the journal, and the names history gives records.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import Cli
from statements import traced
from test_sheets import savings_lines, write

REPORT_INDEXES = (
    "saving_version_totals",
    "saving_version_project",
    "saving_version_level",
    "saving_version_recorded",
)


def _import_savings(register: Cli, tmp_path: Path, n: int, first: int = 1) -> None:
    sheet = write(tmp_path / f"savings-{first}.csv", savings_lines(n, first=first), "cp1252")
    assert f"{n} created" in register("import", str(sheet), "--kind", "savings").stderr


def _journal(db: Path, where: str = "1") -> list[sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(f"SELECT * FROM journal WHERE {where} ORDER BY id").fetchall()


def test_an_import_of_1001_lines_is_journaled_as_batches_and_read_back_line_by_line(
    register: Cli, tmp_path: Path
) -> None:
    _import_savings(register, tmp_path, 1001)
    batches = _journal(register.db, "batch IS NOT NULL")
    # per table a full batch of 1,000 and one of the last record
    assert [(r["entity"], r["batch"]) for r in batches] == [
        ("saving", 1000),
        ("saving", 1),
        ("saving_version", 1000),
        ("saving_version", 1),
    ]
    assert all(r["code"] is None and r["action"] == "add" for r in batches)
    held = json.loads(batches[0]["after"])
    assert held["columns"][:2] == ["id", "code"] and len(held["rows"]) == 1000

    history = register.json("history")
    added = [r for r in history if r["entity"] == "saving" and r["action"] == "add"]
    assert [r["code"] for r in added] == [f"SV{i}" for i in range(1, 1002)]
    assert [r["after"]["id"] for r in added] == list(range(1, 1002))
    versions = [r for r in history if r["entity"] == "saving_version"]
    assert len(versions) == 1001 and versions[-1]["after"]["saving_id"] == 1001
    assert versions[0]["after"]["amount"] == 3000  # "3.000" on the sheet's first line
    # the table names each version by its saving, as it would a version added alone
    text = register("history").stdout
    assert "SV1001" in text and "saving SV1000" in text

    check = json.loads(register("db", "check", "--json").stdout)
    assert check["ok"] and check["journal"]["ok"] and check["data_vs_journal"]["ok"]
    assert check["journal"]["rows"] == len(_journal(register.db))


def test_history_of_a_project_keeps_its_own_records_of_a_batch(
    register: Cli, tmp_path: Path
) -> None:
    _import_savings(register, tmp_path, 40)  # the lines alternate: SV1 P1, SV2 P2, SV3 P1 …
    register("saving", "add", "--project", "P1", "--amount", "1 mio", "--year", "2020")
    p1 = register.json("history", "--project", "P1")
    savings = {r["code"] for r in p1 if r["entity"] == "saving"}
    expected = {f"SV{n}" for n in range(1, 41, 2)}
    # the 20 imported lines of P1 and the one added alone, none of P2's
    assert savings == expected | {"SV41"}, sorted(savings ^ (expected | {"SV41"}))
    versions = [r for r in p1 if r["entity"] == "saving_version"]
    assert len(versions) == 21 and all(r["after"]["project_id"] == 1 for r in versions)
    assert len(register.json("history", "--project", "P1", "--limit", "5")) == 5


def test_a_record_added_in_a_batch_and_changed_since_reads_as_its_last_change(
    register: Cli, tmp_path: Path
) -> None:
    _import_savings(register, tmp_path, 10)
    register("saving", "edit", "SV2", "--note", "Genberegnet")
    assert json.loads(register("db", "check", "--json").stdout)["ok"]
    last = register.json("history")[-1]  # a same-day edit corrects the version in force
    assert (last["entity"], last["entity_id"], last["action"]) == ("saving_version", 2, "correct")
    assert last["before"]["note"] == "Skøn" and last["after"]["note"] == "Genberegnet"
    line = register("history").stdout.splitlines()[-1]
    assert "SV2" in line and "Genberegnet" in line, line


def test_a_change_to_a_batch_record_made_outside_the_tool_is_found(
    register: Cli, tmp_path: Path
) -> None:
    _import_savings(register, tmp_path, 10)
    with sqlite3.connect(register.db) as conn:
        conn.execute("UPDATE saving_version SET amount = 1 WHERE saving_id = 7")
        conn.execute("DELETE FROM saving_version WHERE saving_id = 9")
    result = json.loads(register("db", "check", "--json", code=1).stdout)
    found = {(d["table"], d["id"], d["column"]) for d in result["data_vs_journal"]["differences"]}
    # version 7 changed (its amount), version 9 gone
    assert found == {("saving_version", 7, "amount"), ("saving_version", 9, None)}, found


def test_an_edited_batch_row_breaks_the_chain(register: Cli, tmp_path: Path) -> None:
    _import_savings(register, tmp_path, 10)
    batch = _journal(register.db, "batch IS NOT NULL")[0]
    with sqlite3.connect(register.db) as conn:
        conn.execute("DROP TRIGGER journal_no_update")
        conn.execute("UPDATE journal SET batch = 9 WHERE id = ?", (batch["id"],))
    assert f"altered at row {batch['id']}" in register.fails("history", "verify")


def test_a_large_import_sets_the_report_indexes_aside_and_builds_them_again(
    register: Cli, tmp_path: Path
) -> None:
    _import_savings(register, tmp_path, 1200)  # more lines than the table holds: set aside
    with sqlite3.connect(register.db) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert set(REPORT_INDEXES) <= names
        plan = " ".join(
            str(r[-1])
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT project_id, sum(amount) FROM saving_version "
                "INDEXED BY saving_version_project GROUP BY project_id"
            )
        )
        assert "saving_version_project" in plan
    # the schema is as a fresh database's (same index definitions), the data as journaled
    check = json.loads(register("db", "check", "--json").stdout)
    assert check["ok"] and check["schema"] == [], check["schema"]
    assert len(register.json("saving", "list")) == 1200


def test_a_refused_large_import_leaves_the_file_and_its_indexes_as_they_were(
    register: Cli, tmp_path: Path
) -> None:
    before = register.snapshot_raw()
    with sqlite3.connect(register.db) as conn:
        schema = conn.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall()
    lines = savings_lines(1500, note={1400: "borger 010190-1009"})  # a CPR number near the end
    sheet = write(tmp_path / "savings.csv", lines, "cp1252")
    assert "CPR" in register.fails("import", str(sheet), "--kind", "savings")
    assert register.snapshot_raw() == before
    with sqlite3.connect(register.db) as conn:
        assert conn.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall() == schema


def test_a_small_import_into_a_large_table_keeps_its_indexes(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1,200 lines, then 30 more: the second insert adds fewer rows than the table holds, so the
    indexes are updated in place (no DROP INDEX is run)."""
    _import_savings(register, tmp_path, 1200)
    with traced(monkeypatch) as seen:
        _import_savings(register, tmp_path, 30, first=2001)
    assert not [s for s in seen if s.startswith("DROP INDEX")]
    with traced(monkeypatch) as seen:
        _import_savings(register, tmp_path, 1300, first=3001)  # more than the 1,230 held
    assert len([s for s in seen if s.startswith("DROP INDEX")]) == len(REPORT_INDEXES)
    assert json.loads(register("db", "check", "--json").stdout)["ok"]
