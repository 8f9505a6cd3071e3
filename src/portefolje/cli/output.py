"""Printing results: JSON for scripts, tables for people. Commands hand data here; nothing else
in the CLI formats output. Results go to stdout, messages to stderr.

JSON is compact (the C encoder; `indent=` would force the pure-Python one) and a list is
streamed item by item, one per line, so `saving list --json` at scale never builds one big
string. Tables and records show stored text through `terminal.printable`: control characters
and escape sequences appear escaped, never obeyed by the terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer

from portefolje.i18n import label, msg, number, plain_decimal
from portefolje.terminal import PADDING, printable, simple_layout

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_CHUNK = 1024  # pieces (an item and its separator) per write: fewer calls into the text layer, still bounded memory


@contextmanager
def quiet_pipe() -> Iterator[None]:
    """A reader that stops early (`| head`) is not an error: stop writing and exit quietly with
    the code a shell gives a command killed by SIGPIPE (141), as `cat` does."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        # later flushes (at exit) must not fail again on the closed pipe
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        raise typer.Exit(141) from None


def emit_json(data: Any) -> None:
    """`data` as compact JSON on stdout; a list (or any iterator of items) streamed as
    "[", one item per line, "]"."""
    with quiet_pipe():
        if isinstance(data, list | Iterator):
            _write_items(sys.stdout, map(_encode, data))
        else:
            sys.stdout.write(_encode(data) + "\n")


def emit_json_lines(items: Iterable[str]) -> None:
    """A list whose items come already encoded (compact JSON, one string each, as the store's
    `json_lines` reads them), streamed exactly as `emit_json` streams a list of the same items."""
    with quiet_pipe():
        _write_items(sys.stdout, items)


def _write_items(out: Any, encoded: Iterable[str]) -> None:
    out.write("[")
    pieces: list[str] = []
    separator = "\n"
    for item in encoded:
        pieces.append(separator)
        pieces.append(item)
        separator = ",\n"
        if len(pieces) >= _CHUNK:
            out.write("".join(pieces))
            pieces.clear()
    out.write("".join(pieces) + ("\n]\n" if separator != "\n" else "]\n"))


def _cell(item: Any, field: str = "") -> str:
    if item is None:
        return ""
    if isinstance(item, bool):
        return msg("val.yes") if item else msg("val.no")
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        return plain_decimal(item)
    if isinstance(item, list):
        return ", ".join(_cell(v, field) for v in item)
    if isinstance(item, dict):
        return "; ".join(f"{field_label(k)}: {_cell(v, k)}" for k, v in item.items())
    if field == "note" and item == CREATED:
        return msg("msg.created")
    text = printable(word(item) if field in WORD_FIELDS else str(item))
    return text if len(text) <= 60 else text[:57] + "…"


# the note the tool itself stores on a record's first step (its creation), shown translated
CREATED = "created"

# fields whose stored values are words of a vocabulary (statuses, colours, stages …): shown in
# the person's language ("aktiv", "grøn"); JSON keeps the stored word
WORD_FIELDS = frozenset(
    {
        "status",
        "state",
        "stage",
        "area",
        "kind",
        "color",
        "dimension",
        "health_overall",
        "level",
        "from",
        "to",
        "old_status",
        "new_status",
        "trend",
    }
)


def word(stored: Any, context: str | None = None) -> str:
    """A stored vocabulary word as the person reads it ('active' → 'aktiv'), a word of a
    record kind first where it differs ('done' is 'nået' for a milestone, 'udført' else)."""
    if stored is None:
        return ""
    for key in ([f"val.{context}.{stored}"] if context else []) + [f"val.{stored}"]:
        text = label(key)
        if text != key:
            return text
    return str(stored)


def words(context: str) -> Callable[[Any], str]:
    """A Column's formatter for the vocabulary of one kind of record."""
    return lambda stored: word(stored, context)


def field_label(field: str) -> str:
    """The label of a record's field: Danish words, or in English the field's own name."""
    key = f"field.{field}"
    text = label(key)
    return word(field) if text == key else text


Column = tuple[str, str] | tuple[str, str, Callable[[Any], str]]


def emit_table(rows: Iterable[dict[str, Any]], columns: Sequence[Column]) -> None:
    """A plain table, laid out as tabulate's 'simple' format lays it out (cells stripped, each
    column as wide as its widest cell or its header plus two, two spaces between columns, no
    trailing blanks). `rows` may be a stream of any length: each row is formatted once and
    spooled (to disk past a few MB), the widths are known at its end, then the table is
    printed from the spool, so memory stays bounded at any size."""
    with quiet_pipe():
        _write_table(rows, columns)


def emit_table_chunks(
    chunks: Iterable[Sequence[dict[str, Any]]], columns: Sequence[Column]
) -> None:
    """A table too long to hold (the journal of a large portfolio), printed a chunk at a time:
    the headers once, each chunk aligned in itself; one chunk prints as `emit_table`."""
    with quiet_pipe():
        first = True
        for chunk in chunks:
            if chunk:
                _write_table(chunk, columns, headers=first)
                first = False
        if first:
            _write_table([], columns)


