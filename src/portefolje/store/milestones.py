"""Milestones (milepæle): due dates that can be met or moved; every move keeps the earlier date."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from portefolje.domain.errors import InvalidValue, Refused
from portefolje.domain.rules import require_text
from portefolje.store.queries import in_clause
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

COLUMNS = (
    "m.id, m.code, m.title, p.code AS project, coalesce(pf.code, ppf.code) AS portfolio, "
    "m.due_date, m.done_date, m.note"
)
FROM = (
    "FROM milestone m LEFT JOIN project p ON p.id = m.project_id "
    "LEFT JOIN segment s ON s.id = p.segment_id LEFT JOIN portfolio ppf ON ppf.id = s.portfolio_id "
    "LEFT JOIN portfolio pf ON pf.id = m.portfolio_id"
)


def milestones(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    project: str | None = None,
    portfolio: str | None = None,
    as_of: date | None = None,
    overdue: bool = False,
    upcoming: int | None = None,
    open_only: bool = False,
) -> list[dict[str, Any]]:
    """Milestones with their moves; `overdue` and `upcoming` are judged as of `as_of`."""
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"m.id IN ({','.join('?' * len(ids))})")
        params += ids
    if project is not None:
        clauses.append("m.project_id = ?")
        params.append(resolve(conn, "project", project)["id"])
    if portfolio is not None:
        clauses.append("coalesce(pf.id, ppf.id) = ?")
        params.append(resolve(conn, "portfolio", portfolio)["id"])
    day = (as_of or date.today()).isoformat()
    if overdue or upcoming is not None or open_only:
        clauses.append("(m.done_date IS NULL OR m.done_date > ?)")
        params.append(day)
    if overdue:
        clauses.append("m.due_date < ?")
        params.append(day)
    if upcoming is not None:
        clauses.append("m.due_date BETWEEN ? AND ?")
        params += [day, ((as_of or date.today()) + timedelta(days=upcoming)).isoformat()]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = [
        dict(r)
        for r in conn.execute(f"SELECT {COLUMNS} {FROM} {where} ORDER BY m.due_date, m.id", params)
    ]
    moves = moves_by_milestone(conn, [r["id"] for r in rows])
    for r in rows:
        r["moves"] = moves.get(r["id"], [])
        r["original_due_date"] = r["moves"][0]["from"] if r["moves"] else r["due_date"]
        r["times_moved"] = len(r["moves"])
    return rows


def moves_by_milestone(
    conn: sqlite3.Connection, ids: list[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    clause, params = in_clause("milestone_id", ids)
    where = f"WHERE {clause}" if clause else ""
    for r in conn.execute(
        f"SELECT milestone_id, moved_on, old_due, new_due, reason FROM milestone_move {where} "
        "ORDER BY milestone_id, id",
        params,
    ):
        out[r[0]].append({"moved_on": r[1], "from": r[2], "to": r[3], "reason": r[4]})
    return out


def record(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any]:
    return milestones(conn, [resolve(conn, "milestone", ref)["id"]])[0]


def add(
    w: Writer,
    title: str,
    *,
    due: str,
    project: str | None,
    portfolio: str | None,
    code: str | None,
    note: str | None = None,
) -> dict[str, Any]:
    from portefolje.store.register import add as add_record

    if (project is None) == (portfolio is None):
        raise InvalidValue(
            "a milestone belongs to a project (--project) or a portfolio (--portfolio)"
        )
    values: dict[str, Any] = {
        "title": require_text(title, "a title"),
        "due_date": due,
        "note": note,
    }
    if project is not None:
        values["project_id"] = resolve(w.conn, "project", project)["id"]
    else:
        values["portfolio_id"] = resolve(w.conn, "portfolio", portfolio or "")["id"]
    rec = add_record(w, "milestone", values, code)
    return record(w.conn, rec["id"])


def done(w: Writer, ref: str, *, on: str) -> dict[str, Any]:
    row = resolve(w.conn, "milestone", ref)
    if row["done_date"]:
        raise Refused(f"milestone {row['code']} was already met on {row['done_date']}")
    w.update("milestone", row["id"], {"done_date": on}, action="done")
    return record(w.conn, row["id"])


def move(w: Writer, ref: str, *, due: str, reason: str | None, on: str) -> dict[str, Any]:
    row = resolve(w.conn, "milestone", ref)
    reason = require_text(reason, "a reason (--reason) to move a milestone")
    if row["done_date"]:
        raise Refused(f"milestone {row['code']} was met on {row['done_date']}; it cannot move")
    if due == row["due_date"]:
        raise Refused(f"milestone {row['code']} is already due on {due}")
    w.insert(
        "milestone_move",
        {
            "milestone_id": row["id"],
            "moved_on": on,
            "old_due": row["due_date"],
            "new_due": due,
            "reason": reason,
        },
    )
    w.update("milestone", row["id"], {"due_date": due}, action="move")
    return record(w.conn, row["id"])
