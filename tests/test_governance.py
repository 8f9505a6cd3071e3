"""Governance records through the CLI on a hand-built portfolio: the risk register, meetings with
decisions and actions, the pipeline of proposals, dependencies, and the status report's and the
project sheet's new sections in every format."""

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
def gov(register: Cli) -> Cli:
    """FOM with Direktørforum as a body, a meeting with a decision, a risk assessed three times,
    a portfolio risk, and two criteria."""
    c = register
    c("committee", "add", "Direktørforum", "--code", "DF")
    c("meeting", "add", "--body", "DF", "--date", "2019-03-26", "--portfolio", "FOM")
    c("decision", "add", "Forslagene behandles i juni", "--meeting", "MØ1", "--project", "P1")
    c(
        "risk",
        "add",
        "Effekter kan ikke isoleres fra driften",
        "--project",
        "P1",
        "--probability",
        "4",
        "--consequence",
        "4",
        "--owner",
        "programsekretariatet",
        "--response",
        "Kontrolgruppe aftales",
        "--date",
        "2019-01-10",
    )
    c(
        "risk",
        "edit",
        "RS1",
        "--probability",
        "3",
        "--note",
        "Kontrolgruppe",
        "--date",
        "2019-03-01",
    )
    c("risk", "edit", "RS1", "--consequence", "2", "--date", "2019-05-20")
    c(
        "risk",
        "add",
        "Datakilder er fejlbehæftede",
        "--portfolio",
        "FOM",
        "--probability",
        "5",
        "--consequence",
        "4",
        "--date",
        "2019-02-01",
    )
    c("criterion", "add", "Økonomisk potentiale", "--portfolio", "FOM", "--weight", "3")
    c("criterion", "add", "Borgerens oplevede kvalitet", "--portfolio", "FOM", "--weight", "1")
    return c


def sheet(c: Cli, ref: str, as_of: str = AS_OF) -> dict:
    out = c("report", "project", ref, "--as-of", as_of, "--format", "json").stdout
    return json.loads(out)


def status(c: Cli, *args: str) -> dict:
    out = c("report", "status", "--portfolio", "FOM", "--as-of", AS_OF, *args, "--format", "json")
    return json.loads(out.stdout)


# -- risks ----------------------------------------------------------------------------------------


def test_a_risk_reassessed_twice_keeps_every_score_and_the_matrix_shows_the_latest(
    gov: Cli,
) -> None:
    risk = gov.json("risk", "show", "RS1")
    assert [(a["date"], a["score"]) for a in risk["assessments"]] == [
        ("2019-01-10", 16),
        ("2019-03-01", 12),
        ("2019-05-20", 6),
    ]
    assert (risk["probability"], risk["consequence"], risk["score"]) == (3, 2, 6)
    assert risk["first_score"] == 16
    data = status(gov, "--since", "2019-03-01")["risks"]
    matrix = data["matrix"]  # rows: probability 5 … 1; columns: consequence 1 … 5
    assert matrix[5 - 3][2 - 1] == ["RS1"]
    assert matrix[5 - 5][4 - 1] == ["RS2"]
    assert sum(len(cell) for row in matrix for cell in row) == 2  # only the latest assessment
    assert [r["code"] for r in data["top"]] == ["RS2", "RS1"]  # by score, highest first
    assert [c["change"] for c in data["changes"] if c["code"] == "RS1"] == [
        "Revurderet: score 16 → 12 (3×4)",
        "Revurderet: score 12 → 6 (3×2)",
    ]


def test_risk_list_as_of_earlier_days(gov: Cli) -> None:
    """A risk exists from its first assessment; its score is the latest then; closed from its
    closing date."""
    assert gov.json("risk", "list", "--as-of", "2019-01-09") == []
    (early,) = gov.json("risk", "list", "--project", "P1", "--as-of", "2019-02-01")
    assert early["score"] == 16
    gov("risk", "close", "RS2", "--reason", "Datakilderne er rettet", "--date", "2019-05-01")
    assert [r["code"] for r in gov.json("risk", "list", "--open", "--as-of", "2019-04-30")] == [
        "RS2",
        "RS1",
    ]
    assert [r["code"] for r in gov.json("risk", "list", "--open", "--as-of", "2019-05-01")] == [
        "RS1"
    ]
    closed = gov.json("risk", "show", "RS2")
    assert (closed["state"], closed["closed_date"]) == ("closed", "2019-05-01")


