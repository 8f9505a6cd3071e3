"""Figures that change over time: savings, investments, targets and coverage.

Each is an identity row (id, code) and version rows, each in force from `valid_from` until
`valid_to` (exclusive; NULL = still in force; a NULL `valid_from` = from the beginning, for rows
registered before schema 6). A change dated D closes the version in force and opens a new one
from D, so what a report says for an earlier day never changes; a change dated on the version's
own first day corrects that version instead. Removing closes the version in force (or, when it
only started that day, deletes it: it was never in force).

One mechanism for all four kinds: `add`, `change`, `remove`, and `in_force` for the reads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from portefolje.domain.errors import Refused
from portefolje.i18n import msg
from portefolje.store.write import Writer


@dataclass(frozen=True)
class Versioned:
    kind: str  # the CLI noun and the identity table
    version: str  # the version table
    fk: str  # the version table's column naming the identity
    fields: tuple[str, ...]  # what a version holds


SAVING = Versioned(
    "saving",
    "saving_version",
    "saving_id",
    (
        "project_id",
        "solution_id",
        "department_id",
        "area",
        "year",
        "from_year",
        "amount",
        "realised",
        "stage",
        "attribution",
        "price_level",
        "fte",
        "name",
        "note",
    ),
)
INVESTMENT = Versioned(
    "investment",
    "investment_version",
    "investment_id",
    (
        "project_id",
        "department_id",
        "area",
        "year",
        "amount",
        "status",
        "funding",
        "price_level",
        "fte",
        "name",
        "note",
    ),
)
TARGET = Versioned("target", "target_version", "target_id", ("amount", "price_level", "note"))
COVERAGE = Versioned(
    "coverage",
    "coverage_version",
    "coverage_id",
    ("department_id", "kind", "year", "from_year", "amount", "price_level", "note"),
)
ALL = {v.kind: v for v in (SAVING, INVESTMENT, TARGET, COVERAGE)}


def in_force(alias: str) -> str:
    """The condition for a version in force on a day; takes the day twice as parameters."""
    return (
        f"({alias}.valid_from IS NULL OR {alias}.valid_from <= ?) "
        f"AND ({alias}.valid_to IS NULL OR {alias}.valid_to > ?)"
    )


def current(conn: sqlite3.Connection, v: Versioned, identity_id: int) -> dict[str, Any] | None:
    """The latest version (the one with no end), or None when the record was removed."""
    row = conn.execute(
        f"SELECT * FROM {v.version} WHERE {v.fk} = ? AND valid_to IS NULL", (identity_id,)
    ).fetchone()
    return dict(row) if row else None


def add(
    w: Writer, v: Versioned, identity: dict[str, Any], values: dict[str, Any], on: str | None
) -> int:
    """A new record: its identity row and its first version, in force from `on`."""
    identity_id = w.insert(v.kind, identity)
    w.insert(v.version, _version_row(w, v, identity_id, values, on))
    return identity_id


def add_many(
    w: Writer,
    v: Versioned,
    identities: list[dict[str, Any]],
    values: list[dict[str, Any]],
    on: str | None,
) -> list[int]:
    """Many new records at once with the bulk path (each row still journaled)."""
    ids = w.insert_many(v.kind, identities)
    at, fields = w.at, v.fields  # a field a row leaves out is None
    w.insert_rows(
        v.version,
        [v.fk, "valid_from", "recorded_at", *fields],
        [(i, on, at, *map(row.get, fields)) for i, row in zip(ids, values, strict=True)],
    )
    return ids


def change(
    w: Writer, v: Versioned, identity_id: int, changes: dict[str, Any], on: str | None
) -> bool:
    """Apply `changes` from the day `on`. Returns False when nothing changed."""
    now = current(w.conn, v, identity_id)
    if now is None:
        raise Refused(msg("err.version_removed", kind=msg(f"kind.{v.kind}")))
    changed = {k: val for k, val in changes.items() if now.get(k) != val}
    if not changed:
        return False
    check_order(v, now, on)
    if on is not None and now["valid_from"] == on:
        w.update(v.version, now["id"], changed, action="correct")
        return True
    w.update(v.version, now["id"], {"valid_to": on}, action="close")
    values = {k: now[k] for k in v.fields} | changed
    w.insert(v.version, _version_row(w, v, identity_id, values, on))
    return True


def remove(w: Writer, v: Versioned, identity_id: int, on: str) -> None:
    """End the version in force on `on`; a record that only started that day goes entirely."""
    now = current(w.conn, v, identity_id)
    if now is None:
        raise Refused(msg("err.version_already_removed", kind=msg(f"kind.{v.kind}")))
    check_order(v, now, on)
    if now["valid_from"] == on:
        delete_version(w, v, now["id"])
        remaining = w.conn.execute(
            f"SELECT count(*) FROM {v.version} WHERE {v.fk} = ?", (identity_id,)
        ).fetchone()[0]
        if not remaining:
            w.delete(v.kind, identity_id)
        return
    w.update(v.version, now["id"], {"valid_to": on}, action="remove")


def history(conn: sqlite3.Connection, v: Versioned, identity_id: int) -> list[dict[str, Any]]:
    """Every version of a record, oldest first."""
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT * FROM {v.version} WHERE {v.fk} = ? ORDER BY valid_from IS NOT NULL, "
            "valid_from, id",
            (identity_id,),
        )
    ]


def _version_row(
    w: Writer, v: Versioned, identity_id: int, values: dict[str, Any], on: str | None
) -> dict[str, Any]:
    row = {k: values[k] for k in v.fields if values.get(k) is not None}
    return {v.fk: identity_id, "valid_from": on, "recorded_at": w.at, **row}


def check_order(v: Versioned, now: dict[str, Any], on: str | None) -> None:
    if on is not None and now["valid_from"] is not None and on < now["valid_from"]:
        raise Refused(msg("err.version_order", kind=msg(f"kind.{v.kind}"), date=now["valid_from"]))


def delete_version(w: Writer, v: Versioned, version_id: int) -> None:
    """Delete one version row, and a target version's distribution key with it (journaled)."""
    if v is TARGET:
        for (share_id,) in w.conn.execute(
            "SELECT id FROM target_share WHERE target_version_id = ?", (version_id,)
        ).fetchall():
            w.delete("target_share", share_id)
    w.delete(v.version, version_id)
