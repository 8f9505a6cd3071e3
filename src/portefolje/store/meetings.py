"""Meetings of the steering bodies (Direktørforum, a steering group, a political committee: all
committee rows), the decisions (beslutninger) taken there, and the actions (handlinger) asked for.

An action as it stood on a day: it exists from the day it was asked for (`opened`), and it is
done from its latest 'done' event on or before the day (an 'undone' takes that back). It is
overdue on a day when it is open and its due date has passed.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from typing import Any

from portefolje.domain import governance as rules
from portefolje.domain.dates import today
from portefolje.domain.errors import InvalidValue, Refused
from portefolje.domain.rules import check_event_date, require_text
from portefolje.i18n import msg, of
from portefolje.store.queries import in_clause, marks
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

# -- meetings -----------------------------------------------------------------------------------


def meetings(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    body: str | None = None,
    portfolio: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[dict[str, Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"m.id IN ({marks(ids)})")
        params += ids
    if body is not None:
        clauses.append("m.committee_id = ?")
        params.append(resolve(conn, "committee", body)["id"])
    if portfolio is not None:
        clauses.append("m.portfolio_id = ?")
        params.append(resolve(conn, "portfolio", portfolio)["id"])
    if date_from is not None:
        clauses.append("m.date >= ?")
        params.append(date_from)
    if date_to is not None:
        clauses.append("m.date <= ?")
        params.append(date_to)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = [
        dict(r)
        for r in conn.execute(
            "SELECT m.id, m.code, c.code AS body, c.name AS body_name, pf.code AS portfolio, "
            "m.date, m.title, (SELECT count(*) FROM decision d WHERE d.meeting_id = m.id) "
            "AS decisions FROM meeting m JOIN committee c ON c.id = m.committee_id "
            f"LEFT JOIN portfolio pf ON pf.id = m.portfolio_id {where} ORDER BY m.date, m.id",
            params,
        )
    ]
    return rows


def meeting_record(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any]:
    found = meetings(conn, [resolve(conn, "meeting", ref)["id"]])[0]
    found["decisions"] = decisions(conn, meeting_id=found["id"])
    return found


def add_meeting(
    w: Writer,
    *,
    body: str,
    on: str,
    title: str | None,
    portfolio: str | None,
    code: str | None,
) -> dict[str, Any]:
    from portefolje.store.register import add as add_record

    values: dict[str, Any] = {
        "committee_id": resolve(w.conn, "committee", body)["id"],
        "date": on,
        "title": title.strip() if title and title.strip() else None,
    }
    if portfolio is not None:
        values["portfolio_id"] = resolve(w.conn, "portfolio", portfolio)["id"]
    rec = add_record(w, "meeting", values, code)
    return meeting_record(w.conn, rec["id"])


def edit_meeting(w: Writer, ref: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Title, date, body, portfolio and code, corrected in place (a meeting is what it was)."""
    from portefolje.domain.rules import check_code
    from portefolje.store.registry import check_free, claim_code

    row = resolve(w.conn, "meeting", ref)
    clean: dict[str, Any] = {}
    for column, value in changes.items():
        if value is not None:
            clean[column] = None if value == "" else value
    if clean.get("code") and clean["code"] != row["code"]:
        clean["code"] = check_code(clean["code"])
        check_free(w.conn, "meeting", clean["code"], own_id=row["id"])
        claim_code(w.conn, "meeting", clean["code"])
    if "committee_id" in clean:
        clean["committee_id"] = resolve(w.conn, "committee", clean["committee_id"])["id"]
    if clean.get("portfolio_id") is not None:
        clean["portfolio_id"] = resolve(w.conn, "portfolio", clean["portfolio_id"])["id"]
    if "date" in clean and clean["date"] is None:
        raise InvalidValue(msg("err.meeting_date"))
    w.update("meeting", row["id"], clean)
    return meeting_record(w.conn, row["id"])


# -- decisions ----------------------------------------------------------------------------------

DECISION_PORTFOLIO = (
    "(m.portfolio_id = ? OR EXISTS (SELECT 1 FROM decision_project dp "
    "JOIN project p ON p.id = dp.project_id JOIN segment s ON s.id = p.segment_id "
    "WHERE dp.decision_id = d.id AND s.portfolio_id = ?))"
)


