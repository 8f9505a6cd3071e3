"""criterion: the scoring criteria of a portfolio's pipeline, each with a weight."""

from __future__ import annotations

from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import state
from portefolje.cli.options import Code, Json, Ref
from portefolje.cli.output import emit_change, emit_json, emit_record, emit_table
from portefolje.i18n import msg

app = sub_app("Scoring criteria for proposals (kriterier), each with a weight.")

COLUMNS = [
    ("code", "col.code"),
    ("portfolio", "col.portfolio"),
    ("name", "col.criterion"),
    ("weight", "col.weight"),
    ("description", "col.description"),
]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What a proposal is scored on.")],
    portfolio: Annotated[str, typer.Option("--portfolio", help="The portfolio whose pipeline.")],
    weight: Annotated[int, typer.Option("--weight", help="Its weight, a whole number 1-100.")],
    description: Annotated[str | None, typer.Option(help="What a 1 and a 5 mean.")] = None,
    code: Code = None,
    as_json: Json = False,
) -> None:
    """Add a scoring criterion to a portfolio; proposals are ranked by the weighted score.

    \b
    Example:
      portefolje criterion add "Økonomisk potentiale" --portfolio FOM --weight 3
    """
    from portefolje.store import pipeline

    with state(ctx).writer() as w:
        record = pipeline.add_criterion(
            w, name, portfolio=portfolio, weight=weight, description=description, code=code
        )
    emit_change(
        record,
        as_json,
        msg(
            "msg.criterion_added", code=record["code"], name=record["name"], weight=record["weight"]
        ),
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    as_json: Json = False,
) -> None:
    """List scoring criteria with their weights.

    \b
    Example:
      portefolje criterion list --portfolio FOM
    """
    from portefolje.store import pipeline

    rows = pipeline.criteria(state(ctx).conn(), portfolio=portfolio)
    for r in rows:
        r.pop("portfolio_id")
    emit_json(rows) if as_json else emit_table(rows, COLUMNS)


@app.command("show")
def show(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Show one criterion.

    \b
    Example:
      portefolje criterion show KR1
    """
    from portefolje.store import pipeline

    found = pipeline.criterion_record(state(ctx).conn(), ref)
    emit_json(found) if as_json else emit_record(found)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: Ref,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    weight: Annotated[int | None, typer.Option(help="New weight (re-ranks the pipeline).")] = None,
    description: Annotated[str | None, typer.Option(help="New description ('' clears).")] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    as_json: Json = False,
) -> None:
    """Change a criterion's name, weight, description or code.

    \b
    Example:
      portefolje criterion edit KR1 --weight 4
    """
    from portefolje.store import pipeline

    changes = {"name": name, "weight": weight, "description": description, "code": code}
    with state(ctx).writer() as w:
        record = pipeline.edit_criterion(w, ref, changes)
    emit_change(
        record, as_json, msg("msg.updated", kind=msg("kind.criterion"), code=record["code"])
    )


@app.command("remove")
def remove(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why it goes (required).")] = None,
    as_json: Json = False,
) -> None:
    """Remove a criterion registered by mistake; refused while projects are scored on it.

    \b
    Example:
      portefolje criterion remove KR9 --reason "Oprettet to gange"
    """
    from portefolje.domain.rules import require_text
    from portefolje.store import pipeline
    from portefolje.store.register import remove as remove_record

    require_text(reason, "what.reason_remove_criterion")
    with state(ctx).writer() as w:
        record = pipeline.criterion_record(w.conn, ref)
        remove_record(w, "criterion", ref)
    emit_change(
        record, as_json, msg("msg.removed", kind=msg("kind.criterion"), code=record["code"])
    )
