"""indicator: add, list, show, measure — the non-economic benefits register (effektmål)."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.cli.options import Code, DateOpt, Json, Ref, effective_date
from portefolje.cli.output import added, emit_json, emit_record, emit_table
from portefolje.domain.dates import parse_optional_date
from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg, plain_decimal

app = sub_app("Effect indicators (effektmål): baseline, target and measurements.")

COLUMNS = [
    ("code", "col.code"),
    ("name", "col.indicator"),
    ("project", "col.project"),
    ("unit", "col.unit"),
    ("baseline", "col.baseline"),
    ("target", "col.target"),
    ("latest", "col.latest"),
    ("latest_date", "col.measured"),
    ("achievement_pct", "col.achieved_pct"),
    ("trend", "col.trend"),
]


def parse_value(text: str | None) -> float | None:
    """A measured value: '12', '12,5', '-3', '45 %'. Decimal comma or point; no thousands dots."""
    if text is None or not str(text).strip():
        return None
    s = str(text).strip().rstrip("%").strip().replace(",", ".")
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", s, re.ASCII):
        raise InvalidValue(msg("err.invalid_measurement", value=text))
    return float(s)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help='What is measured, e.g. "flere i ordinær beskæftigelse".')
    ],
    project: Annotated[str | None, typer.Option("--project", help="Project it follows.")] = None,
    portfolio: Annotated[
        str | None,
        typer.Option(help="Or the portfolio, for the programme's own success criteria."),
    ] = None,
    unit: Annotated[str | None, typer.Option(help='Unit, e.g. "borgere" or "%".')] = None,
    baseline: Annotated[str | None, typer.Option(help="Baseline value.")] = None,
    baseline_date: Annotated[
        str | None, typer.Option("--baseline-date", help="Date of the baseline.")
    ] = None,
    target: Annotated[str | None, typer.Option(help="Target value.")] = None,
    target_date: Annotated[
        str | None, typer.Option("--target-date", help="When the target should be reached.")
    ] = None,
    measured_by: Annotated[
        str | None, typer.Option("--measured-by", help="Who measures it (a role).")
    ] = None,
    code: Code = None,
    as_json: Json = False,
) -> None:
    """Add an effect indicator to a project, or to a portfolio (its own success criteria).

    \b
    Example:
      portefolje indicator add "Forældre tilbage i job" --project FOM2 --unit familier --baseline 0 --baseline-date "maj 2019" --target 4 --target-date 2019-12-31
    """
    from portefolje.store import indicators

    b_date = parse_optional_date(baseline_date)
    t_date = parse_optional_date(target_date, end=True)  # a month as a target means its end
    values = {
        "name": name,
        "unit": unit,
        "baseline": parse_value(baseline),
        "baseline_date": b_date.isoformat() if b_date else None,
        "target": parse_value(target),
        "target_date": t_date.isoformat() if t_date else None,
        "measured_by": measured_by,
    }
    with state(ctx).writer() as w:
        record = indicators.add(w, values, project=project, portfolio=portfolio, code=code)
    emit_json(record) if as_json else info(added("kind.indicator", record))


@app.command("list")
def list_(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option(help="Only this project.")] = None,
    portfolio: Annotated[str | None, typer.Option(help="Only this portfolio.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="With the measurements made by this date.")
    ] = None,
    as_json: Json = False,
) -> None:
    """List indicators with the latest value, achievement against target and trend.

    \b
    Example:
      portefolje indicator list --portfolio FOM
    """
    from portefolje.store import indicators

    rows = indicators.indicators(
        state(ctx).conn(), project=project, portfolio=portfolio, as_of=parse_optional_date(as_of)
    )
    emit_json(rows) if as_json else emit_table(rows, COLUMNS)


@app.command("show")
def show(ctx: typer.Context, ref: Ref, as_json: Json = False) -> None:
    """Show one indicator with all measurements.

    \b
    Example:
      portefolje indicator show I1
    """
    from portefolje.store import indicators

    found = indicators.record(state(ctx).conn(), ref)
    emit_json(found) if as_json else emit_record(found)


@app.command("measure")
def measure(
    ctx: typer.Context,
    ref: Ref,
    value: Annotated[str, typer.Argument(help="The measured value.")],
    date: DateOpt = None,
    note: Annotated[str | None, typer.Option(help="How it was measured.")] = None,
    as_json: Json = False,
) -> None:
    """Record a dated measurement of an indicator.

    \b
    Example:
      portefolje indicator measure I1 2 --date 2019-09-30
    """
    from portefolje.store import indicators

    number = parse_value(value)
    if number is None:
        raise InvalidValue(msg("err.value_required"))
    on = effective_date(date)
    with state(ctx).writer() as w:
        record = indicators.measure(w, ref, number, on=on, note=note)
    latest = plain_decimal(record["latest"])
    emit_json(record) if as_json else info(
        msg(
            "msg.measured_pct",
            code=record["code"],
            value=latest,
            date=on,
            pct=plain_decimal(record["achievement_pct"]),
        )
        if record["achievement_pct"] is not None
        else msg("msg.measured", code=record["code"], value=latest, date=on)
    )


@app.command("unmeasure")
def unmeasure(
    ctx: typer.Context,
    ref: Ref,
    date: Annotated[str, typer.Option("--date", help="The date of the mistaken measurement.")],
    reason: Annotated[str | None, typer.Option(help="Why it goes (required).")] = None,
    as_json: Json = False,
) -> None:
    """Remove a mistaken measurement (the one on that date); the journal keeps it.

    \b
    Example:
      portefolje indicator unmeasure I1 --date 2019-09-30 --reason "Tastefejl: 2 ikke 20"
    """
    from portefolje.domain.dates import parse_date
    from portefolje.domain.rules import require_text
    from portefolje.store import indicators

    require_text(reason, "what.reason_remove_measurement")
    with state(ctx).writer() as w:
        record = indicators.unmeasure(w, ref, on=parse_date(date).isoformat())
    emit_json(record) if as_json else info(msg("msg.unmeasured", code=record["code"]))


@app.command("remove")
def remove(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why it goes (required).")] = None,
    as_json: Json = False,
) -> None:
    """Remove an indicator registered by mistake, with its measurements (the journal keeps them).

    \b
    Example:
      portefolje indicator remove I4 --reason "Oprettet to gange"
    """
    from portefolje.domain.rules import require_text
    from portefolje.store import indicators
    from portefolje.store.register import remove as remove_record

    require_text(reason, "what.reason_remove_indicator")
    with state(ctx).writer() as w:
        record = indicators.record(w.conn, ref)
        remove_record(w, "indicator", ref)
    emit_json(record) if as_json else info(
        msg("msg.removed", kind=msg("kind.indicator"), code=record["code"])
    )
