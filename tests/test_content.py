"""Solutions, milestones, deliverables and indicators through the CLI, with every refusal."""

from __future__ import annotations

import pytest

from conftest import Cli


@pytest.fixture
def odense(cli: Cli) -> Cli:
    """The children's administration's 2019 calendar (seed 001): five deliverables to ØU."""
    cli("portfolio", "add", "Sammenhængende Borgerforløb", "--code", "SBF")
    cli("committee", "add", "Økonomiudvalget", "--code", "ØU")
    cli("committee", "add", "Børn- og Ungeudvalget", "--code", "BUU")
    cli(
        "deliverable",
        "add",
        "Evaluering, kommissorium og milepælsplan",
        "--committee",
        "ØU",
        "--meeting",
        "16. januar 2019",
        "--kind",
        "orientering",
        "--portfolio",
        "SBF",
    )
    cli(
        "deliverable",
        "add",
        "Orientering om evalueringen",
        "--committee",
        "BUU",
        "--meeting",
        "22/1 2019",
        "--kind",
        "orientering",
        "--portfolio",
        "SBF",
    )
    cli(
        "deliverable",
        "add",
        "Første plan for opgaveløsningen",
        "--committee",
        "ØU",
        "--meeting",
        "20/2 2019",
        "--prior",
        "BUU:12/2 2019:drøftelse",
        "--portfolio",
        "SBF",
    )
    cli(
        "deliverable",
        "add",
        "Konkrete projekter med provenu",
        "--committee",
        "ØU",
        "--meeting",
        "3/4 2019",
        "--prior",
        "BUU:26/3 2019",
        "--portfolio",
        "SBF",
    )
    cli(
        "deliverable",
        "add",
        "Besluttede projekter",
        "--committee",
        "ØU",
        "--meeting",
        "29/5 2019",
        "--kind",
        "beslutning",
        "--prior",
        "BUU:21/5 2019:beslutning",
        "--portfolio",
        "SBF",
    )
    cli(
        "deliverable",
        "add",
        "Samlet plan for opgaveløsningen",
        "--committee",
        "ØU",
        "--meeting",
        "19/6 2019",
        "--prior",
        "BUU:11/6 2019",
        "--portfolio",
        "SBF",
    )
    return cli


def test_calendar_reads_back_with_prior_handling(odense: Cli) -> None:
    rows = odense.json("deliverable", "list", "--committee", "ØU")
    assert [r["meeting_date"] for r in rows] == [
        "2019-01-16",
        "2019-02-20",
        "2019-04-03",
        "2019-05-29",
        "2019-06-19",
    ]
    assert rows[1]["prior"] == [
        {
            "committee": "BUU",
            "committee_name": "Børn- og Ungeudvalget",
            "meeting_date": "2019-02-12",
            "kind": "drøftelse",
        }
    ]
    out = odense("report", "deliverables", "--from", "jan 2019", "--to", "jun 2019").stdout
    assert "BUU 12. februar 2019 (drøftelse) → ØU 20. februar 2019" in out
    assert "Børn- og Ungeudvalget (BUU)" in out and "Økonomiudvalget (ØU)" in out


def test_prior_after_meeting_is_refused(odense: Cli) -> None:
    before = odense.snapshot()
    err = odense.fails(
        "deliverable",
        "add",
        "X",
        "--committee",
        "ØU",
        "--meeting",
        "16/1 2019",
        "--prior",
        "BUU:22/1 2019",
    )
    assert "after the meeting" in err
    assert "invalid prior handling" in odense.fails(
        "deliverable", "add", "X", "--committee", "ØU", "--meeting", "16/1 2019", "--prior", "BUU"
    )
    assert odense.snapshot() == before


