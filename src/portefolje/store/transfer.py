"""The whole database as one document: what export writes and import reads.

One declarative SPEC says, per kind of record, its columns (references stored as ids, written as
codes), its history lists (status events, moves, postponements, measurements …), its link lists
(departments, projects) and the current values derived from its history (status, done date …).
Savings, investments, targets and coverage are versioned: the document holds the figures in force
now (`since`), the earlier versions (`history`) and, for a removed line, `removed`.

Export reads each kind with a fixed number of queries. Import (store/importing.py) compares a
document record with the same representation of the stored record and turns the differences into
the domain operations, so a rule the command line enforces holds for a document too.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from portefolje.domain.errors import NotFound
from portefolje.i18n import msg, table_name
from portefolje.store.queries import where_in
from portefolje.store.write import Writer


@dataclass(frozen=True)
class Col:
    doc: str  # name in the document
    column: str  # column in the table (or an SQL expression for derived values, alias t)
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
    derived: tuple[Col, ...] = ()  # current values read from the history, for readers
    version: str | None = None  # versioned kinds: the version table and its fields
    version_fk: str | None = None
    version_cols: tuple[Col, ...] = ()


def _cols(*names: str, **refs: str) -> tuple[Col, ...]:
    """Plain columns by name, then references as doc_name='column:table'."""
    out = [Col(n, n) for n in names]
    for doc, target in refs.items():
        column, table = target.split(":")
        out.append(Col(doc, column, table))
    return tuple(out)


def _latest(table: str, fk: str, value: str, where: str = "") -> str:
    """SQL for the latest event's value of a record (ties broken by id), alias t = the record."""
    return (
        f"(SELECT {value} FROM {table} e WHERE e.{fk} = t.id {where} "
        "ORDER BY e.date DESC, e.id DESC LIMIT 1)"
    )


_FIRST_MEETING = (
    "coalesce((SELECT pp.old_date FROM deliverable_postponement pp WHERE pp.deliverable_id = t.id "
    "ORDER BY pp.postponed_on, pp.id LIMIT 1), t.meeting_date)"
)
_DELIVERABLE_STATE = _latest("deliverable_event", "deliverable_id", "e.kind")

_SEGMENT_STATUS = (
    "coalesce((SELECT e.new_value FROM segment_event e WHERE e.segment_id = t.id "
    "ORDER BY e.date DESC, e.id DESC LIMIT 1), 'active')"
)

