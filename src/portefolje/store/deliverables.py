"""Committee deliverables (leverancer til udvalg): meeting, kind, projects, prior handling,
postponement (udsættelse) and bringing forward (fremrykning), delivery and cancellation.

A deliverable as it stood on a day: the meeting date in force then (a postponement decided later
is not yet made), and its state from its latest event on or before that day. Its status reads
'postponed' while it stands later than first planned, 'delivered' or 'cancelled' once so.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portefolje.domain import rules
from portefolje.domain.dates import today
from portefolje.domain.errors import Refused
from portefolje.i18n import msg, of
from portefolje.store.queries import in_clause, marks
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

MEETING_ON = (
    "coalesce((SELECT pp.old_date FROM deliverable_postponement pp WHERE pp.deliverable_id = d.id "
    "AND pp.postponed_on > ? ORDER BY pp.postponed_on, pp.id LIMIT 1), d.meeting_date)"
)
FIRST_MEETING = (
    "coalesce((SELECT pp.old_date FROM deliverable_postponement pp WHERE pp.deliverable_id = d.id "
    "ORDER BY pp.postponed_on, pp.id LIMIT 1), d.meeting_date)"
)
STATE_ON = (
    "(SELECT e.kind || ' ' || e.date FROM deliverable_event e WHERE e.deliverable_id = d.id "
    "AND e.date <= ? ORDER BY e.date DESC, e.id DESC LIMIT 1)"
)
IN_PORTFOLIO = (
    "(d.portfolio_id = ? OR d.id IN (SELECT dp.deliverable_id FROM deliverable_project dp "
    "JOIN project p ON p.id = dp.project_id JOIN segment s ON s.id = p.segment_id "
    "WHERE s.portfolio_id = ?))"
)


def deliverables(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    committee: str | None = None,
    portfolio: str | None = None,
    portfolio_id: int | None = None,
    project_id: int | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    status: str | None = None,
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    """Deliverables as they stood on `as_of` (default today), with their projects, prior handling
    and the postponements made by then. `date_from`/`date_to` filter the meeting date in force
    then; `status` the status then. (The status report reads its lists with `standing_on`.)"""
    day = (as_of or today()).isoformat()
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"id IN ({marks(ids)})")
        params += ids
    if committee is not None:
        clauses.append("committee_id = ?")
        params.append(resolve(conn, "committee", committee)["id"])
    if portfolio is not None:
        portfolio_id = resolve(conn, "portfolio", portfolio)["id"]
    inner_where, inner_params = "", []
    if portfolio_id is not None:
        inner_where, inner_params = f"WHERE {IN_PORTFOLIO}", [portfolio_id, portfolio_id]
    if project_id is not None:
        clauses.append(
            "id IN (SELECT deliverable_id FROM deliverable_project WHERE project_id = ?)"
        )
        params.append(project_id)
    if date_from is not None:
        clauses.append("meeting_date >= ?")
        params.append(date_from)
    if date_to is not None:
        clauses.append("meeting_date <= ?")
        params.append(date_to)
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    cursor = conn.execute(
        "SELECT * FROM (SELECT id, code, title, committee, committee_name, committee_id, "
        "portfolio, meeting_date, first_meeting, kind, description, "
        "CASE WHEN state GLOB 'delivered *' THEN 'delivered' "
        "WHEN state GLOB 'cancelled *' THEN 'cancelled' "
        "WHEN meeting_date > first_meeting THEN 'postponed' ELSE 'planned' END AS status, "
        "CASE WHEN state GLOB 'delivered *' THEN substr(state, 11) END AS delivered_date, "
        "CASE WHEN state GLOB 'cancelled *' THEN substr(state, 11) END AS cancelled_date "
        "FROM (SELECT d.id, d.code, d.title, c.code AS committee, c.name AS committee_name, "
        f"d.committee_id, pf.code AS portfolio, {MEETING_ON} AS meeting_date, "
        f"{FIRST_MEETING} AS first_meeting, {STATE_ON} AS state, d.kind, d.description "
        "FROM deliverable d JOIN committee c ON c.id = d.committee_id "
        f"LEFT JOIN portfolio pf ON pf.id = d.portfolio_id {inner_where})) {where} "
        "ORDER BY meeting_date, committee_name, id",
        [day, day, *inner_params, *params],
    )
    rows = [dict(r) for r in cursor]
    if rows:
        _attach(conn, rows, day)
    return rows


def _attach(conn: sqlite3.Connection, rows: list[dict[str, Any]], day: str) -> None:
    """Projects, prior handling and postponements (made by `day`) of the rows: 3 queries."""
    wanted = [r["id"] for r in rows]
    clause, params = in_clause("deliverable_id", wanted)
    where = f"WHERE {clause}" if clause else ""
    projects: dict[int, list[str]] = defaultdict(list)
    for r in conn.execute(
        "SELECT dp.deliverable_id, p.code FROM deliverable_project dp JOIN project p "
        f"ON p.id = dp.project_id {where.replace('deliverable_id', 'dp.deliverable_id')} "
        "ORDER BY dp.id",
        params,
    ):
        projects[r[0]].append(r[1])
    priors: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(
        "SELECT pr.deliverable_id, c.code, c.name, pr.meeting_date, pr.kind "
        "FROM deliverable_prior pr JOIN committee c ON c.id = pr.committee_id "
        f"{where.replace('deliverable_id', 'pr.deliverable_id')} ORDER BY pr.meeting_date, pr.id",
        params,
    ):
        priors[r[0]].append(
            {"committee": r[1], "committee_name": r[2], "meeting_date": r[3], "kind": r[4]}
        )
    postponements: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(
        "SELECT deliverable_id, postponed_on, old_date, new_date, reason, kind FROM "
        f"deliverable_postponement {where + ' AND' if where else 'WHERE'} postponed_on <= ? "
        "ORDER BY postponed_on, id",
        [*params, day],
    ):
        postponements[r[0]].append(
            {"postponed_on": r[1], "from": r[2], "to": r[3], "reason": r[4], "kind": r[5]}
        )
    for r in rows:
        r["projects"] = projects.get(r["id"], [])
        r["prior"] = priors.get(r["id"], [])
        r["postponements"] = postponements.get(r["id"], [])
        r["original_meeting_date"] = r.pop("first_meeting")


# every deliverable of the selection as it stood on the day (:d), in one grouped pass over each
# history table (a lookup per deliverable cost three index probes for each of 10,000 at L, and
# the status report made that pass five times): the meeting date then is the old date of the
# first postponement made later, the first meeting the old date of the very first one, the state
# the latest event by then. The first or latest is the smallest or largest "date + id" (dates are
# fixed-width ISO strings); SQLite takes the bare columns from that row.
_STANDING = (
    "WITH later AS (SELECT deliverable_id, old_date, min(postponed_on || printf('%012d', id)) "
    "FROM deliverable_postponement WHERE postponed_on > :d GROUP BY deliverable_id), "
    "first AS (SELECT deliverable_id, old_date, min(postponed_on || printf('%012d', id)) "
    "FROM deliverable_postponement GROUP BY deliverable_id), "
    "latest AS (SELECT deliverable_id, kind, date, max(date || printf('%012d', id)) "
    "FROM deliverable_event WHERE date <= :d GROUP BY deliverable_id), "
    "standing AS MATERIALIZED (SELECT id, committee_name, meeting_date, first_meeting, "
    "CASE WHEN kind = 'delivered' THEN 'delivered' WHEN kind = 'cancelled' THEN 'cancelled' "
    "WHEN meeting_date > first_meeting THEN 'postponed' ELSE 'planned' END AS status, "
    "CASE WHEN kind = 'delivered' THEN date END AS delivered_date, "
    "CASE WHEN kind = 'cancelled' THEN date END AS cancelled_date "
    "FROM (SELECT d.id, c.name AS committee_name, "
    "coalesce(l.old_date, d.meeting_date) AS meeting_date, "
    "coalesce(f.old_date, d.meeting_date) AS first_meeting, e.kind, e.date "
    "FROM deliverable d JOIN committee c ON c.id = d.committee_id "
    "LEFT JOIN later l ON l.deliverable_id = d.id LEFT JOIN first f ON f.deliverable_id = d.id "
    "LEFT JOIN latest e ON e.deliverable_id = d.id {where})), "
    # the rows listed: the first postponed ones, the first missed meetings, the calendar's weeks
    "listed AS (SELECT 1 AS part, * FROM (SELECT * FROM standing WHERE status = 'postponed' "
    "ORDER BY meeting_date, committee_name, id LIMIT :limit) "
    "UNION ALL SELECT 2, * FROM (SELECT * FROM standing WHERE status IN ('planned', 'postponed') "
    "AND meeting_date < :d ORDER BY meeting_date, committee_name, id LIMIT :limit) "
    "UNION ALL SELECT 3, * FROM standing WHERE meeting_date BETWEEN :d AND :to) "
    "SELECT x.part, d.id, d.code, d.title, c.code AS committee, x.committee_name, d.committee_id, "
    "pf.code AS portfolio, x.meeting_date, x.first_meeting, d.kind, d.description, x.status, "
    "x.delivered_date, x.cancelled_date FROM listed x JOIN deliverable d ON d.id = x.id "
    "JOIN committee c ON c.id = d.committee_id LEFT JOIN portfolio pf ON pf.id = d.portfolio_id "
    # and how many stand postponed, and how many meetings were missed, in all
    "UNION ALL SELECT 4, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL FROM standing WHERE status = 'postponed' "
    "UNION ALL SELECT 5, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
    "NULL, NULL, NULL FROM standing WHERE status IN ('planned', 'postponed') AND meeting_date < :d "
    "ORDER BY 1, 9, 6, 2"
)


@dataclass
class Standing:
    """The deliverables as they stood on a day, for the status report, each list in meeting
    order (then committee name, then id): the first postponed ones not yet delivered and how many
    in all; the first meetings that passed without a delivery and how many in all; every
    deliverable with a meeting in the calendar's period."""

    postponed: list[dict[str, Any]] = field(default_factory=list)
    postponed_total: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)
    missed_total: int = 0
    calendar: list[dict[str, Any]] = field(default_factory=list)


