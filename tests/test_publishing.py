"""Publishing outside the write lock: `report … --publish` builds and renders from a read
snapshot, then stores the report under the lock only if the journal head is still the one it was
built on. Another process that commits in between (a real second process, not a mock) makes it
build again, the last time inside the lock, so a published report always is the one its recorded
anchor gives; many publishers at once do not queue behind each other's builds."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

DAY = "2019-06-05"


def other_process(db: Path, *args: str) -> str:
    """Run portefolje in a second process on the same file (it commits on its own); its stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "portefolje", "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def write_lock_free(db: Path) -> bool:
    """Whether a second connection could take the write lock at this moment (no waiting)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc), exc
        return False
    finally:
        probe.close()


def after_each_build(
    monkeypatch: pytest.MonkeyPatch, db: Path, then: Callable[[int], None]
) -> list[bool]:
    """The seam: the real status report builder, followed by `then(n)` after its n-th build
    (while the snapshot or lock it was built under is still held). Returns the list that
    records, per build, whether the write lock was free while it ran."""
    from portefolje.reports import status

    real = status.build
    builds: list[bool] = []

    def build(conn: sqlite3.Connection, **options: Any) -> Any:
        report = real(conn, **options)
        builds.append(write_lock_free(db))
        then(len(builds))
        return report

    monkeypatch.setattr(status, "build", build)
    return builds


def publish(c: Cli, *args: str) -> Any:
    return c("report", "status", "--portfolio", "FOM", "--as-of", DAY, "--publish", *args)


def sent(c: Cli, code: str) -> dict[str, Any]:
    return {r["code"]: r for r in c.json("report", "archive", "list")}[code]


def journal(db: Path) -> list[tuple[int, str, int, str, str]]:
    """(id, entity, entity_id, action, prev_hash) of every journal row, in order."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT id, entity, entity_id, action, prev_hash FROM journal ORDER BY id"
        ).fetchall()


def anchored_on_the_state_before_it(db: Path, code: str) -> None:
    """The published report's anchor is the journal head just before its own publish row:
    nothing was committed between the state it was built from and its publication."""
    with sqlite3.connect(db) as conn:
        report_id, rows, head = conn.execute(
            "SELECT id, journal_rows, journal_head FROM published_report WHERE code = ?", (code,)
        ).fetchone()
    rows_before = [r for r in journal(db)]
    position = next(
        i for i, r in enumerate(rows_before) if r[1:4] == ("published_report", report_id, "publish")
    )
    assert rows == position, (code, rows, position)
    assert head == rows_before[position][4]


