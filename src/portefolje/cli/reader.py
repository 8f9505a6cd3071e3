"""Reading a large JSON document in a second process while the import writes.

Reading and validating the document of scale L (313,000 records) is a third of its import,
Python work that holds the interpreter; the writing holds it for the rest. On a machine with
two cores a helper process reads the file, validates each record (domain/document.py) and
hands the records on in batches through a pipe, in the order the file gives them, while this
process applies them. What the import sees is what it would have read itself: the same
records, the same validation errors counted at the same place (a batch ends where an invalid
record stood), `Unusual` for a document not in the plain shape (the caller reads it whole, as
before). Only files of PARALLEL_BYTES and more are read this way: starting the helper costs
about a tenth of a second.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from portefolje.domain.document import Entry, Invalid

PARALLEL_BYTES = 8 << 20  # a document this large is read beside the import
BATCH = 1000  # records a message


def worth_it(path: Path) -> bool:
    """Whether a second process pays off: a large file, and a second core to run it on."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return size >= PARALLEL_BYTES and (os.cpu_count() or 1) > 1


def _read(path: str, out: Connection) -> None:
    """The helper: every record of the document at `path`, validated, sent to `out` as
    ("kind", key), ("records", [...]), ("invalid", count, items), then ("end",); or
    ("unusual",) when the file is not a plain document, or ("error", exception)."""
    from portefolje import CollectorPaused
    from portefolje.domain import document as doc
    from portefolje.domain import jsonstream

    try:
        with CollectorPaused(), open(path, encoding="utf-8-sig") as handle:
            invalid = Invalid()
            told = 0
            pieces = iter(lambda: handle.read(jsonstream.BUFFER), "")
            for key, entries in doc.validated(doc.stream(pieces), invalid):
                out.send(("kind", key))
                batch: list[Entry] = []
                for entry in entries:
                    if invalid.count != told:  # invalid records stood before this one
                        told = _tell(out, batch, invalid)
                    batch.append(entry)
                    if len(batch) == BATCH:
                        out.send(("records", batch))
                        batch.clear()
                if invalid.count != told:  # (or after the last one)
                    told = _tell(out, batch, invalid)
                elif batch:
                    out.send(("records", batch))
        out.send(("end",))
    except (jsonstream.Unusual, UnicodeDecodeError):
        out.send(("unusual",))
    except BaseException as exc:  # handed to the import, which raises it there
        out.send(("error", exc))
    finally:
        out.close()


def _tell(out: Connection, batch: list[Entry], invalid: Invalid) -> int:
    """Send the records read so far, then the validation errors found after them."""
    if batch:
        out.send(("records", batch))
        batch.clear()
    out.send(("invalid", invalid.count, invalid.items))
    return invalid.count


@contextmanager
def validated(path: Path, invalid: Invalid) -> Iterator[Iterator[tuple[str, Iterator[Entry]]]]:
    """The document's kinds with their validated records, read by a helper process; `invalid`
    is kept up to date as the records come. Raises jsonstream.Unusual (while the kinds are
    read) for a document to be read whole. The helper is stopped when the block ends."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no open database
    receive, send = context.Pipe(duplex=False)
    helper = context.Process(target=_read, args=(str(path), send), daemon=True)
    helper.start()
    send.close()
    try:
        yield _kinds(receive, invalid)
    finally:
        receive.close()
        if helper.is_alive():
            helper.terminate()
        helper.join()


def _kinds(receive: Connection, invalid: Invalid) -> Iterator[tuple[str, Iterator[Entry]]]:
    from portefolje.domain.jsonstream import Unusual

    pending: list[Any] = []

    def message() -> Any:
        if pending:
            return pending.pop()
        try:
            got = receive.recv()
        except EOFError:  # the helper died without a word (killed): read it here instead
            raise Unusual from None
        if got[0] == "unusual":
            raise Unusual
        if got[0] == "error":
            raise got[1]
        if got[0] == "invalid":
            invalid.count, invalid.items = got[1], got[2]
            return message()
        return got

    def records() -> Iterator[Entry]:
        while True:
            got = message()
            if got[0] != "records":
                pending.append(got)
                return
            yield from got[1]

    while True:
        got = message()
        if got[0] == "end":
            return
        yield got[1], records()
