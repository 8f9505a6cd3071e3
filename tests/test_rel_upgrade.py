"""Upgrades under concurrency, upgrades and writes on a full disk, killed upgrades, and the
migration log: the database is upgraded once, or left exactly as it was, and says why."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import Cli
from portefolje.store.connection import latest_version
from rel_helpers import ROOT, cli_args, namespace_python, rows

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        ).fetchall()


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_24_processes_first_touching_an_old_database_all_succeed(
    tmp_path: Path, version: int, record
) -> None:
    db = tmp_path / f"v{version}.db"
    shutil.copy(FIXTURES / f"schema-v{version}.db", db)
    fresh = tmp_path / "fresh.db"
    Cli(fresh)("--db", str(fresh), "init")
    procs = [
        subprocess.Popen(
            [*cli_args(), "--db", str(db), "project", "list", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(24)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    failed = [(code, err) for code, _, err in results if code != 0]
    assert failed == [], failed[:3]
    assert all('"P1"' in out for _, out, _ in results)
    assert _schema(db) == _schema(fresh)
    assert len(list(tmp_path.glob(f"{db.name}.pre-v*"))) == 1  # one upgrade, one backup
    upgraded = sum("upgraded" in err for _, _, err in results)
    assert upgraded == 1
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT version FROM schema_migration ORDER BY version").fetchall()
    assert [r[0] for r in runs] == list(range(version + 1, len(_steps()) + 1))  # each step once
    record(
        "schema safety",
        f"24 processes opening a schema-v{version} database at once",
        tried=24,
        succeeded=24 - len(failed),
        upgraded_it=upgraded,
        backups=1,
    )


def _steps() -> list[tuple[int, str, Path]]:
    from portefolje.store.connection import migrations

    return migrations()


def test_each_migration_run_is_recorded_and_db_check_prints_it(tmp_path: Path) -> None:
    from portefolje import __version__

    db = tmp_path / "v3.db"
    shutil.copy(FIXTURES / "schema-v3.db", db)
    c = Cli(db)
    c("--db", str(db), "init")
    with sqlite3.connect(db) as conn:
        runs = conn.execute(
            "SELECT version, name, applied_at, app_version FROM schema_migration"
        ).fetchall()
    assert [(v, n) for v, n, _, _ in runs] == [(m[0], m[1]) for m in _steps()[3:]]
    assert {a for *_, a in runs} == {__version__}
    # (the check fails on the fixture's rows, written by SQL and never journaled)
    out = c("--db", str(db), "db", "check", code=1).stdout
    assert "1-3: run by portefolje 0.1, which kept no record" in out
    from portefolje.domain.dates import local_time

    # each step by its name in words, when on a Copenhagen clock
    for version, name, applied_at, _ in runs:
        assert f"{version} {name.replace('_', ' ')}" in out and local_time(applied_at) in out
    assert f"portefolje {__version__}" in out


def test_a_failed_upgrade_leaves_the_database_and_makes_one_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portefolje.store import connection

    broken = tmp_path / "migrations"
    shutil.copytree(connection.migrations_dir(), broken)
    last = sorted(broken.glob("*.sql"))[-1]
    last.write_text(last.read_text() + "\nINSERT INTO no_such_table VALUES (1);\n")
    monkeypatch.setattr(connection, "migrations_dir", lambda: broken)
    db = tmp_path / "v2.db"
    shutil.copy(FIXTURES / "schema-v2.db", db)
    before = rows(db)
    c = Cli(db)
    for _ in range(3):
        err = c.fails("--db", str(db), "project", "list")
        assert "failed and was rolled back" in err and "left as it was" in err
        assert rows(db) == before
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert len(list(tmp_path.glob("v2.db.pre-v*"))) == 1  # kept, not made again each time


def test_a_killed_upgrade_leaves_the_old_or_the_new_database_and_no_torn_backup(
    tmp_path: Path, record
) -> None:
    """An old database large enough that the backup and upgrade take a moment, killed at
    random points of the command."""
    import random

    from portefolje.store.connection import latest_version, migrations
    from portefolje.store.migrate import statements

    base = tmp_path / "base.db"
    conn = sqlite3.connect(base, isolation_level=None)
    for number, _, file in migrations()[:5]:
        conn.execute("BEGIN")
        for statement in statements(file.read_text(encoding="utf-8")):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO portfolio (id, code, name) VALUES (1, 'FOM', 'Fælles om målet')")
    conn.executemany(
        "INSERT INTO department (code, name) VALUES (?, ?)",
        [(f"D{i}", f"Afdeling {i} " + "x" * 400) for i in range(60_000)],
    )
    conn.execute("COMMIT")
    conn.close()
    start = time.perf_counter()
    timed = tmp_path / "timed.db"
    shutil.copy(base, timed)
    assert (
        subprocess.run([*cli_args(), "--db", str(timed), "init"], capture_output=True).returncode
        == 0
    )
    whole = time.perf_counter() - start
    rng = random.Random(6)
    outcome = {"old": 0, "new": 0, "torn_backups": 0}
    for n in range(10):
        db = tmp_path / f"run{n}.db"
        shutil.copy(base, db)
        proc = subprocess.Popen(
            [*cli_args(), "--db", str(db), "init"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 2.0) * whole)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check = sqlite3.connect(db)  # a plain open rolls back a hot journal, as SQLite does
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        version = check.execute("PRAGMA user_version").fetchone()[0]
        assert check.execute("SELECT count(*) FROM department").fetchone()[0] == 60_000
        check.close()
        assert version in (5, latest_version())
        outcome["old" if version == 5 else "new"] += 1
        for backup in tmp_path.glob(f"{db.name}.pre-v*"):
            if ".partial-" in backup.name:
                continue
            b = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
            ok = b.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            ok = ok and b.execute("SELECT count(*) FROM department").fetchone()[0] == 60_000
            b.close()
            outcome["torn_backups"] += not ok
        # and the next command finishes the job
        again = subprocess.run(
            [*cli_args(), "--db", str(db), "project", "list"], capture_output=True
        )
        assert again.returncode == 0
    assert outcome["torn_backups"] == 0
    record(
        "schema safety",
        "an upgrade (backup, then migration) killed with SIGKILL at a random moment",
        tried=10,
        left_at_the_old_version=outcome["old"],
        upgraded=outcome["new"],
        torn_backups_under_final_name=0,
        integrity_ok=10,
        finished_by_the_next_command=10,
    )


# -- a full disk (a real one: a small tmpfs in a mount namespace) ---------------------------------


def test_an_upgrade_on_a_full_disk_changes_nothing_and_says_so(tmp_path: Path, record) -> None:
    result = namespace_python(
        """
        from pathlib import Path
        disk = Path(sys.argv[1])
        mount_tmpfs(disk, "2m")
        out = {}
        # 1. no room for the backup
        db = disk / "old.db"
        db.write_bytes(Path(sys.argv[2]).read_bytes())
        before = sha(db)
        filler = fill(disk, 8 * 1024)
        out["no_room"] = cli("--db", db, "project", "list")
        out["no_room_same"] = sha(db) == before
        out["no_room_files"] = sorted(p.name for p in disk.iterdir())
        filler.unlink()
        # 2. room for the backup, not for the upgrade
        filler = fill(disk, db.stat().st_size + 20 * 1024)
        out["half"] = cli("--db", db, "project", "list")
        out["half_same"] = sha(db) == before
        out["half_again"] = cli("--db", db, "project", "list")
        out["half_files"] = sorted(p.name for p in disk.iterdir())
        filler.unlink()
        # 3. room again: the upgrade goes through, with the backup already there
        out["room"] = cli("--db", db, "project", "list", "--json")
        out["after"] = table_rows(db)
        out["files"] = sorted(p.name for p in disk.iterdir())
        print(json.dumps(out))
        """,
        str(tmp_path / "disk"),
        str(FIXTURES / "schema-v1.db"),
    )
    no_room = result["no_room"]
    assert no_room["code"] == 1 and no_room["err"].count("\n") == 1, no_room
    assert "the disk is full" in no_room["err"] and "backup" in no_room["err"]
    assert result["no_room_same"]
    assert [n for n in result["no_room_files"] if n.startswith("old.db")] == ["old.db"]
    half = result["half"]
    assert half["code"] == 1 and "the disk is full" in half["err"], half
    assert "left as it was" in half["err"] or "nothing was changed" in half["err"]
    assert "savepoint" not in half["err"] and result["half_same"]
    again = result["half_again"]
    assert again["code"] == 1 and "backed up" not in again["err"], again  # no second backup
    backups = [n for n in result["half_files"] if ".pre-v" in n]
    assert len(backups) == 1 and ".partial" not in backups[0]
    assert result["room"]["code"] == 0, result["room"]
    assert result["after"]["integrity"] == "ok"
    assert len([n for n in result["files"] if ".pre-v" in n]) == 1
    record(
        "disk full",
        "an upgrade on a real full disk (tmpfs): no room for the backup; room for the backup "
        "but not the upgrade, twice; then room again",
        tried=4,
        one_line_disk_full=3,
        database_unchanged=True,
        backups_made=1,
        upgraded_when_room=True,
    )


def test_a_write_on_a_full_disk_says_so_and_changes_nothing(tmp_path: Path, record) -> None:
    import random
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from generate import SCALES, generate, savings_rows, write_csv  # type: ignore[import-not-found]

    base = tmp_path / "base.db"
    generate(base, "S", seed=5, with_savings=False)
    with sqlite3.connect(base) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    sheet = tmp_path / "savings.csv"
    write_csv(sheet, savings_rows(random.Random(5), {**SCALES["S"], "savings": 20_000}))
    result = namespace_python(
        """
        out = {"same": True}
        for n, args in enumerate([
            ["import", sys.argv[3], "--kind", "savings"],
            ["project", "edit", "P1", "--purpose", "x" * 100_000],
        ]):
            disk = Path(sys.argv[1]) / str(n)
            mount_tmpfs(disk, "8m")
            db = disk / "p.db"
            db.write_bytes(Path(sys.argv[2]).read_bytes())
            before = table_rows(db)
            fill(disk, 48 * 1024)
            out[args[0]] = cli("--db", db, *args)
            out["same"] = out["same"] and table_rows(db) == before
            out["after"] = table_rows(db)
            out["check" + str(n)] = cli("--db", db, "history", "verify")
        print(json.dumps(out))
        """,
        str(tmp_path / "disk"),
        str(base),
        str(sheet),
    )
    for name in ("import", "project"):
        done = result[name]
        assert done["code"] == 1, (name, done)
        assert "the disk is full" in done["err"] and "savepoint" not in done["err"], done
        assert done["err"].count("\n") == 1, done
    assert result["same"] and result["after"]["integrity"] == "ok"
    assert result["check0"]["code"] == 0 and result["check1"]["code"] == 0
    record(
        "disk full",
        "a 20,000-line import and a large edit on a real full disk (tmpfs)",
        tried=2,
        said_disk_full=2,
        no_such_savepoint=0,
        database_unchanged=True,
    )


def test_a_backup_on_a_full_disk_leaves_no_file(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PORTEFOLJE_LANG")  # as a Danish user's shell runs it
    result = namespace_python(
        """
        disk = Path(sys.argv[1])
        mount_tmpfs(disk, "1m")
        fill(disk, 16 * 1024)
        out = {"backup": cli("--db", sys.argv[2], "db", "backup", disk / "copy.db"),
               "files": sorted(p.name for p in disk.iterdir())}
        print(json.dumps(out))
        """,
        str(tmp_path / "disk"),
        str(register.db),
    )
    done = result["backup"]
    assert done["code"] == 1 and "disken er fuld" in done["err"] and done["err"].count("\n") == 1
    assert result["files"] == ["filler"]


# -- what an upgrade reshapes enters the journal ---------------------------------------------------
# round1-demo-v5.db is `portefolje demo` as portefolje 0.1 (commit 10d5358, schema 5) left it: its
# status columns, savings and targets become dated events and versions in schema 6.


def test_an_upgraded_database_checks_clean_and_journals_what_it_reshaped(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(FIXTURES / "round1-demo-v5.db", db)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    register = Cli(db)
    out = register("--db", str(db), "db", "check").stdout
    assert "data vs journal  agree" in out
    with sqlite3.connect(db) as conn:
        upgrade = conn.execute(
            "SELECT entity, action, actor, command FROM journal WHERE id > ?", (before,)
        ).fetchall()
    entities = {e for e, _, _, _ in upgrade}
    assert {"project_event", "saving_version", "target_version"} <= entities
    assert {(a, who, cmd) for _, a, who, cmd in upgrade} == {
        ("upgrade", "portefolje", f"upgrade to schema version {latest_version()}")
    }
    # the reshaped history reads as it did: FOM1 closed on 5 June 2019, active the day before
    closed = register.json("--db", str(db), "project", "list", "--as-of", "2019-06-05")
    active = register.json("--db", str(db), "project", "list", "--as-of", "2019-06-04")
    assert {p["code"]: p["status"] for p in closed}["FOM1"] == "closed"
    assert {p["code"]: p["status"] for p in active}["FOM1"] == "active"


def test_changes_made_outside_portefolje_before_an_upgrade_stay_visible(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(FIXTURES / "round1-demo-v5.db", db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE saving SET amount = 1 WHERE id = 1")
    done = subprocess.run(
        [*cli_args(), "--db", str(db), "db", "check"], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "held changes made outside portefolje before the upgrade" in done.stderr
    assert "outside portefolje" in done.stderr
    with sqlite3.connect(db) as conn:
        assert not conn.execute("SELECT 1 FROM journal WHERE action = 'upgrade'").fetchall()


@pytest.mark.parametrize(("version", "compared"), [(11, False), (10, True)])
def test_an_upgrade_of_index_steps_only_reads_no_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: int, compared: bool
) -> None:
    """Step 12 only drops an index: upgrading a schema-11 file compares nothing with the journal
    (at L that is two reads of the whole journal) and journals nothing. From schema 10, step 11
    adds a journal column, so the comparison runs as before."""
    from statements import traced

    db = tmp_path / f"v{version}.db"
    shutil.copy(FIXTURES / f"schema-v{version}.db", db)
    before = rows(db)["journal"]
    with traced(monkeypatch) as seen:
        assert '"P1"' in Cli(db)("--db", str(db), "project", "list", "--json").stdout
    # compare_with_journal reads every record's last state (the backup only counts the rows)
    assert any("SELECT entity, entity_id, id, after FROM journal" in s for s in seen) == compared
    if not compared:
        assert rows(db)["journal"] == before  # nothing journaled: no row changed
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
