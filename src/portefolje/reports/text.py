"""Formatting values for reports, and the plain-text, Markdown, JSON and CSV renderers."""

from __future__ import annotations

import json
import re
from typing import Any

from portefolje.domain.amounts import format_kr, format_number
from portefolje.domain.dates import format_long
from portefolje.reports.model import (
    BarChart,
    Column,
    Fields,
    Kind,
    LineChart,
    Matrix,
    Paragraph,
    Report,
    Subheading,
    Table,
    Timeline,
)
from portefolje.terminal import PADDING, printable, simple_layout


def matrix_rows(block: Matrix) -> tuple[list[str], list[list[str]]]:
    """A matrix as a table for the formats without drawings: a corner naming both axes, one
    column per column label, one row per row label; an empty cell shows '·'."""
    headers = [f"{block.row_axis} ↓ / {block.column_axis} →", *block.columns]
    body = [
        [label, *[", ".join(cell) or "·" for cell in block.cells[r]]]
        for r, label in enumerate(block.rows)
    ]
    return headers, body


def line_points(chart: LineChart, lang: str) -> list[tuple[str, list[str]]]:
    """A line chart as rows of text: (date, one value per series), for the formats without
    drawings."""
    unit: Kind = "percent" if chart.unit == "%" else ("money" if chart.unit == "kr." else "number")
    return [
        (format_long(day, lang), [fmt(values[i], unit, lang) for _, values in chart.series])
        for i, day in enumerate(chart.categories)
    ]


def fmt(value: Any, kind: Kind, lang: str) -> str:
    """A value as a reader sees it: Danish dates and amounts by default."""
    if value is None or value == "" or value == []:
        return ""
    if kind == "date":
        return format_long(value, lang)
    if kind == "money":
        return format_kr(int(value), lang)
    if kind == "number":
        if isinstance(value, float) and not value.is_integer():
            text = f"{value:.1f}"
            return text if lang == "en" else text.replace(".", ",")
        return format_number(int(value), lang)
    if kind == "percent":
        text = f"{float(value):.1f} %"
        return text if lang == "en" else text.replace(".", ",")
    if kind == "years":
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = f"{float(value):.1f}"
            return f"{number} years" if lang == "en" else f"{number.replace('.', ',')} år"
        return str(value)
    if kind == "list":
        return ", ".join(str(v) for v in value)
    if kind == "year":
        return str(value)
    if kind == "health":
        from portefolje.i18n import labels

        return labels(lang)(str(value))
    return str(value)


# -- plain text ----------------------------------------------------------------------------------

_UNPLAIN = re.compile("[\r\n\x1b]")


def simple_table(body: list[list[str]], headers: list[str]) -> str:
    """tabulate's 'simple' table of pre-formatted text (disable_numparse), byte for byte, without
    its per-cell type detection (4 of the 7 s that tabulate spent on the savings report's
    30,000 rows at L); cells with line breaks or terminal codes, or wide-character mode, still go
    through tabulate itself."""
    import tabulate as tabulate_module

    if (
        not body
        or tabulate_module.wcwidth is not None
        or _UNPLAIN.search("\t".join(headers))
        or any(_UNPLAIN.search("\t".join(row)) for row in body)
    ):
        return tabulate_module.tabulate(body, headers, tablefmt="simple", disable_numparse=True)
    columns = [[cell.strip() for cell in column] for column in zip(*body, strict=True)]
    widths = [
        max(len(header) + PADDING, *map(len, column))
        for header, column in zip(headers, columns, strict=True)
    ]
    lines, layout = simple_layout(headers, widths)
    lines += map(layout, zip(*columns, strict=True))
    return "\n".join(lines)