def test_risk_refusals(gov: Cli) -> None:
    before = gov.snapshot()
    assert "from 1 to 5" in gov.fails(
        "risk", "add", "X", "--project", "P1", "--probability", "6", "--consequence", "1"
    )
    assert "a project (--project) or a portfolio" in gov.fails(
        "risk", "add", "X", "--probability", "2", "--consequence", "1"
    )
    assert "cannot run backwards" in gov.fails(
        "risk", "edit", "RS1", "--probability", "1", "--date", "2019-05-01"
    )
    assert "a reason (--reason) to close a risk" in gov.fails("risk", "close", "RS1")
    assert "must not hold personal data" in gov.fails(
        "risk", "edit", "RS1", "--response", "Ring til 010203-1234"
    )
    assert gov.snapshot() == before


def test_a_closed_risk_is_reopened_before_it_is_reassessed(gov: Cli) -> None:
    gov("risk", "close", "RS1", "--reason", "Sket", "--date", "2019-05-25")
    assert "reopen it first" in gov.fails("risk", "edit", "RS1", "--probability", "5")
    gov("risk", "reopen", "RS1", "--reason", "Igen", "--date", "2019-05-28")
    assert (
        gov.json("risk", "edit", "RS1", "--probability", "5", "--date", "2019-05-29")["score"] == 10
    )


# -- decisions and actions ------------------------------------------------------------------------


def test_an_action_is_overdue_from_the_day_after_its_due_date(gov: Cli) -> None:
    gov(
        "action",
        "add",
        "Baseline for segmentet opgøres",
        "--owner",
        "programsekretariatet",
        "--due",
        "2019-04-30",
        "--decision",
        "BS1",
    )
    action = gov.json("action", "show", "HA1")
    assert action["opened"] == "2019-03-26"  # the day of the decision's meeting
    overdue = gov.json("action", "list", "--open", "--overdue", "--as-of", "2019-05-01")
    assert [(a["code"], a["days_over"]) for a in overdue] == [("HA1", 1)]
    assert gov.json("action", "list", "--open", "--overdue", "--as-of", "2019-04-30") == []
    assert [a["code"] for a in gov.json("action", "list", "--open", "--as-of", "2019-04-30")] == [
        "HA1"
    ]
    assert gov.json("action", "list", "--as-of", "2019-03-25") == []  # not yet asked for
    gov("action", "done", "HA1", "--date", "2019-05-03")
    assert gov.json("action", "list", "--open", "--as-of", "2019-05-02")[0]["overdue"] is True
    assert gov.json("action", "list", "--open", "--as-of", "2019-05-03") == []


def test_open_actions_are_listed_overdue_first_in_the_report(gov: Cli) -> None:
    for title, due in (("Senere", "2019-08-01"), ("For sent", "2019-05-01")):
        gov(
            "action",
            "add",
            title,
            "--owner",
            "projektleder",
            "--due",
            due,
            "--project",
            "P1",
            "--date",
            "2019-04-01",
        )
    data = status(gov)
    assert [(a["code"], a["overdue"], a["days_over"]) for a in data["actions"]] == [
        ("HA2", True, 35),
        ("HA1", False, None),
    ]
    assert [d["code"] for d in status(gov, "--since", "2019-03-26")["decisions"]] == ["BS1"]
    assert status(gov, "--since", "2019-03-27")["decisions"] == []
    text = gov("report", "status", "--portfolio", "FOM", "--as-of", AS_OF).stdout
    assert "2 åbne handlinger; 1 overskreden handling." in text


def test_an_action_needs_an_owner_and_a_home(gov: Cli) -> None:
    assert "comes from a decision" in gov.fails(
        "action", "add", "X", "--owner", "projektleder", "--due", "2019-08-01"
    )
    assert "before it was asked for" in gov.fails(
        "action", "add", "X", "--owner", "a", "--due", "2019-01-01", "--decision", "BS1"
    )


# -- the pipeline ---------------------------------------------------------------------------------