def standing_on(
    conn: sqlite3.Connection, portfolio_id: int | None, as_of: date, limit: int, until: str
) -> Standing:
    """`deliverables` as the status report asks for it three times over (postponed, missed
    meetings, the calendar from the day to `until`), in one statement and one `_attach`: four
    statements whatever the portfolio's size, and one pass over the deliverables."""
    day = as_of.isoformat()
    where, params = "", {"d": day, "limit": limit, "to": until}
    if portfolio_id is not None:
        where = "WHERE " + IN_PORTFOLIO.replace("?", ":pf")
        params["pf"] = portfolio_id
    parts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    counts: dict[int, int] = {}
    cursor = conn.execute(_STANDING.format(where=where), params)
    keys = [c[0] for c in cursor.description][1:]
    for part, *values in cursor:
        if part > 3:
            counts[part] = values[0]
        else:
            parts[part].append(dict(zip(keys, values, strict=True)))
    _attach(conn, [*parts[1], *parts[2], *parts[3]], day)
    return Standing(parts[1], counts.get(4, 0), parts[2], counts.get(5, 0), parts[3])


def events(conn: sqlite3.Connection, deliverable_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            "SELECT date, kind, reason FROM deliverable_event WHERE deliverable_id = ? "
            "ORDER BY date, id",
            (deliverable_id,),
        )
    ]


