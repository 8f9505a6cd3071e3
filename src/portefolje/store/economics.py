"""Savings (provenu), investments, targets with distribution keys, and the price index."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from fractions import Fraction
from typing import Any

from portefolje.domain.errors import InvalidValue, Refused
from portefolje.store.queries import in_clause
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

SAVING_COLUMNS = (
    "s.id, s.code, p.code AS project, l.code AS solution, d.code AS department, s.area, s.year, "
    "s.from_year, s.amount, s.stage, s.price_level, s.note"
)
SAVING_FROM = (
    "FROM saving s JOIN project p ON p.id = s.project_id JOIN segment seg ON seg.id = p.segment_id "
    "LEFT JOIN solution l ON l.id = s.solution_id LEFT JOIN department d ON d.id = s.department_id"
)


def _filters(
    conn: sqlite3.Connection,
    alias: str,
    *,
    ids: list[int] | None = None,
    project: str | None = None,
    portfolio: str | None = None,
    department: str | None = None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"{alias}.id IN ({','.join('?' * len(ids))})")
        params += ids
    if project is not None:
        clauses.append(f"{alias}.project_id = ?")
        params.append(resolve(conn, "project", project)["id"])
    if portfolio is not None:
        clauses.append("seg.portfolio_id = ?")
        params.append(resolve(conn, "portfolio", portfolio)["id"])
    if department is not None:
        clauses.append(f"{alias}.department_id = ?")
        params.append(resolve(conn, "department", department)["id"])
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def savings(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    project: str | None = None,
    portfolio: str | None = None,
    department: str | None = None,
    stage: str | None = None,
) -> list[dict[str, Any]]:
    where, params = _filters(
        conn, "s", ids=ids, project=project, portfolio=portfolio, department=department
    )
    if stage is not None:
        where += (" AND " if where else "WHERE ") + "s.stage = ?"
        params.append(stage)
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT {SAVING_COLUMNS} {SAVING_FROM} {where} ORDER BY s.id", params
        )
    ]


def investments(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    project: str | None = None,
    portfolio: str | None = None,
) -> list[dict[str, Any]]:
    where, params = _filters(conn, "i", ids=ids, project=project, portfolio=portfolio)
    return [
        dict(r)
        for r in conn.execute(
            "SELECT i.id, i.code, p.code AS project, d.code AS department, i.area, i.year, "
            "i.amount, i.funding, i.price_level, i.note FROM investment i "
            "JOIN project p ON p.id = i.project_id JOIN segment seg ON seg.id = p.segment_id "
            "LEFT JOIN department d ON d.id = i.department_id "
            f"{where} ORDER BY i.year, i.id",
            params,
        )
    ]


def targets(
    conn: sqlite3.Connection, ids: list[int] | None = None, *, portfolio: str | None = None
) -> list[dict[str, Any]]:
    clauses, params = [], []
    if ids is not None:
        clauses.append(f"t.id IN ({','.join('?' * len(ids))})")
        params += ids
    if portfolio is not None:
        clauses.append("t.portfolio_id = ?")
        params.append(resolve(conn, "portfolio", portfolio)["id"])
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = [
        dict(r)
        for r in conn.execute(
            "SELECT t.id, t.code, pf.code AS portfolio, t.year, t.from_year, t.amount, "
            "t.price_level, t.note FROM target t "
            f"JOIN portfolio pf ON pf.id = t.portfolio_id {where} "
            "ORDER BY pf.id, coalesce(t.year, t.from_year), t.year IS NULL, t.id",
            params,
        )
    ]
    clause, share_params = in_clause("ts.target_id", [r["id"] for r in rows])
    shares: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(
        "SELECT ts.target_id, d.code, ts.numerator, ts.denominator FROM target_share ts "
        f"JOIN department d ON d.id = ts.department_id {'WHERE ' + clause if clause else ''} "
        "ORDER BY ts.target_id, ts.id",
        share_params,
    ):
        shares[r[0]].append({"department": r[1], "share": f"{r[2]}/{r[3]}"})
    for r in rows:
        r["key"] = shares.get(r["id"], [])
    return rows


def price_index(conn: sqlite3.Connection) -> dict[int, float]:
    return {int(y): float(v) for y, v in conn.execute("SELECT year, value FROM price_index")}


# -- writes ------------------------------------------------------------------------------------


def _refs(
    w: Writer,
    values: dict[str, Any],
    project: str | None,
    department: str | None,
    solution: str | None = None,
) -> dict[str, Any]:
    values = dict(values)
    if project is not None:
        values["project_id"] = resolve(w.conn, "project", project)["id"]
    if department is not None:
        values["department_id"] = (
            resolve(w.conn, "department", department)["id"] if department else None
        )
    if solution is not None:
        if solution:
            found = resolve(w.conn, "solution", solution)
            project_id = values.get("project_id")
            if project_id is not None and found["project_id"] != project_id:
                raise InvalidValue(f"solution {found['code']} belongs to another project")
            values["solution_id"] = found["id"]
        else:
            values["solution_id"] = None
    return values


def add_saving(
    w: Writer,
    values: dict[str, Any],
    *,
    project: str,
    department: str | None,
    solution: str | None,
    code: str | None,
) -> dict[str, Any]:
    from portefolje.store.register import add

    rec = add(w, "saving", _refs(w, values, project, department, solution), code)
    return savings(w.conn, [rec["id"]])[0]


def edit_saving(
    w: Writer,
    ref: str,
    changes: dict[str, Any],
    *,
    project: str | None,
    department: str | None,
    solution: str | None,
    note: str | None,
) -> dict[str, Any]:
    row = resolve(w.conn, "saving", ref)
    if row["stage"] != "estimated" and not (note and note.strip()):
        raise Refused(
            f"saving {row['code']} is {row['stage']}: say why it changes with --note "
            "(the evidence behind a documented figure must stay traceable)"
        )
    changes = _refs(
        w, {k: v for k, v in changes.items() if v is not None}, project, department, solution
    )
    if note is not None:
        changes["note"] = note or None
    if "year" in changes:
        changes["from_year"] = None
    if "from_year" in changes:
        changes["year"] = None
    w.update("saving", row["id"], changes)
    return savings(w.conn, [row["id"]])[0]


def remove(w: Writer, kind: str, ref: str) -> dict[str, Any]:
    """Delete a saving or investment; the journal keeps the row as it was."""
    row = resolve(w.conn, kind, ref)
    current = (savings if kind == "saving" else investments)(w.conn, [row["id"]])[0]
    w.delete(kind, row["id"])
    return current


def add_investment(
    w: Writer, values: dict[str, Any], *, project: str, department: str | None, code: str | None
) -> dict[str, Any]:
    from portefolje.store.register import add

    rec = add(w, "investment", _refs(w, values, project, department), code)
    return investments(w.conn, [rec["id"]])[0]


def set_target(
    w: Writer,
    *,
    portfolio: str,
    amount: int,
    year: int | None,
    from_year: int | None,
    key: list[tuple[str, Fraction]],
    price_level: int | None,
    note: str | None,
) -> dict[str, Any]:
    """Create or replace the portfolio's target for that year (or from that year onwards)."""
    from portefolje.store.register import add

    pf = resolve(w.conn, "portfolio", portfolio)
    existing = w.conn.execute(
        "SELECT id FROM target WHERE portfolio_id = ? AND year IS ? AND from_year IS ?",
        (pf["id"], year, from_year),
    ).fetchone()
    values = {"amount": amount, "price_level": price_level, "note": note}
    if existing is None:
        target_id = add(
            w, "target", {"portfolio_id": pf["id"], "year": year, "from_year": from_year, **values}
        )["id"]
    else:
        target_id = int(existing[0])
        w.update("target", target_id, values, action="set")
    wanted = [(resolve(w.conn, "department", d)["id"], s) for d, s in key]
    current = [
        (r[0], Fraction(r[1], r[2]))
        for r in w.conn.execute(
            "SELECT department_id, numerator, denominator FROM target_share WHERE target_id = ? "
            "ORDER BY id",
            (target_id,),
        )
    ]
    if current != wanted:
        for (share_id,) in w.conn.execute(
            "SELECT id FROM target_share WHERE target_id = ?", (target_id,)
        ).fetchall():
            w.delete("target_share", share_id, action="set")
        for dept_id, share in wanted:
            w.insert(
                "target_share",
                {
                    "target_id": target_id,
                    "department_id": dept_id,
                    "numerator": share.numerator,
                    "denominator": share.denominator,
                },
            )
    return targets(w.conn, [target_id])[0]


def set_index(w: Writer, year: int, value: float) -> dict[str, Any]:
    row = w.conn.execute("SELECT id FROM price_index WHERE year = ?", (year,)).fetchone()
    if row is None:
        w.insert("price_index", {"code": f"PL{year}", "year": year, "value": value})
    else:
        w.update("price_index", int(row[0]), {"value": value}, action="set")
    return {"year": year, "value": value}
