"""Turning a built report into bytes of one format, and writing it where it was asked to go."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from portefolje.domain.errors import InvalidValue
from portefolje.reports.model import Report

FORMATS = ("text", "md", "html", "json", "csv", "xlsx")


def render(report: Report, fmt: str) -> bytes:
    if fmt == "text":
        from portefolje.reports.text import render_text

        return render_text(report).encode("utf-8")
    if fmt == "md":
        from portefolje.reports.text import render_md

        return render_md(report).encode("utf-8")
    if fmt == "html":
        from portefolje.reports.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "json":
        from portefolje.reports.text import render_json

        return render_json(report).encode("utf-8")
    if fmt == "csv":
        if report.rows is None:
            raise InvalidValue(f"the {report.kind} report has no csv form; use md, html or json")
        from portefolje.reports.text import render_csv

        return render_csv(report).encode("utf-8")
    if fmt == "xlsx":
        from portefolje.reports.xlsx import render_xlsx

        return render_xlsx(report)
    raise InvalidValue(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")


def target_path(pattern: Path, *, as_of: date, portfolio: str | None, fmt: str) -> Path:
    """--out with {date}, {portfolio} and {format} filled in: reports/{portfolio}/{date}.html."""
    text = str(pattern)
    try:
        filled = text.format(date=as_of.isoformat(), portfolio=portfolio or "alle", format=fmt)
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidValue(
            f"invalid --out {text!r}: the placeholders are {{date}}, {{portfolio}} and {{format}}"
        ) from exc
    return Path(filled)


def render_all(report: Report) -> dict[str, bytes]:
    """Every format the report has, for publishing: what was sent can be reprinted in any."""
    formats = [f for f in FORMATS if f != "csv" or report.rows is not None]
    if report.kind in ("project", "deliverables"):
        formats = [f for f in formats if f != "xlsx"]
    return {f: render(report, f) for f in formats}
