"""Changes to the register, each inside a Writer (one transaction, journaled).

The CLI has already parsed dates, amounts and enums; these functions resolve references inside
the write lock, apply the domain rules and write.
"""

from __future__ import annotations

from typing import Any

from portefolje.domain import rules
from portefolje.domain.dates import today
from portefolje.domain.errors import InvalidValue, Refused
from portefolje.store import queries
from portefolje.store.registry import KINDS, next_code, resolve
from portefolje.store.write import Writer


def add(w: Writer, kind: str, values: dict[str, Any], code: str | None = None) -> dict[str, Any]:
    """Insert a record with the given or a generated code; return it in its output shape."""
    values = {k: v for k, v in values.items() if v is not None}
    values["code"] = rules.check_code(code) if code else next_code(w.conn, kind)
    new_id = w.insert(KINDS[kind].table, values)
    if kind in queries.RECORDS:
        return queries.RECORDS[kind](w.conn, [new_id])[0]
    return w.row(KINDS[kind].table, new_id)


def edit(w: Writer, kind: str, ref: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change the given columns (None = leave as is, '' = clear)."""
    row = resolve(w.conn, kind, ref)
    clean: dict[str, Any] = {}
    for column, value in changes.items():
        if value is None:
            continue
        clean[column] = None if value == "" else value
    if "code" in clean:
        clean["code"] = rules.check_code(clean["code"] or "")
    for label in ("name", "title"):
        if label in clean:
            clean[label] = rules.require_text(clean[label], label)
    w.update(KINDS[kind].table, row["id"], clean)
    if kind in queries.RECORDS:
        return queries.RECORDS[kind](w.conn, [row["id"]])[0]
    return w.row(KINDS[kind].table, row["id"])


def set_departments(w: Writer, project_id: int, refs: list[str]) -> None:
    """Replace a project's departments (by id, code or name); journaled as one change."""
    from portefolje.store.transfer import spec, sync_links

    codes = [resolve(w.conn, "department", ref)["code"] for ref in refs]
    sync_links(w, "project", project_id, spec("projects").links[0], codes)


def add_project(
    w: Writer,
    values: dict[str, Any],
    *,
    segment: str,
    departments: list[str],
    code: str | None = None,
    status_date: str | None = None,
) -> dict[str, Any]:
    values = dict(values)
    values["segment_id"] = resolve(w.conn, "segment", segment)["id"]
    _check_period(values.get("start_date"), values.get("end_date"))
    values["status"] = "active"
    values["status_date"] = status_date or values.get("start_date") or today().isoformat()
    record = add(w, "project", values, code)
    if departments:
        set_departments(w, record["id"], departments)
    w.insert(
        "project_event",
        {
            "project_id": record["id"],
            "date": record["status_date"],
            "kind": "status",
            "old_value": None,
            "new_value": "active",
            "note": "created",
        },
    )
    return queries.projects(w.conn, [record["id"]])[0]


def edit_project(
    w: Writer,
    ref: str,
    changes: dict[str, Any],
    *,
    segment: str | None,
    departments: list[str] | None,
) -> dict[str, Any]:
    row = resolve(w.conn, "project", ref)
    if segment is not None:
        changes["segment_id"] = resolve(w.conn, "segment", segment)["id"]
    start = changes.get("start_date") or row["start_date"]
    end = changes.get("end_date") or row["end_date"]
    _check_period(start, end)
    edit(w, "project", str(row["id"]), changes)
    if departments is not None:
        set_departments(w, row["id"], departments)
    return queries.projects(w.conn, [row["id"]])[0]


def change_status(w: Writer, ref: str, verb: str, *, on: str, reason: str | None) -> dict[str, Any]:
    """pause / resume / close / reopen with an effective date and a reason."""
    row = resolve(w.conn, "project", ref)
    target = rules.transition(row["code"], row["status"], verb)
    if verb in ("pause", "reopen"):
        reason = rules.require_text(reason, f"a reason (--reason) to {verb} a project")
    day = on
    if row["status_date"] and day < row["status_date"]:
        raise Refused(
            f"the date {day} is before the project's last status change ({row['status_date']}); "
            "status dates cannot run backwards"
        )
    w.update("project", row["id"], {"status": target, "status_date": day}, action=verb)
    w.insert(
        "project_event",
        {
            "project_id": row["id"],
            "date": day,
            "kind": "status",
            "old_value": row["status"],
            "new_value": target,
            "note": reason,
        },
    )
    if verb == "close":
        _benefits_follow_up(w, row, day)
    return queries.projects(w.conn, [row["id"]])[0]


FOLLOW_UP = "Gevinstopfølgning"


def _benefits_follow_up(w: Writer, project: dict[str, Any], closed_on: str) -> None:
    """A project closed with benefits still open gets a follow-up milestone a year later: the
    state's project model asks for a benefits report one year after closing."""
    from datetime import date as _date

    from portefolje.domain.dates import add_months
    from portefolje.store import indicators, milestones

    open_items = [f"indicator {i['code']}" for i in indicators.unmet(w.conn, project["id"])]
    open_items += open_savings(w.conn, project["id"])
    if not open_items:
        return
    due = add_months(_date.fromisoformat(closed_on), 12).isoformat()
    milestones.add(
        w,
        f"{FOLLOW_UP}: {project['title']}",
        due=due,
        project=str(project["id"]),
        portfolio=None,
        code=None,
        note="Åbne gevinster ved lukning: " + ", ".join(open_items),
    )


def open_savings(conn: Any, project_id: int) -> list[str]:
    """Codes of the project's estimated (not yet documented) savings."""
    rows = conn.execute(
        "SELECT code FROM saving WHERE project_id = ? AND stage = 'estimated' ORDER BY id",
        (project_id,),
    ).fetchall()
    return [f"saving {r[0]} (estimated)" for r in rows]


def set_health(
    w: Writer, ref: str, color: str, *, dimension: str, comment: str | None, on: str
) -> dict[str, Any]:
    row = resolve(w.conn, "project", ref)
    current = queries.projects(w.conn, [row["id"]])[0]["health"].get(dimension)
    w.insert(
        "project_event",
        {
            "project_id": row["id"],
            "date": on,
            "kind": "health",
            "dimension": dimension,
            "old_value": current["color"] if current else None,
            "new_value": color,
            "note": comment,
        },
    )
    return queries.projects(w.conn, [row["id"]])[0]


def _check_period(start: Any, end: Any) -> None:
    if start and end and str(end) < str(start):
        raise InvalidValue(f"the end date {end} is before the start date {start}")
