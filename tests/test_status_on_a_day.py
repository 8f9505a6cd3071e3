"""`report status` reads each section as a set as of the day (open milestones summarised in SQL,
the timeline's weeks, the deliverables in one pass, the open risks and indicators ranked before
the few shown are read, the facts of the projects shown read for them alone, the changes listed
one by one or summarised): the histories around the day below are hand-checked against the
report and against the lists (`milestone list`, `deliverable list`, `risk list`), which read the
same history one record at a time."""

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


@pytest.fixture
def meetings(register: Cli) -> Cli:
    """Deliverables around the day (5 June 2019; the calendar runs to 31 July): postponed, met,
    cancelled and brought forward before and after the day, and events and postponements that
    share a date (the later registered one counts as the later)."""
    c = register
    c("committee", "add", "Økonomiudvalget", "--code", "ØU")
    c("committee", "add", "Social- og Beskæftigelsesudvalget", "--code", "SBU")
    c("portfolio", "add", "Andet program", "--code", "AP")

    def add(title: str, meeting: str, committee: str = "ØU", *more: str) -> None:
        owner = [] if "--project" in more or "--portfolio" in more else ["--portfolio", "FOM"]
        where = ["--committee", committee, "--meeting", meeting]
        c("deliverable", "add", title, *where, *owner, *more)

    def move(verb: str, code: str, meeting: str, on: str) -> None:
        c("deliverable", verb, code, "--meeting", meeting, "--reason", "Ny plan", "--date", on)

    add("Missed", "2019-05-01", "SBU", "--project", "P1")  # LV1
    add("PostponedLater", "2019-05-01", "ØU", "--project", "P2")  # LV2
    move("postpone", "LV2", "2019-09-01", "2019-06-10")  # after the day: still due 1 May
    add("PostponedComing", "2019-04-01")  # LV3
    move("postpone", "LV3", "2019-06-20", "2019-03-15")  # postponed, in the calendar
    add("PostponedPassed", "2019-03-01", "SBU", "--prior", "ØU:2019-02-20")  # LV4
    move("postpone", "LV4", "2019-05-15", "2019-02-01")
    move("postpone", "LV4", "2019-10-01", "2019-06-20")  # after the day: still due 15 May
    add("DeliveredLater", "2019-05-02")  # LV5
    c("deliverable", "deliver", "LV5", "--date", "2019-06-20")
    add("CancelledLater", "2019-05-03")  # LV6
    c("deliverable", "cancel", "LV6", "--reason", "Udgår", "--date", "2019-06-20")
    add("Delivered", "2019-05-04")  # LV7
    c("deliverable", "deliver", "LV7", "--date", "2019-05-04")
    add("TakenBackSameDay", "2019-05-05")  # LV8: delivered and taken back on one day: open
    c("deliverable", "deliver", "LV8", "--date", "2019-05-05")
    c("deliverable", "undeliver", "LV8", "--reason", "Fejl", "--date", "2019-05-05")
    add("CancelledComing", "2019-07-10", "SBU")  # LV9
    c("deliverable", "cancel", "LV9", "--reason", "Udgår", "--date", "2019-06-01")
    add("Advanced", "2019-09-01", "SBU")  # LV10: brought forward into the weeks, not postponed
    move("advance", "LV10", "2019-06-15", "2019-05-20")
    add("TwiceOneDay", "2019-02-01")  # LV11: two postponements decided on one day
    move("postpone", "LV11", "2019-03-01", "2019-01-10")
    move("postpone", "LV11", "2019-04-01", "2019-01-10")
    add("TwiceLater", "2019-05-06", "SBU")  # LV12: both after the day: still due 6 May
    move("postpone", "LV12", "2019-08-01", "2019-07-01")
    move("postpone", "LV12", "2019-09-01", "2019-07-01")
    add("OtherPortfolio", "2019-05-07", "ØU", "--portfolio", "AP")  # LV13
    add("ComingLater", "2019-07-31")  # LV14: the calendar's last day
    return c


