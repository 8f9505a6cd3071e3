"""portfolio, department, committee and segment: add, list, show, edit."""

from typing import Annotated, Any

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.cli.options import Code, Json, Ref
from portefolje.cli.output import Column, added, emit_json, emit_record, emit_table, kroner, word
from portefolje.domain import rules
from portefolje.domain.amounts import parse_amount
from portefolje.domain.dates import parse_optional_date
from portefolje.i18n import msg

portfolio = sub_app(
    "Programmes (udviklingsprogrammer) with one savings target each.", name="portfolio"
)
department = sub_app(
    "Departments (forvaltninger/afdelinger) that budgets belong to.", name="department"
)
committee = sub_app("Political committees (udvalg) that receive deliverables.", name="committee")
segment = sub_app("Citizen segments (målgrupper); each project serves one.", name="segment")


def apps() -> list[typer.Typer]:
    return [portfolio, department, committee, segment]


def _added(record: dict[str, Any], kind: str, as_json: bool) -> None:
    if as_json:
        emit_json(record)
    else:
        info(added(f"kind.{kind}", record))


def _edited(record: dict[str, Any], kind: str, as_json: bool) -> None:
    if as_json:
        emit_json(record)
    else:
        info(msg("msg.updated", kind=msg(f"kind.{kind}"), code=record["code"]))


def _add(
    ctx: typer.Context, kind: str, values: dict[str, Any], code: str | None, as_json: bool
) -> None:
    from portefolje.store.register import add

    with state(ctx).writer() as w:
        record = add(w, kind, values, code)
    _added(record, kind, as_json)


def _edit(ctx: typer.Context, kind: str, ref: str, changes: dict[str, Any], as_json: bool) -> None:
    from portefolje.store.register import edit

    with state(ctx).writer() as w:
        record = edit(w, kind, ref, changes)
    _edited(record, kind, as_json)


def _show(ctx: typer.Context, kind: str, ref: str, as_json: bool) -> None:
    from portefolje.store.queries import record

    found = record(state(ctx).conn(), kind, ref)
    emit_json(found) if as_json else emit_record(found)


NAME_COLUMNS = [("code", "col.code"), ("name", "col.name")]

# -- portfolio ---------------------------------------------------------------------------------


@portfolio.command("add")
def portfolio_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The programme's name.")],
    code: Code = None,
    owner: Annotated[str | None, typer.Option(help="Owner (e.g. the directors' forum).")] = None,
    description: Annotated[str | None, typer.Option(help="Purpose and background.")] = None,
    as_json: Json = False,
) -> None:
    """Add a portfolio.

    \b
    Example:
      portefolje portfolio add "Fælles om målet" --code FOM --owner Direktørforum
    """
    _add(
        ctx,
        "portfolio",
        {"name": rules.require_text(name, "what.name"), "owner": owner, "description": description},
        code,
        as_json,
    )


@portfolio.command("list")
def portfolio_list(ctx: typer.Context, as_json: Json = False) -> None:
    """List portfolios.

    \b
    Example:
      portefolje portfolio list --json
    """
    from portefolje.store.queries import portfolios

    rows = portfolios(state(ctx).conn())
    emit_json(rows) if as_json else emit_table(rows, [*NAME_COLUMNS, ("owner", "col.owner")])