def record(conn: sqlite3.Connection, ref: str | int, as_of: date | None = None) -> dict[str, Any]:
    found = deliverables(conn, [resolve(conn, "deliverable", ref)["id"]], as_of=as_of)
    if not found:
        raise Refused(msg("err.deliverable_not_yet", code=ref))
    found[0]["events"] = events(conn, found[0]["id"])
    return found[0]


def add(
    w: Writer,
    title: str,
    *,
    committee: str,
    meeting: str,
    kind: str | None,
    projects: list[str],
    priors: list[tuple[str, str, str | None]],
    portfolio: str | None,
    code: str | None,
    description: str | None,
) -> dict[str, Any]:
    from portefolje.store.register import add as add_record

    rules.check_prior_dates(meeting, [day for _, day, _ in priors])
    values: dict[str, Any] = {
        "title": rules.require_text(title, "what.title"),
        "committee_id": resolve(w.conn, "committee", committee)["id"],
        "meeting_date": meeting,
        "kind": kind,
        "description": description,
    }
    if portfolio is not None:
        values["portfolio_id"] = resolve(w.conn, "portfolio", portfolio)["id"]
    rec = add_record(w, "deliverable", values, code)
    _set_projects(w, rec["id"], projects)
    _set_priors(w, rec["id"], priors)
    return record(w.conn, rec["id"])


