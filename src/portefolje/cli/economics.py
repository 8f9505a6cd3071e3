"""saving, investment, target and index: the economics commands."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.cli.options import Code, Json, Ref
from portefolje.cli.output import (
    Column,
    added,
    emit_json,
    emit_json_lines,
    emit_record,
    emit_table,
    kroner,
)
from portefolje.domain import economics as rules
from portefolje.domain.amounts import parse_amount
from portefolje.domain.dates import parse_year
from portefolje.domain.errors import InvalidValue, Refused
from portefolje.domain.rules import choice
from portefolje.i18n import msg, plain_decimal

saving = sub_app("Savings claims (provenu): estimated, documented, budgeted.")
investment = sub_app("Investments (implementeringsomkostninger) per project and year.")
target = sub_app("Savings targets (sparemål) with distribution keys (fordelingsnøgler).")
index = sub_app("The price and wage index (pris- og lønindeks) for --price-level.")
coverage = sub_app(
    "Coverage of the target that is no project's saving: frame cuts, one-off money, transfers."
)

Amount = Annotated[str, typer.Option("--amount", help="Kroner: 978000, 978 t.kr., 4,5 mio.")]
Year = Annotated[str | None, typer.Option("--year", help="A single budget year.")]
FromYear = Annotated[
    str | None, typer.Option("--from-year", help="Recurring from this year onwards.")
]
Department = Annotated[str | None, typer.Option("--department", help="Department it belongs to.")]
Area = Annotated[
    str | None, typer.Option("--area", help="service | overforsler | indsats | anlaeg")
]
PriceLevel = Annotated[
    str | None, typer.Option("--price-level", help="Price level year of the amount (p/l).")
]
Note = Annotated[str | None, typer.Option("--note", help="Evidence or explanation.")]

SAVING_COLUMNS: list[Column] = [
    ("code", "col.code"),
    ("project", "col.project"),
    ("department", "col.dept"),
    ("area", "col.area"),
    ("when", "col.year"),
    ("stage", "col.stage"),
    ("amount", "col.estimate_kr", kroner),
    ("realised", "col.realised_kr", kroner),
    ("price_level", "col.price_level"),
    ("note", "col.note"),
]


def _years(year: str | None, from_year: str | None, *, required: bool = True) -> dict[str, Any]:
    if year is not None and from_year is not None:
        raise InvalidValue(msg("err.year_and_from_year"))
    if year is None and from_year is None:
        if required:
            raise InvalidValue(msg("err.year_or_from_year"))
        return {}
    return {
        "year": parse_year(year) if year else None,
        "from_year": parse_year(from_year) if from_year else None,
    }


def _level(value: str | None) -> int | None:
    return parse_year(value) if value else None


def _with_when(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for r in rows:
        r["when"] = str(r["year"]) if r.get("year") else f"{r['from_year']}→"
        yield r


Since = Annotated[
    str | None,
    typer.Option("--date", help="The day the figure applies from (default today)."),
]
Reason = Annotated[str | None, typer.Option("--reason", help="Why (required).")]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="As the figures stood on this date (default today).")
]
Fte = Annotated[str | None, typer.Option("--fte", help="Staff years (årsværk), e.g. 5 or 17,5.")]
LineName = Annotated[
    str | None, typer.Option("--name", help="The business case's line name (Linje/Post).")
]


def _on(value: str | None) -> str | None:
    from portefolje.cli.options import iso_date

    return iso_date(value)


def _as_of(value: str | None) -> Any:
    from portefolje.domain.dates import parse_optional_date

    return parse_optional_date(value)


@saving.command("add")
def saving_add(
    ctx: typer.Context,
    project: Annotated[str, typer.Option("--project", help="Project that claims it.")],
    amount: Annotated[
        str, typer.Option("--amount", help="The estimate in kroner: 978000, 978 t.kr., 4,5 mio.")
    ],
    year: Year = None,
    from_year: FromYear = None,
    department: Department = None,
    area: Area = None,
    stage: Annotated[str, typer.Option(help="estimated | documented | budgeted")] = "estimated",
    realised: Annotated[
        str | None,
        typer.Option(help="Documented or budgeted: the realised amount (default: the estimate)."),
    ] = None,
    attribution: Annotated[
        str | None,
        typer.Option(help="Per cent of the realised amount attributable to the project (100)."),
    ] = None,
    price_level: PriceLevel = None,
    solution: Annotated[str | None, typer.Option(help="Solution it comes from.")] = None,
    fte: Fte = None,
    name: LineName = None,
    note: Note = None,
    date: Since = None,
    code: Code = None,
    as_json: Json = False,
) -> None:
    """Register a saving for a single year or recurring from a year onwards, in force from
    --date (default today). Its amount is the estimate; a documented or budgeted line also
    carries the realised amount, and may be only partly attributable to the project.

    \b
    Example:
      portefolje saving add --project FOM3 --amount "978 t.kr." --year 2018 --department SF --stage documented --attribution 0 --note "Fald for 29 borgere; kan ikke isoleres fra driften"
    """
    from portefolje.store import economics

    chosen = choice(stage, rules.STAGES, "what.stage") or "estimated"
    estimate = parse_amount(amount)
    values = {
        "amount": estimate,
        **_years(year, from_year),
        "area": rules.area(area) or "service",
        "stage": chosen,
        "realised": parse_amount(realised)
        if realised
        else (estimate if chosen != "estimated" else None),
        "attribution": rules.parse_percent(attribution),
        "price_level": _level(price_level),
        "fte": rules.parse_fte(fte),
        "name": name,
        "note": note,
    }
    with state(ctx).writer() as w:
        record = economics.add_saving(
            w,
            values,
            project=project,
            department=department,
            solution=solution,
            code=code,
            on=_on(date),
        )
    emit_json(record) if as_json else info(added("kind.saving", record))


@saving.command("list")
def saving_list(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option(help="Only this project.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    department: Department = None,
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """List savings as they stood on a date.

    \b
    Example:
      portefolje saving list --portfolio FOM --stage documented
    """
    from portefolje.store import economics

    rows = economics.saving_list(
        state(ctx).conn(),
        as_json=as_json,
        project=project,
        portfolio=portfolio,
        department=department,
        stage=choice(stage, rules.STAGES, "what.stage"),
        as_of=_as_of(as_of),
        fields=None if as_json else [c[0] for c in SAVING_COLUMNS] + ["year", "from_year"],
    )
    emit_json_lines(rows) if as_json else emit_table(_with_when(rows), SAVING_COLUMNS)


@saving.command("show")
def saving_show(ctx: typer.Context, ref: Ref, as_of: AsOf = None, as_json: Json = False) -> None:
    """Show one saving as it stood on a date, with every earlier version of its figures.

    \b
    Example:
      portefolje saving show SV1
    """
    from portefolje.store import economics
    from portefolje.store.registry import resolve

    conn = state(ctx).conn()
    row = resolve(conn, "saving", ref)
    found = economics.savings(conn, [row["id"]], as_of=_as_of(as_of))
    if not found:
        raise Refused(msg("err.saving_not_in_force", code=row["code"]))
    record = {**found[0], "versions": economics.history(conn, "saving", row["code"])}
    emit_json(record) if as_json else emit_record(record)


@saving.command("edit")
def saving_edit(
    ctx: typer.Context,
    ref: Ref,
    amount: Annotated[str | None, typer.Option("--amount", help="New estimate.")] = None,
    realised: Annotated[str | None, typer.Option(help="The realised amount.")] = None,
    attribution: Annotated[
        str | None, typer.Option(help="Per cent attributable to the project.")
    ] = None,
    year: Year = None,
    from_year: FromYear = None,
    project: Annotated[str | None, typer.Option(help="Move to another project.")] = None,
    department: Department = None,
    area: Area = None,
    stage: Annotated[str | None, typer.Option(help="estimated | documented | budgeted")] = None,
    price_level: PriceLevel = None,
    solution: Annotated[str | None, typer.Option(help="Solution ('' clears).")] = None,
    fte: Fte = None,
    name: LineName = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Why it changes (required once documented).")
    ] = None,
    date: Since = None,
    as_json: Json = False,
) -> None:
    """Change a saving from --date (default today): reports for earlier days keep the figures
    they had. Documenting an estimate keeps the estimate beside the realised amount. A
    documented or budgeted saving needs a new --note saying why it changes.

    \b
    Example:
      portefolje saving edit SV2 --stage documented --realised "412 t.kr." --note "Regnskab 2019"
    """
    from portefolje.store import economics

    changes = {
        "amount": parse_amount(amount) if amount else None,
        "realised": parse_amount(realised) if realised else None,
        "attribution": rules.parse_percent(attribution),
        **_years(year, from_year, required=False),
        "area": rules.area(area),
        "stage": choice(stage, rules.STAGES, "what.stage"),
        "price_level": _level(price_level),
        "fte": rules.parse_fte(fte),
        "name": name,
    }
    with state(ctx).writer() as w:
        record = economics.edit_saving(
            w,
            ref,
            changes,
            project=project,
            department=department,
            solution=solution,
            note=note,
            on=_on(date),
        )
    emit_json(record) if as_json else info(
        msg("msg.updated", kind=msg("kind.saving"), code=record["code"])
    )


def _remove(
    ctx: typer.Context, kind: str, ref: str, reason: str | None, date: str | None, as_json: bool
) -> None:
    from portefolje.domain.rules import require_text
    from portefolje.store import economics

    require_text(reason, f"what.reason_remove_{kind}")
    with state(ctx).writer() as w:
        record = (
            economics.remove_target(w, ref, on=_on(date))
            if kind == "target"
            else economics.remove(w, kind, ref, on=_on(date))
        )
    emit_json(record) if as_json else info(
        msg(
            "msg.removed_from",
            kind=msg(f"kind.{kind}"),
            code=record["code"],
            date=_on(date) or msg("msg.today"),
        )
    )


@saving.command("remove")
def saving_remove(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: Since = None, as_json: Json = False
) -> None:
    """Remove a saving from --date (default today); registered by mistake the same day, it goes
    entirely. Reports for earlier days still count it; the journal keeps it.

    \b
    Example:
      portefolje saving remove SV4 --reason "Dobbeltregistreret"
    """
    _remove(ctx, "saving", ref, reason, date, as_json)


INVESTMENT_COLUMNS: list[Column] = [
    ("code", "col.code"),
    ("project", "col.project"),
    ("name", "col.line"),
    ("department", "col.dept"),
    ("area", "col.area"),
    ("year", "col.year"),
    ("amount", "col.amount_kr", kroner),
    ("status", "col.status"),
    ("fte", "col.fte"),
    ("funding", "col.funding"),
]


@investment.command("add")
def investment_add(
    ctx: typer.Context,
    project: Annotated[str, typer.Option("--project", help="Project that needs it.")],
    amount: Amount,
    year: Annotated[str, typer.Option("--year", help="Budget year.")],
    department: Department = None,
    area: Area = None,
    status: Annotated[
        str,
        typer.Option(
            help="granted | applied (a pool application: not a cost until granted) | rejected"
        ),
    ] = "granted",
    funding: Annotated[
        str | None, typer.Option(help="Source, e.g. innovationspulje, éngangsmidler.")
    ] = None,
    price_level: PriceLevel = None,
    fte: Fte = None,
    name: LineName = None,
    note: Note = None,
    date: Since = None,
    code: Code = None,
    as_json: Json = False,
) -> None:
    """Register an investment (a cost) for a project and year; an application (--status applied)
    is shown apart and not counted as a cost until it is granted.

    \b
    Example:
      portefolje investment add --project FOM2 --amount "2 mio" --year 2019 --department SF --status applied --funding "Pulje i Socialstyrelsen"
    """
    from portefolje.store import economics

    values = {
        "amount": parse_amount(amount),
        "year": parse_year(year),
        "area": rules.area(area) or "service",
        "status": rules.investment_status(status) or "granted",
        "funding": funding,
        "price_level": _level(price_level),
        "fte": rules.parse_fte(fte),
        "name": name,
        "note": note,
    }
    with state(ctx).writer() as w:
        record = economics.add_investment(
            w, values, project=project, department=department, code=code, on=_on(date)
        )
    emit_json(record) if as_json else info(added("kind.investment", record))


@investment.command("list")
def investment_list(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option(help="Only this project.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """List investments as they stood on a date.

    \b
    Example:
      portefolje investment list --project FOM2
    """
    from portefolje.store import economics

    rows = economics.investments(
        state(ctx).conn(), project=project, portfolio=portfolio, as_of=_as_of(as_of)
    )
    emit_json(rows) if as_json else emit_table(rows, INVESTMENT_COLUMNS)


@investment.command("edit")
def investment_edit(
    ctx: typer.Context,
    ref: Ref,
    amount: Annotated[str | None, typer.Option("--amount", help="New amount.")] = None,
    year: Annotated[str | None, typer.Option("--year", help="New budget year.")] = None,
    status: Annotated[str | None, typer.Option(help="applied | granted | rejected")] = None,
    project: Annotated[str | None, typer.Option(help="Move to another project.")] = None,
    department: Department = None,
    area: Area = None,
    funding: Annotated[str | None, typer.Option(help="Source of the money.")] = None,
    price_level: PriceLevel = None,
    fte: Fte = None,
    name: LineName = None,
    note: Note = None,
    date: Since = None,
    as_json: Json = False,
) -> None:
    """Change an investment from --date (default today), e.g. when an application is granted.

    \b
    Example:
      portefolje investment edit INV2 --status granted --date 2019-03-01 --note "Bevilget af puljen"
    """
    from portefolje.store import economics

    changes = {
        "amount": parse_amount(amount) if amount else None,
        "year": parse_year(year) if year else None,
        "status": rules.investment_status(status),
        "area": rules.area(area),
        "funding": funding,
        "price_level": _level(price_level),
        "fte": rules.parse_fte(fte),
        "name": name,
        "note": note,
    }
    with state(ctx).writer() as w:
        record = economics.edit_investment(
            w, ref, changes, project=project, department=department, on=_on(date)
        )
    emit_json(record) if as_json else info(
        msg("msg.updated", kind=msg("kind.investment"), code=record["code"])
    )


@investment.command("remove")
def investment_remove(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: Since = None, as_json: Json = False
) -> None:
    """Remove an investment from --date (default today); the journal keeps it.

    \b
    Example:
      portefolje investment remove INV2 --reason "Dobbeltregistreret"
    """
    _remove(ctx, "investment", ref, reason, date, as_json)


@target.command("set")
def target_set(
    ctx: typer.Context,
    portfolio: Annotated[str, typer.Option("--portfolio", help="Portfolio the target belongs to.")],
    amount: Amount,
    year: Year = None,
    from_year: FromYear = None,
    key: Annotated[
        list[str] | None,
        typer.Option("--key", help="DEPARTMENT=SHARE, e.g. SF=1/3 or SF=50% (repeatable)."),
    ] = None,
    price_level: PriceLevel = None,
    note: Note = None,
    date: Since = None,
    as_json: Json = False,
) -> None:
    """Set the portfolio's savings target for a year, or from a year onwards, from --date.

    One target per portfolio and year: setting it again changes it from --date, keeping its
    distribution key, price level and note unless new ones are given. A single-year target
    overrides a recurring one for that year. Without a key the target is not split.

    \b
    Example:
      portefolje target set --portfolio FOM --amount "4 mio" --from-year 2019 --key SF=1/3 --key BA=1/3 --key SPO=1/3
    """
    from portefolje.store import economics

    when = _years(year, from_year)
    parsed_key = rules.parse_key(key) if key else None
    with state(ctx).writer() as w:
        record, kept = economics.set_target(
            w,
            portfolio=portfolio,
            amount=parse_amount(amount),
            year=when["year"],
            from_year=when["from_year"],
            key=parsed_key,
            price_level=_level(price_level),
            note=note,
            on=_on(date),
        )
    if as_json:
        emit_json({**record, "kept": kept})
    else:
        kept_words = ", ".join(msg(f"msg.kept_{k.replace(' ', '_')}") for k in kept)
        info(
            msg("msg.target_set_kept", code=record["code"], kept=kept_words)
            if kept
            else msg("msg.target_set", code=record["code"])
        )


@target.command("list")
def target_list(
    ctx: typer.Context,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """List targets with their distribution keys, as they stood on a date.

    \b
    Example:
      portefolje target list --portfolio FOM
    """
    from portefolje.store import economics

    rows = economics.targets(state(ctx).conn(), portfolio=portfolio, as_of=_as_of(as_of))
    if as_json:
        emit_json(rows)
        return
    for r in _with_when(rows):
        r["key_text"] = ", ".join(f"{k['department']}={k['share']}" for k in r["key"])
    emit_table(
        rows,
        [
            ("code", "col.code"),
            ("portfolio", "col.portfolio"),
            ("when", "col.year"),
            ("amount", "col.amount_kr", kroner),
            ("key_text", "col.key"),
            ("price_level", "col.price_level"),
        ],
    )


@target.command("remove")
def target_remove(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: Since = None, as_json: Json = False
) -> None:
    """Remove a target from --date (default today); reports for earlier days keep it.

    \b
    Example:
      portefolje target remove T2 --reason "Målet er lagt ind i rammen"
    """
    _remove(ctx, "target", ref, reason, date, as_json)


@coverage.command("add")
def coverage_add(
    ctx: typer.Context,
    portfolio: Annotated[
        str, typer.Option("--portfolio", help="Portfolio whose target it covers.")
    ],
    amount: Amount,
    kind: Annotated[
        str,
        typer.Option(
            help="frame-cut (rammebesparelse) | one-off (engangsmidler) | budget-transfer"
        ),
    ],
    year: Year = None,
    from_year: FromYear = None,
    department: Department = None,
    price_level: PriceLevel = None,
    note: Note = None,
    date: Since = None,
    code: Code = None,
    as_json: Json = False,
) -> None:
    """Register coverage of the target that is no project's saving: a frame cut placed in a
    department's budget, one-off money for one year's gap, or a budget transfer.

    \b
    Example:
      portefolje coverage add --portfolio FOM --kind frame-cut --amount "1,33 mio" --from-year 2019 --department SF --note "Kommunalbestyrelsen 12/12 2017"
    """
    from portefolje.store import economics

    values = {
        "amount": parse_amount(amount),
        **_years(year, from_year),
        "kind": rules.coverage_kind(kind),
        "price_level": _level(price_level),
        "note": note,
    }
    rules.check_coverage(values)
    with state(ctx).writer() as w:
        record = economics.add_coverage(
            w, values, portfolio=portfolio, department=department, code=code, on=_on(date)
        )
    emit_json(record) if as_json else info(added("kind.coverage", record))


@coverage.command("list")
def coverage_list(
    ctx: typer.Context,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    as_of: AsOf = None,
    as_json: Json = False,
) -> None:
    """List coverage lines (frame cuts, one-off money, budget transfers).

    \b
    Example:
      portefolje coverage list --portfolio FOM
    """
    from portefolje.store import economics

    rows = economics.coverage(state(ctx).conn(), portfolio=portfolio, as_of=_as_of(as_of))
    emit_json(rows) if as_json else emit_table(
        _with_when(rows),
        [
            ("code", "col.code"),
            ("portfolio", "col.portfolio"),
            ("kind", "col.kind"),
            ("department", "col.dept"),
            ("when", "col.year"),
            ("amount", "col.amount_kr", kroner),
            ("note", "col.note"),
        ],
    )


@coverage.command("remove")
def coverage_remove(
    ctx: typer.Context, ref: Ref, reason: Reason = None, date: Since = None, as_json: Json = False
) -> None:
    """Remove a coverage line from --date (default today).

    \b
    Example:
      portefolje coverage remove DK2 --reason "Dobbeltregistreret"
    """
    _remove(ctx, "coverage", ref, reason, date, as_json)


@index.command("set")
def index_set(
    ctx: typer.Context,
    year: Annotated[str, typer.Argument(help="The year.")],
    value: Annotated[str, typer.Argument(help="Index value, e.g. 100 or 102,4.")],
    as_json: Json = False,
) -> None:
    """Set the price and wage index for a year (typed in from KL's forecasts).

    \b
    Example:
      portefolje index set 2019 102,4
    """
    from portefolje.domain.economics import parse_index
    from portefolje.store import economics

    number = parse_index(value)
    with state(ctx).writer() as w:
        record = economics.set_index(w, parse_year(year), number)
    emit_json(record) if as_json else info(
        msg("msg.index_set", year=record["year"], value=plain_decimal(record["value"]))
    )


@index.command("list")
def index_list(ctx: typer.Context, as_json: Json = False) -> None:
    """List the price and wage index.

    \b
    Example:
      portefolje index list
    """
    from portefolje.store import economics

    rows = [
        {"year": y, "value": v} for y, v in sorted(economics.price_index(state(ctx).conn()).items())
    ]
    emit_json(rows) if as_json else emit_table(rows, [("year", "col.year"), ("value", "col.index")])
