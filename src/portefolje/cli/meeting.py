"""meeting, decision and action: what the steering bodies met about, decided, and asked for."""

from __future__ import annotations

from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import state
from portefolje.cli.options import Code, DateOpt, Json, Ref, effective_date, iso_date
from portefolje.cli.output import emit_change, emit_json, emit_record, emit_table
from portefolje.domain.dates import parse_date, parse_optional_date, today
from portefolje.domain.rules import require_text
from portefolje.i18n import msg

meeting = sub_app(
    "Meetings of a steering body (Direktørforum, a steering group) or a committee.",
    name="meeting",
)
decision = sub_app("Decisions (beslutninger) taken at a meeting.", name="decision")
action = sub_app("Actions (handlinger) asked for, owned by a role, with a due date.", name="action")

Reason = Annotated[str | None, typer.Option("--reason", help="Why (required).")]
Projects = Annotated[
    list[str] | None, typer.Option("--project", help="A project it concerns (repeatable).")
]

# -- meeting ------------------------------------------------------------------------------------

MEETING_COLUMNS = [
    ("code", "col.code"),
    ("date", "col.date"),
    ("body", "col.body"),
    ("portfolio", "col.portfolio"),
    ("title", "col.title"),
    ("decisions", "col.decisions"),
]


@meeting.command("add")
def meeting_add(
    ctx: typer.Context,
    body: Annotated[
        str, typer.Option("--body", help="The body that meets: a committee (id, code or name).")
    ],
    date: Annotated[str, typer.Option("--date", help="The day of the meeting.")],
    title: Annotated[
        str | None, typer.Option(help="What the meeting was, e.g. 'Møde 3/2019'.")
    ] = None,
    portfolio: Annotated[
        str | None, typer.Option(help="The portfolio whose own meeting it is (a steering group).")
    ] = None,
    code: Code = None,
    as_json: Json = False,
) -> None:
    """Add a meeting of a steering body or committee. The bodies are committees: add
    Direktørforum or a steering group once with `portefolje committee add`.

    \b
    Example:
      portefolje meeting add --body DF --date 2019-03-26 --title "Direktørforum marts" --portfolio FOM
    """
    from portefolje.store import meetings

    with state(ctx).writer() as w:
        record = meetings.add_meeting(
            w,
            body=body,
            on=parse_date(date).isoformat(),
            title=title,
            portfolio=portfolio,
            code=code,
        )
    emit_change(
        record,
        as_json,
        msg("msg.meeting_added", code=record["code"], body=record["body"], date=record["date"]),
    )


@meeting.command("list")
def meeting_list(
    ctx: typer.Context,
    body: Annotated[str | None, typer.Option("--body", help="Only this body.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio's meetings.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="From this date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="To this date.")] = None,
    as_json: Json = False,
) -> None:
    """List meetings by date, with how many decisions each took.

    \b
    Example:
      portefolje meeting list --body DF --from 2019-01-01
    """
    from portefolje.store import meetings

    rows = meetings.meetings(
        state(ctx).conn(),
        body=body,
        portfolio=portfolio,
        date_from=iso_date(date_from),
        date_to=iso_date(date_to, end=True),
    )
    emit_json(rows) if as_json else emit_table(rows, MEETING_COLUMNS)


