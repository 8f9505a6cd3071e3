"""Importing the JSON document through the domain operations.

Every record of the document is compared with the same representation of the stored record
(store/transfer.py). A new record is checked with the history rules (domain/history.py) and
written with the bulk path; a changed record becomes the operations a user would have typed: a
changed field an edit, a new history event its step (a move, a postponement, a lifecycle step
with its side effects), a changed date or status without a matching event the step itself, with
"ændret ved import af FILE" as the reason. A field left out of the document leaves the stored
value as it is; the import never removes a record or a history entry. Each record is applied in
its own savepoint, so every refusal is found and listed by JSON path, and then nothing is kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portefolje.domain import history, rules
from portefolje.domain.dates import today
from portefolje.domain.document import KINDS as DOCUMENT_KINDS
from portefolje.domain.document import Entry, Invalid
from portefolje.domain.economics import check_index
from portefolje.domain.errors import PortefoljeError, Refused
from portefolje.i18n import msg, record_name
from portefolje.store import transfer
from portefolje.store.queries import marks
from portefolje.store.registry import KINDS, claim_codes
from portefolje.store.transfer import SPEC, Codes, Spec
from portefolje.store.write import Writer

CHUNK = 1000  # records compared per round trip


class _Undone(Exception):
    """Rolls a trial insert's savepoint back (`Importer._one_by_one`)."""


@dataclass
class Problem:
    path: str
    reason: str


