"""Reading sheets as they really arrive: Danish Excel's semicolon CSV in Windows-1252, "CSV UTF-8"
with a BOM, comma-separated UTF-8 from other tools, and XLSX workbooks."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from portefolje.domain.errors import InvalidValue

Row = tuple[int, dict[str, Any]]  # (row number as the spreadsheet shows it, header -> value)


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


def read_csv(
    path: Path, *, encoding: str | None, delimiter: str | None
) -> tuple[list[Row], str, str]:
    text, used = decode(path.read_bytes(), encoding)
    sep = delimiter or sniff_delimiter(text)
    if sep in ("\\t", "tab"):
        sep = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows = list(reader)
    return _records(rows), used, sep


def read_xlsx(path: Path, *, sheet: str | None) -> list[Row]:
    import openpyxl  # lazy: only XLSX imports need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidValue(f"{path} is not a readable XLSX workbook: {exc}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InvalidValue(
                f"no sheet {sheet!r} in {path.name}; it has: {', '.join(book.sheetnames)}"
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        names = book.sheetnames
    finally:
        book.close()
    if not any(any(_filled(v) for v in r) for r in rows) and len(names) > 1:
        raise InvalidValue(
            f"the sheet {ws.title!r} is empty; choose one with --sheet ({', '.join(names)})"
        )
    return _records(rows)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    return value


def _records(rows: list[list[Any]]) -> list[Row]:
    """Rows under the first non-empty line (the header), numbered as the spreadsheet shows."""
    start = next((i for i, r in enumerate(rows) if any(_filled(v) for v in r)), None)
    if start is None:
        raise InvalidValue("the sheet is empty: the first row must hold the column headers")
    header = [str(h).strip() if h is not None else "" for h in rows[start]]
    out: list[Row] = []
    for index in range(start + 1, len(rows)):
        values = rows[index]
        if not any(_filled(v) for v in values):
            continue
        record = {h: (values[i] if i < len(values) else None) for i, h in enumerate(header) if h}
        out.append((index + 1, record))
    return out


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def read(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> tuple[list[Row], str]:
    """The data rows and a short description of how the file was read."""
    if not path.exists():
        raise InvalidValue(f"no file {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet=sheet), "xlsx"
    if suffix in (".csv", ".txt", ".tsv"):
        rows, used, sep = read_csv(path, encoding=encoding, delimiter=delimiter)
        name = {";": "semicolon", ",": "comma", "\t": "tab"}.get(sep, repr(sep))
        return rows, f"csv, {used}, {name}-separated"
    raise InvalidValue(f"cannot import {path.name}: use .csv or .xlsx (or a .json document)")
