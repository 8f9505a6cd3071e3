"""report: the directors' forum status report, the savings view, the committee calendar and the
project sheet. Each is built once into a report model and rendered in the format asked for."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.domain.dates import add_months, parse_date, today
from portefolje.domain.errors import InvalidValue

app = sub_app("Reports: status (Direktørforum), savings, deliverables, project sheet.")

Portfolio = Annotated[str | None, typer.Option(help="One portfolio (default: all).")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="Report date (default today).")]
# the formats each report accepts: its --help lists exactly these, and _check refuses the rest
STATUS_FORMATS = ("text", "md", "html", "json", "csv", "xlsx")
SAVINGS_FORMATS = ("text", "md", "html", "json", "csv", "xlsx")
DELIVERABLES_FORMATS = ("text", "md", "html", "json", "csv", "ics")
PROJECT_FORMATS = ("text", "md", "html", "json")

Format = Annotated[str, typer.Option("--format", "-f", help=" | ".join(STATUS_FORMATS))]
SavingsFormat = Annotated[str, typer.Option("--format", "-f", help=" | ".join(SAVINGS_FORMATS))]
DeliverablesFormat = Annotated[
    str, typer.Option("--format", "-f", help=" | ".join(DELIVERABLES_FORMATS))
]
ProjectFormat = Annotated[str, typer.Option("--format", "-f", help=" | ".join(PROJECT_FORMATS))]
Out = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", help="Write to this file; {date}, {portfolio}, {format} are filled in."
    ),
]
Lang = Annotated[str, typer.Option("--lang", help="da | en")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No message on success.")]


def _check(fmt: str, lang: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise InvalidValue(
            f"unknown format {fmt!r} for this report: choose one of {', '.join(allowed)}"
        )
    if lang not in ("da", "en"):
        raise InvalidValue(f"unknown language {lang!r}: choose da or en")


def emit(
    data: bytes, *, out: Path | None, as_of: date, portfolio: str | None, fmt: str, quiet: bool
) -> None:
    """stdout (no --out, or "-"), or a file written atomically (see reports.output.deliver)."""
    from portefolje.cli.output import quiet_pipe
    from portefolje.reports.output import deliver

    with quiet_pipe():
        path = deliver(data, out=out, as_of=as_of, portfolio=portfolio, fmt=fmt)
    if path is not None and not quiet:
        info(f"wrote {path}")


@app.command("deliverables")
def deliverables(
    ctx: typer.Context,
    portfolio: Portfolio = None,
    committee: Annotated[str | None, typer.Option(help="One committee (default: all).")] = None,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help="First meeting date (default: start of the as-of month)."),
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last meeting date (default: six months on).")
    ] = None,
    as_of: AsOf = None,
    fmt: DeliverablesFormat = "text",
    out: Out = None,
    lang: Lang = "da",
    quiet: Quiet = False,
) -> None:
    """The committee calendar for a period, per committee, with each case's prior handling.

    \b
    Example:
      portefolje report deliverables --portfolio SBF --from "jan 2019" --to "jun 2019" --format md
      portefolje report deliverables --format ics --out udvalg.ics    (for Outlook)
    """
    from portefolje.reports import deliverables as report
    from portefolje.reports.output import render

    _check(fmt, lang, DELIVERABLES_FORMATS)
    day = parse_date(as_of) if as_of else today()
    start = parse_date(date_from) if date_from else day.replace(day=1)
    end = parse_date(date_to, end=True) if date_to else add_months(start, 6)
    if end < start:
        raise InvalidValue(f"--to {end} is before --from {start}")
    built = report.build(
        state(ctx).conn(),
        portfolio=portfolio,
        committee=committee,
        date_from=start,
        date_to=end,
        lang=lang,
    )
    emit(render(built, fmt), out=out, as_of=day, portfolio=portfolio, fmt=fmt, quiet=quiet)


@app.command("project")
def project(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="CODE", help="The project (id, code or title).")],
    as_of: AsOf = None,
    fmt: ProjectFormat = "md",
    out: Out = None,
    lang: Lang = "da",
    quiet: Quiet = False,
) -> None:
    """The printable project sheet (projektbeskrivelse) with the fields of the Slagelse template.

    \b
    Example:
      portefolje report project FOM2 --format html --out FOM2.html
    """
    from portefolje.reports import project_sheet
    from portefolje.reports.output import render

    _check(fmt, lang, PROJECT_FORMATS)
    day = parse_date(as_of) if as_of else today()
    built = project_sheet.build(state(ctx).conn(), ref, as_of=day, lang=lang)
    emit(render(built, fmt), out=out, as_of=day, portfolio=None, fmt=fmt, quiet=quiet)


@app.command("savings")
def savings(
    ctx: typer.Context,
    portfolio: Portfolio = None,
    from_year: Annotated[
        str | None,
        typer.Option("--from-year", help="First year (default: the as-of year, the budget year)."),
    ] = None,
    years: Annotated[
        int,
        typer.Option(
            "--years", help="Number of years (budget year + 3 planning years).", min=1, max=30
        ),
    ] = 4,
    price_level: Annotated[
        str | None,
        typer.Option("--price-level", help="Convert every figure to this year's price level."),
    ] = None,
    horizon: Annotated[
        int, typer.Option("--horizon", help="Years within which payback is sought.", min=1, max=100)
    ] = 20,
    as_of: AsOf = None,
    fmt: SavingsFormat = "text",
    out: Out = None,
    lang: Lang = "da",
    quiet: Quiet = False,
) -> None:
    """Targets, savings and gaps per year, department and budget area; payback per project.

    \b
    Example:
      portefolje report savings --portfolio FOM --from-year 2017 --price-level 2019 --format md
    """
    from portefolje.domain.dates import parse_year
    from portefolje.reports import savings as report
    from portefolje.reports.output import render

    _check(fmt, lang, SAVINGS_FORMATS)
    day = parse_date(as_of) if as_of else today()
    first = parse_year(from_year) if from_year else day.year
    built = report.build(
        state(ctx).conn(),
        portfolio=portfolio,
        from_year=first,
        years=years,
        price_level=parse_year(price_level) if price_level else None,
        horizon=horizon,
        lang=lang,
    )
    emit(render(built, fmt), out=out, as_of=day, portfolio=portfolio, fmt=fmt, quiet=quiet)


@app.command("status")
def status(
    ctx: typer.Context,
    portfolio: Portfolio = None,
    as_of: AsOf = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Changes since (default: the previous report's as-of date, else 30 days back).",
        ),
    ] = None,
    fmt: Format = "text",
    out: Out = None,
    lang: Lang = "da",
    quiet: Quiet = False,
) -> None:
    """The status report for the directors' forum (Direktørforum).

    Overview with the savings picture and an overall assessment; segments and projects with
    health, solutions, next and overdue milestones; the committee calendar for the coming eight
    weeks; what changed since the previous report; paused and closed projects with reasons.
    The same database and --as-of give byte-identical output.

    \b
    Example:
      portefolje report status --portfolio FOM --as-of 2019-06-05 --format html --out "rapporter/{portfolio}/{date}.html"
    """
    from portefolje.reports import status as report
    from portefolje.reports.output import render

    _check(fmt, lang, STATUS_FORMATS)
    st = state(ctx)
    conn = st.conn()
    day = parse_date(as_of) if as_of else today()
    start = parse_date(since) if since else None
    if start is not None and start > day:
        raise InvalidValue(f"--since {start} is after --as-of {day}")
    built = report.build(conn, portfolio=portfolio, as_of=day, since=start, lang=lang)
    emit(
        render(built, fmt),
        out=out,
        as_of=day,
        portfolio=built.data["portfolio"],
        fmt=fmt,
        quiet=quiet,
    )
    from portefolje.store.registry import resolve

    pf_id = resolve(conn, "portfolio", portfolio)["id"] if portfolio else None
    report.remember(conn, st.writer, pf_id, day)
