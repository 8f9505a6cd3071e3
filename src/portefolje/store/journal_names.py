"""Which record a journal row is about, as people name it: by the kind of record and its code
("milestone M3", "saving FOM-SV1"), not by the table and row id it was written to.

Rows of tables that have no code of their own (an event, a version, a share of a distribution
key) are named by the record they belong to, found through the row's own foreign key; the code
is read from the journal itself (the record's add row carries it, and the journal keeps it
after the record is removed), through the journal's (entity, entity_id) index.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

# a table without codes -> (the table of the record it belongs to, the column naming it, the
# field of the row that says what kind of event it is, if any)
PARENTS: dict[str, tuple[str, str, str | None]] = {
    "project_event": ("project", "project_id", "kind"),
    "project_dependency": ("project", "project_id", None),
    "project_score": ("project", "project_id", None),
    "solution_event": ("solution", "solution_id", None),
    "milestone_event": ("milestone", "milestone_id", "kind"),
    "milestone_move": ("milestone", "milestone_id", None),
    "deliverable_event": ("deliverable", "deliverable_id", "kind"),
    "deliverable_postponement": ("deliverable", "deliverable_id", "kind"),
    "deliverable_prior": ("deliverable", "deliverable_id", None),
    "deliverable_project": ("deliverable", "deliverable_id", None),
    "indicator_measurement": ("indicator", "indicator_id", None),
    "saving_version": ("saving", "saving_id", None),
    "investment_version": ("investment", "investment_id", None),
    "target_version": ("target", "target_id", None),
    "target_share": ("target_version", "target_version_id", None),
    "coverage_version": ("coverage", "coverage_id", None),
    "risk_assessment": ("risk", "risk_id", None),
    "risk_event": ("risk", "risk_id", "kind"),
    "decision_project": ("decision", "decision_id", None),
    "action_event": ("action", "action_id", "kind"),
    "segment_event": ("segment", "segment_id", None),
    "published_file": ("published_report", "report_id", None),
}
# versions are the record itself as it stood: named as the record, with no event after it
VERSIONS = frozenset({"saving_version", "investment_version", "target_version", "coverage_version"})


def records(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each journal row (entity, entity_id, code, before, after as stored): the record it
    is about, as {"kind": table, "code": code or None, "part": table or None, "event": word or
    None}. `part` is the event or version table when the row is about a part of a record."""
    # the code each record has, as of the row being named: rows come in journal order, and an
    # id can pass from a removed record to a new one (no AUTOINCREMENT)
    known: dict[tuple[str, int], str | None] = {}
    out = []
    for row in rows:
        entity, ident = row["entity"], int(row["entity_id"])
        if row.get("code"):
            known[(entity, ident)] = row["code"]
        upto = int(row["id"])
        state = _state(row)
        part: str | None = None
        event: str | None = None
        while entity in PARENTS:
            parent, column, field = PARENTS[entity]
            part = part or entity
            if field and event is None and state.get(field):
                event = str(state[field])
            parent_id = state.get(column)
            if parent_id is None:
                break
            if parent in PARENTS:  # a share of a target version: one more step up
                state = _journaled(conn, parent, int(parent_id))
            entity, ident = parent, int(parent_id)
        out.append(
            {
                "kind": entity,
                "code": _code(conn, known, entity, ident, state, upto),
                "id": ident,
                "part": part,
                "event": event,
            }
        )
    return out


def _state(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("after", "before"):
        value = row.get(key)
        if isinstance(value, str):
            value = json.loads(value)
        if value:
            return dict(value)
    return {}


def _journaled(conn: sqlite3.Connection, entity: str, ident: int) -> dict[str, Any]:
    """A record's last journaled state (after, or before for a removal)."""
    from portefolje.store.batches import last_state

    return last_state(conn, entity, ident)


def _code(
    conn: sqlite3.Connection,
    known: dict[tuple[str, int], str | None],
    entity: str,
    ident: int,
    state: dict[str, Any],
    upto: int,
) -> str | None:
    key = (entity, ident)
    if key not in known:
        from portefolje.store.batches import code_at

        known[key] = code_at(conn, entity, ident, upto)
    if known[key] is None and entity == "price_index" and state.get("year"):
        return str(state["year"])
    return known[key]
