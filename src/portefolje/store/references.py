"""What refers to a record, read from the schema's own foreign keys (so a new table is covered
without being listed here): rows that are part of the record (ON DELETE CASCADE: its events,
moves, links) go with it when it is removed; any other reference keeps it."""

from __future__ import annotations

import sqlite3

from portefolje.i18n import count, msg
from portefolje.i18n.reports import NOUNS

# a reference from a version row (or an event, a link, a score) is named by the record it is
# part of: (that record's table, the column naming it, the noun)
# part of: (that record's table, the column naming it, the noun in the catalogue's NOUNS)
_VERSION_OF = {
    "saving_version": ("saving", "saving_id", "saving_line"),
    "investment_version": ("investment", "investment_id", "investment"),
    "coverage_version": ("coverage", "coverage_id", "coverage"),
    "project_event": ("project", "project_id", "project_approval"),
    "segment_event": ("segment", "segment_id", "segment_approval"),
    "decision_project": ("decision", "decision_id", "decision"),
    "project_dependency": ("project", "project_id", "project_dependency"),
    "project_score": ("project", "project_id", "project_score"),
}
# the noun (in the catalogue's NOUNS) for a referring table
_NOUN = {
    "project": "project",
    "segment": "segment",
    "solution": "solution",
    "milestone": "milestone",
    "deliverable": "deliverable",
    "deliverable_project": "deliverable",
    "deliverable_prior": "deliverable_prior",
    "indicator": "indicator",
    "target": "target",
    "target_share": "distribution_key",
    "published_report": "published_report",
    "risk": "risk",
    "meeting": "meeting",
    "decision": "decision",
    "action": "action",
    "criterion": "criterion",
}


def _keys(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """(child table, child column, parent table, on delete) for every foreign key of a table
    whose rows have their own id (link tables without one are journaled on their parent)."""
    out = []
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall():
        if not any(c[1] == "id" for c in conn.execute(f"PRAGMA table_info({table})")):
            continue
        for fk in conn.execute(f"PRAGMA foreign_key_list({table})").fetchall():
            out.append((table, fk[3], fk[2], fk[6]))
    return out


def referrers(conn: sqlite3.Connection, table: str, record_id: int) -> list[str]:
    """'2 milestones (M4, M5)', … for every kind of record that refers to this one."""
    found = []
    for child, column, parent, on_delete in _keys(conn):
        if parent != table or on_delete == "CASCADE":
            continue
        if child in _VERSION_OF:
            identity, fk, noun = _VERSION_OF[child]
            codes = [
                r[0]
                for r in conn.execute(
                    f"SELECT DISTINCT i.code FROM {child} c JOIN {identity} i ON i.id = c.{fk} "
                    f"WHERE c.{column} = ? ORDER BY i.id",
                    (record_id,),
                )
            ]
        else:
            noun = _NOUN.get(child, child)
            has_code = child in _NOUN and child not in ("deliverable_project", "deliverable_prior")
            select = "code" if has_code else "NULL"
            if child in ("deliverable_project", "deliverable_prior"):
                codes = [
                    r[0]
                    for r in conn.execute(
                        f"SELECT d.code FROM {child} c JOIN deliverable d "
                        f"ON d.id = c.deliverable_id WHERE c.{column} = ? ORDER BY d.id",
                        (record_id,),
                    )
                ]
            else:
                codes = [
                    r[0]
                    for r in conn.execute(
                        f"SELECT {select} FROM {child} WHERE {column} = ? ORDER BY id", (record_id,)
                    )
                ]
        if codes:
            shown = [c for c in codes[:5] if c]
            more = msg("msg.and_more", n=len(codes) - 5) if len(codes) > 5 else ""
            counted = count(len(codes), noun) if noun in NOUNS else f"{len(codes)} {noun}"
            found.append(counted + (f" ({', '.join(shown)}{more})" if shown else ""))
    return found


def parts(conn: sqlite3.Connection, table: str, record_id: int) -> list[tuple[str, int]]:
    """(table, id) of the rows that belong to this record and go with it, deepest first."""
    out: list[tuple[str, int]] = []
    for child, column, parent, on_delete in _keys(conn):
        if parent != table or on_delete != "CASCADE":
            continue
        for (child_id,) in conn.execute(
            f"SELECT id FROM {child} WHERE {column} = ? ORDER BY id", (record_id,)
        ).fetchall():
            out += parts(conn, child, child_id)
            out.append((child, child_id))
    return out
