"""Opening the database: location, which files are ours, connection settings, the schema
version, and SQLite's errors as one line. The upgrade itself is in `migrate.py`, the backups in
`backup.py`.

Every command gets its connection from `open_db`, which

- opens only portefolje databases: a file carrying our `PRAGMA application_id`, or one made by
  portefolje 0.1 (no id yet, but a schema version and our tables; it gets the id at its next
  upgrade). Any other file is refused untouched: no write, no -wal or -shm file left behind;
- creates a file only when asked (`init`, `demo`, an import), never for a read or a dry run;
- refuses a schema newer than the program without writing anything, and upgrades an older one
  under the write lock, after a verified backup, in one transaction (`migrate.migrate`);
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
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

from portefolje.domain.errors import DatabaseError
from portefolje.i18n import msg

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
            raise DatabaseError(msg("err.migrations_sequence", name=path.name))
    return found


def latest_version() -> int:
    return len(migrations())


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_busy_timeout(seconds: float) -> float:
    """A usable busy timeout in seconds: finite, not negative, at most a day."""
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_BUSY_TIMEOUT:
        raise DatabaseError(msg("err.busy_timeout_range", most=int(MAX_BUSY_TIMEOUT)))
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
        raise DatabaseError(msg("err.journal_mode", value=shown))
    return JOURNAL_MODES[setting]


def journal_mode_for(path: Path, current: str | None = None) -> str:
    """The journal mode the file at `path` should run in.

    PORTEFOLJE_JOURNAL_MODE decides when set (WAL is refused on a network share). Unset, a new
    file (`current` None) gets WAL, or the rollback journal (DELETE) on a network share; an
    existing file keeps its mode, except that WAL on a network share is switched to DELETE: the
    one change made without being asked, because WAL there can corrupt the database."""
    setting = journal_setting()
    if setting == "wal" and is_network_path(path):
        raise DatabaseError(msg("err.wal_on_share", path=path))
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


def sidecar(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


def file_uri(path: Path, **options: str) -> str:
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
    if wal and not sidecar(path, "-wal").exists():
        target = file_uri(path, mode="ro", immutable="1")
    else:
        target = file_uri(path, mode="ro")
    return sqlite3.connect(target, uri=True, timeout=busy_timeout)


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
        return FileInfo("not-sqlite", reason=msg("err.reason_not_sqlite"))
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
        info.reason = msg("err.reason_other_program", id=f"{app_id:#010x}")
    elif version == 0:
        info.reason = msg("err.reason_other_tables")
    else:
        info.reason = msg("err.reason_schema_not_ours", version=version)
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
            raise DatabaseError(msg("err.no_database", path=path))
        return _create(path, busy_timeout)
    if info.kind == "no-access":
        raise DatabaseError(msg("err.cannot_read", path=path, reason=info.reason))
    if info.kind != "ours":
        raise DatabaseError(msg("err.not_ours", path=path, reason=info.reason))
    latest = latest_version()
    if info.version > latest:
        raise DatabaseError(msg("err.schema_newer", path=path, version=info.version, latest=latest))
    if not _writable(path):
        if info.version < latest:
            raise DatabaseError(
                msg("err.upgrade_read_only", path=path, version=info.version, latest=latest)
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
                notify(msg("msg.network_share", path=path))
        from portefolje.store.migrate import migrate

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
    # check_same_thread off: a Writer's behind() block runs its INSERTs in a thread of its own
    # (only where SQLite locks each connection itself: sqlite3.threadsafety 3), and the Writer
    # lets no other statement run until they are done (store/write.py)
    conn = sqlite3.connect(
        path,
        timeout=busy_timeout,
        isolation_level=None,
        uri=uri,
        factory=Connection,
        check_same_thread=False,
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
    if not sidecar(path, "-wal").exists() and (
        info.wal or not os.access(path.resolve().parent, os.W_OK)
    ):
        target = file_uri(path, mode="ro", immutable="1")
    else:
        target = file_uri(path, mode="ro")
    conn = _connect(target, busy_timeout, uri=True)
    conn.read_only = True
    try:
        _configure(conn, busy_timeout)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        raise DatabaseError(msg("err.read_only_wal", path=path, name=path.name, error=exc)) from exc
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
        from portefolje.store.migrate import migrate

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
    from portefolje.store.migrate import migrate

    migrate(conn, None)
    return conn


def _configure(conn: sqlite3.Connection, busy_timeout: float) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # 32 MB of page cache (the default is 2 MB): large imports and reports touch many index
    # pages; measured with bench/ it cuts the 200,000-line import by a fifth
    conn.execute("PRAGMA cache_size = -32768")


# -- errors --------------------------------------------------------------------------------------


def disk_full_text() -> str:
    """'disken er fuld' / 'the disk is full, so SQLite could not write'."""
    return msg("err.disk_full")


def disk_full(exc: BaseException) -> bool:
    return "disk is full" in str(exc) or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL"


def translate_operational(exc: sqlite3.Error, path: Path | None = None) -> DatabaseError:
    """Turn SQLite's lock and I/O errors into one line a user can act on."""
    text = str(exc)
    where = f" {path}" if path else ""
    if disk_full(exc):
        return DatabaseError(msg("err.db_disk_full", full=disk_full_text(), where=where))
    if "locked" in text or "busy" in text:
        return DatabaseError(msg("err.db_locked", where=where))
    if re.search(r"readonly|read-only", text):
        return DatabaseError(msg("err.db_read_only", where=where))
    if "unable to open" in text:
        return DatabaseError(msg("err.db_cannot_open", where=where))
    if "disk I/O error" in text:
        return DatabaseError(msg("err.db_io", where=where))
    return DatabaseError(msg("err.db_other", where=where, text=text))