_SPOOL_BYTES = 4 << 20  # a table's formatted cells kept in memory up to this, then on disk
_KEPT = frozenset({str, int, type(None)})
_KEPT_VALUES = 20_000  # per column: bounded, a column of unique codes gains nothing from more
_SEP = "\x1f"  # between spooled cells: a control character, so never in a printable() cell


def _formatter(column: Column) -> Callable[[Any], str]:
    """The column's cell text (stripped, as tabulate strips it), memoised per value: a long
    list repeats the same stages, years and amounts many times over."""
    if len(column) == 3:
        fmt = column[2]

        def raw(item: Any) -> str:
            return printable(fmt(item)).strip()
    else:
        key = column[0]

        def raw(item: Any) -> str:
            return _cell(item, key).strip()

    cache: dict[Any, str] = {}

    def cell(item: Any) -> str:
        # only str, int and None are kept: a bool or float equal to an int (True == 1.0 == 1)
        # would share its key but not its text
        if type(item) not in _KEPT:
            return raw(item)
        text = cache.get(item)
        if text is None:
            text = raw(item)
            if len(cache) < _KEPT_VALUES:
                cache[item] = text
        return text

    return cell


def _write_table(
    rows: Iterable[dict[str, Any]], columns: Sequence[Column], *, headers: bool = True
) -> None:
    from itertools import islice
    from tempfile import SpooledTemporaryFile

    names = [msg(c[1]) if c[1].startswith("col.") else field_label(c[1]) for c in columns]
    keys = [c[0] for c in columns]
    cells = [_formatter(c) for c in columns]
    widths = [len(name) + PADDING for name in names]
    count = 0
    rows = iter(rows)
    with SpooledTemporaryFile(_SPOOL_BYTES, "w+", encoding="utf-8", newline="\n") as spool:
        # a chunk at a time, a column at a time: each cell formatted once, measured, spooled
        while chunk := list(islice(rows, _CHUNK)):
            texts = []
            for i, (key, cell) in enumerate(zip(keys, cells, strict=True)):
                column = list(map(cell, [row.get(key) for row in chunk]))
                widths[i] = max(widths[i], *map(len, column))
                texts.append(column)
            spool.write("".join([_SEP.join(line) + "\n" for line in zip(*texts, strict=True)]))
            count += len(chunk)
        if not count:
            print(msg("msg.none"), file=sys.stderr)
            return
        spool.seek(0)
        head, layout = simple_layout(names, widths)
        out = sys.stdout.write
        if headers:
            out("\n".join(head) + "\n")
        while lines := list(islice(spool, _CHUNK)):
            out("".join([layout(line[:-1].split(_SEP)) + "\n" for line in lines]))


def emit_record(record: dict[str, Any], labels: dict[str, str] | None = None) -> None:
    """One record as 'field  value' lines; lists of records (history, moves …) follow as tables."""
    with quiet_pipe():
        _write_record(record, labels)


def _write_record(record: dict[str, Any], labels: dict[str, str] | None) -> None:
    labels = labels or {}
    nested = {
        k: v for k, v in record.items() if isinstance(v, list) and v and isinstance(v[0], dict)
    }
    flat = {k: v for k, v in record.items() if k not in nested}
    names = {k: labels.get(k) or field_label(k) for k in record}
    width = max(len(names[k]) for k in flat) if flat else 0
    for key, item in flat.items():
        if (
            isinstance(item, int)
            and not isinstance(item, bool)
            and key.endswith(("cost", "amount"))
        ):
            text = number(item) + " kr."
        elif key in WORD_FIELDS and isinstance(item, str):
            text = word(item)
        elif isinstance(item, (list, dict, bool, float)):
            text = _cell(item, key)
        else:
            text = "" if item is None else printable(str(item), keep_newlines=True)
        text = text.replace("\n", "\n" + " " * (width + 2))  # continuation lines under the value
        sys.stdout.write(f"{names[key].ljust(width)}  {text}\n")
    for key, rows in nested.items():
        sys.stdout.write(f"\n{names[key]}:\n")
        _write_table(rows, [(c, c) for c in rows[0]])


def kroner(value: Any) -> str:
    return "" if value is None else number(int(value))


def added(kind: str, record: dict[str, Any]) -> str:
    """The confirmation of a new record: 'added project P1 (id 1): Title'."""
    name = record.get("name") or record.get("title")
    key = "msg.added_named" if name else "msg.added"
    return msg(key, kind=msg(kind), code=record["code"], id=record["id"], name=name)


def emit_change(record: dict[str, Any], as_json: bool, message: str) -> None:
    """After a change: the record as JSON for scripts, or one line on stderr for people."""
    if as_json:
        emit_json(record)
    else:
        print(message, file=sys.stderr)
