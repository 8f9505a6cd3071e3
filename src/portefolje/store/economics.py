"""Savings (provenu), investments, targets with distribution keys, coverage without a project
claim (frame cuts, one-off money, budget transfers), and the price index.

Every figure is versioned (store/versions.py): the reads take the day the figures stood on, and
every change takes the day it applies from.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from fractions import Fraction
from typing import Any

from portefolje.domain.dates import today
from portefolje.domain.economics import check_index
from portefolje.domain.errors import InvalidValue, Refused
from portefolje.domain.rules import word
from portefolje.i18n import msg, record_name
from portefolje.store import versions
from portefolje.store.queries import in_clause, json_lines, marks, only, stream
from portefolje.store.registry import resolve
from portefolje.store.versions import COVERAGE, INVESTMENT, SAVING, TARGET
from portefolje.store.write import Writer

SAVING_COLUMNS = (
    "s.id, s.code, p.code AS project, l.code AS solution, d.code AS department, v.area, v.year, "
    "v.from_year, v.amount, v.realised, v.stage, v.attribution, v.price_level, v.fte, v.name, "
    "v.note, v.valid_from AS since"
)
SAVING_FROM = (
    "FROM saving s JOIN saving_version v ON v.saving_id = s.id "
    "JOIN project p ON p.id = v.project_id JOIN segment seg ON seg.id = p.segment_id "
    "LEFT JOIN solution l ON l.id = v.solution_id LEFT JOIN department d ON d.id = v.department_id"
)
INVESTMENT_COLUMNS = (
    "i.id, i.code, p.code AS project, d.code AS department, v.area, v.year, v.amount, v.status, "
    "v.funding, v.price_level, v.fte, v.name, v.note, v.valid_from AS since"
)
INVESTMENT_FROM = (
    "FROM investment i JOIN investment_version v ON v.investment_id = i.id "
    "JOIN project p ON p.id = v.project_id JOIN segment seg ON seg.id = p.segment_id "
    "LEFT JOIN department d ON d.id = v.department_id"
)


def _day(as_of: date | None) -> str:
    return (as_of or today()).isoformat()


def _filters(
    conn: sqlite3.Connection,
    identity: str,
    *,
    ids: list[int] | None = None,
    project: str | None = None,
    portfolio: str | None = None,
    department: str | None = None,
) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"{identity}.id IN ({marks(ids)})")
        params += ids
    if project is not None:
        clauses.append("v.project_id = ?")
        params.append(resolve(conn, "project", project)["id"])
    if portfolio is not None:
        clauses.append("seg.portfolio_id = ?")
        params.append(resolve(conn, "portfolio", portfolio)["id"])
    if department is not None:
        clauses.append("v.department_id = ?")
        params.append(resolve(conn, "department", department)["id"])
    return clauses, params


def savings(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    project: str | None = None,
    portfolio: str | None = None,
    department: str | None = None,
    stage: str | None = None,
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    """Saving lines as they stood on `as_of` (default today)."""
    rest, params = _saving_rest(
        conn,
        ids=ids,
        project=project,
        portfolio=portfolio,
        department=department,
        stage=stage,
        as_of=as_of,
    )
    return [dict(r) for r in conn.execute(f"SELECT {SAVING_COLUMNS} {rest}", params)]


def saving_list(
    conn: sqlite3.Connection,
    *,
    as_json: bool = False,
    project: str | None = None,
    portfolio: str | None = None,
    department: str | None = None,
    stage: str | None = None,
    as_of: date | None = None,
    fields: Iterable[str] | None = None,
) -> Iterator[Any]:
    """`savings` for `saving list`: the same rows in the same order, streamed (dicts of only
    `fields` when given, or with `as_json` each row already encoded) by a fixed number of
    statements at any size."""
    rest, params = _saving_rest(
        conn, project=project, portfolio=portfolio, department=department, stage=stage, as_of=as_of
    )
    if as_json:
        return json_lines(conn, SAVING_COLUMNS, rest, params, floats=("fte",))
    return stream(conn, f"SELECT {only(SAVING_COLUMNS, fields)} {rest}", params)


def _saving_rest(
    conn: sqlite3.Connection,
    *,
    ids: list[int] | None = None,
    project: str | None = None,
    portfolio: str | None = None,
    department: str | None = None,
    stage: str | None = None,
    as_of: date | None,
) -> tuple[str, list[Any]]:
    """FROM … WHERE … ORDER BY of the saving lines in force on the day, with their parameters.
    Not narrowed to some ids, a project or a department, the savings are walked in id order
    (saving, then its versions by saving_version_saving; CROSS JOIN keeps the tables' order), so
    200,000 lines are never sorted before the first is read; narrowed, SQLite finds the few
    versions by their own indexes."""
    clauses, params = _filters(
        conn, "s", ids=ids, project=project, portfolio=portfolio, department=department
    )
    narrow = ids is not None or project is not None or department is not None
    if stage is not None:
        clauses.append("v.stage = ?")
        params.append(stage)
    day = _day(as_of)
    clauses.append(versions.in_force("v"))
    params += [day, day]
    walk = "JOIN" if narrow else "CROSS JOIN"
    rest = (
        SAVING_FROM.replace("JOIN saving_version", f"{walk} saving_version", 1)
        + f" WHERE {' AND '.join(clauses)} ORDER BY s.id"
    )
    return rest, params


def investments(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    project: str | None = None,
    portfolio: str | None = None,
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    clauses, params = _filters(conn, "i", ids=ids, project=project, portfolio=portfolio)
    day = _day(as_of)
    clauses.append(versions.in_force("v"))
    params += [day, day]
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT {INVESTMENT_COLUMNS} {INVESTMENT_FROM} WHERE {' AND '.join(clauses)} "
            "ORDER BY v.year, i.id",
            params,
        )
    ]


def targets(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    portfolio: str | None = None,
    portfolio_id: int | None = None,
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    """Targets in force on `as_of`, each with its distribution key (a list of shares)."""
    clauses = [versions.in_force("v")]
    day = _day(as_of)
    params: list[Any] = [day, day]
    if ids is not None:
        clauses.append(f"t.id IN ({marks(ids)})")
        params += ids
    if portfolio is not None:
        portfolio_id = resolve(conn, "portfolio", portfolio)["id"]
    if portfolio_id is not None:
        clauses.append("t.portfolio_id = ?")
        params.append(portfolio_id)
    rows = [
        dict(r)
        for r in conn.execute(
            "SELECT t.id, t.code, pf.code AS portfolio, t.portfolio_id, t.year, t.from_year, "
            "v.amount, v.price_level, v.note, v.valid_from AS since, v.id AS version_id "
            "FROM target t JOIN target_version v ON v.target_id = t.id "
            f"JOIN portfolio pf ON pf.id = t.portfolio_id WHERE {' AND '.join(clauses)} "
            "ORDER BY pf.id, coalesce(t.year, t.from_year), t.year IS NULL, t.id",
            params,
        )
    ]
    shares = target_shares(conn, [r["version_id"] for r in rows])
    for r in rows:
        r["key"] = [
            {"department": code, "share": f"{s.numerator}/{s.denominator}"}
            for _, code, s in shares.get(r.pop("version_id"), [])
        ]
        r.pop("portfolio_id")
    return rows


def target_shares(
    conn: sqlite3.Connection, version_ids: list[int] | None
) -> dict[int, list[tuple[int, str, Fraction]]]:
    """Per target version: (department id, department code, share) in key order."""
    clause, params = in_clause("ts.target_version_id", version_ids)
    out: dict[int, list[tuple[int, str, Fraction]]] = defaultdict(list)
    for version_id, dept_id, code, num, den in conn.execute(
        "SELECT ts.target_version_id, ts.department_id, d.code, ts.numerator, ts.denominator "
        "FROM target_share ts JOIN department d ON d.id = ts.department_id "
        f"{'WHERE ' + clause if clause else ''} ORDER BY ts.target_version_id, ts.id",
        params,
    ):
        out[version_id].append((dept_id, code, Fraction(num, den)))
    return out


def coverage(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    portfolio: str | None = None,
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    """Coverage lines (frame cuts, one-off money, budget transfers) in force on `as_of`."""
    clauses = [versions.in_force("v")]
    day = _day(as_of)
    params: list[Any] = [day, day]
    if ids is not None:
        clauses.append(f"c.id IN ({marks(ids)})")
        params += ids
    if portfolio is not None:
        clauses.append("c.portfolio_id = ?")
        params.append(resolve(conn, "portfolio", portfolio)["id"])
    return [
        dict(r)
        for r in conn.execute(
            "SELECT c.id, c.code, pf.code AS portfolio, d.code AS department, v.kind, v.year, "
            "v.from_year, v.amount, v.price_level, v.note, v.valid_from AS since "
            "FROM coverage c JOIN coverage_version v ON v.coverage_id = c.id "
            "JOIN portfolio pf ON pf.id = c.portfolio_id "
            "LEFT JOIN department d ON d.id = v.department_id "
            f"WHERE {' AND '.join(clauses)} ORDER BY c.id",
            params,
        )
    ]


def price_index(conn: sqlite3.Connection) -> dict[int, float]:
    return {int(y): float(v) for y, v in conn.execute("SELECT year, value FROM price_index")}


def history(conn: sqlite3.Connection, kind: str, ref: str) -> list[dict[str, Any]]:
    """Every version of a saving, investment, target or coverage line, oldest first."""
    row = resolve(conn, kind, ref)
    return versions.history(conn, versions.ALL[kind], row["id"])


# -- sums for the reports ----------------------------------------------------------------------


def _portfolio_join(alias: str, portfolio_id: int | None) -> tuple[str, list[Any]]:
    if portfolio_id is None:
        return "", []
    return (
        f" JOIN project p ON p.id = {alias}.project_id JOIN segment seg ON seg.id = p.segment_id "
        "AND seg.portfolio_id = ?",
        [portfolio_id],
    )


def saving_groups(
    conn: sqlite3.Connection, portfolio_id: int | None, first: int, last: int, day: str
) -> list[tuple[Any, ...]]:
    """Saving lines in force on `day` that count in first..last, summed per (department, area,
    stage, year, from_year, price level): (department_id, area, stage, year, from_year,
    price_level, estimate, realised, attributed, a code for messages)."""
    join, params = _portfolio_join("v", portfolio_id)
    return conn.execute(
        "SELECT v.department_id, v.area, v.stage, v.year, v.from_year, v.price_level, "
        "sum(v.amount), sum(coalesce(v.realised, v.amount)), "
        "sum(coalesce(v.realised, v.amount) * v.attribution / 100), "
        f"min(v.saving_id) FROM saving_version v{join} "
        f"WHERE (v.year BETWEEN ? AND ? OR v.from_year <= ?) AND {versions.in_force('v')} "
        "GROUP BY v.department_id, v.area, v.stage, v.year, v.from_year, v.price_level",
        [*params, first, last, last, day, day],
    ).fetchall()


def project_saving_groups(
    conn: sqlite3.Connection,
    portfolio_id: int | None,
    day: str,
    project_ids: list[int] | None = None,
    year: int | None = None,
) -> list[tuple[Any, ...]]:
    """Per project: (project_id, area, stage, year, from_year, price_level, estimate, realised,
    attributed, min saving id) for the lines in force on `day` (counting in `year` if given)."""
    join, params = _portfolio_join("v", portfolio_id)
    clauses = [versions.in_force("v")]
    values: list[Any] = [day, day]
    if project_ids is not None:
        clauses.append(f"v.project_id IN ({marks(project_ids)})")
        values += project_ids
    if year is not None:
        clauses.append("(v.year = ? OR v.from_year <= ?)")
        values += [year, year]
    # grouped in the order of the saving_version_project index, so SQLite reads it in order
    return conn.execute(
        "SELECT v.project_id, v.area, v.stage, v.year, v.from_year, v.price_level, "
        "sum(v.amount), sum(coalesce(v.realised, v.amount)), "
        "sum(coalesce(v.realised, v.amount) * v.attribution / 100), min(v.saving_id) "
        f"FROM saving_version v{join} WHERE {' AND '.join(clauses)} "
        "GROUP BY v.project_id, v.stage, v.year, v.from_year, v.area, v.price_level",
        [*params, *values],
    ).fetchall()


def project_saving_flows(
    conn: sqlite3.Connection,
    portfolio_id: int | None,
    day: str,
    project_ids: list[int] | None = None,
) -> list[tuple[Any, ...]]:
    """Per project and start year (the year of a single-year line, the from-year of a recurring
    one), for figures read as registered (no price level): (project_id, start, then the single-
    year and the recurring sums of: the best current figure, its service-area part, its realised
    part). The best current figure is the estimate while estimated, else the attributable
    realised amount.

    The report asks for the projects it lists (at most 200): saving_version_project covers
    every column used and is searched per project; the groups are sorted in memory (at L with
    --all-projects, 44,500 groups of 200,000 lines, where the finer `project_saving_groups`
    made 152,000)."""
    join, params = _portfolio_join("v", portfolio_id)
    clauses = [versions.in_force("v")]
    values: list[Any] = [day, day]
    if project_ids is not None:
        clauses.append(f"v.project_id IN ({marks(project_ids)})")
        values += project_ids
    best = (
        "CASE WHEN v.stage = 'estimated' THEN v.amount "
        "ELSE coalesce(v.realised, v.amount) * v.attribution / 100 END"
    )
    sums = [
        f"sum(CASE WHEN v.year {null} NULL{extra} THEN {best} ELSE 0 END)"
        for extra in ("", " AND v.area = 'service'", " AND v.stage <> 'estimated'")
        for null in ("IS NOT", "IS")
    ]
    return conn.execute(
        f"SELECT v.project_id, coalesce(v.year, v.from_year), {', '.join(sums)} "
        f"FROM saving_version v{join} WHERE {' AND '.join(clauses)} "
        "GROUP BY v.project_id, coalesce(v.year, v.from_year)",
        [*params, *values],
    ).fetchall()


def projects_at_stake(
    conn: sqlite3.Connection,
    portfolio_id: int | None,
    day: str,
    first: int,
    last: int,
    limit: int | None,
) -> tuple[list[tuple[int, str, str]], int]:
    """The projects with economy on `day` (a granted or applied investment, or a saving line, in
    force), ranked by the money at stake in first..last: granted investment first, then the size
    of the effect (the best current figure of each line, times the years it counts in the
    period), then code; the first `limit` of them (all for None) as (id, code, title), and how
    many there are in all. Amounts as registered: a rank needs no price level.

    One grouped statement: both version tables are read through their covering project indexes
    (5,000 groups at L), and only the chosen projects' titles are read."""
    in_force = versions.in_force("v")
    best = (
        "CASE WHEN v.stage = 'estimated' THEN v.amount "
        "ELSE coalesce(v.realised, v.amount) * v.attribution / 100 END"
    )
    in_period = (
        "CASE WHEN v.year IS NOT NULL THEN v.year BETWEEN ? AND ? "
        "ELSE max(0, ? - max(v.from_year, ?) + 1) END"
    )
    where, params = "", []
    if portfolio_id is not None:
        where, params = (
            "JOIN segment seg ON seg.id = p.segment_id AND seg.portfolio_id = ? ",
            [portfolio_id],
        )
    rows = conn.execute(
        "WITH money(project_id, invested, effect) AS ("
        "SELECT v.project_id, sum(CASE WHEN v.status = 'granted' AND v.year BETWEEN ? AND ? "
        "THEN v.amount ELSE 0 END), 0 FROM investment_version v "
        f"WHERE v.status IN ('granted', 'applied') AND {in_force} GROUP BY v.project_id "
        f"UNION ALL SELECT v.project_id, 0, sum({best} * {in_period}) FROM saving_version v "
        f"WHERE {in_force} GROUP BY v.project_id), "
        "ranked AS (SELECT p.id, p.code, count(*) OVER () AS total FROM money m "
        f"JOIN project p ON p.id = m.project_id {where}GROUP BY p.id "
        "ORDER BY sum(m.invested) DESC, abs(sum(m.effect)) DESC, p.code LIMIT ?) "
        "SELECT r.id, r.code, p.title, r.total FROM ranked r JOIN project p ON p.id = r.id",
        [
            first,
            last,
            day,
            day,
            first,
            last,
            last,
            first,
            day,
            day,
            *params,
            -1 if limit is None else limit,
        ],
    ).fetchall()
    return [(int(r[0]), r[1], r[2]) for r in rows], int(rows[0][3]) if rows else 0


def project_year_totals(
    conn: sqlite3.Connection,
    portfolio_id: int | None,
    day: str,
    year: int,
    project_ids: list[int] | None = None,
) -> list[tuple[Any, ...]]:
    """Per project, stage and price level: the estimate and the attributable realised amount of
    the lines in force on `day` that count in `year` (the status report's "this year" column),
    for the selection or only for `project_ids` (the projects the report shows: read through
    saving_version_project, a few hundred lines each, instead of all 200,000 at L)."""
    if project_ids is not None:
        join, params = "", list(project_ids)
        within = f"v.project_id IN ({marks(project_ids)}) AND "
    else:
        join, params = _portfolio_join("v", portfolio_id)
        within = ""
    return conn.execute(
        "SELECT v.project_id, v.stage, v.price_level, sum(v.amount), "
        "sum(coalesce(v.realised, v.amount) * v.attribution / 100), min(v.saving_id) "
        f"FROM saving_version v{join} WHERE {within}{versions.in_force('v')} "
        "AND (v.year = ? OR v.from_year <= ?) GROUP BY v.project_id, v.stage, v.price_level",
        [*params, day, day, year, year],
    ).fetchall()


def investment_groups(
    conn: sqlite3.Connection,
    portfolio_id: int | None,
    day: str,
    project_ids: list[int] | None = None,
) -> list[tuple[Any, ...]]:
    """(project_id, department_id, area, year, status, price_level, amount, fte, min id)."""
    join, params = _portfolio_join("v", portfolio_id)
    clauses = [versions.in_force("v")]
    values: list[Any] = [day, day]
    if project_ids is not None:
        clauses.append(f"v.project_id IN ({marks(project_ids)})")
        values += project_ids
    return conn.execute(
        "SELECT v.project_id, v.department_id, v.area, v.year, v.status, v.price_level, "
        "sum(v.amount), sum(v.fte), min(v.investment_id) "
        f"FROM investment_version v{join} WHERE {' AND '.join(clauses)} "
        "GROUP BY v.project_id, v.department_id, v.area, v.year, v.status, v.price_level",
        [*params, *values],
    ).fetchall()


def target_rows(
    conn: sqlite3.Connection, portfolio_id: int | None, day: str
) -> list[dict[str, Any]]:
    """Targets in force on `day` with their key as (department id, share) pairs."""
    where = " AND t.portfolio_id = ?" if portfolio_id is not None else ""
    rows = [
        dict(r)
        for r in conn.execute(
            "SELECT t.id, t.code, t.portfolio_id, t.year, t.from_year, v.amount, v.price_level, "
            "v.id AS version_id FROM target t JOIN target_version v ON v.target_id = t.id "
            f"WHERE {versions.in_force('v')}{where}",
            [day, day, *([portfolio_id] if portfolio_id is not None else [])],
        )
    ]
    shares = target_shares(conn, [r["version_id"] for r in rows])
    for r in rows:
        r["key"] = [(dept, share) for dept, _, share in shares.get(r["version_id"], [])]
    return rows


def coverage_rows(
    conn: sqlite3.Connection, portfolio_id: int | None, day: str
) -> list[dict[str, Any]]:
    where = " AND c.portfolio_id = ?" if portfolio_id is not None else ""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT c.id, c.code, v.department_id, v.kind, v.year, v.from_year, v.amount, "
            "v.price_level FROM coverage c JOIN coverage_version v ON v.coverage_id = c.id "
            f"WHERE {versions.in_force('v')}{where}",
            [day, day, *([portfolio_id] if portfolio_id is not None else [])],
        )
    ]


