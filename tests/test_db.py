"""init, db path/backup/check, connection settings, migrations, refusal of newer schemas."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from conftest import Cli
from portefolje.store.connection import latest_version, migrations


def test_init_is_safe_to_rerun(cli: Cli) -> None:
    before = cli.db.read_bytes()
    result = cli("init")
    assert "database ready" in result.stderr
    assert cli.db.read_bytes() == before or cli.json("history") == []


def test_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    c = Cli(tmp_path / "missing.db")
    err = c.fails("--db", str(tmp_path / "missing.db"), "project", "list")
    assert "no database at" in err and "portefolje init" in err
    assert not (tmp_path / "missing.db").exists()


def test_db_path_follows_option_then_environment(cli: Cli, tmp_path: Path) -> None:
    assert cli("db", "path").stdout.strip() == str(cli.db)
    assert cli("--db", str(tmp_path / "x.db"), "db", "path").stdout.strip() == str(
        tmp_path / "x.db"
    )


def test_connection_settings(cli: Cli) -> None:
    from portefolje.store.connection import open_db

    conn = open_db(cli.db)
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    conn.close()


def test_rollback_journal_mode_can_be_chosen(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from portefolje.store.connection import open_db

    monkeypatch.setenv("PORTEFOLJE_JOURNAL_MODE", "delete")
    conn = open_db(cli.db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_backup_and_check(register: Cli, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    assert register("db", "backup", str(target)).stdout.strip() == str(target)
    copy = Cli(target)
    assert [p["code"] for p in copy.json("--db", str(target), "project", "list")] == ["P1", "P2"]
    out = register("db", "check").stdout
    assert "integrity        ok" in out and "chain intact" in out
    assert "already exists" in register.fails("db", "backup", str(target))


def test_newer_schema_is_refused_without_touching_the_file(tmp_path: Path) -> None:
    from portefolje.store.connection import APPLICATION_ID

    db = tmp_path / "future.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE x (a)")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    err = Cli(db).fails("--db", str(db), "project", "list")
    assert "newer than this portefolje understands" in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert not Path(str(db) + "-wal").exists() and not Path(str(db) + "-shm").exists()


def _database_at(path: Path, version: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for number, _, file in migrations()[:version]:
        conn.executescript(f"BEGIN;\n{file.read_text()}\nPRAGMA user_version = {number};\nCOMMIT;")
    conn.close()


def _schema(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        ).fetchall()


def test_upgrade_from_the_first_version_backs_up_and_matches_a_fresh_schema(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _database_at(old, 1)
    Cli(old)("--db", str(old), "init")
    fresh = tmp_path / "fresh.db"
    Cli(fresh)("--db", str(fresh), "init")
    assert _schema(old) == _schema(fresh)
    backups = list(tmp_path.glob("old.db.pre-v*"))
    if latest_version() > 1:
        assert len(backups) == 1
        with sqlite3.connect(backups[0]) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_migrations_are_numbered_without_gaps() -> None:
    assert [m[0] for m in migrations()] == list(range(1, latest_version() + 1))
