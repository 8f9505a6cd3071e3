"""The risk register (risici): a risk of a project or of a portfolio, assessed on a date as
probability × consequence (1-5 each) and re-assessed over time; every assessment is kept, so the
score before and after a response stays visible. Closed and reopened are dated events.

A risk as it stood on a day: it exists from its first assessment, its score is its latest
assessment on or before the day, and it is closed from its closing event.
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
from portefolje.i18n import msg, of, record_name
from portefolje.store.queries import in_clause, marks
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

# a risk's latest row of a table on or before the day (the parameter), through the index on
# (risk_id, date): reading one risk by id costs an index probe, not a pass over the table
_LATEST = (
    "{table} {alias} ON {alias}.id = (SELECT x.id FROM {table} x WHERE x.risk_id = r.id "
    "AND x.date <= ? ORDER BY x.date DESC, x.id DESC LIMIT 1)"
)
SELECT = (
    "SELECT r.id, r.code, r.title, p.code AS project, coalesce(pf.code, ppf.code) AS portfolio, "
    "coalesce(pf.id, ppf.id) AS portfolio_key, r.project_id, r.owner, r.response, r.description, "
    "(SELECT min(x.date) FROM risk_assessment x WHERE x.risk_id = r.id) AS identified, "
    "a.date AS assessed, a.probability, a.consequence, a.note AS assessment_note, "
    "e.kind AS last_event, e.date AS event_date, e.reason AS event_reason "
    "FROM risk r LEFT JOIN project p ON p.id = r.project_id "
    "LEFT JOIN segment s ON s.id = p.segment_id LEFT JOIN portfolio ppf ON ppf.id = s.portfolio_id "
    "LEFT JOIN portfolio pf ON pf.id = r.portfolio_id "
    f"LEFT JOIN {_LATEST.format(table='risk_assessment', alias='a')} "
    f"LEFT JOIN {_LATEST.format(table='risk_event', alias='e')}"
)


def risks(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    project: str | None = None,
    portfolio: str | None = None,
    portfolio_id: int | None = None,
    as_of: date | None = None,
    open_only: bool = False,
    history: bool = True,
) -> list[dict[str, Any]]:
    """Risks as they stood on `as_of` (default today), highest score first. A list leaves out
    risks not yet identified then; asked for by id, such a risk comes back without a score.
    Without `history` a risk carries its first score but not its list of assessments (the
    status report's thousands of open risks need only that)."""
    day = (as_of or today()).isoformat()
    clauses: list[str] = []
    params: list[Any] = [day, day]
    if ids is not None:
        clauses.append(f"id IN ({marks(ids)})")
        params += ids
    else:
        clauses.append("identified <= ?")
        params.append(day)
    if project is not None:
        clauses.append("project_id = ?")
        params.append(resolve(conn, "project", project)["id"])
    if portfolio is not None:
        portfolio_id = resolve(conn, "portfolio", portfolio)["id"]
    if portfolio_id is not None:
        clauses.append("portfolio_key = ?")
        params.append(portfolio_id)
    if open_only:
        clauses.append("(last_event IS NULL OR last_event = 'reopened')")
    rows = [
        dict(r)
        for r in conn.execute(
            f"SELECT * FROM ({SELECT}) WHERE {' AND '.join(clauses)}",
            params,
        )
    ]
    ids = [r["id"] for r in rows]
    if history:
        assessed = assessments_by_risk(conn, ids, day)
        for r in rows:
            _shape(r, assessed.get(r["id"], []))
    else:
        firsts = first_scores(conn, ids, day)
        for r in rows:
            _shape(r, None, firsts.get(r["id"]))
    rows.sort(key=lambda r: (-(r["score"] or 0), r["id"]))
    return rows


# a risk's latest row of a table on or before the day (:d), for one column
_LATEST_ON = (
    "SELECT x.{column} FROM {table} x WHERE x.risk_id = r.id AND x.date <= :d "
    "ORDER BY x.date DESC, x.id DESC LIMIT 1"
)


def open_scores(
    conn: sqlite3.Connection, portfolio_id: int | None, as_of: date
) -> list[dict[str, Any]]:
    """The risks open on `as_of`, highest score first, as the status report's matrix and counts
    need them (id, code, project code, probability, consequence, score), in one statement: a
    risk is there from its first assessment, scored by its latest by the day, and open unless
    its latest closing or reopening by then closed it. `risks` reads the few listed by name."""
    params: dict[str, Any] = {"d": as_of.isoformat()}
    where = ""
    if portfolio_id is not None:
        where = "AND coalesce(r.portfolio_id, s.portfolio_id) = :pf "
        params["pf"] = portfolio_id
    assessed = _LATEST_ON.format(column="id", table="risk_assessment")
    event = _LATEST_ON.format(column="kind", table="risk_event")
    found = conn.execute(
        "SELECT r.id, r.code, p.code AS project, a.probability, a.consequence, "
        "a.probability * a.consequence AS score FROM risk r "
        "LEFT JOIN project p ON p.id = r.project_id LEFT JOIN segment s ON s.id = p.segment_id "
        f"JOIN risk_assessment a ON a.id = ({assessed}) "
        f"WHERE coalesce(({event}), 'reopened') = 'reopened' {where}ORDER BY score DESC, r.id",
        params,
    )
    keys = [c[0] for c in found.description]
    return [dict(zip(keys, row, strict=True)) for row in found]


def _shape(
    r: dict[str, Any], assessed: list[dict[str, Any]] | None, first_score: int | None = None
) -> None:
    r.pop("portfolio_key")
    r.pop("project_id")
    kind, when, why = r.pop("last_event"), r.pop("event_date"), r.pop("event_reason")
    r["state"] = "closed" if kind == "closed" else "open"
    r["closed_date"] = when if kind == "closed" else None
    r["closed_reason"] = why if kind == "closed" else None
    p, c = r["probability"], r["consequence"]
    r["score"] = rules.score(p, c) if p is not None and c is not None else None
    r["level"] = rules.level(r["score"]) if r["score"] is not None else None
    if assessed is None:
        r["first_score"] = first_score
        return
    r["assessments"] = assessed
    first = assessed[0] if assessed else None
    r["first_score"] = first["score"] if first else None


def first_scores(conn: sqlite3.Connection, ids: list[int], day: str) -> dict[int, int]:
    """Each risk's first score up to `day`: its assessment with the smallest "date + id" (fixed
    width), whose probability and consequence SQLite takes from that row (one statement)."""
    clause, params = in_clause("risk_id", ids)
    where = f"AND {clause}" if clause else ""
    return {
        rid: rules.score(p, c)
        for rid, p, c, _ in conn.execute(
            "SELECT risk_id, probability, consequence, min(date || printf('%012d', id)) "
            f"FROM risk_assessment WHERE date <= ? {where} GROUP BY risk_id",
            [day, *params],
        )
    }


def assessments_by_risk(
    conn: sqlite3.Connection, ids: list[int] | None, day: str | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Every assessment per risk up to `day` (all when None), oldest first."""
    clause, params = in_clause("risk_id", ids)
    conditions = [c for c in (clause, "date <= ?" if day else "") if c]
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for rid, on, p, c, note in conn.execute(
        f"SELECT risk_id, date, probability, consequence, note FROM risk_assessment {where} "
        "ORDER BY risk_id, date, id",
        [*params, *([day] if day else [])],
    ):
        out[rid].append(
            {
                "date": on,
                "probability": p,
                "consequence": c,
                "score": rules.score(p, c),
                "note": note,
            }
        )
    return out


def events(conn: sqlite3.Connection, risk_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            "SELECT date, kind, reason FROM risk_event WHERE risk_id = ? ORDER BY date, id",
            (risk_id,),
        )
    ]


def record(conn: sqlite3.Connection, ref: str | int, as_of: date | None = None) -> dict[str, Any]:
    """One risk as it stood on `as_of` (default: with everything registered), with every
    assessment and every closing and reopening."""
    rid = resolve(conn, "risk", ref)["id"]
    found = risks(conn, [rid], as_of=as_of or date(9999, 12, 31))[0]
    found["events"] = events(conn, rid)
    return found


# -- writing ------------------------------------------------------------------------------------


def add(
    w: Writer,
    title: str,
    *,
    project: str | None,
    portfolio: str | None,
    probability: int,
    consequence: int,
    on: str,
    owner: str | None = None,
    response: str | None = None,
    description: str | None = None,
    note: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """A new risk, identified on `on` with its first assessment."""
    from portefolje.store.register import add as add_record

    if (project is None) == (portfolio is None):
        raise InvalidValue(msg("err.risk_owner_record"))
    values: dict[str, Any] = {
        "title": require_text(title, "what.title"),
        "owner": owner,
        "response": response,
        "description": description,
    }
    if project is not None:
        values["project_id"] = resolve(w.conn, "project", project)["id"]
        check_identified(w.conn, values["project_id"], on)
    else:
        values["portfolio_id"] = resolve(w.conn, "portfolio", portfolio or "")["id"]
    rec = add_record(w, "risk", values, code)
    _assessment(w, rec["id"], on, probability, consequence, note)
    return record(w.conn, rec["id"])


def check_identified(conn: sqlite3.Connection, project_id: int, on: str) -> None:
    """A project's risk is identified on or after the day the project came into the register."""
    row = conn.execute(
        "SELECT p.code, min(e.date) FROM project p JOIN project_event e ON e.project_id = p.id "
        "WHERE p.id = ? AND e.kind = 'status'",
        (project_id,),
    ).fetchone()
    if row[1] is not None and on < row[1]:
        raise Refused(
            msg(
                "err.date_before_created",
                date=on,
                what=record_name("project", row[0]),
                first=row[1],
            )
        )


def _assessment(
    w: Writer, risk_id: int, on: str, probability: int, consequence: int, note: str | None
) -> None:
    w.insert(
        "risk_assessment",
        {
            "risk_id": risk_id,
            "date": on,
            "probability": rules.on_scale(probability, "what.the_probability"),
            "consequence": rules.on_scale(consequence, "what.the_consequence"),
            "note": note,
            "recorded_at": w.at,
        },
        action="assess",
    )


def _latest(w: Writer, risk_id: int) -> Any:
    return w.conn.execute(
        "SELECT date, probability, consequence FROM risk_assessment WHERE risk_id = ? "
        "ORDER BY date DESC, id DESC LIMIT 1",
        (risk_id,),
    ).fetchone()


def _state(w: Writer, risk_id: int) -> tuple[str, str | None]:
    last = w.conn.execute(
        "SELECT date, kind FROM risk_event WHERE risk_id = ? ORDER BY date DESC, id DESC LIMIT 1",
        (risk_id,),
    ).fetchone()
    if last is None:
        return "open", None
    return ("closed" if last["kind"] == "closed" else "open"), last["date"]


def assess(
    w: Writer,
    ref: str,
    *,
    probability: int | None,
    consequence: int | None,
    on: str,
    note: str | None = None,
    force: bool = False,
) -> bool:
    """A new assessment from `on` (the one left out is carried over); the earlier ones stay.
    Returns False when the score is what it already was and nothing is said about it (unless
    `force`: an imported assessment is kept as given)."""
    row = resolve(w.conn, "risk", ref)
    latest = _latest(w, row["id"])
    p = probability if probability is not None else latest["probability"]
    c = consequence if consequence is not None else latest["consequence"]
    if (p, c) == (latest["probability"], latest["consequence"]) and not note and not force:
        return False
    state, since = _state(w, row["id"])
    if state == "closed":
        raise Refused(msg("err.risk_closed", code=row["code"], date=since))
    check_event_date(on, latest["date"], of("what.assessment_of", "risk", row["code"]))
    _assessment(w, row["id"], on, p, c, note)
    return True


def edit(
    w: Writer,
    ref: str,
    changes: dict[str, Any],
    *,
    probability: int | None = None,
    consequence: int | None = None,
    note: str | None = None,
    on: str,
) -> dict[str, Any]:
    """Text fields in place; a changed probability or consequence is a new dated assessment."""
    from portefolje.store.register import edit as edit_record

    row = resolve(w.conn, "risk", ref)
    if any(v is not None for v in changes.values()):
        edit_record(w, "risk", str(row["id"]), changes)
    if probability is not None or consequence is not None or note:
        assess(
            w, str(row["id"]), probability=probability, consequence=consequence, on=on, note=note
        )
    return record(w.conn, row["id"])


def _event(w: Writer, ref: str, kind: str, on: str, reason: str | None) -> dict[str, Any]:
    row = resolve(w.conn, "risk", ref)
    verb = "close" if kind == "closed" else "reopen"
    reason = require_text(reason, f"what.reason_{verb}_risk")
    state, since = _state(w, row["id"])
    rules.state_after(row["code"], "risk", rules.RISK_STATES, state, kind)
    first = _latest_first(w, row["id"])
    if on < first:
        raise Refused(msg("err.date_before_identified", date=on, code=row["code"], first=first))
    check_event_date(on, since, of("what.change_of", "risk", row["code"]))
    w.insert(
        "risk_event",
        {"risk_id": row["id"], "date": on, "kind": kind, "reason": reason, "recorded_at": w.at},
        action=verb,
    )
    return record(w.conn, row["id"])


def _latest_first(w: Writer, risk_id: int) -> str:
    return str(
        w.conn.execute(
            "SELECT min(date) FROM risk_assessment WHERE risk_id = ?", (risk_id,)
        ).fetchone()[0]
    )


def close(w: Writer, ref: str, *, on: str, reason: str | None) -> dict[str, Any]:
    return _event(w, ref, "closed", on, reason)


def reopen(w: Writer, ref: str, *, on: str, reason: str | None) -> dict[str, Any]:
    return _event(w, ref, "reopened", on, reason)


def changed_between(
    conn: sqlite3.Connection, portfolio_id: int | None, since: str, until: str, last: int
) -> tuple[list[dict[str, Any]], int]:
    """Assessments, closings and reopenings dated in [since, until], in order of date, risk
    code and id: the `last` of them (date, risk, what; an assessment with the score before it)
    and how many in all, in one statement. Only the rows returned look up their risk's title,
    project and previous score (a window of six years holds 9,000 at L)."""
    params: dict[str, Any] = {"a": since, "b": until, "last": last}
    scope = ""
    if portfolio_id is not None:
        scope = (
            "LEFT JOIN project p ON p.id = r.project_id "
            "LEFT JOIN segment s ON s.id = p.segment_id "
            "WHERE coalesce(r.portfolio_id, s.portfolio_id) = :pf"
        )
        params["pf"] = portfolio_id
    # the window's changes are ranked and counted on (date, risk, kind, id) alone: the
    # assessments read from risk_assessment_risk (risk_id, date) without touching the table
    # (`+x.date` keeps SQLite off the date index, which would look up every row's risk); only
    # the last are read in full
    rows = conn.execute(
        "WITH changed AS MATERIALIZED (SELECT c.*, r.code FROM (SELECT x.date, x.risk_id, "
        "'assessment' AS kind, x.id AS seq FROM risk_assessment x "
        "WHERE +x.date BETWEEN :a AND :b UNION ALL SELECT x.date, x.risk_id, x.kind, x.id "
        f"FROM risk_event x WHERE x.date BETWEEN :a AND :b) c JOIN risk r ON r.id = c.risk_id "
        f"{scope}) "
        "SELECT 0, l.date, l.code, r.title, p.code AS project, l.kind, a.probability, "
        "a.consequence, e.reason, l.seq, CASE WHEN l.kind = 'assessment' THEN "
        "(SELECT y.probability * y.consequence FROM risk_assessment y "
        "WHERE y.risk_id = l.risk_id AND (y.date < l.date OR y.date = l.date AND y.id < l.seq) "
        "ORDER BY y.date DESC, y.id DESC LIMIT 1) END AS previous "
        "FROM (SELECT * FROM changed ORDER BY date DESC, code DESC, seq DESC, kind DESC "
        "LIMIT :last) l JOIN risk r ON r.id = l.risk_id LEFT JOIN project p ON p.id = r.project_id "
        "LEFT JOIN risk_assessment a ON l.kind = 'assessment' AND a.id = l.seq "
        "LEFT JOIN risk_event e ON l.kind <> 'assessment' AND e.id = l.seq "
        # and how many in all
        "UNION ALL SELECT 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, count(*), NULL "
        "FROM changed ORDER BY 1, 2, 3, 10, 6",
        params,
    ).fetchall()
    keys = ("date", "code", "title", "project", "kind", "probability", "consequence", "reason")
    found = [
        {**dict(zip(keys, r[1:9], strict=True)), "seq": r[9], "previous": r[10]} for r in rows[:-1]
    ]
    return found, rows[-1][9]
