"""Opening the database: location, connection settings, schema version, migrations, backups.

Every command gets its connection from `open_db`, which refuses a schema newer than the program
(without writing anything), backs up and migrates an older one, and applies the same settings to
every connection: foreign keys on, synchronous=FULL, a busy timeout, and WAL unless the file lives
on a network share (WAL needs shared memory that SMB/NFS do not provide).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from portefolje.domain.errors import DatabaseError

DEFAULT_BUSY_TIMEOUT = 30.0
NETWORK_FS = {"cifs", "smb3", "smbfs", "nfs", "nfs4", "afs", "9p", "fuse.sshfs", "davfs"}


def default_path() -> Path:
    """--db, else PORTEFOLJE_DB, else portefolje.db in the user's data folder."""
    env = os.environ.get("PORTEFOLJE_DB")
    if env:
        return Path(env)
    import platformdirs  # lazy: only needed when no path is given

    return Path(platformdirs.user_data_dir("portefolje", appauthor=False)) / "portefolje.db"


def shipped(folder: str) -> Path:
    """A data folder shipped with the program (migrations, examples): inside the package in an
    installed wheel, the top-level folder of a source checkout (editable install)."""
    packaged = Path(__file__).resolve().parent.parent / folder
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / folder


def migrations_dir() -> Path:
    return shipped("migrations")


def migrations() -> list[tuple[int, str, Path]]:
    """(version, name, path) of every migration, in order; numbers must run 1, 2, 3 …"""
    found = []
    for path in sorted(migrations_dir().glob("[0-9][0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:4]), path.stem[5:], path))
    for expected, (number, _, path) in enumerate(found, start=1):
        if number != expected:
            raise DatabaseError(f"migration files are out of sequence at {path.name}")
    return found


def latest_version() -> int:
    return len(migrations())


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def is_network_path(path: Path, mount_table: str | None = None) -> bool:
    """True for \\\\server\\share paths and for files on an SMB/NFS mount (per the mount table,
    /proc/mounts unless one is given)."""
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        return True
    if mount_table is None:
        try:
            mount_table = Path("/proc/mounts").read_text()
        except OSError:
            return False
    mounts = mount_table.splitlines()
    target = str(path.resolve().parent)
    best, best_type = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, best_type = point, parts[2]
    return best_type in NETWORK_FS


def journal_mode_for(path: Path) -> str:
    """WAL normally; the rollback journal (DELETE) on network shares, or when
    PORTEFOLJE_JOURNAL_MODE=delete asks for it."""
    setting = os.environ.get("PORTEFOLJE_JOURNAL_MODE", "").strip().lower()
    if setting in ("delete", "rollback"):
        return "delete"
    if setting == "wal" and is_network_path(path):
        raise DatabaseError(
            f"{path} is on a network share, where SQLite's WAL mode can corrupt the database; "
            "unset PORTEFOLJE_JOURNAL_MODE=wal (rollback-journal mode is used there)"
        )
    return "delete" if is_network_path(path) else "wal"


def _configure(conn: sqlite3.Connection, busy_timeout: float, journal_mode: str) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # 32 MB of page cache (the default is 2 MB): large imports and reports touch many index
    # pages; measured with bench/ it cuts the 200,000-line import by a fifth
    conn.execute("PRAGMA cache_size = -32768")
    current = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if current != journal_mode:
        conn.execute(f"PRAGMA journal_mode = {journal_mode}")


def _peek_version(path: Path) -> int:
    """The schema version, read without creating -wal/-shm files or taking write locks."""
    wal = Path(str(path) + "-wal")
    mode = "ro" if wal.exists() else "ro&immutable=1"
    uri = f"file:{path.resolve().as_posix()}?mode={mode}"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} is not a portefolje database ({exc})") from exc


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy through SQLite's online backup API (safe while others write)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def migrate(
    conn: sqlite3.Connection,
    path: Path | None,
    notify: Callable[[str], None] | None = None,
) -> list[int]:
    """Apply pending migrations, each in its own transaction together with its version number.

    Before upgrading an existing database it is copied beside itself as NAME.pre-vN-TIMESTAMP.
    """
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    pending = [m for m in migrations() if m[0] > current]
    if not pending:
        return []
    if current > 0 and path is not None:
        copy = path.with_name(f"{path.name}.pre-v{pending[-1][0]}-{_timestamp()}")
        backup(conn, copy)
        if notify:
            notify(f"backed up the database to {copy} before upgrading it")
    applied = []
    # A step may rebuild a table that others refer to (SQLite's way to change a constraint):
    # foreign keys are off during the step (the pragma is a no-op inside a transaction) and the
    # whole database is checked before it commits.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for number, _name, file in pending:
            script = file.read_text(encoding="utf-8")
            try:
                conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};")
                broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise sqlite3.IntegrityError(
                        f"{len(broken)} foreign key violation(s), first in table {broken[0][0]}"
                    )
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise DatabaseError(
                    f"migration {file.name} failed and was rolled back: {exc}"
                ) from exc
            applied.append(number)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return applied


def open_db(
    path: Path,
    *,
    create: bool = False,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    notify: Callable[[str], None] | None = None,
) -> sqlite3.Connection:
    """Open (and if needed create or upgrade) the database at `path`."""
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise DatabaseError(
            f"no database at {path}; create it with `portefolje init` (or pass --db PATH)"
        )
    latest = latest_version()
    if exists:
        found = _peek_version(path)
        if found > latest:
            raise DatabaseError(
                f"{path} has schema version {found}, newer than this portefolje understands "
                f"({latest}); upgrade portefolje to use it (the file was not touched)"
            )
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        _configure(conn, busy_timeout, journal_mode_for(path))
        migrate(conn, path, notify)
    except sqlite3.OperationalError as exc:
        conn.close()
        raise translate_operational(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def translate_operational(exc: sqlite3.OperationalError, path: Path | None = None) -> DatabaseError:
    """Turn SQLite's lock and I/O errors into one line a user can act on."""
    text = str(exc)
    where = f" {path}" if path else ""
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"the database{where} is locked by another portefolje process; nothing was changed. "
            "Try again, or raise --busy-timeout"
        )
    if re.search(r"readonly|read-only", text):
        return DatabaseError(f"the database{where} is read-only here; nothing was changed")
    return DatabaseError(f"database error{where}: {text}")
