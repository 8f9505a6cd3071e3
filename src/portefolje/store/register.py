"""Changes to the register, each inside a Writer (one transaction, journaled).

These are the domain operations: the CLI, the JSON document import and the sheet import all call
them, so a rule holds however the data arrives. The callers have parsed dates, amounts and
enums; these functions resolve references inside the write lock, apply the rules and write.
Every fact with an effective date is written as an event dated `on`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from portefolje.domain import rules
from portefolje.domain.dates import today
from portefolje.domain.errors import InvalidValue, Refused
from portefolje.i18n import msg
from portefolje.store import queries
from portefolje.store.registry import (
    KINDS,
    allocate_codes,
    check_free,
    claim_code,
    resolve,
)
from portefolje.store.write import Writer


def assign_code(w: Writer, kind: str, code: str | None) -> str:
    """The record's code: the one given (checked, free in any letter case, and never generated
    later), else the next from the kind's counter."""
    if not code:
        return allocate_codes(w.conn, kind)[0]
    code = rules.check_code(code)
    check_free(w.conn, kind, code)
    claim_code(w.conn, kind, code)
    return code


def add(w: Writer, kind: str, values: dict[str, Any], code: str | None = None) -> dict[str, Any]:
    """Insert a record with the given or a generated code; return it in its output shape."""
    values = {k: v for k, v in values.items() if v is not None}
    values["code"] = assign_code(w, kind, code)
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
    if "code" in clean and clean["code"] != row["code"]:
        clean["code"] = rules.check_code(clean["code"] or "")
        check_free(w.conn, kind, clean["code"], own_id=row["id"])
        claim_code(w.conn, kind, clean["code"])
    for label in ("name", "title"):
        if label in clean:
            clean[label] = rules.require_text(clean[label], f"what.field_{label}")
    w.update(KINDS[kind].table, row["id"], clean)
    if kind in queries.RECORDS:
        return queries.RECORDS[kind](w.conn, [row["id"]])[0]
    return w.row(KINDS[kind].table, row["id"])


def remove(w: Writer, kind: str, ref: str) -> dict[str, Any]:
    """Delete a record that nothing refers to, with the rows that are part of it (each journaled);
    else refuse, naming what refers to it."""
    from portefolje.store.references import parts, referrers

    row = resolve(w.conn, kind, ref)
    table = KINDS[kind].table
    shown = queries.RECORDS[kind](w.conn, [row["id"]])[0] if kind in queries.RECORDS else row
    found = referrers(w.conn, table, row["id"])
    if found:
        raise Refused(
            msg(
                "err.referred_to",
                kind=msg(f"kind.{kind}"),
                code=row["code"],
                found="; ".join(found),
            )
        )
    if kind == "project":
        set_departments(w, row["id"], [])
    for child_table, child_id in parts(w.conn, table, row["id"]):
        w.delete(child_table, child_id)
    w.delete(table, row["id"])
    return shown


def set_departments(w: Writer, project_id: int, refs: list[str]) -> None:
    """Replace a project's departments (by id, code or name); journaled as one change."""
    from portefolje.store.transfer import spec, sync_links

    codes = [resolve(w.conn, "department", ref)["code"] for ref in refs]
    sync_links(w, "project", project_id, spec("projects").links[0], codes)


def creation_date(start: str | None, on: str | None) -> str:
    """When a project comes into the register: the date given, else its start if that has come,
    else today."""
    if on:
        return on
    now = today().isoformat()
    return start if start and start <= now else now


def add_project(
    w: Writer,
    values: dict[str, Any],
    *,
    segment: str,
    departments: list[str],
    code: str | None = None,
    on: str | None = None,
    phase: str | None = None,
    status: str = "active",
) -> dict[str, Any]:
    """A new project (active, or proposed for the pipeline), created on `on`."""
    values = dict(values)
    values["segment_id"] = resolve(w.conn, "segment", segment)["id"]
    _check_period(values.get("start_date"), values.get("end_date"))
    if status not in ("active", "proposed"):
        raise InvalidValue(msg("err.new_project_status"))
    created = creation_date(values.get("start_date"), on)
    record = add(w, "project", values, code)
    if departments:
        set_departments(w, record["id"], departments)
    _event(w, record["id"], created, "status", None, status, "created")
    if phase:
        _event(w, record["id"], created, "phase", None, phase, None)
    return _as_on(w, record["id"], max(created, today().isoformat()))


