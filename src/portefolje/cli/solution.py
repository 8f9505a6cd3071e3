"""solution: add, list, show, edit, status — what a project produces (løsninger)."""

from __future__ import annotations

from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import state
from portefolje.cli.options import Code, DateOpt, Json, Ref, effective_date, iso_date
from portefolje.cli.output import added, emit_change, emit_json, emit_record, emit_table, word
from portefolje.domain import rules
from portefolje.domain.dates import parse_optional_date
from portefolje.i18n import msg

app = sub_app("Solutions (løsninger) a project produces, from idea to operation.")

Kind = Annotated[
    str | None,
    typer.Option(
        help="procedure | organisation | cooperation-agreement | information | legal-agreement | it | other"
    ),
]
TrialFrom = Annotated[str | None, typer.Option("--trial-from", help="Start of the trial period.")]
TrialTo = Annotated[str | None, typer.Option("--trial-to", help="End of the trial period.")]
TrialPop = Annotated[
    str | None, typer.Option("--trial-population", help='Who it is tried on, e.g. "5-6 familier".')
]
HandedOver = Annotated[
    str | None, typer.Option("--handed-over-to", help="Department that runs it now.")
]
Expected = Annotated[str | None, typer.Option("--expected-effects", help="Expected effects.")]
Documented = Annotated[str | None, typer.Option("--documented-effects", help="Documented effects.")]
Description = Annotated[str | None, typer.Option(help="What the solution is.")]

COLUMNS = [
    ("code", "col.code"),
    ("title", "col.title"),
    ("project", "col.project"),
    ("kind", "col.kind"),
    ("status", "col.status"),
    ("status_date", "col.since"),
    ("trial_population", "col.trial_population"),
    ("handed_over_to", "col.handed_over_to"),
]


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The solution's title.")],
    project: Annotated[str, typer.Option("--project", help="Project that produced it.")],
    code: Code = None,
    kind: Kind = None,
    status: Annotated[
        str, typer.Option(help="idea | developing | trial | implemented | handed-over | dropped")
    ] = "idea",
    date: DateOpt = None,
    trial_from: TrialFrom = None,
    trial_to: TrialTo = None,
    trial_population: TrialPop = None,
    handed_over_to: HandedOver = None,
    description: Description = None,
    expected_effects: Expected = None,
    documented_effects: Documented = None,
    as_json: Json = False,
) -> None:
    """Add a solution to a project.

    \b
    Example:
      portefolje solution add "Én koordinerende sagsbehandler" --project FOM2 --kind organisation --status trial --trial-from "maj 2019" --trial-to 2019-12-31 --trial-population "5-6 familier"
    """
    from portefolje.store import solutions

    values = {
        "title": rules.require_text(title, "what.title"),
        "kind": rules.choice(kind, rules.SOLUTION_KINDS, "what.kind"),
        "status": rules.choice(status, rules.SOLUTION_STATUSES, "what.status"),
        "trial_from": iso_date(trial_from),
        "trial_to": iso_date(trial_to, end=True),
        "trial_population": trial_population,
        "description": description,
        "expected_effects": expected_effects,
        "documented_effects": documented_effects,
    }
    on = effective_date(date)
    with state(ctx).writer() as w:
        record = solutions.add(
            w, values, project=project, handed_over_to=handed_over_to, code=code, on=on
        )
    emit_change(record, as_json, added("kind.solution", record))