@portfolio.command("show")
def portfolio_show(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Show one portfolio.

    \b
    Example:
      portefolje portfolio show FOM
    """
    _show(ctx, "portfolio", ref, as_json)


@portfolio.command("edit")
def portfolio_edit(
    ctx: typer.Context,
    ref: Ref,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    owner: Annotated[str | None, typer.Option(help="Owner ('' clears).")] = None,
    description: Annotated[str | None, typer.Option(help="Description ('' clears).")] = None,
    as_json: Json = False,
) -> None:
    """Change a portfolio's fields.

    \b
    Example:
      portefolje portfolio edit FOM --owner "Direktørforum"
    """
    _edit(
        ctx,
        "portfolio",
        ref,
        {"name": name, "code": code, "owner": owner, "description": description},
        as_json,
    )


# -- department and committee: a name and a code ------------------------------------------------


def _named(app: typer.Typer, kind: str, example_name: str, example_code: str) -> None:
    def add_cmd(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help=f"The {kind}'s name.")],
        code: Code = None,
        as_json: Json = False,
    ) -> None:
        _add(ctx, kind, {"name": rules.require_text(name, "what.name")}, code, as_json)

    add_cmd.__doc__ = f'Add a {kind}.\n\n\b\nExample:\n  portefolje {kind} add "{example_name}" --code {example_code}'

    def list_cmd(ctx: typer.Context, as_json: Json = False) -> None:
        from portefolje.store.queries import RECORDS

        rows = RECORDS[kind](state(ctx).conn())
        emit_json(rows) if as_json else emit_table(rows, NAME_COLUMNS)

    list_cmd.__doc__ = f"List {kind} records.\n\n\b\nExample:\n  portefolje {kind} list --json"

    def show_cmd(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
        _show(ctx, kind, ref, as_json)

    show_cmd.__doc__ = f"Show one {kind}.\n\n\b\nExample:\n  portefolje {kind} show {example_code}"

    def edit_cmd(
        ctx: typer.Context,
        ref: Ref,
        name: Annotated[str | None, typer.Option(help="New name.")] = None,
        code: Annotated[str | None, typer.Option(help="New code.")] = None,
        as_json: Json = False,
    ) -> None:
        _edit(ctx, kind, ref, {"name": name, "code": code}, as_json)

    edit_cmd.__doc__ = f'Rename a {kind} or change its code.\n\n\b\nExample:\n  portefolje {kind} edit {example_code} --name "{example_name}"'

    app.command("add")(add_cmd)
    app.command("list")(list_cmd)
    app.command("show")(show_cmd)
    app.command("edit")(edit_cmd)


_named(department, "department", "Social & Familie", "SF")
_named(committee, "committee", "Økonomiudvalget", "ØU")

# -- segment -----------------------------------------------------------------------------------

Category = Annotated[str | None, typer.Option(help="familie | flere-indsatser | overgang")]
Population = Annotated[int | None, typer.Option(help="Number of citizens or families.", min=0)]
AnnualCost = Annotated[str | None, typer.Option(help="Yearly cost of the segment, e.g. '280 mio'.")]


@segment.command("add")
def segment_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The segment's name.")],
    portfolio_ref: Annotated[
        str, typer.Option("--portfolio", help="Portfolio (id, code or name).")
    ],
    code: Code = None,
    category: Category = None,
    track: Annotated[
        str | None, typer.Option(help="Track (spor), e.g. familier, voksne, unge.")
    ] = None,
    population: Population = None,
    annual_cost: AnnualCost = None,
    description: Annotated[str | None, typer.Option(help="Who the citizens are.")] = None,
    status: Annotated[
        str, typer.Option(help="active, or proposed for a candidate segment awaiting a decision.")
    ] = "active",
    date: Annotated[
        str | None, typer.Option("--date", help="When a candidate was proposed (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Add a citizen segment to a portfolio (active, or proposed as a candidate).

    \b
    Example:
      portefolje segment add "Borgere i misbrugsbehandling" --portfolio FOM --category flere-indsatser --population 25
    """
    from portefolje.cli.options import effective_date
    from portefolje.store import pipeline
    from portefolje.store.register import add
    from portefolje.store.registry import resolve

    chosen = rules.choice(status, ("active", "proposed"), "what.status")
    with state(ctx).writer() as w:
        values = {
            "portfolio_id": resolve(w.conn, "portfolio", portfolio_ref)["id"],
            "name": rules.require_text(name, "what.name"),
            "category": rules.choice(category, rules.CATEGORIES, "what.category"),
            "track": track,
            "population": population,
            "annual_cost": parse_amount(annual_cost) if annual_cost else None,
            "description": description,
        }
        record = add(w, "segment", values, code)
        if chosen == "proposed":
            pipeline.propose_segment(w, record["id"], effective_date(date))
        record = pipeline.segment_record(w.conn, record["id"], as_of=None)
    _added(record, "segment", as_json)


SEGMENT_COLUMNS: list[Column] = [
    ("code", "col.code"),
    ("name", "col.name"),
    ("portfolio", "col.portfolio"),
    ("status", "col.status"),
    ("category", "col.category"),
    ("population", "col.population"),
    ("annual_cost", "col.annual_cost", kroner),
]


@segment.command("list")
def segment_list(
    ctx: typer.Context,
    portfolio_ref: Annotated[
        str | None, typer.Option("--portfolio", help="Only this portfolio.")
    ] = None,
    status: Annotated[str | None, typer.Option(help="proposed | active | rejected")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="As they stood on this date (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """List segments with their status (candidates are proposed until approved or rejected).

    \b
    Example:
      portefolje segment list --portfolio FOM
    """
    from portefolje.store import pipeline
    from portefolje.store.queries import segments

    conn = state(ctx).conn()
    day = parse_optional_date(as_of)
    rows = pipeline.with_status(conn, segments(conn, portfolio=portfolio_ref), day)
    wanted = rules.choice(status, pipeline.STATUSES, "what.status")
    rows = [
        r for r in rows if r["status"] is not None and (wanted is None or r["status"] == wanted)
    ]
    emit_json(rows) if as_json else emit_table(rows, SEGMENT_COLUMNS)


@segment.command("show")
def segment_show(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Show one segment with its status and, for a candidate, its history.

    \b
    Example:
      portefolje segment show S1
    """
    from portefolje.store import pipeline

    conn = state(ctx).conn()
    found = pipeline.segment_record(conn, ref)
    found["history"] = pipeline.segment_history(conn, found["id"])
    emit_json(found) if as_json else emit_record(found)


@segment.command("edit")
def segment_edit(
    ctx: typer.Context,
    ref: Ref,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    code: Annotated[str | None, typer.Option(help="New code.")] = None,
    category: Category = None,
    track: Annotated[str | None, typer.Option(help="Track ('' clears).")] = None,
    population: Population = None,
    annual_cost: AnnualCost = None,
    description: Annotated[str | None, typer.Option(help="Description ('' clears).")] = None,
    as_json: Json = False,
) -> None:
    """Change a segment's fields.

    \b
    Example:
      portefolje segment edit S1 --population 29
    """
    changes = {
        "name": name,
        "code": code,
        "track": track,
        "population": population,
        "category": rules.choice(category, rules.CATEGORIES, "what.category")
        if category
        else category,
        "annual_cost": parse_amount(annual_cost) if annual_cost else annual_cost,
        "description": description,
    }
    _edit(ctx, "segment", ref, changes, as_json)


@segment.command("remove")
def segment_remove(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why it goes (required).")] = None,
    as_json: Json = False,
) -> None:
    """Remove a segment registered by mistake; refused while a project serves it.

    \b
    Example:
      portefolje segment remove S7 --reason "Oprettet to gange"
    """
    from portefolje.store.register import remove

    rules.require_text(reason, "what.reason_remove_segment")
    with state(ctx).writer() as w:
        record = remove(w, "segment", ref)
    if as_json:
        emit_json(record)
    else:
        info(msg("msg.removed", kind=msg("kind.segment"), code=record["code"]))


def _decide(
    ctx: typer.Context,
    ref: str,
    verb: str,
    *,
    date: str | None,
    reason: str | None,
    decision: str | None,
    as_json: bool,
) -> None:
    from portefolje.cli.options import effective_date
    from portefolje.store import pipeline

    with state(ctx).writer() as w:
        record = pipeline.decide_segment(
            w, ref, verb, on=effective_date(date), reason=reason, decision=decision
        )
    if as_json:
        emit_json(record)
    else:
        info(
            msg(
                "msg.now_status",
                kind=msg("kind.segment"),
                code=record["code"],
                status=word(record["status"]),
                date=record["status_date"],
            )
        )


@segment.command("approve")
def segment_approve(
    ctx: typer.Context,
    ref: Ref,
    decision: Annotated[
        str | None, typer.Option("--decision", help="The decision it rests on (required).")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="A note on the approval.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Effective date (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Approve a candidate segment on a decision: it becomes active.

    \b
    Example:
      portefolje segment approve S7 --decision BS2 --date 2019-03-26
    """
    _decide(ctx, ref, "approve", date=date, reason=reason, decision=decision, as_json=as_json)


@segment.command("reject")
def segment_reject(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why it is rejected (required).")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Effective date (default today).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Reject a candidate segment; a reason is required.

    \b
    Example:
      portefolje segment reject S8 --reason "Under tærsklen på 200.000 kr. pr. borger"
    """
    _decide(ctx, ref, "reject", date=date, reason=reason, decision=None, as_json=as_json)
