"""Review of the journal's batch rows (schema 11): histories and tamperings that the first tests
did not try, through the real CLI on real files.

The tables have no AUTOINCREMENT, so a record removed from the end of a table gives its id to
the next record added; when that record comes in a batch, the journal holds single rows about
the removed record *before* the batch row that holds the new one. The review found that db check,
history's names and the last state of a record had to take the latest row, single or batch; a
tampered batch row crashed db check; a sheet's batch left a column out of its records; and, on
the way, three older faults (a code twice in a document, the place of a refused record, `saving
edit --year`). The tests marked "passing guard" covered edges that already held.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from portefolje.cli import app
from test_sheets import savings_lines, write


def _import_savings(c: Cli, tmp_path: Path, n: int, first: int = 1, name: str = "") -> Path:
    sheet = write(
        tmp_path / f"savings-{first}-{n}{name}.csv", savings_lines(n, first=first), "cp1252"
    )
    c("import", str(sheet), "--kind", "savings")
    return sheet


def _run(c: Cli, *args: str) -> Any:
    """A command whose exit code is part of what is checked (0 or 1)."""
    return c.runner.invoke(app, list(args), prog_name="portefolje")


def _check(c: Cli) -> dict[str, Any]:
    out = _run(c, "db", "check", "--json")
    assert "internal error" not in out.stderr, out.stderr
    return json.loads(out.stdout)


def _differences(c: Cli) -> list[str]:
    return [d["problem"] for d in _check(c)["data_vs_journal"]["differences"]]


def _ids(db: Path, table: str) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {code: rid for rid, code in conn.execute(f"SELECT id, code FROM {table}")}


def _document(tmp_path: Path, name: str, **kinds: list[dict[str, Any]]) -> Path:
    path = tmp_path / name
    path.write_text(
        json.dumps({"format": "portefolje", "version": 3, **kinds}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def _projects(first: int, n: int) -> list[dict[str, Any]]:
    return [
        {"code": f"Q{i}", "title": f"Projekt {i}", "segment": "S1", "departments": ["SF"]}
        for i in range(first, first + n)
    ]


def _savings(first: int, n: int) -> list[dict[str, Any]]:
    return [
        {
            "code": f"SV{i}",
            "project": "P1",
            "department": "SF",
            "year": 2020 + i % 4,
            "amount": 1000 * (i % 9 + 1),
            "stage": "estimated",
            "note": f"Skøn {i}",
        }
        for i in range(first, first + n)
    ]


# -- a batch that takes the ids of removed records -------------------------------------------------


def test_savings_removed_and_imported_again_under_the_same_codes_check_clean(
    register: Cli, tmp_path: Path
) -> None:
    """A sheet of five lines; the last two were registered by mistake and removed the same day
    (they go entirely); the corrected sheet is imported again and brings them back. They get
    their old ids 4 and 5 in one batch row, which the comparison reads before the two removal
    rows (single rows win over batch rows whatever their order), so `db check` says that both
    savings and both versions were 'put back outside portefolje'."""
    sheet = _import_savings(register, tmp_path, 5)
    register("saving", "remove", "SV5", "--reason", "Registreret ved en fejl")
    register("saving", "remove", "SV4", "--reason", "Registreret ved en fejl")
    assert "2 created" in register("import", str(sheet), "--kind", "savings").stderr
    assert _ids(register.db, "saving") == {f"SV{i}": i for i in range(1, 6)}  # ids reused

    assert _differences(register) == []
    register("db", "check")


def test_a_batch_over_the_ids_of_a_whole_removed_batch_checks_clean(
    register: Cli, tmp_path: Path
) -> None:
    """Three lines imported and all removed the same day, then five others: the new batch row
    names ids 1-5, the old one 1-3 (both start at id 1), so the batch states reach the merge in
    the order 1, 2, 3, 1, 2, 3, 4, 5 as well."""
    _import_savings(register, tmp_path, 3)
    for code in ("SV1", "SV2", "SV3"):
        register("saving", "remove", code, "--reason", "Forkert ark")
    _import_savings(register, tmp_path, 5, first=4)
    assert _ids(register.db, "saving") == {f"SV{i}": i - 3 for i in range(4, 9)}

    assert _differences(register) == []


def test_a_project_removed_from_the_end_and_a_document_importing_more_checks_clean(
    register: Cli, tmp_path: Path
) -> None:
    """The same through the JSON document: the last project of an import is removed (its id is
    free again), the next document's projects come in a batch that starts at that id."""
    register("import", str(_document(tmp_path, "a.json", projects=_projects(1, 3))))
    register("project", "remove", "Q3", "--reason", "Oprettet ved en fejl")
    register("import", str(_document(tmp_path, "b.json", projects=_projects(10, 2))))
    assert _ids(register.db, "project")["Q10"] == _ids(register.db, "project")["Q2"] + 1

    assert _differences(register) == []


