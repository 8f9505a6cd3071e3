"""deliverable: add, list, show, deliver, postpone — cases for committee meetings."""

from __future__ import annotations

from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import state
from portefolje.cli.options import Code, DateOpt, Json, Ref, effective_date
from portefolje.cli.output import emit_change, emit_json, emit_record, emit_table
from portefolje.domain import rules
from portefolje.domain.dates import parse_date

app = sub_app("Deliverables (leverancer) to committee meetings, with prior handling.")

COLUMNS = [
    ("code", "Code"),
    ("meeting_date", "Meeting"),
    ("committee", "Committee"),
    ("title", "Title"),
    ("kind", "Kind"),
    ("status", "Status"),
    ("prior_text", "Prior handling"),
    ("projects", "Projects"),
]


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What goes to the committee.")],
    committee: Annotated[str, typer.Option("--committee", help="Committee (id, code or name).")],
    meeting: Annotated[str, typer.Option("--meeting", help="Meeting date.")],
    project: Annotated[
        list[str] | None, typer.Option("--project", help="Project it concerns (repeatable).")
    ] = None,
    kind: Annotated[str | None, typer.Option(help="orientering | drøftelse | beslutning")] = None,
    prior: Annotated[
        list[str] | None,
        typer.Option("--prior", help="Prior handling COMMITTEE:DATE[:KIND] (repeatable)."),
    ] = None,
    portfolio: Annotated[
        str | None, typer.Option(help="Portfolio it belongs to, when no project is linked.")
    ] = None,
    code: Code = None,
    description: Annotated[str | None, typer.Option(help="What the case contains.")] = None,
    as_json: Json = False,
) -> None:
    """Add a deliverable to a committee meeting, with its prior handling in other committees.

    \b
    Example:
      portefolje deliverable add "Bud på konkrete projekter med provenu" --committee ØU --meeting 3/4/2019 --kind drøftelse --prior BUU:2019-03-26 --portfolio SBF
    """
    from portefolje.store import deliverables

    priors = [rules.parse_prior(p) for p in prior or []]
    with state(ctx).writer() as w:
        record = deliverables.add(
            w,
            title,
            committee=committee,
            meeting=parse_date(meeting).isoformat(),
            kind=rules.deliverable_kind(kind),
            projects=project or [],
            priors=priors,
            portfolio=portfolio,
            code=code,
            description=description,
        )
    emit_change(
        record,
        as_json,
        f"added deliverable {record['code']} (id {record['id']}) for "
        f"{record['committee']} on {record['meeting_date']}",
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    committee: Annotated[str | None, typer.Option(help="Only this committee.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Meetings on or after.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Meetings on or before.")] = None,
    status: Annotated[str | None, typer.Option(help="planned | delivered | postponed")] = None,
    as_json: Json = False,
) -> None:
    """List deliverables by meeting date.

    \b
    Example:
      portefolje deliverable list --committee ØU --from "jan 2019" --to "jun 2019"
    """
    from portefolje.store import deliverables

    rows = deliverables.deliverables(
        state(ctx).conn(),
        committee=committee,
        portfolio=portfolio,
        date_from=parse_date(date_from).isoformat() if date_from else None,
        date_to=parse_date(date_to, end=True).isoformat() if date_to else None,
        status=rules.choice(status, ("planned", "delivered", "postponed"), "status"),
    )
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        r["prior_text"] = ", ".join(f"{p['committee']} {p['meeting_date']}" for p in r["prior"])
    emit_table(rows, COLUMNS)


@app.command("show")
def show(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Show one deliverable with prior handling and postponements.

    \b
    Example:
      portefolje deliverable show LV3
    """
    from portefolje.store import deliverables

    found = deliverables.record(state(ctx).conn(), ref)
    emit_json(found) if as_json else emit_record(found)


@app.command("deliver")
def deliver(ctx: typer.Context, ref: Ref, date: DateOpt = None, as_json: Json = False) -> None:
    """Mark a deliverable as delivered.

    \b
    Example:
      portefolje deliverable deliver LV1 --date 16/1/2019
    """
    from portefolje.store import deliverables

    on = effective_date(date)
    with state(ctx).writer() as w:
        record = deliverables.deliver(w, ref, on=on)
    emit_change(record, as_json, f"deliverable {record['code']} delivered on {on}")


@app.command("postpone")
def postpone(
    ctx: typer.Context,
    ref: Ref,
    meeting: Annotated[str, typer.Option("--meeting", help="The new meeting date.")],
    reason: Annotated[str | None, typer.Option(help="Why (required).")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="When it was decided (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Postpone a deliverable to a new meeting; the original date and the reason are kept.

    \b
    Example:
      portefolje deliverable postpone LV4 --meeting 19/6/2019 --reason "Projekterne er ikke besluttet i BUU"
    """
    from portefolje.store import deliverables

    on = effective_date(date)
    with state(ctx).writer() as w:
        record = deliverables.postpone(
            w, ref, meeting=parse_date(meeting).isoformat(), reason=reason, on=on
        )
    emit_change(
        record,
        as_json,
        f"deliverable {record['code']} postponed to {record['meeting_date']} "
        f"(originally {record['original_meeting_date']})",
    )
