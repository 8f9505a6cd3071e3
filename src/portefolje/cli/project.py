"""project: add, list, show, edit, the lifecycle (pause/resume/close/reopen, approve/reject for
a proposal), health, history, scores for the pipeline, and dependencies."""

from __future__ import annotations

from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import state
from portefolje.cli.options import AsOf, Code, DateOpt, Json, Ref, effective_date, iso_date
from portefolje.cli.output import (
    added,
    emit_change,
    emit_json,
    emit_json_lines,
    emit_record,
    emit_table,
    word,
)
from portefolje.domain import rules
from portefolje.domain.dates import parse_optional_date, today
from portefolje.domain.errors import Refused
from portefolje.i18n import msg, plain_decimal

app = sub_app("Development projects, one per segment, and their lifecycle.")

Owner = Annotated[str | None, typer.Option(help="Project owner (projektejer), a role not a name.")]
Leader = Annotated[str | None, typer.Option(help="Project leader (projektleder).")]
Departments = Annotated[
    list[str] | None, typer.Option("--department", help="Department involved (repeatable).")
]
Phase = Annotated[
    str | None,
    typer.Option(help="forberedelse | indsigt | udvikling | prøvehandling | implementering"),
]
Start = Annotated[str | None, typer.Option("--start", help="Start date.")]
End = Annotated[str | None, typer.Option("--end", help="Planned end date.")]
Purpose = Annotated[str | None, typer.Option(help="Purpose and background (formål og baggrund).")]
CaseNumber = Annotated[str | None, typer.Option(help="Case number, e.g. 00.01.10-P20-1-17.")]
Success = Annotated[str | None, typer.Option("--success-criteria", help="Success criteria.")]
Risks = Annotated[str | None, typer.Option(help="Main risks.")]
Deliverables = Annotated[
    str | None, typer.Option("--deliverables", help="What the project delivers (leverancer).")
]
Stakeholders = Annotated[str | None, typer.Option(help="Stakeholders (interessenter).")]
SteeringGroup = Annotated[
    str | None, typer.Option("--steering-group", help="Steering group (styregruppe), as roles.")
]
Participants = Annotated[
    str | None, typer.Option(help="Project participants (projektdeltagere), as roles.")
]
ReferenceGroup = Annotated[
    str | None, typer.Option("--reference-group", help="Reference group (følgegruppe).")
]
Benefits = Annotated[
    str | None, typer.Option(help="Expected benefits: quality, service, political (gevinster).")
]
Prerequisites = Annotated[
    str | None, typer.Option(help="Prerequisites for realising the benefits.")
]

