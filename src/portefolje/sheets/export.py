"""The register out to Excel and CSV: one sheet (or file) per kind of record, and one per nested
list (project history, milestone moves …) keyed by the parent's code.

Dates are real dates, amounts are numbers with a kroner format, the header row is frozen, and text
that starts with = + - @ is neutralised (Excel's quote prefix in XLSX, an apostrophe in CSV; see
cells.py). Rows are streamed from the database (store/stream.py) and the workbook is written in
xlsxwriter's constant-memory mode, so memory stays flat however large the register is. Text
longer than an Excel cell holds is refused with the record and field named, never cut.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any

from portefolje.cells import XLSX_CELL_LIMIT, is_formula_like
from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg, number

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
WIDTH_SAMPLE = 500  # rows looked at to size a column

Table = tuple[str, list[str], Iterator[list[Any]]]


def tables(conn: sqlite3.Connection) -> Iterator[Table]:
    """(name, headers, rows) for every kind in the export document, and one table per nested list
    (history, moves …) keyed by the parent's code. The set of tables and their columns come from
    the transfer spec, so every workbook has the same sheets whatever the data. Rows are read
    as they are consumed."""
    from portefolje.store import stream
    from portefolje.store.transfer import SPEC

    for spec in SPEC:
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
        rows = ([_cell(r.get(h)) for h in headers] for r in stream.records(conn, spec))
        yield spec.key, headers, rows
        if spec.version:
            yield (
                f"{spec.key}_versions",
                ["code", "from", "to", *figures],
                ([_cell(v) for v in row] for row in stream.version_rows(conn, spec)),
            )
        for child in spec.children:
            columns = [c.doc for c in child.cols]
            yield (
                f"{spec.key}_{child.key}",
                ["code", *columns],
                stream.child_rows(conn, spec, child),
            )


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


def write_xlsx(conn: sqlite3.Connection, out: IO[bytes]) -> None:
    """The register as one workbook, written row by row (constant memory) to `out`."""
    import tempfile

    import xlsxwriter

    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "tmpdir": tempfile.gettempdir(),
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties(
        {"title": "portefolje", "author": "portefolje", "created": datetime(2000, 1, 1)}
    )
    head = book.add_format({"bold": True, "bg_color": "#EEF2F5", "border": 1})
    money = book.add_format({"num_format": '#,##0 "kr."'})
    day = book.add_format({"num_format": "dd-mm-yyyy"})
    quoted = book.add_format({"quote_prefix": True})
    for name, headers, rows in tables(conn):
        sheet = book.add_worksheet(name[:31])
        widths = [len(h) for h in headers]
        dated = [is_date_column(h, name) for h in headers]
        for c, h in enumerate(headers):
            sheet.write_string(0, c, h, head)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                column = headers[c]
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value, money if column in MONEY_COLUMNS else None)
                elif dated[c] and isinstance(value, str):
                    sheet.write_datetime(
                        r, c, datetime.combine(date.fromisoformat(value), time()), day
                    )
                else:
                    text = str(value)
                    if len(text) > XLSX_CELL_LIMIT:
                        raise InvalidValue(
                            msg(
                                "err.export_cell",
                                name=name,
                                id=row[0],
                                field=column,
                                length=number(len(text)),
                                limit=number(XLSX_CELL_LIMIT),
                            )
                        )
                    sheet.write_string(r, c, text, quoted if is_formula_like(text) else None)
                if r <= WIDTH_SAMPLE:
                    widths[c] = max(widths[c], _shown(value, column, dated[c]))
        sheet.freeze_panes(1, 0)
        for c, width in enumerate(widths):
            sheet.set_column(c, c, min(max(width + 2, 8), 60))
    book.close()  # only when every sheet is written: a refusal leaves no workbook behind


def _shown(value: Any, column: str, dated: bool) -> int:
    """How many characters a cell shows, so no column is too narrow ("###")."""
    if column in MONEY_COLUMNS and isinstance(value, int):
        return len(f"{value:,}") + 4
    if dated:
        return 10
    return len(str(value))


def to_csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    """Semicolon-separated UTF-8 with a BOM: what Danish Excel opens without an import wizard."""
    from portefolje.cells import csv_bytes

    return csv_bytes(headers, rows)