SPEC: tuple[Spec, ...] = (
    Spec("departments", "department", _cols("name")),
    Spec("committees", "committee", _cols("name")),
    Spec("portfolios", "portfolio", _cols("name", "owner", "description")),
    # the pipeline's criteria, and the meetings and decisions that approvals (of segments and
    # projects, below) rest on; a decision's projects are listed with each project
    Spec(
        "criteria",
        "criterion",
        _cols("name", portfolio="portfolio_id:portfolio") + _cols("weight", "description"),
    ),
    Spec(
        "meetings",
        "meeting",
        _cols(body="committee_id:committee", portfolio="portfolio_id:portfolio")
        + _cols("date", "title"),
    ),
    Spec("decisions", "decision", _cols("text", meeting="meeting_id:meeting")),
    Spec(
        "segments",
        "segment",
        _cols("name", portfolio="portfolio_id:portfolio")
        + _cols("category", "track", "population", "annual_cost", "description"),
        derived=(Col("status", _SEGMENT_STATUS),),
        children=(
            Child(
                "history",
                "segment_event",
                "segment_id",
                (
                    Col("date", "date"),
                    Col("from", "old_value"),
                    Col("to", "new_value"),
                    Col("note", "note"),
                    Col("decision", "decision_id", "decision"),
                ),
                "date, id",
            ),
        ),
    ),
    Spec(
        "projects",
        "project",
        _cols("title", segment="segment_id:segment")
        + _cols(
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
        derived=(
            Col(
                "status",
                _latest("project_event", "project_id", "e.new_value", "AND e.kind = 'status'"),
            ),
            Col(
                "status_date",
                _latest("project_event", "project_id", "e.date", "AND e.kind = 'status'"),
            ),
            Col(
                "phase",
                _latest("project_event", "project_id", "e.new_value", "AND e.kind = 'phase'"),
            ),
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
                    Col("decision", "decision_id", "decision"),
                ),
                "date, id",
            ),
            Child(
                "scores",
                "project_score",
                "project_id",
                (
                    Col("criterion", "criterion_id", "criterion"),
                    Col("date", "date"),
                    Col("score", "score"),
                    Col("note", "note"),
                ),
                "criterion_id, date, id",
            ),
            Child(
                "dependencies",
                "project_dependency",
                "project_id",
                (
                    Col("on", "on_project_id", "project"),
                    Col("external", "external"),
                    Col("note", "note"),
                    Col("from", "valid_from"),
                    Col("to", "valid_to"),
                ),
                "valid_from, id",
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
            Links("decisions", "decision_project", "project_id", "decision_id", "decision", "id"),
        ),
    ),
    Spec(
        "solutions",
        "solution",
        _cols("title", project="project_id:project")
        + _cols(
            "kind",
            "trial_from",
            "trial_to",
            "trial_population",
            handed_over_to="handed_over_to:department",
        )
        + _cols("description", "expected_effects", "documented_effects"),
        derived=(
            Col("status", _latest("solution_event", "solution_id", "e.new_status")),
            Col("status_date", _latest("solution_event", "solution_id", "e.date")),
        ),
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
        + _cols("due_date", "note", "follow_up"),
        derived=(
            Col(
                "state",
                "coalesce((SELECT CASE e.kind WHEN 'done' THEN 'done' WHEN 'cancelled' THEN "
                "'cancelled' ELSE 'open' END FROM milestone_event e WHERE e.milestone_id = t.id "
                "ORDER BY e.date DESC, e.id DESC LIMIT 1), 'open')",
            ),
            Col(
                "done_date",
                "(SELECT CASE e.kind WHEN 'done' THEN e.date END FROM milestone_event e "
                "WHERE e.milestone_id = t.id ORDER BY e.date DESC, e.id DESC LIMIT 1)",
            ),
        ),
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
                "moved_on, id",
            ),
            Child(
                "events",
                "milestone_event",
                "milestone_id",
                (Col("date", "date"), Col("kind", "kind"), Col("reason", "reason")),
                "date, id",
            ),
        ),
    ),
    Spec(
        "deliverables",
        "deliverable",
        _cols("title", committee="committee_id:committee", portfolio="portfolio_id:portfolio")
        + _cols("meeting_date", "kind", "description"),
        derived=(
            Col(
                "status",
                f"CASE coalesce({_DELIVERABLE_STATE}, '') WHEN 'delivered' THEN 'delivered' "
                f"WHEN 'cancelled' THEN 'cancelled' ELSE CASE WHEN t.meeting_date > "
                f"{_FIRST_MEETING} THEN 'postponed' ELSE 'planned' END END",
            ),
            Col(
                "delivered_date",
                "(SELECT CASE e.kind WHEN 'delivered' THEN e.date END FROM deliverable_event e "
                "WHERE e.deliverable_id = t.id ORDER BY e.date DESC, e.id DESC LIMIT 1)",
            ),
        ),
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
                    Col("kind", "kind"),
                ),
                "postponed_on, id",
            ),
            Child(
                "events",
                "deliverable_event",
                "deliverable_id",
                (Col("date", "date"), Col("kind", "kind"), Col("reason", "reason")),
                "date, id",
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
        _cols("name", project="project_id:project", portfolio="portfolio_id:portfolio")
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
    Spec(
        "risks",
        "risk",
        _cols("title", project="project_id:project", portfolio="portfolio_id:portfolio")
        + _cols("owner", "response", "description"),
        derived=(
            Col("probability", _latest("risk_assessment", "risk_id", "e.probability")),
            Col("consequence", _latest("risk_assessment", "risk_id", "e.consequence")),
            Col("score", _latest("risk_assessment", "risk_id", "e.probability * e.consequence")),
            Col(
                "state",
                "coalesce((SELECT CASE e.kind WHEN 'closed' THEN 'closed' ELSE 'open' END "
                "FROM risk_event e WHERE e.risk_id = t.id ORDER BY e.date DESC, e.id DESC "
                "LIMIT 1), 'open')",
            ),
            Col(
                "closed_date",
                "(SELECT CASE e.kind WHEN 'closed' THEN e.date END FROM risk_event e "
                "WHERE e.risk_id = t.id ORDER BY e.date DESC, e.id DESC LIMIT 1)",
            ),
        ),
        children=(
            Child(
                "assessments",
                "risk_assessment",
                "risk_id",
                (
                    Col("date", "date"),
                    Col("probability", "probability"),
                    Col("consequence", "consequence"),
                    Col("note", "note"),
                ),
                "date, id",
            ),
            Child(
                "events",
                "risk_event",
                "risk_id",
                (Col("date", "date"), Col("kind", "kind"), Col("reason", "reason")),
                "date, id",
            ),
        ),
    ),
    Spec(
        "actions",
        "action",
        _cols("title", "owner", "opened", "due_date")
        + _cols(
            decision="decision_id:decision",
            project="project_id:project",
            portfolio="portfolio_id:portfolio",
        )
        + _cols("note"),
        derived=(
            Col(
                "state",
                "coalesce((SELECT CASE e.kind WHEN 'done' THEN 'done' ELSE 'open' END "
                "FROM action_event e WHERE e.action_id = t.id ORDER BY e.date DESC, e.id DESC "
                "LIMIT 1), 'open')",
            ),
            Col(
                "done_date",
                "(SELECT CASE e.kind WHEN 'done' THEN e.date END FROM action_event e "
                "WHERE e.action_id = t.id ORDER BY e.date DESC, e.id DESC LIMIT 1)",
            ),
        ),
        children=(
            Child(
                "events",
                "action_event",
                "action_id",
                (Col("date", "date"), Col("kind", "kind"), Col("reason", "reason")),
                "date, id",
            ),
        ),
    ),
    Spec("price_index", "price_index", _cols("year", "value")),
    Spec(
        "targets",
        "target",
        _cols("year", "from_year", portfolio="portfolio_id:portfolio"),
        version="target_version",
        version_fk="target_id",
        version_cols=_cols("amount", "price_level", "note"),
    ),
    Spec(
        "coverage",
        "coverage",
        _cols(portfolio="portfolio_id:portfolio"),
        version="coverage_version",
        version_fk="coverage_id",
        version_cols=_cols("kind", "year", "from_year", "amount", "price_level", "note")
        + _cols(department="department_id:department"),
    ),
    Spec(
        "savings",
        "saving",
        (),
        version="saving_version",
        version_fk="saving_id",
        version_cols=_cols(
            project="project_id:project",
            solution="solution_id:solution",
            department="department_id:department",
        )
        + _cols(
            "area",
            "year",
            "from_year",
            "amount",
            "realised",
            "stage",
            "attribution",
            "price_level",
            "fte",
            "name",
            "note",
        ),
    ),
    Spec(
        "investments",
        "investment",
        (),
        version="investment_version",
        version_fk="investment_id",
        version_cols=_cols(project="project_id:project", department="department_id:department")
        + _cols(
            "area", "year", "amount", "status", "funding", "price_level", "fte", "name", "note"
        ),
    ),
)


