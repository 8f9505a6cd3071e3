"""The anchored journal, and `db check` comparing the data tables with the journal: someone with
file access who drops the triggers and truncates, deletes, rewrites or edits behind portefolje's
back is named — except the one who rewrites everything consistently and discards every anchor."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import Cli
from rel_helpers import ROOT

# -- tampering as someone with the file would do it ------------------------------------------------


def _unguarded(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS journal_no_update")
    conn.execute("DROP TRIGGER IF EXISTS journal_no_delete")
    return conn


def _rechain(conn: sqlite3.Connection) -> None:
    """Recompute every hash with portefolje's own function, as a careful forger would."""
    from portefolje.store.write import GENESIS, JOURNAL_FIELDS, journal_hash

    prev = GENESIS
    cols = ", ".join(JOURNAL_FIELDS)
    for row in conn.execute(f"SELECT id, {cols} FROM journal ORDER BY id").fetchall():
        digest = journal_hash(prev, list(row[1:]))
        conn.execute(
            "UPDATE journal SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row[0])
        )
        prev = digest


def _anchor(c: Cli) -> str:
    return c("history", "anchor").stdout.strip()


def test_history_anchor_prints_the_head_to_keep(register: Cli) -> None:
    text = _anchor(register)
    rows, digest = text.split(":")
    head = register.json("history", "anchor")
    assert head["anchor"] == text and head["rows"] == int(rows) == len(register.json("history"))
    assert head["hash"] == digest and len(digest) == 64
    assert "holds" in register("history", "verify", "--anchor", text).stdout
    register("project", "pause", "P2", "--reason", "Afventer")  # the journal grows on: still holds
    assert "holds" in register("history", "verify", "--anchor", text).stdout
    assert "anchor           holds" in register("db", "check", "--anchor", text).stdout
    # the --json form is accepted as well
    assert "holds" in register("history", "verify", "--anchor", json.dumps(head)).stdout


def test_journal_anchor_is_a_store_function_for_published_reports(register: Cli) -> None:
    from portefolje.store.checks import journal_anchor

    with sqlite3.connect(register.db) as conn:
        head = journal_anchor(conn)
    assert set(head) >= {"rows", "hash", "anchor"}
    assert head["anchor"] == f"{head['rows']}:{head['hash']}"


@pytest.mark.parametrize("bad", ["", "12", "12:abc", "x:" + "0" * 64, "{}", "12:" + "g" * 64])
def test_a_malformed_anchor_is_one_line(register: Cli, bad: str) -> None:
    assert "ROWS:HASH" in register.fails("history", "verify", "--anchor", bad)


def test_truncation_deletion_and_a_recomputed_chain_are_found(register: Cli, record) -> None:
    anchor = _anchor(register)
    rows = int(anchor.split(":")[0])
    backup = register.db.with_name("clean.db")
    register("db", "backup", str(backup))
    found = {}

    def reset() -> None:
        register.db.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{register.db}{suffix}").unlink(missing_ok=True)
        backup_copy = backup.read_bytes()
        register.db.write_bytes(backup_copy)

    # 1. the last two rows removed: the chain itself is intact, only the anchor tells
    conn = _unguarded(register.db)
    conn.execute("DELETE FROM journal WHERE id > ?", (rows - 2,))
    conn.close()
    assert "intact" in register("history", "verify").stdout
    err = register.fails("history", "verify", "--anchor", anchor)
    assert f"fewer than the {rows}" in err
    found["truncated"] = True
    reset()

    # 2. the whole journal emptied
    conn = _unguarded(register.db)
    conn.execute("DELETE FROM journal")
    conn.close()
    assert "fewer than" in register.fails("history", "verify", "--anchor", anchor)
    check = register("db", "check", code=1)
    assert "missing trigger journal_no_delete" in check.stderr  # the guard dropped is seen too
    assert "is not in the journal" in check.stdout  # the data rows have no journal behind them
    found["emptied"] = True
    reset()

    # 3. a row in the middle deleted: the chain breaks
    conn = _unguarded(register.db)
    conn.execute("DELETE FROM journal WHERE id = 3")
    conn.close()
    assert "altered at row 4" in register.fails("history", "verify")
    found["deleted"] = True
    reset()

    # 4. a row edited and the chain recomputed: only the anchor tells
    conn = _unguarded(register.db)
    conn.execute("UPDATE journal SET actor = 'en anden' WHERE id = 2")
    _rechain(conn)
    conn.close()
    assert "intact" in register("history", "verify").stdout
    err = register.fails("history", "verify", "--anchor", anchor)
    assert f"row {rows} of the journal no longer carries the anchored hash" in err
    found["recomputed"] = True
    reset()

    # 5. a row deleted, the chain recomputed and a row appended to make the count right again
    conn = _unguarded(register.db)
    conn.execute("DELETE FROM journal WHERE id = 2")
    conn.execute(
        "INSERT INTO journal (at, actor, os_user, app_version, command, entity, entity_id, "
        "action, prev_hash, hash) VALUES ('2019-06-05', 'x', 'x', '0.2.0', 'x', 'department', "
        "1, 'edit', '', '')"
    )
    _rechain(conn)
    conn.close()
    assert "no longer carries the anchored hash" in register.fails(
        "history", "verify", "--anchor", anchor
    )
    found["deleted_and_padded"] = True
    assert len(found) == 5
    record(
        "journal",
        "the journal truncated, emptied, a row deleted, a row edited with the chain recomputed, "
        "a row deleted with the chain recomputed and the count made up",
        tried=5,
        detected=len(found),
        detected_without_an_anchor="2 (the deleted row by the chain, the emptied journal by "
        "db check's data comparison)",
    )