def codes(conn: sqlite3.Connection, kind: str, ids: list[int]) -> dict[int, str]:
    clause, params = in_clause("id", ids)
    return {
        int(r[0]): r[1]
        for r in conn.execute(
            f"SELECT id, code FROM {versions.ALL[kind].kind} {'WHERE ' + clause if clause else ''}",
            params,
        )
    }


def price_levels(
    conn: sqlite3.Connection, portfolio_id: int | None, day: str, first: int, last: int
) -> list[Any]:
    """The distinct price levels of the figures in force on `day` that count in first..last
    (None for figures without one).

    The saving lines are read level by level through saving_version_level (migration 9): the
    next level is one index seek, and a level counts when one line of it is in force in the
    period (usually the first one looked at), where a DISTINCT read every line."""
    period = "(v.year BETWEEN ? AND ? OR v.from_year <= ?)"
    join, join_params = _portfolio_join("v", portfolio_id)
    line = f"FROM saving_version v{join} WHERE {{level}} AND {versions.in_force('v')} AND {period}"
    line_params = [*join_params, day, day, first, last, last]
    found: set[Any] = {
        r[0]
        for r in conn.execute(
            "WITH RECURSIVE level(value) AS ("
            "SELECT (SELECT min(price_level) FROM saving_version) UNION ALL "
            "SELECT (SELECT min(price_level) FROM saving_version WHERE price_level > value) "
            "FROM level WHERE value IS NOT NULL) "
            "SELECT value FROM level WHERE value IS NOT NULL AND EXISTS (SELECT 1 "
            + line.format(level="v.price_level = level.value")
            + ") UNION ALL SELECT NULL WHERE EXISTS (SELECT 1 "
            + line.format(level="v.price_level IS NULL")
            + ")",
            [*line_params, *line_params],
        )
    }
    found |= {
        r[0]
        for r in conn.execute(
            f"SELECT DISTINCT v.price_level FROM investment_version v{join} "
            f"WHERE {versions.in_force('v')} AND v.year BETWEEN ? AND ?",
            [*join_params, day, day, first, last],
        )
    }
    where = " AND t.portfolio_id = ?" if portfolio_id is not None else ""
    found |= {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT v.price_level FROM target t JOIN target_version v "
            f"ON v.target_id = t.id WHERE {versions.in_force('v')} "
            f"AND (t.year BETWEEN ? AND ? OR t.from_year <= ?){where}",
            [day, day, first, last, last, *([portfolio_id] if portfolio_id is not None else [])],
        )
    }
    return sorted(found, key=lambda y: (y is None, y or 0))


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
                raise InvalidValue(msg("err.solution_other_project", code=found["code"]))
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
    on: str | None = None,
) -> dict[str, Any]:
    """A new saving line, in force from `on` (default today)."""
    from portefolje.domain.economics import check_saving
    from portefolje.store.register import assign_code

    values = _refs(w, values, project, department, solution)
    check_saving(values)
    on = on or today().isoformat()
    identity_id = versions.add(w, SAVING, {"code": assign_code(w, "saving", code)}, values, on)
    return savings(w.conn, [identity_id], as_of=date.fromisoformat(on))[0]


