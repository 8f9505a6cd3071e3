"""Applying sheet rows to the register: all rows in one Writer, each row in its own savepoint.

Every row becomes the domain operations a user would have typed (add, edit, move, postpone or
bring forward, a status step, `saving edit` with its note), so a rule the command line enforces
holds for a sheet too. A row that cannot be applied is rolled back to its savepoint and reported
with its row number, column and reason; the import goes on to find every other bad row, and then
nothing at all is committed if any row failed. Records are matched by code, else by a natural key;
an empty cell leaves the stored value as it is and a missing column never resets anything, so
importing the same sheet twice changes nothing. New money lines go in with the bulk path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portefolje.domain.dates import today
from portefolje.domain.economics import check_saving
from portefolje.domain.errors import InvalidValue, PortefoljeError, Refused
from portefolje.i18n import msg, table_name
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
    """What one import shares across its rows: reference lookups, the money lines in force
    loaded once, generated codes, and new money lines waiting for the bulk insert."""

    def __init__(self, w: Writer, source: str):
        self.w = w
        self.source = source
        self.today = today().isoformat()
        self.keys: dict[tuple[Any, ...], int] = {}
        self.refs: dict[tuple[str, str], int] = {}
        self.codes: dict[str, dict[str, int]] = {}  # per kind, ids by code (registry.ids_by_code)
        self.lines: dict[str, Lines] = {}
        # per kind: (row, code or "", values) of each new line, and its code once flushed
        self.pending: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}
        self.queued = 0  # new money lines in `pending`
        # per kind, the numbers of the codes this import generated (first, last) per chunk
        self.generated: dict[str, list[tuple[int, int]]] = {}
        # the chunk being written behind (Writer.behind): its kind and rows, until settled
        self.running: tuple[str, list[tuple[int, str, dict[str, Any]]], list[str]] | None = None

    def ref(self, kind: str, value: str | None, field_name: str) -> int | None:
        """The id a reference names. Cached: an import never creates the kinds it refers to."""
        if value is None:
            return None
        hit = self.refs.get((kind, value))  # the same text as before: no work at all
        if hit is not None:
            return hit
        key = (kind, str(value).casefold())
        if key not in self.refs:
            from portefolje.store.registry import ids_by_code, resolve

            text = str(value).strip()
            found = None
            if text.isascii() and not text.isdigit():  # a code, most likely: all read at once
                if kind not in self.codes:
                    self.codes[kind] = ids_by_code(self.w.conn, kind)
                found = self.codes[kind].get(text.lower())
            try:
                self.refs[key] = found or int(resolve(self.w.conn, kind, value)["id"])
            except PortefoljeError as exc:
                raise CellError(field_name, str(exc)) from None
        self.refs[(kind, value)] = self.refs[key]
        return self.refs[key]

    def find(
        self, table: str, code: str | None, where: str, params: tuple[Any, ...]
    ) -> dict[str, Any] | None:
        from portefolje.store import matching

        if code:
            return matching.by_code(self.w.conn, table, code)
        rows = matching.by_key(self.w.conn, table, where, params)
        if len(rows) > 1:
            raise InvalidValue(msg("err.sheet_many_match", kind=table_name(table)))
        return rows[0] if rows else None

    def money(self, kind: str) -> Lines:
        if kind not in self.lines:
            self.lines[kind] = Lines(self.w.conn, kind, self.today)
        return self.lines[kind]

    def once(self, key: tuple[Any, ...], row: int) -> None:
        """Refuse a second row for the same record in one file."""
        if key in self.keys:
            raise InvalidValue(msg("err.sheet_same_record", row=self.keys[key]))
        self.keys[key] = row

    def flush(self, problems: list[Problem]) -> None:
        """Insert the queued new money lines with the bulk path, behind (Writer.behind): SQLite
        writes them in a thread while the next rows are checked, and `settle` ends them before
        the next chunk or the commit. Values were checked row by row, so a failure here is
        unexpected: then the rows go in one at a time to name it."""
        from portefolje.store import versions
        from portefolje.store.registry import allocate_codes, claim_codes, code_number

        for kind, items in self.pending.items():
            if not items:
                continue
            self.settle(problems)
            v = versions.ALL[kind]
            given = [code for _, code, _ in items]
            # the codes the sheet gives first: a generated one must not be one of them (SV1
            # given on one row, none on the next, in a new register, would give SV1 twice)
            claim_codes(self.w.conn, kind, filter(None, given))
            made = allocate_codes(self.w.conn, kind, given.count(""))
            if made:  # in order: a later row that gives one of them is refused by name
                numbers = [code_number(kind, code) or 0 for code in (made[0], made[-1])]
                self.generated.setdefault(kind, []).append((numbers[0], numbers[1]))
            generated = iter(made)
            codes = [code or next(generated) for code in given]
            try:
                with self.w.behind():
                    versions.add_many(
                        self.w,
                        v,
                        [{"code": code} for code in codes],
                        [values for _, _, values in items],
                        self.today,
                    )
            except PortefoljeError as exc:
                self._one_by_one(kind, items, codes, problems, exc)
            else:
                self.running = (kind, items, codes)
        self.pending = {}
        self.queued = 0

    def settle(self, problems: list[Problem]) -> None:
        """Wait for the chunk SQLite is writing behind; if it failed, it was undone (with any
        edit made since), and its rows go in one at a time to name the faulty ones."""
        running, self.running = self.running, None
        try:
            self.w.settle()
        except PortefoljeError as exc:
            if running is not None:
                self._one_by_one(*running, problems, exc)
            else:
                raise

    def _one_by_one(
        self,
        kind: str,
        items: list[tuple[int, str, dict[str, Any]]],
        codes: list[str],
        problems: list[Problem],
        failure: PortefoljeError,
    ) -> None:
        from portefolje.store import versions

        v, before = versions.ALL[kind], len(problems)
        for (number, _, values), code in zip(items, codes, strict=True):
            try:
                with self.w.savepoint():
                    versions.add(self.w, v, {"code": code}, values, self.today)
            except PortefoljeError as exc:
                problems.append(Problem(number, None, str(exc)))
        if len(problems) == before:  # never commit after an undo that no row explains
            problems.append(Problem(items[0][0], None, str(failure)))

    def not_generated(self, kind: str, code: str) -> None:
        """Refuse a new line's code that this import already generated for an earlier line
        without one (a sheet is read once: codes given further down are not known when an
        earlier chunk's codes are generated)."""
        from portefolje.store.registry import code_number

        number = code_number(kind, code)
        if number is not None and any(lo <= number <= hi for lo, hi in self.generated[kind]):
            raise CellError("code", msg("err.sheet_code_generated", code=code))

    @property
    def note(self) -> str:
        return f"ændret ved import af {self.source}"


class Lines:
    """The saving or investment lines in force, by code and by (project, year, from year): the
    candidates a row without a code is matched against on the columns it fills in."""

    def __init__(self, conn: Any, kind: str, day: str):
        from portefolje.store import matching

        self.fields = matching.FIELDS[kind]
        self.at = {f: 3 + i for i, f in enumerate(self.fields)}  # where a field stands in an entry
        # where the match key's fields stand (a line is keyed on project, year and from-year)
        self.keyed_at = (self.at["project_id"], self.at["year"], self.at.get("from_year"))
        self.by_code: dict[str, list[Any]] = {}
        self.by_key: dict[tuple[Any, ...], list[list[Any]]] = {}
        self.kept: dict[tuple[str, ...], tuple[str, ...]] = {}
        for row in matching.money_lines(conn, kind, day):
            self._keep([row[0], row[1], 0, *row[2:]])  # id, code, row seen in this file, fields

    def _keep(self, entry: Any) -> None:
        """Keep a line by its code and its key (once per line: 200,000 in a large sheet)."""
        if entry[1] is not None:
            code = str(entry[1])
            folded = code.casefold()
            # most codes are already folded: keep one string, not two (200,000 in a file)
            self.by_code[code if folded == code else folded] = entry
        project, year, from_year = self.keyed_at
        key = (entry[project], entry[year], None if from_year is None else entry[from_year])
        same = self.by_key.get(key)
        if same is None:
            self.by_key[key] = [entry]
        else:
            same.append(entry)

    def value(self, entry: list[Any], field_name: str) -> Any:
        return entry[self.at[field_name]]

    def match(self, values: dict[str, Any], keyed: tuple[str, ...]) -> list[Any] | None:
        """The one line whose keyed fields equal the row's filled-in ones; None for a new line;
        refused when the row's columns cannot tell two lines apart."""
        key = (values["project_id"], values["year"], values.get("from_year"))
        found = [
            e
            for e in self.by_key.get(key, [])
            if all(values.get(f) is None or self.value(e, f) == values[f] for f in keyed)
        ]
        if len(found) > 1:
            raise InvalidValue(msg("err.sheet_lines_match", n=len(found)))
        return found[0] if found else None

    def add(
        self, code: str | None, row: int, values: dict[str, Any], keyed: tuple[str, ...]
    ) -> None:
        """A line this file creates: kept only to be found again (the same record in a later
        row), so only its code and the values it is matched on (200,000 lines in a file)."""
        names = self.kept.get(keyed)
        if names is None:  # the fields kept, the others read as a name no row has (None)
            wanted = {"project_id", "year", "from_year", *keyed}
            last = max(i for i, f in enumerate(self.fields) if f in wanted)
            # up to the last field kept (FIELDS name them first): a line found again by its
            # code or key is refused as a second row for it, never read further
            names = self.kept[keyed] = tuple(
                f if f in wanted else "" for f in self.fields[: last + 1]
            )
        # a tuple: no spare slots; its row is never reset. Its code is kept folded, the one
        # string by_code also keys it by (a line of this file is only ever found again to be
        # refused as a second row for it, so its code as written is not needed)
        folded = code.casefold() if code is not None else None
        self._keep((None, folded, row, *map(values.get, names)))


def _changes(
    current: dict[str, Any], values: dict[str, Any], names: tuple[str, ...]
) -> dict[str, Any]:
    """Columns whose sheet value differs; an empty cell leaves the stored value as it is."""
    return {
        n: values[n] for n in names if values.get(n) is not None and current.get(n) != values[n]
    }


PROJECT_FIELDS = (
    "title",
    "owner",
    "leader",
    "start_date",
    "end_date",
    "purpose",
    "case_number",
    "success_criteria",
    "risks",
)


def _project(c: Context, v: dict[str, Any], row: int) -> str:
    from portefolje.store import queries
    from portefolje.store.register import add_project, edit_project

    segment_id = c.ref("segment", v["segment"], "segment")
    departments = [str(c.ref("department", d, "departments")) for d in v.get("departments") or []]
    c.once(("project", v.get("code") or (segment_id, v["title"].casefold())), row)
    current = c.find(
        "project",
        v.get("code"),
        "segment_id = ? AND lower(title) = lower(?)",
        (segment_id, v["title"]),
    )
    if current is None:
        add_project(
            c.w,
            {n: v.get(n) for n in PROJECT_FIELDS},
            segment=str(segment_id),
            departments=departments,
            code=v.get("code"),
            phase=v.get("phase"),
        )
        return "created"
    changes = _changes(current, v, PROJECT_FIELDS)
    if current["segment_id"] != segment_id:
        changes["segment_id"] = segment_id
    before = c.w.changes
    now = queries.projects(c.w.conn, [current["id"]])[0]
    phase = v.get("phase") if v.get("phase") and v.get("phase") != now["phase"] else None
    edit_project(
        c.w,
        str(current["id"]),
        changes,
        segment=None,
        departments=departments if v.get("departments") else None,
        phase=phase,
        on=c.today,
    )
    return "updated" if c.w.changes > before else "unchanged"


SOLUTION_FIELDS = (
    "title",
    "kind",
    "trial_from",
    "trial_to",
    "trial_population",
    "description",
    "expected_effects",
    "documented_effects",
)


def _solution(c: Context, v: dict[str, Any], row: int) -> str:
    from portefolje.store import solutions

    project_id = c.ref("project", v["project"], "project")
    handed = v.get("handed_over_to")
    if handed:
        c.ref("department", handed, "handed_over_to")
    c.once(("solution", v.get("code") or (project_id, v["title"].casefold())), row)
    current = c.find(
        "solution",
        v.get("code"),
        "project_id = ? AND lower(title) = lower(?)",
        (project_id, v["title"]),
    )
    on = v.get("status_date") or c.today
    if current is None:
        values = {n: v.get(n) for n in SOLUTION_FIELDS} | {"status": v.get("status") or "idea"}
        solutions.add(
            c.w, values, project=str(project_id), handed_over_to=handed, code=v.get("code"), on=on
        )
        return "created"
    before = c.w.changes
    changes = _changes(current, v, SOLUTION_FIELDS)
    if changes:
        solutions.edit(c.w, str(current["id"]), changes, handed_over_to=None)
    now = solutions.record(c.w.conn, str(current["id"]), as_of=date(9999, 12, 31))
    if v.get("status") and v["status"] != now["status"]:
        last = now["history"][-1]["date"] if now["history"] else on
        solutions.set_status(
            c.w,
            str(current["id"]),
            v["status"],
            on=max(on, last),
            note=c.note,
            handed_over_to=handed,
        )
    return "updated" if c.w.changes > before else "unchanged"


def _milestone(c: Context, v: dict[str, Any], row: int) -> str:
    from portefolje.store import milestones

    project_id = c.ref("project", v.get("project"), "project")
    portfolio_id = (
        c.ref("portfolio", v.get("portfolio"), "portfolio") if project_id is None else None
    )
    if project_id is None and portfolio_id is None:
        raise CellError("project", msg("err.sheet_milestone_owner"))
    owner = ("project_id", project_id) if project_id is not None else ("portfolio_id", portfolio_id)
    c.once(("milestone", v.get("code") or (owner, v["title"].casefold())), row)
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
    now = milestones.record(c.w.conn, str(current["id"]), as_of=date(9999, 12, 31))
    if v["due_date"] != now["due_date"] and now["state"] == "open":
        last = now["moves"][-1]["moved_on"] if now["moves"] else c.today
        milestones.move(
            c.w,
            str(current["id"]),
            due=v["due_date"],
            reason=v.get("reason") or c.note,
            on=max(c.today, last),
        )
    if v.get("done_date") and now["state"] == "open":
        milestones.done(c.w, str(current["id"]), on=v["done_date"])
    if v.get("note") and v["note"] != current["note"]:
        milestones.edit(c.w, str(current["id"]), {"note": v["note"]})
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
    c.once(("deliverable", v.get("code") or (committee_id, v["title"].casefold())), row)
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
    return _deliverable_changes(c, v, current, priors)


def _deliverable_changes(
    c: Context, v: dict[str, Any], current: dict[str, Any], priors: list[Any]
) -> str:
    """A moved meeting is a postponement or a bringing forward (with the prior handling the row
    gives, or the one stored if it still fits); kind, description, projects and prior handling
    are edits."""
    from portefolje.store import deliverables

    before = c.w.changes
    now = deliverables.record(c.w.conn, str(current["id"]), as_of=date(9999, 12, 31))
    if v["meeting_date"] != now["meeting_date"] and now["status"] in ("planned", "postponed"):
        last = now["postponements"][-1]["postponed_on"] if now["postponements"] else c.today
        deliverables.reschedule(
            c.w,
            str(current["id"]),
            meeting=v["meeting_date"],
            reason=v.get("reason") or c.note,
            on=max(c.today, last),
            kind="advanced" if v["meeting_date"] < now["meeting_date"] else "postponed",
            priors=priors or None,
        )
        priors = []
    changes = _changes(current, v, ("kind", "description"))
    wanted_projects = v.get("projects") or None
    if wanted_projects is not None and sorted(wanted_projects) == sorted(now["projects"]):
        wanted_projects = None
    stored_priors = [(p["committee"], p["meeting_date"], p["kind"]) for p in now["prior"]]
    wanted_priors = (
        priors if priors and sorted(map(str, priors)) != sorted(map(str, stored_priors)) else None
    )
    if changes or wanted_projects is not None or wanted_priors is not None:
        deliverables.edit(
            c.w, str(current["id"]), changes, projects=wanted_projects, priors=wanted_priors
        )
    return "updated" if c.w.changes > before else "unchanged"


KEYED = {
    "saving": ("department_id", "area", "stage", "name"),
    "investment": ("department_id", "area", "name", "funding"),
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "saving": {"area": "service", "stage": "estimated", "attribution": 100},
    "investment": {"area": "service", "status": "granted"},
}


def _money(c: Context, v: dict[str, Any], row: int, kind: str) -> str:
    """A saving or investment row: matched by code, else on the columns it fills in (an empty
    cell matches any value and changes nothing); a new line is queued for the bulk insert, a
    changed one goes through the same operation as `saving edit` / `investment edit`."""
    values = _money_values(c, v, kind)
    lines = c.money(kind)
    code = v.get("code")
    current = lines.by_code.get(code.casefold()) if code else lines.match(values, KEYED[kind])
    if current is not None and current[2]:
        raise InvalidValue(msg("err.sheet_same_record", row=current[2]))
    if current is None:
        if code and kind in c.generated:
            c.not_generated(kind, code)
        new: dict[str, Any] = dict(DEFAULTS[kind])
        new.update({k: x for k, x in values.items() if x is not None})
        if kind == "saving":
            if new["stage"] != "estimated":
                new.setdefault("realised", new["amount"])
            check_saving(new)
        c.pending.setdefault(kind, []).append((row, code or "", new))
        c.queued += 1
        lines.add(code or None, row, new, KEYED[kind])
        return "created"
    current[2] = row
    changes = {f: x for f, x in values.items() if x is not None and lines.value(current, f) != x}
    if not changes:
        return "unchanged"
    _edit_money(c, kind, current[1], changes)
    return "updated"


def _money_values(c: Context, v: dict[str, Any], kind: str) -> dict[str, Any]:
    """The row's filled-in cells as column values (references resolved)."""
    get, ref = v.get, c.ref  # (200,000 rows in a large sheet)
    values: dict[str, Any] = {
        "project_id": ref("project", v["project"], "project"),
        "department_id": ref("department", get("department"), "department"),
        "area": get("area"),
        "amount": get("amount"),
        "price_level": get("price_level"),
        "note": get("note"),
        "name": get("name"),
        "fte": get("fte"),
        "year": get("year"),
    }
    if kind != "saving":
        values["funding"] = get("funding")
        values["status"] = get("status")
        return values
    from_year, solution = get("from_year"), get("solution")
    if (values["year"] is None) == (from_year is None):
        raise CellError("year", msg("err.year_xor_from_year"))
    solution_id = ref("solution", solution, "solution")
    if solution_id is not None:
        from portefolje.store.matching import solution_project

        if solution_project(c.w.conn, solution_id) != values["project_id"]:
            raise CellError("solution", msg("err.solution_other_project", code=solution))
    values["solution_id"] = solution_id
    values["from_year"] = from_year
    values["stage"] = get("stage")
    values["realised"] = get("realised")
    values["attribution"] = get("attribution")
    return values


def _edit_money(c: Context, kind: str, code: str, changes: dict[str, Any]) -> None:
    from portefolje.store import economics

    note = changes.pop("note", None)
    project = changes.pop("project_id", None)
    department = changes.pop("department_id", None)
    solution = changes.pop("solution_id", None)
    refs = {
        "project": str(project) if project is not None else None,
        "department": str(department) if department is not None else None,
    }
    if kind == "investment":
        economics.edit_investment(c.w, code, {**changes, "note": note}, on=c.today, **refs)
        return
    try:
        economics.edit_saving(
            c.w,
            code,
            changes,
            solution=str(solution) if solution else None,
            note=note,
            on=c.today,
            **refs,
        )
    except Refused as exc:
        if "--note" not in str(exc):
            raise
        raise CellError(
            "note",
            msg("err.sheet_saving_note", code=code),
        ) from None


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


AMOUNTS_KEPT = 4096  # distinct amount texts remembered at a time (a 200,000-line file has ~2,000)


def _memo_amount(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An amount's parse remembered per cell text: amounts repeat (round figures), but a file
    may hold as many as it has lines, so at most AMOUNTS_KEPT are kept. Only text cells: a
    number cell (1, 1.0, True) goes to the parser every time, which tells them apart."""
    seen: dict[str, Any] = {}

    def remembered(raw: Any) -> Any:
        if raw.__class__ is not str:
            return parse(raw)
        try:
            return seen[raw]
        except KeyError:
            if len(seen) >= AMOUNTS_KEPT:
                seen.clear()
            value = seen[raw] = parse(raw)  # an error is raised, not remembered
            return value

    return remembered


def _row_values(
    plan: list[tuple[str, str, int, Callable[[Any], Any], bool]],
    number: int,
    cells: list[Any],
    problems: list[Problem],
) -> tuple[dict[str, Any], bool]:
    """A row's values, cell by cell, each problem named by its column: (values, any problem)."""
    values: dict[str, Any] = {}
    bad = False
    width = len(cells)
    for name, title, index, parse, required in plan:
        try:
            value = parse(cells[index] if index < width else None)
        except PortefoljeError as exc:
            problems.append(Problem(number, title, str(exc)))
            bad = True
            continue
        if required and value in (None, "", []):
            problems.append(Problem(number, title, msg("err.value_required")))
            bad = True
        values[name] = value
    return values, bad


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
    try:
        known, outcome.ignored_columns = match_headers(kind, [h for h in header if h])
    except PortefoljeError as exc:
        outcome.problems.append(Problem(1, None, str(exc)))
        return outcome
    fields = KINDS[kind]
    missing = [f.name for f in fields if f.required and f.name not in known]
    if missing:
        outcome.problems.append(
            Problem(1, None, msg("err.sheet_missing_columns", columns=", ".join(missing)))
        )
        return outcome
    # per known column: its field, where it stands in a row, and how a cell becomes a value
    plan = []
    for f in fields:
        if f.name in known:
            title = known[f.name]
            money = f.name in ("amount", "realised")
            factor = unit_factor(title) if money else 1
            parse = (lambda raw, factor=factor: amount_in(raw, factor)) if money else f.parse
            if f.name in REPEATING:
                parse = _memo(parse)
            elif money:
                parse = _memo_amount(parse)
            plan.append((f.name, title, header.index(title), parse, f.required))
    c = Context(w, source)
    done = 0
    # the common row, read in one go: every known column present and parsed, the required ones
    # filled in; any other row goes through the loop below, which names each problem
    quick = [(name, index, parse) for name, _, index, parse, _ in plan]
    widest = max((index for _, index, _ in quick), default=-1)
    needed = [name for name, _, _, _, required in plan if required]
    apply, counts, step = APPLY[kind], outcome.counts, w.savepoint
    for number, cells in rows:
        bad = False
        try:
            if len(cells) <= widest:
                raise IndexError
            values = {name: parse(cells[index]) for name, index, parse in quick}
            for name in needed:
                if values[name] in (None, "", []):
                    raise IndexError
        except (PortefoljeError, IndexError):
            values, bad = _row_values(plan, number, cells, outcome.problems)
        if not bad:
            try:
                with step():
                    counts[apply(c, values, number)] += 1
            except PortefoljeError as exc:
                column = known.get(exc.field_name) if isinstance(exc, CellError) else None
                outcome.problems.append(Problem(number, column, str(exc)))
        done += 1
        if c.queued >= CHUNK:
            c.flush(outcome.problems)
        if progress and done % 100 == 0:
            progress(done)
    c.flush(outcome.problems)
    c.settle(outcome.problems)
    if progress:
        progress(done)
    return outcome
