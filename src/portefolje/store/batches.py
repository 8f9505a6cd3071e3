"""Journal rows that hold a batch: the records one bulk insert added to one table.

An import adds thousands of records of a kind at once (`Writer.insert_many`); their ids run on
without a gap, so one journal row names them by the first id (`entity_id`) and the count
(`batch`), and holds their states in `after` as {"columns": [...], "rows": [[...], ...]}. A
record's state is `dict(zip(columns, row))`, exactly what a single add row would have held.
Every reader of the journal that asks about a record goes through here, so that a record added
in a batch reads like one added alone: its add row, its last state, its code.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from portefolje.store.write import MAX_BATCH


def column(conn: sqlite3.Connection) -> bool:
    """Whether the journal has the batch column (schema 11): a file is read before its upgrade
    when it is checked or compared with its journal on the way to the latest schema."""
    return any(r[1] == "batch" for r in conn.execute("PRAGMA table_info(journal)"))


def containing(entity: str = ":e", ident: str = ":i", journal: str = "journal") -> str:
    """The condition for the batch row of `journal` that holds record `ident` of `entity` (SQL
    expressions): a range of the partial index journal_batch, a couple of rows at most."""
    j = journal
    return (
        f"{j}.entity = {entity} AND {j}.batch IS NOT NULL AND {j}.entity_id BETWEEN {ident} - "
        f"{MAX_BATCH - 1} AND {ident} AND {j}.entity_id + {j}.batch > {ident}"
    )


def states(after: str | Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Each record of a batch row's `after` (text as stored, or decoded), in id order."""
    held = json.loads(after) if isinstance(after, str) else after
    columns = held["columns"]
    for row in held["rows"]:
        yield dict(zip(columns, row, strict=True))


def expand(row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A journal row as dicts (before/after decoded), one per record: a single row as it is,
    a batch row as one row per record it holds (same journal id, time and command; entity_id
    and code the record's own)."""
    if row.get("batch") is None:
        row["before"] = json.loads(row["before"]) if row["before"] else None
        row["after"] = json.loads(row["after"]) if row["after"] else None
        yield row
        return
    for state in states(row["after"]):
        yield {
            **row,
            "entity_id": state["id"],
            "code": state.get("code"),
            "before": None,
            "after": state,
        }


# the last batches read, by their hash (content-addressed: a journal row never changes): the
# records of one batch are usually asked about one after another
_READ: dict[str, tuple[list[str], list[list[Any]]]] = {}


def record_in_batch(
    conn: sqlite3.Connection, entity: str, ident: int
) -> tuple[int, dict[str, Any]] | None:
    """(journal id, state) of the batch row that added record `ident` of `entity`, if one did."""
    found = conn.execute(
        f"SELECT id, entity_id, hash FROM journal WHERE {containing()}", {"e": entity, "i": ident}
    ).fetchone()
    if found is None:
        return None
    journal_id, first, digest = int(found[0]), int(found[1]), str(found[2])
    held = _READ.get(digest)
    if held is None:
        after = conn.execute("SELECT after FROM journal WHERE id = ?", (journal_id,)).fetchone()
        decoded = json.loads(after[0])
        held = _READ[digest] = (decoded["columns"], decoded["rows"])
        while len(_READ) > 8:
            del _READ[next(iter(_READ))]
    columns, rows = held
    return journal_id, dict(zip(columns, rows[ident - first], strict=True))


def last_state(conn: sqlite3.Connection, entity: str, ident: int) -> dict[str, Any]:
    """A record's last journaled state (after, or before for a removal), from its own rows or
    from the batch that added it; {} when the journal holds none."""
    found = conn.execute(
        "SELECT coalesce(after, before) FROM journal WHERE entity = ? AND entity_id = ? "
        "AND batch IS NULL ORDER BY id DESC LIMIT 1",
        (entity, ident),
    ).fetchone()
    if found and found[0]:
        return dict(json.loads(found[0]))
    batched = record_in_batch(conn, entity, ident)
    return batched[1] if batched else {}