def decisions(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    meeting_id: int | None = None,
    project_id: int | None = None,
    portfolio_id: int | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[dict[str, Any]]:
    """Decisions in meeting order, each with its meeting, body and projects. A portfolio's
    decisions are those of its own meetings and those about its projects."""
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"d.id IN ({marks(ids)})")
        params += ids
    if meeting_id is not None:
        clauses.append("d.meeting_id = ?")
        params.append(meeting_id)
    if project_id is not None:  # the decisions about it, and the one its approval rests on
        clauses.append(
            "(d.id IN (SELECT decision_id FROM decision_project WHERE project_id = ?) "
            "OR d.id IN (SELECT decision_id FROM project_event WHERE project_id = ?))"
        )
        params += [project_id, project_id]
    where, more = _decision_scope(portfolio_id, date_from, date_to, clauses)
    rows = [
        dict(r)
        for r in conn.execute(
            f"SELECT {DECISION_COLUMNS} {DECISION_FROM} {where} ORDER BY m.date, d.id",
            [*params, *more],
        )
    ]
    _link(conn, rows)
    return rows


def latest_decisions(
    conn: sqlite3.Connection, portfolio_id: int | None, date_from: str, date_to: str, last: int
) -> tuple[list[dict[str, Any]], int]:
    """The `last` decisions of meetings from `date_from` to `date_to`, in meeting order, as
    `decisions` has them, and how many there were in all: the status report lists the latest
    (a window of six years holds 3,600 at L)."""
    where, params = _decision_scope(portfolio_id, date_from, date_to, [])
    # the window's decisions are counted and ranked on (id, date) alone; only the last are read
    # with their texts
    rows = [
        dict(r)
        for r in conn.execute(
            f"SELECT {DECISION_COLUMNS}, x.total {DECISION_FROM} JOIN (SELECT d.id, m.date, "
            "count(*) OVER () AS total FROM decision d JOIN meeting m ON m.id = d.meeting_id "
            f"{where} ORDER BY m.date DESC, d.id DESC LIMIT ?) x ON x.id = d.id "
            "ORDER BY x.date, x.id",
            [*params, last],
        )
    ]
    total = rows[0]["total"] if rows else 0
    for r in rows:
        del r["total"]
    _link(conn, rows)
    return rows, total


DECISION_COLUMNS = (
    "d.id, d.code, d.text, m.code AS meeting, m.date, c.code AS body, c.name AS body_name, "
    "m.title AS meeting_title"
)
DECISION_FROM = (
    "FROM decision d JOIN meeting m ON m.id = d.meeting_id "
    "JOIN committee c ON c.id = m.committee_id"
)