COLUMNS = [
    ("code", "col.code"),
    ("title", "col.title"),
    ("segment", "col.segment"),
    ("status", "col.status"),
    ("phase", "col.phase"),
    ("health_overall", "col.health"),
    ("leader", "col.leader"),
]
PIPELINE_COLUMNS = [
    ("code", "col.code"),
    ("title", "col.title"),
    ("segment", "col.segment"),
    ("status_date", "col.proposed"),
    ("weighted_score", "col.weighted_score"),
    ("criteria_scored", "col.scored"),
    ("criteria_total", "col.criteria"),
]


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The project's title.")],
    segment: Annotated[
        str, typer.Option("--segment", help="Segment it serves (id, code or name).")
    ],
    code: Code = None,
    owner: Owner = None,
    leader: Leader = None,
    department: Departments = None,
    start: Start = None,
    end: End = None,
    phase: Phase = None,
    purpose: Purpose = None,
    case_number: CaseNumber = None,
    success_criteria: Success = None,
    risks: Risks = None,
    deliverables: Deliverables = None,
    stakeholders: Stakeholders = None,
    steering_group: SteeringGroup = None,
    participants: Participants = None,
    reference_group: ReferenceGroup = None,
    benefits: Benefits = None,
    prerequisites: Prerequisites = None,
    status: Annotated[
        str, typer.Option(help="active, or proposed for a project awaiting a decision.")
    ] = "active",
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="When it entered the register (default: its start if passed, else today).",
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Add a project for a segment; it starts as active (or proposed).

    \b
    Example:
      portefolje project add "Misbrugsbehandling og job" --segment S1 --department SF --department BA --start 2017-05-01 --phase indsigt
    """
    from portefolje.store.register import add_project

    values = {
        "title": rules.require_text(title, "what.title"),
        "owner": owner,
        "leader": leader,
        "start_date": iso_date(start),
        "end_date": iso_date(end, end=True),
        "purpose": purpose,
        "case_number": case_number,
        "success_criteria": success_criteria,
        "risks": risks,
        "deliverables": deliverables,
        "stakeholders": stakeholders,
        "steering_group": steering_group,
        "participants": participants,
        "reference_group": reference_group,
        "benefits": benefits,
        "prerequisites": prerequisites,
    }
    with state(ctx).writer() as w:
        record = add_project(
            w,
            values,
            segment=segment,
            departments=department or [],
            code=code,
            on=iso_date(date),
            phase=rules.choice(phase, rules.PHASES, "what.phase"),
            status=rules.choice(status, ("active", "proposed"), "what.status") or "active",
        )
    emit_change(record, as_json, added("kind.project", record))


@app.command("list")
def list_(
    ctx: typer.Context,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    segment: Annotated[str | None, typer.Option(help="Only this segment.")] = None,
    status: Annotated[
        str | None, typer.Option(help="proposed | active | paused | closed | rejected")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="As they stood on this date (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """List projects with status, phase and overall health (as of a date). Proposals
    (--status proposed) are ranked by their weighted score over the portfolio's criteria.

    \b
    Example:
      portefolje project list --portfolio FOM --status proposed
    """
    from portefolje.store.queries import project_lines, projects

    conn = state(ctx).conn()
    chosen = rules.choice(status, rules.ALL_STATUSES, "what.status")
    day = parse_optional_date(as_of)
    if as_json and chosen != "proposed":  # proposals are ranked in Python, below
        lines = project_lines(conn, portfolio=portfolio, segment=segment, status=chosen, as_of=day)
        emit_json_lines(lines)
        return
    rows = projects(conn, portfolio=portfolio, segment=segment, status=chosen, as_of=day)
    if chosen == "proposed":
        from portefolje.store import pipeline

        rows = pipeline.ranked(rows, pipeline.ranking(conn, [r["id"] for r in rows], day))
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        row["health_overall"] = (row["health"].get("overall") or {}).get("color")
    emit_table(rows, PIPELINE_COLUMNS if chosen == "proposed" else COLUMNS)


@app.command("show")
def show(ctx: typer.Context, ref: Ref, as_of: AsOf = None, as_json: Json = False) -> None:
    """Show one project with all its fields, what it waits for (depends_on) and which projects
    wait for it (needed_by); with --as-of its status, phase and health as they stood that day.

    \b
    Example:
      portefolje project show P1
      portefolje project show P1 --as-of 2019-06-05
    """
    from portefolje.store import dependencies
    from portefolje.store.queries import record

    conn = state(ctx).conn()
    day = parse_optional_date(as_of)
    found = record(conn, "project", ref, as_of=day)
    if found["status"] is None:
        on = (day or today()).isoformat()
        raise Refused(msg("err.not_yet_registered", code=found["code"], date=on))
    found.update(dependencies.both_ways(conn, [found["id"]])[found["id"]])
    found["waits_for"] = [d["project"] or d["external"] for d in found["depends_on"]]
    if found["status"] == "proposed":
        from portefolje.store import pipeline

        found.update(pipeline.ranking(conn, [found["id"]])[found["id"]])
    emit_json(found) if as_json else emit_record(found)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: Ref,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    segment: Annotated[str | None, typer.Option(help="Move to another segment.")] = None,
    owner: Owner = None,
    leader: Leader = None,
    department: Annotated[
        list[str] | None,
        typer.Option("--department", help="Replace the departments (repeatable)."),
    ] = None,
    start: Start = None,
    end: End = None,
    phase: Phase = None,
    purpose: Purpose = None,
    case_number: CaseNumber = None,
    success_criteria: Success = None,
    risks: Risks = None,
    deliverables: Deliverables = None,
    stakeholders: Stakeholders = None,
    steering_group: SteeringGroup = None,
    participants: Participants = None,
    reference_group: ReferenceGroup = None,
    benefits: Benefits = None,
    prerequisites: Prerequisites = None,
    date: Annotated[
        str | None, typer.Option("--date", help="When a new --phase took effect (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Change a project's fields ('' clears a text field). Status has its own verbs; a new
    phase is dated like a status change (--date).

    \b
    Example:
      portefolje project edit P1 --phase prøvehandling --leader "Projektleder, Jobcentret"
    """
    from portefolje.store.register import edit_project

    changes = {
        "title": title,
        "code": code,
        "owner": owner,
        "leader": leader,
        "start_date": iso_date(start) if start else start,
        "end_date": iso_date(end, end=True) if end else end,
        "purpose": purpose,
        "case_number": case_number,
        "success_criteria": success_criteria,
        "risks": risks,
        "deliverables": deliverables,
        "stakeholders": stakeholders,
        "steering_group": steering_group,
        "participants": participants,
        "reference_group": reference_group,
        "benefits": benefits,
        "prerequisites": prerequisites,
    }
    with state(ctx).writer() as w:
        record = edit_project(
            w,
            ref,
            changes,
            segment=segment,
            departments=department,
            phase=rules.choice(phase, rules.PHASES, "what.phase") if phase else None,
            on=iso_date(date),
        )
    emit_change(record, as_json, msg("msg.updated", kind=msg("kind.project"), code=record["code"]))