def test_history_names_a_change_to_a_batch_record_by_its_own_code_not_a_removed_ones(
    register: Cli, tmp_path: Path
) -> None:
    """SV3 is removed; SV4 comes in a batch and gets SV3's id. Its later correction is named
    through the journal's code column, which a batch row leaves empty, so the latest coded row
    for that id is SV3's removal: the history says 'saving SV3' for a change to SV4 (once the
    batch is in an earlier table chunk than the change, as in any journal of some size; a
    single add row would have carried SV4)."""
    _import_savings(register, tmp_path, 3)
    register("saving", "remove", "SV3", "--reason", "Registreret ved en fejl")
    _import_savings(register, tmp_path, 2, first=4)
    assert _ids(register.db, "saving")["SV4"] == 3
    _import_savings(register, tmp_path, 2600, first=100)  # 5,200 records: past one chunk
    register("saving", "edit", "SV4", "--note", "Genberegnet")

    last = register("history").stdout.splitlines()[-1]
    assert "Genberegnet" in last
    assert "saving SV4" in last, last


# -- db check on a tampered batch row --------------------------------------------------------------


def _tamper_first_batch(db: Path, after: str | None) -> int:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER journal_no_update")
        row = conn.execute("SELECT min(id) FROM journal WHERE batch IS NOT NULL").fetchone()[0]
        conn.execute("UPDATE journal SET after = ? WHERE id = ?", (after, row))
        return int(row)
    finally:
        conn.close()


@pytest.mark.parametrize(
    "after",
    [
        None,  # the batch emptied: its records 'never added'
        '{"columns": ["id"], "rows": [[1, "SV1"]]}',  # valid JSON, rows not in its columns
        "{}",
    ],
    ids=["null", "misshapen", "empty-object"],
)
def test_db_check_names_a_tampered_batch_row_instead_of_crashing(
    register: Cli, tmp_path: Path, after: str | None
) -> None:
    """Someone drops the trigger and empties a batch row's `after`. `history verify` names the
    altered row; `db check`, whose job is exactly this, stops with 'internal error: TypeError'
    (or ValueError/KeyError) and prints no report at all, and so does `history`."""
    _import_savings(register, tmp_path, 10)
    row = _tamper_first_batch(register.db, after)
    assert f"altered at row {row}" in register.fails("history", "verify")

    result = _run(register, "db", "check")
    assert "internal error" not in result.stderr, result.stderr
    assert result.exit_code == 1
    assert f"altered at row {row}" in result.stderr + result.stdout or "BROKEN" in result.stdout

    shown = _run(register, "history")
    assert "internal error" not in shown.stderr, shown.stderr


def test_ending_a_sheet_imported_saving_outside_the_tool_is_found(
    register: Cli, tmp_path: Path
) -> None:
    """A saving added by `saving add` is journaled with every column; one from a sheet in a
    batch row whose columns leave out `valid_to` (versions.add_many does not pass it). Setting
    valid_to with SQL ends the saving from that day in every report, and `db check` says
    'agree'. (The per-record bulk path before schema 11 left it out as well.)"""
    _import_savings(register, tmp_path, 10)
    register("saving", "add", "--project", "P1", "--amount", "5000", "--year", "2021")
    with sqlite3.connect(register.db) as conn:
        conn.execute("UPDATE saving_version SET valid_to = '2019-07-01' WHERE saving_id = 11")
    found = {d.split(",")[0] for d in _differences(register)}
    assert found == {"saving version id 11"}, found  # the single add: found

    with sqlite3.connect(register.db) as conn:
        conn.execute("UPDATE saving_version SET valid_to = NULL WHERE saving_id = 11")
        conn.execute("UPDATE saving_version SET valid_to = '2019-07-01' WHERE saving_id = 5")
    found = {d.split(",")[0] for d in _differences(register)}
    assert found == {"saving version id 5"}, found  # the sheet's line: not found


