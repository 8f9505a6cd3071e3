"""milestone: add, list, done, move — dated milestones of a project or a portfolio."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.cli.options import Code, DateOpt, Json, Ref, effective_date
from portefolje.cli.output import Column, emit_change, emit_json, emit_record, emit_table, words
from portefolje.domain.dates import parse_date, parse_deadline, parse_optional_date, today
from portefolje.i18n import count, msg

app = sub_app("Milestones (milepæle): due, met, or moved with a reason.")

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Judge overdue/upcoming as of this date (default today)."),
]
COLUMNS: list[Column] = [
    ("code", "col.code"),
    ("title", "col.title"),
    ("project", "col.project"),
    ("portfolio", "col.portfolio"),
    ("due_date", "col.due"),
    ("state", "col.state", words("milestone")),
    ("done_date", "col.met"),
    ("times_moved", "col.moved"),
    ("original_due_date", "col.originally_due"),
]
Reason = Annotated[str | None, typer.Option("--reason", help="Why (required).")]


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What is reached.")],
    due: Annotated[str, typer.Option("--due", help="Due date.")],
    project: Annotated[str | None, typer.Option(help="Project it belongs to.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Or the portfolio it belongs to.")] = None,
    code: Code = None,
    note: Annotated[str | None, typer.Option(help="Note.")] = None,
    as_json: Json = False,
) -> None:
    """Add a milestone to a project (or to a whole portfolio).

    \b
    Example:
      portefolje milestone add "Test af koordinerende sagsbehandler afsluttet" --project FOM2 --due 31/12/2019
    """
    from portefolje.store import milestones

    with state(ctx).writer() as w:
        record = milestones.add(
            w,
            title,
            due=parse_deadline(due).isoformat(),
            project=project,
            portfolio=portfolio,
            code=code,
            note=note,
        )
    emit_change(
        record,
        as_json,
        msg("msg.milestone_added", code=record["code"], id=record["id"], due=record["due_date"]),
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option(help="Only this project.")] = None,
    portfolio: Annotated[
        str | None, typer.Option(help="Only this portfolio (with its projects).")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those past due and not met.")
    ] = False,
    upcoming: Annotated[
        int | None,
        typer.Option("--upcoming", help="Only those due within DAYS.", metavar="DAYS", min=0),
    ] = None,
    as_of: AsOf = None,
    as_json: Json = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="text | json | ics (a calendar for Outlook, one event each)"
        ),
    ] = "text",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="With --format ics: write to this file (- for stdout)."),
    ] = None,
) -> None:
    """List milestones by due date as they stood on a date, with how often each has moved.

    \b
    Example:
      portefolje milestone list --overdue --as-of 2019-06-05
      portefolje milestone list --portfolio FOM --format ics --out milepaele.ics
    """
    from portefolje.domain.errors import InvalidValue
    from portefolje.store import milestones

    if fmt not in ("text", "json", "ics"):
        raise InvalidValue(msg("err.unknown_format", format=fmt, choices="text, json, ics"))
    if out is not None and fmt != "ics":
        raise InvalidValue(msg("err.out_needs_ics"))
    day = parse_date(as_of) if as_of else today()
    rows = milestones.milestones(
        state(ctx).conn(),
        project=project,
        portfolio=portfolio,
        as_of=day,
        overdue=overdue,
        upcoming=upcoming,
    )
    if fmt == "ics":
        from portefolje.reports.ics import milestones_ics
        from portefolje.reports.output import deliver

        path = deliver(milestones_ics(rows), out=out, as_of=day, portfolio=portfolio, fmt="ics")
        if path is not None:
            info(msg("msg.wrote", path=path))
        return
    emit_json(rows) if as_json or fmt == "json" else emit_table(rows, COLUMNS)


@app.command("show")
def show(ctx: typer.Context, ref: Ref, as_of: AsOf = None, as_json: Json = False) -> None:
    """Show one milestone with every move and every change of state.

    \b
    Example:
      portefolje milestone show M3
    """
    from portefolje.store import milestones

    found = milestones.record(state(ctx).conn(), ref, as_of=parse_optional_date(as_of))
    emit_json(found) if as_json else emit_record(found)


@app.command("done")
def done(ctx: typer.Context, ref: Ref, date: DateOpt = None, as_json: Json = False) -> None:
    """Mark a milestone as met.

    \b
    Example:
      portefolje milestone done M3 --date 2019-05-29
    """
    from portefolje.store import milestones

    on = effective_date(date)
    with state(ctx).writer() as w:
        record = milestones.done(w, ref, on=on)
    emit_change(record, as_json, msg("msg.milestone_met", code=record["code"], date=on))


@app.command("move")
def move(
    ctx: typer.Context,
    ref: Ref,
    due: Annotated[str, typer.Option("--due", help="The new due date.")],
    reason: Annotated[str | None, typer.Option(help="Why it moves (required).")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="When it was decided (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Move a milestone to a new due date; the earlier date and the reason are kept.

    \b
    Example:
      portefolje milestone move M3 --due "31/3 2020" --reason "Testen forlænget"
    """
    from portefolje.store import milestones

    on = effective_date(date)
    with state(ctx).writer() as w:
        record = milestones.move(w, ref, due=parse_deadline(due).isoformat(), reason=reason, on=on)
    emit_change(
        record,
        as_json,
        msg(
            "msg.milestone_moved",
            code=record["code"],
            due=record["due_date"],
            times=count(record["times_moved"], "time"),
        ),
    )


