"""Milestones (milepæle): due dates that can be met or moved; every move keeps the earlier date.

A milestone as it stood on a day: its due date is the one in force then (a move dated later is
not yet made), and its state (open, done, cancelled) is its latest event on or before that day.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from portefolje.domain import rules
from portefolje.domain.dates import today
from portefolje.domain.errors import InvalidValue, Refused
from portefolje.i18n import msg, of
from portefolje.store.queries import in_clause
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

# the due date on a day: the first move made after it still had the earlier date
DUE_ON = (
    "coalesce((SELECT mm.old_due FROM milestone_move mm WHERE mm.milestone_id = m.id "
    "AND mm.moved_on > ? ORDER BY mm.moved_on, mm.id LIMIT 1), m.due_date)"
)
STATE_ON = (
    "(SELECT e.kind || ' ' || e.date FROM milestone_event e WHERE e.milestone_id = m.id "
    "AND e.date <= ? ORDER BY e.date DESC, e.id DESC LIMIT 1)"
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
    portfolio_id: int | None = None,
    as_of: date | None = None,
    overdue: bool = False,
    upcoming: int | None = None,
    open_only: bool = False,
    due_from: str | None = None,
    due_to: str | None = None,
) -> list[dict[str, Any]]:
    """Milestones as they stood on `as_of` (default today), with their moves up to that day.
    `overdue`, `upcoming` and `open_only` keep open (not met, not cancelled) ones."""
    on = as_of or today()
    day = on.isoformat()
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"m.id IN ({','.join('?' * len(ids))})")
        params += ids
    if project is not None:
        clauses.append("m.project_id = ?")
        params.append(resolve(conn, "project", project)["id"])
    if portfolio is not None:
        portfolio_id = resolve(conn, "portfolio", portfolio)["id"]
    if portfolio_id is not None:
        clauses.append("portfolio_key = ?")
        params.append(portfolio_id)
    if overdue or upcoming is not None or open_only:
        clauses.append(
            "(state IS NULL OR (state NOT GLOB 'done *' AND state NOT GLOB 'cancelled *'))"
        )
    if overdue:
        clauses.append("due < ?")
        params.append(day)
    if upcoming is not None:
        clauses.append("due BETWEEN ? AND ?")
        params += [day, (on + timedelta(days=upcoming)).isoformat()]
    if due_from is not None:
        clauses.append("due >= ?")
        params.append(due_from)
    if due_to is not None:
        clauses.append("due <= ?")
        params.append(due_to)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = [
        dict(r)
        for r in conn.execute(
            "SELECT * FROM (SELECT m.id, m.code, m.title, p.code AS project, "
            "coalesce(pf.code, ppf.code) AS portfolio, m.project_id, "
            "coalesce(pf.id, ppf.id) AS portfolio_key, "
            f"{DUE_ON} AS due, {STATE_ON} AS state, m.note, m.follow_up {FROM}) m "
            f"{where} ORDER BY due, id",
            [day, day, *params],
        )
    ]
    moves = moves_by_milestone(conn, [r["id"] for r in rows], day)
    for r in rows:
        r.pop("portfolio_key")
        kind, _, when = (r.pop("state") or "").partition(" ")
        r["due_date"] = r.pop("due")
        r["state"] = {"done": "done", "cancelled": "cancelled"}.get(kind, "open")
        r["done_date"] = when if kind == "done" else None
        r["cancelled_date"] = when if kind == "cancelled" else None
        r["follow_up"] = bool(r["follow_up"])
        r["moves"] = moves.get(r["id"], [])
        r["original_due_date"] = r["moves"][0]["from"] if r["moves"] else r["due_date"]
        r["times_moved"] = len(r["moves"])
    return rows


def _open_cte(portfolio_id: int | None) -> tuple[str, list[Any]]:
    """A CTE `open` of the milestones neither met nor cancelled on the day (the parameter :d),
    with the due date they had then, for the selection. The latest event is looked up once per
    milestone (a condition that named the state three times ran its subquery three times)."""
    where, params = "", []
    if portfolio_id is not None:
        where = "AND coalesce(m.portfolio_id, s.portfolio_id) = ?"
        params = [portfolio_id]
    return (
        "WITH open AS MATERIALIZED (SELECT m.id, m.code, m.title, m.project_id, "
        f"p.code AS project, coalesce(pf.code, ppf.code) AS portfolio, {DUE_ON} AS due "
        "FROM milestone m LEFT JOIN project p ON p.id = m.project_id "
        "LEFT JOIN segment s ON s.id = p.segment_id "
        "LEFT JOIN portfolio ppf ON ppf.id = s.portfolio_id "
        "LEFT JOIN portfolio pf ON pf.id = m.portfolio_id "
        "WHERE coalesce((SELECT e.kind FROM milestone_event e WHERE e.milestone_id = m.id "
        "AND e.date <= ? ORDER BY e.date DESC, e.id DESC LIMIT 1), 'open') "
        f"NOT IN ('done', 'cancelled') {where})",
        params,
    )


def open_on(
    conn: sqlite3.Connection, portfolio_id: int | None, as_of: date
) -> list[tuple[Any, ...]]:
    """(id, code, title, project_id, project code, portfolio code, due date then) of every
    milestone neither met nor cancelled on the day, ordered by due date: one statement."""
    day = as_of.isoformat()
    cte, params = _open_cte(portfolio_id)
    return conn.execute(
        f"{cte} SELECT id, code, title, project_id, project, portfolio, due FROM open "
        "ORDER BY due, id",
        [day, day, *params],
    ).fetchall()


def original_due(conn: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    """The first due date of milestones that have moved (their earliest move's old date)."""
    return _first_due(conn, ids)


def _first_due(conn: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    clause, params = in_clause("milestone_id", ids)
    if not ids:
        return {}
    return {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT milestone_id, old_due FROM (SELECT milestone_id, old_due, row_number() "
            "OVER (PARTITION BY milestone_id ORDER BY moved_on, id) AS n FROM milestone_move "
            f"WHERE {clause}) WHERE n = 1",
            params,
        )
    }


def moves_by_milestone(
    conn: sqlite3.Connection, ids: list[int] | None = None, day: str | None = None
) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    clause, params = in_clause("milestone_id", ids)
    conditions = [c for c in (clause, "moved_on <= ?" if day else "") if c]
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    for r in conn.execute(
        f"SELECT milestone_id, moved_on, old_due, new_due, reason FROM milestone_move {where} "
        "ORDER BY milestone_id, moved_on, id",
        [*params, *([day] if day else [])],
    ):
        out[r[0]].append({"moved_on": r[1], "from": r[2], "to": r[3], "reason": r[4]})
    return out


def events(conn: sqlite3.Connection, milestone_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            "SELECT date, kind, reason FROM milestone_event WHERE milestone_id = ? "
            "ORDER BY date, id",
            (milestone_id,),
        )
    ]


def record(conn: sqlite3.Connection, ref: str | int, as_of: date | None = None) -> dict[str, Any]:
    found = milestones(conn, [resolve(conn, "milestone", ref)["id"]], as_of=as_of)[0]
    found["events"] = events(conn, found["id"])
    return found


def has_follow_up(conn: sqlite3.Connection, project_id: int) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM milestone WHERE project_id = ? AND follow_up = 1", (project_id,)
        ).fetchone()
        is not None
    )


