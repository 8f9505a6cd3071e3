"""Solutions (løsninger): what a project produces, and their path from idea to operation."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from typing import Any

from portefolje.domain import rules
from portefolje.domain.dates import today
from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg, of
from portefolje.store.queries import in_clause, marks
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

COLUMNS = (
    "s.id, s.code, s.title, p.code AS project, s.kind, st.new_status AS status, "
    "st.date AS status_date, s.trial_from, s.trial_to, s.trial_population, "
    "d.code AS handed_over_to, s.description, s.expected_effects, s.documented_effects"
)
# each solution's latest step on or before the day (the parameter), found through the index on
# (solution_id, date): one solution costs one index probe, never a pass over every step
STEP_ON = (
    "solution_event st ON st.id = (SELECT e.id FROM solution_event e WHERE e.solution_id = s.id "
    "AND e.date <= ? ORDER BY e.date DESC, e.id DESC LIMIT 1)"
)
# every solution's latest step on or before the day (the first parameter), for counts: the step
# with the largest "date + id" (fixed-width ISO dates), its status the bare column SQLite takes
# from that row; a third cheaper than numbering every step with a window function
LATEST = (
    "SELECT solution_id, new_status, max(date || printf('%012d', id)) FROM solution_event "
    "WHERE date <= ? GROUP BY solution_id"
)


def solutions(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    project: str | None = None,
    portfolio: str | None = None,
    portfolio_id: int | None = None,
    status: str | None = None,
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    """Solutions as they stood on `as_of` (default today): the step they had reached then.
    A list leaves out solutions created later; asked for by id, one comes back with status None."""
    day = (as_of or today()).isoformat()
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"s.id IN ({marks(ids)})")
        params += ids
    if project is not None:
        clauses.append("s.project_id = ?")
        params.append(resolve(conn, "project", project)["id"])
    if portfolio is not None:
        portfolio_id = resolve(conn, "portfolio", portfolio)["id"]
    if portfolio_id is not None:
        clauses.append("seg.portfolio_id = ?")
        params.append(portfolio_id)
    if status is not None:
        clauses.append("st.new_status = ?")
        params.append(status)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT {COLUMNS} FROM solution s JOIN project p ON p.id = s.project_id "
            "JOIN segment seg ON seg.id = p.segment_id "
            f"{'LEFT ' if ids is not None else ''}JOIN {STEP_ON} "
            f"LEFT JOIN department d ON d.id = s.handed_over_to {where} ORDER BY s.id",
            [day, *params],
        )
    ]


def counts_by_project(
    conn: sqlite3.Connection,
    portfolio_id: int | None,
    as_of: date,
    project_ids: list[int] | None = None,
) -> dict[int, dict[str, int]]:
    """Per project: how many of its solutions had reached each step on the day (one statement).
    For the whole selection, one grouped pass over every step; for a few projects (`project_ids`,
    the status report's projects shown), their solutions' latest steps by one index probe each."""
    day = as_of.isoformat()
    if project_ids is not None:
        sql = (
            "SELECT s.project_id, st.new_status, count(*) FROM solution s "
            f"JOIN {STEP_ON} WHERE s.project_id IN ({marks(project_ids)}) "
            "GROUP BY s.project_id, st.new_status"
        )
        params: list[Any] = [day, *project_ids]
    else:
        join = ""
        params = [day]
        if portfolio_id is not None:
            join = (
                "JOIN project p ON p.id = s.project_id JOIN segment seg ON seg.id = p.segment_id "
                "AND seg.portfolio_id = ?"
            )
            params = [portfolio_id, day]
        sql = (
            f"SELECT s.project_id, st.new_status, count(*) FROM solution s {join} "
            f"JOIN ({LATEST}) st ON st.solution_id = s.id GROUP BY s.project_id, st.new_status"
        )
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for project_id, status, n in conn.execute(sql, params):
        out[project_id][status] = n
    return out


def history(
    conn: sqlite3.Connection, solution_ids: list[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Status changes per solution id, oldest first (one query)."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    clause, params = in_clause("solution_id", solution_ids)
    where = f"WHERE {clause}" if clause else ""
    for r in conn.execute(
        f"SELECT solution_id, date, old_status, new_status, note FROM solution_event {where} "
        "ORDER BY solution_id, date, id",
        params,
    ):
        out[r[0]].append({"date": r[1], "from": r[2], "to": r[3], "note": r[4]})
    return out


def record(conn: sqlite3.Connection, ref: str | int, as_of: date | None = None) -> dict[str, Any]:
    row = resolve(conn, "solution", ref)
    found = solutions(conn, [row["id"]], as_of=as_of)[0]
    found["history"] = history(conn, [row["id"]]).get(row["id"], [])
    return found


def add(
    w: Writer,
    values: dict[str, Any],
    *,
    project: str,
    handed_over_to: str | None,
    code: str | None,
    on: str,
) -> dict[str, Any]:
    from portefolje.store.register import add as add_record

    values = dict(values)
    values["project_id"] = resolve(w.conn, "project", project)["id"]
    if handed_over_to:
        values["handed_over_to"] = resolve(w.conn, "department", handed_over_to)["id"]
    status = values.pop("status", None) or "idea"
    if status == "handed-over" and not handed_over_to:
        raise InvalidValue(msg("err.handed_over_needs_department"))
    _check_trial(values.get("trial_from"), values.get("trial_to"))
    rec = add_record(w, "solution", values, code)
    _step(w, rec["id"], on, None, status, "created")
    return record(w.conn, rec["id"], as_of=max(date.fromisoformat(on), today()))


def _step(
    w: Writer, solution_id: int, on: str, old: str | None, new: str, note: str | None
) -> None:
    w.insert(
        "solution_event",
        {
            "solution_id": solution_id,
            "date": on,
            "old_status": old,
            "new_status": new,
            "note": note,
            "recorded_at": w.at,
        },
        action="add" if old is None else "status",
    )


def _last(w: Writer, solution_id: int) -> Any:
    return w.conn.execute(
        "SELECT date, new_status FROM solution_event WHERE solution_id = ? "
        "ORDER BY date DESC, id DESC LIMIT 1",
        (solution_id,),
    ).fetchone()


def edit(
    w: Writer, ref: str, changes: dict[str, Any], *, handed_over_to: str | None
) -> dict[str, Any]:
    from portefolje.store.register import edit as edit_record

    row = resolve(w.conn, "solution", ref)
    if handed_over_to is not None:
        changes["handed_over_to"] = (
            resolve(w.conn, "department", handed_over_to)["id"] if handed_over_to else ""
        )
    _check_trial(
        changes.get("trial_from") or row["trial_from"], changes.get("trial_to") or row["trial_to"]
    )
    edit_record(w, "solution", str(row["id"]), changes)
    return record(w.conn, row["id"])


def set_status(
    w: Writer, ref: str, status: str, *, on: str, note: str | None, handed_over_to: str | None
) -> dict[str, Any]:
    row = resolve(w.conn, "solution", ref)
    last = _last(w, row["id"])
    rules.solution_transition(row["code"], last["new_status"], status, note)
    rules.check_event_date(on, last["date"], of("what.step_of", "solution", row["code"]))
    if handed_over_to:
        department = resolve(w.conn, "department", handed_over_to)["id"]
        w.update("solution", row["id"], {"handed_over_to": department}, action="status")
    elif status == "handed-over" and not row["handed_over_to"]:
        raise InvalidValue(msg("err.handed_over_which", code=row["code"]))
    _step(w, row["id"], on, last["new_status"], status, note)
    return record(w.conn, row["id"], as_of=date.fromisoformat(on))


def _check_trial(start: Any, end: Any) -> None:
    if start and end and str(end) < str(start):
        raise InvalidValue(msg("err.trial_reversed", end=end, start=start))