def test_proposals_are_ranked_by_weighted_score(gov: Cli) -> None:
    for title in ("Forslag A", "Forslag B", "Forslag C"):
        gov(
            "project",
            "add",
            title,
            "--segment",
            "S1",
            "--status",
            "proposed",
            "--date",
            "2019-02-01",
        )
    gov("project", "score", "P3", "KR1", "2", "--date", "2019-03-01")
    gov("project", "score", "P3", "KR2", "5", "--date", "2019-03-01")  # (3*2 + 5) / 4 = 2.75
    gov("project", "score", "P4", "KR1", "4", "--date", "2019-03-01")
    gov("project", "score", "P4", "KR2", "1", "--date", "2019-03-01")  # (12 + 1) / 4 = 3.25
    gov("project", "score", "P5", "Økonomisk potentiale", "5", "--date", "2019-03-01")  # 15/4
    ranked = gov.json("project", "list", "--status", "proposed")
    assert [(p["code"], p["weighted_score"], p["criteria_scored"]) for p in ranked] == [
        ("P5", 3.75, 1),
        ("P4", 3.25, 2),
        ("P3", 2.75, 2),
    ]
    table = gov("project", "list", "--status", "proposed").stdout
    assert "Weighted score" in table and "3.75" in table
    gov("project", "score", "P3", "KR1", "5", "--date", "2019-04-01")  # a new score counts
    assert gov.json("project", "list", "--status", "proposed")[0]["code"] == "P3"
    early = gov.json("project", "list", "--status", "proposed", "--as-of", "2019-03-15")
    assert early[0]["code"] == "P5"  # as the scores stood then
    pipeline = status(gov)["pipeline"]
    assert [(p["rank"], p["code"]) for p in pipeline["projects"]] == [
        (1, "P3"),
        (2, "P5"),
        (3, "P4"),
    ]


def test_approving_needs_a_decision_and_rejecting_a_reason(gov: Cli) -> None:
    gov(
        "project",
        "add",
        "Forslag",
        "--segment",
        "S1",
        "--status",
        "proposed",
        "--date",
        "2019-02-01",
    )
    before = gov.snapshot()
    assert "needs the decision it rests on (--decision" in gov.fails("project", "approve", "P3")
    assert "before decision BS1 was taken" in gov.fails(
        "project", "approve", "P3", "--decision", "BS1", "--date", "2019-03-01"
    )
    assert "no decision 'BS9'" in gov.fails("project", "approve", "P3", "--decision", "BS9")
    assert "a reason (--reason) to reject" in gov.fails("project", "reject", "P3")
    assert gov.snapshot() == before
    approved = gov.json("project", "approve", "P3", "--decision", "BS1", "--date", "2019-03-26")
    assert approved["status"] == "active"
    history = gov.json("project", "history", "P3")
    assert history[-1]["to"] == "active"
    assert [d["code"] for d in sheet(gov, "P3")["decisions"]] == ["BS1"]  # the approval's
    assert "decision BS1 cannot be removed: 1 project approval (P3)" in gov.fails(
        "decision", "remove", "BS1", "--reason", "fejl"
    )


def test_a_candidate_segment_is_approved_on_a_decision_or_rejected(gov: Cli) -> None:
    gov(
        "segment",
        "add",
        "Unge i overgang",
        "--portfolio",
        "FOM",
        "--status",
        "proposed",
        "--date",
        "2019-02-01",
    )
    gov(
        "segment",
        "add",
        "Enlige",
        "--portfolio",
        "FOM",
        "--status",
        "proposed",
        "--date",
        "2019-02-01",
    )
    assert [s["code"] for s in gov.json("segment", "list", "--status", "proposed")] == ["S3", "S4"]
    assert "needs the decision" in gov.fails("segment", "approve", "S3")
    assert "a reason (--reason) to reject a segment" in gov.fails("segment", "reject", "S4")
    assert "only a proposed segment" in gov.fails("segment", "reject", "S1", "--reason", "x")
    gov("segment", "approve", "S3", "--decision", "BS1", "--date", "2019-03-26")
    gov("segment", "reject", "S4", "--reason", "Under tærsklen", "--date", "2019-03-26")
    shown = gov.json("segment", "show", "S3")
    assert (shown["status"], shown["decision"]) == ("active", "BS1")
    assert [h["to"] for h in shown["history"]] == ["proposed", "active"]
    assert (
        gov.json("segment", "list", "--status", "proposed", "--as-of", "2019-03-25")[0]["code"]
        == "S3"
    )
    assert status(gov)["pipeline"]["segments"] == []