def edit_saving(
    w: Writer,
    ref: str,
    changes: dict[str, Any],
    *,
    project: str | None,
    department: str | None,
    solution: str | None,
    note: str | None,
    on: str | None = None,
) -> dict[str, Any]:
    """Change a saving from `on` (default today). A documented or budgeted figure never changes
    without a stated reason (--note), so the evidence stays traceable."""
    from portefolje.domain.economics import check_saving

    row = resolve(w.conn, "saving", ref)
    now = versions.current(w.conn, SAVING, row["id"])
    if now is None:
        raise Refused(msg("err.saving_removed", code=row["code"]))
    changes = _refs(
        w, {k: v for k, v in changes.items() if v is not None}, project, department, solution
    )
    # a year given replaces a from-year and the other way round (both given: refused below)
    if "year" in changes and "from_year" not in changes:
        changes["from_year"] = None
    elif "from_year" in changes and "year" not in changes:
        changes["year"] = None
    if note is not None:
        changes["note"] = note or None
    effective = {k: v for k, v in changes.items() if now.get(k) != v}
    if not effective:
        return savings(w.conn, [row["id"]], as_of=_after(now))[0]
    guarded = now["stage"] != "estimated" or changes.get("stage", "estimated") != "estimated"
    if guarded and not (note and note.strip() and note.strip() != (now["note"] or "").strip()):
        raise Refused(msg("err.saving_needs_note", code=row["code"], stage=word(now["stage"])))
    if changes.get("stage") in ("documented", "budgeted") and now["stage"] == "estimated":
        changes.setdefault("realised", now["realised"] or now["amount"])
    check_saving({**now, **changes})
    on = on or today().isoformat()
    versions.change(w, SAVING, row["id"], changes, on)
    return savings(w.conn, [row["id"]], as_of=date.fromisoformat(on))[0]


