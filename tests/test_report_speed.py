"""What the faster savings report and committee calendar keep: the same figures, the same bytes
and the same number of SQL statements at any size (timing itself lives in bench/)."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from conftest import Cli
from statements import statements


def _savings(cli: Cli, *extra: str) -> dict[str, Any]:
    args = ["report", "savings", "--from-year", "2019", "--as-of", "2019-06-05", "-f", "json"]
    return dict(json.loads(cli(*args, *extra).stdout))


@pytest.fixture
def economy(register: Cli) -> Cli:
    """Two projects with single-year and recurring lines in every stage and area, partly
    attributable, and investments: what the per-project effects and paybacks are made of."""
    c = register
    lines = [
        ("P1", "400 t.kr.", "--year", "2019", "service", "estimated", None, None),
        ("P1", "250 t.kr.", "--from-year", "2020", "service", "documented", "300 t.kr.", "80"),
        ("P1", "120 t.kr.", "--from-year", "2020", "indsats", "budgeted", None, None),
        ("P1", "90 t.kr.", "--year", "2021", "overforsler", "documented", "95 t.kr.", "50"),
        ("P1", "75 t.kr.", "--from-year", "2018", "service", "estimated", None, None),
        ("P2", "1,5 mio.", "--from-year", "2021", "anlaeg", "estimated", None, None),
        ("P2", "333 t.kr.", "--year", "2019", "service", "budgeted", "310 t.kr.", "33"),
        ("P2", "333 t.kr.", "--year", "2019", "service", "documented", None, None),
    ]
    for project, amount, when, year, area, stage, realised, share in lines:
        args = ["saving", "add", "--project", project, "--amount", amount, when, year]
        args += ["--area", area, "--stage", stage, "--date", "2019-01-01", "--price-level", "2018"]
        if realised:
            args += ["--realised", realised]
        if share:
            args += ["--attribution", share, "--note", "Delvist henførbart"]
        c(*args)
    for project, amount, year, area in [
        ("P1", "600 t.kr.", "2019", "service"),
        ("P1", "200 t.kr.", "2020", "indsats"),
        ("P2", "2 mio.", "2019", "service"),
    ]:
        c("investment", "add", "--project", project, "--amount", amount, "--year", year,
          "--area", area, "--date", "2019-01-01", "--price-level", "2018")  # fmt: skip
    return c


def test_project_effects_read_as_registered_match_the_converted_reading(economy: Cli) -> None:
    """Figures read as registered are summed per project and start year; converted ones per
    finer group. With an index of 100 for every year the conversion changes nothing, so both
    readings must give the same per-project years, paybacks and follow-up."""
    as_registered = _savings(economy)
    for year in range(2015, 2031):
        economy("index", "set", str(year), "100")
    converted = _savings(economy, "--price-level", "2019")
    assert as_registered["price_level"] == 2018 and converted["price_level"] == 2019
    assert len(as_registered["projects"]) == 2
    assert as_registered["projects"] == converted["projects"]
    assert as_registered["totals"] == converted["totals"]
    p1 = as_registered["projects"][0]
    assert p1["code"] == "P1" and p1["payback_total_years"] is not None
    assert any(y["effect_service"] != y["effect_total"] for y in p1["years"])


def test_saving_flows_read_a_covering_index(economy: Cli) -> None:
    """The per-project sum reads a covering index (saving_version_project), never the table."""
    from portefolje.reports import figures
    from portefolje.store import economics

    conn = sqlite3.connect(economy.db)
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    rows = economics.project_saving_flows(conn, None, "2019-06-05", [1, 2])
    conn.set_trace_callback(None)
    assert {r[0] for r in rows} == {1, 2}
    plan = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + seen[-1]))
    assert "COVERING INDEX saving_version_project (project_id=?)" in plan, plan
    scope = figures.Scope(conn, None, [2019], "2019-06-05")
    assert scope.price_level is None
    conn.close()


def test_committee_calendar_runs_the_same_statements_at_s_and_m(
    s_and_m: dict[str, Path],
) -> None:
    """`report deliverables` (the ics calendar's model) reads S (50 projects) and M (500) with
    the same number of SQL statements: no query per case or committee."""
    from portefolje.reports import deliverables
    from portefolje.reports.output import render

    def build(conn: sqlite3.Connection) -> None:
        report = deliverables.build(
            conn,
            portfolio=None,
            committee=None,
            date_from=date(2020, 6, 1),
            date_to=date(2021, 6, 1),
            lang="da",
            as_of=date(2021, 6, 1),
        )
        assert report.data["committees"]
        render(report, "ics")

    counts = [statements(s_and_m[scale], build) for scale in ("S", "M")]
    assert counts[0] == counts[1], f"{counts[0]} statements at S, {counts[1]} at M"
    assert 0 < counts[0] < 40


@pytest.fixture
def committees(cli: Cli) -> Cli:
    """Cases whose text needs escaping and folding: commas, semicolons, backslashes, long
    Danish titles, a prior handling, a postponement and a delivery."""
    c = cli
    c("portfolio", "add", "Fælles om målet", "--code", "FOM")
    c("committee", "add", "Økonomiudvalget", "--code", "ØU")
    c("committee", "add", "Børn- og Ungeudvalget; familieafsnittet, m.fl.", "--code", "BUU")
    c("segment", "add", "Udsatte familier", "--portfolio", "FOM")
    c("project", "add", "Familien i centrum", "--segment", "S1", "--start", "jan 2019")
    titles = [
        "Evaluering, kommissorium; og en sti C:\\mapper\\notat",
        "Første plan for opgaveløsningen på tværs af afdelingerne – med økonomi og ændrede "
        "målgrupper for de næste fire år (æøå ÆØÅ → ✓)",
        "Kort",
    ]
    for n, title in enumerate(titles, start=1):
        args = ["deliverable", "add", title, "--committee", "ØU", "--meeting", f"2019-0{n + 1}-20"]
        args += ["--kind", "drøftelse", "--project", "P1", "--prior", f"BUU:2019-0{n + 1}-12"]
        c(*args)
    c("deliverable", "postpone", "LV2", "--meeting", "2019-05-22", "--reason", "Afventer; data",
      "--date", "2019-03-01")  # fmt: skip
    c("deliverable", "deliver", "LV3", "--date", "2019-04-20")
    c("milestone", "add", "Analyse, fase 1; færdig", "--project", "P1", "--due", "2019-03-31")
    return c


@pytest.mark.parametrize(
    "args",
    [
        ["report", "deliverables", "--from", "2019-01-01", "--to", "2019-12-31", "-f", "ics"],
        ["milestone", "list", "-f", "ics"],
    ],
)
def test_calendar_bytes_are_what_icalendar_writes(committees: Cli, args: list[str]) -> None:
    """The events are written without icalendar's objects, so icalendar itself is the judge:
    reading the file and writing it again gives the same bytes (property order, escaping of
    , ; \\ and line breaks, folding at 75 octets inside multi-byte characters)."""
    data = committees(*args).stdout_bytes
    cal = Calendar.from_ical(data)
    assert len(cal.walk("VEVENT")) >= (6 if args[0] == "report" else 1)
    assert cal.to_ical() == data
    assert b"\r\n " in data  # something was long enough to fold
    assert b"\\;" in data and b"\\," in data


def test_simple_table_is_tabulates_simple_table() -> None:
    """report text tables skip tabulate's type detection; their layout must stay its own."""
    import tabulate

    from portefolje.reports.text import simple_table

    alphabet = ["a", "B", "æ", "Ø", " ", "-", "1", ",", "–", "·", "\u00a0", "\t", "|", "kr."]
    rng = random.Random(17)

    def text() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))

    for _ in range(2000):
        columns = rng.randint(1, 5)
        headers = [text() for _ in range(columns)]
        body = [[text() for _ in range(columns)] for _ in range(rng.randint(1, 6))]
        expected = tabulate.tabulate(body, headers, tablefmt="simple", disable_numparse=True)
        assert simple_table(body, headers) == expected, (headers, body)
