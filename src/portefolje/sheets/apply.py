"""Applying sheet rows to the register: all rows in one Writer, each row in its own savepoint.

A row that cannot be applied is rolled back to its savepoint and reported with its row number,
column and reason; the import goes on to find every other bad row, and then nothing at all is
committed if any row failed. Records are matched by code, else by a natural key, so importing the
same sheet twice changes nothing; a changed due date or meeting date is recorded as a move or a
postponement, so the earlier date stays visible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portefolje.domain.dates import today
from portefolje.domain.errors import InvalidValue, PortefoljeError
from portefolje.sheets.columns import KINDS, amount_in, match_headers, unit_factor
from portefolje.sheets.read import Row
from portefolje.store.write import Writer


@dataclass
class Problem:
    row: int
    column: str | None
    reason: str


@dataclass
class Outcome:
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


class CellError(PortefoljeError):
    """A row's problem that belongs to one field."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field_name = field_name


class Context:
    def __init__(self, w: Writer, source: str):
        self.w = w
        self.source = source
        self.keys: dict[tuple[Any, ...], int] = {}

    def ref(self, kind: str, value: str | None, field_name: str) -> int | None:
        if value is None:
            return None
        from portefolje.store.registry import resolve

        try:
            return int(resolve(self.w.conn, kind, value)["id"])
        except PortefoljeError as exc:
            raise CellError(field_name, str(exc)) from None

    def find(
        self, table: str, code: str | None, where: str, params: tuple[Any, ...]
    ) -> dict[str, Any] | None:
        if code:
            row = self.w.conn.execute(f"SELECT * FROM {table} WHERE code = ?", (code,)).fetchone()
            if row is not None:
                return dict(row)
            return None
        rows = self.w.conn.execute(
            f"SELECT * FROM {table} WHERE {where} LIMIT 2", params
        ).fetchall()
        if len(rows) > 1:
            raise InvalidValue(
                f"more than one {table} matches this row; add a code column to tell them apart"
            )
        return dict(rows[0]) if rows else None

    def once(self, key: tuple[Any, ...], row: int) -> None:
        """Refuse a second row for the same record in one file."""
        if key in self.keys:
            raise InvalidValue(
                f"the same record as row {self.keys[key]}; each record may appear once"
            )
        self.keys[key] = row

    @property
    def note(self) -> str:
        return f"ændret ved import af {self.source}"


def _changes(
    current: dict[str, Any], values: dict[str, Any], names: tuple[str, ...]
) -> dict[str, Any]:
    """Columns whose sheet value differs; an empty cell leaves the stored value as it is."""
    return {
        n: values[n] for n in names if values.get(n) is not None and current.get(n) != values[n]
    }


def _project(c: Context, v: dict[str, Any], row: int) -> str:
    from portefolje.store.register import add_project, edit_project

    segment_id = c.ref("segment", v["segment"], "segment")
    departments = [str(c.ref("department", d, "departments")) for d in v.get("departments") or []]
    c.once(("project", v.get("code") or (segment_id, v["title"].lower())), row)
    current = c.find(
        "project",
        v.get("code"),
        "segment_id = ? AND lower(title) = lower(?)",
        (segment_id, v["title"]),
    )
    fields = (
        "title",
        "owner",
        "leader",
        "phase",
        "start_date",
        "end_date",
        "purpose",
        "case_number",
        "success_criteria",
        "risks",
    )
    if current is None:
        add_project(
            c.w,
            {n: v.get(n) for n in fields},
            segment=str(segment_id),
            departments=departments,
            code=v.get("code"),
        )
        return "created"
    changes = _changes(current, v, fields)
    if current["segment_id"] != segment_id:
        changes["segment_id"] = segment_id
    before = c.w.changes
    edit_project(
        c.w,
        str(current["id"]),
        changes,
        segment=None,
        departments=departments if v.get("departments") else None,
    )
    return "updated" if c.w.changes > before else "unchanged"


