"""Spreadsheet cells: the one place that decides how a value goes into a CSV or XLSX cell.

Both the register export (`sheets/export.py`) and the report renderers (`reports/text.py`,
`reports/xlsx.py`) write through here, so a CSV from `export` and a CSV from `report` open the
same way in Danish Excel, and no cell is ever run as a formula:

- **One CSV dialect**: semicolon-separated, CRLF line ends, UTF-8 with a byte-order mark (what
  Danish Excel opens without the import wizard), decimal comma for fractions ("2,5"), whole
  numbers without thousands separators ("4000000", which Excel reads as a number), dates as ISO
  text (which Danish Excel reads as dates).
- **Formula neutralising**: text that starts with = + - @ (or a tab or carriage return) would be
  evaluated by a spreadsheet; in CSV it gets a leading apostrophe, in XLSX Excel's quote prefix.
- **XLSX limits**: a cell holds at most 32,767 characters, a sheet name at most 31 and none of
  [ ] : * ? / \\ (nor a leading or trailing apostrophe).

No I/O and no heavy imports: this module is imported by commands on the hot path.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767
SHEET_NAME_LIMIT = 31
BOM = "\ufeff"


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet would evaluate as a formula."""
    return text.startswith(FORMULA_START)


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


class DanishExcel(csv.Dialect):
    """The CSV dialect of every file portefolje writes: what Danish Excel opens by double-click."""

    delimiter = ";"
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL


def csv_value(value: Any) -> str:
    """One value as CSV text: raw, machine-readable, Excel-safe (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, list | tuple):
        return neutralise(", ".join(csv_value(v) for v in value))
    return str(neutralise(str(value)))


def write_csv(out: IO[str], headers: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """A CSV file in the one dialect, BOM included, written row by row to a text stream (open
    it with newline="" so the dialect's CRLF is kept)."""
    out.write(BOM)
    writer = csv.writer(out, dialect=DanishExcel)
    writer.writerow([csv_value(h) for h in headers])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])


def csv_bytes(headers: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV file in the one dialect, BOM included."""
    buffer = io.StringIO(newline="")
    write_csv(buffer, headers, rows)
    return buffer.getvalue().encode("utf-8")


_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")


def sheet_name(title: str, used: set[str], fallback: str = "Ark") -> str:
    """A valid, unique, readable worksheet name for `title` (recorded in `used`, lower case).

    Forbidden characters become spaces, runs of spaces collapse, the name is cut at a word
    boundary where possible to 31 characters (with "…" when cut), and never begins or ends with
    a space or an apostrophe; a clash gets " (2)", " (3)" … within the limit.
    """
    clean = " ".join(_FORBIDDEN_IN_SHEET_NAME.sub(" ", title).split()).strip("'").strip()
    if clean.lower() == "history":  # reserved by Excel
        clean = f"{clean} (1)"
    clean = _cut(clean or fallback, SHEET_NAME_LIMIT)
    name, n = clean, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = _cut(clean, SHEET_NAME_LIMIT - len(suffix)) + suffix
        n += 1
    used.add(name.lower())
    return name


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space >= limit // 2:
        head = head[:space]
    return head.rstrip(" '-–,.·") + "…"
