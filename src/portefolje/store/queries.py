"""Read queries that shape records for output: the JSON shape of each kind (references as codes).

Each function runs a fixed number of queries however many records there are: related lists
(departments, health) are fetched in one query each and joined in Python by id.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sized
from datetime import date
from typing import Any

from portefolje.domain.dates import today
from portefolje.store.registry import resolve


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(sql, params)]


def portfolios(conn: sqlite3.Connection, ids: list[int] | None = None) -> list[dict[str, Any]]:
    where, params = where_in("id", ids)
    return _rows(
        conn,
        f"SELECT id, code, name, owner, description FROM portfolio {where} ORDER BY id",
        params,
    )


def departments(conn: sqlite3.Connection, ids: list[int] | None = None) -> list[dict[str, Any]]:
    where, params = where_in("id", ids)
    return _rows(conn, f"SELECT id, code, name FROM department {where} ORDER BY id", params)


def committees(conn: sqlite3.Connection, ids: list[int] | None = None) -> list[dict[str, Any]]:
    where, params = where_in("id", ids)
    return _rows(conn, f"SELECT id, code, name FROM committee {where} ORDER BY id", params)


def segments(
    conn: sqlite3.Connection, ids: list[int] | None = None, portfolio: str | None = None
) -> list[dict[str, Any]]:
    clauses, params = [], []
    if ids is not None:
        clauses.append(f"s.id IN ({marks(ids)})")
        params += ids
    if portfolio is not None:
        clauses.append("s.portfolio_id = ?")
        params.append(resolve(conn, "portfolio", portfolio)["id"])
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return _rows(
        conn,
        "SELECT s.id, s.code, s.name, pf.code AS portfolio, s.category, s.track, s.population, "
        f"s.annual_cost, s.description FROM segment s JOIN portfolio pf ON pf.id = s.portfolio_id "
        f"{where} ORDER BY s.id",
        tuple(params),
    )


PROJECT_COLUMNS = (
    "p.id, p.code, p.title, s.code AS segment, pf.code AS portfolio, st.new_value AS status, "
    "st.date AS status_date, st.note AS status_reason, ph.new_value AS phase, p.owner, p.leader, "
    "p.start_date, p.end_date, p.purpose, p.case_number, p.success_criteria, p.risks, "
    "p.deliverables, p.stakeholders, p.steering_group, p.participants, p.reference_group, "
    "p.benefits, p.prerequisites"
)


def latest_events(kind: str, ids: list[int] | None = None) -> tuple[str, list[Any]]:
    """A subquery of each project's latest event of `kind` on or before the as-of date (the
    first parameter), numbered n = 1: how every project fact is read on a day."""
    clause, params = in_clause("project_id", ids)
    return (
        "SELECT project_id, dimension, new_value, date, note, row_number() OVER ("
        "PARTITION BY project_id, dimension ORDER BY date DESC, id DESC) AS n "
        f"FROM project_event WHERE kind = '{kind}' AND date <= ?"
        + (f" AND {clause}" if clause else ""),
        params,
    )


def _latest_event(kind: str, dimension: str | None = None) -> str:
    """The id of project p's latest event of `kind` (of one health `dimension`) on or before
    the day (one parameter)."""
    of = f"AND e.dimension = '{dimension}' " if dimension else ""
    return (
        f"SELECT e.id FROM project_event e WHERE e.project_id = p.id AND e.kind = '{kind}' "
        f"{of}AND e.date <= ? ORDER BY e.date DESC, e.id DESC LIMIT 1"
    )


def _project_rows(
    conn: sqlite3.Connection,
    ids: list[int] | None,
    portfolio: str | None,
    segment: str | None,
    status: str | None,
    day: str,
) -> tuple[str, list[Any]]:
    """FROM … ORDER BY of `projects` and its parameters: each project's latest status and phase
    by one backward seek in project_event_project (project_id, kind, date, id), no window over
    every event and no sort of the wide rows."""
    clauses: list[str] = []
    params: list[Any] = []
    if ids is not None:
        clauses.append(f"p.id IN ({marks(ids)})")
        params += ids
    if portfolio is not None:
        clauses.append("pf.id = ?")
        params.append(resolve(conn, "portfolio", portfolio)["id"])
    if segment is not None:
        clauses.append("s.id = ?")
        params.append(resolve(conn, "segment", segment)["id"])
    if status is not None:
        clauses.append("st.new_value = ?")
        params.append(status)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return (
        "FROM project p JOIN segment s ON s.id = p.segment_id "
        "JOIN portfolio pf ON pf.id = s.portfolio_id "
        f"{'LEFT ' if ids is not None else ''}JOIN project_event st "
        f"ON st.id = ({_latest_event('status')}) "
        f"LEFT JOIN project_event ph ON ph.id = ({_latest_event('phase')}) {where} ORDER BY p.id",
        [day, day, *params],
    )


def projects(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    portfolio: str | None = None,
    segment: str | None = None,
    status: str | None = None,
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    """Projects as they stood on `as_of` (default today): status, phase and health per dimension
    are each the latest event on or before that day. A list leaves out projects that did not
    exist yet; asked for by id, such a project comes back with status None."""
    day = (as_of or today()).isoformat()
    rest, params = _project_rows(conn, ids, portfolio, segment, status, day)
    records = _rows(conn, f"SELECT {PROJECT_COLUMNS} {rest}", params)
    if not records:
        return records
    wanted = [r["id"] for r in records]
    depts = project_departments(conn, wanted)
    health = project_health(conn, wanted, day)
    for rec in records:
        rec["departments"] = depts.get(rec["id"], [])
        rec["health"] = health.get(rec["id"], {})
    return records


def project_summaries(
    conn: sqlite3.Connection, portfolio_id: int | None, as_of: date
) -> list[dict[str, Any]]:
    """The projects of a selection as the status report reads them on `as_of`, in one
    statement: status (with its date and note), phase, and overall health (colour and comment),
    each the latest event on or before the day by one backward seek in project_event_project.
    What `projects` gives, less what the report never shows (the project sheet's texts, the
    departments, the other health dimensions): at L a third of its time."""
    where, params = "", []
    if portfolio_id is not None:
        where, params = "WHERE s.portfolio_id = ?", [portfolio_id]
    day = as_of.isoformat()
    return _rows(
        conn,
        "SELECT p.id, p.code, p.title, s.code AS segment, st.new_value AS status, "
        "st.date AS status_date, st.note AS status_reason, ph.new_value AS phase, "
        "h.new_value AS health, h.note AS health_comment "
        "FROM project p JOIN segment s ON s.id = p.segment_id "
        f"JOIN project_event st ON st.id = ({_latest_event('status')}) "
        f"LEFT JOIN project_event ph ON ph.id = ({_latest_event('phase')}) "
        f"LEFT JOIN project_event h ON h.id = ({_latest_event('health', 'overall')}) "
        f"{where} ORDER BY p.id",
        [day, day, day, *params],
    )


# a project's departments and health as `projects` nests them, as JSON, for project p
_DEPARTMENTS_JSON = (
    "json((SELECT json_group_array(d.code) FROM project_department pd "
    "JOIN department d ON d.id = pd.department_id WHERE pd.project_id = p.id "
    "ORDER BY pd.department_id))"
)
_HEALTH_JSON = (
    "json((SELECT json_group_object(h.dimension, json_object('color', h.new_value, "
    "'comment', h.note, 'date', h.date)) FROM (SELECT e.dimension, e.new_value, e.note, e.date "
    "FROM project_event e WHERE e.project_id = p.id AND e.kind = 'health' AND e.date <= ? "
    "AND e.id = (SELECT f.id FROM project_event f WHERE f.project_id = p.id "
    "AND f.kind = 'health' AND f.dimension = e.dimension AND f.date <= ? "
    "ORDER BY f.date DESC, f.id DESC LIMIT 1) ORDER BY e.dimension) h))"
)


def project_lines(
    conn: sqlite3.Connection,
    *,
    portfolio: str | None = None,
    segment: str | None = None,
    status: str | None = None,
    as_of: date | None = None,
) -> Iterator[str]:
    """`projects` for `project list --json`: each project already encoded, in one statement
    (json_lines), departments and health (dimensions in name order, as `projects` has them)
    nested by SQLite."""
    day = (as_of or today()).isoformat()
    rest, params = _project_rows(conn, None, portfolio, segment, status, day)
    select = f"{PROJECT_COLUMNS}, {_DEPARTMENTS_JSON} AS departments, {_HEALTH_JSON} AS health"
    return json_lines(conn, select, rest, [day, day, *params])


def project_departments(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[str]]:
    clause, params = in_clause("pd.project_id", ids)
    out: dict[int, list[str]] = defaultdict(list)
    for r in conn.execute(
        "SELECT pd.project_id, d.code FROM project_department pd "
        "JOIN department d ON d.id = pd.department_id "
        f"{'WHERE ' + clause if clause else ''} ORDER BY pd.project_id, d.id",
        params,
    ):
        out[r[0]].append(r[1])
    return out


def project_health(
    conn: sqlite3.Connection, ids: list[int] | None, day: str
) -> dict[int, dict[str, Any]]:
    """Each project's health per dimension on `day`: colour, comment and the date it was set."""
    sql, params = latest_events("health", ids)
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    for r in conn.execute(
        f"SELECT project_id, dimension, new_value, note, date FROM ({sql}) WHERE n = 1",
        (day, *params),
    ):
        out[r[0]][r[1]] = {"color": r[2], "comment": r[3], "date": r[4]}
    return out


