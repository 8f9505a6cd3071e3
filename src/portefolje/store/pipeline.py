"""The pipeline of proposals: candidate segments (proposed, then approved on a decision or
rejected with a reason), scoring criteria per portfolio with a weight, the scores given to
proposed projects, and the ranking by weighted score.

A score on a day is the latest one given for the project and criterion on or before that day;
a segment's status on a day is its latest event then (a segment without events has been active
from the beginning).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from typing import Any

from portefolje.domain import governance as rules
from portefolje.domain.dates import today
from portefolje.domain.errors import Refused
from portefolje.domain.rules import check_event_date, require_text
from portefolje.i18n import msg, of, record_name
from portefolje.store.queries import in_clause, marks
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

# -- criteria -----------------------------------------------------------------------------------


def criteria(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    portfolio: str | None = None,
    portfolio_id: int | None = None,
) -> list[dict[str, Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"k.id IN ({marks(ids)})")
        params += ids
    if portfolio is not None:
        portfolio_id = resolve(conn, "portfolio", portfolio)["id"]
    if portfolio_id is not None:
        clauses.append("k.portfolio_id = ?")
        params.append(portfolio_id)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT k.id, k.code, pf.code AS portfolio, k.name, k.weight, k.description, "
            "k.portfolio_id AS portfolio_id FROM criterion k "
            f"JOIN portfolio pf ON pf.id = k.portfolio_id {where} ORDER BY k.portfolio_id, k.id",
            params,
        )
    ]


def criterion_record(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any]:
    found = criteria(conn, [resolve(conn, "criterion", ref)["id"]])[0]
    found.pop("portfolio_id")
    return found


def add_criterion(
    w: Writer,
    name: str,
    *,
    portfolio: str,
    weight: int,
    description: str | None,
    code: str | None,
) -> dict[str, Any]:
    from portefolje.store.register import add as add_record

    pf = resolve(w.conn, "portfolio", portfolio)
    name = require_text(name, "what.name")
    taken = [
        c for c in criteria(w.conn, portfolio_id=pf["id"]) if c["name"].lower() == name.lower()
    ]
    if taken:
        raise Refused(
            msg("err.criterion_taken", portfolio=pf["code"], name=name, code=taken[0]["code"])
        )
    values = {
        "portfolio_id": pf["id"],
        "name": name,
        "weight": rules.check_weight(weight),
        "description": description,
    }
    rec = add_record(w, "criterion", values, code)
    return criterion_record(w.conn, rec["id"])


def edit_criterion(w: Writer, ref: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Name, weight, description, code: in place (a new weight re-ranks the pipeline at once)."""
    from portefolje.store.register import edit as edit_record

    if changes.get("weight") is not None:
        rules.check_weight(changes["weight"])
    row = resolve(w.conn, "criterion", ref)
    edit_record(w, "criterion", str(row["id"]), changes)
    return criterion_record(w.conn, row["id"])


# -- scores -------------------------------------------------------------------------------------


def score(
    w: Writer, project: str, criterion: str, value: int, *, on: str, note: str | None = None
) -> dict[str, Any]:
    """Score a project on one of its portfolio's criteria (1-5) from a date; earlier scores are
    kept."""
    p = resolve(w.conn, "project", project)
    k = resolve(w.conn, "criterion", criterion)
    portfolio_id = w.conn.execute(
        "SELECT portfolio_id FROM segment WHERE id = ?", (p["segment_id"],)
    ).fetchone()[0]
    if k["portfolio_id"] != portfolio_id:
        raise Refused(msg("err.criterion_other_portfolio", criterion=k["code"], project=p["code"]))
    created = w.conn.execute(
        "SELECT min(date) FROM project_event WHERE project_id = ? AND kind = 'status'", (p["id"],)
    ).fetchone()[0]
    if created and on < created:
        raise Refused(
            msg(
                "err.date_before_created",
                date=on,
                what=record_name("project", p["code"]),
                first=created,
            )
        )
    last = w.conn.execute(
        "SELECT max(date) FROM project_score WHERE project_id = ? AND criterion_id = ?",
        (p["id"], k["id"]),
    ).fetchone()[0]
    check_event_date(on, last, msg("what.score_of", project=p["code"], criterion=k["code"]))
    w.insert(
        "project_score",
        {
            "project_id": p["id"],
            "criterion_id": k["id"],
            "date": on,
            "score": rules.on_scale(value, "what.a_score"),
            "note": note,
            "recorded_at": w.at,
        },
        action="score",
    )
    return ranking(w.conn, [p["id"]], date.fromisoformat(on))[p["id"]]