def test_a_change_committed_during_the_build_makes_it_build_again(
    register: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def then(n: int) -> None:
        if n == 1:  # while the first build's snapshot is open
            other_process(register.db, "project", "health", "P1", "red", "--comment", "Forsinket")

    builds = after_each_build(monkeypatch, register.db, then)
    assert "published as R1" in publish(register).stderr
    assert builds == [True, True]  # both built outside the write lock; the first was stale
    model = json.loads(register("report", "archive", "show", "R1", "--format", "json").stdout)
    assert [(p["code"], p["health"]) for p in model["projects"]] == [("P1", "red"), ("P2", None)]
    anchored_on_the_state_before_it(register.db, "R1")
    # what was stored is what that state gives: a preview now (only R1 was added) is the same
    for fmt in ("json", "md", "csv"):
        preview = register("report", "status", "--portfolio", "FOM", "--as-of", DAY, "-f", fmt)
        shown = register("report", "archive", "show", "R1", "--format", fmt)
        assert shown.stdout == preview.stdout, fmt


def test_changes_that_keep_coming_are_waited_out_inside_the_lock(
    register: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    colours = {1: "yellow", 2: "red"}

    def then(n: int) -> None:
        if n in colours:  # a change after each build outside the lock
            other_process(register.db, "project", "health", "P1", colours[n])

    builds = after_each_build(monkeypatch, register.db, then)
    assert "published as R1" in publish(register).stderr
    # two tries from a snapshot, then the build inside the write lock (no one else can take it)
    assert builds == [True, True, False]
    model = json.loads(register("report", "archive", "show", "R1", "--format", "json").stdout)
    assert model["projects"][0]["health"] == "red"
    anchored_on_the_state_before_it(register.db, "R1")


def test_a_report_published_meanwhile_moves_changes_since(
    register: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def then(n: int) -> None:
        if n == 1:  # another cron job sends the May report while this one is built
            other_process(
                register.db,
                "report",
                "status",
                "--portfolio",
                "FOM",
                "--as-of",
                "2019-05-01",
                "--publish",
            )

    builds = after_each_build(monkeypatch, register.db, then)
    assert "published as R2" in publish(register).stderr
    assert len(builds) == 2  # the first build counted changes from 30 days back
    assert sent(register, "R1")["as_of"] == "2019-05-01"
    assert sent(register, "R2")["since"] == "2019-05-01"  # from the report published before it
    anchored_on_the_state_before_it(register.db, "R2")
    preview = register("report", "status", "--portfolio", "FOM", "--as-of", DAY, "-f", "json")
    assert register("report", "archive", "show", "R2", "-f", "json").stdout == preview.stdout


def test_the_same_report_published_meanwhile_from_the_same_state_is_not_built_again(
    register: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def then(n: int) -> None:
        if n == 1:
            assert "published as R1" in other_process(
                register.db, "report", "status", "--portfolio", "FOM", "--as-of", DAY, "--publish"
            )

    builds = after_each_build(monkeypatch, register.db, then)
    assert "already published as R1" in publish(register).stderr
    assert builds == [True]
    assert [r["code"] for r in register.json("report", "archive", "list")] == ["R1"]


def test_the_same_report_published_meanwhile_with_another_change_is_built_again(
    register: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def then(n: int) -> None:
        if n == 1:
            other_process(
                register.db, "report", "status", "--portfolio", "FOM", "--as-of", DAY, "--publish"
            )
            other_process(register.db, "project", "health", "P2", "green")

    builds = after_each_build(monkeypatch, register.db, then)
    assert "published as R2" in publish(register).stderr
    assert len(builds) == 2
    model = json.loads(register("report", "archive", "show", "R2", "--format", "json").stdout)
    assert [p["health"] for p in model["projects"]] == [None, "green"]
    anchored_on_the_state_before_it(register.db, "R2")


# the status report's builder, wrapped in each process: after every build it records whether
# the write lock was free at that moment (no waiting), then the real command runs
PUBLISHER = """
import sqlite3, sys
from portefolje.cli import main
from portefolje.reports import status

db, log, day = sys.argv[1:4]
real = status.build

def build(conn, **options):
    report = real(conn, **options)
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        free = "free"
    except sqlite3.OperationalError:
        free = "held"
    probe.close()
    with open(log, "a") as f:
        f.write(free + "\\n")
    return report

status.build = build
sys.argv = ["portefolje", "--db", db, "report", "status", "--portfolio", "FOM",
            "--as-of", day, "--publish", "--format", "json"]
main()
"""


def run_publishers(db: Path, log: Path, days: list[str]) -> list[tuple[int, str]]:
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", PUBLISHER, str(db), str(log), day],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for day in days
    ]
    return [(p.wait(), p.stderr.read() if p.stderr else "") for p in runs]


@pytest.mark.parametrize("mode", ["wal", "delete"])
def test_twenty_publishers_of_one_report_build_it_once_each_outside_the_lock(
    register: Cli, tmp_path: Path, mode: str
) -> None:
    """20 cron jobs at once: each builds the report once, from a snapshot; the write lock is
    taken only to store it (or to see it stored), so no one waits out another's build."""
    if mode == "delete":  # the rollback journal of a network share: readers hold shared locks
        with sqlite3.connect(register.db) as conn:
            assert conn.execute("PRAGMA journal_mode = delete").fetchone()[0] == "delete"
    log = tmp_path / "builds.log"
    outcomes = run_publishers(register.db, log, [DAY] * 20)
    assert all(code == 0 for code, _ in outcomes), outcomes
    messages = sorted(err.strip() for _, err in outcomes)
    assert messages == ["already published as R1 (the same report; nothing new stored)"] * 19 + [
        "published as R1"
    ]
    builds = log.read_text().split()
    assert len(builds) == 20  # once each: none built again, none inside the lock
    # with the old build inside the lock every probe found it held (by the builder itself)
    assert "free" in builds
    with sqlite3.connect(register.db) as conn:
        assert conn.execute("SELECT count(*) FROM published_report").fetchone()[0] == 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == mode
    assert "journal          " in register("db", "check").stdout


def test_twenty_publishers_of_different_days_each_count_changes_from_the_one_before(
    register: Cli, tmp_path: Path
) -> None:
    """20 reports of one portfolio as of 20 days, published at once: each one's "changes since"
    is the latest day published before it (in the order they were stored), and each is
    anchored on the state it was built from."""
    days = [(date(2019, 5, 1) + timedelta(days=i)).isoformat() for i in range(20)]
    outcomes = run_publishers(register.db, tmp_path / "builds.log", days[::-1])
    assert all(code == 0 for code, _ in outcomes), outcomes
    stored = register.json("report", "archive", "list")
    assert [r["code"] for r in stored] == [f"R{i}" for i in range(1, 21)]
    assert sorted(r["as_of"] for r in stored) == days
    for i, r in enumerate(stored):
        earlier = [s["as_of"] for s in stored[:i] if s["as_of"] < r["as_of"]]
        window = (date.fromisoformat(r["as_of"]) - timedelta(days=30)).isoformat()
        assert r["since"] == max(earlier, default=window), r
        anchored_on_the_state_before_it(register.db, r["code"])
    assert "journal          " in register("db", "check").stdout