def _decision_scope(
    portfolio_id: int | None, date_from: str | None, date_to: str | None, clauses: list[str]
) -> tuple[str, list[Any]]:
    """WHERE … of the decisions of a portfolio's meetings and projects, in a period."""
    clauses = list(clauses)
    params: list[Any] = []
    if portfolio_id is not None:
        clauses.append(DECISION_PORTFOLIO)
        params += [portfolio_id, portfolio_id]
    if date_from is not None:
        clauses.append("m.date >= ?")
        params.append(date_from)
    if date_to is not None:
        clauses.append("m.date <= ?")
        params.append(date_to)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _link(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    linked = decision_projects(conn, [r["id"] for r in rows])
    for r in rows:
        r["projects"] = linked.get(r["id"], [])


def decision_projects(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[str]]:
    clause, params = in_clause("dp.decision_id", ids)
    out: dict[int, list[str]] = defaultdict(list)
    for decision_id, code in conn.execute(
        "SELECT dp.decision_id, p.code FROM decision_project dp JOIN project p "
        f"ON p.id = dp.project_id {'WHERE ' + clause if clause else ''} "
        "ORDER BY dp.decision_id, dp.id",
        params,
    ):
        out[decision_id].append(code)
    return out


def decision_record(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any]:
    found = decisions(conn, [resolve(conn, "decision", ref)["id"]])[0]
    found["actions"] = [a["code"] for a in actions(conn, decision_id=found["id"], as_of=None)]
    return found


def set_decision_projects(w: Writer, decision_id: int, refs: list[str]) -> None:
    """Replace the projects a decision concerns; journaled on the decision as one change."""
    before = decision_projects(w.conn, [decision_id]).get(decision_id, [])
    ids = list(dict.fromkeys(resolve(w.conn, "project", r)["id"] for r in refs))
    w.execute("DELETE FROM decision_project WHERE decision_id = ?", (decision_id,))
    for pid in ids:
        w.execute(
            "INSERT INTO decision_project (decision_id, project_id) VALUES (?, ?)",
            (decision_id, pid),
        )
    after = decision_projects(w.conn, [decision_id]).get(decision_id, [])
    if after != before:
        w.journal("decision", decision_id, "projects", {"projects": before}, {"projects": after})


def add_decision(
    w: Writer, text: str, *, meeting: str, projects: list[str], code: str | None
) -> dict[str, Any]:
    from portefolje.store.register import add as add_record

    values = {
        "text": require_text(text, "what.decision_text"),
        "meeting_id": resolve(w.conn, "meeting", meeting)["id"],
    }
    rec = add_record(w, "decision", values, code)
    if projects:
        set_decision_projects(w, rec["id"], projects)
    return decision_record(w.conn, rec["id"])


def edit_decision(
    w: Writer, ref: str, changes: dict[str, Any], *, projects: list[str] | None
) -> dict[str, Any]:
    from portefolje.store.register import edit as edit_record

    row = resolve(w.conn, "decision", ref)
    if changes.get("meeting_id") is not None:
        changes["meeting_id"] = resolve(w.conn, "meeting", changes["meeting_id"])["id"]
    if changes.get("text") is not None:
        changes["text"] = require_text(changes["text"], "what.decision_text")
    edit_record(w, "decision", str(row["id"]), changes)
    if projects is not None:
        set_decision_projects(w, row["id"], projects)
    return decision_record(w.conn, row["id"])


# -- actions ------------------------------------------------------------------------------------

ACTION_SELECT = (
    "SELECT a.id, a.code, a.title, a.owner, a.opened, a.due_date, d.code AS decision, "
    "p.code AS project, a.note, coalesce(pf.code, ppf.code, mpf.code, dpf.code) AS portfolio, "
    "coalesce(pf.id, ppf.id, mpf.id, dpf.id) AS portfolio_key, a.project_id, a.decision_id, "
    "e.kind AS last_event, e.date AS event_date "
    "FROM action a LEFT JOIN decision d ON d.id = a.decision_id "
    "LEFT JOIN meeting m ON m.id = d.meeting_id LEFT JOIN portfolio mpf ON mpf.id = m.portfolio_id "
    "LEFT JOIN portfolio dpf ON dpf.id = (SELECT s2.portfolio_id FROM decision_project dp "
    "JOIN project p2 ON p2.id = dp.project_id JOIN segment s2 ON s2.id = p2.segment_id "
    "WHERE dp.decision_id = a.decision_id ORDER BY dp.id LIMIT 1) "
    "LEFT JOIN project p ON p.id = a.project_id LEFT JOIN segment s ON s.id = p.segment_id "
    "LEFT JOIN portfolio ppf ON ppf.id = s.portfolio_id "
    "LEFT JOIN portfolio pf ON pf.id = a.portfolio_id "
    # the latest event on or before the day, through the index on (action_id, date)
    "LEFT JOIN action_event e ON e.id = (SELECT x.id FROM action_event x "
    "WHERE x.action_id = a.id AND x.date <= ? ORDER BY x.date DESC, x.id DESC LIMIT 1)"
)


def actions(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    project: str | None = None,
    portfolio: str | None = None,
    portfolio_id: int | None = None,
    decision_id: int | None = None,
    project_id: int | None = None,
    as_of: date | None = None,
    open_only: bool = False,
    overdue: bool = False,
) -> list[dict[str, Any]]:
    """Actions as they stood on `as_of` (None: with everything registered), overdue first, then
    by due date. A list leaves out actions not yet asked for on the day."""
    day = (as_of or date(9999, 12, 31)).isoformat()
    reference = as_of or today()
    clauses: list[str] = []
    params: list[Any] = [day]
    if ids is not None:
        clauses.append(f"id IN ({marks(ids)})")
        params += ids
    else:
        clauses.append("opened <= ?")
        params.append(day)
    if project is not None:
        project_id = resolve(conn, "project", project)["id"]
    if project_id is not None:
        clauses.append("project_id = ?")
        params.append(project_id)
    if decision_id is not None:
        clauses.append("decision_id = ?")
        params.append(decision_id)
    if portfolio is not None:
        portfolio_id = resolve(conn, "portfolio", portfolio)["id"]
    if portfolio_id is not None:
        clauses.append("portfolio_key = ?")
        params.append(portfolio_id)
    if open_only or overdue:
        clauses.append("(last_event IS NULL OR last_event = 'undone')")
    if overdue:
        clauses.append("due_date < ?")
        params.append(reference.isoformat())
    rows = [
        dict(r)
        for r in conn.execute(
            f"SELECT * FROM ({ACTION_SELECT}) WHERE {' AND '.join(clauses)}", params
        )
    ]
    for r in rows:
        for key in ("portfolio_key", "project_id", "decision_id"):
            r.pop(key)
        kind, when = r.pop("last_event"), r.pop("event_date")
        r["state"] = "done" if kind == "done" else "open"
        r["done_date"] = when if kind == "done" else None
        late = (reference - date.fromisoformat(r["due_date"])).days
        r["overdue"] = r["state"] == "open" and late > 0
        r["days_over"] = late if r["overdue"] else None
    rows.sort(key=lambda r: (not r["overdue"], r["due_date"], r["id"]))
    return rows


def open_actions(
    conn: sqlite3.Connection, portfolio_id: int | None, as_of: date, limit: int
) -> tuple[list[dict[str, Any]], int, int]:
    """The actions open on `as_of`, as the status report lists them: the first `limit` in the
    order of `actions` (overdue first, then by due date), read in full, and how many are open
    and overdue in all. Two statements: the open ones' ids, then the few listed."""
    day = as_of.isoformat()
    where, params = "", []
    if portfolio_id is not None:
        where, params = "AND portfolio_key = ? ", [portfolio_id]
    found = conn.execute(
        f"SELECT id, due_date < ? FROM ({ACTION_SELECT}) WHERE opened <= ? "
        f"AND (last_event IS NULL OR last_event = 'undone') {where}ORDER BY 2 DESC, due_date, id",
        [day, day, day, *params],
    ).fetchall()
    listed = actions(conn, [r[0] for r in found[:limit]], as_of=as_of)
    return listed, len(found), sum(r[1] for r in found)


def action_events(conn: sqlite3.Connection, action_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            "SELECT date, kind, reason FROM action_event WHERE action_id = ? ORDER BY date, id",
            (action_id,),
        )
    ]