def _solution(c: Context, v: dict[str, Any], row: int) -> str:
    from portefolje.store import solutions

    project_id = c.ref("project", v["project"], "project")
    handed = v.get("handed_over_to")
    if handed:
        c.ref("department", handed, "handed_over_to")
    c.once(("solution", v.get("code") or (project_id, v["title"].lower())), row)
    current = c.find(
        "solution",
        v.get("code"),
        "project_id = ? AND lower(title) = lower(?)",
        (project_id, v["title"]),
    )
    fields = (
        "title",
        "kind",
        "trial_from",
        "trial_to",
        "trial_population",
        "description",
        "expected_effects",
        "documented_effects",
    )
    on = v.get("status_date") or today().isoformat()
    if current is None:
        values = {n: v.get(n) for n in fields} | {"status": v.get("status") or "idea"}
        solutions.add(
            c.w, values, project=str(project_id), handed_over_to=handed, code=v.get("code"), on=on
        )
        return "created"
    before = c.w.changes
    changes = _changes(current, v, fields)
    if changes:
        c.w.update("solution", current["id"], changes, action="import")
    if v.get("status") and v["status"] != current["status"]:
        solutions.set_status(
            c.w, str(current["id"]), v["status"], on=on, note=c.note, handed_over_to=handed
        )
    return "updated" if c.w.changes > before else "unchanged"


def _milestone(c: Context, v: dict[str, Any], row: int) -> str:
    from portefolje.store import milestones

    project_id = c.ref("project", v.get("project"), "project")
    portfolio_id = (
        c.ref("portfolio", v.get("portfolio"), "portfolio") if project_id is None else None
    )
    if project_id is None and portfolio_id is None:
        raise CellError("project", "say which project (or portfolio) the milestone belongs to")
    owner = ("project_id", project_id) if project_id is not None else ("portfolio_id", portfolio_id)
    c.once(("milestone", v.get("code") or (owner, v["title"].lower())), row)
    current = c.find(
        "milestone",
        v.get("code"),
        f"{owner[0]} = ? AND lower(title) = lower(?)",
        (owner[1], v["title"]),
    )
    if current is None:
        made = milestones.add(
            c.w,
            v["title"],
            due=v["due_date"],
            project=str(project_id) if project_id is not None else None,
            portfolio=str(portfolio_id) if portfolio_id is not None else None,
            code=v.get("code"),
            note=v.get("note"),
        )
        if v.get("done_date"):
            milestones.done(c.w, str(made["id"]), on=v["done_date"])
        return "created"
    before = c.w.changes
    if v["due_date"] != current["due_date"] and not current["done_date"]:
        milestones.move(
            c.w,
            str(current["id"]),
            due=v["due_date"],
            reason=v.get("reason") or c.note,
            on=today().isoformat(),
        )
    if v.get("done_date") and not current["done_date"]:
        milestones.done(c.w, str(current["id"]), on=v["done_date"])
    if v.get("note") and v["note"] != current["note"]:
        c.w.update("milestone", current["id"], {"note": v["note"]}, action="import")
    return "updated" if c.w.changes > before else "unchanged"


def _deliverable(c: Context, v: dict[str, Any], row: int) -> str:
    from portefolje.domain.rules import parse_prior
    from portefolje.store import deliverables

    committee_id = c.ref("committee", v["committee"], "committee")
    for project in v.get("projects") or []:
        c.ref("project", project, "projects")
    try:
        priors = [parse_prior(p) for p in v.get("prior") or []]
    except PortefoljeError as exc:
        raise CellError("prior", str(exc)) from None
    for committee, _, _ in priors:
        c.ref("committee", committee, "prior")
    c.once(("deliverable", v.get("code") or (committee_id, v["title"].lower())), row)
    current = c.find(
        "deliverable",
        v.get("code"),
        "committee_id = ? AND lower(title) = lower(?)",
        (committee_id, v["title"]),
    )
    if current is None:
        deliverables.add(
            c.w,
            v["title"],
            committee=str(committee_id),
            meeting=v["meeting_date"],
            kind=v.get("kind"),
            projects=v.get("projects") or [],
            priors=priors,
            portfolio=v.get("portfolio"),
            code=v.get("code"),
            description=v.get("description"),
        )
        return "created"
    before = c.w.changes
    if v["meeting_date"] != current["meeting_date"] and current["status"] != "delivered":
        deliverables.postpone(
            c.w,
            str(current["id"]),
            meeting=v["meeting_date"],
            reason=v.get("reason") or c.note,
            on=today().isoformat(),
        )
    changes = _changes(current, v, ("kind", "description"))
    if changes:
        c.w.update("deliverable", current["id"], changes, action="import")
    return "updated" if c.w.changes > before else "unchanged"