def _set_projects(w: Writer, deliverable_id: int, refs: list[str]) -> None:
    """Make the deliverable's projects exactly `refs` (each link row journaled)."""
    wanted = [resolve(w.conn, "project", ref)["id"] for ref in dict.fromkeys(refs)]
    current = {
        r[1]: r[0]
        for r in w.conn.execute(
            "SELECT id, project_id FROM deliverable_project WHERE deliverable_id = ?",
            (deliverable_id,),
        )
    }
    for project_id, link_id in current.items():
        if project_id not in wanted:
            w.delete("deliverable_project", link_id)
    for project_id in dict.fromkeys(wanted):
        if project_id not in current:
            w.insert(
                "deliverable_project", {"deliverable_id": deliverable_id, "project_id": project_id}
            )


def _set_priors(w: Writer, deliverable_id: int, priors: list[tuple[str, str, str | None]]) -> None:
    """Make the prior handling exactly `priors` (committee, ISO date, kind); unchanged rows stay."""
    wanted = [
        (resolve(w.conn, "committee", c)["id"], day, kind) for c, day, kind in dict.fromkeys(priors)
    ]
    current = {
        (r[1], r[2], r[3]): r[0]
        for r in w.conn.execute(
            "SELECT id, committee_id, meeting_date, kind FROM deliverable_prior "
            "WHERE deliverable_id = ?",
            (deliverable_id,),
        )
    }
    for key, prior_id in current.items():
        if key not in wanted:
            w.delete("deliverable_prior", prior_id)
    for committee_id, day, kind in wanted:
        if (committee_id, day, kind) not in current:
            w.insert(
                "deliverable_prior",
                {
                    "deliverable_id": deliverable_id,
                    "committee_id": committee_id,
                    "meeting_date": day,
                    "kind": kind,
                },
            )


def _current_priors(w: Writer, deliverable_id: int) -> list[tuple[str, str, str | None]]:
    return [
        (str(r[0]), r[1], r[2])
        for r in w.conn.execute(
            "SELECT committee_id, meeting_date, kind FROM deliverable_prior "
            "WHERE deliverable_id = ?",
            (deliverable_id,),
        )
    ]


def _last(w: Writer, deliverable_id: int) -> tuple[str, str | None]:
    last = w.conn.execute(
        "SELECT date, kind FROM deliverable_event WHERE deliverable_id = ? "
        "ORDER BY date DESC, id DESC LIMIT 1",
        (deliverable_id,),
    ).fetchone()
    if last is None or last["kind"] in ("undelivered", "reinstated"):
        return "open", last["date"] if last else None
    return last["kind"], last["date"]


def _event(w: Writer, deliverable_id: int, on: str, kind: str, reason: str | None) -> None:
    w.insert(
        "deliverable_event",
        {
            "deliverable_id": deliverable_id,
            "date": on,
            "kind": kind,
            "reason": reason,
            "recorded_at": w.at,
        },
        action=kind,
    )


def _word(state: str) -> str:
    """A deliverable's state as the refusals say it ('leveret' / 'delivered')."""
    return msg(f"state.deliverable.{state}")


def deliver(w: Writer, ref: str, *, on: str) -> dict[str, Any]:
    row = resolve(w.conn, "deliverable", ref)
    state, since = _last(w, row["id"])
    if state != "open":
        raise Refused(
            msg("err.deliverable_already", code=row["code"], state=_word(state), date=since)
        )
    rules.check_event_date(on, since, of("what.change_of", "deliverable", row["code"]))
    _event(w, row["id"], on, "delivered", None)
    return record(w.conn, row["id"])


