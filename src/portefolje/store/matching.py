"""Reads the sheet import matches rows against: a record by code or by its natural key, and the
money lines in force, loaded once and compactly (a large table costs a few small tuples per
line). The sheet room (sheets/) reads and matches; the SQL lives here."""

from __future__ import annotations

import sqlite3
from typing import Any

from portefolje.store import versions

SAVING_FIELDS = (
    "project_id",
    "department_id",
    "area",
    "year",
    "from_year",
    "stage",
    "name",
    "amount",
    "realised",
    "attribution",
    "price_level",
    "fte",
    "solution_id",
    "note",
)
INVESTMENT_FIELDS = (
    "project_id",
    "department_id",
    "area",
    "year",
    "name",
    "funding",
    "amount",
    "status",
    "price_level",
    "fte",
    "note",
)
FIELDS = {"saving": SAVING_FIELDS, "investment": INVESTMENT_FIELDS}


def by_code(conn: sqlite3.Connection, table: str, code: str) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT * FROM {table} WHERE code = ?", (code,)).fetchone()
    return dict(row) if row else None


def by_key(
    conn: sqlite3.Connection, table: str, where: str, params: tuple[Any, ...]
) -> list[dict[str, Any]]:
    """At most two records matching a natural key (two means: ambiguous)."""
    return [
        dict(r)
        for r in conn.execute(f"SELECT * FROM {table} WHERE {where} LIMIT 2", params).fetchall()
    ]


def money_lines(conn: sqlite3.Connection, kind: str, day: str) -> list[tuple[Any, ...]]:
    """(identity id, code, *FIELDS[kind]) of every saving or investment line in force on `day`."""
    v = versions.ALL[kind]
    fields = ", ".join(f"v.{f}" for f in FIELDS[kind])
    return conn.execute(
        f"SELECT i.id, i.code, {fields} FROM {kind} i JOIN {v.version} v ON v.{v.fk} = i.id "
        f"WHERE {versions.in_force('v')}",
        (day, day),
    ).fetchall()


def solution_project(conn: sqlite3.Connection, solution_id: int) -> int:
    return int(
        conn.execute("SELECT project_id FROM solution WHERE id = ?", (solution_id,)).fetchone()[0]
    )
