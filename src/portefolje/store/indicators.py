"""Effect indicators (effektmål) with baseline, target and dated measurements."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from portefolje.domain import indicators as rules
from portefolje.domain.rules import require_text
from portefolje.store.queries import in_clause
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

COLUMNS = (
    "i.id, i.code, i.name, p.code AS project, i.unit, i.baseline, i.baseline_date, i.target, "
    "i.target_date, i.measured_by"
)


def indicators(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    project: str | None = None,
    portfolio: str | None = None,
) -> list[dict[str, Any]]:
    """Indicators with measurements, latest value, achievement (%) and trend."""
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"i.id IN ({','.join('?' * len(ids))})")
        params += ids
    if project is not None:
        clauses.append("i.project_id = ?")
        params.append(resolve(conn, "project", project)["id"])
    if portfolio is not None:
        clauses.append("s.portfolio_id = ?")
        params.append(resolve(conn, "portfolio", portfolio)["id"])
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = [
        dict(r)
        for r in conn.execute(
            f"SELECT {COLUMNS} FROM indicator i JOIN project p ON p.id = i.project_id "
            f"JOIN segment s ON s.id = p.segment_id {where} ORDER BY i.id",
            params,
        )
    ]
    measurements = measurements_by_indicator(conn, [r["id"] for r in rows])
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


def measurements_by_indicator(
    conn: sqlite3.Connection, ids: list[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    clause, params = in_clause("indicator_id", ids)
    where = f"WHERE {clause}" if clause else ""
    for r in conn.execute(
        f"SELECT indicator_id, date, value, note FROM indicator_measurement {where} "
        "ORDER BY indicator_id, date, id",
        params,
    ):
        out[r[0]].append({"date": r[1], "value": r[2], "note": r[3]})
    return out


def record(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any]:
    return indicators(conn, [resolve(conn, "indicator", ref)["id"]])[0]


def add(w: Writer, values: dict[str, Any], *, project: str, code: str | None) -> dict[str, Any]:
    from portefolje.store.register import add as add_record

    values = dict(values)
    values["name"] = require_text(values.get("name"), "a name")
    values["project_id"] = resolve(w.conn, "project", project)["id"]
    rec = add_record(w, "indicator", values, code)
    return record(w.conn, rec["id"])


def measure(w: Writer, ref: str, value: float, *, on: str, note: str | None) -> dict[str, Any]:
    row = resolve(w.conn, "indicator", ref)
    w.insert(
        "indicator_measurement",
        {"indicator_id": row["id"], "date": on, "value": value, "note": note},
    )
    return record(w.conn, row["id"])


def unmet(conn: sqlite3.Connection, project_id: int) -> list[dict[str, Any]]:
    """The project's indicators with a target that is not yet reached."""
    return [
        i
        for i in indicators(conn, project=str(project_id))
        if i["target"] is not None and not i["met"]
    ]
