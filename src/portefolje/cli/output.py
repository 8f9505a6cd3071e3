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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer

from portefolje.domain.amounts import format_number
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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    text = printable(str(value))
    return text if len(text) <= 60 else text[:57] + "…"


Column = tuple[str, str] | tuple[str, str, Callable[[Any], str]]


def emit_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> None:
    """A plain table (tabulate 'simple'); numbers are pre-formatted so tabulate never reparses."""
    with quiet_pipe():
        _write_table(rows, columns)


def _write_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> None:
    from tabulate import tabulate  # lazy: costs ~50 ms, only tables need it

    if not rows:
        print("(none)", file=sys.stderr)
        return
    headers = [c[1] for c in columns]
    body = []
    for row in rows:
        line = []
        for col in columns:
            value = row.get(col[0])
            line.append(printable(col[2](value)) if len(col) == 3 else _cell(value))
        body.append(line)
    sys.stdout.write(tabulate(body, headers, tablefmt="simple", disable_numparse=True) + "\n")


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
    width = max(len(labels.get(k, k)) for k in flat) if flat else 0
    for key, value in flat.items():
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and key.endswith(("cost", "amount"))
        ):
            text = format_number(value) + " kr."
        elif isinstance(value, (list, dict)):
            text = _cell(value)
        else:
            text = "" if value is None else printable(str(value), keep_newlines=True)
        text = text.replace("\n", "\n" + " " * (width + 2))  # continuation lines under the value
        sys.stdout.write(f"{labels.get(key, key).ljust(width)}  {text}\n")
    for key, rows in nested.items():
        sys.stdout.write(f"\n{labels.get(key, key)}:\n")
        _write_table(rows, [(c, c) for c in rows[0]])


def kroner(value: Any) -> str:
    return "" if value is None else format_number(int(value))


def emit_change(record: dict[str, Any], as_json: bool, message: str) -> None:
    """After a change: the record as JSON for scripts, or one line on stderr for people."""
    if as_json:
        emit_json(record)
    else:
        print(message, file=sys.stderr)
