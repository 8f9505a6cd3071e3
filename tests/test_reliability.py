"""Reliability: concurrent writers, killed writers, network shares, migrations, backups.

Real processes against real files; each test records what it tried and what survived.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import Cli

SRC = Path(__file__).resolve().parents[1]


def _python(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _cli_args() -> list[str]:
    return [sys.executable, "-m", "portefolje"]


ENDLESS = """
import sys
from pathlib import Path
from portefolje.store.connection import open_db
from portefolje.store.register import add
from portefolje.store.write import Writer
db, stop = Path(sys.argv[1]), Path(sys.argv[2])
conn = open_db(db, busy_timeout=60)
i = 0
while not stop.exists():
    with Writer(conn, command="endless") as w:
        add(w, "department", {"name": f"Afdeling {i}"}, code=f"E{i}")
    i += 1
print(i)
"""

WRITER = """
import sys
from pathlib import Path
from portefolje.store.connection import open_db
from portefolje.store.register import add
from portefolje.store.write import Writer
db, worker, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = open_db(db, busy_timeout=60)
for i in range(n):
    with Writer(conn, actor=f"worker{worker}", command="test") as w:
        add(w, "department", {"name": f"Afdeling {worker}-{i}"}, code=f"W{worker}-{i}")
print("ok")
"""

INCREMENT = """
import sys
from pathlib import Path
from portefolje.store.connection import open_db
from portefolje.store.write import Writer
db, n = Path(sys.argv[1]), int(sys.argv[2])
conn = open_db(db, busy_timeout=60)
for _ in range(n):
    with Writer(conn, command="increment") as w:   # BEGIN IMMEDIATE before the read
        current = w.row("segment", 1)["population"]
        w.update("segment", 1, {"population": current + 1})