def add(
    w: Writer,
    title: str,
    *,
    due: str,
    project: str | None,
    portfolio: str | None,
    code: str | None,
    note: str | None = None,
    follow_up: bool = False,
) -> dict[str, Any]:
    from portefolje.store.register import add as add_record

    if (project is None) == (portfolio is None):
        raise InvalidValue(msg("err.milestone_owner"))
    values: dict[str, Any] = {
        "title": rules.require_text(title, "what.title"),
        "due_date": due,
        "note": note,
        "follow_up": int(follow_up),
    }
    if project is not None:
        values["project_id"] = resolve(w.conn, "project", project)["id"]
    else:
        values["portfolio_id"] = resolve(w.conn, "portfolio", portfolio or "")["id"]
    rec = add_record(w, "milestone", values, code)
    return record(w.conn, rec["id"])


def _last(w: Writer, milestone_id: int) -> Any:
    return w.conn.execute(
        "SELECT date, kind FROM milestone_event WHERE milestone_id = ? "
        "ORDER BY date DESC, id DESC LIMIT 1",
        (milestone_id,),
    ).fetchone()


def _state(w: Writer, row: dict[str, Any]) -> tuple[str, str | None]:
    """The milestone's latest state and the date it took effect."""
    last = _last(w, row["id"])
    if last is None or last["kind"] in ("undone", "reinstated"):
        return "open", last["date"] if last else None
    return last["kind"], last["date"]


