"""The whole database as one document, and the same document back (upsert by code).

One declarative SPEC drives both directions, so what export writes is exactly what import
reads: each kind's columns (references stored as ids, written as codes), its child lists
(history, moves, measurements …) and its link lists (departments, projects).

Import validates the whole document first (pydantic, in the CLI), then writes everything inside
one Writer: any failure rolls all of it back. Records are matched by code, so importing the same
document twice changes nothing the second time, and a document can be merged into a database
that already holds other portfolios.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from portefolje.domain.errors import NotFound
from portefolje.store.write import Writer


@dataclass(frozen=True)
class Col:
    doc: str  # name in the document
    column: str  # column in the table
    ref: str | None = None  # referenced table: stored as id, written as code


@dataclass(frozen=True)
class Child:
    key: str
    table: str
    parent: str
    cols: tuple[Col, ...]
    order: str


@dataclass(frozen=True)
class Links:
    key: str
    table: str
    parent: str
    column: str
    ref: str
    order: str


@dataclass(frozen=True)
class Spec:
    key: str
    table: str
    cols: tuple[Col, ...]
    children: tuple[Child, ...] = ()
    links: tuple[Links, ...] = ()


def _cols(*names: str, **refs: str) -> tuple[Col, ...]:
    """Plain columns by name, then references as doc_name='column:table'."""
    out = [Col(n, n) for n in names]
    for doc, target in refs.items():
        column, table = target.split(":")
        out.append(Col(doc, column, table))
    return tuple(out)


SPEC: tuple[Spec, ...] = (
    Spec("departments", "department", _cols("name")),
    Spec("committees", "committee", _cols("name")),
    Spec("portfolios", "portfolio", _cols("name", "owner", "description")),
    Spec(
        "segments",
        "segment",
        _cols("name", portfolio="portfolio_id:portfolio")
        + _cols("category", "track", "population", "annual_cost", "description"),
    ),
    Spec(
        "projects",
        "project",
        _cols("title", segment="segment_id:segment")
        + _cols(
            "status",
            "status_date",
            "phase",
            "owner",
            "leader",
            "start_date",
            "end_date",
            "purpose",
            "case_number",
            "success_criteria",
            "risks",
            "deliverables",
            "stakeholders",
            "steering_group",
            "participants",
            "reference_group",
            "benefits",
            "prerequisites",
        ),
        children=(
            Child(
                "history",
                "project_event",
                "project_id",
                (
                    Col("date", "date"),
                    Col("kind", "kind"),
                    Col("dimension", "dimension"),
                    Col("from", "old_value"),
                    Col("to", "new_value"),
                    Col("note", "note"),
                ),
                "date, id",
            ),
        ),
        links=(
            Links(
                "departments",
                "project_department",
                "project_id",
                "department_id",
                "department",
                "department_id",
            ),
        ),
    ),
    Spec(
        "solutions",
        "solution",
        _cols("title", project="project_id:project")
        + _cols(
            "kind",
            "status",
            "status_date",
            "trial_from",
            "trial_to",
            "trial_population",
            handed_over_to="handed_over_to:department",
        )
        + _cols("description", "expected_effects", "documented_effects"),
        children=(
            Child(
                "history",
                "solution_event",
                "solution_id",
                (
                    Col("date", "date"),
                    Col("from", "old_status"),
                    Col("to", "new_status"),
                    Col("note", "note"),
                ),
                "date, id",
            ),
        ),
    ),
    Spec(
        "milestones",
        "milestone",
        _cols("title", project="project_id:project", portfolio="portfolio_id:portfolio")
        + _cols("due_date", "done_date", "note"),
        children=(
            Child(
                "moves",
                "milestone_move",
                "milestone_id",
                (
                    Col("moved_on", "moved_on"),
                    Col("from", "old_due"),
                    Col("to", "new_due"),
                    Col("reason", "reason"),
                ),
                "id",
            ),
        ),
    ),
    Spec(
        "deliverables",
        "deliverable",
        _cols("title", committee="committee_id:committee", portfolio="portfolio_id:portfolio")
        + _cols("meeting_date", "kind", "status", "delivered_date", "description"),
        children=(
            Child(
                "prior",
                "deliverable_prior",
                "deliverable_id",
                (
                    Col("committee", "committee_id", "committee"),
                    Col("meeting_date", "meeting_date"),
                    Col("kind", "kind"),
                ),
                "meeting_date, id",
            ),
            Child(
                "postponements",
                "deliverable_postponement",
                "deliverable_id",
                (
                    Col("postponed_on", "postponed_on"),
                    Col("from", "old_date"),
                    Col("to", "new_date"),
                    Col("reason", "reason"),
                ),
                "id",
            ),
        ),
        links=(
            Links(
                "projects", "deliverable_project", "deliverable_id", "project_id", "project", "id"
            ),
        ),
    ),
    Spec(
        "indicators",
        "indicator",
        _cols("name", project="project_id:project")
        + _cols("unit", "baseline", "baseline_date", "target", "target_date", "measured_by"),
        children=(
            Child(
                "measurements",
                "indicator_measurement",
                "indicator_id",
                (Col("date", "date"), Col("value", "value"), Col("note", "note")),
                "date, id",
            ),
        ),
    ),
    Spec("price_index", "price_index", _cols("year", "value")),
    Spec(
        "targets",
        "target",
        _cols(portfolio="portfolio_id:portfolio")
        + _cols("year", "from_year", "amount", "price_level", "note"),
        children=(
            Child(
                "key",
                "target_share",
                "target_id",
                (
                    Col("department", "department_id", "department"),
                    Col("numerator", "numerator"),
                    Col("denominator", "denominator"),
                ),
                "id",
            ),
        ),
    ),
    Spec(
        "savings",
        "saving",
        _cols(
            project="project_id:project",
            solution="solution_id:solution",
            department="department_id:department",
        )
        + _cols("area", "year", "from_year", "amount", "stage", "price_level", "note"),
    ),
    Spec(
        "investments",
        "investment",
        _cols(project="project_id:project", department="department_id:department")
        + _cols("area", "year", "amount", "funding", "price_level", "note"),
    ),
)


class _Codes:
    """id <-> code maps per table, loaded once per table and kept current during an import."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.by_id: dict[str, dict[int, str]] = {}

    def code(self, table: str, id_: int | None) -> str | None:
        if id_ is None:
            return None
        if table not in self.by_id:
            self.by_id[table] = dict(self.conn.execute(f"SELECT id, code FROM {table}").fetchall())
        return self.by_id[table][id_]

    def id(self, table: str, code: str | None, where: str) -> int | None:
        if code is None:
            return None
        row = self.conn.execute(f"SELECT id FROM {table} WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise NotFound(
                f"{where}: no {table} with code {code!r} in the document or the database"
            )
        return int(row[0])