class Codes:
    """id <-> code maps per table, loaded once per table and kept current during an import."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.by_id: dict[str, dict[int, str]] = {}
        self.by_code: dict[str, dict[str, int]] = {}

    def code(self, table: str, id_: int | None) -> str | None:
        if id_ is None:
            return None
        if table not in self.by_id:
            self.by_id[table] = dict(self.conn.execute(f"SELECT id, code FROM {table}").fetchall())
        found = self.by_id[table].get(id_)
        if found is None:  # added during this import
            found = self.conn.execute(f"SELECT code FROM {table} WHERE id = ?", (id_,)).fetchone()[
                0
            ]
            self.by_id[table][id_] = found
        return found

    def id(self, table: str, code: str | None, where: str) -> int | None:
        if code is None:
            return None
        known = self.by_code.setdefault(table, {})
        if code in known:
            return known[code]
        row = self.conn.execute(f"SELECT id FROM {table} WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise NotFound(
                msg("err.doc_unknown_code", where=where, kind=table_name(table), code=code)
            )
        known[code] = int(row[0])
        return known[code]


def child_rows(
    codes: Codes, child: Child, parent_ids: list[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Child lists per parent id: every parent's (None) or those given."""
    cols = ", ".join(c.column for c in child.cols)
    where, params = where_in(child.parent, parent_ids)
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


def link_codes(
    codes: Codes, links: Links, parent_ids: list[int] | None = None
) -> dict[int, list[str]]:
    where, params = where_in(links.parent, parent_ids)
    out: dict[int, list[str]] = defaultdict(list)
    for parent, ref_id in codes.conn.execute(
        f"SELECT {links.parent}, {links.column} FROM {links.table} {where} "
        f"ORDER BY {links.parent}, {links.order}",
        params,
    ):
        out[parent].append(codes.code(links.ref, ref_id) or "")
    return out