# -- dependencies ---------------------------------------------------------------------------------


def test_a_dependency_shows_from_both_sides(gov: Cli) -> None:
    gov(
        "project",
        "depends",
        "P2",
        "--on",
        "P1",
        "--note",
        "Bruger P1's model",
        "--date",
        "2019-02-01",
    )
    gov("project", "depends", "P2", "--on-external", "ungestrategien", "--date", "2019-02-01")
    gov("project", "pause", "P2", "--reason", "Afventer", "--date", "2019-02-01")
    waiting = gov.json("project", "show", "P2")
    assert waiting["waits_for"] == ["P1", "ungestrategien"]
    assert waiting["depends_on"][0]["note"] == "Bruger P1's model"
    waited = gov.json("project", "show", "P1")
    assert [d["project"] for d in waited["needed_by"]] == ["P2"]
    sheet1 = gov("report", "project", "P1", "--as-of", AS_OF).stdout
    assert "Afventes af" in sheet1 and "P2 Fra forsorgshjem til egen bolig" in sheet1
    sheet2 = sheet(gov, "P2")
    assert [d["title"] for d in sheet2["depends_on"]] == ["Rusmidler og job", "ungestrategien"]
    paused = status(gov)["paused_and_closed"]
    assert paused[0]["waits_for"] == ["P1 Rusmidler og job", "ungestrategien"]
    assert "would be a circle" in gov.fails("project", "depends", "P1", "--on", "P2")
    assert "already depends" in gov.fails("project", "depends", "P2", "--on", "P1")
    assert "1 project dependency (P2)" in gov.fails("project", "remove", "P1", "--reason", "fejl")


def test_ending_a_dependency_keeps_it_for_earlier_days(gov: Cli) -> None:
    gov("project", "depends", "P2", "--on-external", "ungestrategien", "--date", "2019-02-01")
    gov(
        "project",
        "depends",
        "P2",
        "--on-external",
        "Ungestrategien",
        "--end",
        "--date",
        "2019-05-01",
    )
    assert gov.json("project", "show", "P2")["waits_for"] == []
    earlier = sheet(gov, "P2", "2019-04-01")
    assert [d["external"] for d in earlier["depends_on"]] == ["ungestrategien"]
    gov("project", "depends", "P2", "--on", "P1")  # registered by mistake on the day …
    gov("project", "depends", "P2", "--on", "P1", "--end")  # … and gone again
    doc = json.loads(gov("export").stdout)
    (p2,) = [p for p in doc["projects"] if p["code"] == "P2"]
    assert [(d["external"], d["to"]) for d in p2["dependencies"]] == [
        ("ungestrategien", "2019-05-01")
    ]


# -- portfolio indicators -------------------------------------------------------------------------


def test_a_portfolio_indicator_appears_in_the_status_report(gov: Cli) -> None:
    gov(
        "indicator",
        "add",
        "Borgere med én samlet plan",
        "--portfolio",
        "FOM",
        "--unit",
        "borgere",
        "--baseline",
        "0",
        "--target",
        "50",
    )
    gov("indicator", "measure", "I1", "20", "--date", "2019-05-01")
    (found,) = status(gov)["indicators"]
    assert (found["portfolio"], found["project"], found["latest"]) == ("FOM", None, 20.0)
    text = gov("report", "status", "--portfolio", "FOM", "--as-of", AS_OF).stdout
    assert "Borgere med én samlet plan" in text


# -- removal --------------------------------------------------------------------------------------


def test_removal_is_refused_while_referred_to(gov: Cli) -> None:
    gov("action", "add", "X", "--owner", "a", "--due", "2019-08-01", "--decision", "BS1")
    gov("project", "score", "P1", "KR1", "3")
    assert "1 action (HA1)" in gov.fails("decision", "remove", "BS1", "--reason", "fejl")
    assert "1 decision (BS1)" in gov.fails("meeting", "remove", "MØ1", "--reason", "fejl")
    assert "1 project score (P1)" in gov.fails("criterion", "remove", "KR1", "--reason", "fejl")
    assert "a reason (--reason) to remove a risk" in gov.fails("risk", "remove", "RS1")
    gov("risk", "remove", "RS1", "--reason", "Oprettet to gange")
    gov("action", "remove", "HA1", "--reason", "fejl")
    gov("decision", "remove", "BS1", "--reason", "fejl")
    assert [r["code"] for r in gov.json("risk", "list")] == ["RS2"]
    gov("risk", "add", "Ny", "--portfolio", "FOM", "--probability", "1", "--consequence", "1")
    assert gov.json("risk", "list")[-1]["code"] == "RS3"  # a removed code is never reused