@pytest.mark.parametrize("selection", [[], ["--portfolio", "FOM"]])
def test_deliverables_on_the_day(meetings: Cli, selection: list[str]) -> None:
    data = report(meetings, *selection)
    other = [] if selection else ["LV13"]
    postponed = [
        (d["code"], d["meeting_date"], d["original_meeting_date"], d["times_postponed"])
        for d in data["postponed"]
    ]
    assert postponed == [
        ("LV11", "2019-04-01", "2019-02-01", 2),
        ("LV4", "2019-05-15", "2019-03-01", 1),
        ("LV3", "2019-06-20", "2019-04-01", 1),
    ]
    missed = [(d["code"], d["meeting_date"]) for d in data["missed_meetings"]]
    # LV1 and LV2 meet on 1 May: by committee name (Social- … before Økonomi…)
    assert missed == [
        ("LV11", "2019-04-01"),
        ("LV1", "2019-05-01"),
        ("LV2", "2019-05-01"),
        ("LV5", "2019-05-02"),
        ("LV6", "2019-05-03"),
        ("LV8", "2019-05-05"),
        ("LV12", "2019-05-06"),
        *[(code, "2019-05-07") for code in other],
        ("LV4", "2019-05-15"),
    ]
    calendar = [(d["code"], d["meeting_date"], d["status"]) for d in data["calendar"]]
    assert calendar == [
        ("LV10", "2019-06-15", "planned"),
        ("LV3", "2019-06-20", "postponed"),
        ("LV9", "2019-07-10", "cancelled"),
        ("LV14", "2019-07-31", "planned"),
    ]
    assert data["calendar"][1]["projects"] == [] and data["missed_meetings"][2]["days"] == 35
    assert data["more"]["postponed"] == 0 and data["more"]["missed_meetings"] == 0
    # the same deliverables as the list that reads each one's history on its own
    listed = meetings.json("deliverable", "list", "--as-of", AS_OF, *selection)
    on_the_day = {d["code"]: d for d in listed}
    assert [code for code, *_ in postponed] == [
        d["code"] for d in listed if d["status"] == "postponed"
    ]
    assert [code for code, _ in missed] == [
        d["code"]
        for d in listed
        if d["status"] in ("planned", "postponed") and d["meeting_date"] < AS_OF
    ]
    assert all(on_the_day[code]["status"] == status for code, _, status in calendar)