def scores_on(
    conn: sqlite3.Connection, project_ids: list[int] | None, day: str
) -> dict[int, dict[int, dict[str, Any]]]:
    """{project id: {criterion id: {score, date, note}}} in force on `day`."""
    clause, params = in_clause("project_id", project_ids)
    out: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for pid, kid, value, on, note in conn.execute(
        "SELECT project_id, criterion_id, score, date, note FROM (SELECT *, row_number() OVER ("
        "PARTITION BY project_id, criterion_id ORDER BY date DESC, id DESC) AS n "
        f"FROM project_score WHERE date <= ?{' AND ' + clause if clause else ''}) WHERE n = 1",
        [day, *params],
    ):
        out[pid][kid] = {"score": value, "date": on, "note": note}
    return out


def ranking(
    conn: sqlite3.Connection, project_ids: list[int], as_of: date | None = None
) -> dict[int, dict[str, Any]]:
    """Per project: the weighted score over its portfolio's criteria on the day, how many were
    scored, and each criterion's score."""
    day = (as_of or today()).isoformat()
    clause, params = in_clause("p.id", project_ids)
    portfolio_of = dict(
        conn.execute(
            "SELECT p.id, s.portfolio_id FROM project p JOIN segment s ON s.id = p.segment_id"
            + (f" WHERE {clause}" if clause else ""),
            params,
        ).fetchall()
    )
    by_portfolio: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for k in criteria(conn):
        by_portfolio[k["portfolio_id"]].append(k)
    given = scores_on(conn, project_ids, day)
    out: dict[int, dict[str, Any]] = {}
    for pid in project_ids:
        ks = by_portfolio.get(portfolio_of.get(pid, -1), [])
        mine = given.get(pid, {})
        out[pid] = {
            "weighted_score": rules.weighted(
                (k["weight"], (mine.get(k["id"]) or {}).get("score")) for k in ks
            ),
            "criteria_scored": sum(1 for k in ks if k["id"] in mine),
            "criteria_total": len(ks),
            "scores": [
                {
                    "criterion": k["code"],
                    "name": k["name"],
                    "weight": k["weight"],
                    "score": (mine.get(k["id"]) or {}).get("score"),
                    "date": (mine.get(k["id"]) or {}).get("date"),
                }
                for k in ks
            ],
        }
    return out


