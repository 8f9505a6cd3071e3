"""The XLSX renderer: one sheet per report section, typed cells.

Amounts are numbers with a kroner format, dates are dates, and text is always written as text:
a cell that starts with = + - @ (or a tab or carriage return) also gets Excel's quote prefix, so
no spreadsheet ever evaluates it as a formula. The workbook's timestamps are fixed to the
report's as-of date, so the same database and --as-of give the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from portefolje.reports.model import (
    BarChart,
    Fields,
    Kind,
    LineChart,
    Matrix,
    Paragraph,
    Report,
    Table,
    Timeline,
)
from portefolje.reports.text import _FORMULA, fmt


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Ark"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:26]} {n}"
        n += 1
    used.add(name.lower())
    return name


def render_xlsx(report: Report) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    # a fixed timestamp keeps the bytes reproducible for the same database and as-of date
    as_of = report.data.get("as_of")
    stamp = datetime.fromisoformat(as_of if isinstance(as_of, str) else "2000-01-01")
    book.set_properties({"title": report.title, "created": stamp, "author": "portefolje"})
    bold = book.add_format({"bold": True, "bg_color": "#EEF2F5", "border": 1})
    title_fmt = book.add_format({"bold": True, "font_size": 14})
    money = book.add_format({"num_format": '#,##0 "kr."'})
    number = book.add_format({"num_format": "#,##0.##"})
    percent = book.add_format({"num_format": "0.0%"})
    day = book.add_format({"num_format": "dd-mm-yyyy"})
    quoted = book.add_format({"quote_prefix": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    level_fmt = _level_formats(book)

    def text(sheet: Any, row: int, col: int, value: Any, cell_format: Any = None) -> None:
        s = "" if value is None else str(value)
        if s.startswith(_FORMULA):
            sheet.write_string(row, col, s, quoted)
        else:
            sheet.write_string(row, col, s, cell_format)

    def cell(sheet: Any, row: int, col: int, value: Any, kind: Kind) -> None:
        if value is None or value == "":
            sheet.write_blank(row, col, None)
        elif kind == "money" and isinstance(value, int):
            sheet.write_number(row, col, value, money)
        elif kind == "number" and isinstance(value, (int, float)):
            sheet.write_number(row, col, value, number)
        elif kind == "percent" and isinstance(value, (int, float)):
            sheet.write_number(row, col, value / 100, percent)
        elif kind == "year" and isinstance(value, int):
            sheet.write_number(row, col, value)
        elif kind == "date" and isinstance(value, str):
            sheet.write_datetime(row, col, datetime.fromisoformat(value), day)
        else:
            text(
                sheet,
                row,
                col,
                fmt(value, kind, report.lang) if kind in ("list", "health") else value,
            )

    used: set[str] = set()
    for section in report.sections:
        sheet = book.add_worksheet(_sheet_name(section.title, used))
        text(sheet, 0, 0, section.title, title_fmt)
        row = 2
        widths: dict[int, int] = {}
        for block in section.blocks:
            if isinstance(block, Table):
                for c, column in enumerate(block.columns):
                    text(sheet, row, c, column.label, bold)
                    widths[c] = max(widths.get(c, 8), len(column.label) + 2)
                if not block.rows:
                    text(sheet, row + 1, 0, block.empty)
                for r, item in enumerate(block.rows, start=row + 1):
                    for c, column in enumerate(block.columns):
                        value = item.get(column.key)
                        cell(sheet, r, c, value, column.kind)
                        widths[c] = min(max(widths.get(c, 8), len(str(value or "")) + 2), 60)
                if block.rows:
                    sheet.freeze_panes(row + 1, 0) if row == 2 else None
                row += len(block.rows) + 3
            elif isinstance(block, Fields):
                for label, value, kind in block.items:
                    text(sheet, row, 0, label, bold)
                    cell(sheet, row, 1, value, kind)
                    widths[1] = min(max(widths.get(1, 8), len(str(value or "")) + 2), 80)
                    row += 1
                row += 1
            elif isinstance(block, Paragraph):
                text(sheet, row, 0, block.text, wrap)
                row += 2
            elif isinstance(block, BarChart):
                text(sheet, row, 0, block.title, bold)
                for c, category in enumerate(block.categories, start=1):
                    text(sheet, row, c, category, bold)
                for r, (name, values) in enumerate(block.series, start=row + 1):
                    text(sheet, r, 0, name)
                    for c, value in enumerate(values, start=1):
                        sheet.write_number(r, c, value, money)
                row += len(block.series) + 2
            elif isinstance(block, LineChart):
                text(sheet, row, 0, block.title, bold)
                for c, (name, _) in enumerate(block.series, start=1):
                    text(sheet, row, c, name, bold)
                for r, day in enumerate(block.categories, start=row + 1):
                    cell(sheet, r, 0, day, "date")
                    for c, (_, points) in enumerate(block.series, start=1):
                        point = points[r - row - 1]
                        if point is not None:
                            sheet.write_number(r, c, point, number)
                row += len(block.categories) + 2
            elif isinstance(block, Matrix):
                row = _matrix(block, sheet, row, text, bold, level_fmt, widths)
            elif isinstance(block, Timeline):
                continue
        widths[0] = max(widths.get(0, 12), 14)
        for c, width in widths.items():
            sheet.set_column(c, c, width)
    book.close()
    return buffer.getvalue()


def _level_formats(book: Any) -> dict[str, Any]:
    """The risk matrix's bands, coloured as the HTML page colours them."""
    return {
        level: book.add_format(
            {"bg_color": colour, "border": 1, "align": "center", "text_wrap": True}
        )
        for level, colour in (("low", "#CDEBD5"), ("medium", "#FBE9A6"), ("high", "#F4B7B3"))
    }


def _matrix(
    block: Matrix,
    sheet: Any,
    row: int,
    text: Callable[..., None],
    bold: Any,
    level_fmt: dict[str, Any],
    widths: dict[int, int],
) -> int:
    """The matrix as coloured cells under its title; returns the next free row."""
    text(sheet, row, 0, block.title, bold)
    text(sheet, row + 1, 0, f"{block.row_axis} ↓ / {block.column_axis} →", bold)
    for c, label in enumerate(block.columns, start=1):
        text(sheet, row + 1, c, label, bold)
        widths[c] = max(widths.get(c, 8), 12)
    for r, label in enumerate(block.rows):
        text(sheet, row + 2 + r, 0, label, bold)
        for c, codes in enumerate(block.cells[r]):
            text(sheet, row + 2 + r, c + 1, ", ".join(codes), level_fmt.get(block.levels[r][c]))
    row += len(block.rows) + 2
    if block.legend:
        text(sheet, row, 0, "; ".join(t for _, t in block.legend))
        row += 1
    return row + 1
