"""The register out to Excel and CSV: one sheet (or file) per kind of record, and one per nested
list (project history, milestone moves …) keyed by the parent's code.

Dates are real dates, amounts are numbers with a kroner format, the header row is frozen, and text
that starts with = + - @ is neutralised (Excel's quote prefix in XLSX, an apostrophe in CSV).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from typing import Any

from portefolje.reports.text import neutralise

DATE_COLUMNS = {
    "date",
    "status_date",
    "start_date",
    "end_date",
    "trial_from",
    "trial_to",
    "due_date",
    "done_date",
    "meeting_date",
    "delivered_date",
    "moved_on",
    "postponed_on",
    "baseline_date",
    "target_date",
    "since",
    "removed",
    "opened",
    "closed_date",
}
MONEY_COLUMNS = {"amount", "annual_cost", "realised"}


def tables(document: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(name, headers, rows) for every kind in the export document, and one table per nested list
    (history, moves …) keyed by the parent's code. The set of tables and their columns come from
    the transfer spec, so every workbook has the same sheets whatever the data."""
    from portefolje.store.transfer import SPEC

    out: list[tuple[str, list[str], list[list[Any]]]] = []
    for spec in SPEC:
        records = document.get(spec.key, [])
        figures = [c.doc for c in spec.version_cols]
        headers = [
            "code",
            *[c.doc for c in spec.cols],
            *[c.doc for c in spec.derived],
            *figures,
            *(["key"] if spec.key == "targets" else []),
            *(["since", "removed"] if spec.version else []),
            *[lk.key for lk in spec.links],
        ]
        rows = [[_cell(r.get(h)) for h in headers] for r in records]
        out.append((spec.key, headers, rows))
        if spec.version:
            columns = ["from", "to", *figures]
            out.append(
                (
                    f"{spec.key}_versions",
                    ["code", *columns],
                    [
                        [r["code"], *[_cell(v.get(k)) for k in columns]]
                        for r in records
                        for v in r.get("history") or []
                    ],
                )
            )
        for child in spec.children:
            columns = [c.doc for c in child.cols]
            child_rows = [
                [r["code"], *[item.get(k) for k in columns]]
                for r in records
                for item in r.get(child.key) or []
            ]
            out.append((f"{spec.key}_{child.key}", ["code", *columns], child_rows))
    return out


def _cell(value: Any) -> Any:
    """A list (departments, a distribution key) as one readable cell."""
    if not isinstance(value, list):
        return value
    return ", ".join(
        f"{v['department']}={v['numerator']}/{v['denominator']}" if isinstance(v, dict) else str(v)
        for v in value
    )


def is_date_column(name: str, table: str) -> bool:
    return name in DATE_COLUMNS or (
        name in ("from", "to") and table.endswith(("_moves", "_postponements", "_versions"))
    )


def to_xlsx(document: dict[str, Any]) -> bytes:
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
    book.set_properties(
        {
            "title": "portefolje",
            "author": "portefolje",
            "created": datetime(2000, 1, 1),
        }
    )
    head = book.add_format({"bold": True, "bg_color": "#EEF2F5", "border": 1})
    money = book.add_format({"num_format": '#,##0 "kr."'})
    day = book.add_format({"num_format": "dd-mm-yyyy"})
    quoted = book.add_format({"quote_prefix": True})
    for name, headers, rows in tables(document):
        sheet = book.add_worksheet(name[:31])
        for c, h in enumerate(headers):
            sheet.write_string(0, c, h, head)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                column = headers[c]
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value, money if column in MONEY_COLUMNS else None)
                elif is_date_column(column, name) and isinstance(value, str):
                    sheet.write_datetime(
                        r,
                        c,
                        datetime.combine(date.fromisoformat(value), time()),
                        day,
                    )
                else:
                    text = str(value)
                    sheet.write_string(r, c, text, quoted if text != neutralise(text) else None)
        sheet.freeze_panes(1, 0)
        for c, h in enumerate(headers):
            width = max([len(h)] + [_shown(row[c], h, name) for row in rows[:500]])
            sheet.set_column(c, c, min(max(width + 2, 8), 60))
    book.close()
    return buffer.getvalue()


def _shown(value: Any, column: str, table: str) -> int:
    """How many characters a cell shows, so no column is too narrow ("###")."""
    if value is None:
        return 0
    if column in MONEY_COLUMNS and isinstance(value, int):
        return len(f"{value:,}") + 4
    if is_date_column(column, table):
        return 10
    return len(str(value))


def to_csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    """Semicolon-separated UTF-8 with a BOM: what Danish Excel opens without an import wizard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(v) if v is not None else "" for v in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