def _child_rows(
    codes: _Codes, child: Child, parent_id: int | None = None
) -> dict[int, list[dict[str, Any]]]:
    cols = ", ".join(c.column for c in child.cols)
    where, params = (
        (f"WHERE {child.parent} = ?", [parent_id]) if parent_id is not None else ("", [])
    )
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in codes.conn.execute(
        f"SELECT {child.parent}, {cols} FROM {child.table} {where} "
        f"ORDER BY {child.parent}, {child.order}",
        params,
    ):
        out[row[0]].append(
            {
                c.doc: (codes.code(c.ref, v) if c.ref else v)
                for c, v in zip(child.cols, row[1:], strict=True)
            }
        )
    return out


def _link_codes(codes: _Codes, links: Links, parent_id: int | None = None) -> dict[int, list[str]]:
    where, params = (
        (f"WHERE {links.parent} = ?", [parent_id]) if parent_id is not None else ("", [])
    )
    out: dict[int, list[str]] = defaultdict(list)
    for parent, ref_id in codes.conn.execute(
        f"SELECT {links.parent}, {links.column} FROM {links.table} {where} "
        f"ORDER BY {links.parent}, {links.order}",
        params,
    ):
        out[parent].append(codes.code(links.ref, ref_id) or "")
    return out


def export_document(conn: sqlite3.Connection) -> dict[str, Any]:
    """The document as plain JSON data, in a stable order (records by id)."""
    codes = _Codes(conn)
    doc: dict[str, Any] = {"format": "portefolje", "version": 1}
    for spec in SPEC:
        columns = ", ".join(c.column for c in spec.cols)
        children = {c.key: _child_rows(codes, c) for c in spec.children}
        links = {lk.key: _link_codes(codes, lk) for lk in spec.links}
        records = []
        for row in conn.execute(f"SELECT id, code, {columns} FROM {spec.table} ORDER BY id"):
            item: dict[str, Any] = {"code": row[1]}
            for col, value in zip(spec.cols, row[2:], strict=True):
                item[col.doc] = codes.code(col.ref, value) if col.ref else value
            for key, link_codes in links.items():
                item[key] = link_codes.get(row[0], [])
            for key, child_rows in children.items():
                item[key] = child_rows.get(row[0], [])
            records.append(item)
        doc[spec.key] = records
    return doc