def render_text(report: Report) -> str:
    from tabulate import tabulate

    out = [report.title, "=" * len(report.title)]
    out += [f"{label}: {value}" for label, value in report.facts]
    for section in report.sections:
        out += ["", section.title, "-" * len(section.title)]
        for block in section.blocks:
            if isinstance(block, Table):
                if not block.rows:
                    out.append(block.empty or "–")
                    continue
                body = [
                    [fmt(r.get(c.key), c.kind, report.lang) for c in block.columns]
                    for r in block.rows
                ]
                out.append(simple_table(body, [c.label for c in block.columns]))
            elif isinstance(block, Fields):
                width = max((len(label) for label, _, _ in block.items), default=0)
                out += [
                    f"{label.ljust(width)}  {fmt(v, k, report.lang)}" for label, v, k in block.items
                ]
            elif isinstance(block, Paragraph):
                out.append(block.text)
            elif isinstance(block, Subheading):
                out += ["", block.text, "·" * len(block.text)]
            elif isinstance(block, BarChart):
                out.append(block.title + ":")
                for i, category in enumerate(block.categories):
                    parts = [
                        f"{name} {fmt(values[i], 'money', report.lang)}"
                        for name, values in block.series
                    ]
                    out.append(f"  {category}: " + "; ".join(parts))
            elif isinstance(block, LineChart):
                out.append(block.title + ":")
                names = [name for name, _ in block.series]
                for day, values in line_points(block, report.lang):
                    pairs = zip(names, values, strict=True)
                    out.append(f"  {day}: " + "; ".join(f"{n} {v}" for n, v in pairs))
            elif isinstance(block, Matrix):
                headers, body = matrix_rows(block)
                out.append(block.title + ":")
                out.append(tabulate(body, headers, tablefmt="simple", disable_numparse=True))
                if block.legend:
                    out.append("  " + "; ".join(text for _, text in block.legend))
            elif isinstance(block, Timeline):
                continue  # the calendar tables carry the same dates
    return printable("\n".join(out), keep_newlines=True) + "\n"


# -- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Escape Markdown syntax in user text: table pipes, links, emphasis, HTML; no newlines."""
    plain = " ".join(str(text).split())
    # most cells (amounts, years, codes) have nothing to escape: a search is a third of a sub
    return _MD_SPECIAL.sub(r"\\\1", plain) if _MD_SPECIAL.search(plain) else plain


def render_md(report: Report) -> str:
    out = [f"# {md_escape(report.title)}", ""]
    out += [f"- **{md_escape(label)}:** {md_escape(value)}" for label, value in report.facts]
    for section in report.sections:
        out += ["", f"## {md_escape(section.title)}", ""]
        for block in section.blocks:
            if isinstance(block, Table):
                if not block.rows:
                    out += [md_escape(block.empty or "–"), ""]
                    continue
                out.append("| " + " | ".join(md_escape(c.label) for c in block.columns) + " |")
                out.append(
                    "|"
                    + "|".join(
                        "---:" if c.kind in ("money", "number", "percent") else "---"
                        for c in block.columns
                    )
                    + "|"
                )
                for r in block.rows:
                    cells = [
                        md_escape(fmt(r.get(c.key), c.kind, report.lang)) for c in block.columns
                    ]
                    out.append("| " + " | ".join(cells) + " |")
                out.append("")
            elif isinstance(block, Fields):
                out += [
                    f"- **{md_escape(label)}:** {md_escape(fmt(v, k, report.lang))}"
                    for label, v, k in block.items
                ]
                out.append("")
            elif isinstance(block, Paragraph):
                out += [md_escape(block.text), ""]
            elif isinstance(block, Subheading):
                out += [f"### {md_escape(block.text)}", ""]
            elif isinstance(block, BarChart):
                out.append(f"*{md_escape(block.title)}*")
                out.append("")
                out.append("| | " + " | ".join(md_escape(c) for c in block.categories) + " |")
                out.append("|---|" + "---:|" * len(block.categories))
                for name, values in block.series:
                    out.append(
                        f"| {md_escape(name)} | "
                        + " | ".join(md_escape(fmt(v, "money", report.lang)) for v in values)
                        + " |"
                    )
                out.append("")
            elif isinstance(block, Matrix):
                out += _md_matrix(block)
            elif isinstance(block, LineChart):
                out += [f"*{md_escape(block.title)}*", ""]
                out.append("| | " + " | ".join(md_escape(n) for n, _ in block.series) + " |")
                out.append("|---|" + "---:|" * len(block.series))
                for day, shown in line_points(block, report.lang):
                    row_text = " | ".join(md_escape(v) for v in shown)
                    out.append(f"| {md_escape(day)} | {row_text} |")
                out.append("")
    return printable("\n".join(out).rstrip(), keep_newlines=True) + "\n"