def _after(version: dict[str, Any]) -> date:
    """A day on which `version` is in force (for reading back the current figure)."""
    start = version["valid_from"]
    return max(today(), date.fromisoformat(start)) if start else today()


def remove(w: Writer, kind: str, ref: str, *, on: str | None = None) -> dict[str, Any]:
    """Remove a saving, investment or coverage line from `on` (default today): reports for
    earlier days still count it, and the journal keeps every version."""
    row = resolve(w.conn, kind, ref)
    v = versions.ALL[kind]
    now = versions.current(w.conn, v, row["id"])
    if now is None:
        raise Refused(msg("err.already_removed", what=record_name(kind, row["code"])))
    read = {"saving": savings, "investment": investments, "coverage": coverage}[kind]
    shown = read(w.conn, [row["id"]], as_of=_after(now))[0]
    versions.remove(w, v, row["id"], on or today().isoformat())
    return shown


def add_investment(
    w: Writer,
    values: dict[str, Any],
    *,
    project: str,
    department: str | None,
    code: str | None,
    on: str | None = None,
) -> dict[str, Any]:
    from portefolje.store.register import assign_code

    values = _refs(w, values, project, department)
    on = on or today().isoformat()
    identity_id = versions.add(
        w, INVESTMENT, {"code": assign_code(w, "investment", code)}, values, on
    )
    return investments(w.conn, [identity_id], as_of=date.fromisoformat(on))[0]


