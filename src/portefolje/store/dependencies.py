"""Dependencies (afhængigheder): a project waits for another project, or for a named initiative
outside the portfolio ("ungestrategien"). A dependency holds from `valid_from` until `valid_to`
(exclusive); ending it on a date keeps it in the history, so a report for an earlier day still
shows what the project waited for then.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from typing import Any

from portefolje.domain.dates import today
from portefolje.domain.errors import InvalidValue, Refused
from portefolje.domain.rules import require_text
from portefolje.i18n import msg, record_name
from portefolje.store.queries import in_clause
from portefolje.store.registry import resolve
from portefolje.store.write import Writer

IN_FORCE = "d.valid_from <= ? AND (d.valid_to IS NULL OR d.valid_to > ?)"


def _rows(
    conn: sqlite3.Connection, column: str, ids: list[int] | None, day: str | None
) -> list[dict[str, Any]]:
    clause, params = in_clause(f"d.{column}", ids)
    conditions = [c for c in (clause, IN_FORCE if day else "") if c]
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT d.id, d.project_id, d.on_project_id, p.code AS project, "
            "p.title AS project_title, "
            "q.code AS on_project, q.title AS on_title, d.external, d.note, "
            "d.valid_from AS since, d.valid_to AS ended FROM project_dependency d "
            "JOIN project p ON p.id = d.project_id LEFT JOIN project q ON q.id = d.on_project_id "
            f"{where} ORDER BY d.valid_from, d.id",
            [*params, *([day, day] if day else [])],
        )
    ]


def both_ways(
    conn: sqlite3.Connection, project_ids: list[int], as_of: date | None = None
) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Per project, the dependencies in force on the day: what it waits for (`depends_on`) and
    which projects wait for it (`needed_by`)."""
    day = (as_of or today()).isoformat()
    out: dict[int, dict[str, list[dict[str, Any]]]] = {
        pid: {"depends_on": [], "needed_by": []} for pid in project_ids
    }
    for r in _rows(conn, "project_id", project_ids, day):
        if r["project_id"] in out:
            out[r["project_id"]]["depends_on"].append(_on(r))
    for r in _rows(conn, "on_project_id", project_ids, day):
        if r["on_project_id"] in out:
            out[r["on_project_id"]]["needed_by"].append(
                {
                    "project": r["project"],
                    "title": r["project_title"],
                    "note": r["note"],
                    "since": r["since"],
                }
            )
    return out


def _on(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "project": r["on_project"],
        "external": r["external"],
        "title": r["on_title"] or r["external"],
        "note": r["note"],
        "since": r["since"],
    }


def waits_for(
    conn: sqlite3.Connection, project_ids: list[int] | None, as_of: date | None = None
) -> dict[int, list[str]]:
    """Per project, what it waits for on the day, as short text ('P3 Titel', 'ungestrategien')."""
    day = (as_of or today()).isoformat()
    out: dict[int, list[str]] = defaultdict(list)
    for r in _rows(conn, "project_id", project_ids, day):
        out[r["project_id"]].append(
            f"{r['on_project']} {r['on_title']}" if r["on_project"] else r["external"]
        )
    return out


def history(conn: sqlite3.Connection, project_id: int) -> list[dict[str, Any]]:
    """Every dependency of a project, ended ones too (the document's list)."""
    return [{**_on(r), "ended": r["ended"]} for r in _rows(conn, "project_id", [project_id], None)]


def _target(
    w: Writer, on_project: str | None, external: str | None
) -> tuple[int | None, str | None]:
    if (on_project is None) == (external is None):
        raise InvalidValue(msg("err.depends_what"))
    if on_project is not None:
        return int(resolve(w.conn, "project", on_project)["id"]), None
    return None, require_text(external, "what.initiative")


def _current(w: Writer, project_id: int, on_id: int | None, external: str | None) -> Any:
    return w.conn.execute(
        "SELECT * FROM project_dependency WHERE project_id = ? AND on_project_id IS ? "
        "AND (external IS ? OR lower(external) = lower(?)) AND valid_to IS NULL",
        (project_id, on_id, external, external),
    ).fetchone()


def depend(
    w: Writer,
    project: str,
    *,
    on_project: str | None,
    external: str | None,
    note: str | None,
    on: str,
) -> dict[str, Any]:
    """From `on`, `project` waits for another project or an outside initiative."""
    p = resolve(w.conn, "project", project)
    on_id, external = _target(w, on_project, external)
    if on_id == p["id"]:
        raise Refused(msg("err.depends_on_itself", code=p["code"]))
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
    if _current(w, p["id"], on_id, external) is not None:
        raise Refused(msg("err.depends_already", code=p["code"]))
    if on_id is not None and _reaches(w.conn, on_id, p["id"]):
        raise Refused(msg("err.depends_circle", code=p["code"]))
    w.insert(
        "project_dependency",
        {
            "project_id": p["id"],
            "on_project_id": on_id,
            "external": external,
            "note": note,
            "valid_from": on,
            "recorded_at": w.at,
        },
        action="depend",
    )
    return both_ways(w.conn, [p["id"]], date.fromisoformat(on))[p["id"]]


def end(
    w: Writer, project: str, *, on_project: str | None, external: str | None, on: str
) -> dict[str, Any]:
    """The dependency no longer holds from `on` (resolved, or no longer relevant); one that only
    started that day was never in force and goes entirely (the journal keeps it)."""
    p = resolve(w.conn, "project", project)
    on_id, external = _target(w, on_project, external)
    row = _current(w, p["id"], on_id, external)
    if row is None:
        raise Refused(msg("err.depends_none", code=p["code"]))
    if on < row["valid_from"]:
        raise Refused(msg("err.depends_end_early", date=row["valid_from"]))
    if on == row["valid_from"]:
        w.delete("project_dependency", row["id"])
    else:
        w.update("project_dependency", row["id"], {"valid_to": on}, action="end")
    return both_ways(w.conn, [p["id"]], date.fromisoformat(on))[p["id"]]


def _reaches(conn: sqlite3.Connection, start: int, goal: int) -> bool:
    """True when `start` waits (through dependencies still open) for `goal`."""
    row = conn.execute(
        "WITH RECURSIVE chain(id) AS (SELECT ? UNION SELECT d.on_project_id FROM "
        "project_dependency d JOIN chain c ON d.project_id = c.id "
        "WHERE d.valid_to IS NULL AND d.on_project_id IS NOT NULL) "
        "SELECT 1 FROM chain WHERE id = ?",
        (start, goal),
    ).fetchone()
    return row is not None