def project_history(conn: sqlite3.Connection, project_id: int) -> list[dict[str, Any]]:
    return _rows(
        conn,
        "SELECT date, kind, dimension, old_value AS 'from', new_value AS 'to', note "
        "FROM project_event WHERE project_id = ? ORDER BY date, id",
        (project_id,),
    )


# the rows that belong to a project, by table: read through the journal's record index
_PROJECT_RECORDS = (
    ("project_event", "SELECT id FROM project_event WHERE project_id = :p"),
    ("solution", "SELECT id FROM solution WHERE project_id = :p"),
    (
        "solution_event",
        "SELECT e.id FROM solution_event e JOIN solution s ON s.id = e.solution_id "
        "WHERE s.project_id = :p",
    ),
    ("milestone", "SELECT id FROM milestone WHERE project_id = :p"),
    (
        "milestone_move",
        "SELECT e.id FROM milestone_move e JOIN milestone m ON m.id = e.milestone_id "
        "WHERE m.project_id = :p",
    ),
    (
        "milestone_event",
        "SELECT e.id FROM milestone_event e JOIN milestone m ON m.id = e.milestone_id "
        "WHERE m.project_id = :p",
    ),
    ("indicator", "SELECT id FROM indicator WHERE project_id = :p"),
    (
        "indicator_measurement",
        "SELECT e.id FROM indicator_measurement e JOIN indicator i ON i.id = e.indicator_id "
        "WHERE i.project_id = :p",
    ),
    ("saving_version", "SELECT id FROM saving_version WHERE project_id = :p"),
    ("saving", "SELECT DISTINCT saving_id FROM saving_version WHERE project_id = :p"),
    ("investment_version", "SELECT id FROM investment_version WHERE project_id = :p"),
    (
        "investment",
        "SELECT DISTINCT investment_id FROM investment_version WHERE project_id = :p",
    ),
)


