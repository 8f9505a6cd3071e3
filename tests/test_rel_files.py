"""Only our files, files only when asked, backups that can be trusted, journal modes that stay
as they are, network shares, and read-only use. Real files, the real CLI in real processes."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import Cli
from rel_helpers import (
    ROOT,
    cli_args,
    namespace_python,
    one_line_error,
    run,
    sha,
    sidecars,
    unprivileged,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _app_id(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[68:72], "big")


# -- only our files --------------------------------------------------------------------------------


def test_a_new_database_carries_our_application_id(cli: Cli) -> None:
    from portefolje.store.connection import APPLICATION_ID

    # in the file header itself (offset 68), not only in a WAL file beside it
    assert _app_id(cli.db) == APPLICATION_ID == 0x506F7274


def _foreign_files(folder: Path) -> dict[str, Path]:
    made: dict[str, Path] = {}

    def sqlite_file(name: str, *statements: str, wal: bool = False) -> None:
        path = folder / name
        conn = sqlite3.connect(path, isolation_level=None)
        if wal:
            conn.execute("PRAGMA journal_mode = wal")
        for statement in statements:
            conn.execute(statement)
        conn.close()  # the last connection: WAL is checkpointed and its files removed
        made[name] = path

    sqlite_file(
        "notes.db",
        "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)",
        "INSERT INTO note (text) VALUES ('indkøbsliste')",
    )
    sqlite_file(
        "places.sqlite",
        "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)",
        "PRAGMA user_version = 70",
        wal=True,
    )
    sqlite_file("fossil.db", "PRAGMA application_id = 252006673", "CREATE TABLE blob (rid)")
    sqlite_file(
        "other-with-journal.db",
        "CREATE TABLE journal (id INTEGER PRIMARY KEY)",
        "PRAGMA user_version = 3",
    )
    sqlite_file("only-id.db", "PRAGMA application_id = 1")
    (folder / "report.md").write_text("# Statusrapport\n", encoding="utf-8")
    made["report.md"] = folder / "report.md"
    with zipfile.ZipFile(folder / "plan.xlsx", "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    made["plan.xlsx"] = folder / "plan.xlsx"
    (folder / "torn.db").write_bytes(b"SQLite format 3\x00" + b"\x10\x00\x01\x01" + b"\x00" * 50)
    made["torn.db"] = folder / "torn.db"
    return made


COMMANDS = [
    ["project", "list"],
    ["init"],
    ["db", "check"],
    ["history", "verify"],
    ["portfolio", "add", "Fælles om målet", "--code", "FOM"],
    ["import", "--kind", "savings", "--dry-run", "x.csv"],
]


def test_files_that_are_not_ours_are_refused_untouched(tmp_path: Path, record) -> None:
    files = _foreign_files(tmp_path)
    (tmp_path / "x.csv").write_text("Projekt;År;Beløb\n", encoding="utf-8")
    refused = 0
    for name, path in files.items():
        digest = sha(path)
        for args in COMMANDS:
            done = run("--db", path, *[str(tmp_path / a) if a == "x.csv" else a for a in args])
            err = one_line_error(done)
            assert "not a portefolje database" in err and "not touched" in err, (name, err)
            refused += 1
        assert sha(path) == digest, name  # byte-identical
        assert sidecars(path) == [], (name, sidecars(path))  # no -wal, -shm or -journal left
    record(
        "our files only",
        "SQLite files of other programs (own tables, a foreign application id, WAL mode), a "
        "Markdown file, an XLSX file and a torn header, each given to 6 commands",
        files=len(files),
        commands=refused,
        refused_untouched=refused,
        changed_bytes=0,
        files_left_beside=0,
    )


def test_an_empty_sqlite_file_is_set_up_only_by_init(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    sqlite3.connect(db).execute("VACUUM").connection.close()  # a valid, empty SQLite file
    digest = sha(db)
    assert "no database at" in one_line_error(run("--db", db, "project", "list"))
    assert sha(db) == digest
    assert run("--db", db, "init").returncode == 0
    assert run("--db", db, "project", "list", "--json").stdout.strip() == "[]"


def test_a_database_from_portefolje_0_1_is_ours_and_gets_the_id_at_its_upgrade(
    tmp_path: Path,
) -> None:
    from portefolje.store.connection import APPLICATION_ID, latest_version

    db = tmp_path / "v5.db"
    shutil.copy(FIXTURES / "schema-v5.db", db)
    assert _app_id(db) == 0  # 0.1 set no id
    done = run("--db", db, "project", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert "backed up the database" in done.stderr
    assert _app_id(db) == APPLICATION_ID
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    (backup,) = tmp_path.glob("v5.db.pre-v*")
    with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


# -- files only when asked -------------------------------------------------------------------------

READS = [
    ["project", "list"],
    ["project", "show", "P1"],
    ["db", "check"],
    ["db", "backup", "{tmp}/copy.db"],
    ["history"],
    ["history", "verify"],
    ["history", "anchor"],
    ["report", "status", "--format", "md"],
    ["export"],
]


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a[:2]))
def test_read_commands_never_create_a_database(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "missing" / "portefolje.db"
    c = Cli(db)
    err = c.fails("--db", str(db), *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert "no database at" in err
    assert not db.parent.exists()
    assert not (tmp_path / "copy.db").exists()


def test_a_dry_run_without_a_database_works_in_memory_and_creates_nothing(tmp_path: Path) -> None:
    from portefolje.cli.context import State
    from portefolje.store.register import add

    db = tmp_path / "missing" / "portefolje.db"
    st = State(db=db)
    with st.writer(create=True, dry_run=True) as w:
        add(w, "portfolio", {"name": "Fælles om målet"}, code="FOM")
    assert st.conn().execute("SELECT count(*) FROM portfolio").fetchone()[0] == 1
    st.close()
    assert not db.parent.exists()
    # with a database there, a dry run uses it as every other command does
    Cli(db)("--db", str(db), "init")
    st = State(db=db)
    assert st.conn(create=True, dry_run=True).execute("PRAGMA user_version").fetchone()[0] >= 1
    st.close()


def test_import_dry_run_creates_no_database(tmp_path: Path) -> None:
    doc = tmp_path / "doc.json"
    doc.write_text((ROOT / "examples" / "albertslund.json").read_text(encoding="utf-8"))
    db = tmp_path / "missing.db"
    done = run("--db", db, "import", doc, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert not db.exists()


# -- backups ---------------------------------------------------------------------------------------


def _is_complete_backup(path: Path) -> bool:
    from portefolje.store.connection import APPLICATION_ID, latest_version

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (
            conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            and conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
            and conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
        )
    finally:
        conn.close()


@pytest.fixture(scope="module")
def medium_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Scale M of bench/generate.py (500 projects, 20,000 savings lines; about 20 MB)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate  # type: ignore[import-not-found]

    db = tmp_path_factory.mktemp("medium") / "m.db"
    generate(db, "M", seed=11)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def test_a_killed_backup_never_leaves_a_torn_file_under_its_name(
    medium_db: Path, tmp_path: Path, record
) -> None:
    start = time.perf_counter()
    first = run("--db", medium_db, "db", "backup", tmp_path / "timed.db")
    whole = time.perf_counter() - start
    assert first.returncode == 0, first.stderr
    rng = random.Random(16)
    outcome = {"complete": 0, "absent": 0, "torn": 0, "partials": 0}
    for n in range(12):
        target = tmp_path / f"backup-{n}.db"
        proc = subprocess.Popen(
            [*cli_args(), "--db", str(medium_db), "db", "backup", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 1.4) * whole)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if target.exists():
            if _is_complete_backup(target):
                outcome["complete"] += 1
            else:
                outcome["torn"] += 1
        else:
            outcome["absent"] += 1
        outcome["partials"] += len(list(tmp_path.glob(f"{target.name}.partial-*")))
    assert outcome["torn"] == 0, outcome
    assert outcome["complete"] + outcome["absent"] == 12
    record(
        "backups",
        f"`db backup` of a {medium_db.stat().st_size // 2**20} MB database killed (SIGKILL) "
        "at a random moment",
        tried=12,
        complete_under_final_name=outcome["complete"],
        no_file_under_final_name=outcome["absent"],
        torn_under_final_name=outcome["torn"],
        partial_files_left=outcome["partials"],
    )


def test_a_backup_sweeps_what_killed_backups_left_and_nothing_else(
    register: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    dead = 2**22 + 7  # above Linux's largest PID: no such process
    hour_ago = time.time() - 3600
    abandoned = [folder / f"old.db.partial-{dead}{end}" for end in ("", "-journal")]
    fresh = folder / f"new.db.partial-{dead}"  # written a moment ago: maybe another machine's
    running = folder / f"mine.db.partial-{os.getpid()}"  # a process that still runs
    unrelated = folder / "notes.partial-x"
    for file in (*abandoned, fresh, running, unrelated):
        file.write_bytes(b"x" * 100)
    for file in (*abandoned, running, unrelated):
        os.utime(file, (hour_ago, hour_ago))
    register("db", "backup", str(folder / "copy.db"))
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted(["copy.db", fresh.name, running.name, unrelated.name])


def test_db_check_refuses_a_file_that_is_not_a_complete_portefolje_database(
    register: Cli, tmp_path: Path, record
) -> None:
    whole = tmp_path / "whole.db"
    register("db", "backup", str(whole))
    torn = tmp_path / "torn.db"
    torn.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    done = run("--db", torn, "db", "check")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "not a portefolje database" in done.stderr or "failed its check" in done.stderr

    missing_table = tmp_path / "missing-table.db"
    register("db", "backup", str(missing_table))
    with sqlite3.connect(missing_table) as conn:
        conn.execute("DROP TABLE indicator_measurement")
    done = run("--db", missing_table, "db", "check")
    assert done.returncode == 1 and "missing table indicator_measurement" in done.stdout
    assert "not a complete portefolje database" in done.stderr

    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("VACUUM").connection.close()
    assert "no database at" in one_line_error(run("--db", empty, "db", "check"))
    record(
        "backups",
        "`db check` given a torn copy, a copy missing a table, and an empty SQLite file",
        tried=3,
        refused=3,
    )


def test_backups_never_overwrite_and_work_from_a_read_only_database(
    register: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "copy.db"
    target.write_text("keep me", encoding="utf-8")
    assert "already exists" in register.fails("db", "backup", str(target))
    assert target.read_text(encoding="utf-8") == "keep me"


# -- journal modes and network shares --------------------------------------------------------------


def _journal_mode(path: Path) -> str:
    return "wal" if path.read_bytes()[18] == 2 else "delete"


def test_an_existing_file_keeps_its_journal_mode_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record
) -> None:
    db = tmp_path / "p.db"
    c = Cli(db)
    c("--db", str(db), "init")
    assert _journal_mode(db) == "wal"  # a new local file
    monkeypatch.setenv("PORTEFOLJE_JOURNAL_MODE", "delete")
    c("--db", str(db), "portfolio", "list")
    assert _journal_mode(db) == "delete"  # asked
    monkeypatch.delenv("PORTEFOLJE_JOURNAL_MODE")
    for args in (["portfolio", "add", "Et", "--code", "A"], ["portfolio", "list"], ["init"]):
        c("--db", str(db), *args)
        assert _journal_mode(db) == "delete", args  # not asked: stays
    monkeypatch.setenv("PORTEFOLJE_JOURNAL_MODE", "wal")
    c("--db", str(db), "portfolio", "list")
    assert _journal_mode(db) == "wal"  # asked again
    record(
        "network shares",
        "a rollback-mode file used by 3 commands without PORTEFOLJE_JOURNAL_MODE",
        tried=3,
        journal_mode_kept=3,
    )


@pytest.mark.parametrize("value", ["WAL2", "off", "memory", "truncate", "yes", "wal;drop"])
def test_an_unknown_journal_mode_setting_is_refused(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    digest = sha(cli.db)
    monkeypatch.setenv("PORTEFOLJE_JOURNAL_MODE", value)
    err = cli.fails("project", "list")
    assert "PORTEFOLJE_JOURNAL_MODE" in err and "wal or delete" in err
    assert sha(cli.db) == digest


MOUNTS = """
/dev/sda1 / ext4 rw,relatime 0 0
//fileserver/fælles /mnt/share cifs rw,vers=3.0 0 0
server:/export /mnt/nfs nfs4 rw 0 0
none /media/sf_Delt vboxsf rw 0 0
gluster1:/vol /mnt/gluster fuse.glusterfs rw 0 0
gluster2:/vol /mnt/gluster2 glusterfs rw 0 0
10.0.0.1:6789:/ /mnt/ceph ceph rw 0 0
ceph-fuse /mnt/cephfuse fuse.ceph-fuse rw 0 0
https://dav.example/ /mnt/dav fuse.davfs rw 0 0
https://dav2.example/ /mnt/dav2 davfs rw 0 0
sshfs#x@y: /mnt/ssh fuse.sshfs rw 0 0
/dev/sdb1 /mnt/usb vfat rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