@app.command("undone")
def undone(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: DateOpt = None, as_json: Json = False
) -> None:
    """Take back 'met' (registered by mistake, or the work turned out unfinished); the earlier
    'met' stays in the milestone's history.

    \b
    Example:
      portefolje milestone undone M3 --reason "Registreret ved en fejl"
    """
    from portefolje.store import milestones

    with state(ctx).writer() as w:
        record = milestones.undone(w, ref, on=effective_date(date), reason=reason)
    emit_change(record, as_json, msg("msg.milestone_open", code=record["code"]))


@app.command("cancel")
def cancel(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: DateOpt = None, as_json: Json = False
) -> None:
    """Cancel a milestone that will not happen: it is kept, shown as cancelled, never overdue.

    \b
    Example:
      portefolje milestone cancel M4 --reason "Projektet er sat på pause"
    """
    from portefolje.store import milestones

    with state(ctx).writer() as w:
        record = milestones.cancel(w, ref, on=effective_date(date), reason=reason)
    emit_change(record, as_json, msg("msg.milestone_cancelled", code=record["code"]))


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: Ref,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    note: Annotated[str | None, typer.Option(help="New note ('' clears it).")] = None,
    as_json: Json = False,
) -> None:
    """Change a milestone's title, code or note (its date changes with `milestone move`).

    \b
    Example:
      portefolje milestone edit M3 --title "Test af koordinerende sagsbehandler evalueret"
    """
    from portefolje.store import milestones

    with state(ctx).writer() as w:
        record = milestones.edit(w, ref, {"title": title, "code": code, "note": note})
    emit_change(
        record, as_json, msg("msg.updated", kind=msg("kind.milestone"), code=record["code"])
    )


@app.command("remove")
def remove(ctx: typer.Context, ref: Ref, reason: Reason = None, as_json: Json = False) -> None:
    """Remove a milestone registered by mistake, with its moves and changes of state (the journal
    keeps them). A milestone that will not happen is cancelled instead.

    \b
    Example:
      portefolje milestone remove M9 --reason "Oprettet to gange"
    """
    from portefolje.domain.rules import require_text
    from portefolje.store import milestones
    from portefolje.store.register import remove as remove_record

    require_text(reason, "what.reason_remove_milestone")
    with state(ctx).writer() as w:
        record = milestones.record(w.conn, ref)
        remove_record(w, "milestone", ref)
    emit_change(
        record, as_json, msg("msg.removed", kind=msg("kind.milestone"), code=record["code"])
    )