def journal(
    conn: sqlite3.Connection,
    *,
    since: str | None = None,
    project_id: int | None = None,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Journal rows, oldest first, one at a time (the journal of a large portfolio holds a
    million rows), one per record: a batch row (store/batches.py) as the records it added, with
    before and after decoded. `project_id` keeps the project's own rows and those of the
    records that belong to it (events, solutions, milestones, savings …), read by the journal's
    record index rather than by scanning the journal; removed records are found among the
    removal rows. `limit` counts records."""
    import json

    from portefolje.store.batches import containing, expand

    clauses: list[str] = []
    params: dict[str, Any] = {}
    owned: set[tuple[str, int]] | None = None
    if since is not None:
        clauses.append("at >= :since")
        params["since"] = since
    if project_id is not None:
        union = " UNION ALL ".join(
            f"SELECT '{table}' AS e, * FROM ({sql})" for table, sql in _PROJECT_RECORDS
        )
        records = f"SELECT 'project' AS e, :p AS i UNION ALL {union}"
        owned = {(r[0], int(r[1])) for r in conn.execute(records, {"p": project_id})}
        # the same records, handed back rather than looked up a second time
        params["owned"] = json.dumps(sorted(owned))
        owned_rows = (
            "SELECT json_extract(value, '$[0]') AS e, json_extract(value, '$[1]') AS i "
            "FROM json_each(:owned)"
        )
        batch = containing("r.e", "r.i", "j")
        clauses.append(
            f"id IN (WITH r AS ({owned_rows}) SELECT j.id FROM r JOIN journal j "
            "ON j.entity = r.e AND j.entity_id = r.i AND j.batch IS NULL "
            f"UNION SELECT j.id FROM r JOIN journal j ON {batch} "
            "UNION SELECT id FROM journal WHERE action = 'remove' "
            "AND json_extract(before, '$.project_id') = :p)"
        )
        params["p"] = project_id
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    cursor = conn.execute(
        "SELECT id, at, actor, os_user, app_version, command, entity, entity_id, code, action, "
        f"before, after, batch FROM journal {where} ORDER BY id",
        params,
    )
    given = 0
    for stored in cursor:
        for row in expand(dict(stored)):
            batched = row.pop("batch") is not None
            if batched and owned is not None and (row["entity"], row["entity_id"]) not in owned:
                continue  # a batch holds other projects' records too
            yield row
            given += 1
            if limit and given >= limit:
                cursor.close()
                return


def stream(conn: sqlite3.Connection, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
    """The rows of `sql` as dicts, one at a time, for a list printed as it is read."""
    cursor = conn.execute(sql, params)
    keys = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(keys, row, strict=True))


def json_lines(
    conn: sqlite3.Connection,
    select: str,
    rest: str,
    params: Any = (),
    *,
    floats: tuple[str, ...] = (),
) -> Iterator[str]:
    """Each row of `SELECT {select} {rest}` as one compact JSON object keyed by the select
    list's output names, built by SQLite (json_object): the bytes Python's compact encoder
    (ensure_ascii off) writes for the same dict, at a fraction of the cost per row, since no
    row becomes Python objects. SQLite escapes strings exactly as Python does; a REAL prints
    alike when it has one decimal and under 14 digits, so a value in `floats` (output names)
    past that comes back as a column of its own and that row is encoded by Python."""
    import json

    pairs = [_output(part) for part in _parts(select)]
    obj = "json_object(" + ", ".join(f"'{name}', {e}" for e, name in pairs) + ")"
    if not floats:
        for (line,) in conn.execute(f"SELECT {obj} {rest}", params):
            yield line
        return
    expr = dict((name, e) for e, name in pairs)
    odd = " OR ".join(f"abs({expr[f]}) >= 1e13 OR round({expr[f]}, 1) <> {expr[f]}" for f in floats)
    raw = ", ".join(expr[f] for f in floats)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for line, flag, *values in conn.execute(
        f"SELECT {obj}, CASE WHEN {odd} THEN 1 END, {raw} {rest}", params
    ):
        if flag is not None:
            item = json.loads(line)
            item.update((f, v) for f, v in zip(floats, values, strict=True) if v is not None)
            line = encode(item)
        yield line


def only(select: str, names: Iterable[str] | None) -> str:
    """The parts of a select list whose output names are in `names` (all when None): a table
    reads only the columns it prints."""
    if names is None:
        return select
    wanted = set(names)
    return ", ".join(part for part in _parts(select) if _output(part)[1] in wanted)


def _parts(select: str) -> list[str]:
    """A select list split at its top-level commas (not those inside calls or quotes)."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(select):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "()":
            depth += 1 if ch == "(" else -1
        elif not quoted and depth == 0 and ch == ",":
            parts.append(select[start:i])
            start = i + 1
    return [*parts, select[start:]]


def _output(part: str) -> tuple[str, str]:
    """'v.valid_from AS since' -> ('v.valid_from', 'since'); 's.code' -> ('s.code', 'code')."""
    e, _, alias = part.strip().rpartition(" AS ")
    if not e:  # no alias: the column's own name
        e, alias = alias, alias.rsplit(".", 1)[-1]
    return e, alias


def marks(values: Sized) -> str:
    """One `?` per value, comma-separated: the inside of `IN (…)` for a list of ids or codes."""
    return ",".join("?" * len(values))


def in_clause(column: str, ids: list[int] | None) -> tuple[str, list[Any]]:
    """'column IN (?, ...)' for a short id list; '' (no filter) when `ids` is None or too long
    for one statement's parameters, where reading everything is also the cheaper plan."""
    if ids is None or len(ids) > 500:
        return "", []
    return f"{column} IN ({marks(ids)})", list(ids)


def where_in(column: str, ids: list[int] | None) -> tuple[str, tuple[Any, ...]]:
    """'WHERE column IN (?, ...)' and its parameters; no filter when `ids` is None (every
    record). The caller keeps `ids` within one statement's parameters."""
    if ids is None:
        return "", ()
    return f"WHERE {column} IN ({marks(ids)})", tuple(ids)


RECORDS = {
    "portfolio": portfolios,
    "department": departments,
    "committee": committees,
    "segment": segments,
    "project": projects,
}


def record(
    conn: sqlite3.Connection, kind: str, ref: str | int, as_of: date | None = None
) -> dict[str, Any]:
    """One record in its output shape, by id, code or name; a project as it stood on `as_of`."""
    row = resolve(conn, kind, ref)
    if kind == "project":
        return projects(conn, [row["id"]], as_of=as_of)[0]
    return RECORDS[kind](conn, [row["id"]])[0]
