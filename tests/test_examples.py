"""The example portfolios load with one command, round-trip, and say what the seeds say."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cli

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.json"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_loads_and_round_trips(example: Path, tmp_path: Path) -> None:
    c = Cli(tmp_path / "x.db")
    c("--db", str(c.db), "import", str(example))
    exported = c("--db", str(c.db), "export").stdout
    again = Cli(tmp_path / "y.db")
    (tmp_path / "doc.json").write_text(exported, encoding="utf-8")
    again("--db", str(again.db), "import", str(tmp_path / "doc.json"))
    assert again("--db", str(again.db), "export").stdout == exported
    assert "created" not in c("--db", str(c.db), "import", str(example)).stderr


def test_all_three_fit_in_one_database(tmp_path: Path) -> None:
    c = Cli(tmp_path / "all.db")
    for example in EXAMPLES:
        c("--db", str(c.db), "import", str(example))
    assert len(c.json("--db", str(c.db), "portfolio", "list")) == 3


def test_albertslund_facts(tmp_path: Path) -> None:
    c = Cli(tmp_path / "a.db")
    c("--db", str(c.db), "import", str(EXAMPLES[0]))
    db = ("--db", str(c.db))
    statuses = [p["status"] for p in c.json(*db, "project", "list")]
    assert (statuses.count("paused"), statuses.count("closed")) == (2, 4)
    assert len(c.json(*db, "solution", "list", "--portfolio", "FOM")) == 10
    targets = c.json(*db, "target", "list")
    assert [(t["year"] or t["from_year"], t["amount"]) for t in targets] == [
        (2017, 2_000_000),
        (2018, 3_000_000),
        (2019, 4_000_000),
    ]
    assert [k["share"] for k in targets[0]["key"]] == ["1/3", "1/3", "1/3"]
    (saving,) = c.json(*db, "saving", "list", "--stage", "documented")
    assert (saving["amount"], saving["year"], saving["department"]) == (978_000, 2018, "SF")


def test_odense_calendar_and_pool(tmp_path: Path) -> None:
    c = Cli(tmp_path / "o.db")
    c("--db", str(c.db), "import", str(EXAMPLES[1]))
    db = ("--db", str(c.db))
    meetings = [d["meeting_date"] for d in c.json(*db, "deliverable", "list", "--committee", "ØU")]
    assert meetings == ["2019-01-16", "2019-02-20", "2019-04-03", "2019-05-29", "2019-06-19"]
    amounts = [t["amount"] for t in c.json(*db, "target", "list", "--portfolio", "SBF")]
    assert amounts == [42_600_000, 43_000_000]


def test_seven_target_groups(tmp_path: Path) -> None:
    c = Cli(tmp_path / "s.db")
    c("--db", str(c.db), "import", str(EXAMPLES[2]))
    sizes = [s["population"] for s in c.json("--db", str(c.db), "segment", "list")]
    assert sizes == [900, 100, 130, 100, 25, 100, 300]
