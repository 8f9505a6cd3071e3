"""Reading sheets as they really arrive: Danish Excel's semicolon CSV in Windows-1252, "CSV UTF-8"
with a BOM, "Unicode text" (UTF-16), comma-separated UTF-8 from other tools, and XLSX workbooks.

Whatever a file declares, reading it is bounded: at most `MAX_ROWS` rows and `MAX_CELLS` cells,
rows at most `MAX_COLUMNS` wide, a CSV cell at most `CSV_CELL_CHARS` characters. XLSX is
streamed (openpyxl's read-only mode) with the declared dimension ignored, so a small file that
claims A1:XFD1048576 costs what it holds. A cell that cannot be imported (a formula, whose cached
result is not the value the sheet shows after a change; an Excel error; text longer than Excel
allows) comes out as a `BadCell`, which the import reports by row and column like any bad value.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg
from portefolje.i18n import number as grouped

Row = tuple[int, list[Any]]  # (row number as the spreadsheet shows it, the cells)

MAX_ROWS = 1_048_576  # Excel's own limit: no real sheet is longer
MAX_COLUMNS = 16_384  # Excel's own limit (A … XFD)
MAX_CELLS = 20_000_000  # ten times the largest import measured (200,000 savings lines)
CSV_CELL_CHARS = 131_072  # the csv module's limit, kept: no field of the register is longer
XLSX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_XLSX_PART = 512 * 1024 * 1024  # one part of the workbook, unpacked (a zip bomb is refused)


class BadCell:
    """A cell that cannot be imported. Every cell parser reads a non-text cell through str(), so
    this one raises its reason there, and the import lists it with the row and the column."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason

    def __str__(self) -> str:
        raise InvalidValue(self.reason)

    def __repr__(self) -> str:
        return f"BadCell({self.reason!r})"


