"""The spreadsheet bridge: CSV as Danish Excel and other tools write it, XLSX from openpyxl,
all-or-nothing imports with every bad row listed, templates, and the Excel/CSV export."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from conftest import Cli
from statements import traced


def write(path: Path, lines: list[str], encoding: str, newline: str = "\r\n") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def milestone_lines(n: int = 60, broken_row: int | None = None) -> list[str]:
    lines = ["Projekt;Milepæl;Dato;Bemærkning"]
    for row in range(2, n + 2):
        due = "31/02/2019" if row == broken_row else f"{row % 28 + 1}/{row % 12 + 1} 2019"
        lines.append(
            f"P{row % 2 + 1};Delmål {row} – børn & unge;{due};Aftalt med økonomiafdelingen"
        )
    return lines


def test_danish_excel_semicolon_cp1252_with_broken_date_on_row_57(
    register: Cli, tmp_path: Path
) -> None:
    sheet = write(tmp_path / "milepæle.csv", milestone_lines(60, broken_row=57), "cp1252")
    before = register.snapshot()
    err = register.fails("import", str(sheet), "--kind", "milestones")
    assert "nothing was imported" in err
    assert "row 57, column 'Dato': invalid date '31/02/2019': February 2019 has 28 days" in err
    assert register.snapshot() == before
    data = json.loads(
        register("import", str(sheet), "--kind", "milestones", "--json", code=1).stdout
    )
    assert data["problems"] == [
        {
            "row": 57,
            "column": "Dato",
            "reason": "invalid date '31/02/2019': February 2019 has 28 days",
        }
    ]
    assert data["written"] is False and data["read_as"] == "csv, cp1252, semicolon-separated"
    fixed = write(tmp_path / "milepæle.csv", milestone_lines(60), "cp1252")
    assert "60 created" in register("import", str(fixed), "--kind", "milestones").stderr
    assert len(register.json("milestone", "list")) == 60
    journal = register.json("history")
    again = register("import", str(fixed), "--kind", "milestones").stderr
    assert "0 created, 0 updated, 60 unchanged" in again
    assert register.json("history") == journal


def test_every_bad_row_is_listed(register: Cli, tmp_path: Path) -> None:
    sheet = write(
        tmp_path / "savings.csv",
        [
            "Projekt;Afdeling;År;Beløb;Stade",
            "P1;SF;2019;1.5;estimeret",
            "P9;SF;2019;100;estimeret",
            "P1;XX;2019;100;estimeret",
            "P2;SF;19;100;estimeret",
            "P2;SF;2020;100;måske",
            "P1;BA;2020;100;dokumenteret",
        ],
        "utf-8",
    )
    data = json.loads(register("import", str(sheet), "--json", code=1).stdout)
    assert [(p["row"], p["column"]) for p in data["problems"]] == [
        (2, "Beløb"),
        (3, "Projekt"),
        (4, "Afdeling"),
        (5, "År"),
        (6, "Stade"),
    ]
    assert "ambiguous" in data["problems"][0]["reason"]
    assert register.json("saving", "list") == []


def test_utf8_bom_semicolon_with_decimal_comma(register: Cli, tmp_path: Path) -> None:
    sheet = write(
        tmp_path / "b.csv",
        [
            "Projekt;Afdeling;Styringsområde;År;Beløb (1.000 kr.);Stade;Note",
            "P1;SF;Service;2019;-333;Estimeret;Skøn",
            "P2;BA;Overførsler;2020;1.482,5;Dokumenteret;Regnskab 2020",
        ],
        "utf-8-sig",
    )
    out = register("import", str(sheet), "--kind", "savings").stderr
    assert "csv, utf-8-sig, semicolon-separated" in out
    rows = register.json("saving", "list")
    assert [(r["amount"], r["area"], r["stage"]) for r in rows] == [
        (-333_000, "service", "estimated"),
        (1_482_500, "overforsler", "documented"),
    ]


def test_comma_separated_utf8_with_english_headers(register: Cli, tmp_path: Path) -> None:
    sheet = write(
        tmp_path / "inv.csv",
        [
            "project,year,amount,department,funding",
            'P1,2019,"2.000.000",SF,Innovation pool',
            "P1,2020,500000,SF,One-off money",
        ],
        "utf-8",
        "\n",
    )
    out = register("import", str(sheet), "--kind", "investments").stderr
    assert "comma-separated" in out and "2 created" in out
    assert [i["amount"] for i in register.json("investment", "list")] == [2_000_000, 500_000]


def test_encoding_and_delimiter_overrides(register: Cli, tmp_path: Path) -> None:
    sheet = write(tmp_path / "x.csv", ["Projekt|År|Beløb", "P1|2019|100"], "cp1252")
    assert "missing column" in register.fails("import", str(sheet), "--kind", "savings")
    register("import", str(sheet), "--kind", "savings", "--delimiter", "|", "--encoding", "cp1252")
    assert register.json("saving", "list")[0]["amount"] == 100


def test_xlsx_written_by_openpyxl(register: Cli, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Oversigt"
    ws = book.create_sheet("Milepæle")
    ws.append(["Projekt", "Milepæl", "Frist"])
    ws.append(["P1", "Analyse færdig", date(2019, 3, 1)])
    ws.append(["P2", "Procedure i drift", "1. juni 2019"])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    assert "choose one with --sheet (Oversigt, Milepæle)" in register.fails(
        "import", str(path), "--kind", "milestones"
    )
    assert "no sheet 'Nope'" in register.fails(
        "import", str(path), "--kind", "milestones", "--sheet", "Nope"
    )
    register("import", str(path), "--kind", "milestones", "--sheet", "Milepæle")
    assert [m["due_date"] for m in register.json("milestone", "list")] == [
        "2019-03-01",
        "2019-06-01",
    ]
    # a changed date in the next version of the sheet becomes a move; the earlier date is kept
    ws["C2"] = date(2019, 4, 1)
    book.save(path)
    assert (
        "1 updated"
        in register("import", str(path), "--kind", "milestones", "--sheet", "Milepæle").stderr
    )
    moved = register.json("milestone", "show", "M1")
    assert (
        moved["original_due_date"] == "2019-03-01"
        and "import af plan.xlsx" in moved["moves"][0]["reason"]
    )


def test_xlsx_numbers_and_whole_kroner(register: Cli, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Projekt", "År", "Beløb", "Stade"])
    book.active.append(["P1", 2019, 978000, "dokumenteret"])
    book.active.append(["P2", 2019.0, 1234.5, "estimeret"])
    path = tmp_path / "savings.xlsx"
    book.save(path)
    data = json.loads(register("import", str(path), "--json", code=1).stdout)
    assert data["problems"][0]["row"] == 3 and "whole kroner" in data["problems"][0]["reason"]
    book.active["C3"] = 1234
    book.save(path)
    register("import", str(path))  # the kind comes from the file name
    assert [s["amount"] for s in register.json("saving", "list")] == [978_000, 1234]


def test_reimport_updates_changed_rows_and_journals_them(register: Cli, tmp_path: Path) -> None:
    lines = ["Projekt;Afdeling;År;Beløb;Stade", "P1;SF;2019;100.000;dokumenteret"]
    sheet = write(tmp_path / "s.csv", lines, "utf-8")
    register("import", str(sheet), "--kind", "savings")
    write(
        tmp_path / "s.csv",
        ["Projekt;Afdeling;År;Beløb;Stade", "P1;SF;2019;120.000;dokumenteret"],
        "utf-8",
    )
    # a documented figure never changes without a stated reason: the row needs a note
    err = register.fails("import", str(sheet), "--kind", "savings")
    assert "row 2, column 'Note'" in err or "row 2" in err and "new note" in err
    write(
        tmp_path / "s.csv",
        ["Projekt;Afdeling;År;Beløb;Stade;Note", "P1;SF;2019;120.000;dokumenteret;Regnskab 2019"],
        "utf-8",
    )
    assert "1 updated" in register("import", str(sheet), "--kind", "savings").stderr
    last = register.json("history")[-1]
    assert (last["action"], last["before"]["amount"], last["after"]["amount"]) == (
        "correct",  # changed the same day it was registered: the version is corrected
        100_000,
        120_000,
    )
    assert last["after"]["note"] == "Regnskab 2019"


def test_duplicates_missing_and_unknown_columns(register: Cli, tmp_path: Path) -> None:
    sheet = write(
        tmp_path / "s.csv", ["Projekt;År;Beløb;Farve", "P1;2019;1;rød", "P1;2019;2;blå"], "utf-8"
    )
    data = json.loads(register("import", str(sheet), "--kind", "savings", "--json", code=1).stdout)
    assert data["ignored_columns"] == ["Farve"]
    assert (
        data["problems"][0]["row"] == 3 and "same record as row 2" in data["problems"][0]["reason"]
    )
    empty = write(tmp_path / "e.csv", [""], "utf-8")
    assert "empty" in register.fails("import", str(empty), "--kind", "savings")
    assert "--kind" in register.fails("import", str(sheet))
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert "use .csv or .xlsx" in register.fails(
        "import", str(tmp_path / "x.pdf"), "--kind", "savings"
    )


def test_dry_run_counts_and_writes_nothing(register: Cli, tmp_path: Path) -> None:
    sheet = write(
        tmp_path / "p.csv",
        ["Titel;Segment;Afdelinger;Start", "Unge i overgang;S1;SF, BA;1/9 2019"],
        "utf-8",
    )
    before = register.snapshot()
    assert (
        "would import" in register("import", str(sheet), "--kind", "projects", "--dry-run").stderr
    )
    assert register.snapshot() == before
    register("import", str(sheet), "--kind", "projects")
    p = register.json("project", "show", "Unge i overgang")
    assert (p["departments"], p["start_date"]) == (["SF", "BA"], "2019-09-01")


def test_deliverables_and_solutions_sheets(register: Cli, tmp_path: Path) -> None:
    register("committee", "add", "Økonomiudvalget", "--code", "ØU")
    register("committee", "add", "Børn- og Ungeudvalget", "--code", "BUU")
    sheet = write(
        tmp_path / "d.csv",
        [
            "Titel;Udvalg;Mødedato;Type;Forbehandling;Projekter",
            "Første plan;ØU;20/2 2019;drøftelse;BUU:12/2 2019;P1",
            "Bud på projekter;ØU;3/4 2019;drøftelse;BUU:9/4 2019;P1",
        ],
        "utf-8",
    )
    data = json.loads(
        register("import", str(sheet), "--kind", "deliverables", "--json", code=1).stdout
    )
    assert data["problems"][0]["row"] == 3 and "after the meeting" in data["problems"][0]["reason"]
    sol = write(
        tmp_path / "l.csv",
        [
            "Løsning;Projekt;Type;Status;Dato",
            "Koordinerende sagsbehandler;P1;organisering;afprøves;1/5 2019",
        ],
        "utf-8",
    )
    register("import", str(sol), "--kind", "solutions")
    assert register.json("solution", "show", "L1")["status"] == "trial"


@pytest.mark.parametrize(
    "kind", ["projects", "solutions", "milestones", "deliverables", "savings", "investments"]
)
def test_templates_have_the_headers_and_an_example(cli: Cli, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    assert "template" in cli("import", "--template", str(path)).stderr
    ws = openpyxl.load_workbook(path).active
    headers = [c.value for c in ws[1]]
    assert headers and all(headers) and ws.max_row == 2
    csv_path = tmp_path / "skabelon.csv"
    cli("import", "--template", str(csv_path), "--kind", kind)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_template_for_savings_reads_back(register: Cli, tmp_path: Path) -> None:
    register("project", "add", "Tredje", "--segment", "S1", "--code", "P3")
    path = tmp_path / "savings.xlsx"
    register("import", "--template", str(path))
    register("import", str(path))
    (saving,) = register.json("saving", "list")
    assert (saving["project"], saving["amount"], saving["stage"], saving["year"]) == (
        "P3",
        978_000,
        "documented",
        2018,
    )


def test_export_xlsx_types_frozen_header_and_neutralised(register: Cli, tmp_path: Path) -> None:
    register(
        "saving",
        "add",
        "--project",
        "P1",
        "--amount",
        "978 t.kr.",
        "--year",
        "2018",
        "--note",
        '=HYPERLINK("http://x")',
    )
    register("milestone", "add", "Plan", "--project", "P1", "--due", "2019-03-01")
    path = tmp_path / "alt.xlsx"
    register("export", "--format", "xlsx", "--out", str(path))
    book = openpyxl.load_workbook(path)
    assert {"projects", "savings", "milestones", "projects_history", "milestones_moves"} <= set(
        book.sheetnames
    )
    savings = book["savings"]
    assert savings.freeze_panes == "A2"
    header = [c.value for c in savings[1]]
    amount = savings.cell(2, header.index("amount") + 1)
    assert amount.value == 978_000 and "kr." in amount.number_format
    note = savings.cell(2, header.index("note") + 1)
    assert note.value == '=HYPERLINK("http://x")' and note.data_type == "s" and note.quotePrefix
    due = book["milestones"].cell(2, [c.value for c in book["milestones"][1]].index("due_date") + 1)
    assert due.is_date and due.value.date() == date(2019, 3, 1)
    with zipfile.ZipFile(path) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_export_csv_per_kind(register: Cli, tmp_path: Path) -> None:
    register(
        "saving",
        "add",
        "--project",
        "P1",
        "--amount",
        "1",
        "--year",
        "2019",
        "--note",
        "-3 kr. afvigelse",
    )
    register("export", "--format", "csv", "--out", str(tmp_path / "csv"))
    files = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert "savings.csv" in files and "projects_history.csv" in files
    text = (tmp_path / "csv" / "savings.csv").read_bytes().decode("utf-8-sig")
    assert ";'-3 kr. afvigelse;" in text.splitlines()[1]
    back = Cli(tmp_path / "other.db")
    assert "needs --out" in back.fails("export", "--format", "xlsx")


# -- the savings sheet's bulk path ---------------------------------------------------------------


def savings_lines(n: int, note: dict[int, str] | None = None, first: int = 1) -> list[str]:
    """n new savings lines (codes SV<first> …) over the register's two projects, amounts
    repeating (round figures)."""
    lines = ["Kode;Projekt;Afdeling;Styringsområde;År;Fra år;Beløb;Stade;Note"]
    for row in range(2, n + 2):
        year, from_year = (f"{2019 + row % 5}", "") if row % 3 else ("", f"{2020 + row % 4}")
        lines.append(
            f"SV{first + row - 2};P{row % 2 + 1};{('SF', 'BA')[row % 2]};Service;"
            f"{year};{from_year};{row % 7 + 1}.000;{('estimeret', 'dokumenteret')[row % 2]};"
            f"{(note or {}).get(row, 'Skøn' if row % 4 else '')}"
        )
    return lines


def test_a_savings_sheet_runs_no_statement_per_line(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are checked in Python and written in bulk: one INSERT per table inserts every
    line from the journal's batch text, so 40 lines and 400 lines run the same statements (after
    a first import, which starts the code counter)."""
    counts = []
    for n in (4, 40, 400):
        sheet = write(tmp_path / f"savings-{n}.csv", savings_lines(n, first=n), "cp1252")
        with traced(monkeypatch) as seen:
            assert f"{n} created" in register("import", str(sheet), "--kind", "savings").stderr
        inserts = [s for s in seen if s.startswith("INSERT INTO")]
        for table in ("saving", "saving_version"):
            into = [s for s in inserts if s.startswith(f"INSERT INTO {table} (")]
            assert len(into) == 1 and "json_each" in into[0], into
        # the journal holds the lines in batches (one row per table and batch), not per line
        assert sum(s.startswith("INSERT INTO journal") for s in inserts) == 2, inserts[-3:]
        counts.append(len(seen))
    assert counts[1] == counts[2], f"{counts[1]} statements for 40 lines, {counts[2]} for 400"
    assert len(register.json("saving", "list")) == 444
    assert "0 brud" in register("--lang", "da", "db", "check").stdout