def test_network_shares_and_shared_folders_are_detected(record) -> None:
    from portefolje.store.connection import NETWORK_FS, is_network_path

    shares = [
        "/mnt/share/sekretariat/portefolje.db",
        "/mnt/nfs/p.db",
        "/media/sf_Delt/p.db",
        "/mnt/gluster/p.db",
        "/mnt/gluster2/p.db",
        "/mnt/ceph/p.db",
        "/mnt/dav/p.db",
        "/mnt/dav2/p.db",
        "/mnt/ssh/p.db",
    ]
    local = ["/home/x/p.db", "/mnt/usb/p.db", "/tmp/p.db"]
    for path in shares:
        assert is_network_path(Path(path), MOUNTS, windows=False), path
    for path in local:
        assert not is_network_path(Path(path), MOUNTS, windows=False), path
    assert "fuse.ceph-fuse" not in NETWORK_FS  # and so: the mount table decides, not guesses
    # Windows: UNC paths, and mapped drives by GetDriveType (injected here: 4 = DRIVE_REMOTE)
    types = {"S:\\": 4, "C:\\": 3, "E:\\": 2}
    drive_type = types.__getitem__
    assert is_network_path("\\\\fileserver\\fælles\\p.db", windows=True, drive_type=drive_type)
    assert is_network_path("S:\\Sekretariat\\p.db", windows=True, drive_type=drive_type)
    assert is_network_path("s:/Sekretariat/p.db", windows=True, drive_type=lambda r: 4)
    assert not is_network_path("C:\\Users\\x\\p.db", windows=True, drive_type=drive_type)
    assert not is_network_path("E:\\p.db", windows=True, drive_type=drive_type)
    record(
        "network shares",
        "paths on SMB, NFS, vboxsf, glusterfs, ceph, davfs and sshfs mounts, UNC paths and a "
        "mapped Windows drive (GetDriveType injected), and local paths",
        tried=len(shares) + len(local) + 5,
        shares_detected=len(shares) + 3,
        local_taken_for_shares=0,
    )


