"""`portefolje demo` builds a fresh database from the shipped example."""

from __future__ import annotations

from pathlib import Path

from conftest import Cli


def test_demo_loads_the_example_into_a_fresh_folder(tmp_path: Path) -> None:
    c = Cli(tmp_path / "unused.db")
    result = c("demo", "--out", str(tmp_path / "demo"))
    assert "Jobrettet misbrugsbehandling" in result.stdout
    db = tmp_path / "demo" / "demo.db"
    assert db.exists()
    projects = c.json("--db", str(db), "project", "list")
    assert [p["status"] for p in projects].count("closed") == 4
    assert [p["status"] for p in projects].count("paused") == 2
    assert "already exists" in c.fails("demo", "--out", str(tmp_path / "demo"))