def test_a_cpr_number_in_a_bulk_line_is_refused_by_its_row(register: Cli, tmp_path: Path) -> None:
    """The bulk insert checks each distinct text once; the line that holds a CPR number is still
    named by its row, and nothing is written."""
    before = register.snapshot()
    sheet = write(
        tmp_path / "savings.csv", savings_lines(30, note={17: "borger 010190-1009"}), "cp1252"
    )
    err = register.fails("import", str(sheet), "--kind", "savings")
    assert "row 17" in err and "CPR" in err, err
    assert "010190" not in err
    assert register.snapshot() == before


def test_repeated_amounts_are_remembered_and_bad_ones_refused_each_time(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An amount's text is parsed once while it is remembered (a few thousand at a time); a bad
    amount is refused on every row that holds it, before and after the memory is cleared."""
    from portefolje.sheets import apply

    monkeypatch.setattr(apply, "AMOUNTS_KEPT", 2)
    amounts = ["1.000", "2 mio.", "3.000", "1.000", "1.5", "2 mio.", "1.5", "978 t.kr."]
    lines = ["Projekt;År;Beløb"] + [f"P1;{2000 + i};{a}" for i, a in enumerate(amounts)]
    sheet = write(tmp_path / "savings.csv", lines, "utf-8")
    data = json.loads(register("import", str(sheet), "--kind", "savings", "--json", code=1).stdout)
    assert [(p["row"], p["column"]) for p in data["problems"]] == [(6, "Beløb"), (8, "Beløb")]
    fixed = write(tmp_path / "savings.csv", [x.replace("1.5", "1.500") for x in lines], "utf-8")
    register("import", str(fixed), "--kind", "savings")
    stored = {s["year"]: s["amount"] for s in register.json("saving", "list")}
    assert stored == {
        2000: 1000,
        2001: 2_000_000,
        2002: 3000,
        2003: 1000,
        2004: 1500,
        2005: 2_000_000,
        2006: 1500,
        2007: 978_000,
    }
