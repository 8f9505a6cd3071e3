"""Migrations: all pending steps of migrations/ in one transaction under the write lock.

Opening a database (`connection.open_db`) calls `migrate`; an existing database is first copied
beside itself by `backup.before_upgrade`. Migration files are plain SQL run statement by
statement inside that one transaction, so they must not hold transaction statements or VACUUM.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from portefolje.domain.errors import DatabaseError
from portefolje.i18n import msg
from portefolje.store.connection import (
    APPLICATION_ID,
    disk_full,
    disk_full_text,
    migrations,
    translate_operational,
)


def statements(script: str) -> Iterator[str]:
    """The statements of a migration file one at a time (triggers included: SQLite's own
    `complete_statement` says where each ends)."""
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if re.sub(r"--[^\n]*|/\*.*?\*/|\s|;", "", buffer, flags=re.S):
                yield buffer.strip()
            buffer = ""
    if re.sub(r"--[^\n]*|/\*.*?\*/|\s|;", "", buffer, flags=re.S):
        raise DatabaseError(msg("err.migration_incomplete", text=buffer[:60]))


# a statement that only builds or drops an index leaves every row as it was
_INDEX_ONLY = re.compile(r"(CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+INDEX)\b", re.IGNORECASE)


def _keeps_rows(statement: str) -> bool:
    """True for a statement that builds or drops an index: after it, the data and the journal
    agree exactly as before, so an upgrade of such steps only has nothing to compare."""
    bare = re.sub(r"--[^\n]*|/\*.*?\*/", "", statement, flags=re.S).lstrip()
    return _INDEX_ONLY.match(bare) is not None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def migrate(
    conn: sqlite3.Connection,
    path: Path | None,
    notify: Callable[[str], None] | None = None,
) -> list[int]:
    """Bring the schema to the latest version: all pending migrations in one transaction under
    the write lock (BEGIN IMMEDIATE), with the version read again once the lock is held, so that
    of several processes opening an old database at once one upgrades and the others find it
    done. An existing database is first copied beside itself as NAME.pre-vN-TIMESTAMP (a
    verified backup, see `backup`). Each run is recorded in schema_migration. A failure (a bad
    step, a full disk, Ctrl-C) rolls everything back: the file stays as it was.
    """
    steps = migrations()
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= len(steps):
        return []
    # table rebuilds need foreign keys off; they are checked as a whole before the commit
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise translate_operational(exc, path) from exc
        try:
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            pending = [m for m in steps if m[0] > current]
            if not pending:  # another process upgraded it while we waited for the lock
                conn.execute("ROLLBACK")
                return []
            if current > 0 and path is not None:
                from portefolje.store.backup import before_upgrade

                before_upgrade(conn, path, current, pending[-1][0], notify)
            _apply(conn, pending, path, notify)
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if not disk_full(exc):
                    raise
                raise DatabaseError(
                    msg(
                        "err.upgrade_disk_full_version",
                        path=path or msg("what.the_database"),
                        version=pending[-1][0],
                        full=disk_full_text(),
                        current=current,
                    )
                ) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    if current > 0 and notify and path is not None:
        notify(msg("msg.upgraded", path=path, old=current, new=pending[-1][0]))
    return [number for number, _, _ in pending]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None


def _apply(
    conn: sqlite3.Connection,
    pending: list[tuple[int, str, Path]],
    path: Path | None,
    notify: Callable[[str], None] | None = None,
) -> None:
    from portefolje import __version__
    from portefolje.store.checks import compare_with_journal, journal_differences

    started = _now()
    scripts = [
        (number, list(statements(file.read_text(encoding="utf-8")))) for number, _, file in pending
    ]
    journaled = _has_table(conn, "journal")
    # steps that only build or drop indexes (5, 9, 10, 12) change no row: nothing to compare,
    # journal or check again (at L each comparison reads the whole journal, some 2 s)
    reshapes = not all(_keeps_rows(s) for _, script in scripts for s in script)
    # a file that already held changes made outside portefolje keeps them visible to `db check`:
    # its upgrade is then not journaled either (it would hide them among its own rows)
    clean = journaled and reshapes and compare_with_journal(conn, limit=0)["ok"]
    for (number, script), (_, _name, file) in zip(scripts, pending, strict=True):
        try:
            for statement in script:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except sqlite3.Error as exc:
            if disk_full(exc):
                raise DatabaseError(
                    msg(
                        "err.upgrade_disk_full",
                        path=path or msg("what.the_database"),
                        full=disk_full_text(),
                    )
                ) from exc
            raise DatabaseError(msg("err.migration_failed", name=file.name, error=exc)) from exc
    if clean:
        journal_differences(conn, f"upgrade to schema version {pending[-1][0]}")
    elif journaled and reshapes and notify is not None:
        notify(msg("msg.changed_outside"))
    if _has_table(conn, "schema_migration"):
        conn.executemany(
            "INSERT INTO schema_migration (version, name, applied_at, app_version) "
            "VALUES (?, ?, ?, ?)",
            [(number, name, started, __version__) for number, name, _ in pending],
        )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    broken = conn.execute("PRAGMA foreign_key_check").fetchone() if reshapes else None
    if broken is not None:
        raise DatabaseError(msg("err.upgrade_reference", table=broken[0], row=broken[1]))


def migration_runs(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """Each recorded migration run (version, name, when, by which portefolje), oldest first."""
    if not _has_table(conn, "schema_migration"):
        return []
    return [
        {"version": r[0], "name": r[1], "applied_at": r[2], "app_version": r[3]}
        for r in conn.execute(
            "SELECT version, name, applied_at, app_version FROM schema_migration "
            "ORDER BY applied_at, version"
        )
    ]