def import_document(w: Writer, document: Any) -> dict[str, Counter[str]]:
    """Write a validated `Document` (upsert by code). Returns created/updated/unchanged counts."""
    codes = _Codes(w.conn)
    summary: dict[str, Counter[str]] = {}
    for spec in SPEC:
        counts: Counter[str] = Counter()
        for index, record in enumerate(getattr(document, spec.key)):
            data = record.model_dump(mode="json", by_alias=True)
            where = f"{spec.key}.{index}"
            values = {
                c.column: (
                    codes.id(c.ref, data[c.doc], f"{where}.{c.doc}") if c.ref else data[c.doc]
                )
                for c in spec.cols
            }
            before = w.changes
            existing = w.conn.execute(
                f"SELECT id FROM {spec.table} WHERE code = ?", (data["code"],)
            ).fetchone()
            if existing is None:
                row_id = w.insert(spec.table, {"code": data["code"], **values})
                outcome = "created"
            else:
                row_id = int(existing[0])
                w.update(spec.table, row_id, values, action="import")
                outcome = "unchanged"
            for lk in spec.links:
                sync_links(w, spec.table, row_id, lk, data[lk.key], codes, f"{where}.{lk.key}")
            for child in spec.children:
                _sync_children(w, row_id, child, data[child.key], codes, f"{where}.{child.key}")
            if outcome == "unchanged" and w.changes > before:
                outcome = "updated"
            counts[outcome] += 1
        summary[spec.key] = counts
    return summary


def sync_links(
    w: Writer,
    parent_table: str,
    parent_id: int,
    links: Links,
    wanted: list[str],
    codes: _Codes | None = None,
    where: str = "",
) -> None:
    """Make a link list (a project's departments …) equal `wanted`; one journal row if changed."""
    codes = codes or _Codes(w.conn)
    current = _link_codes(codes, links, parent_id).get(parent_id, [])
    ids = [codes.id(links.ref, code, f"{where}.{i}") for i, code in enumerate(wanted)]
    wanted_codes = [codes.code(links.ref, i) or "" for i in dict.fromkeys(ids)]
    if current == wanted_codes:
        return
    w.execute(f"DELETE FROM {links.table} WHERE {links.parent} = ?", (parent_id,))
    for ref_id in dict.fromkeys(ids):
        w.execute(
            f"INSERT INTO {links.table} ({links.parent}, {links.column}) VALUES (?, ?)",
            (parent_id, ref_id),
        )
    w.journal(parent_table, parent_id, links.key, {links.key: current}, {links.key: wanted_codes})


def _sync_children(
    w: Writer, parent_id: int, child: Child, wanted: list[dict[str, Any]], codes: _Codes, where: str
) -> None:
    current = _child_rows(codes, child, parent_id).get(parent_id, [])
    if current == wanted:
        return
    for (child_id,) in w.conn.execute(
        f"SELECT id FROM {child.table} WHERE {child.parent} = ?", (parent_id,)
    ).fetchall():
        w.delete(child.table, child_id, action="import")
    for index, item in enumerate(wanted):
        w.insert(
            child.table,
            {
                child.parent: parent_id,
                **{
                    c.column: (
                        codes.id(c.ref, item[c.doc], f"{where}.{index}.{c.doc}")
                        if c.ref
                        else item[c.doc]
                    )
                    for c in child.cols
                },
            },
        )


def spec(key: str) -> Spec:
    return next(s for s in SPEC if s.key == key)