# -- passing guards --------------------------------------------------------------------------------


def test_passing_guard_a_removed_batch_code_is_never_generated_again(
    register: Cli, tmp_path: Path
) -> None:
    """Passing guard: the highest code of a batch removed, then `saving add` without --code,
    also with the counter gone (the code is then read from the journal, where a batch row has
    no code of its own; the removal row carries it)."""
    _import_savings(register, tmp_path, 5)
    register("saving", "remove", "SV5", "--reason", "Fejl")
    added = register.json("saving", "add", "--project", "P1", "--amount", "1000", "--year", "2020")
    assert added["code"] == "SV6"
    with sqlite3.connect(register.db) as conn:
        conn.execute("DELETE FROM code_counter WHERE kind = 'saving'")
    register("saving", "remove", "SV6", "--reason", "Fejl")
    again = register.json("saving", "add", "--project", "P1", "--amount", "1000", "--year", "2020")
    assert again["code"] == "SV7"


def _file_hash(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return hashlib.sha256(db.read_bytes()).hexdigest()


@pytest.mark.parametrize("mode", ["wal", "delete"])
def test_passing_guard_a_document_refused_late_leaves_the_file_byte_for_byte(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """Passing guard: 1,200 savings in the file, then documents of 3,000 whose line 2,801 holds
    a CPR number, names a project that does not exist, or reuses a code of the same import: the
    indexes are set aside by then (3,000 > 1,200) and the batches of the first chunks written;
    the main file is the same bytes after each refusal and after a --dry-run. Both journal
    modes."""
    monkeypatch.setenv("PORTEFOLJE_JOURNAL_MODE", mode)
    register("import", str(_document(tmp_path, "first.json", savings=_savings(1, 1200))))
    before = _file_hash(register.db)
    for n, (field, value) in enumerate(
        [("note", "borger 010190-1009"), ("project", "NOPE"), ("code", "SV2500")]
    ):
        lines = _savings(1, 3000)
        lines[2800][field] = value
        register.fails("import", str(_document(tmp_path, f"bad{n}.json", savings=lines)))
        assert _file_hash(register.db) == before, field
    register("import", str(_document(tmp_path, "dry.json", savings=_savings(1, 3000))), "--dry-run")
    assert _file_hash(register.db) == before


# -- found on the way, older than schema 11 --------------------------------------------------------


def test_a_document_that_names_one_code_twice_is_refused_wherever_the_two_are(
    register: Cli, tmp_path: Path
) -> None:
    """Two projects with code Q5 in one document: 8 lines apart the import is refused ('that
    code is already used', though at projects.0); 1,200 lines apart (another chunk of 1,000)
    the second silently overwrites the first, counted as '1 updated'."""
    near = _projects(1, 10)
    near[7]["code"] = "Q5"
    register.fails("import", str(_document(tmp_path, "near.json", projects=near)))

    far = _projects(1, 1500)
    far[1200]["code"] = "Q5"
    before = register.snapshot()
    register.fails("import", str(_document(tmp_path, "far.json", projects=far)))
    assert register.snapshot() == before


def test_a_refused_record_of_a_document_is_named_by_its_own_place(
    register: Cli, tmp_path: Path
) -> None:
    """A CPR number in line 1,401 of a document's savings: the refusal names savings.1000, the
    first record of its chunk of 1,000, and the message itself names no record ('the saving
    version note contains …'), so the secretariat is sent to the wrong line."""
    lines = _savings(1, 1500)
    lines[1400]["note"] = "borger 010190-1009"
    err = register.fails("import", str(_document(tmp_path, "cpr.json", savings=lines)))
    assert "CPR" in err
    assert "savings.1400" in err or "SV1401" in err, err


def test_saving_edit_year_changes_the_year(register: Cli) -> None:
    """`saving edit --year` clears from_year, and then, seeing from_year among the changes,
    clears year too: every edit of the year is refused with 'give a year … or a from-year …,
    not both' (store/economics.py edit_saving). Unrelated to batches; found on the way."""
    register("saving", "add", "--project", "P1", "--amount", "1000", "--year", "2020")
    edited = register.json("saving", "edit", "SV1", "--year", "2021")
    assert edited["year"] == 2021