def test_postpone_keeps_the_original_date_and_deliver(odense: Cli) -> None:
    d = odense.json(
        "deliverable",
        "postpone",
        "LV5",
        "--meeting",
        "19/6 2019",
        "--reason",
        "Projekterne er ikke besluttet i BUU",
        "--date",
        "2019-05-20",
    )
    assert (d["meeting_date"], d["original_meeting_date"], d["status"]) == (
        "2019-06-19",
        "2019-05-29",
        "postponed",
    )
    assert d["postponements"][0]["reason"] == "Projekterne er ikke besluttet i BUU"
    assert "reason" in odense.fails("deliverable", "postpone", "LV5", "--meeting", "2019-08-14")
    assert (
        odense.json("deliverable", "deliver", "LV1", "--date", "16/1 2019")["status"] == "delivered"
    )
    assert "already delivered" in odense.fails("deliverable", "deliver", "LV1")
    assert "was delivered" in odense.fails(
        "deliverable", "postpone", "LV1", "--meeting", "2019-09-01", "--reason", "x"
    )


def test_calendar_formats(odense: Cli) -> None:
    import csv
    import io
    import json

    args = ("report", "deliverables", "--from", "2019-01-01", "--to", "2019-06-30")
    data = json.loads(odense(*args, "--format", "json").stdout)
    assert [c["code"] for c in data["committees"]] == ["BUU", "ØU"]
    assert len(data["committees"][1]["deliverables"]) == 5
    out = odense(*args, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == 6 and rows[2]["Forbehandling"] == "BUU:2019-02-12"
    html = odense(*args, "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "Økonomiudvalget (ØU)" in html
    assert "| 20. februar 2019 |" in odense(*args, "--format", "md").stdout


def test_milestone_moved_twice_shows_both_earlier_dates(register: Cli) -> None:
    register("milestone", "add", "Datamodul i drift", "--project", "P1", "--due", "1/3 2019")
    register("milestone", "move", "M1", "--due", "1/4 2019", "--reason", "Fejl i datakilder")
    m = register.json("milestone", "move", "M1", "--due", "1/5 2019", "--reason", "Ny leverandør")
    assert [(x["from"], x["to"], x["reason"]) for x in m["moves"]] == [
        ("2019-03-01", "2019-04-01", "Fejl i datakilder"),
        ("2019-04-01", "2019-05-01", "Ny leverandør"),
    ]
    assert m["original_due_date"] == "2019-03-01" and m["times_moved"] == 2
    assert "reason" in register.fails("milestone", "move", "M1", "--due", "1/6 2019")


def test_overdue_and_upcoming_as_of_a_date(register: Cli) -> None:
    register("milestone", "add", "Analyse færdig", "--project", "P1", "--due", "2019-02-01")
    register("milestone", "add", "Prøvehandling starter", "--project", "P1", "--due", "2019-05-01")
    register("milestone", "add", "Evaluering", "--project", "P2", "--due", "2019-07-01")
    register("milestone", "add", "Porteføljen lukkes", "--portfolio", "FOM", "--due", "2019-12-31")
    register("milestone", "done", "M2", "--date", "2019-04-28")
    codes = lambda *a: [m["code"] for m in register.json("milestone", "list", *a)]  # noqa: E731
    assert codes("--overdue", "--as-of", "2019-06-05") == ["M1"]
    assert codes("--overdue", "--as-of", "2019-01-01") == []
    assert codes("--upcoming", "30", "--as-of", "2019-06-05") == ["M3"]
    assert codes("--upcoming", "365", "--as-of", "2019-06-05") == ["M3", "M4"]
    assert codes("--portfolio", "FOM") == ["M1", "M2", "M3", "M4"]
    assert "already met" in register.fails("milestone", "done", "M2")
    assert "project (--project) or a portfolio" in register.fails(
        "milestone", "add", "X", "--due", "2019-01-01"
    )


def test_solution_path_from_idea_to_handed_over(register: Cli) -> None:
    register(
        "solution",
        "add",
        "Systematisk samarbejde om borgere på forsorgshjem",
        "--project",
        "P2",
        "--kind",
        "cooperation-agreement",
        "--date",
        "2017-09-01",
    )
    register("solution", "status", "L1", "developing", "--date", "2017-11-01")
    register("solution", "status", "L1", "trial", "--date", "2018-01-15", "--note", "10 borgere")
    register("solution", "status", "L1", "implemented", "--date", "2018-06-01")
    err = register.fails("solution", "status", "L1", "handed-over", "--date", "2018-09-01")
    assert "--handed-over-to" in err
    s = register.json(
        "solution", "status", "L1", "handed-over", "--date", "2018-09-01", "--handed-over-to", "SF"
    )
    assert s["handed_over_to"] == "SF" and s["status"] == "handed-over"
    assert [(h["date"], h["to"]) for h in s["history"]] == [
        ("2017-09-01", "idea"),
        ("2017-11-01", "developing"),
        ("2018-01-15", "trial"),
        ("2018-06-01", "implemented"),
        ("2018-09-01", "handed-over"),
    ]
    assert "final" in register.fails("solution", "status", "L1", "trial", "--note", "igen")


def test_solution_trial_fields_and_refusals(register: Cli) -> None:
    s = register.json(
        "solution",
        "add",
        "Én koordinerende sagsbehandler",
        "--project",
        "P1",
        "--kind",
        "organisation",
        "--status",
        "trial",
        "--trial-from",
        "maj 2019",
        "--trial-to",
        "dec 2019",
        "--trial-population",
        "5-6 familier",
    )
    assert (s["trial_from"], s["trial_to"], s["trial_population"]) == (
        "2019-05-01",
        "2019-12-31",
        "5-6 familier",
    )
    assert "say why with --note" in register.fails("solution", "status", "L1", "idea")
    assert (
        register.json("solution", "status", "L1", "developing", "--note", "Justeres")["status"]
        == "developing"
    )
    assert "invalid kind" in register.fails(
        "solution", "add", "X", "--project", "P1", "--kind", "app"
    )
    assert "before it starts" in register.fails(
        "solution",
        "add",
        "X",
        "--project",
        "P1",
        "--trial-from",
        "2019-05-01",
        "--trial-to",
        "2019-01-01",
    )


def test_indicator_latest_achievement_and_trend(register: Cli) -> None:
    register(
        "indicator",
        "add",
        "Flere i ordinær beskæftigelse",
        "--project",
        "P1",
        "--unit",
        "borgere",
        "--baseline",
        "2",
        "--baseline-date",
        "2018-01-01",
        "--target",
        "12",
        "--target-date",
        "2019-12-31",
        "--measured-by",
        "Jobcentret",
    )
    register("indicator", "measure", "I1", "4", "--date", "2018-06-30")
    i = register.json("indicator", "measure", "I1", "7", "--date", "2018-12-31")
    assert (i["latest"], i["achievement_pct"], i["trend"], i["met"]) == (
        7.0,
        50.0,
        "improving",
        False,
    )
    i = register.json("indicator", "measure", "I1", "6,5", "--date", "2019-03-31")
    assert (i["achievement_pct"], i["trend"]) == (45.0, "worsening")
    assert "invalid value" in register.fails("indicator", "measure", "I1", "mange")


def test_closing_with_unmet_indicator_adds_a_follow_up_a_year_later(register: Cli) -> None:
    register(
        "indicator",
        "add",
        "Færre på forsorgshjem",
        "--project",
        "P2",
        "--baseline",
        "29",
        "--target",
        "15",
    )
    register("indicator", "measure", "I1", "20", "--date", "2019-05-01")
    register("project", "close", "P2", "--date", "2019-06-05")
    follow = register.json("milestone", "list", "--project", "P2")
    assert [(m["title"], m["due_date"]) for m in follow] == [
        ("Gevinstopfølgning: Fra forsorgshjem til egen bolig", "2020-06-05")
    ]
    assert "indicator I1" in follow[0]["note"]
    register("project", "close", "P1", "--date", "2019-06-05")  # no open benefits: no follow-up
    assert register.json("milestone", "list", "--project", "P1") == []


def test_project_sheet_has_the_template_fields(register: Cli) -> None:
    register(
        "project",
        "edit",
        "P2",
        "--case-number",
        "00.01.10-P20-1-17",
        "--owner",
        "Direktør for Social & Familie",
        "--leader",
        "Projektleder, Socialenheden",
        "--purpose",
        "Fra forsorgshjem til egen bolig",
        "--success-criteria",
        "Borgere hjælpes videre",
        "--risks",
        "Effekt kan ikke isoleres",
        "--steering-group",
        "Chefgruppen",
        "--deliverables",
        "Samarbejdsprocedure",
        "--benefits",
        "Øget kvalitet for borgeren",
        "--prerequisites",
        "Boliger kan skaffes",
    )
    register(
        "milestone", "add", "Procedure implementeret", "--project", "P2", "--due", "2018-06-01"
    )
    register(
        "solution", "add", "Systematisk samarbejde", "--project", "P2", "--status", "implemented"
    )
    md = register("report", "project", "P2", "--as-of", "2019-06-05").stdout
    for heading in (
        "Formål og baggrund",
        "Leverancer",
        "Succeskriterier",
        "Væsentligste risici",
        "Organisering",
        "Hovedmilepæle",
        "Løsninger",
        "Gevinster",
        "Sundhedstilstand",
    ):
        assert f"## {heading}" in md
    assert "00.01.10-P20-1-17" in md and "Chefgruppen" in md and "1\\. juni 2018" not in md
    assert "| 1. juni 2018 | Procedure implementeret |" in md
    html = register("report", "project", "P2", "--format", "html").stdout
    assert "<h2>Hovedmilepæle</h2>" in html
    en = register("report", "project", "P2", "--lang", "en").stdout
    assert "## Main milestones" in en and "| 1 June 2018 |" in en


def test_content_round_trips_through_the_document(register: Cli, tmp_path) -> None:
    register("solution", "add", "Samarbejde", "--project", "P1", "--date", "2018-01-01")
    register("solution", "status", "L1", "trial", "--date", "2018-02-01")
    register("milestone", "add", "Plan", "--project", "P1", "--due", "2019-01-01")
    register("milestone", "move", "M1", "--due", "2019-02-01", "--reason", "Forsinket")
    register("committee", "add", "Økonomiudvalget", "--code", "ØU")
    register("committee", "add", "Kommunalbestyrelsen", "--code", "KB")
    register(
        "deliverable",
        "add",
        "Afslutning",
        "--committee",
        "KB",
        "--meeting",
        "2019-06-20",
        "--project",
        "P1",
        "--project",
        "P2",
        "--prior",
        "ØU:2019-06-05",
    )
    register("deliverable", "postpone", "LV1", "--meeting", "2019-08-29", "--reason", "Sommer")
    register("indicator", "add", "Borgere i job", "--project", "P1", "--target", "10")
    register("indicator", "measure", "I1", "3", "--date", "2019-01-01")
    first = tmp_path / "a.json"
    register("export", "--out", str(first))
    other = Cli(tmp_path / "b.db")
    other("--db", str(other.db), "import", str(first))
    assert other("--db", str(other.db), "export").stdout == first.read_text(encoding="utf-8")
    assert "created" not in register("import", str(first)).stderr


def test_trial_details_with_the_move_into_trial(register: Cli) -> None:
    register(
        "solution", "add", "Koordinerende sagsbehandler", "--project", "P1", "--date", "2019-01-10"
    )
    s = register.json(
        "solution",
        "status",
        "L1",
        "trial",
        "--date",
        "maj 2019",
        "--trial-to",
        "dec 2019",
        "--trial-population",
        "5-6 familier",
    )
    assert (s["status"], s["trial_to"], s["trial_population"]) == (
        "trial",
        "2019-12-31",
        "5-6 familier",
    )
    before = register.snapshot()
    err = register.fails(
        "solution",
        "status",
        "L1",
        "implemented",
        "--trial-to",
        "2019-01-01",
        "--trial-from",
        "2019-05-01",
    )
    assert "before it starts" in err and register.snapshot() == before  # all or nothing