class _Merge:
    """Rows of one cursor ordered by parent id, handed out per parent in step with the parents:
    a whole kind streams with one record in memory at a time."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]):
        self.rows = rows
        self.head = next(rows, None)

    def take(self, parent_id: int) -> list[tuple[Any, ...]]:
        out = []
        while self.head is not None and self.head[0] <= parent_id:
            if self.head[0] == parent_id:
                out.append(self.head[1:])
            self.head = next(self.rows, None)
        return out


def records(
    codes: Codes, spec: Spec, ids: list[int] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(id, record in its document shape) of a kind, by id: every record (streamed: one record
    in memory at a time) or those given."""
    if spec.version is not None:
        yield from _versioned(codes, spec, ids)
        return
    columns = ", ".join([f"t.{c.column}" for c in spec.cols] + [c.column for c in spec.derived])
    where, params = where_in("t.id", ids)
    children = []
    for child in spec.children:
        cols = ", ".join(c.column for c in child.cols)
        child_where, child_params = where_in(child.parent, ids)
        rows = codes.conn.execute(
            f"SELECT {child.parent}, {cols} FROM {child.table} {child_where} "
            f"ORDER BY {child.parent}, {child.order}",
            child_params,
        )
        children.append((child, _Merge(iter(rows.fetchall() if ids is not None else rows))))
    links = []
    for lk in spec.links:
        link_where, link_params = where_in(lk.parent, ids)
        rows = codes.conn.execute(
            f"SELECT {lk.parent}, {lk.column} FROM {lk.table} {link_where} "
            f"ORDER BY {lk.parent}, {lk.order}",
            link_params,
        )
        links.append((lk, _Merge(iter(rows.fetchall() if ids is not None else rows))))
    for row in codes.conn.execute(
        f"SELECT t.id, t.code, {columns} FROM {spec.table} t {where} ORDER BY t.id", params
    ):
        yield row[0], _assemble(codes, spec, row, children, links)


def _assemble(
    codes: Codes,
    spec: Spec,
    row: tuple[Any, ...],
    children: list[tuple[Child, _Merge]],
    links: list[tuple[Links, _Merge]],
) -> dict[str, Any]:
    item: dict[str, Any] = {"code": row[1]}
    values = row[2:]
    for col, value in zip(spec.cols, values, strict=False):
        item[col.doc] = codes.code(col.ref, value) if col.ref else value
    for col, value in zip(spec.derived, values[len(spec.cols) :], strict=True):
        item[col.doc] = value
    if "follow_up" in item:
        item["follow_up"] = bool(item["follow_up"])
    for lk, merge in links:
        item[lk.key] = [codes.code(lk.ref, r[0]) or "" for r in merge.take(row[0])]
    for child, merge in children:
        item[child.key] = [
            {
                c.doc: (codes.code(c.ref, v) if c.ref else v)
                for c, v in zip(child.cols, r, strict=True)
            }
            for r in merge.take(row[0])
        ]
    return item


