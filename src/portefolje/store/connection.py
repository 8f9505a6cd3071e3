"""Opening the database: location, which files are ours, connection settings, schema version,
migrations and backups.

Every command gets its connection from `open_db`, which

- opens only portefolje databases: a file carrying our `PRAGMA application_id`, or one made by
  portefolje 0.1 (no id yet, but a schema version and our tables; it gets the id at its next
  upgrade). Any other file is refused untouched: no write, no -wal or -shm file left behind;
- creates a file only when asked (`init`, `demo`, an import), never for a read or a dry run;
- refuses a schema newer than the program without writing anything, and upgrades an older one
  under the write lock, after a verified backup, in one transaction (`migrate`);
- applies the same settings to every connection: foreign keys on, synchronous=FULL, a busy
  timeout; new files get WAL unless they live on a network share (WAL needs shared memory that
  SMB/NFS do not provide), and an existing file keeps its journal mode unless
  PORTEFOLJE_JOURNAL_MODE asks for another;
- opens read-only when the file or its folder cannot be written, so that reading still works.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path, PureWindowsPath

from portefolje.domain.errors import DatabaseError

# "Port" in the file header (offset 68): marks a file as a portefolje database.
APPLICATION_ID = 0x506F7274
DEFAULT_BUSY_TIMEOUT = 30.0
MAX_BUSY_TIMEOUT = 24 * 3600.0
# Tables every portefolje database has had since 0.1.0, which set no application id yet.
LEGACY_TABLES = frozenset({"portfolio", "project", "journal"})
NETWORK_FS = frozenset(
    {
        # SMB / CIFS, NFS, AFS
        "cifs",
        "smb3",
        "smbfs",
        "smb",
        "nfs",
        "nfs4",
        "afs",
        "ncpfs",
        # virtual machine shared folders
        "9p",
        "vboxsf",
        "vmhgfs",
        "fuse.vmhgfs-fuse",
        "prl_fs",
        # cluster and distributed file systems
        "glusterfs",
        "fuse.glusterfs",
        "ceph",
        "fuse.ceph",
        "fuse.cephfs",
        "lustre",
        "gpfs",
        # FUSE bridges to remote storage
        "davfs",
        "fuse.davfs",
        "fuse.sshfs",
        "fuse.s3fs",
        "fuse.rclone",
    }
)
DRIVE_REMOTE = 4  # GetDriveTypeW: a mapped network drive
JOURNAL_MODES = {"wal": "wal", "delete": "delete", "rollback": "delete"}
_SQLITE_MAGIC = b"SQLite format 3\x00"


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


def check_busy_timeout(seconds: float) -> float:
    """A usable busy timeout in seconds: finite, not negative, at most a day."""
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_BUSY_TIMEOUT:
        raise DatabaseError(
            f"--busy-timeout must be a number of seconds from 0 to {int(MAX_BUSY_TIMEOUT)}"
        )
    return seconds


# -- network shares ------------------------------------------------------------------------------


def _windows_drive_type(root: str) -> int:
    import ctypes  # lazy, and only on Windows

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def is_network_path(
    path: Path | str,
    mount_table: str | None = None,
    *,
    windows: bool | None = None,
    drive_type: Callable[[str], int] | None = None,
) -> bool:
    """True for \\\\server\\share paths, for mapped network drives on Windows (GetDriveType, or the
    `drive_type` given) and for files on a network or shared-folder file system per the mount
    table (/proc/mounts unless one is given)."""
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        return True
    if windows is None:
        windows = os.name == "nt"
    if windows:
        drive = PureWindowsPath(text).drive
        if drive.startswith("\\\\"):
            return True
        if not drive:
            return False
        return (drive_type or _windows_drive_type)(drive + "\\") == DRIVE_REMOTE
    if mount_table is None:
        try:
            mount_table = Path("/proc/mounts").read_text()
        except OSError:
            return False
    target = str(Path(text).resolve().parent)
    best, best_type = "", ""
    for line in mount_table.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, best_type = point, parts[2]
    return best_type in NETWORK_FS


def journal_setting() -> str | None:
    """PORTEFOLJE_JOURNAL_MODE as a journal mode ('wal' or 'delete'), or None when unset."""
    raw = os.environ.get("PORTEFOLJE_JOURNAL_MODE", "")
    setting = raw.strip().lower()
    if not setting:
        return None
    if setting not in JOURNAL_MODES:
        shown = raw.encode("ascii", "backslashreplace").decode()[:40]
        raise DatabaseError(
            f"PORTEFOLJE_JOURNAL_MODE={shown!r} is not a journal mode portefolje knows: "
            "use wal or delete (rollback), or unset it"
        )
    return JOURNAL_MODES[setting]


def journal_mode_for(path: Path, current: str | None = None) -> str:
    """The journal mode the file at `path` should run in.

    PORTEFOLJE_JOURNAL_MODE decides when set (WAL is refused on a network share). Unset, a new
    file (`current` None) gets WAL, or the rollback journal (DELETE) on a network share; an
    existing file keeps its mode, except that WAL on a network share is switched to DELETE: the
    one change made without being asked, because WAL there can corrupt the database."""
    setting = journal_setting()
    if setting == "wal" and is_network_path(path):
        raise DatabaseError(
            f"{path} is on a network share, where SQLite's WAL mode can corrupt the database; "
            "unset PORTEFOLJE_JOURNAL_MODE=wal (rollback-journal mode is used there)"
        )
    if setting is not None:
        return setting
    if current is None:
        return "delete" if is_network_path(path) else "wal"
    if current == "wal" and is_network_path(path):
        return "delete"
    return current


# -- what is at the path -------------------------------------------------------------------------


class FileInfo:
    """What `inspect_file` found at a path, read without writing anything. (A plain class: a
    dataclass would cost every command's start-up its generated code.)"""

    __slots__ = ("kind", "version", "application_id", "wal", "reason")

    def __init__(
        self,
        kind: str,  # missing | empty | ours | foreign | not-sqlite | unreadable | no-access
        version: int = 0,
        application_id: int = 0,
        wal: bool = False,  # the header says WAL mode
        reason: str = "",
    ):
        self.kind = kind
        self.version = version
        self.application_id = application_id
        self.wal = wal
        self.reason = reason


def _sidecar(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


def _uri(path: Path, **options: str) -> str:
    """A file: URI for SQLite (percent-encoded: a '?' or '#' in a folder name is no query)."""
    from urllib.parse import quote

    posix = path.resolve().as_posix()
    if not posix.startswith("/"):  # C:/… on Windows
        posix = "/" + posix
    query = "&".join(f"{k}={v}" for k, v in options.items())
    return f"file://{quote(posix, safe='/:')}?{query}"


def _peek_connection(path: Path, wal: bool, busy_timeout: float) -> sqlite3.Connection:
    """A read-only look that creates nothing beside the file: `immutable` when the file is in WAL
    mode and no -wal file exists (a plain read would create -wal and -shm), else `mode=ro`, which
    takes the usual shared lock and so waits for a writer in the middle of a commit."""
    if wal and not _sidecar(path, "-wal").exists():
        uri = _uri(path, mode="ro", immutable="1")
    else:
        uri = _uri(path, mode="ro")
    return sqlite3.connect(uri, uri=True, timeout=busy_timeout)


def inspect_file(path: Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> FileInfo:
    """Whether `path` is missing, empty, a portefolje database, or something else."""
    try:
        if not path.exists():
            return FileInfo("missing")
        size = path.stat().st_size
        if size == 0:
            return FileInfo("empty")
        with open(path, "rb") as f:
            header = f.read(100)
    except OSError as exc:
        return FileInfo("no-access", reason=exc.strerror or str(exc))
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return FileInfo("not-sqlite", reason="not an SQLite database")
    wal = header[18] == 2
    try:
        conn = _peek_connection(path, wal, busy_timeout)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            tables = {
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite%'"
                )
            }
            objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):  # a writer in the middle of a commit
            raise translate_operational(exc, path) from exc
        return FileInfo("unreadable", wal=wal, reason=str(exc))
    except sqlite3.DatabaseError as exc:
        return FileInfo("unreadable", wal=wal, reason=str(exc))
    info = FileInfo("foreign", version, app_id, wal)
    if app_id == APPLICATION_ID:
        info.kind = "ours"
    elif app_id == 0 and version == 0 and objects == 0:
        info.kind = "empty"
    elif app_id == 0 and version >= 1 and tables >= LEGACY_TABLES:
        info.kind = "ours"  # made by portefolje 0.1: the id is set at its next upgrade
    elif app_id != 0:
        info.reason = f"it belongs to another program (application id {app_id:#010x})"
    elif version == 0:
        info.reason = "it holds tables of another program"
    else:
        info.reason = f"schema version {version} but not portefolje's tables"
    return info


def _writable(path: Path) -> bool:
    """Whether this process can write the file and create files beside it (SQLite's journal)."""
    folder = path.resolve().parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


# -- opening -------------------------------------------------------------------------------------


def open_db(
    path: Path,
    *,
    create: bool = False,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    notify: Callable[[str], None] | None = None,
) -> sqlite3.Connection:
    """Open (and with `create`, create; if needed, upgrade) the portefolje database at `path`."""
    busy_timeout = check_busy_timeout(busy_timeout)
    journal_setting()  # an unknown PORTEFOLJE_JOURNAL_MODE is refused before anything is touched
    info = inspect_file(path, busy_timeout)
    if info.kind in ("missing", "empty"):
        if not create:
            raise DatabaseError(
                f"no database at {path}; create it with `portefolje init` (or pass --db PATH)"
            )
        return _create(path, busy_timeout)
    if info.kind == "no-access":
        raise DatabaseError(f"cannot read {path}: {info.reason}")
    if info.kind != "ours":
        raise DatabaseError(
            f"{path} is not a portefolje database ({info.reason}); it was not touched"
        )
    latest = latest_version()
    if info.version > latest:
        raise DatabaseError(
            f"{path} has schema version {info.version}, newer than this portefolje understands "
            f"({latest}); upgrade portefolje to use it (the file was not touched)"
        )
    if not _writable(path):
        if info.version < latest:
            raise DatabaseError(
                f"{path} has schema version {info.version} and needs an upgrade to {latest}, "
                "but it is read-only here; run `portefolje init` where the file and its folder "
                "can be written"
            )
        return _open_read_only(path, info, busy_timeout)
    conn = _connect(path, busy_timeout)
    try:
        _configure(conn, busy_timeout)
        current = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        wanted = journal_mode_for(path, current)
        if wanted != current:
            conn.execute(f"PRAGMA journal_mode = {wanted}")
            if notify and journal_setting() is None:
                notify(f"note: {path} is on a network share; switched it from WAL to rollback mode")
        migrate(conn, path, notify)
    except sqlite3.OperationalError as exc:
        conn.close()
        raise translate_operational(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


class Connection(sqlite3.Connection):
    """sqlite3's connection with one more fact: whether it was opened read-only."""

    read_only = False


def _connect(path: Path | str, busy_timeout: float, *, uri: bool = False) -> Connection:
    conn = sqlite3.connect(
        path, timeout=busy_timeout, isolation_level=None, uri=uri, factory=Connection
    )
    conn.row_factory = sqlite3.Row
    return conn


def _open_read_only(path: Path, info: FileInfo, busy_timeout: float) -> Connection:
    """A read-only connection for a file or folder this process cannot write.

    Without a -wal file beside it, the file is opened `immutable`: in a read-only folder nobody
    can create the journal a writer needs, so the file cannot change while we read; and a WAL
    file read by someone who may not write it would otherwise get -wal and -shm files created by
    that reader, which can stop its owner from writing. With a -wal file (a writer is at work),
    a plain read-only open sees the pages in it."""
    if not _sidecar(path, "-wal").exists() and (
        info.wal or not os.access(path.resolve().parent, os.W_OK)
    ):
        uri = _uri(path, mode="ro", immutable="1")
    else:
        uri = _uri(path, mode="ro")
    conn = _connect(uri, busy_timeout, uri=True)
    conn.read_only = True
    try:
        _configure(conn, busy_timeout)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        raise DatabaseError(
            f"cannot read {path} here: it is read-only and in WAL mode, and SQLite needs to "
            f"create {path.name}-shm beside it ({exc}); copy the file somewhere writable"
        ) from exc
    return conn


def _create(path: Path, busy_timeout: float) -> Connection:
    """A new database: our application id in the header first, then the journal mode, then the
    schema (the header is written before WAL is switched on, so the main file carries the id)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path, busy_timeout)
    try:
        _configure(conn, busy_timeout)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA journal_mode = {journal_mode_for(path)}")
        migrate(conn, None)
    except sqlite3.OperationalError as exc:
        conn.close()
        raise translate_operational(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def scratch_db() -> Connection:
    """A fresh database in memory at the latest schema: what a dry run works on when there is no
    database file yet (a dry run never creates one)."""
    conn = _connect(":memory:", DEFAULT_BUSY_TIMEOUT)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrate(conn, None)
    return conn


def _configure(conn: sqlite3.Connection, busy_timeout: float) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # 32 MB of page cache (the default is 2 MB): large imports and reports touch many index
    # pages; measured with bench/ it cuts the 200,000-line import by a fifth
    conn.execute("PRAGMA cache_size = -32768")


# -- migrations ----------------------------------------------------------------------------------


def _statements(script: str) -> Iterator[str]:
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
        raise DatabaseError(f"a migration ends in an incomplete statement: {buffer[:60]!r}")


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


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
                _backup_before_upgrade(conn, path, current, pending[-1][0], notify)
            _apply(conn, pending, path)
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if not _disk_full(exc):
                    raise
                raise DatabaseError(
                    f"could not upgrade {path or 'the database'} to schema version "
                    f"{pending[-1][0]}: {DISK_FULL}; it was left as it was (version {current}); "
                    "free some space and run the command again"
                ) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    if current > 0 and notify and path is not None:
        notify(f"upgraded {path} from schema version {current} to {pending[-1][0]}")
    return [number for number, _, _ in pending]


def _apply(
    conn: sqlite3.Connection, pending: list[tuple[int, str, Path]], path: Path | None
) -> None:
    from portefolje import __version__

    started = _now()
    for number, _name, file in pending:
        try:
            for statement in _statements(file.read_text(encoding="utf-8")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except sqlite3.Error as exc:
            if _disk_full(exc):
                raise DatabaseError(
                    f"could not upgrade {path or 'the database'}: {DISK_FULL}; it was left as "
                    "it was; free some space and run the command again"
                ) from exc
            raise DatabaseError(
                f"migration {file.name} failed and was rolled back: {exc}; the database was "
                "left as it was"
            ) from exc
    has_log = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'"
    ).fetchone()
    if has_log:
        conn.executemany(
            "INSERT INTO schema_migration (version, name, applied_at, app_version) "
            "VALUES (?, ?, ?, ?)",
            [(number, name, started, __version__) for number, name, _ in pending],
        )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        raise DatabaseError(
            f"the upgrade would break a reference in table {broken[0]} (row {broken[1]}); "
            "it was rolled back and the database left as it was"
        )


def migration_runs(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """Each recorded migration run (version, name, when, by which portefolje), oldest first."""
    has_log = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'"
    ).fetchone()
    if not has_log:
        return []
    return [
        {"version": r[0], "name": r[1], "applied_at": r[2], "app_version": r[3]}
        for r in conn.execute(
            "SELECT version, name, applied_at, app_version FROM schema_migration "
            "ORDER BY applied_at, version"
        )
    ]


# -- backups -------------------------------------------------------------------------------------


def journal_head(conn: sqlite3.Connection) -> tuple[int, str]:
    """The journal's row count and last hash: what identifies a database's state."""
    count = conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    last = conn.execute("SELECT hash FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    return int(count), (last[0] if last else "0" * 64)


def _backup_before_upgrade(
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
                notify(f"an earlier backup holds this database as it is: {earlier}")
            return
    copy = path.with_name(f"{path.name}.pre-v{target_version}-{_timestamp()}")
    # our connection holds the write lock, and SQLite's backup API cannot read through it: a
    # second, read-only connection sees the same (not yet changed) database
    source = sqlite3.connect(_uri(path, mode="ro"), uri=True, timeout=DEFAULT_BUSY_TIMEOUT)
    try:
        backup(source, copy, expect_version=version)
    except DatabaseError as exc:
        raise DatabaseError(f"{exc}; {path} was not upgraded and is as it was") from exc
    finally:
        source.close()
    if notify:
        notify(f"backed up the database to {copy} before upgrading it")


def glob_escape(name: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", name)


def _same_state(copy: Path, version: int, head: tuple[int, str]) -> bool:
    try:
        conn = sqlite3.connect(_uri(copy, mode="ro", immutable="1"), uri=True)
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
        raise DatabaseError(
            f"{target} already exists; choose another name (backups never overwrite)"
        )
    if expect_version is None:
        expect_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
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
            raise DatabaseError(f"the backup failed its check ({problem}); no backup was made")
        for leftover in ("-wal", "-shm", "-journal"):
            if _sidecar(partial, leftover).exists():
                raise DatabaseError("the backup was not completely written; no backup was made")
        _fsync(partial)
        _publish(partial, target)
    except sqlite3.Error as exc:
        if _disk_full(exc):
            raise DatabaseError(f"could not write the backup {target}: {DISK_FULL}") from exc
        raise DatabaseError(f"could not write the backup {target}: {exc}") from exc
    except OSError as exc:
        if exc.errno == 28:  # ENOSPC
            raise DatabaseError(f"could not write the backup {target}: {DISK_FULL}") from exc
        raise DatabaseError(f"could not write the backup {target}: {exc.strerror or exc}") from exc
    finally:
        for leftover in ("", "-wal", "-shm", "-journal"):
            _sidecar(partial, leftover).unlink(missing_ok=True)


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
        raise DatabaseError(
            f"{target} already exists; choose another name (backups never overwrite)"
        ) from None
    except (OSError, NotImplementedError):
        if target.exists():
            raise DatabaseError(
                f"{target} already exists; choose another name (backups never overwrite)"
            ) from None
        os.rename(partial, target)
    if os.name != "nt":  # the new name itself must survive a power cut
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- errors --------------------------------------------------------------------------------------

DISK_FULL = "disken er fuld (the disk is full, so SQLite could not write)"


def _disk_full(exc: BaseException) -> bool:
    return "disk is full" in str(exc) or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL"


def translate_operational(exc: sqlite3.Error, path: Path | None = None) -> DatabaseError:
    """Turn SQLite's lock and I/O errors into one line a user can act on."""
    text = str(exc)
    where = f" {path}" if path else ""
    if _disk_full(exc):
        return DatabaseError(
            f"{DISK_FULL}: nothing was changed in the database{where}; free some space and "
            "try again"
        )
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"the database{where} is locked by another portefolje process; nothing was changed. "
            "Try again, or raise --busy-timeout"
        )
    if re.search(r"readonly|read-only", text):
        return DatabaseError(f"the database{where} is read-only here; nothing was changed")
    if "unable to open" in text:
        return DatabaseError(
            f"cannot open or create the database{where}: check that its folder exists and can "
            "be written (unable to open database file)"
        )
    if "disk I/O error" in text:
        return DatabaseError(
            f"the disk reported an error while writing the database{where} (disk I/O error); "
            "nothing was changed. Check the drive or share, then run `portefolje db check`"
        )
    return DatabaseError(f"database error{where}: {text}")