def _money(c: Context, v: dict[str, Any], row: int, table: str) -> str:
    from portefolje.store import economics

    if table == "saving" and (v.get("year") is None) == (v.get("from_year") is None):
        raise CellError("year", "give a year (a single year) or a from-year (recurring), not both")
    project_id = c.ref("project", v["project"], "project")
    department_id = c.ref("department", v.get("department"), "department")
    solution_id = c.ref("solution", v.get("solution"), "solution") if table == "saving" else None
    area = v.get("area") or "service"
    natural = (project_id, department_id, area, v.get("year"), v.get("from_year"))
    if table == "investment":
        natural = (project_id, department_id, area, v.get("year"), (v.get("funding") or "").lower())
    c.once((table, v.get("code") or natural), row)
    where = (
        "project_id = ? AND department_id IS ? AND area = ? AND year IS ? AND from_year IS ?"
        if table == "saving"
        else "project_id = ? AND department_id IS ? AND area = ? AND year IS ? "
        "AND lower(coalesce(funding, '')) = ?"
    )
    current = c.find(table, v.get("code"), where, natural)
    values = {
        "amount": v["amount"],
        "area": area,
        "price_level": v.get("price_level"),
        "note": v.get("note"),
    }
    if table == "saving":
        values |= {
            "year": v.get("year"),
            "from_year": v.get("from_year"),
            "stage": v.get("stage") or "estimated",
            "solution_id": solution_id,
        }
    else:
        values |= {"year": v["year"], "funding": v.get("funding")}
    if current is None:
        plain = {k: val for k, val in values.items() if k != "solution_id"}
        dept = str(department_id) if department_id is not None else None
        if table == "saving":
            economics.add_saving(
                c.w,
                plain,
                project=str(project_id),
                department=dept,
                solution=str(solution_id) if solution_id else None,
                code=v.get("code"),
            )
        else:
            economics.add_investment(
                c.w, plain, project=str(project_id), department=dept, code=v.get("code")
            )
        return "created"
    changes = {k: val for k, val in values.items() if val is not None and current.get(k) != val}
    if not changes:
        return "unchanged"
    if table == "saving" and current["stage"] != "estimated" and "note" not in changes:
        changes["note"] = c.note  # a documented figure never changes without a stated reason
    c.w.update(table, current["id"], changes, action="import")
    return "updated"


APPLY: dict[str, Callable[[Context, dict[str, Any], int], str]] = {
    "projects": _project,
    "solutions": _solution,
    "milestones": _milestone,
    "deliverables": _deliverable,
    "savings": lambda c, v, r: _money(c, v, r, "saving"),
    "investments": lambda c, v, r: _money(c, v, r, "investment"),
}


def import_rows(
    w: Writer,
    kind: str,
    rows: list[Row],
    *,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Apply every row; collect every problem. The caller commits only when there is none."""
    outcome = Outcome()
    headers = list(rows[0][1]) if rows else []
    known, outcome.ignored_columns = match_headers(kind, headers)
    fields = KINDS[kind]
    missing = [f.name for f in fields if f.required and f.name not in known]
    if missing:
        outcome.problems.append(Problem(1, None, f"missing column(s): {', '.join(missing)}"))
        return outcome
    c = Context(w, source)
    for done, (number, record) in enumerate(rows, start=1):
        values: dict[str, Any] = {}
        bad = False
        for f in fields:
            header = known.get(f.name)
            if header is None:
                continue
            try:
                raw = record.get(header)
                value = amount_in(raw, unit_factor(header)) if f.name == "amount" else f.parse(raw)
            except PortefoljeError as exc:
                outcome.problems.append(Problem(number, header, str(exc)))
                bad = True
                continue
            if f.required and value in (None, "", []):
                outcome.problems.append(Problem(number, header, "a value is required"))
                bad = True
            values[f.name] = value
        if not bad:
            try:
                with w.savepoint():
                    outcome.counts[APPLY[kind](c, values, number)] += 1
            except PortefoljeError as exc:
                column = known.get(exc.field_name) if isinstance(exc, CellError) else None
                outcome.problems.append(Problem(number, column, str(exc)))
        if progress:
            progress(done)
    return outcome
