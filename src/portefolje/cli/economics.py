"""saving, investment, target and index: the economics commands."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.cli.options import Code, Json, Ref
from portefolje.cli.output import Column, emit_json, emit_record, emit_table, kroner
from portefolje.domain import economics as rules
from portefolje.domain.amounts import parse_amount
from portefolje.domain.dates import parse_year
from portefolje.domain.errors import InvalidValue
from portefolje.domain.rules import choice

saving = sub_app("Savings claims (provenu): estimated, documented, budgeted.")
investment = sub_app("Investments (implementeringsomkostninger) per project and year.")
target = sub_app("Savings targets (sparemål) with distribution keys (fordelingsnøgler).")
index = sub_app("The price and wage index (pris- og lønindeks) for --price-level.")

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
    ("code", "Code"),
    ("project", "Project"),
    ("department", "Dept."),
    ("area", "Area"),
    ("when", "Year"),
    ("stage", "Stage"),
    ("amount", "Amount (kr.)", kroner),
    ("price_level", "p/l"),
    ("note", "Note"),
]


def _years(year: str | None, from_year: str | None, *, required: bool = True) -> dict[str, Any]:
    if year is not None and from_year is not None:
        raise InvalidValue(
            "give --year for a single year or --from-year for a recurring amount, not both"
        )
    if year is None and from_year is None:
        if required:
            raise InvalidValue("give --year YEAR (a single year) or --from-year YEAR (recurring)")
        return {}
    return {
        "year": parse_year(year) if year else None,
        "from_year": parse_year(from_year) if from_year else None,
    }


def _level(value: str | None) -> int | None:
    return parse_year(value) if value else None


def _with_when(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in rows:
        r["when"] = str(r["year"]) if r.get("year") else f"{r['from_year']}→"
    return rows


@saving.command("add")
def saving_add(
    ctx: typer.Context,
    project: Annotated[str, typer.Option("--project", help="Project that claims it.")],
    amount: Amount,
    year: Year = None,
    from_year: FromYear = None,
    department: Department = None,
    area: Area = None,
    stage: Annotated[str, typer.Option(help="estimated | documented | budgeted")] = "estimated",
    price_level: PriceLevel = None,
    solution: Annotated[str | None, typer.Option(help="Solution it comes from.")] = None,
    note: Note = None,
    code: Code = None,
    as_json: Json = False,
) -> None:
    """Register a saving for a single year or recurring from a year onwards.

    \b
    Example:
      portefolje saving add --project FOM3 --amount "978 t.kr." --year 2018 --department SF --stage documented --note "Fald for 29 borgere; kan ikke isoleres fra driften"
    """
    from portefolje.store import economics

    values = {
        "amount": parse_amount(amount),
        **_years(year, from_year),
        "area": rules.area(area) or "service",
        "stage": choice(stage, rules.STAGES, "stage"),
        "price_level": _level(price_level),
        "note": note,
    }
    with state(ctx).writer() as w:
        record = economics.add_saving(
            w, values, project=project, department=department, solution=solution, code=code
        )
    emit_json(record) if as_json else info(f"added saving {record['code']} (id {record['id']})")


@saving.command("list")
def saving_list(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option(help="Only this project.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    department: Department = None,
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    as_json: Json = False,
) -> None:
    """List savings.

    \b
    Example:
      portefolje saving list --portfolio FOM --stage documented
    """
    from portefolje.store import economics

    rows = economics.savings(
        state(ctx).conn(),
        project=project,
        portfolio=portfolio,
        department=department,
        stage=choice(stage, rules.STAGES, "stage"),
    )
    emit_json(rows) if as_json else emit_table(_with_when(rows), SAVING_COLUMNS)


@saving.command("show")
def saving_show(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Show one saving.

    \b
    Example:
      portefolje saving show SV1
    """
    from portefolje.store import economics
    from portefolje.store.registry import resolve

    conn = state(ctx).conn()
    found = economics.savings(conn, [resolve(conn, "saving", ref)["id"]])[0]
    emit_json(found) if as_json else emit_record(found)