def action_record(
    conn: sqlite3.Connection, ref: str | int, as_of: date | None = None
) -> dict[str, Any]:
    rid = resolve(conn, "action", ref)["id"]
    found = actions(conn, [rid], as_of=as_of)[0]
    found["events"] = action_events(conn, rid)
    return found


def add_action(
    w: Writer,
    title: str,
    *,
    owner: str | None,
    due: str,
    decision: str | None,
    project: str | None,
    portfolio: str | None,
    opened: str | None,
    note: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """An action asked for on `opened` (default: the day of its decision's meeting, else
    today), owned by a role, due on a date."""
    from portefolje.store.register import add as add_record

    if decision is None and project is None and portfolio is None:
        raise InvalidValue(msg("err.action_owner_record"))
    values: dict[str, Any] = {
        "title": require_text(title, "what.title"),
        "owner": require_text(owner, "what.owner_role"),
        "due_date": due,
        "note": note,
    }
    meeting_day = None
    if decision is not None:
        found = resolve(w.conn, "decision", decision)
        values["decision_id"] = found["id"]
        meeting_day = w.conn.execute(
            "SELECT date FROM meeting WHERE id = ?", (found["meeting_id"],)
        ).fetchone()[0]
    if project is not None:
        values["project_id"] = resolve(w.conn, "project", project)["id"]
    if portfolio is not None:
        values["portfolio_id"] = resolve(w.conn, "portfolio", portfolio)["id"]
    values["opened"] = opened or meeting_day or today().isoformat()
    if due < values["opened"]:
        raise InvalidValue(msg("err.action_due_early", due=due, opened=values["opened"]))
    rec = add_record(w, "action", values, code)
    return action_record(w.conn, rec["id"])


def _last(w: Writer, action_id: int) -> tuple[str, str | None]:
    last = w.conn.execute(
        "SELECT date, kind FROM action_event WHERE action_id = ? ORDER BY date DESC, id DESC "
        "LIMIT 1",
        (action_id,),
    ).fetchone()
    if last is None:
        return "open", None
    return ("done" if last["kind"] == "done" else "open"), last["date"]


def action_event(
    w: Writer, ref: str, kind: str, *, on: str, reason: str | None = None
) -> dict[str, Any]:
    """Done, or taken back (undone, with a reason), on a date."""
    row = resolve(w.conn, "action", ref)
    if kind in rules.ACTION_REASONS:
        reason = require_text(reason, "what.reason_undone_action")
    state, since = _last(w, row["id"])
    try:
        rules.state_after(row["code"], "action", rules.ACTION_STATES, state, kind)
    except Refused:
        if kind == "done":
            raise Refused(msg("err.action_already_done", code=row["code"], date=since)) from None
        raise Refused(msg("err.action_open", code=row["code"])) from None
    if on < row["opened"]:
        raise Refused(msg("err.date_before_asked", date=on, code=row["code"], opened=row["opened"]))
    check_event_date(on, since, of("what.change_of", "action", row["code"]))
    w.insert(
        "action_event",
        {"action_id": row["id"], "date": on, "kind": kind, "reason": reason, "recorded_at": w.at},
        action=kind,
    )
    return action_record(w.conn, row["id"])