@meeting.command("show")
def meeting_show(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Show one meeting with its decisions.

    \b
    Example:
      portefolje meeting show MØ1
    """
    from portefolje.store import meetings

    found = meetings.meeting_record(state(ctx).conn(), ref)
    emit_json(found) if as_json else emit_record(found)


@meeting.command("edit")
def meeting_edit(
    ctx: typer.Context,
    ref: Ref,
    body: Annotated[str | None, typer.Option("--body", help="The right body.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="The right date.")] = None,
    title: Annotated[str | None, typer.Option(help="New title ('' clears).")] = None,
    portfolio: Annotated[str | None, typer.Option(help="The portfolio ('' clears).")] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    as_json: Json = False,
) -> None:
    """Correct a meeting's body, date, title, portfolio or code.

    \b
    Example:
      portefolje meeting edit MØ1 --date 2019-03-27
    """
    from portefolje.store import meetings

    changes = {
        "committee_id": body,
        "date": parse_date(date).isoformat() if date else None,
        "title": title,
        "portfolio_id": portfolio,
        "code": code,
    }
    with state(ctx).writer() as w:
        record = meetings.edit_meeting(w, ref, changes)
    emit_change(record, as_json, msg("msg.updated", kind=msg("kind.meeting"), code=record["code"]))


@meeting.command("remove")
def meeting_remove(
    ctx: typer.Context, ref: Ref, reason: Reason = None, as_json: Json = False
) -> None:
    """Remove a meeting registered by mistake; refused while decisions refer to it.

    \b
    Example:
      portefolje meeting remove MØ9 --reason "Oprettet to gange"
    """
    from portefolje.store import meetings
    from portefolje.store.register import remove

    require_text(reason, "what.reason_remove_meeting")
    with state(ctx).writer() as w:
        record = meetings.meeting_record(w.conn, ref)
        remove(w, "meeting", ref)
    emit_change(record, as_json, msg("msg.removed", kind=msg("kind.meeting"), code=record["code"]))


# -- decision -----------------------------------------------------------------------------------

DECISION_COLUMNS = [
    ("code", "col.code"),
    ("date", "col.date"),
    ("body", "col.body"),
    ("text", "col.decision"),
    ("projects", "col.projects"),
]


@decision.command("add")
def decision_add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What was decided.")],
    meeting_ref: Annotated[str, typer.Option("--meeting", help="The meeting that decided it.")],
    project: Projects = None,
    code: Code = None,
    as_json: Json = False,
) -> None:
    """Add a decision taken at a meeting, for one or more projects (or the portfolio as a whole).

    \b
    Example:
      portefolje decision add "Projektet godkendes og igangsættes" --meeting MØ1 --project P7
    """
    from portefolje.store import meetings

    with state(ctx).writer() as w:
        record = meetings.add_decision(
            w, text, meeting=meeting_ref, projects=project or [], code=code
        )
    emit_change(
        record,
        as_json,
        msg("msg.decision_added", code=record["code"], body=record["body"], date=record["date"]),
    )


@decision.command("list")
def decision_list(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option(help="Only decisions about this project.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio's decisions.")] = None,
    meeting_ref: Annotated[str | None, typer.Option("--meeting", help="Only this meeting.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Taken on or after this date.")
    ] = None,
    as_json: Json = False,
) -> None:
    """List decisions in meeting order.

    \b
    Example:
      portefolje decision list --portfolio FOM --since 2019-01-01
    """
    from portefolje.store import meetings
    from portefolje.store.registry import resolve

    conn = state(ctx).conn()
    rows = meetings.decisions(
        conn,
        project_id=resolve(conn, "project", project)["id"] if project else None,
        portfolio_id=resolve(conn, "portfolio", portfolio)["id"] if portfolio else None,
        meeting_id=resolve(conn, "meeting", meeting_ref)["id"] if meeting_ref else None,
        date_from=iso_date(since),
    )
    emit_json(rows) if as_json else emit_table(rows, DECISION_COLUMNS)


@decision.command("show")
def decision_show(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Show one decision with its meeting, projects and the actions it asked for.

    \b
    Example:
      portefolje decision show BS1
    """
    from portefolje.store import meetings

    found = meetings.decision_record(state(ctx).conn(), ref)
    emit_json(found) if as_json else emit_record(found)


@decision.command("edit")
def decision_edit(
    ctx: typer.Context,
    ref: Ref,
    text: Annotated[str | None, typer.Option("--text", help="The corrected text.")] = None,
    meeting_ref: Annotated[str | None, typer.Option("--meeting", help="The right meeting.")] = None,
    project: Annotated[
        list[str] | None,
        typer.Option("--project", help="Replace the projects it concerns (repeatable)."),
    ] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    as_json: Json = False,
) -> None:
    """Correct a decision's text, meeting, projects or code.

    \b
    Example:
      portefolje decision edit BS1 --project P7 --project P8
    """
    from portefolje.store import meetings

    with state(ctx).writer() as w:
        record = meetings.edit_decision(
            w, ref, {"text": text, "meeting_id": meeting_ref, "code": code}, projects=project
        )
    emit_change(record, as_json, msg("msg.updated", kind=msg("kind.decision"), code=record["code"]))


@decision.command("remove")
def decision_remove(
    ctx: typer.Context, ref: Ref, reason: Reason = None, as_json: Json = False
) -> None:
    """Remove a decision registered by mistake; refused while an action or an approval refers
    to it.

    \b
    Example:
      portefolje decision remove BS9 --reason "Oprettet to gange"
    """
    from portefolje.store import meetings
    from portefolje.store.register import remove

    require_text(reason, "what.reason_remove_decision")
    with state(ctx).writer() as w:
        record = meetings.decision_record(w.conn, ref)
        remove(w, "decision", ref)
    emit_change(record, as_json, msg("msg.removed", kind=msg("kind.decision"), code=record["code"]))


# -- action -------------------------------------------------------------------------------------

ACTION_COLUMNS = [
    ("code", "col.code"),
    ("title", "col.action"),
    ("owner", "col.action_owner"),
    ("due_date", "col.due"),
    ("state", "col.state"),
    ("days_over", "col.days_over"),
    ("decision", "col.decision"),
    ("project", "col.project"),
]


@action.command("add")
def action_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What is to be done.")],
    owner: Annotated[str, typer.Option("--owner", help="Who does it, as a role.")],
    due: Annotated[str, typer.Option("--due", help="When it is due.")],
    decision_ref: Annotated[
        str | None, typer.Option("--decision", help="The decision that asked for it.")
    ] = None,
    project: Annotated[str | None, typer.Option(help="The project it concerns.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Or the portfolio it concerns.")] = None,
    note: Annotated[str | None, typer.Option(help="Note.")] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="When it was asked for (default: the decision's meeting, else today)."
        ),
    ] = None,
    code: Code = None,
    as_json: Json = False,
) -> None:
    """Add an action: what, owned by a role, due on a date, from a decision or for a project.

    \b
    Example:
      portefolje action add "Baseline for segmentet opgøres" --owner "programsekretariatet" --due 2019-04-30 --decision BS1
    """
    from portefolje.store import meetings

    with state(ctx).writer() as w:
        record = meetings.add_action(
            w,
            title,
            owner=owner,
            due=parse_date(due).isoformat(),
            decision=decision_ref,
            project=project,
            portfolio=portfolio,
            opened=iso_date(date),
            note=note,
            code=code,
        )
    emit_change(
        record, as_json, msg("msg.action_added", code=record["code"], due=record["due_date"])
    )