def _lifecycle(
    ctx: typer.Context,
    ref: str,
    verb: str,
    date: str | None,
    reason: str | None,
    as_json: bool,
    decision: str | None = None,
) -> None:
    from portefolje.store.register import change_status

    with state(ctx).writer() as w:
        record = change_status(
            w, ref, verb, on=effective_date(date), reason=reason, decision=decision
        )
    emit_change(
        record,
        as_json,
        msg(
            "msg.now_status",
            kind=msg("kind.project"),
            code=record["code"],
            status=word(record["status"]),
            date=record["status_date"],
        ),
    )


@app.command("pause")
def pause(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why it is paused (required).")] = None,
    date: DateOpt = None,
    as_json: Json = False,
) -> None:
    """Pause an active project; a reason is required.

    \b
    Example:
      portefolje project pause P5 --reason "Afventer ungestrategien" --date 2018-03-01
    """
    _lifecycle(ctx, ref, "pause", date, reason, as_json)


@app.command("resume")
def resume(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why it resumes.")] = None,
    date: DateOpt = None,
    as_json: Json = False,
) -> None:
    """Resume a paused project.

    \b
    Example:
      portefolje project resume P5 --date 2019-08-01
    """
    _lifecycle(ctx, ref, "resume", date, reason, as_json)


@app.command("close")
def close(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why, or with what result.")] = None,
    date: DateOpt = None,
    as_json: Json = False,
) -> None:
    """Close an active or paused project.

    \b
    Example:
      portefolje project close P1 --date 2019-06-05 --reason "Løsning overleveret til drift"
    """
    _lifecycle(ctx, ref, "close", date, reason, as_json)


@app.command("reopen")
def reopen(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why it is reopened (required).")] = None,
    date: DateOpt = None,
    as_json: Json = False,
) -> None:
    """Reopen a closed project; a reason is required.

    \b
    Example:
      portefolje project reopen P1 --reason "Ny prøvehandling besluttet"
    """
    _lifecycle(ctx, ref, "reopen", date, reason, as_json)


@app.command("phase")
def phase_(
    ctx: typer.Context,
    ref: Ref,
    phase: Annotated[
        str,
        typer.Argument(help="forberedelse | indsigt | udvikling | prøvehandling | implementering"),
    ],
    date: DateOpt = None,
    as_json: Json = False,
) -> None:
    """Move a project into a phase on a date (an event in its history, like a status change).

    \b
    Example:
      portefolje project phase P1 prøvehandling --date "1. marts 2019"
    """
    from portefolje.store.register import set_phase

    chosen = rules.choice(phase, rules.PHASES, "what.phase") or ""
    with state(ctx).writer() as w:
        record = set_phase(w, ref, chosen, on=effective_date(date))
    emit_change(record, as_json, msg("msg.in_phase", code=record["code"], phase=record["phase"]))


@app.command("approve")
def approve(
    ctx: typer.Context,
    ref: Ref,
    decision: Annotated[
        str | None,
        typer.Option("--decision", help="The decision it rests on (required; see `decision add`)."),
    ] = None,
    reason: Annotated[str | None, typer.Option(help="A note on the approval.")] = None,
    date: DateOpt = None,
    as_json: Json = False,
) -> None:
    """Approve a proposed project on a decision (a decision record): it becomes active.

    \b
    Example:
      portefolje project approve P7 --decision BS4 --date 2019-03-26
    """
    _lifecycle(ctx, ref, "approve", date, reason, as_json, decision)


@app.command("reject")
def reject(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why it is rejected (required).")] = None,
    date: DateOpt = None,
    as_json: Json = False,
) -> None:
    """Reject a proposed project; a reason is required.

    \b
    Example:
      portefolje project reject P8 --reason "Overlapper med ungestrategien"
    """
    _lifecycle(ctx, ref, "reject", date, reason, as_json)