print("ok")
"""


def test_four_writers_lose_nothing(register: Cli, record) -> None:
    before = register.json("history")
    workers = [_python(WRITER, str(register.db), str(k), "500") for k in range(4)]
    outputs = [p.communicate(timeout=300) for p in workers]
    assert all(p.returncode == 0 for p in workers), outputs
    with sqlite3.connect(register.db) as conn:
        departments = conn.execute(
            "SELECT count(*) FROM department WHERE code LIKE 'W%'"
        ).fetchone()[0]
        journal = conn.execute("SELECT count(*) FROM journal").fetchone()[0] - len(before)
    assert (departments, journal) == (2000, 2000)
    check = register("db", "check")
    assert "chain intact" in check.stdout
    record(
        "concurrency",
        "4 processes × 500 journaled writes at once",
        tried=2000,
        changes=departments,
        journal_rows=journal,
        errors=0,
        db_check="clean",
    )


def test_read_modify_write_from_four_processes(register: Cli, record) -> None:
    register("segment", "edit", "S1", "--population", "0")
    workers = [_python(INCREMENT, str(register.db), "300") for _ in range(4)]
    outputs = [p.communicate(timeout=300) for p in workers]
    assert all(p.returncode == 0 for p in workers), outputs
    assert register.json("segment", "show", "S1")["population"] == 1200
    record(
        "concurrency",
        "4 processes × 300 read-modify-write on one record",
        tried=1200,
        applied=1200,
        lost=0,
    )


def test_a_held_lock_gives_a_clear_message_within_the_timeout(register: Cli, record) -> None:
    holder = _python(
        """
        import sqlite3, sys, time
        conn = sqlite3.connect(sys.argv[1], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        print("locked", flush=True)
        time.sleep(30)
    """,
        str(register.db),
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    before = register.snapshot_raw()
    try:
        start = time.perf_counter()
        done = subprocess.run(
            [
                *_cli_args(),
                "--db",
                str(register.db),
                "--busy-timeout",
                "1",
                "project",
                "add",
                "Nyt projekt",
                "--segment",
                "S1",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        elapsed = time.perf_counter() - start
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "locked by another portefolje process" in done.stderr and done.stderr.count("\n") == 1
    assert elapsed < 5
    assert register.snapshot_raw() == before
    record(
        "concurrency",
        "a write against a database locked past --busy-timeout 1",
        tried=1,
        exit_code=1,
        seconds=round(elapsed, 2),
        unchanged=True,
    )


def test_synchronous_full_on_every_connection(cli: Cli) -> None:
    from portefolje.store.connection import open_db

    for _ in range(3):
        conn = open_db(cli.db)
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        conn.close()


def test_killed_imports_leave_all_or_nothing(tmp_path: Path, record) -> None:
    sys.path.insert(0, str(SRC / "bench"))
    from generate import SCALES, generate, savings_rows, write_csv  # type: ignore[import-not-found]

    base = tmp_path / "base.db"
    generate(base, "S", seed=3, with_savings=False)
    sheet = tmp_path / "savings.csv"
    write_csv(sheet, savings_rows(random.Random(4), {**SCALES["S"], "savings": 20_000}))
    rng = random.Random(25)
    outcomes = {"none": 0, "all": 0}
    for run in range(25):
        db = tmp_path / f"run{run}.db"
        shutil.copy(base, db)
        proc = subprocess.Popen(
            [*_cli_args(), "--db", str(db), "import", str(sheet), "--kind", "savings"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.1, 1.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT count(*) FROM saving").fetchone()[0]
        conn.close()
        assert count in (0, 20_000), f"run {run}: {count} savings, a partial import"
        outcomes["all" if count else "none"] += 1
        from portefolje.store.checks import verify_journal
        from portefolje.store.connection import open_db

        c = open_db(db)
        assert verify_journal(c)["ok"]
        c.close()
    record(
        "crash safety",
        "SIGKILL at a random moment (0.1-1.6 s) during a 20,000-line import",
        tried=25,
        integrity_ok=25,
        all_rows=outcomes["all"],
        no_rows=outcomes["none"],
        partial=0,
    )


MOUNTS = """
/dev/sda1 / ext4 rw,relatime 0 0
//fileserver/fælles /mnt/share cifs rw,vers=3.0 0 0
server:/export /mnt/nfs nfs4 rw 0 0
"""


def test_network_shares_are_detected_and_refuse_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record
) -> None:
    from portefolje.domain.errors import DatabaseError
    from portefolje.store import connection

    assert connection.is_network_path(Path("/mnt/share/sekretariat/portefolje.db"), MOUNTS)
    assert connection.is_network_path(Path("/mnt/nfs/p.db"), MOUNTS)
    assert not connection.is_network_path(Path("/home/x/p.db"), MOUNTS)
    assert connection.is_network_path(Path("\\\\fileserver\\fælles\\portefolje.db"))
    monkeypatch.setattr(connection, "is_network_path", lambda path, mount_table=None: True)
    assert connection.journal_mode_for(tmp_path / "p.db") == "delete"
    monkeypatch.setenv("PORTEFOLJE_JOURNAL_MODE", "wal")
    with pytest.raises(DatabaseError, match="network share"):
        connection.journal_mode_for(tmp_path / "p.db")
    monkeypatch.delenv("PORTEFOLJE_JOURNAL_MODE")
    conn = connection.open_db(tmp_path / "share.db", create=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    record(
        "network shares",
        "databases on SMB/NFS mounts and \\\\server\\share paths",
        tried=4,
        detected=3,
        wal_refused=True,
    )


# -- migrations ------------------------------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _schema(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
    ).fetchall()
    conn.close()
    return rows


def test_every_released_version_migrates_to_the_fresh_schema(tmp_path: Path, record) -> None:
    from portefolje.store.connection import latest_version

    fresh = tmp_path / "fresh.db"
    Cli(fresh)("--db", str(fresh), "init")
    fixtures = sorted(FIXTURES.glob("schema-v*.db"))
    assert len(fixtures) == latest_version(), (
        "keep one fixture per schema version (make_fixtures.py)"
    )
    for fixture in fixtures:
        db = tmp_path / fixture.name
        shutil.copy(fixture, db)
        Cli(db)("--db", str(db), "init")
        assert _schema(db) == _schema(fresh), fixture.name
        projects = Cli(db).json("--db", str(db), "project", "list")
        assert [p["code"] for p in projects] == ["P1"]  # the fixture's data came along
        version = int(fixture.stem.split("-v")[1])
        backups = list(tmp_path.glob(f"{fixture.name}.pre-v*"))
        assert len(backups) == (1 if version < latest_version() else 0)
        for backup in backups:
            conn = sqlite3.connect(backup)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA user_version").fetchone()[0] == version
            conn.close()
    record(
        "schema safety",
        "databases of every earlier schema version migrated to the latest",
        tried=len(fixtures),
        same_schema_as_fresh=len(fixtures),
    )


def test_a_failing_migration_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record
) -> None:
    from portefolje.domain.errors import DatabaseError
    from portefolje.store import connection

    real = connection.migrations_dir()
    latest = connection.latest_version()
    for step in range(2, latest + 1):
        broken = tmp_path / f"migrations-{step}"
        shutil.copytree(real, broken)
        target = next(broken.glob(f"{step:04d}_*.sql"))
        target.write_text(target.read_text() + "\nINSERT INTO no_such_table VALUES (1);\n")
        db = tmp_path / f"v{step - 1}.db"
        shutil.copy(FIXTURES / f"schema-v{step - 1}.db", db)
        before_schema = _schema(db)
        monkeypatch.setattr(connection, "migrations_dir", lambda broken=broken: broken)
        with pytest.raises(DatabaseError, match="rolled back"):
            connection.open_db(db)
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == step - 1
        conn.close()
        assert _schema(db) == before_schema
        backup = next(tmp_path.glob(f"v{step - 1}.db.pre-v*"))
        conn = sqlite3.connect(backup)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    record(
        "schema safety",
        "a failure injected into each migration step",
        tried=latest - 1,
        version_unchanged=latest - 1,
        schema_unchanged=latest - 1,
        backup_ok=latest - 1,
    )


def test_init_twice_changes_nothing(cli: Cli) -> None:
    digest = hashlib.sha256(cli.db.read_bytes()).hexdigest()
    cli("init")
    cli("init")
    assert hashlib.sha256(cli.db.read_bytes()).hexdigest() == digest


def test_backups_during_continuous_writes(register: Cli, tmp_path: Path, record) -> None:
    stop = tmp_path / "stop"
    writer = _python(ENDLESS, str(register.db), str(stop))
    consistent, sizes = 0, []
    try:
        time.sleep(0.3)
        for n in range(10):
            target = tmp_path / f"backup-{n}.db"
            register("db", "backup", str(target))
            conn = sqlite3.connect(target)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            sizes.append(conn.execute("SELECT count(*) FROM department").fetchone()[0])
            conn.close()
            assert "chain intact" in Cli(target)("--db", str(target), "db", "check").stdout
            consistent += 1
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=300)
    assert writer.returncode == 0 and int(out) > 0
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1], sizes  # taken while writes went on
    restored = tmp_path / "restored.db"
    shutil.copy(tmp_path / "backup-9.db", restored)
    report = Cli(restored)("--db", str(restored), "report", "status", "--format", "md")
    assert report.stdout.startswith("# Statusrapport")
    record(
        "backups",
        "db backup taken 10 times while another process writes",
        tried=10,
        consistent=consistent,
        records_in_backups=f"{sizes[0]} to {sizes[-1]}",
        restored_and_reported=True,
    )
