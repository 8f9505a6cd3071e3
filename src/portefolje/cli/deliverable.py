"""deliverable: add, list, show, deliver, postpone — cases for committee meetings."""

from __future__ import annotations

from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import state
from portefolje.cli.options import Code, DateOpt, Json, Ref, effective_date
from portefolje.cli.output import emit_change, emit_json, emit_record, emit_table
from portefolje.domain import rules
from portefolje.domain.dates import parse_date, parse_day, parse_optional_date
from portefolje.i18n import msg

app = sub_app("Deliverables (leverancer) to committee meetings, with prior handling.")

COLUMNS = [
    ("code", "col.code"),
    ("meeting_date", "col.meeting"),
    ("committee", "col.committee"),
    ("title", "col.title"),
    ("kind", "col.kind"),
    ("status", "col.status"),
    ("prior_text", "col.prior"),
    ("projects", "col.projects"),
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
            meeting=parse_day(meeting).isoformat(),
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
        msg(
            "msg.deliverable_added",
            code=record["code"],
            id=record["id"],
            committee=record["committee"],
            date=record["meeting_date"],
        ),
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    committee: Annotated[str | None, typer.Option(help="Only this committee.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Meetings on or after.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Meetings on or before.")] = None,
    status: Annotated[
        str | None, typer.Option(help="planned | delivered | postponed | cancelled")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="As they stood on this date (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """List deliverables by meeting date, as they stood on a date.

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
        status=rules.choice(
            status, ("planned", "delivered", "postponed", "cancelled"), "what.status"
        ),
        as_of=parse_optional_date(as_of),
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
    emit_change(record, as_json, msg("msg.delivered", code=record["code"], date=on))


Prior = Annotated[
    list[str] | None,
    typer.Option(
        "--prior",
        help="The prior handling from now on, COMMITTEE:DATE[:KIND] (repeatable; 'none' clears).",
    ),
]
Reason = Annotated[str | None, typer.Option("--reason", help="Why (required).")]
Decided = Annotated[str | None, typer.Option("--date", help="When it was decided (default today).")]


def _priors(prior: list[str] | None) -> list[tuple[str, str, str | None]] | None:
    """--prior given again: the new prior handling ('none' = no prior handling)."""
    if prior is None:
        return None
    if [p.strip().lower() for p in prior] == ["none"]:
        return []
    return [rules.parse_prior(p) for p in prior]


def _reschedule(
    ctx: typer.Context,
    ref: str,
    meeting: str,
    reason: str | None,
    date: str | None,
    prior: list[str] | None,
    kind: str,
    as_json: bool,
) -> None:
    from portefolje.store import deliverables

    with state(ctx).writer() as w:
        record = deliverables.reschedule(
            w,
            ref,
            meeting=parse_day(meeting).isoformat(),
            reason=reason,
            on=effective_date(date),
            kind=kind,
            priors=_priors(prior),
        )
    emit_change(
        record,
        as_json,
        msg(
            "msg.postponed" if kind == "postponed" else "msg.advanced",
            code=record["code"],
            date=record["meeting_date"],
            original=record["original_meeting_date"],
        ),
    )


@app.command("postpone")
def postpone(
    ctx: typer.Context,
    ref: Ref,
    meeting: Annotated[str, typer.Option("--meeting", help="The new, later meeting date.")],
    reason: Reason = None,
    date: Decided = None,
    prior: Prior = None,
    as_json: Json = False,
) -> None:
    """Postpone a deliverable to a later meeting (udsættelse); the original date and the reason
    are kept. Give the prior handling again with --prior when it moves too.

    \b
    Example:
      portefolje deliverable postpone LV4 --meeting 19/6/2019 --prior BUU:11/6/2019 --reason "Projekterne er ikke besluttet i BUU"
    """
    _reschedule(ctx, ref, meeting, reason, date, prior, "postponed", as_json)


@app.command("advance")
def advance(
    ctx: typer.Context,
    ref: Ref,
    meeting: Annotated[str, typer.Option("--meeting", help="The new, earlier meeting date.")],
    reason: Reason = None,
    date: Decided = None,
    prior: Prior = None,
    as_json: Json = False,
) -> None:
    """Bring a deliverable forward to an earlier meeting (fremrykning); recorded as such, with
    the earlier date and the reason.

    \b
    Example:
      portefolje deliverable advance LV5 --meeting 29/5/2019 --reason "Budgetseminaret er rykket frem"
    """
    _reschedule(ctx, ref, meeting, reason, date, prior, "advanced", as_json)


@app.command("undeliver")
def undeliver(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: DateOpt = None, as_json: Json = False
) -> None:
    """Take back 'delivered' (registered by mistake, or the case was sent back).

    \b
    Example:
      portefolje deliverable undeliver LV2 --reason "Sagen blev trukket fra dagsordenen"
    """
    from portefolje.store import deliverables

    with state(ctx).writer() as w:
        record = deliverables.undeliver(w, ref, on=effective_date(date), reason=reason)
    emit_change(record, as_json, msg("msg.deliverable_open", code=record["code"]))


@app.command("cancel")
def cancel(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: DateOpt = None, as_json: Json = False
) -> None:
    """Cancel a deliverable that will not go to the committee; it is kept, shown as cancelled.

    \b
    Example:
      portefolje deliverable cancel LV6 --reason "Indgår i budgetforslaget i stedet"
    """
    from portefolje.store import deliverables

    with state(ctx).writer() as w:
        record = deliverables.cancel(w, ref, on=effective_date(date), reason=reason)
    emit_change(record, as_json, msg("msg.deliverable_cancelled", code=record["code"]))


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: Ref,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    committee: Annotated[str | None, typer.Option(help="Another committee.")] = None,
    kind: Annotated[str | None, typer.Option(help="orientering | drøftelse | beslutning")] = None,
    project: Annotated[
        list[str] | None, typer.Option("--project", help="Replace the projects (repeatable).")
    ] = None,
    prior: Prior = None,
    description: Annotated[str | None, typer.Option(help="What the case contains.")] = None,
    as_json: Json = False,
) -> None:
    """Change a deliverable's title, kind, committee, projects or prior handling. Its meeting
    date moves with `postpone` or `advance`.

    \b
    Example:
      portefolje deliverable edit LV3 --kind beslutning --prior BUU:26/3/2019:drøftelse
    """
    from portefolje.store import deliverables

    changes = {
        "title": title,
        "code": code,
        "kind": rules.deliverable_kind(kind),
        "description": description,
    }
    with state(ctx).writer() as w:
        record = deliverables.edit(
            w, ref, changes, committee=committee, projects=project, priors=_priors(prior)
        )
    emit_change(
        record, as_json, msg("msg.updated", kind=msg("kind.deliverable"), code=record["code"])
    )


@app.command("remove")
def remove(ctx: typer.Context, ref: Ref, reason: Reason = None, as_json: Json = False) -> None:
    """Remove a deliverable registered by mistake, with its links, prior handling and history
    (the journal keeps them). A case that will not go to the committee is cancelled instead.

    \b
    Example:
      portefolje deliverable remove LV9 --reason "Oprettet to gange"
    """
    from portefolje.store import deliverables
    from portefolje.store.register import remove as remove_record

    rules.require_text(reason, "what.reason_remove_deliverable")
    with state(ctx).writer() as w:
        record = deliverables.record(w.conn, ref)
        remove_record(w, "deliverable", ref)
    emit_change(
        record, as_json, msg("msg.removed", kind=msg("kind.deliverable"), code=record["code"])
    )