@app.command("list")
def list_(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option(help="Only this project.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="As they stood on this date (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """List solutions with the step each had reached (as of a date).

    \b
    Example:
      portefolje solution list --portfolio FOM --status handed-over
    """
    from portefolje.store import solutions

    rows = solutions.solutions(
        state(ctx).conn(),
        project=project,
        portfolio=portfolio,
        status=rules.choice(status, rules.SOLUTION_STATUSES, "what.status"),
        as_of=parse_optional_date(as_of),
    )
    emit_json(rows) if as_json else emit_table(rows, COLUMNS)


@app.command("show")
def show(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Show one solution with its status history.

    \b
    Example:
      portefolje solution show L2
    """
    from portefolje.store import solutions

    found = solutions.record(state(ctx).conn(), ref)
    emit_json(found) if as_json else emit_record(found)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: Ref,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    kind: Kind = None,
    trial_from: TrialFrom = None,
    trial_to: TrialTo = None,
    trial_population: TrialPop = None,
    handed_over_to: HandedOver = None,
    description: Description = None,
    expected_effects: Expected = None,
    documented_effects: Documented = None,
    as_json: Json = False,
) -> None:
    """Change a solution's fields ('' clears). Its status has its own verb.

    \b
    Example:
      portefolje solution edit L2 --documented-effects "To forældre tilbage i job efter seks måneder"
    """
    from portefolje.store import solutions

    changes = {
        "title": title,
        "code": code,
        "kind": rules.choice(kind, rules.SOLUTION_KINDS, "what.kind") if kind else kind,
        "trial_from": iso_date(trial_from) if trial_from else trial_from,
        "trial_to": iso_date(trial_to, end=True) if trial_to else trial_to,
        "trial_population": trial_population,
        "description": description,
        "expected_effects": expected_effects,
        "documented_effects": documented_effects,
    }
    with state(ctx).writer() as w:
        record = solutions.edit(w, ref, changes, handed_over_to=handed_over_to)
    emit_change(record, as_json, msg("msg.updated", kind=msg("kind.solution"), code=record["code"]))


@app.command("status")
def status(
    ctx: typer.Context,
    ref: Ref,
    new_status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS", help="idea | developing | trial | implemented | handed-over | dropped"
        ),
    ],
    date: DateOpt = None,
    note: Annotated[str | None, typer.Option(help="What happened (required to step back).")] = None,
    handed_over_to: HandedOver = None,
    trial_from: TrialFrom = None,
    trial_to: TrialTo = None,
    trial_population: TrialPop = None,
    as_json: Json = False,
) -> None:
    """Move a solution along idea → developing → trial → implemented / handed-over / dropped.

    The trial's period and population may be given with the move into trial.

    \b
    Example:
      portefolje solution status L2 trial --date "maj 2019" --trial-to 2019-12-31 --trial-population "5-6 familier"
    """
    from portefolje.store import solutions

    target = rules.choice(new_status, rules.SOLUTION_STATUSES, "what.status") or ""
    on = effective_date(date)
    trial = {
        "trial_from": iso_date(trial_from),
        "trial_to": iso_date(trial_to, end=True),
        "trial_population": trial_population,
    }
    with state(ctx).writer() as w:
        if any(v is not None for v in trial.values()):
            solutions.edit(w, ref, trial, handed_over_to=None)
        record = solutions.set_status(
            w, ref, target, on=on, note=note, handed_over_to=handed_over_to
        )
    emit_change(
        record,
        as_json,
        msg(
            "msg.now_status",
            kind=msg("kind.solution"),
            code=record["code"],
            status=word(record["status"]),
            date=on,
        ),
    )


@app.command("remove")
def remove(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why it goes (required).")] = None,
    as_json: Json = False,
) -> None:
    """Remove a solution registered by mistake (refused while a saving names it); its steps go
    with it and the journal keeps everything. A solution given up is `status … dropped`.

    \b
    Example:
      portefolje solution remove L7 --reason "Oprettet to gange"
    """
    from portefolje.store import solutions
    from portefolje.store.register import remove as remove_record

    rules.require_text(reason, "what.reason_remove_solution")
    with state(ctx).writer() as w:
        record = solutions.record(w.conn, ref)
        remove_record(w, "solution", ref)
    emit_change(record, as_json, msg("msg.removed", kind=msg("kind.solution"), code=record["code"]))
