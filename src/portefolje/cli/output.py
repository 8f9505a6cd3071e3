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
from portefolje.terminal import printable

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_CHUNK = 512  # items per write: fewer calls into the text layer, still bounded memory


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
        _write_json(sys.stdout, data)


def _write_json(out: Any, data: Any) -> None:
    if not isinstance(data, list | Iterator):
        out.write(_encode(data) + "\n")
        return
    out.write("[")
    pieces: list[str] = []
    separator = "\n"
    for item in data:
        pieces.append(separator + _encode(item))
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


def emit_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> None:
    """A plain table (tabulate 'simple'); numbers are pre-formatted so tabulate never reparses."""
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


def _write_table(
    rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, headers: bool = True
) -> None:
    from tabulate import tabulate  # lazy: costs ~50 ms, only tables need it

    if not rows:
        print(msg("msg.none"), file=sys.stderr)
        return
    names = [msg(c[1]) if c[1].startswith("col.") else field_label(c[1]) for c in columns]
    body = []
    for row in rows:
        line = []
        for col in columns:
            item = row.get(col[0])
            line.append(printable(col[2](item)) if len(col) == 3 else _cell(item, col[0]))
        body.append(line)
    text = tabulate(body, names, tablefmt="simple", disable_numparse=True)
    if not headers:  # a later chunk: without the header line and its rule
        text = text.split("\n", 2)[2]
    sys.stdout.write(text + "\n")


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
