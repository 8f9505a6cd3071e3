"""Option types shared by several commands, so each flag means the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

Json = Annotated[
    bool, typer.Option("--json", help="Print the result as JSON on stdout (only JSON).")
]
Code = Annotated[str | None, typer.Option("--code", help="Short human code (default: generated).")]
Ref = Annotated[str, typer.Argument(help="Id, code or exact name.", show_default=False)]
AsOf = Annotated[
    str | None, typer.Option("--as-of", help="As it stood on this date (default today).")
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date", help="Effective date: 2019-01-16, 16/1 2019, 16. januar 2019, today (default)."
    ),
]


def effective_date(value: str | None) -> str:
    """An effective date (--date) as ISO text; today in Copenhagen when it is left out."""
    from portefolje.domain.dates import parse_date, today

    return (parse_date(value) if value else today()).isoformat()


def iso_date(value: str | None, *, end: bool = False) -> str | None:
    """An optional date option as ISO text (a month or quarter ends on its last day with end)."""
    from portefolje.domain.dates import parse_optional_date

    parsed = parse_optional_date(value, end=end)
    return parsed.isoformat() if parsed else None