def edit_investment(
    w: Writer,
    ref: str,
    changes: dict[str, Any],
    *,
    project: str | None,
    department: str | None,
    on: str | None = None,
) -> dict[str, Any]:
    """Change an investment from `on`: its amount, or its status when an application is
    granted or rejected."""
    row = resolve(w.conn, "investment", ref)
    changes = _refs(w, {k: v for k, v in changes.items() if v is not None}, project, department)
    on = on or today().isoformat()
    versions.change(w, INVESTMENT, row["id"], changes, on)
    return investments(w.conn, [row["id"]], as_of=date.fromisoformat(on))[0]


def set_target(
    w: Writer,
    *,
    portfolio: str,
    amount: int,
    year: int | None,
    from_year: int | None,
    key: list[tuple[str, Fraction]] | None,
    price_level: int | None,
    note: str | None,
    on: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Set the portfolio's target for a year (or from a year onwards) from `on`. A target that
    exists keeps its distribution key, price level and note unless new ones are given; returns
    the target and what was kept. One target per portfolio and year: setting it again changes it."""
    from portefolje.store.register import assign_code

    pf = resolve(w.conn, "portfolio", portfolio)
    on = on or today().isoformat()
    existing = w.conn.execute(
        "SELECT id FROM target WHERE portfolio_id = ? AND year IS ? AND from_year IS ?",
        (pf["id"], year, from_year),
    ).fetchone()
    new_key = None if key is None else [(resolve(w.conn, "department", d)["id"], s) for d, s in key]
    values: dict[str, Any] = {"amount": amount, "price_level": price_level, "note": note}
    kept: list[str] = []
    if existing is None:
        target_id = w.insert(
            "target",
            {
                "code": assign_code(w, "target", None),
                "portfolio_id": pf["id"],
                "year": year,
                "from_year": from_year,
            },
        )
        now = None
    else:
        target_id = int(existing[0])
        now = versions.current(w.conn, TARGET, target_id)
    old_key: list[tuple[int, Fraction]] = []
    if now is not None:
        old_key = [(d, s) for d, _, s in target_shares(w.conn, [now["id"]]).get(now["id"], [])]
        for field in ("price_level", "note"):
            if values[field] is None and now[field] is not None:
                values[field] = now[field]
                kept.append(field.replace("_", " "))
        if new_key is None and old_key:
            kept.append("distribution key")
    if new_key is None:
        new_key = old_key
    if now is not None and all(now[k] == values[k] for k in TARGET.fields) and new_key == old_key:
        version_id = now["id"]
    elif now is not None and now["valid_from"] == on:
        w.update(TARGET.version, now["id"], values, action="correct")
        version_id = now["id"]
    else:
        if now is not None:
            versions.check_order(TARGET, now, on)
            w.update(TARGET.version, now["id"], {"valid_to": on}, action="close")
        version_id = w.insert(
            TARGET.version,
            {"target_id": target_id, "valid_from": on, "recorded_at": w.at}
            | {k: v for k, v in values.items() if v is not None},
        )
    _set_key(w, version_id, new_key)
    found = targets(w.conn, [target_id], as_of=date.fromisoformat(on))[0]
    return found, kept


def _set_key(w: Writer, version_id: int, key: list[tuple[int, Fraction]]) -> None:
    current = [(d, s) for d, _, s in target_shares(w.conn, [version_id]).get(version_id, [])]
    if current == key:
        return
    for (share_id,) in w.conn.execute(
        "SELECT id FROM target_share WHERE target_version_id = ?", (version_id,)
    ).fetchall():
        w.delete("target_share", share_id)
    for dept_id, share in key:
        w.insert(
            "target_share",
            {
                "target_version_id": version_id,
                "department_id": dept_id,
                "numerator": share.numerator,
                "denominator": share.denominator,
            },
        )


def remove_target(w: Writer, ref: str, *, on: str | None = None) -> dict[str, Any]:
    row = resolve(w.conn, "target", ref)
    now = versions.current(w.conn, TARGET, row["id"])
    if now is None:
        raise Refused(msg("err.already_removed", what=record_name("target", row["code"])))
    shown = targets(w.conn, [row["id"]], as_of=_after(now))[0]
    versions.remove(w, TARGET, row["id"], on or today().isoformat())
    return shown


def add_coverage(
    w: Writer,
    values: dict[str, Any],
    *,
    portfolio: str,
    department: str | None,
    code: str | None,
    on: str | None = None,
) -> dict[str, Any]:
    """Coverage of the target that is no project's saving: a frame cut placed in a department's
    budget, one-off money for one year, or a budget transfer."""
    from portefolje.store.register import assign_code

    pf = resolve(w.conn, "portfolio", portfolio)
    values = _refs(w, values, None, department)
    on = on or today().isoformat()
    identity_id = versions.add(
        w,
        COVERAGE,
        {"code": assign_code(w, "coverage", code), "portfolio_id": pf["id"]},
        values,
        on,
    )
    return coverage(w.conn, [identity_id], as_of=date.fromisoformat(on))[0]


def set_index(w: Writer, year: int, value: float) -> dict[str, Any]:
    value = check_index(value)
    row = w.conn.execute("SELECT id FROM price_index WHERE year = ?", (year,)).fetchone()
    if row is None:
        w.insert("price_index", {"code": f"PL{year}", "year": year, "value": value})
    else:
        w.update("price_index", int(row[0]), {"value": value}, action="set")
    return {"year": year, "value": value}