def edit_project(
    w: Writer,
    ref: str,
    changes: dict[str, Any],
    *,
    segment: str | None,
    departments: list[str] | None,
    phase: str | None = None,
    on: str | None = None,
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
    if phase is not None:
        set_phase(w, str(row["id"]), phase, on=on or today().isoformat())
    return queries.projects(w.conn, [row["id"]])[0]


def last_event(w: Writer, project_id: int, kind: str, dimension: str | None = None) -> Any:
    """The project's latest event of a kind (and dimension), whatever its date."""
    return w.conn.execute(
        "SELECT date, new_value, note FROM project_event WHERE project_id = ? AND kind = ? "
        "AND dimension IS ? ORDER BY date DESC, id DESC LIMIT 1",
        (project_id, kind, dimension),
    ).fetchone()


def _created(w: Writer, project_id: int) -> str:
    row = w.conn.execute(
        "SELECT min(date) FROM project_event WHERE project_id = ? AND kind = 'status'",
        (project_id,),
    ).fetchone()
    return str(row[0])


def set_phase(w: Writer, ref: str, phase: str, *, on: str) -> dict[str, Any]:
    """Move a project into a phase on a date: an event, like a status change."""
    row = resolve(w.conn, "project", ref)
    last = last_event(w, row["id"], "phase")
    if last is not None and last["new_value"] == phase:
        return queries.projects(w.conn, [row["id"]])[0]
    rules.check_event_date(on, last["date"] if last else None, msg("what.phase_change"))
    rules.check_not_before(on, _created(w, row["id"]), _project(row["code"]))
    _event(
        w, row["id"], on, "phase", last["new_value"] if last else None, phase, None, action="phase"
    )
    return _as_on(w, row["id"], on)


def change_status(
    w: Writer,
    ref: str,
    verb: str,
    *,
    on: str,
    reason: str | None,
    decision: str | None = None,
) -> dict[str, Any]:
    """pause / resume / close / reopen (and approve / reject for a proposal) on a date, with a
    reason; approving rests on a decision (a decision record); closing with benefits still open
    adds the follow-up milestone."""
    from portefolje.store.pipeline import require_decision

    row = resolve(w.conn, "project", ref)
    last = last_event(w, row["id"], "status")
    target = rules.transition(row["code"], last["new_value"], verb)
    if verb in rules.NEEDS_REASON:
        reason = rules.require_text(reason, f"what.reason_{verb}_project")
    decision_id = None
    if verb == "approve":
        decision_id = require_decision(
            w, decision, msg("what.record", kind=msg("kind.project"), code=row["code"]), on
        )
    rules.check_event_date(on, last["date"], msg("what.status_change"))
    _event(
        w,
        row["id"],
        on,
        "status",
        last["new_value"],
        target,
        reason,
        action=verb,
        decision_id=decision_id,
    )
    if verb == "close":
        _benefits_follow_up(w, row, on)
    return _as_on(w, row["id"], on)


def _as_on(w: Writer, project_id: int, on: str) -> dict[str, Any]:
    """The project as it stands on the day of the change just made."""
    return queries.projects(w.conn, [project_id], as_of=date.fromisoformat(on))[0]


def _event(
    w: Writer,
    project_id: int,
    on: str,
    kind: str,
    old: str | None,
    new: str,
    note: str | None,
    dimension: str | None = None,
    action: str = "add",
    decision_id: int | None = None,
) -> None:
    values = {
        "project_id": project_id,
        "date": on,
        "kind": kind,
        "dimension": dimension,
        "old_value": old,
        "new_value": new,
        "note": note,
        "recorded_at": w.at,
    }
    if decision_id is not None:
        values["decision_id"] = decision_id
    w.insert("project_event", values, action=action)


FOLLOW_UP = "Gevinstopfølgning"


def _benefits_follow_up(w: Writer, project: dict[str, Any], closed_on: str) -> None:
    """A project closed with benefits still open gets a follow-up milestone a year later: the
    state's project model asks for a benefits report one year after closing. Once per project:
    closing again after a reopening does not add a second."""
    from portefolje.domain.dates import add_months
    from portefolje.store import indicators, milestones

    if milestones.has_follow_up(w.conn, project["id"]):
        return
    day = date.fromisoformat(closed_on)
    open_items = [f"indicator {i['code']}" for i in indicators.unmet(w.conn, project["id"], day)]
    open_items += open_savings(w.conn, project["id"], day)
    if not open_items:
        return
    milestones.add(
        w,
        f"{FOLLOW_UP}: {project['title']}",
        due=add_months(day, 12).isoformat(),
        project=str(project["id"]),
        portfolio=None,
        code=None,
        note="Åbne gevinster ved lukning: " + ", ".join(open_items),
        follow_up=True,
    )


def open_savings(conn: Any, project_id: int, day: date) -> list[str]:
    """Codes of the project's savings still only estimated on `day`."""
    from portefolje.store import economics

    rows = economics.savings(conn, project=str(project_id), stage="estimated", as_of=day)
    return [f"saving {r['code']} (estimated)" for r in rows]


def set_health(
    w: Writer, ref: str, color: str, *, dimension: str, comment: str | None, on: str
) -> dict[str, Any]:
    row = resolve(w.conn, "project", ref)
    rules.check_not_before(on, _created(w, row["id"]), _project(row["code"]))
    before = queries.project_health(w.conn, [row["id"]], on).get(row["id"], {}).get(dimension)
    _event(
        w,
        row["id"],
        on,
        "health",
        before["color"] if before else None,
        color,
        comment,
        dimension,
    )
    return _as_on(w, row["id"], on)


def _check_period(start: Any, end: Any) -> None:
    if start and end and str(end) < str(start):
        raise InvalidValue(msg("err.end_before_start", end=end, start=start))


def _project(code: str) -> str:
    return msg("what.record", kind=msg("kind.project"), code=code)