@action.command("list")
def action_list(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option(help="Only this project.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only those not done.")] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those past due and not done.")
    ] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="As they stood on this date (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """List actions as they stood on a date: overdue first, then by due date.

    \b
    Example:
      portefolje action list --open --overdue --as-of 2019-06-05
    """
    from portefolje.store import meetings

    rows = meetings.actions(
        state(ctx).conn(),
        project=project,
        portfolio=portfolio,
        as_of=parse_optional_date(as_of) or today(),
        open_only=open_only,
        overdue=overdue,
    )
    emit_json(rows) if as_json else emit_table(rows, ACTION_COLUMNS)


@action.command("show")
def action_show(
    ctx: typer.Context,
    ref: Ref,
    as_of: Annotated[str | None, typer.Option("--as-of", help="As it stood on this date.")] = None,
    as_json: Json = False,
) -> None:
    """Show one action with its history.

    \b
    Example:
      portefolje action show HA1
    """
    from portefolje.store import meetings

    found = meetings.action_record(
        state(ctx).conn(), ref, as_of=parse_optional_date(as_of) or today()
    )
    emit_json(found) if as_json else emit_record(found)


@action.command("done")
def action_done(ctx: typer.Context, ref: Ref, date: DateOpt = None, as_json: Json = False) -> None:
    """Mark an action as done (from --date, default today).

    \b
    Example:
      portefolje action done HA1 --date 2019-04-29
    """
    from portefolje.store import meetings

    on = effective_date(date)
    with state(ctx).writer() as w:
        record = meetings.action_event(w, ref, "done", on=on)
    emit_change(record, as_json, msg("msg.action_done", code=record["code"], date=on))


@action.command("undone")
def action_undone(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: DateOpt = None, as_json: Json = False
) -> None:
    """Take back 'done': the action is open again from --date; the earlier 'done' stays in its
    history.

    \b
    Example:
      portefolje action undone HA1 --reason "Registreret ved en fejl"
    """
    from portefolje.store import meetings

    with state(ctx).writer() as w:
        record = meetings.action_event(w, ref, "undone", on=effective_date(date), reason=reason)
    emit_change(record, as_json, msg("msg.action_open", code=record["code"]))


@action.command("edit")
def action_edit(
    ctx: typer.Context,
    ref: Ref,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    owner: Annotated[str | None, typer.Option(help="New owner (a role).")] = None,
    note: Annotated[str | None, typer.Option(help="New note ('' clears).")] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    as_json: Json = False,
) -> None:
    """Change an action's title, owner, note or code.

    \b
    Example:
      portefolje action edit HA1 --owner "afdelingschef, Social & Familie"
    """
    from portefolje.store import meetings
    from portefolje.store.register import edit

    if owner is not None:
        owner = require_text(owner, "what.owner")
    with state(ctx).writer() as w:
        row = edit(w, "action", ref, {"title": title, "owner": owner, "note": note, "code": code})
        record = meetings.action_record(w.conn, row["id"], as_of=today())
    emit_change(record, as_json, msg("msg.updated", kind=msg("kind.action"), code=record["code"]))


@action.command("remove")
def action_remove(
    ctx: typer.Context, ref: Ref, reason: Reason = None, as_json: Json = False
) -> None:
    """Remove an action registered by mistake, with its history (the journal keeps it).

    \b
    Example:
      portefolje action remove HA9 --reason "Oprettet to gange"
    """
    from portefolje.store import meetings
    from portefolje.store.register import remove

    require_text(reason, "what.reason_remove_action")
    with state(ctx).writer() as w:
        record = meetings.action_record(w.conn, ref, as_of=today())
        remove(w, "action", ref)
    emit_change(record, as_json, msg("msg.removed", kind=msg("kind.action"), code=record["code"]))
