"""The kinds of record that have an id and a human code, and how references to them resolve."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from portefolje.domain.errors import NotFound


@dataclass(frozen=True)
class Kind:
    name: str  # the CLI noun
    table: str
    prefix: str  # generated codes: PF1, P1, …
    label: str  # the column that names a record: name or title


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("portfolio", "portfolio", "PF", "name"),
        Kind("department", "department", "D", "name"),
        Kind("committee", "committee", "C", "name"),
        Kind("segment", "segment", "S", "name"),
        Kind("project", "project", "P", "title"),
        Kind("solution", "solution", "L", "title"),
        Kind("milestone", "milestone", "M", "title"),
        Kind("deliverable", "deliverable", "LV", "title"),
        Kind("indicator", "indicator", "I", "name"),
        Kind("saving", "saving", "SV", "code"),
        Kind("investment", "investment", "INV", "code"),
        Kind("target", "target", "T", "code"),
        Kind("report_run", "report_run", "R", "code"),
    )
}


def resolve(conn: sqlite3.Connection, kind: str, ref: str | int) -> dict[str, Any]:
    """A record by id (digits), code, or exact name/title (case-insensitive)."""
    k = KINDS[kind]
    text = str(ref).strip()
    row = None
    if text.isdigit():
        row = conn.execute(f"SELECT * FROM {k.table} WHERE id = ?", (int(text),)).fetchone()
    if row is None:
        row = conn.execute(f"SELECT * FROM {k.table} WHERE code = ?", (text,)).fetchone()
    if row is None:
        rows = conn.execute(
            f"SELECT * FROM {k.table} WHERE lower({k.label}) = lower(?) LIMIT 2", (text,)
        ).fetchall()
        if len(rows) > 1:
            raise NotFound(f"more than one {kind} is called {text!r}; use its code instead")
        row = rows[0] if rows else None
    if row is None:
        raise NotFound(
            f"no {kind} {text!r}: use an id, a code or the exact name "
            f"(see `portefolje {kind} list`)"
        )
    return dict(row)


def next_code(conn: sqlite3.Connection, kind: str) -> str:
    """The next free generated code for `kind`: prefix + (highest number in use + 1)."""
    k = KINDS[kind]
    n = len(k.prefix)
    row = conn.execute(
        f"SELECT max(CAST(substr(code, {n + 1}) AS INTEGER)) FROM {k.table} "
        f"WHERE upper(substr(code, 1, {n})) = ? AND substr(code, {n + 1}) GLOB '[0-9]*' "
        f"AND substr(code, {n + 1}) NOT GLOB '*[^0-9]*'",
        (k.prefix,),
    ).fetchone()
    return f"{k.prefix}{(row[0] or 0) + 1}"
