"""report: the directors' forum status report, the savings view, the committee calendar and the
project sheet. Each is built once into a report model and rendered in the format asked for."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from portefolje.cli import consolidated
from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.domain.dates import add_months, parse_date, today
from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg
from portefolje.reports.formats import REPORT_FORMATS

app = sub_app("Reports: status (Direktørforum), savings, deliverables, project sheet.")

Portfolio = Annotated[str | None, typer.Option(help="One portfolio (default: all).")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="Report date (default today).")]
# the formats each report accepts: its --help lists exactly these, and _check refuses the rest
STATUS_FORMATS = REPORT_FORMATS["status"]
SAVINGS_FORMATS = REPORT_FORMATS["savings"]
DELIVERABLES_FORMATS = REPORT_FORMATS["deliverables"]
PROJECT_FORMATS = REPORT_FORMATS["project"]

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
Publish = Annotated[
    bool,
    typer.Option(
        "--publish",
        help="Store it as the report that was sent (`report archive`); without it, a preview.",
    ),
]


def _check(fmt: str, lang: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise InvalidValue(msg("err.unknown_report_format", format=fmt, choices=", ".join(allowed)))
    if lang not in ("da", "en"):
        raise InvalidValue(msg("err.language", value=lang))


def emit(
    data: bytes, *, out: Path | None, as_of: date, portfolio: str | None, fmt: str, quiet: bool
) -> None:
    """stdout (no --out, or "-"), or a file written atomically (see reports.output.deliver)."""
    from portefolje.cli.output import quiet_pipe
    from portefolje.reports.output import deliver

    with quiet_pipe():
        path = deliver(data, out=out, as_of=as_of, portfolio=portfolio, fmt=fmt)
    if path is not None and not quiet:
        info(msg("msg.wrote", path=path))


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
    publish: Publish = False,
    quiet: Quiet = False,
) -> None:
    """The committee calendar for a period, per committee, with each case's prior handling,
    as it stood on --as-of.

    \b
    Example:
      portefolje report deliverables --portfolio SBF --from "jan 2019" --to "jun 2019" --format md
      portefolje report deliverables --format ics --out udvalg.ics    (for Outlook)
    """
    from portefolje.reports import deliverables as report

    _check(fmt, lang, DELIVERABLES_FORMATS)
    day = parse_date(as_of) if as_of else today()
    start = parse_date(date_from) if date_from else day.replace(day=1)
    end = parse_date(date_to, end=True) if date_to else add_months(start, 6)
    if end < start:
        raise InvalidValue(msg("err.to_before_from", end=end, start=start))

    def make(conn: Any) -> Any:
        return report.build(
            conn,
            portfolio=portfolio,
            committee=committee,
            date_from=start,
            date_to=end,
            lang=lang,
            as_of=day,
        )

    _deliver(
        ctx,
        "deliverables",
        make,
        fmt=fmt,
        out=out,
        as_of=day,
        portfolio=portfolio,
        subject=committee,
        publish=publish,
        quiet=quiet,
    )


@app.command("project")
def project(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="CODE", help="The project (id, code or title).")],
    as_of: AsOf = None,
    fmt: ProjectFormat = "md",
    out: Out = None,
    lang: Lang = "da",
    publish: Publish = False,
    quiet: Quiet = False,
) -> None:
    """The printable project sheet (projektbeskrivelse) with the fields of the Slagelse template,
    as the project stood on --as-of.

    \b
    Example:
      portefolje report project FOM2 --format html --out FOM2.html
    """
    from portefolje.reports import project_sheet
    from portefolje.store.registry import resolve

    _check(fmt, lang, PROJECT_FORMATS)
    day = parse_date(as_of) if as_of else today()
    code = resolve(state(ctx).conn(), "project", ref)["code"]

    def make(conn: Any) -> Any:
        return project_sheet.build(conn, ref, as_of=day, lang=lang)

    _deliver(
        ctx,
        "project",
        make,
        fmt=fmt,
        out=out,
        as_of=day,
        portfolio=None,
        subject=code,
        publish=publish,
        quiet=quiet,
    )


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
    all_projects: Annotated[
        bool,
        typer.Option(
            "--all-projects",
            help="List every project in the per-project tables (by default a large selection "
            "lists those with the most money at stake and counts the rest).",
        ),
    ] = False,
    as_of: AsOf = None,
    fmt: SavingsFormat = "text",
    out: Out = None,
    lang: Lang = "da",
    publish: Publish = False,
    quiet: Quiet = False,
) -> None:
    """Targets, savings and gaps per year, department and budget area; payback per project;
    as the figures stood on --as-of.

    Beyond 200 projects with economy, the per-project tables list the 200 with the most money
    at stake (granted investment in the period, then the effect) and count the rest;
    --all-projects lists every one. The sums per year, department and area count every line.

    \b
    Example:
      portefolje report savings --portfolio FOM --from-year 2017 --price-level 2019 --format md
      portefolje report savings --all-projects -f xlsx --out besparelser.xlsx
    """
    from portefolje.domain.dates import parse_year
    from portefolje.reports import savings as report

    _check(fmt, lang, SAVINGS_FORMATS)
    day = parse_date(as_of) if as_of else today()
    first = parse_year(from_year) if from_year else day.year

    def make(conn: Any) -> Any:
        return report.build(
            conn,
            portfolio=portfolio,
            from_year=first,
            years=years,
            price_level=parse_year(price_level) if price_level else None,
            horizon=horizon,
            lang=lang,
            as_of=day,
            all_projects=all_projects,
        )

    _deliver(
        ctx,
        "savings",
        make,
        fmt=fmt,
        out=out,
        as_of=day,
        portfolio=portfolio,
        subject=None,
        publish=publish,
        quiet=quiet,
    )


@app.command("status")
def status(
    ctx: typer.Context,
    portfolio: Portfolio = None,
    as_of: AsOf = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Changes since (default: the last published report's as-of date, else 30 days).",
        ),
    ] = None,
    price_level: Annotated[
        str | None,
        typer.Option("--price-level", help="Show every amount in this year's price level."),
    ] = None,
    fmt: Format = "text",
    out: Out = None,
    lang: Lang = "da",
    publish: Publish = False,
    quiet: Quiet = False,
) -> None:
    """The status report for the directors' forum (Direktørforum), as the portfolio stood on
    --as-of: later events are invisible to it.

    Overview with the savings picture and an overall assessment; the trend over published
    reports; segments and projects with health, solutions, next and overdue milestones; effect
    indicators; the committee calendar for the coming eight weeks, postponed deliverables and
    meetings passed without a delivery; what changed since the last published report; paused and
    closed projects with reasons. Without --publish it is a preview and leaves no trace; with
    --publish it is stored as the report that was sent (`report archive`). The same database
    and --as-of give byte-identical output.

    \b
    Example:
      portefolje report status --portfolio FOM --as-of 2019-06-05 --format html --out "rapporter/{portfolio}/{date}.html" --publish
    """
    from portefolje.domain.dates import parse_year
    from portefolje.reports import status as report

    _check(fmt, lang, STATUS_FORMATS)
    day = parse_date(as_of) if as_of else today()
    start = parse_date(since) if since else None
    if start is not None and start > day:
        raise InvalidValue(msg("err.since_after_as_of", start=start, day=day))
    level = parse_year(price_level) if price_level else None

    def make(conn: Any) -> Any:
        return report.build(
            conn, portfolio=portfolio, as_of=day, since=start, lang=lang, price_level=level
        )

    _deliver(
        ctx,
        "status",
        make,
        fmt=fmt,
        out=out,
        as_of=day,
        portfolio=portfolio,
        subject=None,
        publish=publish,
        quiet=quiet,
    )


def _deliver(
    ctx: typer.Context,
    kind: str,
    make: Any,
    *,
    fmt: str,
    out: Path | None,
    as_of: date,
    portfolio: str | None,
    subject: str | None,
    publish: bool,
    quiet: bool,
) -> None:
    """Build and write a report; with --publish, store it with every rendered file as the
    report that was sent (built outside the write lock: `published.publish_current`)."""
    from portefolje.reports.output import render

    st = state(ctx)
    if not publish:
        built = make(st.conn())
        emit(
            render(built, fmt),
            out=out,
            as_of=as_of,
            portfolio=built.data.get("portfolio"),
            fmt=fmt,
            quiet=quiet,
        )
        return
    from portefolje.reports.output import render_all
    from portefolje.store import published
    from portefolje.store.registry import resolve

    def draft(conn: Any) -> published.Draft:
        built = make(conn)
        return published.Draft(
            portfolio_id=resolve(conn, "portfolio", portfolio)["id"] if portfolio else None,
            since=built.data.get("since"),
            lang=built.lang,
            model=built.data,
            files=render_all(built),
        )

    sent, record, new = published.publish_current(
        st.writer, draft, report=kind, subject=subject, as_of=as_of.isoformat()
    )
    emit(
        sent.files[fmt],
        out=out,
        as_of=as_of,
        portfolio=sent.model.get("portfolio"),
        fmt=fmt,
        quiet=quiet,
    )
    if not quiet:
        info(
            msg("msg.published", code=record["code"])
            if new
            else msg("msg.already_published", code=record["code"])
        )


# `report consolidated` lives in its own module: it reads other files than --db
app.command("consolidated")(consolidated.consolidated)

archive = sub_app("Published reports: what was sent, reprinted byte for byte.")
app.add_typer(archive, name="archive")


@archive.command("list")
def archive_list(
    ctx: typer.Context,
    report_kind: Annotated[
        str | None, typer.Option("--report", help="status | savings | deliverables | project")
    ] = None,
    portfolio: Portfolio = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    archive_file: consolidated.Archive = None,
) -> None:
    """List the published reports: when, by whom, as of which day, with the journal's head.
    With --archive FILE: the consolidated reports stored in that archive.

    \b
    Example:
      portefolje report archive list --report status --portfolio FOM
    """
    if archive_file is not None:
        consolidated.archive_list(archive_file, as_json)
        return
    from portefolje.cli.output import emit_json, emit_table, words
    from portefolje.store import published
    from portefolje.store.registry import resolve

    conn = state(ctx).conn()
    pf_id = resolve(conn, "portfolio", portfolio)["id"] if portfolio else None
    rows = published.archive(conn, report=report_kind, portfolio_id=pf_id)
    if as_json:
        emit_json(rows)
        return
    from portefolje.domain.dates import local_time

    for r in rows:
        r["made"] = local_time(r["made_at"])[:16]
        r["head"] = f"{r['journal_rows']}:{r['journal_head'][:12]}"
    emit_table(
        rows,
        [
            ("code", "col.code"),
            ("report", "col.report", words("report")),
            ("portfolio", "col.portfolio"),
            ("subject", "col.subject"),
            ("as_of", "col.as_of"),
            ("since", "col.since"),
            ("made", "col.made"),
            ("made_by", "col.by"),
            ("head", "col.journal_head"),
        ],
    )


@archive.command("show")
def archive_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help="The published report (id or code).")],
    fmt: Format = "md",
    out: Out = None,
    quiet: Quiet = False,
    archive_file: consolidated.Archive = None,
) -> None:
    """Reprint a published report exactly as it was sent, whatever has changed since.
    With --archive FILE: a consolidated report from that archive.

    \b
    Example:
      portefolje report archive show R3 --format html --out sendt.html
    """
    if archive_file is not None:
        consolidated.archive_show(archive_file, ref, fmt, out, quiet)
        return
    from portefolje.store import published

    conn = state(ctx).conn()
    record = published.archived(conn, ref)
    data = published.file(conn, ref, fmt)
    emit(
        data,
        out=out,
        as_of=date.fromisoformat(record["as_of"]),
        portfolio=record["portfolio"],
        fmt=fmt,
        quiet=quiet,
    )
