"""The HTML reports as printed: a title and running header naming the report, portfolio and
date, page numbers, headings kept with their tables, one column layout for the segment tables,
Danish month labels. (The pages themselves are checked by eye with scripts/print_report.sh.)"""

from __future__ import annotations

import re

import pytest

from conftest import Cli

AS_OF = "2019-06-05"


@pytest.fixture
def fom(register: Cli) -> Cli:
    c = register
    c("committee", "add", "Økonomiudvalget", "--code", "ØU")
    c("milestone", "add", "Analyse færdig", "--project", "P1", "--due", "ultimo juni 2019")
    c("milestone", "add", "Evaluering", "--project", "P2", "--due", "2019-07-15")
    c("deliverable", "add", "Status", "--committee", "ØU", "--meeting", "2019-06-19")
    c("project", "edit", "P2", "--leader", "Projektleder med en meget lang titel i forvaltningen")
    return c


def html(cli: Cli, *args: str) -> str:
    return cli("report", *args, "--as-of", AS_OF, "--format", "html").stdout


def test_title_and_running_header_name_report_portfolio_and_date(fom: Cli) -> None:
    page = html(fom, "status", "--portfolio", "FOM")
    title = "Statusrapport til Direktørforum – Fælles om målet – 5. juni 2019"
    assert f"<title>{title}</title>" in page
    at_page = re.search(r"@page \{.*?\n  \}", page, re.S)
    assert at_page, "an @page rule with margin boxes"
    rule = at_page.group(0)
    assert '@bottom-right { content: "Side " counter(page) " af " counter(pages)' in rule
    assert f'@top-left {{ content: "{title}"' in rule
    english = html(fom, "status", "--portfolio", "FOM", "--lang", "en")
    assert '"Page " counter(page) " of " counter(pages)' in english
    assert "<title>Status report for the directors&#39; forum – Fælles om målet" in english


def test_portfolio_name_cannot_break_out_of_the_style_sheet(cli: Cli) -> None:
    hostile = 'X"; } </style><script>alert(1)</script> \\'
    cli("portfolio", "add", hostile, "--code", "HX")
    page = html(cli, "status", "--portfolio", "HX")
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in style.split("@page", 1)[1].split("@page :first")[0]
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_headings_stay_with_their_tables_and_segments_share_columns(fom: Cli) -> None:
    page = html(fom, "status", "--portfolio", "FOM")
    assert "h1, h2, h3, figcaption { break-after: avoid; }" in page
    assert "thead { display: table-header-group; }" in page
    # each segment heading opens a group that does not break inside
    groups = re.findall(r'<div class="(keep|flow)">\s*(?:<h2>[^<]*</h2>\s*)?<h3>', page)
    assert len(groups) >= 2 and set(groups) == {"keep"}
    projects = page.split('<section id="projects">', 1)[1].split("</section>", 1)[0]
    colgroups = re.findall(r"<colgroup>(.*?)</colgroup>", projects)
    segment_tables = [c for c in colgroups if c.count("<col ") == 8]
    assert len(segment_tables) == 2 and len(set(segment_tables)) == 1, colgroups
    widths = [float(w) for w in re.findall(r"width: ([\d.]+)%", segment_tables[0])]
    assert abs(sum(widths) - 100) < 1 and min(widths) >= 4
    assert "table-layout: fixed" in page


def test_timeline_months_are_danish(fom: Cli) -> None:
    page = html(fom, "status", "--portfolio", "FOM")
    timeline = page.split("Milepæle og udvalgsmøder", 1)[1]
    ticks = re.findall(r'<text x="[\d.]+" y="8" text-anchor="middle">([^<]*)</text>', timeline)
    assert ticks[:2] == ["jun. 2019", "jul."], ticks
    assert not any(re.fullmatch(r"\d+/\d+", t) for t in ticks)
    english = html(fom, "status", "--portfolio", "FOM", "--lang", "en")
    assert re.search(r'text-anchor="middle">Jun 2019</text>', english)


def test_every_html_report_names_itself_in_the_title(fom: Cli) -> None:
    savings = html(fom, "savings", "--portfolio", "FOM")
    assert (
        "<title>Økonomi: sparemål, provenu og tilbagebetaling – Fælles om målet – 2019–2022"
        in savings
    )
    sheet = html(fom, "project", "P1")
    assert "<title>Projektbeskrivelse: Rusmidler og job – P1 – 5. juni 2019</title>" in sheet
