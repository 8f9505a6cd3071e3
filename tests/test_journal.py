"""The change journal: every change has its row; refused commands write nothing; the chain holds."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import Cli


def test_every_change_is_journaled_with_before_and_after(register: Cli) -> None:
    rows = register.json("history")
    assert [r["action"] for r in rows[:4]] == ["add", "add", "add", "add"]
    register("--by", "sekretariatet", "project", "edit", "P1", "--leader", "Projektleder")
    last = register.json("history")[-1]
    assert last["action"] == "edit" and last["entity"] == "project" and last["code"] == "P1"
    assert last["before"]["leader"] is None and last["after"]["leader"] == "Projektleder"
    assert last["actor"] == "sekretariatet" and last["os_user"]  # --by, and the real OS account
    assert last["command"] == "portefolje --by sekretariatet project edit P1 --leader Projektleder"


def test_global_by_option_names_the_actor(register: Cli) -> None:
    register("--by", "programsekretariatet", "project", "pause", "P2", "--reason", "Afventer")
    actions = [(r["actor"], r["action"]) for r in register.json("history", "--project", "P2")]
    assert ("programsekretariatet", "pause") in actions


def test_history_filters_by_project_and_since(register: Cli) -> None:
    register("project", "pause", "P2", "--reason", "Afventer familieafsnittet")
    rows = register.json("history", "--project", "P2")
    assert rows and all(
        r["entity_id"] == 2 or (r["after"] or {}).get("project_id") == 2 for r in rows
    )
    assert register.json("history", "--since", "2999-01-01") == []


def test_a_long_history_is_printed_in_chunks_with_one_header(
    register: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # at scale L the journal holds a million rows: read, named and printed a chunk at a time
    from portefolje.cli import history

    whole = register("history").stdout
    ids = [r["id"] for r in register.json("history")]
    monkeypatch.setattr(history, "TABLE_CHUNK", 3)
    chunked = register("history").stdout
    lines = chunked.splitlines()
    assert len(ids) > 6 and lines[0].split() == whole.splitlines()[0].split()  # headers, once
    assert sum(1 for line in lines if set(line) <= {"-", " "}) == 1  # one rule under them
    assert [int(line.split()[0]) for line in lines[2:]] == ids  # every row, in order
    assert register.json("history") == register.json("history", "--limit", str(len(ids)))


@pytest.mark.parametrize(
    "args",
    [
        ["project", "add", "X", "--segment", "S1", "--start", "30. februar 2019"],
        ["project", "add", "X", "--segment", "NOPE"],
        ["project", "add", "X", "--segment", "S1", "--purpose", "Borger 010203-1234 deltager"],
        ["project", "edit", "P1", "--purpose", "cpr 0102031234"],
        ["segment", "add", "X", "--portfolio", "FOM", "--annual-cost", "1.5"],
        ["project", "pause", "P1"],
        ["project", "edit", "P1", "--department", "SF", "--department", "NOPE"],
    ],
)
def test_refused_commands_write_nothing(register: Cli, args: list[str]) -> None:
    before = register.snapshot()
    err = register.fails(*args)
    assert err.startswith("error: ") and err.count("\n") == 1
    assert register.snapshot() == before


def test_cpr_refusal_never_echoes_the_digits(register: Cli) -> None:
    err = register.fails("project", "edit", "P1", "--purpose", "Borger 010203-1234 deltager")
    assert "CPR" in err and "010203" not in err and "1234" not in err
    assert "010203" not in str(register.json("history"))


def test_journal_is_append_only_and_tampering_is_detected(register: Cli) -> None:
    with sqlite3.connect(register.db) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE journal SET actor = 'x' WHERE id = 3")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM journal WHERE id = 3")
    assert "intact" in register("history", "verify").stdout
    with sqlite3.connect(register.db) as conn:  # someone with file access drops the guard
        conn.execute("DROP TRIGGER journal_no_update")
        conn.execute("UPDATE journal SET actor = 'someone else' WHERE id = 3")
    assert "altered at row 3" in register.fails("history", "verify")
    assert "BROKEN at journal row 3" in register("db", "check", code=1).stdout


def test_cpr_in_by_or_anywhere_on_the_command_line_is_refused(register: Cli) -> None:
    before = register.snapshot()
    err = register.fails("--by", "010203-1234", "project", "edit", "P1", "--leader", "Ny leder")
    assert "--by" in err and "010203" not in err
    err = register.fails("project", "add", "Projekt 010203-1234", "--segment", "S1")
    assert "CPR" in err and "1234" not in err
    assert register.snapshot() == before
