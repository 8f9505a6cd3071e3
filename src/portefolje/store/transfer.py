"""The whole database as one document, and the same document back (upsert by code).

Export reads the records in their output shape, drops ids, and adds each project's history.
Import validates the whole document first (pydantic), then writes everything inside one Writer:
any failure rolls all of it back. Records are matched by code, so importing the same document
twice changes nothing the second time, and a document can be merged into a database that
already holds other portfolios.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from typing import Any

from portefolje.domain.errors import NotFound
from portefolje.store import queries
from portefolje.store.write import Writer

# (document key, table, columns copied as they are, {document field: (table column, kind)})
SIMPLE: list[tuple[str, str, tuple[str, ...], dict[str, tuple[str, str]]]] = [
    ("departments", "department", ("name",), {}),
    ("committees", "committee", ("name",), {}),
    ("portfolios", "portfolio", ("name", "owner", "description"), {}),
    (
        "segments",
        "segment",
        ("name", "category", "track", "population", "annual_cost", "description"),
        {"portfolio": ("portfolio_id", "portfolio")},
    ),
    (
        "projects",
        "project",
        (
            "title",
            "status",
            "status_date",
            "phase",
            "owner",
            "leader",
            "start_date",
            "end_date",
            "purpose",
            "case_number",
            "success_criteria",
            "risks",
        ),
        {"segment": ("segment_id", "segment")},
    ),
]


def export_document(conn: sqlite3.Connection) -> dict[str, Any]:
    """The document as plain JSON data, in a stable order (by id)."""
    doc: dict[str, Any] = {"format": "portefolje", "version": 1}
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(
        "SELECT project_id, date, kind, dimension, old_value, new_value, note "
        "FROM project_event ORDER BY project_id, date, id"
    ):
        history[row[0]].append(
            {
                "date": row[1],
                "kind": row[2],
                "dimension": row[3],
                "from": row[4],
                "to": row[5],
                "note": row[6],
            }
        )
    for key, table, _, _ in SIMPLE:
        records = queries.RECORDS[table](conn)
        out = []
        for rec in records:
            item = {
                k: v
                for k, v in rec.items()
                if k not in ("id", "health", "portfolio")
                or (table == "segment" and k == "portfolio")
            }
            if table == "project":
                item["history"] = history.get(rec["id"], [])
            out.append(item)
        doc[key] = out
    return doc


def import_document(w: Writer, document: Any) -> dict[str, Counter[str]]:
    """Write a validated `Document` (upsert by code). Returns created/updated/unchanged counts."""
    summary: dict[str, Counter[str]] = {}
    for key, table, columns, refs in SIMPLE:
        counts: Counter[str] = Counter()
        for index, record in enumerate(getattr(document, key)):
            data = record.model_dump(mode="json", by_alias=True)
            values = {c: data.get(c) for c in columns}
            for field, (column, kind) in refs.items():
                values[column] = _id_by_code(w.conn, kind, data[field], f"{key}.{index}.{field}")
            outcome, row_id = _upsert(w, table, data["code"], values)
            if table == "project":
                changed = _sync_departments(w, row_id, data["departments"], f"{key}.{index}")
                changed |= _sync_history(w, row_id, data["history"])
                if changed and outcome == "unchanged":
                    outcome = "updated"
            counts[outcome] += 1
        summary[key] = counts
    return summary


def _id_by_code(conn: sqlite3.Connection, kind: str, code: str, where: str) -> int:
    row = conn.execute(f"SELECT id FROM {kind} WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise NotFound(f"{where}: no {kind} with code {code!r} in the document or the database")
    return int(row[0])


def _upsert(w: Writer, table: str, code: str, values: dict[str, Any]) -> tuple[str, int]:
    row = w.conn.execute(f"SELECT id FROM {table} WHERE code = ?", (code,)).fetchone()
    if row is None:
        return "created", w.insert(table, {"code": code, **values})
    before = w.changes
    w.update(table, int(row[0]), values, action="import")
    return ("updated" if w.changes > before else "unchanged"), int(row[0])


def _sync_departments(w: Writer, project_id: int, codes: list[str], where: str) -> bool:
    from portefolje.store.register import set_departments

    before = w.changes
    for i, code in enumerate(codes):
        _id_by_code(w.conn, "department", code, f"{where}.departments.{i}")
    set_departments(w, project_id, codes)
    return w.changes > before


def _sync_history(w: Writer, project_id: int, events: list[dict[str, Any]]) -> bool:
    current = [
        {"date": r[0], "kind": r[1], "dimension": r[2], "from": r[3], "to": r[4], "note": r[5]}
        for r in w.conn.execute(
            "SELECT date, kind, dimension, old_value, new_value, note FROM project_event "
            "WHERE project_id = ? ORDER BY date, id",
            (project_id,),
        )
    ]
    wanted = sorted(events, key=lambda e: e["date"])
    if current == wanted:
        return False
    for (event_id,) in w.conn.execute(
        "SELECT id FROM project_event WHERE project_id = ?", (project_id,)
    ).fetchall():
        w.delete("project_event", event_id, action="import")
    for e in wanted:
        w.insert(
            "project_event",
            {
                "project_id": project_id,
                "date": e["date"],
                "kind": e["kind"],
                "dimension": e["dimension"],
                "old_value": e["from"],
                "new_value": e["to"],
                "note": e["note"],
            },
        )
    return True