@saving.command("edit")
def saving_edit(
    ctx: typer.Context,
    ref: Ref,
    amount: Annotated[str | None, typer.Option("--amount", help="New amount.")] = None,
    year: Year = None,
    from_year: FromYear = None,
    project: Annotated[str | None, typer.Option(help="Move to another project.")] = None,
    department: Department = None,
    area: Area = None,
    stage: Annotated[str | None, typer.Option(help="estimated | documented | budgeted")] = None,
    price_level: PriceLevel = None,
    solution: Annotated[str | None, typer.Option(help="Solution ('' clears).")] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Why it changes (required once documented).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Change a saving; a documented or budgeted saving needs a --note saying why.

    \b
    Example:
      portefolje saving edit SV2 --stage documented --note "Dokumenteret i regnskab 2019"
    """
    from portefolje.store import economics

    changes = {
        "amount": parse_amount(amount) if amount else None,
        **_years(year, from_year, required=False),
        "area": rules.area(area),
        "stage": choice(stage, rules.STAGES, "stage"),
        "price_level": _level(price_level),
    }
    with state(ctx).writer() as w:
        record = economics.edit_saving(
            w, ref, changes, project=project, department=department, solution=solution, note=note
        )
    emit_json(record) if as_json else info(f"updated saving {record['code']}")


@saving.command("remove")
def saving_remove(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Remove a saving; the journal keeps it as it was.

    \b
    Example:
      portefolje saving remove SV4
    """
    from portefolje.store import economics

    with state(ctx).writer() as w:
        record = economics.remove(w, "saving", ref)
    emit_json(record) if as_json else info(f"removed saving {record['code']} (kept in the journal)")


@investment.command("add")
def investment_add(
    ctx: typer.Context,
    project: Annotated[str, typer.Option("--project", help="Project that needs it.")],
    amount: Amount,
    year: Annotated[str, typer.Option("--year", help="Budget year.")],
    department: Department = None,
    area: Area = None,
    funding: Annotated[
        str | None, typer.Option(help="Source, e.g. innovationspulje, éngangsmidler.")
    ] = None,
    price_level: PriceLevel = None,
    note: Note = None,
    code: Code = None,
    as_json: Json = False,
) -> None:
    """Register an investment (a cost) for a project and year.

    \b
    Example:
      portefolje investment add --project FOM2 --amount "2 mio" --year 2019 --department SF --funding "Pulje i Socialstyrelsen (ansøgt)"
    """
    from portefolje.store import economics

    values = {
        "amount": parse_amount(amount),
        "year": parse_year(year),
        "area": rules.area(area) or "service",
        "funding": funding,
        "price_level": _level(price_level),
        "note": note,
    }
    with state(ctx).writer() as w:
        record = economics.add_investment(
            w, values, project=project, department=department, code=code
        )
    emit_json(record) if as_json else info(f"added investment {record['code']} (id {record['id']})")


@investment.command("list")
def investment_list(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option(help="Only this project.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    as_json: Json = False,
) -> None:
    """List investments.

    \b
    Example:
      portefolje investment list --project FOM2
    """
    from portefolje.store import economics

    rows = economics.investments(state(ctx).conn(), project=project, portfolio=portfolio)
    emit_json(rows) if as_json else emit_table(
        rows,
        [
            ("code", "Code"),
            ("project", "Project"),
            ("department", "Dept."),
            ("area", "Area"),
            ("year", "Year"),
            ("amount", "Amount (kr.)", kroner),
            ("funding", "Funding"),
        ],
    )


@investment.command("remove")
def investment_remove(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Remove an investment; the journal keeps it as it was.

    \b
    Example:
      portefolje investment remove INV2
    """
    from portefolje.store import economics

    with state(ctx).writer() as w:
        record = economics.remove(w, "investment", ref)
    emit_json(record) if as_json else info(
        f"removed investment {record['code']} (kept in the journal)"
    )


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
    as_json: Json = False,
) -> None:
    """Set the portfolio's savings target for a year, or from a year onwards, with its key.

    Setting the same year again replaces it. A single-year target overrides a recurring one for
    that year. Without --key the target is not split across departments.

    \b
    Example:
      portefolje target set --portfolio FOM --amount "4 mio" --from-year 2019 --key SF=1/3 --key BA=1/3 --key SPO=1/3
    """
    from portefolje.store import economics

    when = _years(year, from_year)
    parsed_key = rules.parse_key(key or [])
    with state(ctx).writer() as w:
        record = economics.set_target(
            w,
            portfolio=portfolio,
            amount=parse_amount(amount),
            year=when["year"],
            from_year=when["from_year"],
            key=parsed_key,
            price_level=_level(price_level),
            note=note,
        )
    emit_json(record) if as_json else info(f"target {record['code']} set")


@target.command("list")
def target_list(
    ctx: typer.Context,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    as_json: Json = False,
) -> None:
    """List targets with their distribution keys.

    \b
    Example:
      portefolje target list --portfolio FOM
    """
    from portefolje.store import economics

    rows = economics.targets(state(ctx).conn(), portfolio=portfolio)
    if as_json:
        emit_json(rows)
        return
    for r in _with_when(rows):
        r["key_text"] = ", ".join(f"{k['department']}={k['share']}" for k in r["key"])
    emit_table(
        rows,
        [
            ("code", "Code"),
            ("portfolio", "Portfolio"),
            ("when", "Year"),
            ("amount", "Amount (kr.)", kroner),
            ("key_text", "Key"),
            ("price_level", "p/l"),
        ],
    )


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
    import re

    from portefolje.store import economics

    text = value.strip().replace(",", ".")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text, re.ASCII) or float(text) <= 0:
        raise InvalidValue(f"invalid index value {value!r}: write a positive number such as 102,4")
    with state(ctx).writer() as w:
        record = economics.set_index(w, parse_year(year), float(text))
    emit_json(record) if as_json else info(f"index {record['year']} = {record['value']}")


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
    emit_json(rows) if as_json else emit_table(rows, [("year", "Year"), ("value", "Index")])