def _md_matrix(block: Matrix) -> list[str]:
    headers, body = matrix_rows(block)
    out = [f"*{md_escape(block.title)}*", ""]
    out.append("| " + " | ".join(md_escape(h) for h in headers) + " |")
    out.append("|---|" + ":---:|" * len(block.columns))
    out += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in body]
    if block.legend:
        out += ["", md_escape("; ".join(text for _, text in block.legend))]
    return [*out, ""]


# -- JSON and CSV --------------------------------------------------------------------------------


def render_json(report: Report) -> str:
    """Compact JSON: the C encoder (used only without indent) keeps large reports fast."""
    return json.dumps(report.data, ensure_ascii=False, separators=(",", ":")) + "\n"


# Danish headers for the flat CSV tables whose columns carry their keys as labels (the keys stay
# the headers with --lang en, for scripts). A column with a real label uses that label.
CSV_HEADERS_DA: dict[str, str] = {
    "segment_code": "Segmentkode",
    "segment": "Segment",
    "code": "Kode",
    "title": "Titel",
    "status_code": "Status",
    "status": "Status",
    "phase": "Fase",
    "health": "Sundhed",
    "health_comment": "Kommentar til sundhed",
    "solutions": "Løsninger",
    "next_milestone_title": "Næste milepæl",
    "next_milestone_due": "Næste milepæl, dato",
    "overdue": "Overskredne milepæle",
    "savings_estimated": "Provenu, estimeret",
    "savings_documented": "Provenu, dokumenteret",
    "savings_budgeted": "Provenu, budgetlagt",
    "coverage": "Anden dækning",
    "not_attributable": "Ikke henførbart",
    "level": "Niveau",
    "key": "Nøgle",
    "year": "År",
    "target": "Sparemål",
    "estimated": "Estimeret",
    "documented": "Dokumenteret",
    "budgeted": "Budgetlagt",
    "gap": "Mangler",
    "gap_with_estimated": "Mangler inkl. estimeret",
    "investment": "Investering",
    "effect_service": "Effekt, service",
    "effect_total": "Effekt i alt",
    "net": "Netto",
    "cumulative_net": "Akkumuleret netto",
    "meeting_date": "Mødedato",
    "committee": "Udvalg",
    "kind": "Type",
    "prior": "Forbehandling",
    "projects": "Projekter",
    "project": "Projekt",
    "original_meeting_date": "Oprindelig mødedato",
    "department": "Afdeling",
    "area": "Styringsområde",
    "amount": "Beløb",
    "date": "Dato",
    "due_date": "Dato",
    "note": "Note",
}


def csv_header(column: Column, lang: str) -> str:
    """The CSV header of a column: its key with --lang en, a Danish label with da."""
    if lang == "en":
        return column.key
    if column.key in CSV_HEADERS_DA:
        return CSV_HEADERS_DA[column.key]
    return column.label or column.key


def render_csv(report: Report) -> str:
    """The report's flat table in the one CSV dialect (cells.py): semicolons, Danish headers,
    raw values (ISO dates, integer kroner, decimal comma), Excel-safe text. The byte-order mark
    is part of the text, so the file opens right in Danish Excel."""
    from portefolje.cells import csv_bytes

    table = report.rows
    if table is None:
        raise ValueError(f"the {report.kind} report has no CSV form")
    data = csv_bytes(
        [csv_header(c, report.lang) for c in table.columns],
        ([row.get(c.key) for c in table.columns] for row in table.rows),
    )
    return data.decode("utf-8")
