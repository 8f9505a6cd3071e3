"""Opening a portefolje database only to read it: for the consolidated report over several
secretariats' files, and for the reader site (`serve`).

Nothing here writes to the file or beside it: no upgrade, no journal-mode switch, no -wal or -shm
file left behind. A file in WAL mode with no -wal file beside it is opened `immutable` (a plain
read-only open would create -wal and -shm files next to someone else's database); a file with a
-wal file, or in rollback-journal mode (network shares), is opened `mode=ro`, which takes the
usual shared lock and sees committed pages. Because `immutable` trusts the file not to change, a
reader checks afterwards that it did not (`ReadOnlyFile.unchanged`).

A file of another schema version is refused by name: a reader cannot upgrade it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from portefolje.domain.errors import DatabaseError
from portefolje.i18n import msg

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables every portefolje database has: a file without them is someone else's.
OUR_TABLES = frozenset({"portfolio", "project", "journal"})


@dataclass
class ReadOnlyFile:
    """An open read-only connection to one portefolje file, and what it was when opened."""

    path: Path
    conn: sqlite3.Connection
    immutable: bool
    version: int
    stamp: tuple[Any, ...] = field(default_factory=tuple)

    def unchanged(self) -> bool:
        """Whether the file (and its -wal) is still as it was when opened."""
        return _stamp(self.path) == self.stamp

    def close(self) -> None:
        self.conn.close()


def _stamp(path: Path) -> tuple[Any, ...]:
    """Size and modification time of the file and of its -wal file (absent: None)."""
    out: list[Any] = []
    for p in (path, Path(f"{path}-wal")):
        try:
            st = p.stat()
            out += [st.st_size, st.st_mtime_ns]
        except FileNotFoundError:
            out += [None, None]
    return tuple(out)


def uri(path: Path, immutable: bool) -> str:
    """The file: URI SQLite opens read-only (percent-encoded, so '?' or '#' in a folder name is
    no query)."""
    posix = path.resolve().as_posix()
    if not posix.startswith("/"):  # C:/… on Windows
        posix = "/" + posix
    query = "mode=ro&immutable=1" if immutable else "mode=ro"
    return f"file://{quote(posix, safe='/:')}?{query}"


def wants_immutable(path: Path) -> bool:
    """`immutable` for a WAL-mode file with no -wal file beside it (byte 18 of the header is 2
    in WAL mode); `mode=ro` otherwise."""
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise DatabaseError(msg("err.not_ours", path=path, reason=msg("err.reason_not_sqlite")))
    return header[18] == 2 and not Path(f"{path}-wal").exists()


def open_readonly(
    path: Path, *, expect_version: int | None = None, immutable: bool | None = None
) -> ReadOnlyFile:
    """Open `path` read-only. `expect_version` (default: this program's latest) refuses any other
    schema version; `immutable` forces the choice (None: decided from the file, as above)."""
    from portefolje.store.connection import latest_version

    if not path.is_file():
        raise DatabaseError(msg("err.no_database_at", path=path))
    stamp = _stamp(path)
    frozen = wants_immutable(path) if immutable is None else immutable
    conn = sqlite3.connect(uri(path, frozen), uri=True, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    # the page cache the writer's connections use too (store/connection.py): reports at scale
    # read many index pages
    conn.execute("PRAGMA cache_size = -32768")
    try:
        version, tables = _look(conn, path)
        if not tables >= OUR_TABLES:
            raise DatabaseError(msg("err.not_ours", path=path, reason=msg("err.reason_no_tables")))
        wanted = latest_version() if expect_version is None else expect_version
        if version != wanted:
            raise DatabaseError(_version_message(path, version, wanted))
    except BaseException:
        conn.close()
        raise
    return ReadOnlyFile(path, conn, frozen, version, stamp)


def _look(conn: sqlite3.Connection, path: Path) -> tuple[int, set[str]]:
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(msg("err.not_ours_plain", path=path, reason=exc)) from exc
    return version, tables


def _version_message(path: Path, found: int, wanted: int) -> str:
    if found > wanted:
        return msg("err.ro_schema_newer", path=path, found=found, wanted=wanted)
    return msg("err.ro_schema_older", path=path, found=found, wanted=wanted)


def read_snapshot(f: ReadOnlyFile) -> None:
    """Start one read transaction, so every read until `end_snapshot` sees the same state of the
    file (in WAL mode a writer may go on meanwhile; in rollback mode it waits)."""
    f.conn.execute("BEGIN")
    f.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def end_snapshot(f: ReadOnlyFile) -> None:
    if f.conn.in_transaction:
        f.conn.execute("COMMIT")


def last_change(conn: sqlite3.Connection) -> str | None:
    """When the file last changed: the time of the journal's newest row (UTC, ISO)."""
    row = conn.execute("SELECT at FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    return str(row[0]) if row else None
