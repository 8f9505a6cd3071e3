"""Reading sheets as they really arrive: Danish Excel's semicolon CSV in Windows-1252, "CSV UTF-8"
with a BOM, comma-separated UTF-8 from other tools, and XLSX workbooks."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from portefolje.domain.errors import InvalidValue

Row = tuple[int, list[Any]]  # (row number as the spreadsheet shows it, the cells)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding used: a BOM means UTF-8; else UTF-8 if it decodes; else cp1252."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as exc:
            raise InvalidValue(f"cannot read the file as {encoding}: {exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict"), "cp1252"


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


def read_csv(
    path: Path, *, encoding: str | None, delimiter: str | None
) -> tuple[list[str], Iterator[Row], int, str, str]:
    text, used = decode(path.read_bytes(), encoding)
    sep = delimiter or sniff_delimiter(text)
    if sep in ("\\t", "tab"):
        sep = "\t"
    header, rows = _records(csv.reader(_lines(text), delimiter=sep))
    return header, rows, max(text.count("\n") - 1, 0), used, sep


def read_xlsx(path: Path, *, sheet: str | None) -> tuple[list[str], Iterator[Row], int]:
    import openpyxl  # lazy: only XLSX imports need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidValue(f"{path} is not a readable XLSX workbook: {exc}") from None
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise InvalidValue(
            f"no sheet {sheet!r} in {path.name}; it has: {', '.join(book.sheetnames)}"
        )
    ws = book[sheet] if sheet else book.worksheets[0]
    rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    names = book.sheetnames
    book.close()
    if not any(any(_filled(v) for v in r) for r in rows) and len(names) > 1:
        raise InvalidValue(
            f"the sheet {ws.title!r} is empty; choose one with --sheet ({', '.join(names)})"
        )
    header, records = _records(iter(rows))
    return header, records, max(len(rows) - 1, 0)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    return value


def _records(rows: Iterator[list[Any]]) -> tuple[list[str], Iterator[Row]]:
    """The header (the first non-empty line) and the rows under it, numbered as the spreadsheet
    shows them and read one at a time, so a large file is never held as records all at once."""
    for number, values in enumerate(rows, start=1):
        if any(_filled(v) for v in values):
            header = [str(h).strip() if h is not None else "" for h in values]
            return header, _data(rows, number)
    raise InvalidValue("the sheet is empty: the first row must hold the column headers")


def _data(rows: Iterator[list[Any]], number: int) -> Iterator[Row]:
    for values in rows:
        number += 1
        # any() in C settles almost every row; only rows of blanks or spaces need the slow look
        if any(values) and (
            not isinstance(values[0], str) or values[0].strip() or any(_filled(v) for v in values)
        ):
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
        raise InvalidValue(f"no file {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        header, rows, count = read_xlsx(path, sheet=sheet)
        return header, rows, count, "xlsx"
    if suffix in (".csv", ".txt", ".tsv"):
        header, records, count, used, sep = read_csv(path, encoding=encoding, delimiter=delimiter)
        name = {";": "semicolon", ",": "comma", "\t": "tab"}.get(sep, repr(sep))
        return header, records, count, f"csv, {used}, {name}-separated"
    raise InvalidValue(f"cannot import {path.name}: use .csv or .xlsx (or a .json document)")
