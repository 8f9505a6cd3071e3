"""Calendar files for Outlook: the committee calendar and milestones as RFC 5545 events, with
stable UIDs (a re-import updates) and no clock in the content."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import Cli

WINDOW = ("--from", "2019-01-01", "--to", "2019-12-31")


@pytest.fixture
def odense(cli: Cli) -> Cli:
    """Three cases to ØU (one prepared in BUU, one in BUU and SBU), milestones, one moved."""
    c = cli
    c("portfolio", "add", "Sammenhængende Borgerforløb", "--code", "SBF")
    for name, code in [
        ("Økonomiudvalget", "ØU"),
        ("Børn- og Ungeudvalget", "BUU"),
        ("Social- og Beskæftigelsesudvalget", "SBU"),
    ]:
        c("committee", "add", name, "--code", code)
    c("segment", "add", "Udsatte familier", "--portfolio", "SBF")
    c("project", "add", "Familien i centrum", "--segment", "S1", "--start", "jan 2019")
    deliverables = [
        ("Evaluering og kommissorium", "16. januar 2019", "orientering", []),
        ("Første plan", "20/2 2019", "drøftelse", ["BUU:12/2 2019:drøftelse"]),
        ("Projekter med provenu", "3/4 2019", "beslutning", ["BUU:26/3 2019", "SBU:27/3 2019"]),
    ]
    for title, meeting, kind, priors in deliverables:
        args = ["deliverable", "add", title, "--committee", "ØU", "--meeting", meeting]
        args += ["--kind", kind, "--project", "P1"]
        for prior in priors:
            args += ["--prior", prior]
        c(*args)
    c("milestone", "add", "Analyse færdig", "--project", "P1", "--due", "2019-03-31")
    c("milestone", "add", "Prøvehandling evalueret", "--project", "P1", "--due", "2019-09-30")
    c("milestone", "move", "M2", "--due", "2019-11-30", "--reason", "Forlænget afprøvning")
    c("milestone", "done", "M1", "--date", "2019-03-28")
    return c


def events(data: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(data)
    found = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(found) == len(cal.walk("VEVENT")), "UIDs must be unique"
    return found


def test_committee_calendar_one_event_per_meeting(odense: Cli, tmp_path: Path) -> None:
    path = tmp_path / "udvalg.{format}"
    odense("report", "deliverables", *WINDOW, "--format", "ics", "--out", str(path))
    data = (tmp_path / "udvalg.ics").read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"METHOD:PUBLISH" in data
    found = events(data)
    # three cases at ØU, and three prior handlings (one in BUU; one in BUU and one in SBU)
    assert sorted(found) == [
        "deliverable-LV1@portefolje",
        "deliverable-LV2-prior-BUU@portefolje",
        "deliverable-LV2@portefolje",
        "deliverable-LV3-prior-BUU@portefolje",
        "deliverable-LV3-prior-SBU@portefolje",
        "deliverable-LV3@portefolje",
    ]
    main = found["deliverable-LV3@portefolje"]
    assert main.decoded("DTSTART") == date(2019, 4, 3)  # all-day: a date, not a time
    assert main.decoded("DTEND") == date(2019, 4, 4)
    assert str(main["SUMMARY"]) == "ØU: Projekter med provenu (beslutning)"
    description = str(main["DESCRIPTION"])
    assert "BUU 26. marts 2019 → SBU 27. marts 2019 → ØU 3. april 2019" in description
    assert "Projekter: P1" in description
    prior = found["deliverable-LV3-prior-SBU@portefolje"]
    assert prior.decoded("DTSTART") == date(2019, 3, 27)
    assert "forbehandling før ØU 3. april 2019" in str(prior["SUMMARY"])
    assert str(prior["RELATED-TO"]) == "deliverable-LV3@portefolje"
    assert str(main["TRANSP"]) == "TRANSPARENT"


def test_a_postponed_case_updates_its_event(odense: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    before = events(odense("report", "deliverables", *WINDOW, "--format", "ics").stdout_bytes)
    assert before["deliverable-LV2@portefolje"]["SEQUENCE"] == 0
    odense(
        "deliverable", "postpone", "LV2", "--meeting", "2019-03-20",
        "--reason", "Afventer BUU", "--date", "2019-02-15",
    )  # fmt: skip
    after = events(odense("report", "deliverables", *WINDOW, "--format", "ics").stdout_bytes)
    assert set(after) == set(before)  # same UIDs: Outlook updates, does not duplicate
    moved = after["deliverable-LV2@portefolje"]
    assert moved.decoded("DTSTART") == date(2019, 3, 20) and moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTAMP") == datetime.fromisoformat("2019-02-15T00:00:00+00:00")
    assert "Udsat fra 20. februar 2019 til 20. marts 2019: Afventer BUU" in str(
        moved["DESCRIPTION"]
    )


def test_milestones_as_all_day_events(odense: Cli) -> None:
    found = events(odense("milestone", "list", "--format", "ics").stdout_bytes)
    assert sorted(found) == ["milestone-M1@portefolje", "milestone-M2@portefolje"]
    met, moved = found["milestone-M1@portefolje"], found["milestone-M2@portefolje"]
    assert met.decoded("DTSTART") == date(2019, 3, 31) and str(met["SUMMARY"]).startswith(
        "Milepæl nået: Analyse færdig"
    )
    assert moved.decoded("DTSTART") == date(2019, 11, 30) and moved["SEQUENCE"] == 1
    assert "Flyttet fra 30. september 2019 til 30. november 2019: Forlænget afprøvning" in str(
        moved["DESCRIPTION"]
    )
    assert "--format ics" in odense.fails("milestone", "list", "--out", "x.ics")
    assert "unknown format" in odense.fails("milestone", "list", "--format", "xlsx")


def test_same_database_gives_the_same_bytes(odense: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    first = odense("report", "deliverables", *WINDOW, "--format", "ics").stdout_bytes
    ms = odense("milestone", "list", "--format", "ics").stdout_bytes
    monkeypatch.setenv("PORTEFOLJE_TODAY", "2024-02-29")  # another day, same data
    assert odense("report", "deliverables", *WINDOW, "--format", "ics").stdout_bytes == first
    assert odense("milestone", "list", "--format", "ics").stdout_bytes == ms


def test_help_lists_only_the_formats_each_report_accepts(odense: Cli) -> None:
    def formats(report: str) -> str:
        text = odense("report", report, "--help").stdout
        line = next(ln for ln in text.splitlines() if ln.strip().startswith("-f, --format"))
        return line.split("--format", 1)[1]

    assert "ics" in formats("deliverables") and "xlsx" not in formats("deliverables")
    assert "csv" not in formats("project") and "xlsx" not in formats("project")
    assert "ics" not in formats("status") and "xlsx" in formats("status")
    assert "one of text, md, html, json\n" in odense.fails("report", "project", "P1", "-f", "csv")
    assert "choose one of text, md, html, json, csv, xlsx" in odense.fails(
        "report", "status", "--format", "ics"
    )
