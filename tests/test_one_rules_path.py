"""One rules path: the JSON document and the sheets are applied through the same domain
operations as the commands, with the same events, side effects and refusals; and the verbs that
correct a mistake."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli


@pytest.fixture
def content(register: Cli) -> Cli:
    c = register
    c("committee", "add", "Økonomiudvalget", "--code", "ØU")
    c("committee", "add", "Børn- og Ungeudvalget", "--code", "BUU")
    c("milestone", "add", "Analyse færdig", "--project", "P1", "--due", "2019-09-01")
    c(
        "deliverable",
        "add",
        "Plan for opgaveløsningen",
        "--committee",
        "ØU",
        "--meeting",
        "2019-09-18",
        "--prior",
        "BUU:2019-09-10",
        "--project",
        "P1",
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
        "--stage",
        "documented",
        "--note",
        "Regnskab 2019",
        "--department",
        "SF",
    )
    c("saving", "add", "--project", "P2", "--amount", "300 t.kr.", "--from-year", "2020")
    return c


def document(c: Cli, tmp_path: Path, change: Any) -> Path:
    doc = json.loads(c("export").stdout)
    change(doc)
    path = tmp_path / "modified.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def record(doc: dict[str, Any], kind: str, code: str) -> dict[str, Any]:
    return next(r for r in doc[kind] if r["code"] == code)


def test_a_modified_document_becomes_moves_postponements_and_lifecycle_steps(
    content: Cli, tmp_path: Path
) -> None:
    def change(doc: dict[str, Any]) -> None:
        record(doc, "milestones", "M1")["due_date"] = "2019-12-01"
        record(doc, "deliverables", "LV1")["meeting_date"] = "2019-10-16"
        record(doc, "deliverables", "LV1")["prior"] = [
            {"committee": "BUU", "meeting_date": "2019-10-08", "kind": None}
        ]
        record(doc, "projects", "P2")["status"] = "closed"

    content("import", str(document(content, tmp_path, change)))
    m1 = content.json("milestone", "show", "M1")
    assert (m1["due_date"], m1["original_due_date"], m1["times_moved"]) == (
        "2019-12-01",
        "2019-09-01",
        1,
    )
    assert m1["moves"][0]["reason"] == "ændret ved import af modified.json"
    lv1 = content.json("deliverable", "show", "LV1")
    assert (lv1["meeting_date"], lv1["original_meeting_date"], lv1["status"]) == (
        "2019-10-16",
        "2019-09-18",
        "postponed",
    )
    assert [p["meeting_date"] for p in lv1["prior"]] == ["2019-10-08"]
    history = content.json("project", "history", "P2")
    assert (history[-1]["from"], history[-1]["to"], history[-1]["note"]) == (
        "active",
        "closed",
        "ændret ved import af modified.json",
    )
    # closing with an estimated saving open adds the follow-up milestone, as `project close` does
    follow = [m for m in content.json("milestone", "list", "--project", "P2") if m["follow_up"]]
    assert len(follow) == 1 and "saving SV2 (estimated)" in follow[0]["note"]


def test_a_document_is_refused_where_the_command_would_be(content: Cli, tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        record(doc, "deliverables", "LV1")["prior"] = [
            {"committee": "BUU", "meeting_date": "2019-09-25", "kind": None}
        ]  # prior handling after the meeting
        record(doc, "savings", "SV1")["amount"] = 600_000  # documented, changed without a note

    path = document(content, tmp_path, change)
    before = content.snapshot()
    out = content("import", str(path), "--json", code=1).stdout
    problems = {p["path"]: p["reason"] for p in json.loads(out)["problems"]}
    assert "after the meeting" in problems["deliverables.0"]
    assert "say why it changes with --note" in problems["savings.0"]
    assert content.snapshot() == before
    err = content.fails("import", str(path))
    assert "nothing was imported from modified.json: 2 problems" in err


def test_reimporting_an_unchanged_document_writes_nothing(content: Cli, tmp_path: Path) -> None:
    path = document(content, tmp_path, lambda doc: None)
    with sqlite3.connect(content.db) as conn:
        rows = conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    summary = json.loads(content("import", str(path), "--json").stdout)["summary"]
    assert all(
        not counts.get("updated") and not counts.get("created") for counts in summary.values()
    )
    assert "0 updated" in content("import", str(path)).stderr
    with sqlite3.connect(content.db) as conn:
        assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == rows


def test_a_field_left_out_of_a_document_leaves_the_stored_value(
    content: Cli, tmp_path: Path
) -> None:
    def change(doc: dict[str, Any]) -> None:
        p1 = record(doc, "projects", "P1")
        for key in ("status", "phase", "history", "departments", "leader"):
            p1.pop(key)
        p1["owner"] = "Direktør for Social & Familie"

    content("import", str(document(content, tmp_path, change)))
    p1 = content.json("project", "show", "P1")
    assert (p1["status"], p1["phase"], p1["departments"]) == ("active", "udvikling", ["SF", "BA"])
    assert p1["owner"] == "Direktør for Social & Familie"


def test_the_albertslund_example_reimports_unchanged(cli: Cli, tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "albertslund.json"
    cli("import", str(example))
    again = json.loads(cli("import", str(example), "--json").stdout)["summary"]
    assert not any(c.get("updated") or c.get("created") for c in again.values()), again


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_savings_sheet_never_resets_what_it_leaves_empty(content: Cli, tmp_path: Path) -> None:
    content("saving", "edit", "SV1", "--area", "overforsler", "--note", "Rettet område")
    sheet = write_csv(
        tmp_path / "s.csv",
        ["Projekt;Afdeling;År;Beløb;Stade;Styringsområde", "P1;SF;2019;500.000;;"],
    )
    assert "1 unchanged" in content("import", str(sheet), "--kind", "savings").stderr
    missing = write_csv(tmp_path / "m.csv", ["Projekt;År;Beløb", "P1;2019;500.000"])
    assert "1 unchanged" in content("import", str(missing), "--kind", "savings").stderr
    sv1 = content.json("saving", "show", "SV1")
    assert (sv1["stage"], sv1["area"], sv1["note"]) == (
        "documented",
        "overforsler",
        "Rettet område",
    )


def test_a_year_split_into_an_estimated_and_a_documented_line(
    register: Cli, tmp_path: Path
) -> None:
    sheet = write_csv(
        tmp_path / "s.csv",
        [
            "Projekt;Afdeling;År;Beløb;Stade;Note",
            "P1;SF;2019;400.000;estimeret;",
            "P1;SF;2019;100.000;dokumenteret;Regnskab",
        ],
    )
    assert "2 created" in register("import", str(sheet), "--kind", "savings").stderr
    assert sorted(s["stage"] for s in register.json("saving", "list")) == [
        "documented",
        "estimated",
    ]
    changed = write_csv(
        tmp_path / "s.csv",
        [
            "Projekt;Afdeling;År;Beløb;Stade",
            "P1;SF;2019;400.000;estimeret",
            "P1;SF;2019;-2;dokumenteret",
        ],
    )
    err = register.fails("import", str(changed), "--kind", "savings")
    assert "row 3" in err and "new note" in err  # a documented line changes only with a note


def test_amounts_from_every_source_are_capped_and_exact(register: Cli, tmp_path: Path) -> None:
    doc = {
        "format": "portefolje",
        "version": 2,
        "savings": [{"code": "X1", "project": "P1", "year": 2019, "amount": 5 * 10**18}],
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert "too large" in register.fails("import", str(path))
    doc["savings"][0]["amount"] = True
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert "invalid amount True" in register.fails("import", str(path))
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Projekt", "År", "Beløb (mio. kr.)"])
    sheet.append(["P1", 2019, 4.1])
    book.save(tmp_path / "mio.xlsx")
    register("import", str(tmp_path / "mio.xlsx"), "--kind", "savings")
    assert register.json("saving", "list")[0]["amount"] == 4_100_000


def test_corrections_are_verbs_journaled_with_json(content: Cli) -> None:
    c = content
    c("milestone", "done", "M1", "--date", "2019-05-01")
    undone = c.json("milestone", "undone", "M1", "--reason", "Registreret ved en fejl")
    assert (undone["state"], [e["kind"] for e in undone["events"]]) == ("open", ["done", "undone"])
    assert "--reason" in c.fails("milestone", "undone", "M1")
    cancelled = c.json("milestone", "cancel", "M1", "--reason", "Indgår i ny plan")
    assert cancelled["state"] == "cancelled"
    assert c.json("milestone", "list", "--overdue", "--as-of", "2019-12-01") == []
    c("milestone", "add", "Dobbelt", "--project", "P1", "--due", "2019-10-01")
    assert c.json("milestone", "edit", "M2", "--title", "Enkelt")["title"] == "Enkelt"
    assert c.json("milestone", "remove", "M2", "--reason", "Oprettet to gange")["code"] == "M2"
    c("deliverable", "deliver", "LV1", "--date", "2019-05-20")
    assert c.json("deliverable", "undeliver", "LV1", "--reason", "Trukket")["status"] == "planned"
    edited = c.json(
        "deliverable", "edit", "LV1", "--kind", "beslutning", "--project", "P2", "--prior", "none"
    )
    assert (edited["kind"], edited["projects"], edited["prior"]) == ("beslutning", ["P2"], [])
    assert c.json("deliverable", "cancel", "LV1", "--reason", "Udgår")["status"] == "cancelled"
    actions = {r["action"] for r in c.json("history")}
    assert {"done", "undone", "cancelled", "remove", "undelivered"} <= actions


def test_postponing_moves_the_prior_handling_by_the_users_rule(content: Cli) -> None:
    c = content
    err = c.fails("deliverable", "postpone", "LV1", "--meeting", "2019-09-05", "--reason", "x")
    assert "bringing the case forward" in err and "deliverable advance LV1" in err
    advanced = c(
        "deliverable", "advance", "LV1", "--meeting", "2019-09-05", "--reason", "x", code=1
    )
    assert "would come after the new meeting" in advanced.stderr  # BUU on 10 Sep: too late
    lv1 = c.json(
        "deliverable",
        "advance",
        "LV1",
        "--meeting",
        "2019-09-05",
        "--reason",
        "Tidligere",
        "--prior",
        "BUU:2019-08-27",
    )
    assert lv1["postponements"][-1]["kind"] == "advanced"
    assert [p["meeting_date"] for p in lv1["prior"]] == ["2019-08-27"]
    lv1 = c.json("deliverable", "postpone", "LV1", "--meeting", "2019-10-16", "--reason", "Senere")
    assert lv1["status"] == "postponed" and lv1["prior"][0]["meeting_date"] == "2019-08-27"


def test_targets_keep_their_key_one_per_year_and_can_be_removed(register: Cli) -> None:
    c = register
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
        "--price-level",
        "2019",
    )
    out = c("target", "set", "--portfolio", "FOM", "--amount", "5 mio", "--from-year", "2019")
    assert "kept its price level, distribution key" in out.stderr
    (target,) = c.json("target", "list")
    assert (target["amount"], target["price_level"], len(target["key"])) == (5_000_000, 2019, 2)
    with sqlite3.connect(c.db) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO target (code, portfolio_id, from_year) VALUES ('T9', 1, 2019)")
    assert c.json("target", "remove", "T1", "--reason", "Lagt i rammen")["code"] == "T1"
    assert c.json("target", "list") == []


def test_closing_twice_adds_one_follow_up_and_codes_are_never_reused(register: Cli) -> None:
    c = register
    c(
        "saving",
        "add",
        "--project",
        "P1",
        "--amount",
        "300 t.kr.",
        "--from-year",
        "2020",
        "--date",
        "2019-01-01",
    )
    c("project", "close", "P1", "--date", "2019-06-01")
    c("project", "reopen", "P1", "--reason", "Ny prøvehandling", "--date", "2019-06-02")
    c("project", "close", "P1", "--date", "2019-06-03")
    assert len([m for m in c.json("milestone", "list") if m["follow_up"]]) == 1
    c("saving", "add", "--project", "P2", "--amount", "1", "--year", "2019")
    c("saving", "remove", "SV2", "--reason", "Fejl")
    assert (
        c.json("saving", "add", "--project", "P2", "--amount", "1", "--year", "2019")["code"]
        == "SV3"
    )


def test_removing_what_others_refer_to_is_refused_by_name(content: Cli) -> None:
    err = content.fails("project", "remove", "P1", "--reason", "x")
    assert "1 milestone (M1)" in err and "1 saving line (SV1)" in err
    content("segment", "add", "Tom", "--portfolio", "FOM")
    assert content.json("segment", "remove", "S3", "--reason", "Fejl")["code"] == "S3"
    assert "1 project (P1)" in content.fails("segment", "remove", "S1", "--reason", "x")


def test_a_document_that_adds_history_and_keeps_the_exported_state_keeps_its_events(
    content: Cli, tmp_path: Path
) -> None:
    """The history a document adds is the change; a current value left as exported is not a
    second change that undoes it (a done event with "state": "open" stays done)."""

    def change(doc: dict[str, Any]) -> None:
        record(doc, "milestones", "M1")["events"].append(
            {"date": "2019-08-20", "kind": "done", "reason": None}
        )
        record(doc, "projects", "P1")["history"].append(
            {
                "date": "2019-08-01",
                "kind": "status",
                "dimension": None,
                "from": "active",
                "to": "paused",
                "note": "Afventer ungestrategien",
                "decision": None,
            }
        )
        # state, done_date, status and status_date stay as exported: open, None, active

    content("import", str(document(content, tmp_path, change)))
    m1 = content.json("milestone", "show", "M1", "--as-of", "2019-09-01")
    assert (m1["state"], m1["done_date"]) == ("done", "2019-08-20")
    assert [e["kind"] for e in m1["events"]] == ["done"]
    p1 = content.json("project", "show", "P1", "--as-of", "2019-09-01")
    assert (p1["status"], p1["status_date"]) == ("paused", "2019-08-01")
    assert [h["to"] for h in content.json("project", "history", "P1") if h["kind"] == "status"][
        -1
    ] == "paused"
