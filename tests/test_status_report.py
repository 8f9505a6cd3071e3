"""`report status`: every section on a small, hand-checked portfolio, in every format."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from conftest import Cli
from portefolje.reports.schema import StatusReport

AS_OF = "2019-06-05"


@pytest.fixture
def fom(register: Cli) -> Cli:
    """P1 active (red schedule… overall yellow), P2 paused; a target, savings, milestones, cases."""
    c = register
    c("committee", "add", "Økonomiudvalget", "--code", "ØU")
    c("committee", "add", "Social- og Beskæftigelsesudvalget", "--code", "SBU")
    c(
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
    )
    c(
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
        "--note",
        "Regnskab 2019",
    )
    c(
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
    )
    c(
        "project",
        "health",
        "P1",
        "yellow",
        "--comment",
        "Datamodul forsinket",
        "--date",
        "2019-05-20",
    )
    c(
        "project",
        "pause",
        "P2",
        "--reason",
        "Afventer familieafsnittets arbejde",
        "--date",
        "2019-05-10",
    )
    c(
        "solution",
        "add",
        "Samarbejdsprocedure",
        "--project",
        "P1",
        "--status",
        "trial",
        "--date",
        "2019-05-15",
    )
    c("solution", "add", "Tjekliste", "--project", "P1", "--date", "2019-03-01")
    c("milestone", "add", "Analyse færdig", "--project", "P1", "--due", "2019-05-01")
    c("milestone", "add", "Prøvehandling evalueret", "--project", "P1", "--due", "2019-09-01")
    c("milestone", "add", "Plan godkendt", "--project", "P1", "--due", "2019-04-01")
    c("milestone", "done", "M3", "--date", "2019-05-28")
    c(
        "deliverable",
        "add",
        "Status på porteføljen",
        "--committee",
        "ØU",
        "--meeting",
        "2019-06-19",
        "--kind",
        "orientering",
        "--prior",
        "SBU:2019-06-11",
        "--project",
        "P1",
    )
    c(
        "deliverable",
        "add",
        "Afslutning",
        "--committee",
        "ØU",
        "--meeting",
        "2019-09-25",
        "--project",
        "P1",
    )
    c(
        "deliverable",
        "add",
        "Evaluering",
        "--committee",
        "ØU",
        "--meeting",
        "2019-05-22",
        "--project",
        "P2",
    )
    c(
        "deliverable",
        "postpone",
        "LV3",
        "--meeting",
        "2019-08-14",
        "--reason",
        "Data mangler",
        "--date",
        "2019-05-20",
    )
    return c


def status(c: Cli, *args: str) -> dict:
    return json.loads(
        c(
            "report", "status", "--portfolio", "FOM", "--as-of", AS_OF, *args, "--format", "json"
        ).stdout
    )


def test_every_section_has_the_hand_checked_content(fom: Cli) -> None:
    data = status(fom, "--since", "2019-05-01")
    StatusReport.model_validate(data)
    o = data["overview"]
    assert o["projects_by_status"] == {"active": 1, "paused": 1, "closed": 0}
    # 2019-2022: target 4 x 4 mio = 16 mio; documented 1 mio recurring = 4 mio; estimated 0,5 mio
    assert (o["savings"]["target"], o["savings"]["documented"], o["savings"]["estimated"]) == (
        16_000_000,
        4_000_000,
        500_000,
    )
    assert (o["savings"]["gap"], o["savings"]["gap_with_estimated"]) == (12_000_000, 11_500_000)
    # coverage with estimates 4,5 / 16 = 28 % < 50 %: red
    assert o["assessment"] == "red" and "25 %" in o["assessment_text"]
    p1 = [p for p in data["projects"] if p["code"] == "P1"][0]
    assert (p1["health"], p1["health_comment"]) == ("yellow", "Datamodul forsinket")
    assert p1["solutions_by_status"] == {"idea": 1, "trial": 1}
    assert (p1["next_milestone_title"], p1["next_milestone_due"]) == (
        "Prøvehandling evalueret",
        "2019-09-01",
    )
    assert p1["overdue"] == 1
    assert (p1["savings_estimated"], p1["savings_documented"]) == (500_000, 1_000_000)
    assert [(m["title"], m["days"]) for m in data["overdue_milestones"]] == [("Analyse færdig", 35)]
    # the coming 8 weeks (to 31 July): the 19 June case, not the one in September
    assert [d["code"] for d in data["calendar"]] == ["LV1"]
    assert data["calendar"][0]["prior"][0]["committee"] == "SBU"
    assert [(d["code"], d["original_meeting_date"], d["reason"]) for d in data["postponed"]] == [
        ("LV3", "2019-05-22", "Data mangler")
    ]
    kinds = [(c["date"], c["project"], c["kind"]) for c in data["changes"]]
    assert ("2019-05-10", "P2", "status") in kinds and ("2019-05-20", "P1", "health") in kinds
    assert ("2019-05-28", "P1", "milestone") in kinds and ("2019-05-15", "P1", "solution") in kinds
    assert ("2019-05-20", "P2", "deliverable") in kinds
    assert [(p["code"], p["reason"]) for p in data["paused_and_closed"]] == [
        ("P2", "Afventer familieafsnittets arbejde")
    ]


def test_since_window_excludes_older_changes(fom: Cli) -> None:
    changes = status(fom, "--since", "2019-05-16")["changes"]
    assert all(c["date"] >= "2019-05-16" for c in changes)
    assert not any(c["project"] == "P2" and c["kind"] == "status" for c in changes)


def test_since_defaults_to_the_last_published_report_then_30_days(fom: Cli) -> None:
    assert status(fom)["since"] == "2019-05-06"  # nothing published: 30 days before
    fom("report", "status", "--portfolio", "FOM", "--as-of", "2019-05-20", "--format", "json")
    assert status(fom)["since"] == "2019-05-06"  # a preview leaves no trace
    fom("report", "status", "--portfolio", "FOM", "--as-of", "2019-05-20", "--publish")
    assert status(fom)["since"] == "2019-05-20"  # the last published report's as-of date
    assert status(fom)["since"] == "2019-05-20"  # rerunning the same as-of keeps the window


def test_a_change_after_a_report_shows_in_the_next_one(fom: Cli) -> None:
    fom("report", "status", "--portfolio", "FOM", "--as-of", "2019-06-05", "--publish")
    fom("project", "resume", "P2", "--date", "2019-06-20", "--reason", "Familieafsnittet klar")
    data = json.loads(
        fom(
            "report", "status", "--portfolio", "FOM", "--as-of", "2019-06-30", "--format", "json"
        ).stdout
    )
    assert data["since"] == "2019-06-05"
    assert any(
        c["project"] == "P2" and "sat på pause → aktiv" in c["change"] for c in data["changes"]
    )


def test_same_database_and_as_of_give_identical_bytes(fom: Cli, tmp_path: Path) -> None:
    for fmt in ("text", "md", "html", "json", "csv", "xlsx"):
        first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        for path in (first, second):
            fom(
                "report",
                "status",
                "--portfolio",
                "FOM",
                "--as-of",
                AS_OF,
                "--format",
                fmt,
                "--out",
                str(path),
                "--quiet",
            )
        assert first.read_bytes() == second.read_bytes(), fmt


def test_user_text_is_escaped_in_html(fom: Cli) -> None:
    fom(
        "project",
        "edit",
        "P1",
        "--title",
        '<script>alert(1)</script>"><img src=x onerror=alert(2)>',
    )
    html = fom(
        "report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--format", "html"
    ).stdout
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = fom("report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--format", "md").stdout
    assert "\\<script\\>" in md


def test_formulas_are_neutralised_in_csv_and_xlsx(fom: Cli, tmp_path: Path) -> None:
    fom("project", "edit", "P1", "--title", '=HYPERLINK("http://x")')
    fom("project", "health", "P1", "red", "--comment", "+45 mangler data")
    rows = list(
        csv.DictReader(
            io.StringIO(
                fom(
                    "report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--format", "csv"
                ).stdout.removeprefix("\ufeff")
            ),
            delimiter=";",
        )
    )
    p1 = [r for r in rows if r["Kode"] == "P1"][0]
    assert p1["Titel"] == '\'=HYPERLINK("http://x")'
    assert p1["Kommentar til sundhed"] == "'+45 mangler data"
    assert p1["Provenu, dokumenteret"] == "1000000"  # numbers stay numbers
    path = tmp_path / "r.xlsx"
    fom(
        "report",
        "status",
        "--portfolio",
        "FOM",
        "--as-of",
        AS_OF,
        "--format",
        "xlsx",
        "--out",
        str(path),
    )
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        # "Om rapporten" and one sheet per section (no trend: nothing published yet; no
        # pipeline: nothing proposed)
        assert len(sheets) == 9
        assert all(b"<f>" not in z.read(n) for n in sheets)
        strings = z.read("xl/sharedStrings.xml").decode()
        assert "=HYPERLINK" in strings  # kept, as text
        assert b"quotePrefix" in z.read("xl/styles.xml")


def test_out_placeholders_and_folders(fom: Cli, tmp_path: Path) -> None:
    pattern = tmp_path / "rapporter" / "{portfolio}" / "{date}.html"
    result = fom(
        "report",
        "status",
        "--portfolio",
        "FOM",
        "--as-of",
        AS_OF,
        "--format",
        "html",
        "--out",
        str(pattern),
    )
    target = tmp_path / "rapporter" / "FOM" / "2019-06-05.html"
    assert target.exists() and str(target) in result.stderr
    quiet = fom(
        "report",
        "status",
        "--portfolio",
        "FOM",
        "--as-of",
        AS_OF,
        "--format",
        "html",
        "--out",
        str(pattern),
        "--quiet",
    )
    assert quiet.stderr == "" and quiet.stdout == ""
    assert "placeholders" in fom.fails(
        "report", "status", "--format", "md", "--out", str(tmp_path / "{x}.md")
    )
    assert "binary" in fom.fails("report", "status", "--format", "xlsx")
    assert not list(tmp_path.glob("rapporter/FOM/.*tmp"))


def test_english_and_all_portfolios(fom: Cli) -> None:
    text = fom("report", "status", "--as-of", AS_OF, "--lang", "en").stdout
    assert text.startswith("Status report for the directors' forum") and "All portfolios" in text
    assert "Committee calendar, the coming 8 weeks" in text
    assert "unknown language" in fom.fails("report", "status", "--lang", "de")
    assert "is after --as-of" in fom.fails(
        "report", "status", "--as-of", AS_OF, "--since", "2019-07-01"
    )


def test_schema_command_matches_the_output(fom: Cli) -> None:
    schema = json.loads(fom("schema", "report-status").stdout)
    assert set(schema["required"]) >= {"overview", "projects", "calendar", "changes"}


def test_a_solution_step_names_the_solution_once(fom: Cli) -> None:
    # a title that itself begins "Løsning" read "Løsning Løsning 1 af 3: …" in the changes
    fom("solution", "add", "Løsning 1 af 3", "--project", "P1", "--date", "2019-05-02")
    fom("solution", "status", "L3", "trial", "--date", "2019-05-20")
    md = fom("report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--format", "md").stdout
    assert "Løsning: Løsning 1 af 3 (idé → afprøves)" in md
    assert "Løsning Løsning" not in md
