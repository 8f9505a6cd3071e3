"""The export document as a stream: one record at a time, in the order and shape of
`transfer.export_document`, read by the same SPEC, so `export` never holds the whole database
in memory (at scale L the document is ~200,000 savings lines).

Each kind is one ordered query; its child lists (history, moves …) and link lists are read by
their own cursors ordered by parent id and merged in step with the parents, so memory holds one
record plus the id->code maps of the referenced tables (a few thousand entries).

Read-only: this module only SELECTs.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import IO, Any

from portefolje.domain.document import FORMAT, FORMAT_VERSION
from portefolje.store import transfer
from portefolje.store.transfer import SPEC, Child, Spec

HEAD = {"format": FORMAT, "version": FORMAT_VERSION}


def records(conn: sqlite3.Connection, spec: Spec) -> Iterator[dict[str, Any]]:
    """The records of one kind as the export document holds them, by id (transfer.records,
    which streams: one record in memory at a time)."""
    for _, item in transfer.records(transfer.Codes(conn), spec):
        yield item


def child_rows(conn: sqlite3.Connection, spec: Spec, child: Child) -> Iterator[list[Any]]:
    """One nested list as flat rows: the parent's code, then the child's columns."""
    codes = transfer.Codes(conn)
    cols = ", ".join(f"c.{c.column}" for c in child.cols)
    for row in conn.execute(
        f"SELECT p.code, {cols} FROM {child.table} c JOIN {spec.table} p "
        f"ON p.id = c.{child.parent} ORDER BY p.id, "
        + ", ".join(f"c.{part.strip()}" for part in child.order.split(","))
    ):
        yield [
            row[0],
            *(
                codes.code(c.ref, v) if c.ref else v
                for c, v in zip(child.cols, row[1:], strict=True)
            ),
        ]


def version_rows(conn: sqlite3.Connection, spec: Spec) -> Iterator[list[Any]]:
    """The earlier versions of a versioned kind as flat rows: code, from, to, then the figures
    (the latest version is the record's own row)."""
    for item in records(conn, spec):
        for v in item.get("history") or []:
            yield [
                item["code"],
                v.get("from"),
                v.get("to"),
                *(v.get(c.doc) for c in spec.version_cols),
            ]


def write_json(conn: sqlite3.Connection, out: IO[str]) -> None:
    """The export document as compact JSON, one record per line (diffable, greppable), written
    as it is read. Parses to exactly `transfer.export_document(conn)`."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    out.write(dumps(HEAD)[:-1])
    for spec in SPEC:
        out.write(f",\n{dumps(spec.key)}:[")
        first = True
        for item in records(conn, spec):
            out.write("\n" if first else ",\n")
            out.write(dumps(item))
            first = False
        out.write("]" if first else "\n]")
    out.write("}\n")