def _versioned(
    codes: Codes, spec: Spec, ids: list[int] | None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """A versioned record: identity, the latest version's figures (`since`; `removed` when it
    has ended) and the earlier versions (`history`, oldest first)."""
    assert spec.version is not None and spec.version_fk is not None
    identity = ", ".join(f"t.{c.column}" for c in spec.cols)
    fields = ", ".join(f"v.{c.column}" for c in spec.version_cols)
    where, params = where_in("t.id", ids)
    version_where, version_params = where_in(f"v.{spec.version_fk}", ids)
    rows = codes.conn.execute(
        f"SELECT v.{spec.version_fk}, v.id, v.valid_from, v.valid_to"
        f"{', ' + fields if fields else ''} FROM {spec.version} v {version_where} "
        f"ORDER BY v.{spec.version_fk}, v.valid_from IS NOT NULL, v.valid_from, v.id",
        version_params,
    )
    merge = _Merge(iter(rows.fetchall() if ids is not None else rows))
    keys = _target_keys(codes, ids) if spec.key == "targets" else {}
    for row in codes.conn.execute(
        f"SELECT t.id, t.code{', ' + identity if identity else ''} FROM {spec.table} t {where} "
        "ORDER BY t.id",
        params,
    ):
        history = [
            {
                "_id": v[0],
                "from": v[1],
                "to": v[2],
                **{
                    c.doc: (codes.code(c.ref, x) if c.ref else x)
                    for c, x in zip(spec.version_cols, v[3:], strict=True)
                },
            }
            for v in merge.take(row[0])
        ]
        if not history:
            continue
        item: dict[str, Any] = {"code": row[1]}
        for col, value in zip(spec.cols, row[2:], strict=True):
            item[col.doc] = codes.code(col.ref, value) if col.ref else value
        for v in history:
            if spec.key == "targets":
                v["key"] = keys.get(v["_id"], [])
        latest = history[-1]
        item.update({k: v for k, v in latest.items() if k not in ("_id", "from", "to")})
        item["since"] = latest["from"]
        item["removed"] = latest["to"]
        item["history"] = [{k: v for k, v in h.items() if k != "_id"} for h in history[:-1]]
        yield row[0], item


def _target_keys(codes: Codes, target_ids: list[int] | None) -> dict[int, list[dict[str, Any]]]:
    """The distribution key of each target version (targets are few: read in one query)."""
    where, params = where_in("v.target_id", target_ids)
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for version_id, dept, num, den in codes.conn.execute(
        "SELECT s.target_version_id, s.department_id, s.numerator, s.denominator "
        f"FROM target_share s JOIN target_version v ON v.id = s.target_version_id {where} "
        "ORDER BY s.target_version_id, s.id",
        params,
    ):
        out[version_id].append(
            {"department": codes.code("department", dept), "numerator": num, "denominator": den}
        )
    return out


def export_document(conn: sqlite3.Connection) -> dict[str, Any]:
    """The document as plain JSON data, in a stable order (records by id)."""
    codes = Codes(conn)
    from portefolje.domain.document import FORMAT, FORMAT_VERSION

    doc: dict[str, Any] = {"format": FORMAT, "version": FORMAT_VERSION}
    for spec in SPEC:
        doc[spec.key] = [item for _, item in records(codes, spec)]
    return doc


def sync_links(
    w: Writer,
    parent_table: str,
    parent_id: int,
    links: Links,
    wanted: list[str],
    codes: Codes | None = None,
    where: str = "",
) -> None:
    """Make a link list (a project's departments …) equal `wanted`; one journal row if changed."""
    codes = codes or Codes(w.conn)
    current = link_codes(codes, links, [parent_id]).get(parent_id, [])
    ids = [codes.id(links.ref, code, f"{where}.{i}") for i, code in enumerate(wanted)]
    wanted_codes = [codes.code(links.ref, i) or "" for i in dict.fromkeys(ids)]
    if sorted(current) == sorted(wanted_codes):  # a set: stored in the referenced ids' order
        return
    w.execute(f"DELETE FROM {links.table} WHERE {links.parent} = ?", (parent_id,))
    for ref_id in dict.fromkeys(ids):
        w.execute(
            f"INSERT INTO {links.table} ({links.parent}, {links.column}) VALUES (?, ?)",
            (parent_id, ref_id),
        )
    w.journal(parent_table, parent_id, links.key, {links.key: current}, {links.key: wanted_codes})


def add_links(
    w: Writer,
    parent_table: str,
    links: Links,
    entries: list[tuple[int, list[str], str]],
    codes: Codes,
) -> None:
    """The link lists of records just added, which have none yet: (parent id, the codes, where
    in the document) each. What `sync_links` writes for each, in one bulk insert and one
    journal insert for them all."""
    if not entries:
        return
    rows: list[tuple[int, int | None]] = []
    journal: list[tuple[str, int, str, dict[str, Any] | None, dict[str, Any] | None]] = []
    for parent_id, wanted, where in entries:
        ids = dict.fromkeys(codes.id(links.ref, c, f"{where}.{i}") for i, c in enumerate(wanted))
        rows += [(parent_id, ref_id) for ref_id in ids]
        linked = [codes.code(links.ref, ref_id) or "" for ref_id in ids]
        journal.append((parent_table, parent_id, links.key, {links.key: []}, {links.key: linked}))
    w.execute_many(
        f"INSERT INTO {links.table} ({links.parent}, {links.column}) VALUES (?, ?)", rows
    )
    w.journal_many(journal)


def spec(key: str) -> Spec:
    return next(s for s in SPEC if s.key == key)
