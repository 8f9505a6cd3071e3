"""What changed in a period, for the status report's "changes since": every event and figure
version with its effective date in the window, filtered to the portfolio in SQL.

Many changes registered by one command (an import) come back as one summary per kind of
change, with a count and (for money) a total, so the report's size does not grow with the number
of imported lines: two statements per kind of change, whatever the data. The first counts the
changes per command in one pass over the window (without the joins a single change needs,
unless the portfolio filter needs them); the second reads the single changes of the commands
that were not summarised.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

# more rows than this from one command, for one kind of change, are summarised
SUMMARISE_OVER = 20
# and no kind of change lists more than this many single rows
DETAIL_CAP = 500

_PROJECT = "JOIN project p ON p.id = {fk} JOIN segment s ON s.id = p.segment_id"
_PROJECT_OPTIONAL = (
    "LEFT JOIN project p ON p.id = {fk} LEFT JOIN segment s ON s.id = p.segment_id "
    "LEFT JOIN portfolio pf ON pf.id = coalesce(s.portfolio_id, {pf})"
)


@dataclass(frozen=True)
class Source:
    kind: str  # the report's word for the change
    table: str  # the event or version table, aliased x
    day: str  # the column with the effective date
    join: str  # joins that give p (project) and s (segment), maybe pf
    owner: str  # SQL for the code shown in the report's project column
    portfolio: str  # SQL for the portfolio id, for the filter
    fields: str  # what the report needs to describe one change
    money: str = "NULL"  # an amount to total in a summary
    previous: str = ""  # a join that only describing a single change needs (the version before)
    scope: str = ""  # the portfolio filter as a condition on x alone (one parameter), if it has one
    # an index on (recorded_at, the effective date): the first and last date of a command's
    # changes are then two seeks, not two more aggregates over each of its rows
    seekable: bool = False


# a figure's project is x.project_id: the portfolio filter is a set of project ids, built once
_IN_PORTFOLIO = (
    "x.project_id IN (SELECT pp.id FROM project pp JOIN segment ss ON ss.id = pp.segment_id "
    "WHERE ss.portfolio_id = ?)"
)


SOURCES: tuple[Source, ...] = (
    Source(
        "status",
        "project_event",
        "x.date",
        _PROJECT.format(fk="x.project_id"),
        "p.code",
        "s.portfolio_id",
        "x.kind AS event, x.dimension, x.old_value, x.new_value, x.note",
    ),
    Source(
        "solution",
        "solution_event",
        "x.date",
        "JOIN solution l ON l.id = x.solution_id " + _PROJECT.format(fk="l.project_id"),
        "p.code",
        "s.portfolio_id",
        "l.code, l.title, x.old_status, x.new_status, x.note",
    ),
    Source(
        "milestone",
        "milestone_event",
        "x.date",
        "JOIN milestone m ON m.id = x.milestone_id "
        + _PROJECT_OPTIONAL.format(fk="m.project_id", pf="m.portfolio_id"),
        "coalesce(p.code, pf.code)",
        "coalesce(s.portfolio_id, m.portfolio_id)",
        "m.code, m.title, x.kind AS event, x.reason",
    ),
    Source(
        "milestone_move",
        "milestone_move",
        "x.moved_on",
        "JOIN milestone m ON m.id = x.milestone_id "
        + _PROJECT_OPTIONAL.format(fk="m.project_id", pf="m.portfolio_id"),
        "coalesce(p.code, pf.code)",
        "coalesce(s.portfolio_id, m.portfolio_id)",
        "m.code, m.title, x.old_due, x.new_due, x.reason",
    ),
    Source(
        "deliverable_move",
        "deliverable_postponement",
        "x.postponed_on",
        "JOIN deliverable d ON d.id = x.deliverable_id "
        "LEFT JOIN portfolio pf ON pf.id = d.portfolio_id",
        "coalesce((SELECT group_concat(pp.code, ', ') FROM deliverable_project dp JOIN project pp "
        "ON pp.id = dp.project_id WHERE dp.deliverable_id = d.id), pf.code, '')",
        "coalesce(d.portfolio_id, (SELECT ss.portfolio_id FROM deliverable_project dp JOIN project "
        "pp ON pp.id = dp.project_id JOIN segment ss ON ss.id = pp.segment_id "
        "WHERE dp.deliverable_id = d.id LIMIT 1))",
        "d.code, d.title, x.old_date, x.new_date, x.reason, x.kind AS event",
    ),
    Source(
        "deliverable",
        "deliverable_event",
        "x.date",
        "JOIN deliverable d ON d.id = x.deliverable_id JOIN committee c ON c.id = d.committee_id "
        "LEFT JOIN portfolio pf ON pf.id = d.portfolio_id",
        "coalesce((SELECT group_concat(pp.code, ', ') FROM deliverable_project dp JOIN project pp "
        "ON pp.id = dp.project_id WHERE dp.deliverable_id = d.id), pf.code, '')",
        "coalesce(d.portfolio_id, (SELECT ss.portfolio_id FROM deliverable_project dp JOIN project "
        "pp ON pp.id = dp.project_id JOIN segment ss ON ss.id = pp.segment_id "
        "WHERE dp.deliverable_id = d.id LIMIT 1))",
        "d.code, d.title, c.code AS committee, x.kind AS event, x.reason",
    ),
    Source(
        "measurement",
        "indicator_measurement",
        "x.date",
        "JOIN indicator i ON i.id = x.indicator_id "
        + _PROJECT_OPTIONAL.format(fk="i.project_id", pf="i.portfolio_id"),
        "coalesce(p.code, pf.code)",
        "coalesce(s.portfolio_id, i.portfolio_id)",
        "i.code, i.name, i.unit, x.value",
    ),
    Source(
        "saving",
        "saving_version",
        "x.valid_from",
        "JOIN saving i ON i.id = x.saving_id " + _PROJECT.format(fk="x.project_id"),
        "p.code",
        "s.portfolio_id",
        "i.code, x.amount, x.realised, x.stage, x.attribution, prev.amount AS old_amount, "
        "prev.realised AS old_realised, prev.stage AS old_stage, prev.id IS NOT NULL AS revised",
        "coalesce(x.realised, x.amount)",
        "LEFT JOIN saving_version prev ON prev.saving_id = x.saving_id "
        "AND prev.valid_to = x.valid_from",
        _IN_PORTFOLIO,
        seekable=True,  # saving_version_recorded
    ),
    Source(
        "investment",
        "investment_version",
        "x.valid_from",
        "JOIN investment i ON i.id = x.investment_id " + _PROJECT.format(fk="x.project_id"),
        "p.code",
        "s.portfolio_id",
        "i.code, x.amount, x.status, x.year, prev.amount AS old_amount, "
        "prev.status AS old_status, prev.id IS NOT NULL AS revised",
        "x.amount",
        "LEFT JOIN investment_version prev ON prev.investment_id = x.investment_id "
        "AND prev.valid_to = x.valid_from",
        _IN_PORTFOLIO,
    ),
    Source(
        "target",
        "target_version",
        "x.valid_from",
        "JOIN target i ON i.id = x.target_id JOIN portfolio pf ON pf.id = i.portfolio_id",
        "pf.code",
        "i.portfolio_id",
        "i.code, i.year, i.from_year, x.amount, prev.amount AS old_amount, "
        "prev.id IS NOT NULL AS revised",
        "x.amount",
        "LEFT JOIN target_version prev ON prev.target_id = x.target_id "
        "AND prev.valid_to = x.valid_from",
    ),
    Source(
        "coverage",
        "coverage_version",
        "x.valid_from",
        "JOIN coverage i ON i.id = x.coverage_id JOIN portfolio pf ON pf.id = i.portfolio_id",
        "pf.code",
        "i.portfolio_id",
        "i.code, x.kind AS event, x.year, x.from_year, x.amount, prev.amount AS old_amount, "
        "prev.id IS NOT NULL AS revised",
        "x.amount",
        "LEFT JOIN coverage_version prev ON prev.coverage_id = x.coverage_id "
        "AND prev.valid_to = x.valid_from",
    ),
)

# figures that were removed in the window: a version ending there with no successor
REMOVALS: tuple[tuple[str, str, str, str, str], ...] = (
    ("saving", "saving_version", "saving_id", "saving", "x.realised, x.stage"),
    ("investment", "investment_version", "investment_id", "investment", "NULL, NULL"),
)


def _where(src: Source, portfolio_id: int | None) -> tuple[str, list[Any]]:
    where = f"{src.day} BETWEEN ? AND ?"
    if portfolio_id is None:
        return where, []
    return f"{where} AND {src.scope or src.portfolio + ' = ?'}", [portfolio_id]


def changes(
    conn: sqlite3.Connection, portfolio_id: int | None, since: str, until: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(single changes, summaries) with an effective date in [since, until] (both included).
    A summary is one command's many changes of one kind: kind, recorded_at, count, total."""
    import json

    details: list[dict[str, Any]] = []
    summaries: list[dict[str, Any]] = []
    for src in SOURCES:
        where, extra = _where(src, portfolio_id)
        params = [since, until, *extra]
        # the joins only filter here when the portfolio condition reads them (a change's record
        # and project always exist: the foreign keys say so)
        joins = src.join if portfolio_id is not None and not src.scope else ""
        # the commands whose changes are listed one by one: read through the index on
        # recorded_at, instead of passing over every change in the window to leave out the
        # summarised ones (at L, 200,000 imported savings lines for no row)
        single: list[str] = []
        counted = _per_command(src, joins, where, params, scoped=portfolio_id is not None)
        for recorded, n, total, first, last in conn.execute(*counted):
            if n <= SUMMARISE_OVER:
                single.append(recorded)
                continue
            summaries.append(
                {
                    "kind": src.kind,
                    "recorded_at": recorded,
                    "count": n,
                    "total": total,
                    "first": first,
                    "last": last,
                }
            )
        for row in conn.execute(
            f"SELECT {src.day} AS date, {src.owner} AS project, {src.fields} "
            f"FROM {src.table} x {src.join} {src.previous} WHERE {where} "
            "AND (x.recorded_at IS NULL OR x.recorded_at IN (SELECT value FROM json_each(?))) "
            f"ORDER BY {src.day}, x.id LIMIT {DETAIL_CAP}",
            [*params, json.dumps(single)],
        ):
            details.append({"kind": src.kind, **dict(row)})
    details += _removals(conn, portfolio_id, since, until)
    return details, summaries