def undeliver(w: Writer, ref: str, *, on: str, reason: str | None) -> dict[str, Any]:
    """Take back 'delivered' (registered by mistake, or the case was sent back)."""
    row = resolve(w.conn, "deliverable", ref)
    reason = rules.require_text(reason, "what.reason_undeliver")
    state, since = _last(w, row["id"])
    if state != "delivered":
        raise Refused(msg("err.deliverable_not_delivered", code=row["code"]))
    rules.check_event_date(on, since, of("what.change_of", "deliverable", row["code"]))
    _event(w, row["id"], on, "undelivered", reason)
    return record(w.conn, row["id"])


def cancel(w: Writer, ref: str, *, on: str, reason: str | None) -> dict[str, Any]:
    """A case that will not go to the committee: kept and shown as cancelled."""
    row = resolve(w.conn, "deliverable", ref)
    reason = rules.require_text(reason, "what.reason_cancel_deliverable")
    state, since = _last(w, row["id"])
    if state != "open":
        raise Refused(
            msg("err.deliverable_already", code=row["code"], state=_word(state), date=since)
        )
    rules.check_event_date(on, since, of("what.change_of", "deliverable", row["code"]))
    _event(w, row["id"], on, "cancelled", reason)
    return record(w.conn, row["id"])


def reschedule(
    w: Writer,
    ref: str,
    *,
    meeting: str,
    reason: str | None,
    on: str,
    kind: str,
    priors: list[tuple[str, str, str | None]] | None = None,
) -> dict[str, Any]:
    """Postpone (to a later meeting) or bring forward (advance, to an earlier one), keeping the
    earlier date and the reason. The prior handling must still come before the new meeting:
    give it again with `priors` ([] clears it), or it stays only if it still fits."""
    row = resolve(w.conn, "deliverable", ref)
    verb = "postpone" if kind == "postponed" else "advance"
    reason = rules.require_text(reason, f"what.reason_{verb}_deliverable")
    state, since = _last(w, row["id"])
    if state != "open":
        raise Refused(
            msg("err.deliverable_cannot_move", code=row["code"], state=_word(state), date=since)
        )
    rules.check_reschedule(row["code"], row["meeting_date"], meeting, kind)
    last_move = w.conn.execute(
        "SELECT max(postponed_on) FROM deliverable_postponement WHERE deliverable_id = ?",
        (row["id"],),
    ).fetchone()[0]
    rules.check_event_date(on, last_move, of("what.postponement_of", "deliverable", row["code"]))
    if priors is None:
        rules.check_prior_dates(
            meeting, [d for _, d, _ in _current_priors(w, row["id"])], moving=True
        )
    else:
        rules.check_prior_dates(meeting, [d for _, d, _ in priors])
        _set_priors(w, row["id"], priors)
    w.insert(
        "deliverable_postponement",
        {
            "deliverable_id": row["id"],
            "postponed_on": on,
            "old_date": row["meeting_date"],
            "new_date": meeting,
            "reason": reason,
            "kind": kind,
            "recorded_at": w.at,
        },
    )
    w.update("deliverable", row["id"], {"meeting_date": meeting}, action=kind)
    return record(w.conn, row["id"])


def edit(
    w: Writer,
    ref: str,
    changes: dict[str, Any],
    *,
    committee: str | None = None,
    projects: list[str] | None = None,
    priors: list[tuple[str, str, str | None]] | None = None,
) -> dict[str, Any]:
    """Title, kind, description, code, committee, projects and prior handling. The meeting
    date changes only by postponing or bringing forward."""
    from portefolje.store.register import edit as edit_record

    row = resolve(w.conn, "deliverable", ref)
    if committee is not None:
        changes["committee_id"] = resolve(w.conn, "committee", committee)["id"]
    edit_record(w, "deliverable", str(row["id"]), changes)
    if projects is not None:
        _set_projects(w, row["id"], projects)
    if priors is not None:
        rules.check_prior_dates(row["meeting_date"], [d for _, d, _ in priors])
        _set_priors(w, row["id"], priors)
    return record(w.conn, row["id"])
