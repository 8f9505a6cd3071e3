"""Backups that can be trusted: SQLite's online backup into a temporary file in the target
folder, checked (integrity, application id, schema version), flushed to disk, and only then
given its name (never over an existing file). Used by `db backup` and before every upgrade.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from portefolje.domain.errors import DatabaseError
from portefolje.i18n import msg
from portefolje.store.connection import (
    APPLICATION_ID,
    DEFAULT_BUSY_TIMEOUT,
    disk_full,
    disk_full_text,
    file_uri,
    sidecar,
)


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def journal_head(conn: sqlite3.Connection) -> tuple[int, str]:
    """The journal's row count and last hash: what identifies a database's state."""
    from portefolje.store.checks import journal_anchor

    head = journal_anchor(conn)
    return head["rows"], head["hash"]


def before_upgrade(
    conn: sqlite3.Connection,
    path: Path,
    version: int,
    target_version: int,
    notify: Callable[[str], None] | None,
) -> None:
    """The copy taken before an upgrade, unless an earlier attempt (one that then failed) left a
    verified copy of this very state: then that one is kept, and no new copy is made on every
    later command."""
    head = journal_head(conn)
    for earlier in sorted(path.parent.glob(f"{glob_escape(path.name)}.pre-v{target_version}-*")):
        if _same_state(earlier, version, head):
            if notify:
                notify(msg("msg.earlier_backup", path=earlier))
            return
    copy = path.with_name(f"{path.name}.pre-v{target_version}-{_timestamp()}")
    # our connection holds the write lock, and SQLite's backup API cannot read through it: a
    # second, read-only connection sees the same (not yet changed) database
    source = sqlite3.connect(file_uri(path, mode="ro"), uri=True, timeout=DEFAULT_BUSY_TIMEOUT)
    try:
        backup(source, copy, expect_version=version)
    except DatabaseError as exc:
        raise DatabaseError(msg("err.backup_before_upgrade", error=exc, path=path)) from exc
    finally:
        source.close()
    if notify:
        notify(msg("msg.backed_up_before_upgrade", path=copy))


def glob_escape(name: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", name)


def _same_state(copy: Path, version: int, head: tuple[int, str]) -> bool:
    try:
        conn = sqlite3.connect(file_uri(copy, mode="ro", immutable="1"), uri=True)
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] != version:
                return False
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                return False
            return journal_head(conn) == head
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def backup(conn: sqlite3.Connection, target: Path, *, expect_version: int | None = None) -> None:
    """A consistent copy through SQLite's online backup API (safe while others write), that can
    be trusted: written to a temporary file in the target folder, checked (integrity, our
    application id, the schema version), flushed to disk, and only then given its name. A copy
    that is stopped half-way (killed, disk full) never carries the final name; `target` is never
    overwritten."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise DatabaseError(msg("err.backup_exists", path=target))
    if expect_version is None:
        expect_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    _sweep_partials(target.parent)
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    try:
        dest = sqlite3.connect(partial, isolation_level=None)
        try:
            conn.backup(dest)
            # a database from portefolje 0.1 has no id yet: its copy gets one, like the original
            # at its upgrade
            if dest.execute("PRAGMA application_id").fetchone()[0] == 0:
                dest.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            problem = _backup_problem(dest, expect_version)
        finally:
            dest.close()
        if problem:
            raise DatabaseError(msg("err.backup_check", problem=problem))
        for leftover in ("-wal", "-shm", "-journal"):
            if sidecar(partial, leftover).exists():
                raise DatabaseError(msg("err.backup_incomplete"))
        _fsync(partial)
        _publish(partial, target)
    except sqlite3.Error as exc:
        if disk_full(exc):
            raise DatabaseError(
                msg("err.backup_write", path=target, error=disk_full_text())
            ) from exc
        raise DatabaseError(msg("err.backup_write", path=target, error=exc)) from exc
    except OSError as exc:
        if exc.errno == 28:  # ENOSPC
            raise DatabaseError(
                msg("err.backup_write", path=target, error=disk_full_text())
            ) from exc
        raise DatabaseError(
            msg("err.backup_write", path=target, error=exc.strerror or exc)
        ) from exc
    finally:
        for leftover in ("", "-wal", "-shm", "-journal"):
            sidecar(partial, leftover).unlink(missing_ok=True)


PARTIAL = re.compile(r".+\.partial-(\d+)(?:-wal|-shm|-journal)?")
STALE_SECONDS = 600  # a running backup writes all the time; ten minutes untouched is abandoned


def _sweep_partials(folder: Path) -> None:
    """Remove what killed backups left in the folder (a `NAME.partial-PID` copy can be as large
    as the database): only files of a process that no longer runs here and that nobody has
    written for ten minutes, so a backup running on another machine into a shared folder (whose
    PID means nothing here) is left alone while it works."""
    if os.name == "nt":
        return
    now = datetime.now(UTC).timestamp()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = PARTIAL.fullmatch(entry.name)
        if not found or _alive(int(found.group(1))):
            continue
        try:
            if now - entry.stat().st_mtime > STALE_SECONDS:
                os.unlink(entry.path)
        except OSError:
            continue  # gone meanwhile, or not ours to remove


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # it runs (as someone else), or the number is no PID we can judge
    return True


def _backup_problem(dest: sqlite3.Connection, expect_version: int) -> str:
    integrity = [r[0] for r in dest.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        return f"integrity: {'; '.join(integrity[:3])}"
    if dest.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return "not a portefolje database"
    version = dest.execute("PRAGMA user_version").fetchone()[0]
    if version != expect_version:
        return f"schema version {version}, expected {expect_version}"
    return ""


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(partial: Path, target: Path) -> None:
    """Give the checked copy its name without ever replacing a file: a hard link fails if the
    name exists (POSIX); where links are not possible, rename (which refuses on Windows)."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise DatabaseError(msg("err.backup_exists", path=target)) from None
    except (OSError, NotImplementedError):
        if target.exists():
            raise DatabaseError(msg("err.backup_exists", path=target)) from None
        os.rename(partial, target)
    if os.name != "nt":  # the new name itself must survive a power cut
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