# -- CSV ------------------------------------------------------------------------------------------


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding used: a BOM says UTF-8 or UTF-16; else UTF-8 if it decodes;
    else Windows-1252 (Danish Excel's "CSV (semikolonsepareret)")."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InvalidValue(msg("err.unknown_encoding", encoding=encoding)) from None
        except UnicodeDecodeError as exc:
            raise InvalidValue(_undecodable(data, exc.start, encoding)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InvalidValue(_undecodable(data, exc.start, "UTF-16")) from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InvalidValue(_undecodable(data, exc.start + 3, "UTF-8")) from None
    if b"\x00" in data[:4096]:
        raise InvalidValue(msg("err.nul_bytes"))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InvalidValue(_undecodable(data, exc.start, msg("err.utf8_or_windows"))) from None


def _n(number: int) -> str:
    """A count as the person writes it: 131.072 in Danish, 131,072 in English."""
    return grouped(number)


def _undecodable(data: bytes, position: int, what: str) -> str:
    line = data.count(b"\n", 0, position) + 1
    return msg(
        "err.undecodable",
        byte=f"0x{data[position]:02X}",
        position=_n(position + 1),
        line=_n(line),
        what=what,
    )


def sniff_delimiter(text: str) -> str:
    """The header line's separator: ';' (Danish Excel), ',' or tab, whichever splits it most."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _lines(text: str) -> Iterator[str]:
    """The text's lines one at a time (csv.reader takes any iterable of lines)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _csv_rows(reader: Any) -> Iterator[list[Any]]:
    """csv.reader's rows, its errors as one line naming the line of the file."""
    try:
        yield from reader
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InvalidValue(
                msg("err.csv_cell_long", line=_n(reader.line_num), limit=_n(CSV_CELL_CHARS))
            ) from None
        raise InvalidValue(msg("err.csv_unreadable", line=_n(reader.line_num), error=exc)) from None


def read_csv(
    path: Path, *, encoding: str | None, delimiter: str | None
) -> tuple[list[str], Iterator[Row], int, str, str]:
    text, used = decode(path.read_bytes(), encoding)
    sep = delimiter or sniff_delimiter(text)
    if sep in ("\\t", "tab"):
        sep = "\t"
    if len(sep) != 1:
        raise InvalidValue(msg("err.delimiter", value=sep))
    csv.field_size_limit(CSV_CELL_CHARS)
    header, rows = _records(_csv_rows(csv.reader(_lines(text), delimiter=sep)))
    return header, rows, max(text.count("\n") - 1, 0), used, sep


# -- XLSX -----------------------------------------------------------------------------------------


def _check_parts(path: Path) -> None:
    """Refuse a workbook whose parts would unpack to more than MAX_XLSX_PART (a zip bomb):
    openpyxl reads the shared strings whole, before a single row."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            for item in archive.infolist():
                if item.file_size > MAX_XLSX_PART:
                    raise InvalidValue(
                        msg(
                            "err.xlsx_part",
                            name=path.name,
                            part=item.filename,
                            mb=item.file_size // 2**20,
                        )
                    )
    except zipfile.BadZipFile:
        raise InvalidValue(msg("err.xlsx_not_zip", name=path.name)) from None


def read_xlsx(path: Path, *, sheet: str | None) -> tuple[list[str], Iterator[Row], int]:
    import openpyxl  # lazy: only XLSX imports need it

    _check_parts(path)
    try:
        # not data_only: a formula must be seen as one (its cached result is refused below)
        book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidValue(msg("err.xlsx_unreadable", name=path.name, error=exc)) from None
    if sheet is not None and sheet not in book.sheetnames:
        names = ", ".join(book.sheetnames)
        book.close()
        raise InvalidValue(msg("err.no_sheet", sheet=sheet, name=path.name, names=names))
    ws = book[sheet] if sheet else book.worksheets[0]
    names = book.sheetnames
    declared = min(int(getattr(ws, "max_row", None) or 0), MAX_ROWS)  # for progress only
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # stream what the file holds, not what it claims
    try:
        header, records = _records(_xlsx_rows(book, ws))
    except InvalidValue as exc:
        book.close()
        if isinstance(exc, _EmptySheet) and len(names) > 1:
            raise InvalidValue(
                msg("err.sheet_empty_choose", sheet=ws.title, names=", ".join(names))
            ) from None
        raise
    return header, records, max(declared - 1, 0)


def _xlsx_rows(book: Any, ws: Any) -> Iterator[list[Any]]:
    try:
        for cells in ws.iter_rows(values_only=False):
            if len(cells) > MAX_COLUMNS:
                raise InvalidValue(
                    msg("err.row_too_wide", cells=_n(len(cells)), limit=_n(MAX_COLUMNS))
                )
            yield [_xlsx_value(c) for c in cells]
    except InvalidValue:
        raise
    except Exception as exc:  # a damaged part of the workbook, found while streaming
        raise InvalidValue(msg("err.workbook_unreadable", error=exc)) from None
    finally:
        book.close()


def _xlsx_value(cell: Any) -> Any:
    value = cell.value
    if value is None:
        return None
    kind = getattr(cell, "data_type", "n")
    if kind == "f":
        formula = str(getattr(value, "text", value))
        shown = formula if len(formula) <= 40 else formula[:37] + "…"
        return BadCell(msg("err.cell_formula", formula=shown))
    if kind == "e":
        return BadCell(msg("err.cell_error", value=value))
    if isinstance(value, str) and len(value) > XLSX_CELL_CHARS:
        return BadCell(msg("err.cell_too_long", length=_n(len(value)), limit=_n(XLSX_CELL_CHARS)))
    if isinstance(value, datetime):
        return value.date()
    return value


# -- both -----------------------------------------------------------------------------------------


def _records(rows: Iterator[list[Any]]) -> tuple[list[str], Iterator[Row]]:
    """The header (the first non-empty line) and the rows under it, numbered as the spreadsheet
    shows them and read one at a time, so a large file is never held as records all at once."""
    for number, values in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise _EmptySheet(msg("err.sheet_empty_rows", rows=_n(MAX_ROWS)))
        if any(_filled(v) for v in values):
            header = []
            for column, h in enumerate(values, start=1):
                if isinstance(h, BadCell):
                    raise InvalidValue(
                        msg("err.header_cell", row=number, column=column, reason=h.reason)
                    )
                header.append(str(h).strip() if h is not None else "")
            return header, _data(rows, number, len(values))
    raise _EmptySheet(msg("err.sheet_empty"))


class _EmptySheet(InvalidValue):
    """A sheet without a header row (an XLSX file may have another sheet that holds one)."""


def _data(rows: Iterator[list[Any]], number: int, cells: int) -> Iterator[Row]:
    for values in rows:
        number += 1
        if number > MAX_ROWS:
            raise InvalidValue(msg("err.sheet_too_many_rows", limit=_n(MAX_ROWS)))
        cells += len(values)
        if cells > MAX_CELLS:
            raise InvalidValue(msg("err.sheet_too_many_cells", limit=_n(MAX_CELLS), row=_n(number)))
        if not values:
            continue
        # the first cell settles almost every row; only rows that start blank need a full look
        first = values[0]
        quick = first is not None and (not isinstance(first, str) or bool(first.strip()))
        if quick or any(_filled(v) for v in values):
            yield number, values


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def read(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> tuple[list[str], Iterator[Row], int, str]:
    """The header, the data rows (lazily), about how many there are, and how it was read."""
    if not path.exists():
        raise InvalidValue(msg("err.no_file", path=path))
    if path.is_dir():
        raise InvalidValue(msg("err.folder_not_sheet", path=path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        header, rows, count = read_xlsx(path, sheet=sheet)
        return header, rows, count, "xlsx"
    if suffix in (".csv", ".txt", ".tsv"):
        header, records, count, used, sep = read_csv(path, encoding=encoding, delimiter=delimiter)
        key = {";": "msg.semicolon", ",": "msg.comma", "\t": "msg.tab"}.get(sep)
        separated = msg("msg.separated", name=msg(key) if key else repr(sep))
        return header, records, count, f"csv, {used}, {separated}"
    raise InvalidValue(msg("err.cannot_import", name=path.name))
