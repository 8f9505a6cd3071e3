"""`report status` reads each section as a set as of the day (open milestones summarised in SQL,
the timeline's weeks, the first score of each open risk, the changes listed one by one): the
milestones, moves and events around the day below are hand-checked against the report and
against `milestone list`, which reads the same history one milestone at a time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import Cli

AS_OF = "2019-06-05"  # the timeline runs from 6 May to 31 July 2019


@pytest.fixture
def days(register: Cli) -> Cli:
    """P1's milestones: met then taken back, moved after the day, cancelled, met after the day,
    two due on the same day; one portfolio milestone; a moved one just outside the weeks."""
    c = register
    c("milestone", "add", "Undone", "--project", "P1", "--due", "2019-05-01")  # M1
    c("milestone", "done", "M1", "--date", "2019-05-10")
    c("milestone", "undone", "M1", "--reason", "Forkert milepæl", "--date", "2019-06-01")
    c("milestone", "add", "MovedLater", "--project", "P1", "--due", "2019-04-01")  # M2
    c(
        "milestone",
        "move",
        "M2",
        "--due",
        "2019-09-01",
        "--reason",
        "Senere",
        "--date",
        "2019-07-01",
    )
    c("milestone", "add", "Cancelled", "--project", "P1", "--due", "2019-05-02")  # M3
    c("milestone", "cancel", "M3", "--reason", "Udgår", "--date", "2019-05-03")
    c("milestone", "add", "MovedEarlier", "--project", "P1", "--due", "2019-05-15")  # M4
    c(
        "milestone",
        "move",
        "M4",
        "--due",
        "2019-07-01",
        "--reason",
        "Ny plan",
        "--date",
        "2019-05-01",
    )
    c("milestone", "add", "SameDay", "--project", "P1", "--due", "2019-07-01")  # M5
    c("milestone", "add", "MetLater", "--project", "P1", "--due", "2019-05-20")  # M6
    c("milestone", "done", "M6", "--date", "2019-06-10")
    c("milestone", "add", "Portfolio", "--portfolio", "FOM", "--due", "2019-05-25")  # M7
    # due in the weeks now, but on the day it was still due in December: not in the timeline
    c("milestone", "add", "OutsideThen", "--project", "P2", "--due", "2019-12-01")  # M8
    c(
        "milestone",
        "move",
        "M8",
        "--due",
        "2019-07-15",
        "--reason",
        "Fremrykket",
        "--date",
        "2019-08-01",
    )
    return c


def report(c: Cli, *args: str) -> dict:
    return json.loads(c("report", "status", "--as-of", AS_OF, *args, "-f", "json").stdout)


@pytest.mark.parametrize("selection", [[], ["--portfolio", "FOM"]])
def test_open_milestones_on_the_day(days: Cli, selection: list[str]) -> None:
    data = report(days, *selection)
    p1 = next(p for p in data["projects"] if p["code"] == "P1")
    # M4 (moved to 1 July before the day) comes before M5 due the same day: the lower id
    assert (p1["next_milestone_title"], p1["next_milestone_due"]) == ("MovedEarlier", "2019-07-01")
    # M1 open again, M2 at its old date (moved after the day), M6 met only after the day
    assert p1["overdue"] == 3
    overdue = [
        (m["code"], m["project"], m["due_date"], m["original_due_date"])
        for m in data["overdue_milestones"]
    ]
    assert overdue == [
        ("M2", "P1", "2019-04-01", "2019-04-01"),
        ("M1", "P1", "2019-05-01", "2019-05-01"),
        ("M6", "P1", "2019-05-20", "2019-05-20"),
        ("M7", "FOM", "2019-05-25", "2019-05-25"),
    ]
    assert data["more"]["overdue_milestones"] == 0
    assert data["overview"]["headline"]["overdue_milestones"] == 4
    p2 = next(p for p in data["projects"] if p["code"] == "P2")
    assert (p2["next_milestone_title"], p2["next_milestone_due"], p2["overdue"]) == (
        "OutsideThen",
        "2019-12-01",
        0,
    )
    # the same milestones as the list that reads each one's history on its own
    listed = days.json("milestone", "list", "--overdue", "--as-of", AS_OF)
    assert [m["code"] for m in listed] == [code for code, *_ in overdue]


def test_the_original_due_date_is_the_first_one(days: Cli) -> None:
    days(
        "milestone", "move", "M1", "--due", "2019-05-03", "--reason", "Kort", "--date", "2019-06-02"
    )
    days(
        "milestone", "move", "M1", "--due", "2019-05-04", "--reason", "Igen", "--date", "2019-06-03"
    )
    late = {m["code"]: m for m in report(days)["overdue_milestones"]}
    assert (late["M1"]["due_date"], late["M1"]["original_due_date"]) == ("2019-05-04", "2019-05-01")


def timeline(c: Cli, as_of: str) -> list[str]:
    """The labels of the HTML timeline's events ('5. juni 2019 · Title')."""
    html = c("report", "status", "--as-of", as_of, "-f", "html").stdout
    return re.findall(r"<text x=\"[^\"]*\" y=\"[^\"]*\">[^<]* · ([^<]+)</text>", html)


def test_the_timeline_shows_the_due_dates_of_the_day(days: Cli) -> None:
    # from 6 May: M4 is due 1 July on the day; M2 was still due 1 April, M8 still due in
    # December; M1 is due before the weeks, M3 cancelled
    assert timeline(days, AS_OF) == ["MetLater", "Portfolio", "MovedEarlier", "SameDay"]
    # a day after M8 was moved into the weeks (15 July), it is there
    assert "OutsideThen" in timeline(days, "2019-08-02")


def test_open_risks_carry_their_first_score(register: Cli) -> None:
    c = register
    c(
        "risk",
        "add",
        "Data mangler",
        "--project",
        "P1",
        "--probability",
        "4",
        "--consequence",
        "4",
        "--date",
        "2019-01-10",
    )
    c("risk", "edit", "RS1", "--probability", "2", "--consequence", "3", "--date", "2019-03-01")
    c("risk", "edit", "RS1", "--probability", "1", "--consequence", "2", "--date", "2019-07-01")
    top = report(c)["risks"]["top"]
    assert [(r["code"], r["score"], r["first_score"]) for r in top] == [("RS1", 6, 16)]


def test_an_import_is_summarised_and_a_single_change_listed(register: Cli, tmp_path: Path) -> None:
    """The changes since: the 21 savings lines of one import are one line; the saving added by
    hand in the same window is listed on its own (read by its command's moment, not as "every
    change but the imported ones")."""
    c = register
    lines = ["Kode;Projekt;Afdeling;Styringsområde;År;Fra år;Beløb;Stade;Note"]
    lines += [f"SV{n};P1;SF;Service;2025;;{n}.000;Estimeret;" for n in range(1, 22)]
    path = tmp_path / "besparelser.csv"
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")
    c("import", str(path), "--kind", "savings")
    c(
        "saving",
        "add",
        "--project",
        "P2",
        "--amount",
        "7.000",
        "--year",
        "2025",
        "--department",
        "BA",
    )
    changes = json.loads(c("report", "status", "-f", "json").stdout)["changes"]
    imported = [ch for ch in changes if ch["kind"] == "import"]
    assert len(imported) == 1 and "21 " in imported[0]["change"]
    assert "besparelser.csv" in imported[0]["change"]
    single = [ch for ch in changes if ch["kind"] != "import"]
    assert [ch["project"] for ch in single] == ["P2"]