def test_on_a_share_new_files_get_the_rollback_journal_and_wal_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portefolje.domain.errors import DatabaseError
    from portefolje.store import connection

    monkeypatch.setattr(connection, "is_network_path", lambda path, *a, **k: True)
    conn = connection.open_db(tmp_path / "share.db", create=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    monkeypatch.setenv("PORTEFOLJE_JOURNAL_MODE", "wal")
    with pytest.raises(DatabaseError, match="network share"):
        connection.open_db(tmp_path / "share.db")


# -- read-only use ---------------------------------------------------------------------------------

READ_ONLY_READS = [
    ["project", "list", "--json"],
    ["report", "savings", "--format", "md"],
    ["report", "deliverables", "--format", "md", "--as-of", "2019-06-05"],
    ["history", "verify"],
    ["db", "check"],
    ["db", "backup", "{out}/copy.db"],
]


def _read_only_case(tmp_path: Path, register: Cli, mode: str, where: str) -> Path:
    folder = tmp_path / f"{mode}-{where}"
    folder.mkdir()
    db = folder / "p.db"
    register("db", "backup", str(db))
    if mode == "delete":
        Cli(db)("--db", str(db), "project", "list")  # open once to settle
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA journal_mode = delete")
    assert _journal_mode(db) == mode
    return db


@pytest.mark.parametrize("mode", ["wal", "delete"])
@pytest.mark.parametrize("where", ["file", "folder"])
def test_read_commands_work_on_a_read_only_file_or_folder(
    register: Cli, tmp_path: Path, mode: str, where: str, record
) -> None:
    prefix = unprivileged()
    db = _read_only_case(tmp_path, register, mode, where)
    out = tmp_path / f"out-{mode}-{where}"
    out.mkdir()
    digest = sha(db)
    os.chmod(db, 0o444)
    if where == "folder":
        os.chmod(db.parent, 0o555)
    try:
        for args in READ_ONLY_READS:
            done = run("--db", db, *[a.replace("{out}", str(out)) for a in args], prefix=prefix)
            assert done.returncode == 0, (args, done.stderr)
        write = run("--db", db, "portfolio", "add", "Ny", "--code", "NY", prefix=prefix)
        assert "read-only here" in one_line_error(write)
        assert sha(db) == digest and sidecars(db) == []
    finally:
        os.chmod(db.parent, 0o755)
        os.chmod(db, stat.S_IRUSR | stat.S_IWUSR)
    assert _is_complete_backup(out / "copy.db")
    record(
        "read-only use",
        f"a {mode}-mode database, read-only {where}: {len(READ_ONLY_READS)} reads and a write",
        reads_ok=len(READ_ONLY_READS),
        write_refused_in_one_line=True,
        file_changed=False,
        files_left_beside=0,
    )


def test_the_status_report_works_on_a_read_only_database(register: Cli, tmp_path: Path) -> None:
    prefix = unprivileged()
    db = _read_only_case(tmp_path, register, "wal", "file")
    os.chmod(db, 0o444)
    try:
        done = run("--db", db, "report", "status", "--format", "md", prefix=prefix)
    finally:
        os.chmod(db, 0o644)
    assert done.returncode == 0, done.stderr


def test_an_old_database_on_read_only_media_says_it_needs_an_upgrade(tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    shutil.copy(FIXTURES / "schema-v3.db", media / "old.db")
    result = namespace_python(
        """
        import json, subprocess, sys
        media = sys.argv[1]
        subprocess.run(["mount", "--bind", media, media], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", media], check=True)
        out = {}
        for args in (["project", "list", "--json"], ["init"]):
            done = subprocess.run([sys.executable, "-m", "portefolje", "--db", media + "/old.db",
                                   *args], capture_output=True, text=True)
            out[args[0]] = [done.returncode, done.stderr]
        print(json.dumps(out))
        """,
        str(media),
    )
    for code, err in result.values():
        assert code == 1 and err.count("\n") == 1 and "needs an upgrade" in err, err
        assert "read-only here" in err


def test_read_commands_work_on_read_only_media(register: Cli, tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    register("db", "backup", str(media / "p.db"))
    result = namespace_python(
        """
        import json, subprocess, sys
        media = sys.argv[1]
        subprocess.run(["mount", "--bind", media, media], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", media], check=True)
        out = {}
        for args in (["project", "list", "--json"], ["db", "check"],
                     ["portfolio", "add", "X", "--code", "XX"]):
            done = subprocess.run([sys.executable, "-m", "portefolje", "--db", media + "/p.db",
                                   *args], capture_output=True, text=True)
            out[" ".join(args[:2])] = [done.returncode, done.stderr]
        print(json.dumps(out))
        """,
        str(media),
    )
    assert result["project list"][0] == 0, result
    assert result["db check"][0] == 0, result
    code, err = result["portfolio add"]
    assert code == 1 and "read-only here" in err and err.count("\n") == 1


def test_a_database_locked_while_it_is_looked_at_says_locked(tmp_path: Path) -> None:
    """A rollback-mode file whose writer holds the exclusive lock: the first look at the file
    waits --busy-timeout and then says it is locked (not that the file is not ours)."""
    db = tmp_path / "p.db"
    Cli(db)("--db", str(db), "init")
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode = delete")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "time.sleep(30)\n",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        err = one_line_error(run("--db", db, "--busy-timeout", "1", "project", "list"))
        assert "locked by another portefolje process" in err
    finally:
        holder.kill()
        holder.wait()
