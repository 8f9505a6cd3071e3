"""Applying sheet rows to the register: all rows in one Writer, each row in its own savepoint.

A row that cannot be applied is rolled back to its savepoint and reported with its row number,
column and reason; the import goes on to find every other bad row, and then nothing at all is
committed if any row failed. Records are matched by code, else by a natural key, so importing the
same sheet twice changes nothing; a changed due date or meeting date is recorded as a move or a
postponement, so the earlier date stays visible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
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
    """What one import shares across its rows: reference lookups, the records of the target
    table loaded once, generated codes, and new rows waiting for the bulk insert."""

    def __init__(self, w: Writer, source: str):
        self.w = w
        self.source = source
        self.keys: dict[tuple[Any, ...], int] = {}
        self.refs: dict[tuple[str, str], int] = {}
        self.loaded: dict[str, dict[Any, list[Any]]] = {}
        self.pending: list[tuple[int, str, dict[str, Any]]] = []
        self.next_number: dict[str, int] = {}

    def ref(self, kind: str, value: str | None, field_name: str) -> int | None:
        """The id a reference names. Cached: an import never creates the kinds it refers to."""
        if value is None:
            return None
        hit = self.refs.get((kind, value))  # the same text as before: no work at all
        if hit is not None:
            return hit
        key = (kind, str(value).lower())
        if key not in self.refs:
            from portefolje.store.registry import resolve

            try:
                self.refs[key] = int(resolve(self.w.conn, kind, value)["id"])
            except PortefoljeError as exc:
                raise CellError(field_name, str(exc)) from None
        self.refs[(kind, value)] = self.refs[key]
        return self.refs[key]

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

    def money(self, table: str, columns: tuple[str, ...], by: str) -> dict[Any, list[Any]]:
        """The table's records as [id, row seen in this file, hash of the compared values], by
        code (lower case) or by natural key, each map read once and only if a row needs it, so
        a large table costs a few small objects per record."""
        name = f"{table}:{by}"
        if name not in self.loaded:
            found: dict[Any, list[Any]] = {}
            for r in self.w.conn.execute(f"SELECT id, code, {', '.join(columns)} FROM {table}"):
                values = tuple(r[2:])
                key = (
                    r[1].lower()
                    if by == "code"
                    else _natural_key(table, dict(zip(columns, values, strict=True)))
                )
                found[key] = [r[0], 0, hash(values)]
            self.loaded[name] = found
            if by == "code":  # codes queued before this map was read are taken too
                for _, pending_table, row in self.pending:
                    if pending_table == table:
                        found.setdefault(row["code"].lower(), [None, 0, None])
        return self.loaded[name]

    def new_code(self, kind: str, taken: dict[str, Any]) -> str:
        from portefolje.store.registry import KINDS, next_code

        prefix = KINDS[kind].prefix
        if kind not in self.next_number:
            self.next_number[kind] = int(next_code(self.w.conn, kind)[len(prefix) :])
        while f"{prefix}{self.next_number[kind]}".lower() in taken:
            self.next_number[kind] += 1
        code = f"{prefix}{self.next_number[kind]}"
        self.next_number[kind] += 1
        return code

    def once(self, key: tuple[Any, ...], row: int) -> None:
        """Refuse a second row for the same record in one file."""
        if key in self.keys:
            raise InvalidValue(
                f"the same record as row {self.keys[key]}; each record may appear once"
            )
        self.keys[key] = row

    def flush(self, problems: list[Problem]) -> None:
        """Insert the queued new rows with the bulk path. Values were validated row by row, so a
        failure here is unexpected: then the rows go in one at a time to name the culprit."""
        by_table: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for number, table, row in self.pending:
            by_table.setdefault(table, []).append((number, row))
        self.pending = []
        for table, items in by_table.items():
            try:
                with self.w.savepoint():
                    self.w.insert_many(table, [row for _, row in items])
            except PortefoljeError:
                for number, row in items:
                    try:
                        with self.w.savepoint():
                            self.w.insert(table, row)
                    except PortefoljeError as exc:
                        problems.append(Problem(number, None, str(exc)))

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


SAVING_COLUMNS: tuple[str, ...] = (
    "project_id",
    "department_id",
    "area",
    "amount",
    "price_level",
    "note",
    "solution_id",
    "year",
    "from_year",
    "stage",
)
INVESTMENT_COLUMNS: tuple[str, ...] = (
    "project_id",
    "department_id",
    "area",
    "amount",
    "price_level",
    "note",
    "year",
    "funding",
)


def _money(c: Context, v: dict[str, Any], row: int, table: str) -> str:
    """A saving or investment row, matched against the table read once (compactly); a new row is
    queued for the bulk insert, a changed one updated (journaled) at once."""
    if table == "saving" and (v.get("year") is None) == (v.get("from_year") is None):
        raise CellError("year", "give a year (a single year) or a from-year (recurring), not both")
    values: dict[str, Any] = {
        "project_id": c.ref("project", v["project"], "project"),
        "department_id": c.ref("department", v.get("department"), "department"),
        "area": v.get("area") or "service",
        "amount": v["amount"],
        "price_level": v.get("price_level"),
        "note": v.get("note"),
    }
    if table == "saving":
        solution_id = c.ref("solution", v.get("solution"), "solution")
        if solution_id is not None:
            owner = c.w.conn.execute(
                "SELECT project_id FROM solution WHERE id = ?", (solution_id,)
            ).fetchone()[0]
            if owner != values["project_id"]:
                raise CellError("solution", f"solution {v['solution']} belongs to another project")
        values |= {
            "solution_id": solution_id,
            "year": v.get("year"),
            "from_year": v.get("from_year"),
            "stage": v.get("stage") or "estimated",
        }
        columns = SAVING_COLUMNS
    else:
        values |= {"year": v["year"], "funding": v.get("funding")}
        columns = INVESTMENT_COLUMNS
    key = _natural_key(table, values)
    code = v.get("code")
    index = c.money(table, columns, "code" if code else "key")
    current = index.get(code.lower() if code else key)
    if current is not None and current[1]:
        raise InvalidValue(f"the same record as row {current[1]}; each record may appear once")
    if current is None:
        codes = index if code else c.money(table, columns, "code")
        values["code"] = code or c.new_code(table, codes)
        entry = [None, row, None]  # queued: enough to refuse a second row for it
        codes[values["code"].lower()] = entry
        if f"{table}:key" in c.loaded:
            c.loaded[f"{table}:key"][key] = entry
        c.pending.append((row, table, values))
        return "created"
    current[1] = row  # seen in this file: a second row for it is refused
    if current[2] == hash(tuple(values[k] for k in columns)):
        return "unchanged"
    stored = c.w.row(table, current[0])
    changes = {k: val for k, val in values.items() if val is not None and stored.get(k) != val}
    if not changes:
        return "unchanged"
    if table == "saving" and stored.get("stage") != "estimated" and "note" not in changes:
        changes["note"] = c.note  # a documented figure never changes without a stated reason
    after = c.w.update(table, current[0], changes, action="import")
    current[2] = hash(tuple(after[k] for k in columns))
    return "updated"


def _natural_key(table: str, r: dict[str, Any]) -> tuple[Any, ...]:
    if table == "saving":
        return (r["project_id"], r["department_id"], r["area"], r["year"], r["from_year"])
    return (r["project_id"], r["department_id"], r["area"], r["year"], (r["funding"] or "").lower())


APPLY: dict[str, Callable[[Context, dict[str, Any], int], str]] = {
    "projects": _project,
    "solutions": _solution,
    "milestones": _milestone,
    "deliverables": _deliverable,
    "savings": lambda c, v, r: _money(c, v, r, "saving"),
    "investments": lambda c, v, r: _money(c, v, r, "investment"),
}


CHUNK = 5000  # rows between bulk inserts: bounded memory, few statements

# Columns whose values repeat from row to row (categories, years, dates, references): their
# parse is remembered per distinct cell text for the length of one import.
REPEATING = {
    "area",
    "stage",
    "kind",
    "status",
    "phase",
    "year",
    "from_year",
    "price_level",
    "project",
    "department",
    "segment",
    "committee",
    "portfolio",
    "solution",
    "handed_over_to",
    "status_date",
    "due_date",
    "done_date",
    "meeting_date",
    "start_date",
    "end_date",
    "trial_from",
    "trial_to",
}


def _memo(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    seen: dict[Any, Any] = {}

    def remembered(raw: Any) -> Any:
        try:
            return seen[raw]
        except KeyError:
            value = seen[raw] = parse(raw)  # an error is raised, not remembered
            return value
        except TypeError:  # an unhashable cell
            return parse(raw)

    return remembered


def import_rows(
    w: Writer,
    kind: str,
    header: list[str],
    rows: Iterator[Row],
    *,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Apply every row; collect every problem. The caller commits only when there is none."""
    outcome = Outcome()
    known, outcome.ignored_columns = match_headers(kind, [h for h in header if h])
    fields = KINDS[kind]
    missing = [f.name for f in fields if f.required and f.name not in known]
    if missing:
        outcome.problems.append(Problem(1, None, f"missing column(s): {', '.join(missing)}"))
        return outcome
    # per known column: its field, where it stands in a row, and how a cell becomes a value
    plan = []
    for f in fields:
        if f.name in known:
            title = known[f.name]
            factor = unit_factor(title) if f.name == "amount" else 1
            parse = (
                (lambda raw, factor=factor: amount_in(raw, factor))
                if f.name == "amount"
                else f.parse
            )
            if f.name in REPEATING:
                parse = _memo(parse)
            plan.append((f.name, title, header.index(title), parse, f.required))
    c = Context(w, source)
    done = 0
    for number, cells in rows:
        values: dict[str, Any] = {}
        bad = False
        width = len(cells)
        for name, title, index, parse, required in plan:
            try:
                value = parse(cells[index] if index < width else None)
            except PortefoljeError as exc:
                outcome.problems.append(Problem(number, title, str(exc)))
                bad = True
                continue
            if required and value in (None, "", []):
                outcome.problems.append(Problem(number, title, "a value is required"))
                bad = True
            values[name] = value
        if not bad:
            try:
                with w.savepoint():
                    outcome.counts[APPLY[kind](c, values, number)] += 1
            except PortefoljeError as exc:
                column = known.get(exc.field_name) if isinstance(exc, CellError) else None
                outcome.problems.append(Problem(number, column, str(exc)))
        done += 1
        if len(c.pending) >= CHUNK:
            c.flush(outcome.problems)
        if progress and done % 100 == 0:
            progress(done)
    c.flush(outcome.problems)
    if progress:
        progress(done)
    return outcome
