"""Checks of a database file: SQLite integrity, foreign keys, the schema, the journal's hash chain
and its anchor, and whether the data tables hold what the journal says they should.

What the journal can prove (docs/reliability.md says it for users):
- an edited or deleted journal row breaks the hash chain (`verify_journal`);
- rows removed from the journal's end, the whole journal emptied, or the chain recomputed after
  an edit are found by comparing with an anchor (`journal_anchor`) kept elsewhere;
- a data row added, removed or changed without a journal row is found by `compare_with_journal`.
What it cannot: someone who rewrites the data and the whole journal consistently, and discards
every anchor kept elsewhere, leaves a database that checks clean.
"""

from __future__ import annotations

import heapq
import json
import re
import sqlite3
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from portefolje.i18n import column_name, msg, table_name
from portefolje.store.write import GENESIS, JOURNAL_FIELDS, journal_hash

# Tables that are not records of the register: the journal itself and the migration log.
NOT_RECORDS = frozenset({"journal", "schema_migration"})
# Link tables that the import writes with Writer.execute and journals on the parent record, as a
# list of codes (a project's departments, a deliverable's projects): their rows have no journal
# state of their own, so they are not compared row by row.
JOURNALED_ON_PARENT = {
    "project_department": "project",
    "deliverable_project": "deliverable",
    "decision_project": "decision",
    "published_file": "published_report",
}

_ANCHOR = re.compile(r"^\s*(\d+)\s*:\s*([0-9a-fA-F]{64})\s*$")


# -- the hash chain and its anchor ---------------------------------------------------------------


