"""Effect indicators (effektmål) with baseline, target and dated measurements."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from typing import Any

from portefolje.domain import indicators as rules
from portefolje.domain.dates import today
from portefolje.domain.errors import InvalidValue, Refused
from portefolje.domain.rules import require_text
from portefolje.i18n import msg
from portefolje.store.queries import in_clause, marks
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

COLUMNS = (
    "i.id, i.code, i.name, p.code AS project, coalesce(pf.code, ppf.code) AS portfolio, i.unit, "
    "i.baseline, i.baseline_date, i.target, i.target_date, i.measured_by"
)
FROM = (
    "FROM indicator i LEFT JOIN project p ON p.id = i.project_id "
    "LEFT JOIN segment s ON s.id = p.segment_id LEFT JOIN portfolio ppf ON ppf.id = s.portfolio_id "
    "LEFT JOIN portfolio pf ON pf.id = i.portfolio_id"
)


def indicators(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    project: str | None = None,
    portfolio: str | None = None,
    portfolio_id: int | None = None,
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    """Indicators with the measurements made by `as_of` (default today), the latest value,
    achievement (%) and trend then. A portfolio's list holds its projects' indicators and its
    own (the programme's success criteria)."""
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"i.id IN ({marks(ids)})")
        params += ids
    if project is not None:
        clauses.append("i.project_id = ?")
        params.append(resolve(conn, "project", project)["id"])
    if portfolio is not None:
        portfolio_id = resolve(conn, "portfolio", portfolio)["id"]
    if portfolio_id is not None:
        clauses.append("coalesce(pf.id, ppf.id) = ?")
        params.append(portfolio_id)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = [dict(r) for r in conn.execute(f"SELECT {COLUMNS} {FROM} {where} ORDER BY i.id", params)]
    day = (as_of or today()).isoformat()
    measurements = measurements_by_indicator(conn, [r["id"] for r in rows], day)
    for r in rows:
        r["measurements"] = measurements.get(r["id"], [])
        values = [m["value"] for m in r["measurements"]]
        latest = values[-1] if values else None
        r["latest"] = latest
        r["latest_date"] = r["measurements"][-1]["date"] if values else None
        r["achievement_pct"] = rules.achievement(r["baseline"], r["target"], latest)
        r["met"] = rules.met(r["baseline"], r["target"], latest)
        r["trend"] = rules.trend(values, r["baseline"], r["target"])
    return rows


def latest_values(
    conn: sqlite3.Connection, portfolio_id: int | None, as_of: date
) -> list[tuple[int, float | None, float | None, float | None]]:
    """(id, baseline, target, latest value by `as_of`) of the selection's indicators, in id
    order, in one statement: what the status report ranks them by before it reads the few it
    shows with `indicators` (at L 5,000 indicators and 10,000 measurements)."""
    where, params = "", []
    if portfolio_id is not None:
        where = (
            "LEFT JOIN project p ON p.id = i.project_id "
            "LEFT JOIN segment s ON s.id = p.segment_id "
            "WHERE coalesce(i.portfolio_id, s.portfolio_id) = ?"
        )
        params = [portfolio_id]
    return conn.execute(
        "SELECT i.id, i.baseline, i.target, (SELECT x.value FROM indicator_measurement x "
        "WHERE x.indicator_id = i.id AND x.date <= ? ORDER BY x.date DESC, x.id DESC LIMIT 1) "
        f"FROM indicator i {where} ORDER BY i.id",
        [as_of.isoformat(), *params],
    ).fetchall()


def measurements_by_indicator(
    conn: sqlite3.Connection, ids: list[int] | None = None, day: str | None = None
) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    clause, params = in_clause("indicator_id", ids)
    conditions = [c for c in (clause, "date <= ?" if day else "") if c]
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    for r in conn.execute(
        f"SELECT indicator_id, date, value, note FROM indicator_measurement {where} "
        "ORDER BY indicator_id, date, id",
        [*params, *([day] if day else [])],
    ):
        out[r[0]].append({"date": r[1], "value": r[2], "note": r[3]})
    return out


def record(conn: sqlite3.Connection, ref: str | int, as_of: date | None = None) -> dict[str, Any]:
    return indicators(conn, [resolve(conn, "indicator", ref)["id"]], as_of=as_of)[0]


def add(
    w: Writer,
    values: dict[str, Any],
    *,
    project: str | None,
    code: str | None,
    portfolio: str | None = None,
) -> dict[str, Any]:
    """An indicator of a project, or of a portfolio (the programme's own success criteria)."""
    from portefolje.store.register import add as add_record

    if (project is None) == (portfolio is None):
        raise InvalidValue(msg("err.indicator_owner"))
    values = dict(values)
    values["name"] = require_text(values.get("name"), "what.name")
    if project is not None:
        values["project_id"] = resolve(w.conn, "project", project)["id"]
    else:
        values["portfolio_id"] = resolve(w.conn, "portfolio", portfolio or "")["id"]
    rec = add_record(w, "indicator", values, code)
    return record(w.conn, rec["id"])


def measure(w: Writer, ref: str, value: float, *, on: str, note: str | None) -> dict[str, Any]:
    row = resolve(w.conn, "indicator", ref)
    w.insert(
        "indicator_measurement",
        {
            "indicator_id": row["id"],
            "date": on,
            "value": value,
            "note": note,
            "recorded_at": w.at,
        },
    )
    return record(w.conn, row["id"], as_of=max(date.fromisoformat(on), today()))


def unmeasure(w: Writer, ref: str, *, on: str) -> dict[str, Any]:
    """Remove a mistaken measurement (the one on that date); the journal keeps it."""
    row = resolve(w.conn, "indicator", ref)
    found = w.conn.execute(
        "SELECT id FROM indicator_measurement WHERE indicator_id = ? AND date = ? ORDER BY id",
        (row["id"], on),
    ).fetchall()
    if not found:
        raise Refused(msg("err.no_measurement", code=row["code"], date=on))
    for (measurement_id,) in found:
        w.delete("indicator_measurement", measurement_id)
    return record(w.conn, row["id"])


def unmet(
    conn: sqlite3.Connection, project_id: int, day: date | None = None
) -> list[dict[str, Any]]:
    """The project's indicators with a target not yet reached on `day`."""
    return [
        i
        for i in indicators(conn, project=str(project_id), as_of=day)
        if i["target"] is not None and not i["met"]
    ]
