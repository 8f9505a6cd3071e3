"""`portefolje demo` builds a fresh database from the shipped example and writes its report."""

from __future__ import annotations

from pathlib import Path

from conftest import Cli


def test_demo_writes_the_status_report_as_md_and_html(tmp_path: Path) -> None:
    c = Cli(tmp_path / "unused.db")
    out = tmp_path / "demo"
    result = c("demo", "--out", str(out))
    md, html = out / "status-FOM-2019-06-05.md", out / "status-FOM-2019-06-05.html"
    assert f"report:    {md}" in result.stdout and f"report:    {html}" in result.stdout
    assert md.read_text(encoding="utf-8").startswith("# Statusrapport til Direktørforum")
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "Fælles om målet" in page
    db = out / "demo.db"
    projects = c.json("--db", str(db), "project", "list")
    assert [p["status"] for p in projects].count("closed") == 4
    assert [p["status"] for p in projects].count("paused") == 2
    assert len(c.json("--db", str(db), "solution", "list")) == 10
    assert "already exists" in c.fails("demo", "--out", str(out))