def journal_anchor(conn: sqlite3.Connection) -> dict[str, Any]:
    """The journal's head: its row count and the last row's hash (and id and time). Kept
    elsewhere (printed in a report, mailed, filed), it lets `verify_journal` prove later that
    none of these rows was removed or rewritten. `anchor` is the same as one short text."""
    rows = int(conn.execute("SELECT count(*) FROM journal").fetchone()[0])
    last = conn.execute("SELECT id, hash, at FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    digest = last[1] if last else GENESIS
    return {
        "rows": rows,
        "hash": digest,
        "last_id": last[0] if last else None,
        "at": last[2] if last else None,
        "anchor": f"{rows}:{digest}",
    }


def parse_anchor(text: str) -> tuple[int, str]:
    """An anchor as `history anchor` prints it ("ROWS:HASH"), or its --json form."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
            stripped = f"{int(data['rows'])}:{data['hash']}"
        except (ValueError, KeyError, TypeError):
            stripped = ""
    found = _ANCHOR.match(stripped)
    if not found:
        from portefolje.domain.errors import InvalidValue

        raise InvalidValue(msg("err.anchor_format"))
    return int(found[1]), found[2].lower()


def verify_journal(
    conn: sqlite3.Connection, anchor: tuple[int, str] | None = None
) -> dict[str, Any]:
    """Recompute the chain; report the first row whose hash or link does not match. With an
    anchor (rows, hash), also that the journal still has at least that many rows and that the
    anchored row still carries the anchored hash."""
    prev = GENESIS
    count = 0
    first_bad = None
    anchored_hash = None
    cols = ", ".join(JOURNAL_FIELDS)
    from portefolje.store.batches import column

    # schema 11 added the batch count (a file being checked before its upgrade has none)
    batch = "batch" if column(conn) else "NULL AS batch"
    for row in conn.execute(
        f"SELECT id, {cols}, {batch}, prev_hash, hash FROM journal ORDER BY id"
    ):
        count += 1
        if anchor is not None and count == anchor[0]:
            anchored_hash = row["hash"]
        if first_bad is None:
            fields = list(row)[1 : 1 + len(JOURNAL_FIELDS)]
            expected = journal_hash(prev, fields, row["batch"])
            if row["prev_hash"] != prev or row["hash"] != expected:
                first_bad = row["id"]
                if anchor is None:
                    break
        prev = row["hash"]
    result: dict[str, Any] = {"ok": first_bad is None, "rows": count, "first_bad": first_bad}
    if first_bad is not None:
        result["problem"] = msg("check.altered", row=first_bad)
    if anchor is not None:
        rows, digest = anchor
        result["anchor"] = f"{rows}:{digest}"
        if count < rows:
            result["ok"] = False
            result["problem"] = msg("check.fewer_rows", count=count, rows=rows)
        elif rows and anchored_hash != digest:
            result["ok"] = False
            result["problem"] = msg("check.anchor_changed", rows=rows)
        elif rows == 0 and digest != GENESIS:
            result["ok"] = False
            result["problem"] = msg("check.anchor_not_empty")
    return result


# -- the data against the journal ---------------------------------------------------------------


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "ORDER BY name"
        )
    ]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _cascades(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(parent table, column) of each foreign key whose parent's deletion deletes the row."""
    return [
        (r[2], r[3])
        for r in conn.execute(f"PRAGMA foreign_key_list({table})")
        if str(r[6]).upper() == "CASCADE"
    ]


# The last journaled state of every record: the latest row per (entity, entity_id) that holds a
# whole record (with its id), not a list of links journaled on a parent.
_LAST_STATES = """
SELECT entity, entity_id, id, after FROM journal
WHERE id IN (
    SELECT max(id) FROM journal
    WHERE json_type(coalesce(after, before), '$.id') IS NOT NULL
    GROUP BY entity, entity_id
)
"""


def _last_states(
    conn: sqlite3.Connection, unreadable: list[tuple[str, int, int]]
) -> Iterator[tuple[str, int, Any]]:
    """(entity, entity_id, last state) of every journaled record, by entity and id: the state
    of its latest row, its own or a batch's (store/batches.py; an id removed from the end of a
    table can come back in a batch). Batch rows that cannot be read go to `unreadable`."""
    from portefolje.store.batches import all_states, column

    single = (
        (r[0], int(r[1]), int(r[2]), r[3])
        for r in conn.execute(_LAST_STATES + " ORDER BY entity, entity_id")
    )
    if not column(conn):
        yield from ((r[0], r[1], r[3]) for r in single)
        return
    merged = heapq.merge(single, all_states(conn, unreadable), key=lambda r: r[:3])
    last: tuple[str, int, int, Any] | None = None
    for row in merged:
        if last is not None and last[:2] != row[:2]:
            yield last[0], last[1], last[3]
        last = row
    if last is not None:
        yield last[0], last[1], last[3]


def _removed(conn: sqlite3.Connection) -> set[tuple[str, int]]:
    """The records whose latest journal row removed them (not added again by a later batch)."""
    from portefolje.store.batches import column, containing

    later = ""
    if column(conn):
        later = (
            f" AND NOT EXISTS (SELECT 1 FROM journal b WHERE "
            f"{containing('r.entity', 'r.entity_id', 'b')} AND b.id > r.id)"
        )
    return {
        (r[0], r[1])
        for r in conn.execute(
            f"SELECT entity, entity_id FROM ({_LAST_STATES}) r WHERE after IS NULL{later}"
        )
    }


def compare_with_journal(conn: sqlite3.Connection, limit: int | None = 10) -> dict[str, Any]:
    """Compare every journaled table with what the journal says it should hold: per table the
    number of records the journal's adds and removals leave, and per record its last journaled
    state against the row (columns present in both). Names the differences, the first first."""
    tables = _tables(conn)
    excluded = {
        t: msg("check.on_parent_list", parent=table_name(parent))
        for t, parent in JOURNALED_ON_PARENT.items()
        if t in tables
    }
    compared = []
    for t in tables:
        if t in NOT_RECORDS or t in excluded:
            continue
        if "id" not in _columns(conn, t):
            excluded[t] = msg("check.link_table")
            continue
        compared.append(t)
    removed = _removed(conn)
    unreadable: list[tuple[str, int, int]] = []
    states = _last_states(conn, unreadable)
    by_table: dict[str, Iterator[tuple[str, int, Any]]] = {t: iter(()) for t in compared}
    counts: dict[str, dict[str, int]] = {}
    differences: list[dict[str, Any]] = []
    total = 0
    grouped = groupby(states, key=lambda r: r[0])
    pending = next(grouped, None)
    for table in compared:
        while pending is not None and pending[0] < table:
            pending = next(grouped, None)
        if pending is not None and pending[0] == table:
            by_table[table] = pending[1]
        found, expected = _compare_table(conn, table, by_table[table], removed)
        counts[table] = expected
        total += len(found)
        differences.extend(found if limit is None else found[: max(0, limit - len(differences))])
    for entity, first, journal_id in unreadable:  # altered outside: `verify_journal` says so too
        total += 1
        if limit is None or len(differences) < limit:
            differences.append(
                {
                    "table": entity,
                    "id": first,
                    "code": None,
                    "column": None,
                    "problem": msg("check.batch_unreadable", row=journal_id),
                    "journaled": None,
                    "row": None,
                }
            )
    return {
        "ok": total == 0,
        "compared": compared,
        "excluded": excluded,
        "tables": counts,
        "differences": differences,
        "difference_count": total,
    }


def _compare_table(
    conn: sqlite3.Connection, table: str, states: Any, removed: set[tuple[str, int]]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Merge the table's rows (by id) with its journaled states (by entity_id)."""
    cascades = _cascades(conn, table)
    rows = conn.execute(f"SELECT * FROM {table} ORDER BY id")
    found: list[dict[str, Any]] = []
    journaled = actual = 0
    row = next(rows, None)
    state = next(states, None)
    while row is not None or state is not None:
        row_id = int(row["id"]) if row is not None else -1
        state_id = int(state[1]) if state is not None else -1
        if row is not None and (state is None or row_id < state_id):
            actual += 1
            found.append(
                _difference(
                    table,
                    dict(row),
                    None,
                    msg("check.added_outside"),
                    journaled=None,
                )
            )
            row = next(rows, None)
            continue
        assert state is not None  # the loop runs while one of the two is left
        after = json.loads(state[2]) if isinstance(state[2], str) else state[2]
        if after is not None:
            journaled += 1
        if row is None or state_id < row_id:
            if after is not None and _cascaded(after, cascades, removed):
                journaled -= 1  # deleted with its parent (ON DELETE CASCADE), as journaled
            elif after is not None:
                found.append(
                    _difference(
                        table,
                        after,
                        None,
                        msg("check.deleted_outside"),
                        journaled=after,
                        present=False,
                    )
                )
            state = next(states, None)
            continue
        actual += 1
        current = dict(row)
        if after is None:
            found.append(
                _difference(
                    table,
                    current,
                    None,
                    msg("check.put_back_outside"),
                    journaled=None,
                )
            )
        else:
            for column, value in after.items():
                if column in current and current[column] != value:
                    found.append(
                        _difference(
                            table,
                            current,
                            column,
                            msg("check.changed_outside"),
                            journaled=after,
                        )
                    )
                    break
        row = next(rows, None)
        state = next(states, None)
    return found, {"journal": journaled, "rows": actual}


def _cascaded(
    state: dict[str, Any], cascades: list[tuple[str, str]], removed: set[tuple[str, int]]
) -> bool:
    return any((parent, state.get(column)) in removed for parent, column in cascades)


def _difference(
    table: str,
    record: dict[str, Any],
    column: str | None,
    problem: str,
    *,
    journaled: dict[str, Any] | None,
    present: bool = True,
) -> dict[str, Any]:
    code = record.get("code")
    ident = record.get("id")
    name = (
        msg("check.record_code", table=table_name(table), code=code, id=ident)
        if code
        else msg("check.record_id", table=table_name(table), id=ident)
    )
    where = msg("check.column", column=column_name(column)) if column else ""
    return {
        "table": table,
        "id": ident,
        "code": code,
        "column": column,
        "problem": f"{name}{where} {problem}",
        # the two states, for `journal_differences` (left out of what `db check` prints)
        "journaled": journaled,
        "row": record if present else None,
    }


def journal_differences(conn: sqlite3.Connection, command: str) -> int:
    """Journal every row that differs from the journal as it now stands (a row the journal
    does not know, one it holds differently, one it never removed): what a schema upgrade
    reshaped (a status column that became dated events, a saving that became versions) enters
    the journal under the upgrade's name, so `db check` on an upgraded file compares clean.
    Runs inside the caller's transaction. Returns the number of journal rows written."""
    from portefolje.store.write import Writer

    found = compare_with_journal(conn, limit=None)["differences"]
    writer = Writer(conn, actor="portefolje", command=command)
    writer.journal_many(
        [(d["table"], int(d["id"]), "upgrade", d["journaled"], d["row"]) for d in found]
    )
    return len(found)


# -- the schema ---------------------------------------------------------------------------------


def schema_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """How the file's schema differs from a fresh database at the same version: missing or
    unexpected tables, indexes and triggers, or ones defined differently."""
    from portefolje.store.connection import migrations
    from portefolje.store.migrate import statements

    fresh = sqlite3.connect(":memory:")
    try:
        for _number, _name, file in migrations()[:version]:
            for statement in statements(file.read_text(encoding="utf-8")):
                fresh.execute(statement)
        want = _schema(fresh)
    finally:
        fresh.close()
    have = _schema(conn)
    problems = [
        msg("check.schema_missing", kind=kind, name=name)
        for kind, name in sorted(want.keys() - have.keys())
    ]
    problems += [
        msg("check.schema_unexpected", kind=kind, name=name)
        for kind, name in sorted(have.keys() - want.keys())
    ]
    problems += [
        msg("check.schema_different", kind=kind, name=name)
        for kind, name in sorted(want.keys() & have.keys())
        if want[(kind, name)] != have[(kind, name)]
    ]
    return problems


def _schema(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    return {
        (r[0], r[1]): r[2]
        for r in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite%'"
        )
    }


# -- all of it ----------------------------------------------------------------------------------


def check(conn: sqlite3.Connection, anchor: tuple[int, str] | None = None) -> dict[str, Any]:
    from portefolje.store.connection import APPLICATION_ID
    from portefolje.store.migrate import migration_runs

    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    fk = [
        dict(zip(("table", "rowid", "parent", "fkid"), r, strict=False))
        for r in conn.execute("PRAGMA foreign_key_check")
    ]
    schema = schema_problems(conn, version)
    chain = verify_journal(conn, anchor)
    data = compare_with_journal(conn)
    data["differences"] = [
        {k: v for k, v in d.items() if k not in ("journaled", "row")} for d in data["differences"]
    ]
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _tables(conn)}
    ours = application_id == APPLICATION_ID
    return {
        "ok": integrity == ["ok"] and not fk and not schema and chain["ok"] and data["ok"] and ours,
        "schema_version": version,
        "application_id": application_id,
        "portefolje_file": ours,
        "integrity": integrity,
        "foreign_key_violations": fk,
        "schema": schema,
        "journal": chain,
        "anchor": journal_anchor(conn),
        "data_vs_journal": data,
        "migrations": migration_runs(conn),
        "rows": counts,
    }
