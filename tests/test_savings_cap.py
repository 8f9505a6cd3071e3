"""`report savings` in a large selection: the per-project tables list the PROJECT_LIMIT projects
with the most money at stake (granted investment in the period, then the size of the effect,
then code) and count the rest in every format; --all-projects lists them all; the sums per year,
department and area never change with the cap."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import Cli
from portefolje.reports.savings import PROJECT_LIMIT
from portefolje.reports.schema import SavingsReport

AS_OF = "2019-06-05"
LEFT_OUT = "P7"  # the smallest granted investment in the period


@pytest.fixture
def crowded(cli: Cli, tmp_path: Path) -> Cli:
    """PROJECT_LIMIT + 1 projects, each saving 100 t.kr. a year from 2019 and granted
    i × 10 t.kr. in 2019, except P7: 5 t.kr. granted in the period, but the largest effect
    (1 mio. a year), an application of 50 mio. and 90 mio. granted back in 2010 — neither counts
    as investment in the period. Loaded through the JSON import, as a secretariat would."""
    n = PROJECT_LIMIT + 1
    doc: dict[str, Any] = {
        "format": "portefolje",
        "version": 3,
        "departments": [{"code": "SF", "name": "Social & Familie"}],
        "portfolios": [{"code": "FOM", "name": "Fælles om målet"}],
        "segments": [{"code": "S1", "name": "Borgere i forløb", "portfolio": "FOM"}],
        "projects": [
            {"code": f"P{i}", "title": f"Projekt {i}", "segment": "S1"} for i in range(1, n + 1)
        ],
        "savings": [
            {
                "code": f"SV{i}",
                "project": f"P{i}",
                "department": "SF",
                "from_year": 2019,
                "amount": 1_000_000 if f"P{i}" == LEFT_OUT else 100_000,
            }
            for i in range(1, n + 1)
        ],
        "investments": [
            {
                "code": f"INV{i}",
                "project": f"P{i}",
                "year": 2019,
                "amount": 5_000 if f"P{i}" == LEFT_OUT else i * 10_000,
            }
            for i in range(1, n + 1)
        ],
    }
    applied = {"code": "INVA", "year": 2020, "amount": 50_000_000, "status": "applied"}
    doc["investments"] += [
        {**applied, "project": LEFT_OUT},
        {"code": "INVB", "project": LEFT_OUT, "year": 2010, "amount": 90_000_000},
    ]
    path = tmp_path / "crowded.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    cli("import", str(path))
    return cli


def savings(cli: Cli, fmt: str, *args: str) -> str:
    result = cli("report", "savings", "--as-of", AS_OF, "--from-year", "2019", "-f", fmt, *args)
    return str(result.stdout)


def as_json(cli: Cli, *args: str) -> dict[str, Any]:
    return dict(json.loads(savings(cli, "json", *args)))


def test_the_projects_with_the_largest_investment_are_listed_and_the_rest_counted(
    crowded: Cli,
) -> None:
    data = as_json(crowded)
    codes = [p["code"] for p in data["projects"]]
    assert len(codes) == PROJECT_LIMIT and LEFT_OUT not in codes
    assert codes == sorted(codes)  # shown in code order, as every project was
    assert (data["projects_total"], data["projects_not_shown"]) == (PROJECT_LIMIT + 1, 1)
    SavingsReport.model_validate(data)


@pytest.mark.parametrize(
    ("lang", "shown", "more"),
    [
        (
            "da",
            f"Viser de {PROJECT_LIMIT} af {PROJECT_LIMIT + 1} projekter med flest penge på spil",
            "… og 1 projekt mere, som ikke vises her.",
        ),
        (
            "en",
            f"Showing the {PROJECT_LIMIT} of {PROJECT_LIMIT + 1} projects with the most money",
            "… and 1 project more, not shown here.",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_every_page_says_how_many_more_there_are(
    crowded: Cli, lang: str, shown: str, more: str, fmt: str
) -> None:
    page = savings(crowded, fmt, "--lang", lang)
    assert page.count(more) == 1 and page.count(shown) == 1
    assert not re.search(rf"\b{LEFT_OUT}\b", page) and re.search(r"\bP8\b", page)


def test_the_csv_ends_with_a_row_counting_the_projects_left_out(crowded: Cli) -> None:
    rows = list(csv.reader(io.StringIO(savings(crowded, "csv").lstrip("\ufeff")), delimiter=";"))
    assert rows[-1][:2] == ["ikke vist", "1 projekt"] and not any(rows[-1][2:])
    assert LEFT_OUT not in {r[1] for r in rows if r[0] == "projekt"}


def test_the_spreadsheet_says_it_on_the_projects_sheet(crowded: Cli, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    crowded(
        "report", "savings", "--as-of", AS_OF, "--from-year", "2019", "-f", "xlsx",
        "--out", str(path), "-q",
    )  # fmt: skip
    sheet = openpyxl.load_workbook(path)["Projekter"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "… og 1 projekt mere, som ikke vises her." in cells
    assert LEFT_OUT not in cells and "P8" in cells
    # the sums under the tables are of the projects shown, and say so
    assert "I alt, viste" in cells and "I alt" not in cells
    # the first table's header stays in view below the note, as it does without the cap
    header = next(
        r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value in ("Projekt", "Kode")
    )
    assert sheet.freeze_panes == f"A{header + 1}", (sheet.freeze_panes, header)


def test_all_projects_lists_every_one_and_the_sums_do_not_change(crowded: Cli) -> None:
    capped, every = as_json(crowded), as_json(crowded, "--all-projects")
    assert len(every["projects"]) == PROJECT_LIMIT + 1
    assert "projects_total" not in every and "projects_not_shown" not in every
    SavingsReport.model_validate(every)
    for key in ("totals", "departments", "areas"):
        assert capped[key] == every[key]
    # 201 × 100 t.kr. less P7's, plus its 1 mio.: every project's effect counts in the totals
    assert capped["totals"][0]["estimated"] == PROJECT_LIMIT * 100_000 + 1_000_000
    listed = {p["code"]: p for p in every["projects"]}
    assert all(listed[p["code"]] == p for p in capped["projects"])
    page = savings(crowded, "text", "--all-projects")
    assert "ikke vises her" not in page and re.search(rf"\b{LEFT_OUT}\b", page)


def test_without_investment_the_largest_effect_counts_whatever_its_sign(
    register: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four projects, two listed: P4 for its investment, then P3 for the largest effect in the
    period (a cost of 2 mio. is as much at stake as a saving of 2 mio.); P1's saving lies after
    the period, P2's is smaller."""
    monkeypatch.setattr("portefolje.reports.savings.PROJECT_LIMIT", 2)
    c = register
    c("project", "add", "Tredje", "--segment", "S1")
    c("project", "add", "Fjerde", "--segment", "S2")
    for project, amount, year in [
        ("P1", "5 mio", "2025"),
        ("P2", "1 mio", "2019"),
        ("P3", "-2 mio", "2020"),
        ("P4", "100 t.kr.", "2019"),
    ]:
        c("saving", "add", "--project", project, "--amount", amount, "--year", year)
    c("investment", "add", "--project", "P4", "--amount", "10 t.kr.", "--year", "2019")
    data = as_json(c)
    assert [p["code"] for p in data["projects"]] == ["P3", "P4"]
    assert data["projects_not_shown"] == 2
    page = savings(c, "text", "--lang", "da")
    assert "Viser de 2 af 4 projekter" in page and "… og 2 projekter mere, som" in page


def test_the_help_names_the_limit(cli: Cli) -> None:
    text = " ".join(cli("report", "savings", "--help").stdout.split())
    assert f"Beyond {PROJECT_LIMIT} projects with economy" in text and "--all-projects" in text


def test_the_schema_command_prints_the_savings_report_shape(cli: Cli) -> None:
    schema = json.loads(cli("schema", "report-savings").stdout)
    assert {"projects", "projects_total", "projects_not_shown"} <= set(schema["properties"])
    assert set(schema["required"]) >= {"projects", "totals"}
    assert not set(schema["required"]) & {"projects_total", "projects_not_shown"}
