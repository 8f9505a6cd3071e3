"""XLSX reports as Danish Excel shows them: a first sheet about the report, stable sheet names,
numbers that are numbers (years, counts, payback), and totals per group and table."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import Cli

AS_OF = "2019-06-05"


@pytest.fixture
def economy(register: Cli) -> Cli:
    c = register
    c("target", "set", "--portfolio", "FOM", "--amount", "2 mio", "--from-year", "2019")
    c("investment", "add", "--project", "P1", "--amount", "1 mio", "--year", "2019")
    for year, amount, department in [
        ("2019", "300 t.kr.", "SF"),
        ("2020", "400 t.kr.", "SF"),
        ("2019", "100 t.kr.", "BA"),
        ("2020", "200 t.kr.", "BA"),
    ]:
        c(
            "saving", "add", "--project", "P1", "--amount", amount, "--year", year,
            "--department", department, "--stage", "documented",
        )  # fmt: skip
    return c


def workbook(cli: Cli, tmp_path: Path, *args: str) -> openpyxl.Workbook:
    path = tmp_path / "r.xlsx"
    cli("report", *args, "--as-of", AS_OF, "--format", "xlsx", "--out", str(path), "--quiet")
    return openpyxl.load_workbook(path)


def rows(sheet: object) -> list[list[object]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]  # type: ignore[attr-defined]


def test_first_sheet_names_the_report_portfolio_and_dates(economy: Cli, tmp_path: Path) -> None:
    book = workbook(economy, tmp_path, "status", "--portfolio", "FOM")
    assert book.sheetnames[0] == "Om rapporten"
    about = {r[0]: r[1] for r in rows(book["Om rapporten"]) if r[0]}
    assert about["Rapport"] == "Statusrapport til Direktørforum"
    assert about["Portefølje"] == "Fælles om målet"
    assert about["Opgjort pr."] == "5. juni 2019"
    assert about["Dannet"] == datetime(2019, 6, 5)  # from the data, not the clock
    assert about["Ændringer"].startswith("Ændringer siden")  # contents: sheet -> full title
    savings = workbook(economy, tmp_path, "savings", "--portfolio", "FOM")
    about = {r[0]: r[1] for r in rows(savings["Om rapporten"]) if r[0]}
    assert about["Prisniveau"] == "som registreret" and about["Budgetperiode"] == "2019–2022"


def test_sheet_names_are_stable_valid_and_unique(economy: Cli, tmp_path: Path) -> None:
    first = workbook(economy, tmp_path, "status", "--portfolio", "FOM").sheetnames
    economy("project", "health", "P1", "red", "--comment", "Forsinket", "--date", "2019-06-01")
    later = tmp_path / "later"
    later.mkdir()
    assert workbook(economy, later, "status", "--portfolio", "FOM").sheetnames == first
    assert first == [
        "Om rapporten",
        "Overblik",
        "Projekter",
        "Effektmål",
        "Risici",
        "Beslutninger og handlinger",
        "Udvalgskalender",
        "Ændringer",
        "Pause og afsluttet",
    ]
    english = workbook(economy, tmp_path, "status", "--lang", "en").sheetnames
    assert english[0] == "About" and "Changes" in english
    for name in first + english:
        assert len(name) <= 31 and name == name.strip() and not set(name) & set("[]:*?/\\")


def test_years_counts_and_payback_are_numbers(economy: Cli, tmp_path: Path) -> None:
    status = workbook(economy, tmp_path, "status", "--portfolio", "FOM")
    overview = status["Overblik"]
    year_cells = [r[0] for r in overview.iter_rows() if r[0].value == 2019]
    assert year_cells and year_cells[0].data_type == "n" and year_cells[0].number_format == "0"
    counts = [r[1] for r in overview.iter_rows() if r[0].value == "aktiv"]
    assert counts[0].value == 2 and counts[0].number_format == "#,##0"
    savings = workbook(economy, tmp_path, "savings", "--portfolio", "FOM", "--from-year", "2019")
    table = rows(savings["Projekter"])
    header = next(r for r in table if r[0] == "Kode")
    p1 = next(r for r in table if r[0] == "P1")
    payback = p1[header.index("Tilbagebetaling (service)")]
    assert payback == 2  # 1 mio. invested in 2019, 400 t.kr. saved in 2019 and 600 t.kr. in 2020
    cell = next(
        r[header.index("Tilbagebetaling (service)")]
        for r in savings["Projekter"].iter_rows()
        if r[0].value == "P1"
    )
    assert "år" in cell.number_format


def test_totals_per_department_and_for_the_period(economy: Cli, tmp_path: Path) -> None:
    book = workbook(economy, tmp_path, "savings", "--portfolio", "FOM", "--from-year", "2019")
    table = rows(book["Afdelinger"])
    header = next(r for r in table if r[0] == "Afdeling")
    documented = header.index("Dokumenteret")
    totals = {r[0]: r[documented] for r in table if isinstance(r[0], str) and "alt" in r[0]}
    assert totals["SF i alt"] == 700_000 and totals["BA i alt"] == 300_000
    assert totals["I alt"] == 1_000_000
    overview = rows(book["Overblik"])
    total = next(r for r in overview if r[0] == "I alt")
    head = next(r for r in overview if r[0] == "År")
    assert total[head.index("Dokumenteret")] == 1_000_000
    assert total[head.index("Sparemål")] == 8_000_000  # 2 mio. a year, 2019-2022


def test_text_longer_than_a_cell_is_refused_not_cut(economy: Cli, tmp_path: Path) -> None:
    economy("project", "health", "P1", "red", "--comment", "Forsinket. " * 3_300)
    target = tmp_path / "r.xlsx"
    message = economy.fails(
        "report", "status", "--as-of", AS_OF, "--format", "xlsx", "--out", str(target)
    )
    assert "more than an Excel cell holds (32,767)" in message and "'Projekter'" in message
    assert not target.exists()