def _word(state: str) -> str:
    """A milestone's state as the refusals say it: 'nået' / 'met' for done."""
    return msg(f"state.milestone.{state}")


def _event(w: Writer, milestone_id: int, on: str, kind: str, reason: str | None) -> None:
    w.insert(
        "milestone_event",
        {
            "milestone_id": milestone_id,
            "date": on,
            "kind": kind,
            "reason": reason,
            "recorded_at": w.at,
        },
        action=kind,
    )


def done(w: Writer, ref: str, *, on: str) -> dict[str, Any]:
    row = resolve(w.conn, "milestone", ref)
    state, since = _state(w, row)
    if state != "open":
        raise Refused(
            msg("err.milestone_already", code=row["code"], state=_word(state), date=since)
        )
    rules.check_event_date(on, since, of("what.change_of", "milestone", row["code"]))
    _event(w, row["id"], on, "done", None)
    return record(w.conn, row["id"])


def undone(w: Writer, ref: str, *, on: str, reason: str | None) -> dict[str, Any]:
    """Take back 'met': the milestone is open again from `on`; the earlier 'met' stays in its
    history."""
    row = resolve(w.conn, "milestone", ref)
    reason = rules.require_text(reason, "what.reason_undone_milestone")
    state, since = _state(w, row)
    if state != "done":
        raise Refused(msg("err.milestone_not_met", code=row["code"], state=_word(state)))
    rules.check_event_date(on, since, of("what.change_of", "milestone", row["code"]))
    _event(w, row["id"], on, "undone", reason)
    return record(w.conn, row["id"])


def cancel(w: Writer, ref: str, *, on: str, reason: str | None) -> dict[str, Any]:
    """A milestone that will not happen: kept, shown as cancelled, no longer overdue."""
    row = resolve(w.conn, "milestone", ref)
    reason = rules.require_text(reason, "what.reason_cancel_milestone")
    state, since = _state(w, row)
    if state != "open":
        raise Refused(
            msg("err.milestone_already", code=row["code"], state=_word(state), date=since)
        )
    rules.check_event_date(on, since, of("what.change_of", "milestone", row["code"]))
    _event(w, row["id"], on, "cancelled", reason)
    return record(w.conn, row["id"])


def move(w: Writer, ref: str, *, due: str, reason: str | None, on: str) -> dict[str, Any]:
    row = resolve(w.conn, "milestone", ref)
    reason = rules.require_text(reason, "what.reason_move_milestone")
    state, since = _state(w, row)
    if state != "open":
        raise Refused(
            msg("err.milestone_cannot_move", code=row["code"], state=_word(state), date=since)
        )
    if due == row["due_date"]:
        raise Refused(msg("err.milestone_same_due", code=row["code"], date=due))
    last_move = w.conn.execute(
        "SELECT max(moved_on) FROM milestone_move WHERE milestone_id = ?", (row["id"],)
    ).fetchone()[0]
    rules.check_event_date(on, last_move, of("what.move_of", "milestone", row["code"]))
    w.insert(
        "milestone_move",
        {
            "milestone_id": row["id"],
            "moved_on": on,
            "old_due": row["due_date"],
            "new_due": due,
            "reason": reason,
            "recorded_at": w.at,
        },
        action="move",
    )
    w.update("milestone", row["id"], {"due_date": due}, action="move")
    return record(w.conn, row["id"])


def edit(w: Writer, ref: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Title, note, code: what a milestone is called. Its date moves with `move`."""
    from portefolje.store.register import edit as edit_record

    row = resolve(w.conn, "milestone", ref)
    edit_record(w, "milestone", str(row["id"]), changes)
    return record(w.conn, row["id"])