def test_long_deliverable_lists_count_the_rest(
    meetings: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portefolje.reports import status as report_module

    monkeypatch.setattr(report_module, "LIST_LIMIT", 2)
    data = report(meetings, "--portfolio", "FOM")
    assert [d["code"] for d in data["postponed"]] == ["LV11", "LV4"]
    assert [d["code"] for d in data["missed_meetings"]] == ["LV11", "LV1"]
    assert data["more"]["postponed"] == 1 and data["more"]["missed_meetings"] == 6
    text = data["overview"]["assessment_text"]
    assert "3 udsatte leverancer; 8 møder uden registreret levering" in text
    assert len(data["calendar"]) == 4  # the calendar is never cut


def test_the_overall_health_on_the_day(register: Cli) -> None:
    """A project's health in the report is its latest overall assessment by the day (of two on
    one day the later registered); the other dimensions and later assessments do not show."""
    c = register

    def health(project: str, color: str, comment: str, on: str, *dimension: str) -> None:
        c("project", "health", project, color, "--comment", comment, "--date", on, *dimension)

    health("P1", "green", "Godt", "2019-03-01")
    health("P1", "yellow", "Forsinket", "2019-04-01")
    health("P1", "red", "Stoppet", "2019-04-01")
    health("P1", "green", "Tidsplan", "2019-05-01", "--dimension", "schedule")
    health("P1", "green", "Igen godt", "2019-07-01")
    health("P2", "red", "Kun tidsplan", "2019-05-01", "--dimension", "schedule")
    data = report(c)
    shown = {p["code"]: (p["health"], p["health_comment"]) for p in data["projects"]}
    assert shown == {"P1": ("red", "Stoppet"), "P2": (None, None)}
    assert data["overview"]["headline"]["health"] == {"green": 0, "yellow": 0, "red": 1}


def test_open_risks_on_the_day(register: Cli) -> None:
    """The risks open on the day, each scored by its latest assessment by then: identified,
    re-assessed, closed and reopened before and after the day; another portfolio's risk."""
    c = register
    c("portfolio", "add", "Andet program", "--code", "AP")

    def add(owner: list[str], p: str, k: str, on: str) -> None:
        c("risk", "add", "Risiko", *owner, "--probability", p, "--consequence", k, "--date", on)

    def edit(code: str, p: str, k: str, on: str) -> None:
        c("risk", "edit", code, "--probability", p, "--consequence", k, "--date", on)

    def event(verb: str, code: str, on: str) -> None:
        c("risk", verb, code, "--reason", "Vurderet", "--date", on)

    add(["--project", "P1"], "4", "4", "2019-01-10")  # RS1: 12 on the day, 16 first
    edit("RS1", "3", "4", "2019-03-01")
    edit("RS1", "1", "1", "2019-07-01")
    add(["--portfolio", "FOM"], "5", "4", "2019-02-01")  # RS2: closed before the day
    event("close", "RS2", "2019-05-01")
    add(["--project", "P2"], "2", "2", "2019-02-01")  # RS3: closed and reopened
    event("close", "RS3", "2019-03-01")
    event("reopen", "RS3", "2019-04-01")
    add(["--project", "P1"], "5", "5", "2019-07-01")  # RS4: identified after the day
    add(["--project", "P2"], "3", "3", "2019-01-01")  # RS5: closed after the day
    event("close", "RS5", "2019-07-01")
    add(["--portfolio", "AP"], "3", "3", "2019-01-01")  # RS6: another portfolio's
    for selection, expected in (
        (["--portfolio", "FOM"], ["RS1", "RS5", "RS3"]),
        ([], ["RS1", "RS5", "RS6", "RS3"]),
    ):
        data = report(c, *selection)["risks"]
        assert data["open"] == len(expected)
        top = [(r["code"], r["score"], r["first_score"], r["level"]) for r in data["top"]]
        assert [code for code, *_ in top] == expected
        assert top[0] == ("RS1", 12, 16, "medium")
        cells = {
            code: (5 - i, j + 1)
            for i, row in enumerate(data["matrix"])
            for j, cell in enumerate(row)
            for code in cell
        }
        assert cells == {
            "RS1": (3, 4),
            "RS3": (2, 2),
            "RS5": (3, 3),
            **({"RS6": (3, 3)} if not selection else {}),
        }
        listed = c.json("risk", "list", "--open", "--as-of", AS_OF, *selection)
        assert [r["code"] for r in listed] == expected
    rows = {r["code"]: r for r in csv_rows(c)}
    assert (rows["P1"]["risks_open"], rows["P1"]["risk_score_max"]) == ("1", "12")
    assert (rows["P2"]["risks_open"], rows["P2"]["risk_score_max"]) == ("2", "9")


def csv_rows(c: Cli) -> list[dict[str, str]]:
    import csv
    import io

    text = c("report", "status", "--as-of", AS_OF, "-f", "csv", "--lang", "en").stdout
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_the_projects_shown_read_the_same_facts_when_others_are_left_out(
    days: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more projects than the page shows, the facts of those shown (solutions by step,
    next milestone, this year's savings) are read for them alone: the same as when all show."""
    from portefolje.reports.status import projects

    c = days
    c("solution", "add", "Ny visitation", "--project", "P1", "--status", "trial")
    c("solution", "add", "Fælles plan", "--project", "P1", "--status", "developing")
    c("solution", "status", "L2", "implemented", "--date", "2019-07-01")  # after the day
    c("solution", "add", "Bolig først", "--project", "P2")
    c("saving", "add", "--project", "P1", "--amount", "400.000", "--year", "2019")
    c("saving", "add", "--project", "P1", "--amount", "100.000", "--from-year", "2018")
    c("saving", "add", "--project", "P1", "--amount", "900.000", "--year", "2020")
    c("saving", "add", "--project", "P2", "--amount", "50.000", "--year", "2019")
    every = {p["code"]: p for p in report(c)["projects"]}
    monkeypatch.setattr(projects, "PROJECT_LIMIT", 1)
    data = report(c)
    assert [p["code"] for p in data["projects"]] == ["P1"]  # the one with overdue milestones
    assert data["more"]["projects"] == 1
    assert data["projects"][0] == every["P1"]
    p1 = every["P1"]
    assert p1["solutions_by_status"] == {"developing": 1, "trial": 1}
    assert (p1["savings_estimated"], p1["next_milestone_title"]) == (500000, "MovedEarlier")


def test_indicators_on_the_day(register: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each indicator's latest measurement by the day (of two on one day the later registered;
    a later one unseen); with many, those furthest from their target (unmeasured first) show."""
    from portefolje.reports import status as report_module

    c = register
    c("portfolio", "add", "Andet program", "--code", "AP")

    def add(owner: list[str], *values: str) -> None:
        c("indicator", "add", "Effekt", *owner, *values)

    add(["--project", "P1"], "--baseline", "0", "--target", "10")  # I1: 40 % on the day
    c("indicator", "measure", "I1", "2", "--date", "2019-03-01")
    c("indicator", "measure", "I1", "5", "--date", "2019-05-01")
    c("indicator", "measure", "I1", "4", "--date", "2019-05-01")
    c("indicator", "measure", "I1", "10", "--date", "2019-07-01")
    add(["--project", "P2"], "--baseline", "10", "--target", "0")  # I2: 80 %
    c("indicator", "measure", "I2", "2", "--date", "2019-04-01")
    add(["--portfolio", "FOM"], "--target", "5")  # I3: measured only after the day
    c("indicator", "measure", "I3", "5", "--date", "2019-06-30")
    add(["--portfolio", "AP"], "--target", "5")  # I4: another portfolio's
    c("indicator", "measure", "I4", "1", "--date", "2019-01-01")
    data = report(c, "--portfolio", "FOM")
    shown = [(i["code"], i["latest"], i["achievement_pct"], i["trend"]) for i in data["indicators"]]
    assert shown == [
        ("I1", 4.0, 40.0, "worsening"),  # 5 then 4 on one day
        ("I2", 2.0, 80.0, None),
        ("I3", None, None, None),
    ]
    monkeypatch.setattr(report_module, "LIST_LIMIT", 2)
    data = report(c, "--portfolio", "FOM")
    assert [i["code"] for i in data["indicators"]] == ["I1", "I3"]  # unmeasured, then 40 %
    assert data["indicators"][0]["latest_date"] == "2019-05-01"
    assert data["more"]["indicators"] == 1
    data = report(c)  # I4 (20 %) is further from its target than I1
    assert [i["code"] for i in data["indicators"]] == ["I3", "I4"]
    assert data["more"]["indicators"] == 2


def test_removed_figures_are_changes_of_their_day(register: Cli) -> None:
    """A saving or investment removed in the window reads as removed on that day; one changed
    (a new version from the same day) or removed outside the window does not."""
    c = register

    def saving(amount: str, on: str) -> None:
        c("saving", "add", "--project", "P1", "--amount", amount, "--year", "2020", "--date", on)

    saving("100.000", "2019-01-15")  # SV1: removed in the window
    c("saving", "remove", "SV1", "--reason", "Dobbelt", "--date", "2019-05-10")
    saving("200.000", "2019-01-15")  # SV2: changed in the window
    c("saving", "edit", "SV2", "--amount", "250.000", "--date", "2019-05-11")
    saving("300.000", "2019-01-15")  # SV3: removed before the window
    c("saving", "remove", "SV3", "--reason", "Dobbelt", "--date", "2019-04-01")
    c(
        "investment",
        "add",
        "--project",
        "P2",
        "--amount",
        "50.000",
        "--year",
        "2020",
        "--date",
        "2019-01-15",
    )  # INV1: removed in the window
    c("investment", "remove", "INV1", "--reason", "Dobbelt", "--date", "2019-05-12")
    changes = report(c, "--since", "2019-05-01", "--lang", "en")["changes"]
    listed = [(ch["date"], ch["project"], ch["change"]) for ch in changes]
    removed = [row for row in listed if "remov" in row[2].lower()]
    assert [(date, project) for date, project, _ in removed] == [
        ("2019-05-10", "P1"),
        ("2019-05-12", "P2"),
    ]
    assert "SV1" in removed[0][2] and "INV1" in removed[1][2]
    assert any(date == "2019-05-11" and "SV2" in text for date, _, text in listed)


def test_an_imported_history_is_summarised_over_its_dates_in_the_window(
    register: Cli, tmp_path: Path
) -> None:
    """One import of many savings lines with their own effective dates (a document moved from
    another file) reads as one line: how many fall in the window, their total and the first
    and last of their dates there."""
    c = register
    for n, day in enumerate(range(1, 29), start=1):  # SV1-SV28, 1-28 March 2019
        on = f"2019-03-{day:02d}"
        c(
            "saving",
            "add",
            "--project",
            "P1",
            "--amount",
            f"{n}.000",
            "--year",
            "2020",
            "--date",
            on,
        )
    c("export", "--out", str(tmp_path / "doc.json"))
    moved = Cli(tmp_path / "moved.db")
    moved("--db", str(moved.db), "init")
    moved("--db", str(moved.db), "import", str(tmp_path / "doc.json"))
    out = moved(
        "--db",
        str(moved.db),
        "report",
        "status",
        "--as-of",
        "2019-03-25",
        "--since",
        "2019-03-04",
        "-f",
        "json",
        "--lang",
        "en",
    ).stdout
    (line,) = [ch for ch in json.loads(out)["changes"] if ch["kind"] == "import"]
    assert line["date"] == "2019-03-04"
    # lines 4-25 (22 of them, 4,000 + … + 25,000 kr.) from 4 to 25 March
    assert line["change"] == (
        "22 savings imported from doc.json (in total DKK 319,000) (4 March 2019 – 25 March 2019)"
    )