def _per_command(
    src: Source, joins: str, where: str, params: list[Any], *, scoped: bool
) -> tuple[str, list[Any]]:
    """The statement counting a kind's changes in the window per command (recorded_at): how
    many, their total, the first and last effective date."""
    grouped = (
        f"FROM {src.table} x {joins} WHERE {where} AND x.recorded_at IS NOT NULL "
        "GROUP BY x.recorded_at"
    )
    if not src.seekable or scoped:
        sql = f"SELECT x.recorded_at, count(*), sum({src.money}), min({src.day}), max({src.day}) "
        return sql + grouped, params
    # the window's first and last date of each command read from the index: at L 200,000
    # imported savings lines are summed once instead of aggregated three times over
    day = src.day.replace("x.", "y.")
    edge = (
        "(SELECT {f}(" + day + f") FROM {src.table} y WHERE y.recorded_at = g.recorded_at "
        f"AND {day} BETWEEN ? AND ?)"
    )
    sql = (
        f"SELECT g.recorded_at, g.n, g.total, {edge.format(f='min')}, {edge.format(f='max')} "
        f"FROM (SELECT x.recorded_at, count(*) AS n, sum({src.money}) AS total {grouped}) g"
    )
    return sql, params * 3  # the window (since, until) for each edge, then for the count