@app.command("remove")
def remove(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why it goes (required).")] = None,
    as_json: Json = False,
) -> None:
    """Remove a project registered by mistake. Refused while anything refers to it (solutions,
    milestones, savings …); its status history goes with it, and the journal keeps everything.

    \b
    Example:
      portefolje project remove P9 --reason "Oprettet to gange"
    """
    from portefolje.store.register import remove as remove_record

    rules.require_text(reason, "what.reason_remove_project")
    with state(ctx).writer() as w:
        record = remove_record(w, "project", ref)
    emit_change(record, as_json, msg("msg.removed", kind=msg("kind.project"), code=record["code"]))


@app.command("health")
def health(
    ctx: typer.Context,
    ref: Ref,
    color: Annotated[str, typer.Argument(help="green | yellow | red")],
    dimension: Annotated[
        str, typer.Option(help="overall | schedule | cost | economic-benefits | other-benefits")
    ] = "overall",
    comment: Annotated[str | None, typer.Option(help="Why this colour.")] = None,
    date: DateOpt = None,
    as_json: Json = False,
) -> None:
    """Set a project's health (traffic light), overall or for one dimension.

    \b
    Example:
      portefolje project health P1 red --dimension schedule --comment "Datamodul forsinket"
    """
    from portefolje.store.register import set_health

    colour = rules.choice(color, rules.COLORS, "what.colour")
    dim = rules.choice(dimension, rules.DIMENSIONS, "what.dimension")
    with state(ctx).writer() as w:
        record = set_health(
            w,
            ref,
            colour or "",
            dimension=dim or "overall",
            comment=comment,
            on=effective_date(date),
        )
    emit_change(
        record,
        as_json,
        msg("msg.health_now", code=record["code"], dimension=word(dim), colour=word(colour)),
    )


@app.command("history")
def history(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Every status and health change of a project, with dates and reasons.

    \b
    Example:
      portefolje project history P5
    """
    from portefolje.store.queries import project_history
    from portefolje.store.registry import resolve

    conn = state(ctx).conn()
    rows = project_history(conn, resolve(conn, "project", ref)["id"])
    if as_json:
        emit_json(rows)
    else:
        emit_table(
            rows,
            [
                ("date", "col.date"),
                ("kind", "col.change"),
                ("dimension", "col.dimension"),
                ("from", "col.from"),
                ("to", "col.to"),
                ("note", "col.reason_comment"),
            ],
        )


@app.command("depends")
def depends(
    ctx: typer.Context,
    ref: Ref,
    on: Annotated[str | None, typer.Option("--on", help="The project it waits for.")] = None,
    on_external: Annotated[
        str | None,
        typer.Option("--on-external", help="Or an initiative outside the portfolio, by name."),
    ] = None,
    note: Annotated[str | None, typer.Option(help="What it waits for, and why.")] = None,
    end: Annotated[
        bool,
        typer.Option("--end", help="End the dependency from --date (resolved); history is kept."),
    ] = False,
    date: DateOpt = None,
    as_json: Json = False,
) -> None:
    """Register that a project waits for another project or an outside initiative, from --date;
    with --end, that it no longer does (the dependency stays in the history; one ended on the
    day it began goes entirely).

    \b
    Example:
      portefolje project depends FOM5 --on-external "ungestrategien" --note "Samme borgere" --date 2018-03-01
    """
    from portefolje.store import dependencies

    on_day = effective_date(date)
    with state(ctx).writer() as w:
        if end:
            result = dependencies.end(w, ref, on_project=on, external=on_external, on=on_day)
        else:
            result = dependencies.depend(
                w, ref, on_project=on, external=on_external, note=note, on=on_day
            )
    waits = ", ".join(d["project"] or d["external"] for d in result["depends_on"])
    emit_change(
        result,
        as_json,
        msg("msg.waits_for", code=ref, waits=waits or msg("msg.nothing"), date=on_day),
    )


@app.command("score")
def score(
    ctx: typer.Context,
    ref: Ref,
    criterion: Annotated[str, typer.Argument(help="The criterion (id, code or name).")],
    value: Annotated[int, typer.Argument(help="The score, 1-5.")],
    note: Annotated[str | None, typer.Option(help="Why this score.")] = None,
    date: DateOpt = None,
    as_json: Json = False,
) -> None:
    """Score a project (a proposal) on one of its portfolio's criteria, 1-5; earlier scores are
    kept, the latest counts.

    \b
    Example:
      portefolje project score P7 "Økonomisk potentiale" 4
    """
    from portefolje.store import pipeline

    with state(ctx).writer() as w:
        result = pipeline.score(w, ref, criterion, value, on=effective_date(date), note=note)
    emit_change(
        result,
        as_json,
        msg(
            "msg.scored",
            code=ref,
            score=plain_decimal(result["weighted_score"]),
            n=result["criteria_scored"],
            m=result["criteria_total"],
        ),
    )