def ranked(rows: list[dict[str, Any]], ranks: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Project rows with their ranking, highest weighted score first (unscored last)."""
    out = [{**r, **ranks.get(r["id"], {})} for r in rows]
    out.sort(key=lambda r: (-(r.get("weighted_score") or 0), r["id"]))
    return out


# -- candidate segments -------------------------------------------------------------------------

STATUSES = rules.SEGMENT_STATUSES


def segment_status(
    conn: sqlite3.Connection, ids: list[int] | None, day: str
) -> dict[int, dict[str, Any]]:
    """{segment id: {status, date, note, decision}} for segments with events on or before the
    day; a segment without any is active (it predates the pipeline or was added active)."""
    clause, params = in_clause("e.segment_id", ids)
    out: dict[int, dict[str, Any]] = {}
    for sid, value, on, note, decision in conn.execute(
        "SELECT segment_id, new_value, date, note, decision FROM (SELECT e.segment_id, "
        "e.new_value, e.date, e.note, d.code AS decision, row_number() OVER (PARTITION BY "
        "e.segment_id ORDER BY e.date DESC, e.id DESC) AS n FROM segment_event e "
        "LEFT JOIN decision d ON d.id = e.decision_id "
        f"WHERE e.date <= ?{' AND ' + clause if clause else ''}) WHERE n = 1",
        [day, *params],
    ):
        out[sid] = {"status": value, "status_date": on, "status_reason": note, "decision": decision}
    return out


def segment_history(conn: sqlite3.Connection, segment_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            "SELECT e.date, e.old_value AS 'from', e.new_value AS 'to', e.note, "
            "d.code AS decision FROM segment_event e LEFT JOIN decision d ON d.id = e.decision_id "
            "WHERE e.segment_id = ? ORDER BY e.date, e.id",
            (segment_id,),
        )
    ]


def propose_segment(w: Writer, segment_id: int, on: str) -> None:
    w.insert(
        "segment_event",
        {
            "segment_id": segment_id,
            "date": on,
            "old_value": None,
            "new_value": "proposed",
            "note": "created",
            "recorded_at": w.at,
        },
        action="propose",
    )


def decide_segment(
    w: Writer, ref: str, verb: str, *, on: str, reason: str | None, decision: str | None
) -> dict[str, Any]:
    """approve (on a decision) or reject (with a reason) a proposed segment."""
    row = resolve(w.conn, "segment", ref)
    last = w.conn.execute(
        "SELECT date, new_value FROM segment_event WHERE segment_id = ? "
        "ORDER BY date DESC, id DESC LIMIT 1",
        (row["id"],),
    ).fetchone()
    current = last["new_value"] if last else "active"
    target = rules.segment_transition(row["code"], current, verb)
    decision_id = None
    if verb == "approve":
        decision_id = require_decision(w, decision, record_name("segment", row["code"]), on)
    else:
        reason = require_text(reason, "what.reason_reject_segment")
    check_event_date(
        on, last["date"] if last else None, of("what.status_change_of", "segment", row["code"])
    )
    w.insert(
        "segment_event",
        {
            "segment_id": row["id"],
            "date": on,
            "old_value": current,
            "new_value": target,
            "note": reason,
            "decision_id": decision_id,
            "recorded_at": w.at,
        },
        action=verb,
    )
    return segment_record(w.conn, row["id"], date.fromisoformat(on))


def require_decision(w: Writer, decision: str | None, what: str, on: str) -> int:
    """The decision an approval rests on: required, and taken on or before the approval."""
    if not decision or not decision.strip():
        raise Refused(msg("err.approval_needs_decision", what=what))
    found = resolve(w.conn, "decision", decision)
    taken = w.conn.execute(
        "SELECT date FROM meeting WHERE id = ?", (found["meeting_id"],)
    ).fetchone()[0]
    if on < taken:
        raise Refused(msg("err.approval_before_decision", date=on, code=found["code"], taken=taken))
    return int(found["id"])


def segment_record(
    conn: sqlite3.Connection, ref: str | int, as_of: date | None = None
) -> dict[str, Any]:
    from portefolje.store.queries import segments

    found = segments(conn, [resolve(conn, "segment", ref)["id"]])[0]
    return with_status(conn, [found], as_of)[0]


def with_status(
    conn: sqlite3.Connection, rows: list[dict[str, Any]], as_of: date | None = None
) -> list[dict[str, Any]]:
    """Segment rows with their status on the day (default today)."""
    day = (as_of or today()).isoformat()
    ids = [r["id"] for r in rows]
    found = segment_status(conn, ids, day)
    clause, params = in_clause("segment_id", ids)
    # a segment with a history did not exist before its first event; one without has always been
    proposed_later = {
        sid
        for (sid,) in conn.execute(
            f"SELECT segment_id FROM segment_event {'WHERE ' + clause if clause else ''} "
            "GROUP BY segment_id HAVING min(date) > ?",
            [*params, day],
        )
    }
    default = {"status": "active", "status_date": None, "status_reason": None, "decision": None}
    not_yet = {**default, "status": None}
    return [
        {**r, **found.get(r["id"], not_yet if r["id"] in proposed_later else default)} for r in rows
    ]