def _removals(
    conn: sqlite3.Connection, portfolio_id: int | None, since: str, until: str
) -> list[dict[str, Any]]:
    out = []
    for kind, table, fk, identity, fields in REMOVALS:
        extra = " AND s.portfolio_id = ?" if portfolio_id is not None else ""
        for row in conn.execute(
            f"SELECT x.valid_to AS date, p.code AS project, i.code, x.amount, "
            f"{fields.replace(', ', ' AS realised, ', 1)} AS stage "
            f"FROM {table} x JOIN {identity} i ON i.id = x.{fk} "
            "JOIN project p ON p.id = x.project_id JOIN segment s ON s.id = p.segment_id "
            # the versions ending in the window, found by their ids: SQLite reads them from a
            # narrow covering index (at L 200,000 entries of six columns, not the wide rows)
            f"WHERE x.id IN (SELECT id FROM {table} WHERE valid_to BETWEEN ? AND ?){extra} "
            f"AND NOT EXISTS (SELECT 1 FROM {table} n "
            f"WHERE n.{fk} = x.{fk} AND n.valid_from = x.valid_to) "
            f"ORDER BY x.valid_to, x.id LIMIT {DETAIL_CAP}",
            [since, until, *([portfolio_id] if portfolio_id is not None else [])],
        ):
            out.append({"kind": kind, "removed": True, **dict(row)})
    return out


def commands(conn: sqlite3.Connection, recorded: list[str]) -> dict[str, str]:
    """The command line that made the changes registered at each of these moments (one
    statement, even for none: the report's statement count does not depend on the data)."""
    import json

    return {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT v.value, (SELECT j.command FROM journal j WHERE j.at = v.value LIMIT 1) "
            "FROM json_each(?) v",
            (json.dumps(recorded),),
        )
    }
