"""`report consolidated`: three secretariats' files read together, read-only.

Three small hand-built files whose totals are worked out below by hand, three generated files
(bench/generate.py at scale S, seeds 1-3) whose per-portfolio parts must equal each file's own
`report status`, and the archive that `--publish --archive FILE` writes. Every source file keeps
its sha256 and gets no file beside it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from portefolje.reports.schema import ConsolidatedReport
from portefolje.store.connection import latest_version

AS_OF = "2019-06-05"
MIO = 1_000_000
ROOT = Path(__file__).resolve().parents[1]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def state_of(folder: Path) -> dict[str, str]:
    """Every file in the folder with its hash: nothing may change, and nothing may appear."""
    return {p.name: sha(p) for p in sorted(folder.iterdir()) if p.is_file()}


def make(cli: Cli, path: Path, *commands: tuple[str, ...]) -> Path:
    cli("--db", str(path), "init")
    for command in commands:
        cli("--db", str(path), *command)
    return path


@pytest.fixture
def three(cli: Cli, tmp_path: Path) -> list[Path]:
    """Social (FOM), employment (SBF) and health (SUND, AELD), one file each.

    By hand, for the budget period 2019-2022 as of 5 June 2019:
      FOM:  target 4 mio from 2019 = 16 mio; documented 1 mio a year = 4 mio; estimated 0.5 mio
            (2019 only); gap 16 - 4 = 12 mio. P1 active (yellow), P2 paused; 1 overdue milestone.
      SBF:  target 2 mio in 2019 only; documented 3 mio in 2019; gap 2 - 3 = -1 mio (a surplus).
            P1 active (green).
      SUND: no target (gap none); P1 closed.
      AELD: no target; estimated 250 t.kr. in 2020; P1 active (red); 1 overdue milestone.
      Totals: target 18 mio, documented 7 mio, estimated 0.75 mio, gap 12 mio (the surplus of
      SBF does not cover FOM's gap), 3 active, 1 paused, 1 closed, 1 green, 1 yellow, 1 red,
      2 overdue milestones.
    """
    folder = tmp_path / "kilder"
    folder.mkdir()
    social = make(
        cli,
        folder / "social.db",
        ("portfolio", "add", "Fælles om målet", "--code", "FOM"),
        ("department", "add", "Social & Familie", "--code", "SF"),
        ("department", "add", "Borger & Arbejdsmarked", "--code", "BA"),
        ("committee", "add", "Økonomiudvalget", "--code", "ØU"),
        ("segment", "add", "Borgere i misbrugsbehandling", "--portfolio", "FOM"),
        ("project", "add", "Rusmidler og job", "--segment", "S1", "--start", "2017-05-01"),
        ("project", "add", "Egen bolig", "--segment", "S1", "--start", "2017-05-01"),
        (
            "target",
            "set",
            "--portfolio",
            "FOM",
            "--amount",
            "4 mio",
            "--from-year",
            "2019",
            "--key",
            "SF=1/2",
            "--key",
            "BA=1/2",
        ),
        (
            "saving",
            "add",
            "--project",
            "P1",
            "--amount",
            "1 mio",
            "--from-year",
            "2019",
            "--department",
            "SF",
            "--stage",
            "documented",
        ),
        (
            "saving",
            "add",
            "--project",
            "P1",
            "--amount",
            "500 t.kr.",
            "--year",
            "2019",
            "--department",
            "BA",
        ),
        (
            "project",
            "health",
            "P1",
            "yellow",
            "--comment",
            "Data forsinket",
            "--date",
            "2019-05-20",
        ),
        ("project", "pause", "P2", "--reason", "Afventer boligplan", "--date", "2019-05-10"),
        ("milestone", "add", "Analyse færdig", "--project", "P1", "--due", "2019-05-01"),
        (
            "deliverable",
            "add",
            "Status på Fælles om målet",
            "--committee",
            "ØU",
            "--meeting",
            "2019-06-19",
            "--project",
            "P1",
        ),
    )
    employment = make(
        cli,
        folder / "beskaeftigelse.db",
        ("portfolio", "add", "Sammenhængende borgerforløb", "--code", "SBF"),
        ("department", "add", "Jobcenter", "--code", "JC"),
        ("committee", "add", "Økonomiudvalget", "--code", "ØU"),
        ("segment", "add", "Ledige med misbrug", "--portfolio", "SBF"),
        ("project", "add", "Job først", "--segment", "S1", "--start", "2018-01-01"),
        (
            "target",
            "set",
            "--portfolio",
            "SBF",
            "--amount",
            "2 mio",
            "--year",
            "2019",
            "--key",
            "JC=1/1",
        ),
        (
            "saving",
            "add",
            "--project",
            "P1",
            "--amount",
            "3 mio",
            "--year",
            "2019",
            "--department",
            "JC",
            "--stage",
            "documented",
        ),
        ("project", "health", "P1", "green", "--date", "2019-05-01"),
        (
            "deliverable",
            "add",
            "Status på beskæftigelsesindsatsen",
            "--committee",
            "ØU",
            "--meeting",
            "2019-06-19",
            "--project",
            "P1",
        ),
    )
    health = make(
        cli,
        folder / "sundhed.db",
        ("portfolio", "add", "Sundhed på tværs", "--code", "SUND"),
        ("portfolio", "add", "Ældre i eget hjem", "--code", "AELD"),
        ("segment", "add", "Borgere med kronisk sygdom", "--portfolio", "SUND"),
        ("segment", "add", "Ældre med mange kontakter", "--portfolio", "AELD"),
        ("project", "add", "Fælles plan", "--segment", "S1", "--start", "2017-01-01"),
        ("project", "close", "P1", "--date", "2018-12-01", "--reason", "Overleveret til drift"),
        ("project", "add", "Hjemme igen", "--segment", "S2", "--start", "2018-02-01"),
        ("project", "health", "P2", "red", "--comment", "Mangler data", "--date", "2019-05-01"),
        ("milestone", "add", "Baseline målt", "--project", "P2", "--due", "2019-03-01"),
        ("saving", "add", "--project", "P2", "--amount", "250 t.kr.", "--year", "2020"),
    )
    return [social, employment, health]


def consolidated(cli: Cli, files: list[Path], *args: str) -> Any:
    return cli("report", "consolidated", *map(str, files), "--as-of", AS_OF, *args)


def test_hand_checked_totals_and_sources_untouched(cli: Cli, three: list[Path]) -> None:
    folder = three[0].parent
    before = state_of(folder)
    data = json.loads(consolidated(cli, three, "--format", "json").stdout)
    ConsolidatedReport.model_validate(data)
    assert state_of(folder) == before  # same bytes, and no -wal or -shm file beside them

    assert [(s["source"], s["path"], s["portfolios"]) for s in data["sources"]] == [
        ("K1", str(three[0].resolve()), ["FOM"]),
        ("K2", str(three[1].resolve()), ["SBF"]),
        ("K3", str(three[2].resolve()), ["SUND", "AELD"]),
    ]
    for source, path in zip(data["sources"], three, strict=True):
        assert source["schema_version"] == latest_version() and len(source["journal_head"]) == 64
        with closing(sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)) as conn:
            rows, head = conn.execute(
                "SELECT count(*), (SELECT hash FROM journal ORDER BY id DESC LIMIT 1) FROM journal"
            ).fetchone()
        assert (source["journal_rows"], source["journal_head"]) == (rows, head)
    rows = {(r["source"], r["portfolio"]): r for r in data["headline"]}
    fom, sbf = rows[("K1", "FOM")], rows[("K2", "SBF")]
    sund, aeld = rows[("K3", "SUND")], rows[("K3", "AELD")]
    assert (fom["target"], fom["documented"], fom["estimated"], fom["gap"]) == (
        16 * MIO,
        4 * MIO,
        MIO // 2,
        12 * MIO,
    )
    assert (fom["active"], fom["paused"], fom["yellow"], fom["overdue_milestones"]) == (1, 1, 1, 1)
    assert (sbf["target"], sbf["documented"], sbf["gap"]) == (2 * MIO, 3 * MIO, -MIO)
    assert sbf["green"] == 1
    assert (sund["target"], sund["gap"], sund["closed"]) == (None, None, 1)
    assert (aeld["estimated"], aeld["red"], aeld["overdue_milestones"]) == (250_000, 1, 1)
    assert data["totals"] == {
        "active": 3, "paused": 1, "closed": 1, "green": 1, "yellow": 1, "red": 1,
        "overdue_milestones": 2, "target": 18 * MIO, "estimated": 750_000,
        "documented": 7 * MIO, "budgeted": 0, "coverage": 0, "gap": 12 * MIO,
    }  # fmt: skip
    # the committee calendar across files: the same committee's meeting, once from each file
    assert [(m["source"], m["meeting_date"], m["title"]) for m in data["calendar"]] == [
        ("K1", "2019-06-19", "Status på Fælles om målet"),
        ("K2", "2019-06-19", "Status på beskæftigelsesindsatsen"),
    ]
    assert [(p["source"], p["portfolio"]) for p in data["portfolios"]] == list(rows)


def test_each_part_is_the_files_own_status_report(cli: Cli, three: list[Path]) -> None:
    data = json.loads(consolidated(cli, three, "--format", "json").stdout)
    for part in data["portfolios"]:
        path = three[int(part["source"][1:]) - 1]
        own = cli("--db", str(path), "report", "status", "--portfolio", part["portfolio"],
                  "--as-of", AS_OF, "--format", "json").stdout  # fmt: skip
        assert part["report"] == json.loads(own)


def test_every_format(cli: Cli, three: list[Path], tmp_path: Path) -> None:
    text = consolidated(cli, three).stdout
    assert text.startswith("Konsolideret statusrapport\n")
    assert str(three[2].resolve()) in text and "12.000.000 kr." in text
    md = consolidated(cli, three, "--format", "md").stdout
    assert "## Kilder" in md and "## FOM (K1): Overblik" in md and "## AELD (K3): Overblik" in md
    html = consolidated(cli, three, "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "Journalanker" in html
    # the report CSV in Danish Excel's dialect (semicolons, a byte-order mark); keys with --lang en
    raw = consolidated(cli, three, "--format", "csv", "--lang", "en").stdout
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    assert [(r["source"], r["portfolio"], r["code"]) for r in rows] == [
        ("K1", "FOM", "P1"), ("K1", "FOM", "P2"), ("K2", "SBF", "P1"),
        ("K3", "SUND", "P1"), ("K3", "AELD", "P2"),
    ]  # fmt: skip
    out = tmp_path / "koncern-{date}.xlsx"
    consolidated(cli, three, "--format", "xlsx", "--out", str(out))
    with zipfile.ZipFile(tmp_path / f"koncern-{AS_OF}.xlsx") as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) > 10
    # the same files and day give the same bytes
    assert consolidated(cli, three, "--format", "md").stdout == md
    en = consolidated(cli, three, "--lang", "en").stdout
    assert en.startswith("Consolidated status report\n")


def test_publish_into_an_archive_of_its_own(cli: Cli, three: list[Path], tmp_path: Path) -> None:
    folder = three[0].parent
    before = state_of(folder)
    archive = tmp_path / "koncern.db"
    first = consolidated(cli, three, "--format", "md", "--publish", "--archive", str(archive))
    assert "published as R1 in" in first.stderr
    again = consolidated(cli, three, "--format", "md", "--publish", "--archive", str(archive))
    assert "already published as R1" in again.stderr and again.stdout == first.stdout
    assert state_of(folder) == before
    listed = cli.json("report", "archive", "list", "--archive", str(archive))
    assert [(r["code"], r["as_of"], len(r["sources"])) for r in listed] == [("R1", AS_OF, 3)]
    assert listed[0]["formats"] == ["csv", "html", "json", "md", "text", "xlsx"]
    assert listed[0]["sources"][0]["path"] == str(three[0].resolve())
    shown = cli("report", "archive", "show", "R1", "--archive", str(archive), "--format", "md")
    assert shown.stdout == first.stdout
    # the rows never change
    with sqlite3.connect(archive) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM consolidated_file")


def test_refusals(cli: Cli, three: list[Path], tmp_path: Path) -> None:
    old = tmp_path / "gammel.db"
    shutil.copy(ROOT / "tests" / "fixtures" / "schema-v5.db", old)
    old_hash = sha(old)
    err = cli.fails("report", "consolidated", str(three[0]), str(old), "--as-of", AS_OF)
    assert f"{old} has schema version 5, not {latest_version()}" in err and err.count("\n") == 1
    assert sha(old) == old_hash
    stranger = tmp_path / "andet.db"
    with sqlite3.connect(stranger) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert "is not a portefolje database" in cli.fails("report", "consolidated", str(stranger))
    assert "no database at" in cli.fails("report", "consolidated", str(tmp_path / "nope.db"))
    assert "given twice" in cli.fails("report", "consolidated", str(three[0]), str(three[0]))
    assert "--publish needs --archive" in cli.fails(
        "report", "consolidated", str(three[0]), "--publish"
    )
    err = cli.fails("report", "consolidated", str(three[0]), "--publish", "--archive",
                    str(three[0]))  # fmt: skip
    assert "is one of the sources" in err
    before = sha(three[1])
    err = cli.fails("report", "consolidated", str(three[0]), "--publish", "--archive",
                    str(three[1]))  # fmt: skip
    assert "is a portefolje database" in err and sha(three[1]) == before


def test_a_file_that_changes_while_read_is_noticed(three: list[Path]) -> None:
    from portefolje.store.readonly import open_readonly

    f = open_readonly(three[0])
    try:
        assert f.immutable and f.unchanged()
        os.utime(three[0], ns=(0, 0))
        assert not f.unchanged()
    finally:
        f.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("generated")
    paths = []
    for seed in (1, 2, 3):
        path = folder / f"s{seed}.db"
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", "S", "--db",
             str(path), "--seed", str(seed), "--anchor", "2021-06-01"],
            check=True, capture_output=True,
        )  # fmt: skip
        paths.append(path)
    return paths


def test_three_generated_files(cli: Cli, generated: list[Path]) -> None:
    before = {p: sha(p) for p in generated}
    data = json.loads(consolidated(cli, generated, "--format", "json").stdout)
    assert {p: sha(p) for p in generated} == before
    assert not any(Path(f"{p}{s}").exists() for p in generated for s in ("-wal", "-shm"))
    assert len(data["headline"]) == 6  # two portfolios per file at scale S
    for key in ("active", "paused", "closed", "red", "overdue_milestones", "documented"):
        assert data["totals"][key] == sum(r[key] for r in data["headline"])
    assert data["totals"]["gap"] == sum(max(r["gap"], 0) for r in data["headline"])
    for part in data["portfolios"]:
        headline = next(
            r for r in data["headline"]
            if (r["source"], r["portfolio"]) == (part["source"], part["portfolio"])
        )  # fmt: skip
        overview = part["report"]["overview"]
        assert headline["documented"] == overview["savings"]["documented"]
        assert headline["active"] == overview["projects_by_status"]["active"]
        statuses = [p["status_code"] for p in part["report"]["projects"]]
        assert headline["paused"] == statuses.count("paused")