@dataclass
class Outcome:
    summary: dict[str, Counter[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


KIND_OF_SPEC = {
    "departments": "department",
    "committees": "committee",
    "portfolios": "portfolio",
    "criteria": "criterion",
    "meetings": "meeting",
    "decisions": "decision",
    "risks": "risk",
    "actions": "action",
    "segments": "segment",
    "projects": "project",
    "solutions": "solution",
    "milestones": "milestone",
    "deliverables": "deliverable",
    "indicators": "indicator",
    "targets": "target",
    "coverage": "coverage",
    "savings": "saving",
    "investments": "investment",
}


class Importer:
    def __init__(self, w: Writer, source: str):
        self.w = w
        self.codes = Codes(w.conn)
        self.note = f"ændret ved import af {source}"
        self.today = today().isoformat()
        # a kind's lists that name records of the same kind (a project's dependencies on other
        # projects): written once every chunk of the kind is in, so the order does not matter
        self.same_kind: list[tuple[str, transfer.Child, list[tuple[int, dict[str, Any]]]]] = []
        # each code of the kind being read, with where it stood: a second record with the same
        # code is refused wherever it stands (a later chunk would read it as an update)
        self.seen: dict[str, str] = {}

    def run(self, document: Any) -> Outcome:
        """Import a Document validated whole (the demo's example)."""
        from portefolje.domain.document import entries

        return self.run_entries(entries(document))

    def run_entries(
        self, kinds: Iterable[tuple[str, Iterable[Entry]]], invalid: Invalid | None = None
    ) -> Outcome:
        """Import the validated records of each kind, in SPEC's order, a chunk at a time as
        they are read. Once a record has failed validation (`invalid`) nothing more is
        applied: the rest is only read, to list every error."""
        outcome = Outcome()
        source = iter(kinds)
        pending = next(source, None)
        for spec in SPEC:
            counts: Counter[str] = Counter()
            self.seen = {}
            if pending is not None and pending[0] == spec.key:
                chunk: list[Entry] = []
                for entry in pending[1]:
                    if invalid is not None and invalid.count:
                        continue
                    chunk.append(entry)
                    if len(chunk) == CHUNK:
                        self._chunk(spec, chunk, counts, outcome.problems)
                        chunk = []
                if chunk and not (invalid is not None and invalid.count):
                    self._chunk(spec, chunk, counts, outcome.problems)
                pending = next(source, None)
            if not (invalid is not None and invalid.count):
                self._same_kind(outcome.problems)
            outcome.summary[spec.key] = counts
        return outcome

    def _same_kind(self, problems: list[Problem]) -> None:
        for key, child, entries in self.same_kind:
            try:
                with self.w.savepoint():
                    rows = [_child_row(self, child, rid, entry, key) for rid, entry in entries]
                    self.w.insert_many(child.table, rows)
            except PortefoljeError as exc:
                problems.append(Problem(f"{key}.{child.key}", str(exc)))
        self.same_kind = []

    def _chunk(
        self,
        spec: Spec,
        chunk: list[Entry],
        counts: Counter[str],
        problems: list[Problem],
    ) -> None:
        ids = self._ids(spec, [item["code"] for _, item, _ in chunk])
        current = dict(transfer.records(self.codes, spec, [i for i in ids.values()]))
        fresh: list[tuple[str, dict[str, Any], set[str]]] = []
        for index, item, given in chunk:
            path = f"{spec.key}.{index}"
            code = item["code"].lower()
            first = self.seen.setdefault(code, path)
            if first != path:
                problems.append(
                    Problem(path, msg("err.doc_code_twice", code=item["code"], first=first))
                )
                continue
            rid = ids.get(code)
            if rid is not None and _as_stored(spec.key, item, given, current[rid], self.today):
                counts["unchanged"] += 1
                continue
            try:
                with self.w.savepoint():
                    if rid is None:
                        self._check_new(spec, item, path)
                        fresh.append((path, item, given))
                        counts["created"] += 1
                    else:
                        counts[self._update(spec, rid, item, current[rid], given, path)] += 1
            except PortefoljeError as exc:
                problems.append(Problem(path, str(exc)))
        if fresh and not problems:
            try:
                with self.w.savepoint():
                    self._insert(spec, fresh)
            except PortefoljeError as exc:
                problems += self._one_by_one(spec, fresh) or [Problem(fresh[0][0], str(exc))]

    def _one_by_one(
        self, spec: Spec, fresh: list[tuple[str, dict[str, Any], set[str]]]
    ) -> list[Problem]:
        """A chunk's bulk insert was refused (and undone): insert its records one at a time,
        each undone again, to name every one at fault by its own place in the document. The
        import is refused either way; this only says where."""
        found = []
        for entry in fresh:
            try:
                with self.w.savepoint():
                    self._insert(spec, [entry])
                    raise _Undone
            except _Undone:
                pass
            except PortefoljeError as exc:
                found.append(Problem(entry[0], str(exc)))
        return found

    def _ids(self, spec: Spec, codes: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for i in range(0, len(codes), 500):
            part = codes[i : i + 500]
            for rid, code in self.w.conn.execute(
                f"SELECT id, code FROM {spec.table} WHERE code IN ({marks(part)}) COLLATE NOCASE",
                part,
            ):
                found[code.lower()] = rid
        return found

    # -- new records: checked as a whole, written with the bulk path -------------------------

    def _check_new(self, spec: Spec, item: dict[str, Any], path: str) -> None:
        kind = KIND_OF_SPEC.get(spec.key)
        if kind is not None:
            rules.check_code(item["code"])
        _fill_history(spec, item, self.today)
        PREPARE.get(spec.key, lambda imp, i: None)(self, item)
        CHECKS.get(spec.key, lambda i: None)(item)

    def _insert(self, spec: Spec, fresh: list[tuple[str, dict[str, Any], set[str]]]) -> None:
        kind = KIND_OF_SPEC.get(spec.key)
        if kind is not None:
            claim_codes(self.w.conn, kind, (item["code"] for _, item, _ in fresh))
        items = [item for _, item, _ in fresh]
        if spec.version is not None:
            _insert_versioned(self, spec, items)
            return
        ids = _insert_plain(self, spec, items)
        derived = DERIVED.get(spec.key)
        if derived is None:
            return
        # a state the document gives beside a history that says otherwise is made as its own
        # step; the records as stored (one read for the chunk) tell which ones need it
        stored = dict(transfer.records(self.codes, spec, ids))
        for rid, (path, item, given) in zip(ids, fresh, strict=True):
            if not differs(spec.key, item, given, stored[rid], self.today):
                continue
            try:
                derived(self, item, given)
            except PortefoljeError as exc:
                raise Refused(f"{path}: {exc}") from None

    # -- existing records: the differences as operations --------------------------------------

    def _update(
        self,
        spec: Spec,
        rid: int,
        item: dict[str, Any],
        current: dict[str, Any],
        given: set[str],
        path: str,
    ) -> str:
        before = self.w.changes
        UPDATE.get(spec.key, _update_plain)(self, spec, rid, item, current, given)
        return "updated" if self.w.changes > before else "unchanged"

    def ref(self, table: str, code: str | None, where: str) -> int | None:
        return self.codes.id(table, code, where)


def _as_stored(
    key: str, item: dict[str, Any], given: set[str], stored: dict[str, Any], day: str
) -> bool:
    """Whether every value the document gives is the one stored (as export writes it), so no
    operation could change anything: a re-imported record costs one comparison."""
    if item != stored:  # an exported record gives every field: equal as a whole, in C
        for f in given:
            if item.get(f) != stored.get(f):
                return False
    return not differs(key, item, given, stored, day)


# the values each kind derives from its history (DERIVED below makes a differing one a step)
DERIVED_FIELDS: dict[str, tuple[str, ...]] = {
    "projects": ("status", "phase"),
    "solutions": ("status",),
    "milestones": ("due_date", "state", "done_date"),
    "deliverables": ("meeting_date", "status", "delivered_date"),
    "segments": ("status",),
    "risks": ("probability", "consequence", "state", "closed_date"),
    "actions": ("state", "done_date"),
}


def differs(
    key: str, item: dict[str, Any], given: set[str], stored: dict[str, Any], day: str
) -> bool:
    """Whether a derived value the document gives differs from the record as stored (the
    export's representation, read from the history as the DERIVED steps read it): only then
    can that step do anything, so a record that agrees costs no read of its own. A risk with an
    assessment or event after today is always checked (its step reads it as of today)."""
    if any(f in given and item.get(f) != stored.get(f) for f in DERIVED_FIELDS.get(key, ())):
        return True
    if key == "risks":
        entries = [*stored.get("assessments", []), *stored.get("events", [])]
        return any(e["date"] > day for e in entries)
    return False


def _changed(
    item: dict[str, Any], given: set[str], current: dict[str, Any] | None, field: str
) -> bool:
    """A derived value (a status, a due date, a meeting date …) acts only when the document
    gives one that differs from what the record held when it was exported: a document that
    adds a history event and leaves the current value as exported does not undo its own event.
    A new record (no current) acts on every value given."""
    if field not in given or not item.get(field):
        return False
    return current is None or item[field] != current.get(field)


# -- filling in what a hand-written or older document leaves out -------------------------------


def _fill_history(spec: Spec, item: dict[str, Any], day: str) -> None:
    """A new record without a history gets the creation event the command would have made."""
    if spec.key == "projects":
        if not any(e["kind"] == "status" for e in item["history"]):
            created = item.get("start_date") or item.get("status_date") or day
            created = min(created, day) if not item.get("status_date") else created
            item["history"].insert(
                0,
                {
                    "date": created,
                    "kind": "status",
                    "dimension": None,
                    "from": None,
                    "to": "proposed" if item.get("status") == "proposed" else "active",
                    "note": "created",
                },
            )
        if item.get("phase") and not any(e["kind"] == "phase" for e in item["history"]):
            # an older document's phase: in force from the project's creation
            created = min(e["date"] for e in item["history"] if e["kind"] == "status")
            item["history"].append(
                {
                    "date": created,
                    "kind": "phase",
                    "dimension": None,
                    "from": None,
                    "to": item["phase"],
                    "note": None,
                }
            )
        item["history"].sort(key=lambda e: e["date"])
    if spec.key == "solutions" and not item["history"]:
        item["history"] = [
            {
                "date": item.get("status_date") or day,
                "from": None,
                "to": item.get("status") or "idea",
                "note": "created",
            }
        ]
    if spec.key == "deliverables":
        for step in item["postponements"]:
            step["kind"] = step.get("kind") or (
                "advanced" if step["to"] < step["from"] else "postponed"
            )


def _check_milestone(item: dict[str, Any]) -> None:
    history.moves(item["code"], item["due_date"], item["moves"])
    history.states(item["code"], "milestone", item["events"])
    _one_owner(item, "milestone")


def _check_deliverable(item: dict[str, Any]) -> None:
    history.postponements(item["code"], item["meeting_date"], item["postponements"])
    history.states(item["code"], "deliverable", item["events"])
    rules.check_prior_dates(item["meeting_date"], [p["meeting_date"] for p in item["prior"]])


def _check_index(item: dict[str, Any]) -> None:
    check_index(item["value"])


CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "projects": lambda i: history.project(i["code"], i["history"]),
    "solutions": lambda i: history.solution(i["code"], i["history"]),
    "milestones": _check_milestone,
    "deliverables": _check_deliverable,
    "indicators": lambda i: _one_owner(i, "indicator"),
    "targets": lambda i: history.versions(i["code"], "target", _all_versions(i)),
    "coverage": lambda i: history.versions(i["code"], "coverage", _all_versions(i)),
    "savings": lambda i: _check_savings(i),
    "investments": lambda i: history.versions(i["code"], "investment", _all_versions(i)),
    "price_index": lambda i: _check_index(i),
}


def _one_owner(item: dict[str, Any], what: str) -> None:
    if (item.get("project") is None) == (item.get("portfolio") is None):
        raise Refused(msg("err.doc_owner", what=record_name(what, item["code"])))


def _all_versions(item: dict[str, Any]) -> list[dict[str, Any]]:
    latest = {k: v for k, v in item.items() if k not in ("history", "since", "removed")}
    return [*item["history"], {**latest, "from": item.get("since"), "to": item.get("removed")}]


def _check_savings(item: dict[str, Any]) -> None:
    from portefolje.domain.economics import check_saving

    versions = _all_versions(item)
    history.versions(item["code"], "saving", versions)
    for v in versions:
        check_saving(v)


# -- the bulk path for new records ------------------------------------------------------------


def _insert_plain(imp: Importer, spec: Spec, items: list[dict[str, Any]]) -> list[int]:
    """Rows of a kind without versions, then their history lists and links; the new ids."""
    rows = []
    for item in items:
        row = {"code": item["code"]}
        for col in spec.cols:
            value = item.get(col.doc)
            row[col.column] = (
                imp.ref(col.ref, value, f"{spec.key}.{item['code']}.{col.doc}")
                if col.ref
                else value
            )
        if "follow_up" in row:
            row["follow_up"] = int(bool(row["follow_up"]))
        rows.append(row)
    ids = imp.w.insert_many(spec.table, rows)
    for child in spec.children:
        entries = [
            (rid, entry)
            for rid, item in zip(ids, items, strict=True)
            for entry in item.get(child.key) or []
        ]
        if any(col.ref == spec.table for col in child.cols):
            if entries:  # may name a record of a later chunk: after the whole kind
                imp.same_kind.append((spec.key, child, entries))
            continue
        if entries:
            rows = [_child_row(imp, child, rid, entry, spec.key) for rid, entry in entries]
            imp.w.insert_many(child.table, rows)
    for links in spec.links:
        transfer.add_links(
            imp.w,
            spec.table,
            links,
            [
                (rid, item[links.key], f"{spec.key}.{item['code']}.{links.key}")
                for rid, item in zip(ids, items, strict=True)
                if item.get(links.key)
            ],
            imp.codes,
        )
    return ids


def _child_row(
    imp: Importer, child: transfer.Child, parent_id: int, entry: dict[str, Any], key: str
) -> dict[str, Any]:
    row: dict[str, Any] = {child.parent: parent_id}
    for col in child.cols:
        value = entry.get(col.doc)
        row[col.column] = imp.ref(col.ref, value, f"{key}.{child.key}") if col.ref else value
    if child.table != "deliverable_prior":
        row["recorded_at"] = imp.w.at
    return row


def _insert_versioned(imp: Importer, spec: Spec, items: list[dict[str, Any]]) -> None:
    """Identity rows, then every version (earlier ones and the latest), then target keys."""
    assert spec.version is not None and spec.version_fk is not None
    identities = []
    for item in items:
        row = {"code": item["code"]}
        for col in spec.cols:
            row[col.column] = (
                imp.ref(col.ref, item.get(col.doc), f"{spec.key}.{item['code']}")
                if col.ref
                else item.get(col.doc)
            )
        identities.append(row)
    ids = imp.w.insert_many(spec.table, identities)
    cols = [(c.doc, c.ref) for c in spec.version_cols]
    columns = [spec.version_fk, "valid_from", "valid_to", "recorded_at"]
    columns += [c.column for c in spec.version_cols]
    at, ref = imp.w.at, imp.ref
    versions: list[tuple[Any, ...]] = []
    keys: list[list[dict[str, Any]]] = []
    for rid, item in zip(ids, items, strict=True):
        where = f"{spec.key}.{item['code']}"
        # the earlier versions, then the latest: the record's own fields (see _all_versions)
        for v, start, end in (
            *((h, h.get("from"), h.get("to")) for h in item["history"]),
            (item, item.get("since"), item.get("removed")),
        ):
            versions.append(
                (
                    rid,
                    start,
                    end,
                    at,
                    *[
                        v.get(doc) if table is None else ref(table, v.get(doc), f"{where}.{doc}")
                        for doc, table in cols
                    ],
                )
            )
            keys.append(v.get("key") or [])
    version_ids = imp.w.insert_rows(spec.version, columns, versions)
    shares = [
        {
            "target_version_id": vid,
            "department_id": imp.ref("department", s["department"], f"{spec.key}.key"),
            "numerator": s["numerator"],
            "denominator": s["denominator"],
        }
        for vid, key in zip(version_ids, keys, strict=True)
        for s in key
    ]
    if shares:
        imp.w.insert_many("target_share", shares)


# -- changes to existing records --------------------------------------------------------------


def _plain_changes(
    spec: Spec, imp: Importer, item: dict[str, Any], current: dict[str, Any], given: set[str]
) -> dict[str, Any]:
    """The given plain columns that differ, as column values (references resolved)."""
    out: dict[str, Any] = {}
    for col in spec.cols:
        if col.doc not in given or item.get(col.doc) == current.get(col.doc):
            continue
        value = item.get(col.doc)
        out[col.column] = (
            imp.ref(col.ref, value, f"{spec.key}.{item['code']}.{col.doc}") if col.ref else value
        )
    return out


def _update_plain(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    changes = _plain_changes(spec, imp, item, current, given)
    if spec.key == "price_index" and "value" in changes:
        from portefolje.store.economics import set_index

        set_index(imp.w, current["year"], changes["value"])
        return
    if changes:
        for label in ("name", "title"):
            if label in changes:
                changes[label] = rules.require_text(changes[label], f"what.field_{label}")
        imp.w.update(spec.table, rid, changes, action="import")
    for child in spec.children:
        _append_children(imp, spec, rid, child, item, current, given)


def _append_children(
    imp: Importer,
    spec: Spec,
    rid: int,
    child: transfer.Child,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    """History entries the document has and the database has not: measurements and the like
    that have no rules of their own are added as they are."""
    if child.key not in given:
        return
    for entry in _new_entries(item.get(child.key) or [], current.get(child.key) or []):
        imp.w.insert(child.table, _child_row(imp, child, rid, entry, spec.key))


def _new_entries(
    wanted: list[dict[str, Any]], stored: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Entries of `wanted` not (yet) in `stored`, each matched at most once."""
    left = [dict(e) for e in stored]
    out = []
    for entry in wanted:
        if entry in left:
            left.remove(entry)
        else:
            out.append(entry)
    return out


def _update_project(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    from portefolje.store import register

    changes = _plain_changes(spec, imp, item, current, given)
    segment = changes.pop("segment_id", None)
    if changes or segment is not None:
        register.edit_project(
            imp.w, str(rid), changes, segment=str(segment) if segment else None, departments=None
        )
    if "departments" in given and sorted(item["departments"]) != sorted(current["departments"]):
        register.set_departments(imp.w, rid, item["departments"])
    if "history" in given:
        for e in sorted(_new_entries(item["history"], current["history"]), key=lambda e: e["date"]):
            _project_event(imp, rid, e)
    _derived_project(imp, item, given, rid, current)
    governance.update_project_governance(imp, rid, item, current, given)


def _project_event(imp: Importer, rid: int, e: dict[str, Any]) -> None:
    from portefolje.store import register

    if e["kind"] == "health":
        register.set_health(
            imp.w, str(rid), e["to"], dimension=e["dimension"], comment=e["note"], on=e["date"]
        )
    elif e["kind"] == "phase":
        register.set_phase(imp.w, str(rid), e["to"], on=e["date"])
    else:
        last = register.last_event(imp.w, rid, "status")
        verb = rules.verb_between(last["new_value"], e["to"])
        if verb is None:
            raise Refused(
                msg(
                    "err.doc_no_step",
                    what=record_name("project", str(rid)),
                    a=last["new_value"],
                    b=e["to"],
                )
            )
        register.change_status(
            imp.w, str(rid), verb, on=e["date"], reason=e["note"], decision=e.get("decision")
        )


def _unchanged(imp: Importer, before: int, current: dict[str, Any]) -> dict[str, Any] | None:
    """The stored record as read before the update, if the update has written nothing since."""
    return current if imp.w.changes == before else None


def _derived_project(
    imp: Importer,
    item: dict[str, Any],
    given: set[str],
    rid: int | None = None,
    current: dict[str, Any] | None = None,
) -> None:
    """A status or phase that differs from the history: the step itself, with its side effects
    (closing adds the follow-up milestone), dated the status date given (or today). With the
    record as exported (`current`), nothing is read when the document agrees with it."""
    from portefolje.store import register

    if current is not None and not differs("projects", item, given, current, imp.today):
        return
    rid = rid if rid is not None else imp.ref("project", item["code"], "projects")
    assert rid is not None
    last = register.last_event(imp.w, rid, "status")
    if _changed(item, given, current, "status") and item["status"] != last["new_value"]:
        verb = rules.verb_between(last["new_value"], item["status"])
        if verb is None:
            raise Refused(msg("err.doc_status_no_step", a=last["new_value"], b=item["status"]))
        # the step's date: a status date the document changed with it, else today
        on = item.get("status_date") if "status_date" in given else None
        on = on if on and on > last["date"] else max(imp.today, last["date"])
        register.change_status(imp.w, str(rid), verb, on=on, reason=imp.note)
    phase = register.last_event(imp.w, rid, "phase")
    if _changed(item, given, current, "phase") and item["phase"] != (
        phase["new_value"] if phase else None
    ):
        register.set_phase(
            imp.w, str(rid), item["phase"], on=max(imp.today, phase["date"] if phase else imp.today)
        )


def _update_solution(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    from portefolje.store import solutions

    changes = _plain_changes(spec, imp, item, current, given)
    changes.pop("project_id", None)
    handed = changes.pop("handed_over_to", None)
    if changes:
        imp.w.update("solution", rid, changes, action="import")
    if handed is not None:
        imp.w.update("solution", rid, {"handed_over_to": handed}, action="import")
    if "history" in given:
        for e in _new_entries(item["history"], current["history"]):
            solutions.set_status(
                imp.w, str(rid), e["to"], on=e["date"], note=e["note"], handed_over_to=None
            )
    _derived_solution(imp, item, given, rid, current)


def _derived_solution(
    imp: Importer,
    item: dict[str, Any],
    given: set[str],
    rid: int | None = None,
    current: dict[str, Any] | None = None,
) -> None:
    from portefolje.store import solutions

    if current is not None and not differs("solutions", item, given, current, imp.today):
        return
    rid = rid if rid is not None else imp.ref("solution", item["code"], "solutions")
    now = solutions.record(imp.w.conn, str(rid), as_of=date(9999, 12, 31))
    if _changed(item, given, current, "status") and item["status"] != now["status"]:
        on = item.get("status_date") if "status_date" in given else None
        last = now["history"][-1]["date"] if now["history"] else imp.today
        on = on if on and on > last else max(imp.today, last)
        solutions.set_status(
            imp.w, str(rid), item["status"], on=on, note=imp.note, handed_over_to=None
        )


def _update_milestone(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    from portefolje.store import milestones

    changes = _plain_changes(spec, imp, item, current, given)
    changes.pop("due_date", None)
    changes.pop("follow_up", None)
    if changes:
        imp.w.update("milestone", rid, changes, action="import")
    if "moves" in given:
        for m in _new_entries(item["moves"], current["moves"]):
            milestones.move(imp.w, str(rid), due=m["to"], reason=m["reason"], on=m["moved_on"])
    if "events" in given:
        for e in _new_entries(item["events"], current["events"]):
            _milestone_event(imp, rid, e["kind"], e["date"], e.get("reason"))
    _derived_milestone(imp, item, given, rid, current)


def _milestone_event(
    imp: Importer, rid: int | None, kind: str, on: str, reason: str | None
) -> None:
    from portefolje.store import milestones

    if kind == "done":
        milestones.done(imp.w, str(rid), on=on)
    elif kind == "undone":
        milestones.undone(imp.w, str(rid), on=on, reason=reason)
    elif kind == "cancelled":
        milestones.cancel(imp.w, str(rid), on=on, reason=reason)
    else:
        raise Refused(msg("err.doc_cannot_be", kind=msg("kind.milestone"), event=kind))


def _derived_milestone(
    imp: Importer,
    item: dict[str, Any],
    given: set[str],
    rid: int | None = None,
    current: dict[str, Any] | None = None,
) -> None:
    """A changed due date is a move, a done date the milestone met, with the import as reason."""
    from portefolje.store import milestones

    if current is not None and not differs("milestones", item, given, current, imp.today):
        return
    rid = rid if rid is not None else imp.ref("milestone", item["code"], "milestones")
    now = milestones.record(imp.w.conn, str(rid), as_of=date(9999, 12, 31))
    if (
        _changed(item, given, current, "due_date")
        and item["due_date"] != now["due_date"]
        and now["state"] == "open"
    ):
        last = now["moves"][-1]["moved_on"] if now["moves"] else imp.today
        milestones.move(
            imp.w, str(rid), due=item["due_date"], reason=imp.note, on=max(imp.today, last)
        )
        now = milestones.record(imp.w.conn, str(rid), as_of=date(9999, 12, 31))
    wanted = item.get("state") if _changed(item, given, current, "state") else None
    if _changed(item, given, current, "done_date"):
        wanted = "done"
    if wanted and wanted != now["state"]:
        on = item.get("done_date") or imp.today
        if now["state"] == "done":
            milestones.undone(imp.w, str(rid), on=max(on, now["done_date"]), reason=imp.note)
            now = milestones.record(imp.w.conn, str(rid), as_of=date(9999, 12, 31))
        if wanted != now["state"]:
            _milestone_event(imp, rid, wanted, on, imp.note)


def _update_deliverable(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    """New postponements and state events first, then a changed meeting date (with the prior
    handling the document gives for it), then the plain fields, projects and prior handling."""
    from portefolje.store import deliverables

    if "postponements" in given:
        for p in _new_entries(item["postponements"], current["postponements"]):
            kind = p.get("kind") or ("advanced" if p["to"] < p["from"] else "postponed")
            deliverables.reschedule(
                imp.w,
                str(rid),
                meeting=p["to"],
                reason=p["reason"],
                on=p["postponed_on"],
                kind=kind,
            )
    if "events" in given:
        for e in _new_entries(item["events"], current["events"]):
            _deliverable_event(imp, rid, e["kind"], e["date"], e.get("reason"))
    priors = None
    if "prior" in given and item["prior"] != current["prior"]:
        priors = [(p["committee"], p["meeting_date"], p["kind"]) for p in item["prior"]]
    if _derived_deliverable(imp, item, given, rid, priors, current):
        priors = None  # given with the new meeting
    changes = _plain_changes(spec, imp, item, current, given)
    changes.pop("meeting_date", None)
    projects = None
    if "projects" in given and sorted(item["projects"]) != sorted(current["projects"]):
        projects = item["projects"]
    if changes or priors is not None or projects is not None:
        committee = changes.pop("committee_id", None)
        deliverables.edit(
            imp.w,
            str(rid),
            changes,
            committee=str(committee) if committee else None,
            projects=projects,
            priors=priors,
        )


def _deliverable_event(
    imp: Importer, rid: int | None, kind: str, on: str, reason: str | None
) -> None:
    from portefolje.store import deliverables

    if kind == "delivered":
        deliverables.deliver(imp.w, str(rid), on=on)
    elif kind == "undelivered":
        deliverables.undeliver(imp.w, str(rid), on=on, reason=reason)
    elif kind == "cancelled":
        deliverables.cancel(imp.w, str(rid), on=on, reason=reason)
    else:
        raise Refused(msg("err.doc_cannot_be", kind=msg("kind.deliverable"), event=kind))


def _derived_deliverable(
    imp: Importer,
    item: dict[str, Any],
    given: set[str],
    rid: int | None = None,
    priors: list[tuple[str, str, str | None]] | None = None,
    current: dict[str, Any] | None = None,
) -> bool:
    """A changed meeting date is a postponement (or a bringing forward) with the import as
    reason and the document's prior handling; a status 'delivered' or 'cancelled' the step
    itself. True when the meeting moved."""
    from portefolje.store import deliverables

    if current is not None and not differs("deliverables", item, given, current, imp.today):
        return False
    rid = rid if rid is not None else imp.ref("deliverable", item["code"], "deliverables")
    now = deliverables.record(imp.w.conn, str(rid), as_of=date(9999, 12, 31))
    moved = False
    if (
        _changed(item, given, current, "meeting_date")
        and item["meeting_date"] != now["meeting_date"]
        and now["status"] in ("planned", "postponed")
    ):
        kind = "advanced" if item["meeting_date"] < now["meeting_date"] else "postponed"
        last = now["postponements"][-1]["postponed_on"] if now["postponements"] else imp.today
        deliverables.reschedule(
            imp.w,
            str(rid),
            meeting=item["meeting_date"],
            reason=imp.note,
            on=max(imp.today, last),
            kind=kind,
            priors=priors,
        )
        now = deliverables.record(imp.w.conn, str(rid), as_of=date(9999, 12, 31))
        moved = True
    wanted = item.get("status") if _changed(item, given, current, "status") else None
    if _changed(item, given, current, "delivered_date"):
        wanted = "delivered"
    if wanted in ("delivered", "cancelled") and wanted != now["status"]:
        _deliverable_event(imp, rid, wanted, item.get("delivered_date") or imp.today, imp.note)
    return moved


def _update_indicator(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    from portefolje.store import indicators

    changes = _plain_changes(spec, imp, item, current, given)
    if changes:
        imp.w.update("indicator", rid, changes, action="import")
    if "measurements" in given:
        for m in _new_entries(item["measurements"], current["measurements"]):
            indicators.measure(imp.w, str(rid), m["value"], on=m["date"], note=m["note"])


VERSION_FIELDS = {
    "savings": (
        "project",
        "solution",
        "department",
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
    "investments": (
        "project",
        "department",
        "area",
        "year",
        "amount",
        "status",
        "funding",
        "price_level",
        "fte",
        "name",
        "note",
    ),
    "targets": ("amount", "price_level", "note", "key"),
    "coverage": ("department", "kind", "year", "from_year", "amount", "price_level", "note"),
}


def _update_versioned(
    imp: Importer,
    spec: Spec,
    rid: int,
    item: dict[str, Any],
    current: dict[str, Any],
    given: set[str],
) -> None:
    """Figures that differ from the ones in force: a change from `since` (if later than the
    version in force, else today), by the same operation as `saving edit`; `removed` ends it."""
    from portefolje.store import economics

    wanted = {f: item.get(f) for f in VERSION_FIELDS[spec.key] if f in given}
    differ = {f: v for f, v in wanted.items() if v != current.get(f)}
    if current.get("removed") is not None:
        if differ:
            raise Refused(
                msg(
                    "err.doc_line_removed", key=spec.key, code=item["code"], date=current["removed"]
                )
            )
        return
    if differ:
        since = item.get("since") if "since" in given else None
        on = (
            since if since and (current["since"] is None or since > current["since"]) else imp.today
        )
        EDITS[spec.key](imp, item, differ, on)
    if "removed" in given and item.get("removed"):
        kind = KIND_OF_SPEC[spec.key]
        if kind == "target":
            economics.remove_target(imp.w, item["code"], on=item["removed"])
        else:
            economics.remove(imp.w, kind, item["code"], on=item["removed"])


def _edit_saving(imp: Importer, item: dict[str, Any], differ: dict[str, Any], on: str) -> None:
    from portefolje.store import economics

    note = differ.pop("note", None)
    project = differ.pop("project", None)
    department = differ.pop("department", None) if "department" in differ else None
    solution = differ.pop("solution", None) if "solution" in differ else None
    economics.edit_saving(
        imp.w,
        item["code"],
        differ,
        project=project,
        department=department if department is not None else None,
        solution=solution,
        note=note,
        on=on,
    )


def _edit_investment(imp: Importer, item: dict[str, Any], differ: dict[str, Any], on: str) -> None:
    from portefolje.store import economics

    project = differ.pop("project", None)
    department = differ.pop("department", None)
    economics.edit_investment(
        imp.w, item["code"], differ, project=project, department=department, on=on
    )


def _edit_target(imp: Importer, item: dict[str, Any], differ: dict[str, Any], on: str) -> None:
    from fractions import Fraction

    from portefolje.store import economics

    key = None
    if "key" in differ:
        key = [(s["department"], Fraction(s["numerator"], s["denominator"])) for s in item["key"]]
    economics.set_target(
        imp.w,
        portfolio=item["portfolio"],
        amount=item["amount"],
        year=item.get("year"),
        from_year=item.get("from_year"),
        key=key,
        price_level=item.get("price_level"),
        note=item.get("note"),
        on=on,
    )


def _edit_coverage(imp: Importer, item: dict[str, Any], differ: dict[str, Any], on: str) -> None:
    from portefolje.store import versions

    if "department" in differ:
        differ["department_id"] = imp.ref("department", differ.pop("department"), "coverage")
    rid = imp.ref("coverage", item["code"], "coverage")
    assert rid is not None
    versions.change(imp.w, versions.COVERAGE, rid, differ, on)


EDITS: dict[str, Callable[[Importer, dict[str, Any], dict[str, Any], str], None]] = {
    "savings": _edit_saving,
    "investments": _edit_investment,
    "targets": _edit_target,
    "coverage": _edit_coverage,
}

UPDATE: dict[str, Callable[..., None]] = {
    "projects": _update_project,
    "solutions": _update_solution,
    "milestones": _update_milestone,
    "deliverables": _update_deliverable,
    "indicators": _update_indicator,
    "targets": _update_versioned,
    "coverage": _update_versioned,
    "savings": _update_versioned,
    "investments": _update_versioned,
}

DERIVED: dict[str, Callable[[Importer, dict[str, Any], set[str]], object]] = {
    "projects": _derived_project,
    "solutions": _derived_solution,
    "milestones": _derived_milestone,
    "deliverables": _derived_deliverable,
}

# the governance records (risks, meetings, decisions, actions, the pipeline) join the tables
from portefolje.store import import_governance as governance  # noqa: E402

PREPARE: dict[str, Callable[[Importer, dict[str, Any]], None]] = dict(governance.PREPARE)
UPDATE.update(governance.UPDATE)
DERIVED.update(governance.DERIVED)

# the document's kinds come in the order they are imported
assert tuple(s.key for s in SPEC) == DOCUMENT_KINDS

# the kinds without a code counter of their own in KINDS (price_index) are fine as they are
assert set(KIND_OF_SPEC.values()) <= set(KINDS)
