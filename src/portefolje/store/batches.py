"""Journal rows that hold a batch: the records one bulk insert added to one table.

An import adds thousands of records of a kind at once (`Writer.insert_rows`); their ids run on
without a gap, so one journal row names them by the first id (`entity_id`) and the count
(`batch`), and holds their states in `after` as {"columns": [...], "rows": [[...], ...]}. A
record's state is `dict(zip(columns, row))`, exactly what a single add row would have held.
Every reader of the journal that asks about a record goes through here, so that a record added
in a batch reads like one added alone: its add row, its last state, its code.

The tables have no AUTOINCREMENT: a record removed from the end of a table gives its id to the
next record added, so the rows about one id may be single rows about an earlier record, then a
batch that holds a new one (or two batches over the same ids). What the journal says of an id
is always its latest row, single or batch, by journal id.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from portefolje.store.write import MAX_BATCH


class Unreadable(ValueError):
    """A batch row whose `after` is not the records it says it holds (altered outside)."""


def column(conn: sqlite3.Connection) -> bool:
    """Whether the journal has the batch column (schema 11): a file is read before its upgrade
    when it is checked or compared with its journal on the way to the latest schema."""
    return any(r[1] == "batch" for r in conn.execute("PRAGMA table_info(journal)"))


def containing(entity: str = ":e", ident: str = ":i", journal: str = "journal") -> str:
    """The condition for the batch rows of `journal` that hold record `ident` of `entity` (SQL
    expressions): a range of the partial index journal_batch, a couple of rows at most."""
    j = journal
    return (
        f"{j}.entity = {entity} AND {j}.batch IS NOT NULL AND {j}.entity_id BETWEEN {ident} - "
        f"{MAX_BATCH - 1} AND {ident} AND {j}.entity_id + {j}.batch > {ident}"
    )


def _held(after: str | Mapping[str, Any] | None) -> tuple[list[str], list[list[Any]]]:
    """The columns and rows of a batch row's `after`; Unreadable if it is not that shape."""
    try:
        held = json.loads(after) if isinstance(after, str) else after
        columns, rows = held["columns"], held["rows"]  # type: ignore[index]
    except (TypeError, KeyError, ValueError):
        raise Unreadable from None
    if not (isinstance(columns, list) and "id" in columns and isinstance(rows, list)):
        raise Unreadable
    at = columns.index("id")
    if not all(
        isinstance(r, list) and len(r) == len(columns) and type(r[at]) is int for r in rows
    ):
        raise Unreadable
    return columns, rows


def states(after: str | Mapping[str, Any] | None) -> Iterator[dict[str, Any]]:
    """Each record of a batch row's `after` (text as stored, or decoded), in id order.
    Raises Unreadable (before the first) when it is not the shape a batch row has."""
    columns, rows = _held(after)
    return (dict(zip(columns, row, strict=True)) for row in rows)


def expand(row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A journal row as dicts (before/after decoded), one per record: a single row as it is,
    a batch row as one row per record it holds (same journal id, time and command; entity_id
    and code the record's own). A batch row that cannot be read is given as it stands, with
    nothing after it (`history verify` names it as altered)."""
    if row.get("batch") is None:
        row["before"] = json.loads(row["before"]) if row["before"] else None
        row["after"] = json.loads(row["after"]) if row["after"] else None
        yield row
        return
    try:
        records = states(row["after"])
    except Unreadable:
        yield {**row, "before": None, "after": None}
        return
    for state in records:
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
    conn: sqlite3.Connection, entity: str, ident: int, upto: int | None = None
) -> tuple[int, dict[str, Any]] | None:
    """(journal id, state) of the latest batch row that holds record `ident` of `entity` (of
    those up to journal row `upto`), if one does and can be read."""
    bound = "" if upto is None else " AND id <= :upto"
    found = conn.execute(
        f"SELECT id, entity_id, hash FROM journal WHERE {containing()}{bound} "
        "ORDER BY id DESC LIMIT 1",
        {"e": entity, "i": ident, "upto": upto},
    ).fetchone()
    if found is None:
        return None
    journal_id, first, digest = int(found[0]), int(found[1]), str(found[2])
    held = _READ.get(digest)
    if held is None:
        after = conn.execute("SELECT after FROM journal WHERE id = ?", (journal_id,)).fetchone()
        try:
            held = _READ[digest] = _held(after[0])
        except Unreadable:
            return None
        while len(_READ) > 8:
            del _READ[next(iter(_READ))]
    columns, rows = held
    if not 0 <= ident - first < len(rows):
        return None
    return journal_id, dict(zip(columns, rows[ident - first], strict=True))


def last_state(conn: sqlite3.Connection, entity: str, ident: int) -> dict[str, Any]:
    """A record's last journaled state (after, or before for a removal), from its own rows or
    from the batch that added it, whichever is later; {} when the journal holds none."""
    found = conn.execute(
        "SELECT id, coalesce(after, before) FROM journal WHERE entity = ? AND entity_id = ? "
        "AND batch IS NULL ORDER BY id DESC LIMIT 1",
        (entity, ident),
    ).fetchone()
    batched = record_in_batch(conn, entity, ident)
    if batched is not None and (found is None or batched[0] > found[0]):
        return batched[1]
    return dict(json.loads(found[1])) if found and found[1] else {}


def code_at(conn: sqlite3.Connection, entity: str, ident: int, upto: int) -> str | None:
    """The code record `ident` of `entity` had at journal row `upto`: from the latest row up
    to it that names one, its own or the batch that added it (an id can pass from a removed
    record to a new one)."""
    found = conn.execute(
        "SELECT id, code FROM journal WHERE entity = ? AND entity_id = ? AND code IS NOT NULL "
        "AND id <= ? ORDER BY id DESC LIMIT 1",
        (entity, ident, upto),
    ).fetchone()
    batched = record_in_batch(conn, entity, ident, upto)
    if batched is not None and (found is None or batched[0] > found[0]):
        code = batched[1].get("code")
        return str(code) if code is not None else None
    return str(found[1]) if found else None


def all_states(
    conn: sqlite3.Connection, unreadable: list[tuple[str, int, int]]
) -> Iterator[tuple[str, int, int, dict[str, Any]]]:
    """(entity, id, journal id, state) of every record every batch row holds, by entity, id and
    journal id: batches over the same ids (reused after a removal) are merged, each read only
    when the merge reaches its first id. A batch row that cannot be read is left out and added
    to `unreadable` as (entity, first id, journal id)."""
    rows = conn.execute(
        "SELECT entity, entity_id, id, after FROM journal WHERE batch IS NOT NULL "
        "ORDER BY entity, entity_id, id"
    )
    heap: list[tuple[str, int, int, int, dict[str, Any], Iterator[dict[str, Any]]]] = []
    order = 0  # ties never compare the states
    pending = next(rows, None)
    while heap or pending is not None:
        while pending is not None and (not heap or (pending[0], pending[1]) <= heap[0][:2]):
            entity, first, journal_id, after = pending
            pending = next(rows, None)
            try:
                records = states(after)
            except Unreadable:
                unreadable.append((entity, int(first), int(journal_id)))
                continue
            state = next(records, None)
            if state is not None:
                order += 1
                heapq.heappush(heap, (entity, state["id"], journal_id, order, state, records))
        if not heap:
            continue
        entity, ident, journal_id, _, state, records = heapq.heappop(heap)
        yield entity, ident, journal_id, state
        following = next(records, None)
        if following is not None:
            order += 1
            heapq.heappush(heap, (entity, following["id"], journal_id, order, following, records))
