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

from portefolje.store.transfer import SPEC, Child, Links, Spec

HEAD = {"format": "portefolje", "version": 1}


class _Codes:
    """id -> code per referenced table, loaded on first use."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.by_id: dict[str, dict[int, str]] = {}

    def __call__(self, table: str, id_: int | None) -> str | None:
        if id_ is None:
            return None
        if table not in self.by_id:
            self.by_id[table] = dict(self.conn.execute(f"SELECT id, code FROM {table}"))
        return self.by_id[table][id_]


class _Merge:
    """Rows of one cursor ordered by parent id, handed out per parent in step with the parents."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]):
        self.rows = rows
        self.head = next(rows, None)

    def take(self, parent_id: int) -> list[tuple[Any, ...]]:
        out = []
        while self.head is not None and self.head[0] <= parent_id:
            if self.head[0] == parent_id:
                out.append(self.head[1:])
            self.head = next(self.rows, None)
        return out


def _children(conn: sqlite3.Connection, child: Child) -> _Merge:
    cols = ", ".join(c.column for c in child.cols)
    return _Merge(
        iter(
            conn.execute(
                f"SELECT {child.parent}, {cols} FROM {child.table} "
                f"ORDER BY {child.parent}, {child.order}"
            )
        )
    )


def _links(conn: sqlite3.Connection, links: Links) -> _Merge:
    return _Merge(
        iter(
            conn.execute(
                f"SELECT {links.parent}, {links.column} FROM {links.table} "
                f"ORDER BY {links.parent}, {links.order}"
            )
        )
    )


def records(conn: sqlite3.Connection, spec: Spec) -> Iterator[dict[str, Any]]:
    """The records of one kind as the export document holds them, by id."""
    code = _Codes(conn)
    columns = ", ".join(c.column for c in spec.cols)
    children = [(c, _children(conn, c)) for c in spec.children]
    links = [(lk, _links(conn, lk)) for lk in spec.links]
    for row in conn.execute(f"SELECT id, code, {columns} FROM {spec.table} ORDER BY id"):
        item: dict[str, Any] = {"code": row[1]}
        for col, value in zip(spec.cols, row[2:], strict=True):
            item[col.doc] = code(col.ref, value) if col.ref else value
        for lk, merge in links:
            item[lk.key] = [code(lk.ref, r[0]) or "" for r in merge.take(row[0])]
        for child, merge in children:
            item[child.key] = [
                {
                    c.doc: (code(c.ref, v) if c.ref else v)
                    for c, v in zip(child.cols, r, strict=True)
                }
                for r in merge.take(row[0])
            ]
        yield item


def child_rows(conn: sqlite3.Connection, spec: Spec, child: Child) -> Iterator[list[Any]]:
    """One nested list as flat rows: the parent's code, then the child's columns."""
    code = _Codes(conn)
    cols = ", ".join(f"c.{c.column}" for c in child.cols)
    for row in conn.execute(
        f"SELECT p.code, {cols} FROM {child.table} c JOIN {spec.table} p "
        f"ON p.id = c.{child.parent} ORDER BY p.id, "
        + ", ".join(f"c.{part.strip()}" for part in child.order.split(","))
    ):
        yield [
            row[0],
            *(code(c.ref, v) if c.ref else v for c, v in zip(child.cols, row[1:], strict=True)),
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