# -- the document ---------------------------------------------------------------------------------


def test_the_document_round_trips_and_changes_become_operations(gov: Cli, tmp_path: Path) -> None:
    gov("action", "add", "Baseline", "--owner", "a", "--due", "2019-04-30", "--decision", "BS1")
    gov("project", "depends", "P2", "--on-external", "ungestrategien", "--date", "2019-02-01")
    gov("project", "score", "P1", "KR1", "3", "--date", "2019-03-01")
    exported = gov("export").stdout
    doc = json.loads(exported)
    assert doc["version"] == 3
    assert [m["code"] for m in doc["meetings"]] == ["MØ1"]
    (p1,) = [p for p in doc["projects"] if p["code"] == "P1"]
    assert p1["decisions"] == ["BS1"] and p1["scores"][0]["score"] == 3
    other = Cli(tmp_path / "other.db")
    other("--db", str(other.db), "init")
    (tmp_path / "doc.json").write_text(exported, encoding="utf-8")
    other("--db", str(other.db), "import", str(tmp_path / "doc.json"))
    assert other("--db", str(other.db), "export").stdout == exported
    # changes in the document: a new assessment, a closing, a done action, an ended dependency
    (risk,) = [r for r in doc["risks"] if r["code"] == "RS1"]
    risk["assessments"].append(
        {"date": "2019-06-01", "probability": 1, "consequence": 2, "note": "Efter tiltag"}
    )
    risk["events"].append({"date": "2019-06-02", "kind": "closed", "reason": "Løst"})
    doc["actions"][0]["events"].append({"date": "2019-04-29", "kind": "done", "reason": None})
    (p2,) = [p for p in doc["projects"] if p["code"] == "P2"]
    p2["dependencies"][0]["to"] = "2019-05-01"
    (tmp_path / "changed.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    gov("import", str(tmp_path / "changed.json"))
    shown = gov.json("risk", "show", "RS1")
    assert [a["score"] for a in shown["assessments"]] == [16, 12, 6, 2]
    assert (shown["state"], shown["closed_date"]) == ("closed", "2019-06-02")
    assert gov.json("action", "show", "HA1")["done_date"] == "2019-04-29"
    assert gov.json("project", "show", "P2")["waits_for"] == []
    journal = gov.json("history", "--since", "2000-01-01")
    actions = {(j["entity"], j["action"]) for j in journal}
    assert {
        ("risk_assessment", "assess"),
        ("risk_event", "close"),
        ("action_event", "done"),
    } <= actions
    assert ("project_dependency", "end") in actions


def test_a_document_approval_without_its_decision_is_refused(gov: Cli, tmp_path: Path) -> None:
    doc = json.loads(gov("export").stdout)
    doc["projects"].append(
        {
            "code": "P9",
            "title": "Forslag",
            "segment": "S1",
            "history": [
                {"date": "2019-02-01", "kind": "status", "to": "proposed"},
                {"date": "2019-03-26", "kind": "status", "from": "proposed", "to": "active"},
            ],
        }
    )
    (tmp_path / "doc.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    err = gov.fails("import", str(tmp_path / "doc.json"))
    assert "needs the decision it rests on" in err
    doc["projects"][-1]["history"][1]["decision"] = "BS1"
    (tmp_path / "doc.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    gov("import", str(tmp_path / "doc.json"))
    assert gov.json("project", "show", "P9")["status"] == "active"


def test_the_document_schema_documents_the_new_kinds(gov: Cli) -> None:
    schema = json.loads(gov("schema", "export").stdout)
    text = json.dumps(schema)
    for name in ("RiskDoc", "MeetingDoc", "DecisionDoc", "ActionDoc", "CriterionDoc"):
        assert name in text


def test_the_xlsx_and_csv_export_hold_the_new_kinds(gov: Cli, tmp_path: Path) -> None:
    gov("export", "--format", "xlsx", "--out", str(tmp_path / "all.xlsx"))
    names = zipfile.ZipFile(tmp_path / "all.xlsx").read("xl/workbook.xml").decode()
    for sheet in ("risks", "risks_assessments", "meetings", "decisions", "actions", "criteria"):
        assert f'name="{sheet}"' in names
    gov("export", "--format", "csv", "--out", str(tmp_path / "csv"))
    written = (tmp_path / "csv" / "risks_assessments.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(written), delimiter=";"))
    assert rows[0] == ["code", "date", "probability", "consequence", "note"]
    assert len(rows) == 1 + 4


# -- the status report in every format ------------------------------------------------------------


@pytest.fixture
def full(gov: Cli) -> Cli:
    gov(
        "action",
        "add",
        "Baseline <opgøres>",
        "--owner",
        "a",
        "--due",
        "2019-05-01",
        "--decision",
        "BS1",
    )
    gov(
        "project",
        "add",
        "Forslag A",
        "--segment",
        "S1",
        "--status",
        "proposed",
        "--date",
        "2019-02-01",
    )
    gov("project", "score", "P3", "KR1", "4", "--date", "2019-03-01")
    gov("project", "depends", "P2", "--on-external", "ungestrategien", "--date", "2019-02-01")
    gov("project", "pause", "P2", "--reason", "Afventer", "--date", "2019-02-01")
    return gov


def test_the_new_sections_in_every_format(full: Cli, tmp_path: Path) -> None:
    base = ("report", "status", "--portfolio", "FOM", "--as-of", AS_OF, "--since", "2019-03-01")
    data = json.loads(full(*base, "--format", "json").stdout)
    StatusReport.model_validate(data)  # the documented shape
    assert data["risks"]["open"] == 2 and data["pipeline"]["projects"][0]["code"] == "P3"
    text = full(*base).stdout
    for heading in (
        "Risici (2 åbne risici)",
        "Risikomatrix",
        "Sandsynlighed ↓ / Konsekvens →",
        "Beslutninger og handlinger",
        "Forslag til nye projekter og segmenter",
        "Venter på",
    ):
        assert heading in text, heading
    md = full(*base, "--format", "md").stdout
    assert "| Sandsynlighed ↓ / Konsekvens → | 1 | 2 | 3 | 4 | 5 |" in md
    assert "| 3 | · | RS1 | · | · | · |" in md
    assert "Baseline \\<opgøres\\>" in md
    html = full(*base, "--format", "html").stdout
    assert 'class="lv-high"' in html and ">RS2</text>" in html
    assert "Baseline &lt;opgøres&gt;" in html and "<opgøres>" not in html
    raw = full(*base, "--format", "csv", "--lang", "en").stdout  # the Danish-Excel dialect
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    by_code = {r["code"]: r for r in rows}
    assert (by_code["P1"]["risks_open"], by_code["P1"]["risk_score_max"]) == ("1", "6")
    assert by_code["P2"]["waits_for"] == "ungestrategien"
    full(*base, "--format", "xlsx", "--out", str(tmp_path / "r.xlsx"))
    book = zipfile.ZipFile(tmp_path / "r.xlsx")
    names = book.read("xl/workbook.xml").decode()
    assert "Risici" in names and "Beslutninger og handlinger" in names
    strings = book.read("xl/sharedStrings.xml").decode()
    assert "RS2" in strings and "Sandsynlighed ↓ / Konsekvens →" in strings
    english = json.loads(full(*base, "--format", "json", "--lang", "en").stdout)
    assert english["risks"]["changes"][0]["change"].startswith("Re-assessed")
    assert "Risks (2 open risks)" in full(*base, "--lang", "en").stdout


def test_the_project_sheet_lists_risks_with_every_assessment(gov: Cli) -> None:
    text = gov("report", "project", "P1", "--as-of", AS_OF).stdout
    assert "Risici og vurderinger" in text
    for line in ("16 (4×4)", "12 (3×4)", "6 (3×2)"):
        assert line in text
    assert "Forslagene behandles i juni" in text
    html = gov("report", "project", "P1", "--as-of", AS_OF, "--format", "html").stdout
    assert "Risici og vurderinger" in html


# -- the examples ---------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_albertslund_records_what_the_paused_projects_wait_for_and_the_memos_risks(
    tmp_path: Path,
) -> None:
    c = Cli(tmp_path / "a.db")
    db = ("--db", str(c.db))
    c(*db, "import", str(EXAMPLES / "albertslund.json"))
    assert c.json(*db, "project", "show", "FOM5")["waits_for"] == [
        "ungestrategien",
        "den specialpædagogiske plan",
    ]
    assert c.json(*db, "project", "show", "FOM6")["waits_for"] == ["arbejdet i familieafsnittet"]
    risks = c.json(*db, "risk", "list", "--portfolio", "FOM", "--as-of", AS_OF)
    assert [(r["code"], r["first_score"], r["score"]) for r in risks] == [
        ("FOM-RS2", 8, 20),  # the data module with faulty data sources
        ("FOM-RS1", 16, 10),  # effects that cannot be isolated from operations
        ("FOM-RS3", 9, 9),
    ]
    (council,) = c.json(*db, "decision", "list", "--meeting", "FOM-MØ1")
    assert council["date"] == "2017-12-12" and council["body"] == "KB"


def test_odense_records_the_childrens_committees_decisions(tmp_path: Path) -> None:
    c = Cli(tmp_path / "o.db")
    db = ("--db", str(c.db))
    c(*db, "import", str(EXAMPLES / "odense-sammenhaengende-borgerforloeb.json"))
    decided = c.json(*db, "decision", "list", "--project", "SBF1")
    assert [(d["body"], d["code"]) for d in decided] == [("BUU", "SBF-BS1"), ("BUU", "SBF-BS2")]
    assert "éngangsmidler" in decided[0]["text"]
    actions = c.json(*db, "action", "list", "--portfolio", "SBF", "--as-of", AS_OF)
    assert [(a["code"], a["overdue"]) for a in actions] == [("SBF-HA1", True), ("SBF-HA2", False)]


def test_long_lists_show_those_needing_attention_and_count_the_rest(
    gov: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # at scale L the status report's JSON was 2.5 MB: every indicator (5,000), open action
    # (2,500) and paused or closed project was listed; now like the other long lists
    from portefolje.reports import status as report

    for due in ("2019-08-01", "2019-04-01", "2019-05-01"):
        gov("action", "add", f"Frist {due}", "--owner", "a", "--due", due, "--decision", "BS1")
    gov("indicator", "add", "Borgere i job", "--project", "P1", "--target", "10")
    gov("indicator", "add", "Færre genindlæggelser", "--project", "P2", "--target", "5")
    gov("project", "pause", "P1", "--reason", "Afventer", "--date", "2019-05-01")
    gov("project", "pause", "P2", "--reason", "Afventer", "--date", "2019-05-02")
    monkeypatch.setattr(report, "LIST_LIMIT", 1)
    data = status(gov)
    assert [a["due_date"] for a in data["actions"]] == ["2019-04-01"]  # the most overdue
    assert data["more"]["actions"] == 2
    assert len(data["indicators"]) == 1 and data["more"]["indicators"] == 1
    assert [p["code"] for p in data["paused_and_closed"]] == ["P2"]  # the latest pause
    assert data["more"]["paused_and_closed"] == 1
    text = gov("report", "status", "--portfolio", "FOM", "--as-of", AS_OF).stdout
    assert "… og 2 åbne handlinger mere, som ikke vises her." in text
    assert "… og 1 effektmål mere, som ikke vises her." in text
    assert "… og 1 projekt mere, som ikke vises her." in text
    gov("decision", "add", "Forslagene genbehandles", "--meeting", "MØ1", "--project", "P2")
    since = status(gov, "--since", "2019-01-01")
    assert [d["code"] for d in since["decisions"]] == ["BS2"] and since["more"]["decisions"] == 1
    assert len(since["risks"]["changes"]) == 1 and since["more"]["risk_changes"] >= 2
    assert since["risks"]["changes"][0]["date"] == "2019-05-20"  # the latest
    monkeypatch.setattr(report, "LIST_LIMIT", 50)
    assert len(status(gov)["actions"]) == 3 and status(gov)["more"]["actions"] == 0
