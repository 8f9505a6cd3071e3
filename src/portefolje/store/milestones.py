"""Milestones (milepæle): due dates that can be met or moved; every move keeps the earlier date.

A milestone as it stood on a day: its due date is the one in force then (a move dated later is
not yet made), and its state (open, done, cancelled) is its latest event on or before that day.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from portefolje.domain import rules
from portefolje.domain.dates import today
from portefolje.domain.errors import InvalidValue, Refused
from portefolje.i18n import msg, of
from portefolje.store.queries import in_clause, marks
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
        clauses.append(f"m.id IN ({marks(ids)})")
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
    # a window of due dates: the due date on the day is the current one or the old date of a
    # later move, so only milestones with one of those in the window are looked up (the
    # calendar's weeks out of 50,000 milestones)
    within, window = "", []
    if due_from is not None or due_to is not None:
        bounds = [(">=", due_from), ("<=", due_to)]
        near = [(op, v) for op, v in bounds if v is not None]
        on_due = " AND ".join(f"m.due_date {op} ?" for op, _ in near)
        on_old = " AND ".join(f"mm.old_due {op} ?" for op, _ in near)
        within = (
            f"WHERE ({on_due} OR m.id IN (SELECT mm.milestone_id FROM milestone_move mm "
            f"WHERE mm.moved_on > ? AND {on_old}))"
        )
        window = [*(v for _, v in near), day, *(v for _, v in near)]
    rows = [
        dict(r)
        for r in conn.execute(
            "SELECT * FROM (SELECT m.id, m.code, m.title, p.code AS project, "
            "coalesce(pf.code, ppf.code) AS portfolio, m.project_id, "
            "coalesce(pf.id, ppf.id) AS portfolio_key, "
            f"{DUE_ON} AS due, {STATE_ON} AS state, m.note, m.follow_up {FROM} {within}) m "
            f"{where} ORDER BY due, id",
            [day, day, *window, *params],
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


# the milestones neither met nor cancelled on the day (:d) and due before it, with the due date
# they had then, in one grouped pass over each history table (a lookup per milestone, or a window
# function, cost twice as much at 50,000 milestones); migration 0009's indexes cover both passes.
# The latest event is the one with the largest "date + id" (dates are fixed-width ISO strings),
# the first later move the smallest; SQLite takes the bare column from that row.
_LATE = (
    "WITH closed AS (SELECT milestone_id FROM (SELECT milestone_id, kind, "
    "max(date || printf('%012d', id)) FROM milestone_event WHERE date <= :d "
    "GROUP BY milestone_id) WHERE kind IN ('done', 'cancelled')), "
    "moved AS (SELECT milestone_id, old_due, min(moved_on || printf('%012d', id)) "
    "FROM milestone_move WHERE moved_on > :d GROUP BY milestone_id), "
    "late AS MATERIALIZED (SELECT id, project_id, due FROM (SELECT m.id, m.project_id, "
    "coalesce(mv.old_due, m.due_date) AS due FROM milestone m {join} "
    "LEFT JOIN moved mv ON mv.milestone_id = m.id WHERE m.id NOT IN closed {where}) "
    "WHERE due < :d) "
    # per project how many; how many in all (the selection's portfolio milestones too)
    "SELECT 'project', project_id, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL "
    "FROM late WHERE project_id IS NOT NULL GROUP BY project_id "
    "UNION ALL SELECT 'total', NULL, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM late "
    # the longest overdue, with each one's first due date (its earliest move's old date)
    "UNION ALL SELECT 'late', m.id, NULL, m.title, l.due, m.code, m.project_id, p.code, "
    "coalesce(pf.code, ppf.code), coalesce((SELECT mm.old_due FROM milestone_move mm "
    "WHERE mm.milestone_id = m.id ORDER BY mm.moved_on, mm.id LIMIT 1), l.due) "
    "FROM (SELECT id, due FROM late ORDER BY due, id LIMIT :limit) l "
    "JOIN milestone m ON m.id = l.id LEFT JOIN project p ON p.id = m.project_id "
    "LEFT JOIN segment s ON s.id = p.segment_id "
    "LEFT JOIN portfolio ppf ON ppf.id = s.portfolio_id "
    "LEFT JOIN portfolio pf ON pf.id = m.portfolio_id"
)
_PROJECT_SEGMENT = (
    "LEFT JOIN project p ON p.id = m.project_id LEFT JOIN segment s ON s.id = p.segment_id"
)


@dataclass
class OpenOn:
    """The overdue milestones on a day (open, and due before it), summarised: how many per
    project; the longest overdue of the selection and how many in all."""

    overdue_by_project: dict[int, int] = field(default_factory=dict)
    overdue: list[dict[str, Any]] = field(default_factory=list)
    overdue_total: int = 0


def open_on(conn: sqlite3.Connection, portfolio_id: int | None, as_of: date, limit: int) -> OpenOn:
    """The milestones neither met nor cancelled on the day and due before it, with the due date
    in force then, summarised in SQL (one statement): the report needs per-project counts and the
    first `limit` overdue (by due date), not the thousands of overdue milestones themselves."""
    join, where = "", ""
    params: dict[str, Any] = {"d": as_of.isoformat(), "limit": limit}
    if portfolio_id is not None:
        join = _PROJECT_SEGMENT
        where = "AND coalesce(m.portfolio_id, s.portfolio_id) = :pf"
        params["pf"] = portfolio_id
    out = OpenOn()
    for part, key, n, title, due, code, project_id, project, pf, first in conn.execute(
        _LATE.format(join=join, where=where), params
    ):
        if part == "project":
            out.overdue_by_project[key] = n
        elif part == "total":
            out.overdue_total = n
        else:
            out.overdue.append(
                {
                    "id": key,
                    "code": code,
                    "title": title,
                    "project_id": project_id,
                    "project": project,
                    "portfolio": pf,
                    "due_date": due,
                    "original_due_date": first,
                }
            )
    out.overdue.sort(key=lambda r: (r["due_date"], r["id"]))
    return out


def next_open(
    conn: sqlite3.Connection,
    portfolio_id: int | None,
    as_of: date,
    project_ids: list[int] | None = None,
) -> dict[int, dict[str, Any]]:
    """Per project: its next milestone on the day (neither met nor cancelled then, due on or
    after it by the due date in force then; of two on one day the first registered), as
    {"title", "due_date"}. For the projects of the selection, or only `project_ids` (the status
    report's projects shown: a few hundred milestones, each looked up by its index)."""
    day = as_of.isoformat()
    within, params = "WHERE m.project_id IS NOT NULL", []
    if project_ids is not None:
        within = f"WHERE m.project_id IN ({marks(project_ids)})"
        params = list(project_ids)
    elif portfolio_id is not None:
        within = (
            "JOIN project p ON p.id = m.project_id JOIN segment s ON s.id = p.segment_id "
            "WHERE s.portfolio_id = ?"
        )
        params = [portfolio_id]
    rows = conn.execute(
        "SELECT project_id, title, substr(min(due || printf('%012d', id)), 1, 10) FROM "
        f"(SELECT m.id, m.project_id, m.title, {DUE_ON} AS due, {STATE_ON} AS state "
        f"FROM milestone m {within}) WHERE due >= ? AND (state IS NULL OR "
        "(state NOT GLOB 'done *' AND state NOT GLOB 'cancelled *')) GROUP BY project_id",
        [day, day, *params, day],
    )
    return {pid: {"title": title, "due_date": due} for pid, title, due in rows}


def around(
    conn: sqlite3.Connection, portfolio_id: int | None, as_of: date, start: str, end: str
) -> list[tuple[str, str, str]]:
    """The milestones due from `start` to `end` by the due date in force on `as_of`, in due date
    order (then id), as the status report's timeline draws them: (due date, title, state: open,
    done or cancelled). `milestones` with a window, less what the timeline does not draw (codes,
    projects, every move: at L 2,000 milestones and their moves)."""
    day = as_of.isoformat()
    join, where, params = "", "", []
    if portfolio_id is not None:
        join = _PROJECT_SEGMENT
        where = "AND coalesce(m.portfolio_id, s.portfolio_id) = ?"
        params = [portfolio_id]
    rows = conn.execute(
        f"SELECT due, title, state FROM (SELECT m.id, m.title, {DUE_ON} AS due, "
        f"{STATE_ON} AS state FROM milestone m {join} WHERE (m.due_date BETWEEN ? AND ? "
        "OR m.id IN (SELECT mm.milestone_id FROM milestone_move mm WHERE mm.moved_on > ? "
        f"AND mm.old_due BETWEEN ? AND ?)) {where}) WHERE due BETWEEN ? AND ? ORDER BY due, id",
        [day, day, start, end, day, start, end, *params, start, end],
    )
    kinds = {"done": "done", "cancelled": "cancelled"}
    return [
        (due, title, kinds.get((state or "").partition(" ")[0], "open"))
        for due, title, state in rows
    ]


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
