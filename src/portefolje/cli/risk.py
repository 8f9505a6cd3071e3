"""risk: the risk register — add, edit (a new dated assessment), close, reopen, list, show,
remove."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import state
from portefolje.cli.options import Code, DateOpt, Json, Ref, effective_date
from portefolje.cli.output import (
    Column,
    emit_change,
    emit_json,
    emit_record,
    emit_table,
    word,
    words,
)
from portefolje.domain.dates import parse_optional_date
from portefolje.i18n import msg

app = sub_app("The risk register (risici): probability × consequence, re-assessed over time.")

Probability = Annotated[
    int | None, typer.Option("--probability", help="Probability (sandsynlighed), 1-5.")
]
Consequence = Annotated[
    int | None, typer.Option("--consequence", help="Consequence (konsekvens), 1-5.")
]
Owner = Annotated[
    str | None, typer.Option(help="Who owns the risk, as a role (e.g. 'projektleder').")
]
Response = Annotated[str | None, typer.Option(help="The response (tiltag) to the risk.")]
Description = Annotated[str | None, typer.Option(help="What could happen, and why.")]
Reason = Annotated[str | None, typer.Option("--reason", help="Why (required).")]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="As the register stood on this date (default today).")
]
COLUMNS: list[Column] = [
    ("code", "col.code"),
    ("title", "col.risk"),
    ("project", "col.project"),
    ("portfolio", "col.portfolio"),
    ("probability", "col.probability_short"),
    ("consequence", "col.consequence_short"),
    ("score", "col.score"),
    ("first_score", "col.first"),
    ("assessed", "col.assessed"),
    ("state", "col.state", words("risk")),
    ("owner", "col.owner"),
]


def _message(record: dict[str, Any], verb: str) -> str:
    return msg(
        f"msg.risk_{verb}",
        code=record["code"],
        score=record["score"],
        p=record["probability"],
        c=record["consequence"],
        state=word(record["state"], "risk"),
    )


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What could go wrong.")],
    probability: Annotated[
        int, typer.Option("--probability", help="Probability (sandsynlighed), 1-5.")
    ],
    consequence: Annotated[
        int, typer.Option("--consequence", help="Consequence (konsekvens), 1-5.")
    ],
    project: Annotated[str | None, typer.Option(help="The project it threatens.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Or the portfolio as a whole.")] = None,
    owner: Owner = None,
    response: Response = None,
    description: Description = None,
    code: Code = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="When it was identified and assessed (default today)."),
    ] = None,
    as_json: Json = False,
) -> None:
    """Add a risk of a project (or of a whole portfolio) with its first assessment.

    \b
    Example:
      portefolje risk add "Effekter kan ikke isoleres fra driften" --project FOM3 --probability 4 --consequence 4 --owner "programsekretariatet" --response "Baseline og kontrolgruppe aftales før test"
    """
    from portefolje.store import risks

    with state(ctx).writer() as w:
        record = risks.add(
            w,
            title,
            project=project,
            portfolio=portfolio,
            probability=probability,
            consequence=consequence,
            owner=owner,
            response=response,
            description=description,
            code=code,
            on=effective_date(date),
        )
    emit_change(record, as_json, _message(record, "added"))


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: Ref,
    probability: Probability = None,
    consequence: Consequence = None,
    note: Annotated[
        str | None, typer.Option(help="Why the assessment changed (kept with it).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    owner: Owner = None,
    response: Response = None,
    description: Description = None,
    date: Annotated[
        str | None, typer.Option("--date", help="When the new assessment was made (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Re-assess a risk or change its text. A new probability or consequence is a new, dated
    assessment: the earlier one is kept, so the score before and after a response shows. Title,
    owner, response and description change in place ('' clears).

    \b
    Example:
      portefolje risk edit RS1 --probability 2 --note "Kontrolgruppe aftalt" --date 2019-03-01
    """
    from portefolje.store import risks

    changes = {
        "title": title,
        "code": code,
        "owner": owner,
        "response": response,
        "description": description,
    }
    with state(ctx).writer() as w:
        record = risks.edit(
            w,
            ref,
            changes,
            probability=probability,
            consequence=consequence,
            note=note,
            on=effective_date(date),
        )
    emit_change(record, as_json, _message(record, "updated"))


@app.command("close")
def close(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: DateOpt = None, as_json: Json = False
) -> None:
    """Close a risk that no longer threatens (it happened, or it passed); a reason is required.

    \b
    Example:
      portefolje risk close RS2 --reason "Datakilderne er rettet" --date 2019-05-01
    """
    from portefolje.store import risks

    with state(ctx).writer() as w:
        record = risks.close(w, ref, on=effective_date(date), reason=reason)
    emit_change(
        record, as_json, msg("msg.risk_closed", code=record["code"], date=record["closed_date"])
    )


@app.command("reopen")
def reopen(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: DateOpt = None, as_json: Json = False
) -> None:
    """Reopen a closed risk; a reason is required.

    \b
    Example:
      portefolje risk reopen RS2 --reason "Fejl i datakilden igen"
    """
    from portefolje.store import risks

    with state(ctx).writer() as w:
        record = risks.reopen(w, ref, on=effective_date(date), reason=reason)
    emit_change(record, as_json, msg("msg.risk_open", code=record["code"]))


@app.command("list")
def list_(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option(help="Only this project.")] = None,
    portfolio: Annotated[
        str | None, typer.Option(help="Only this portfolio (its own risks and its projects').")
    ] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only risks not closed.")] = False,
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """List risks as they stood on a date, highest score (probability × consequence) first,
    with the score of the first assessment beside it.

    \b
    Example:
      portefolje risk list --portfolio FOM --open --as-of 2019-06-05
    """
    from portefolje.store import risks

    rows = risks.risks(
        state(ctx).conn(),
        project=project,
        portfolio=portfolio,
        as_of=parse_optional_date(as_of),
        open_only=open_only,
    )
    emit_json(rows) if as_json else emit_table(rows, COLUMNS)


@app.command("show")
def show(ctx: typer.Context, ref: Ref, as_of: AsOf = None, as_json: Json = False) -> None:
    """Show one risk with every assessment, closing and reopening.

    \b
    Example:
      portefolje risk show RS1
    """
    from portefolje.store import risks

    found = risks.record(state(ctx).conn(), ref, as_of=parse_optional_date(as_of))
    emit_json(found) if as_json else emit_record(found)


@app.command("remove")
def remove(ctx: typer.Context, ref: Ref, reason: Reason = None, as_json: Json = False) -> None:
    """Remove a risk registered by mistake, with its assessments (the journal keeps them). A
    risk that passed is closed instead.

    \b
    Example:
      portefolje risk remove RS9 --reason "Oprettet to gange"
    """
    from portefolje.domain.rules import require_text
    from portefolje.store import risks
    from portefolje.store.register import remove as remove_record

    require_text(reason, "what.reason_remove_risk")
    with state(ctx).writer() as w:
        record = risks.record(w.conn, ref)
        remove_record(w, "risk", ref)
    emit_change(record, as_json, msg("msg.removed", kind=msg("kind.risk"), code=record["code"]))
