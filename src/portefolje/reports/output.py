"""Turning a built report into bytes of one format, and writing it where it was asked to go."""

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg
from portefolje.reports.model import Report

FORMATS = ("text", "md", "html", "json", "csv", "xlsx", "ics")
BINARY = ("xlsx",)
# the file extension {format} stands for, where it is not the format's name
EXTENSIONS = {"text": "txt"}


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
            raise InvalidValue(msg("err.report_no_form", report=report.kind, format="csv"))
        from portefolje.reports.text import render_csv

        return render_csv(report).encode("utf-8")
    if fmt == "xlsx":
        from portefolje.reports.xlsx import render_xlsx

        return render_xlsx(report)
    if fmt == "ics":
        from portefolje.reports.ics import render_ics

        return render_ics(report)
    raise InvalidValue(msg("err.unknown_format", format=fmt, choices=", ".join(FORMATS)))


# -- file names ----------------------------------------------------------------------------------

_SEPARATORS = set('/\\:*?"<>|')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10))}
_RESERVED |= {f"LPT{i}" for i in range(1, 10)}
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def safe_name(text: str) -> str:
    """`text` as one file-name component: no path separators, no "." or "..", no control
    characters, nothing Windows refuses (a share is often SMB); at most 100 characters."""
    name = "".join(
        "-" if ch in _SEPARATORS or unicodedata.category(ch)[0] == "C" else ch
        for ch in unicodedata.normalize("NFC", text)
    )
    name = re.sub(r"\.{2,}", ".", " ".join(name.split())).strip(" .")[:100].strip(" .")
    if not name:
        return "_"
    if name.split(".")[0].upper() in _RESERVED:
        name += "_"
    return name


def target_path(pattern: Path, *, as_of: date, portfolio: str | None, fmt: str) -> Path:
    """--out with {date}, {portfolio} and {format} filled in: reports/{portfolio}/{date}.html.

    The pattern may hold folders; the values put into it are single, safe name components, so
    a portfolio called "../../x" cannot write outside the folder. "-" means standard output.
    """
    text = str(pattern)
    if text == "-":
        return pattern
    values = {
        "date": as_of.isoformat(),
        "portfolio": safe_name(portfolio or "alle"),
        "format": EXTENSIONS.get(fmt, fmt),
    }

    def fill(m: re.Match[str]) -> str:
        token = m.group(0)
        if token in ("{{", "}}"):
            return token[0]
        if m.group(1) not in values:
            raise InvalidValue(msg("err.out_placeholders", text=text))
        return values[m.group(1)]

    return Path(_PLACEHOLDER.sub(fill, text))


def is_stdout(out: Path | None) -> bool:
    return out is None or str(out) == "-"


def deliver(
    data: bytes, *, out: Path | None, as_of: date, portfolio: str | None, fmt: str
) -> Path | None:
    """Standard output (no --out, or "-"), or a file written atomically (folders created; never
    half-written; only a regular file or a new path). Returns the file written, if any."""
    if is_stdout(out):
        if fmt in BINARY and (out is None or sys.stdout.isatty()):
            raise InvalidValue(msg("err.binary_format", format=fmt))
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return None
    assert out is not None
    from portefolje.reports.files import write_atomic

    path = target_path(out, as_of=as_of, portfolio=portfolio, fmt=fmt)
    write_atomic(path, data)
    return path


def render_all(report: Report) -> dict[str, bytes]:
    """Every format the report has, for publishing: what was sent can be reprinted in any."""
    from portefolje.reports.formats import REPORT_FORMATS

    return {f: render(report, f) for f in REPORT_FORMATS[report.kind]}