# -- the data against the journal ------------------------------------------------------------------


def _first_problem(c: Cli) -> str:
    check = c("db", "check", code=1)
    assert check.stderr.count("\n") == 1
    return check.stderr


def test_db_check_names_data_changed_outside_portefolje(register: Cli, record) -> None:
    register(
        "saving",
        "add",
        "--project",
        "P1",
        "--department",
        "SF",
        "--amount",
        "1.000.000",
        "--year",
        "2019",
    )
    assert "agree" in register("db", "check").stdout
    backup = register.db.with_name("clean.db")
    register("db", "backup", str(backup))
    cases = {
        "changed": (
            "UPDATE saving_version SET amount = 2000000",
            "saving version id 1, column amount differs from its last journaled value",
        ),
        "added": (
            "INSERT INTO department (code, name) VALUES ('X', 'Skjult afdeling')",
            "department X (id 4) is not in the journal",
        ),
        "removed": (
            "DELETE FROM project_event WHERE id = 1",
            "project event id 1 is missing, though the journal never removed it",
        ),
        "status": (
            "UPDATE project_event SET new_value = 'paused' WHERE id = 1",
            "project event id 1, column new value differs",
        ),
    }
    for sql, expected in cases.values():
        register.db.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{register.db}{suffix}").unlink(missing_ok=True)
        register.db.write_bytes(backup.read_bytes())
        with sqlite3.connect(register.db) as conn:
            conn.execute(sql)
        err = _first_problem(register)
        assert expected in err, (sql, err)
        assert "journal" in register("db", "check", "--json", code=1).stdout
    record(
        "journal",
        "data rows changed, added and removed with SQL behind portefolje's back",
        tried=len(cases),
        named_by_db_check=len(cases),
    )


def test_a_cascade_journaled_on_the_parent_is_no_difference(register: Cli) -> None:
    from portefolje.store.connection import open_db
    from portefolje.store.write import Writer

    register("committee", "add", "Økonomiudvalget", "--code", "ØU")
    register("committee", "add", "Børne- og Ungeudvalget", "--code", "BUU")
    register(
        "deliverable",
        "add",
        "Status på programmet",
        "--committee",
        "ØU",
        "--meeting",
        "2019-06-20",
        "--prior",
        "BUU:2019-06-12",
        "--project",
        "P1",
    )
    assert "agree" in register("db", "check").stdout
    conn = open_db(register.db)
    with Writer(conn, command="test") as w:  # its prior handling goes with it (ON DELETE CASCADE)
        w.delete("deliverable", 1)
    conn.close()
    assert "agree" in register("db", "check").stdout


def test_every_example_and_the_demo_check_clean(tmp_path: Path) -> None:
    """Every write path the examples use journals what it stores: guards the list of link
    tables that are journaled on their parent (store/checks.py JOURNALED_ON_PARENT)."""
    for example in sorted((ROOT / "examples").glob("*.json")):
        db = tmp_path / f"{example.stem}.db"
        c = Cli(db)
        c("--db", str(db), "import", str(example))
        check = c("--db", str(db), "db", "check")
        assert "agree" in check.stdout, (example.name, check.stdout)
    demo = tmp_path / "demo"
    Cli(demo / "demo.db")("demo", "--out", str(demo))
    assert "agree" in Cli(demo / "demo.db")("--db", str(demo / "demo.db"), "db", "check").stdout
