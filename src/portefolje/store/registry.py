"""The kinds of record that have an id and a human code, how references to them resolve, and
where generated codes come from."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from portefolje.domain.errors import NotFound, Refused
from portefolje.i18n import msg


@dataclass(frozen=True)
class Kind:
    name: str  # the CLI noun
    table: str
    prefix: str  # generated codes: PF1, P1, …
    label: str  # the column that names a record: name or title


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("portfolio", "portfolio", "PF", "name"),
        Kind("department", "department", "D", "name"),
        Kind("committee", "committee", "C", "name"),
        Kind("segment", "segment", "S", "name"),
        Kind("project", "project", "P", "title"),
        Kind("solution", "solution", "L", "title"),
        Kind("milestone", "milestone", "M", "title"),
        Kind("deliverable", "deliverable", "LV", "title"),
        Kind("indicator", "indicator", "I", "name"),
        Kind("saving", "saving", "SV", "code"),
        Kind("investment", "investment", "INV", "code"),
        Kind("target", "target", "T", "code"),
        Kind("coverage", "coverage", "DK", "code"),
        Kind("published_report", "published_report", "R", "code"),
        Kind("risk", "risk", "RS", "title"),
        Kind("meeting", "meeting", "MØ", "title"),
        Kind("decision", "decision", "BS", "text"),
        Kind("action", "action", "HA", "title"),
        Kind("criterion", "criterion", "KR", "name"),
    )
}

# Danish letters: SQLite's NOCASE and lower() fold ASCII only, so 'øu' would not find 'ØU'.
_NON_ASCII = "*[^ -~]*"


def fold(text: str) -> str:
    """The form two codes or names are compared in: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


def _folded_match(conn: sqlite3.Connection, k: Kind, column: str, text: str) -> list[sqlite3.Row]:
    """Rows whose `column` equals `text` case-insensitively for every letter (ÆØÅ included)."""
    wanted = fold(text)
    return [
        r
        for r in conn.execute(f"SELECT * FROM {k.table} WHERE {column} GLOB ?", (_NON_ASCII,))
        if fold(str(r[column])) == wanted
    ]


# the command that lists a kind, where it is not `portefolje KIND list`
_LIST_COMMAND = {"published_report": "report archive list"}


def resolve(conn: sqlite3.Connection, kind: str, ref: str | int) -> dict[str, Any]:
    """A record by id (digits), code, or exact name/title (case-insensitive, Danish letters too)."""
    k = KINDS[kind]
    text = str(ref).strip()
    row = None
    if text.isdigit():
        row = conn.execute(f"SELECT * FROM {k.table} WHERE id = ?", (int(text),)).fetchone()
    if row is None:
        row = conn.execute(f"SELECT * FROM {k.table} WHERE code = ?", (text,)).fetchone()
    if row is None and not text.isascii():
        found = _folded_match(conn, k, "code", text)
        row = found[0] if found else None
    if row is None and k.label != "code":
        rows = conn.execute(
            f"SELECT * FROM {k.table} WHERE lower({k.label}) = lower(?) LIMIT 2", (text,)
        ).fetchall()
        if not rows and not text.isascii():
            rows = _folded_match(conn, k, k.label, text)[:2]
        if len(rows) > 1:
            raise NotFound(msg("err.ambiguous_name", kind=msg(f"kind.{kind}"), text=text))
        row = rows[0] if rows else None
    if row is None:
        raise NotFound(
            msg(
                "err.not_found",
                kind=msg(f"kind.{kind}"),
                text=text,
                command=_LIST_COMMAND.get(kind, f"{kind} list"),
            )
        )
    return dict(row)


def ids_by_code(conn: sqlite3.Connection, kind: str) -> dict[str, int]:
    """Every record's id by its code in lower case, for the codes that are ASCII: what `resolve`
    finds for ASCII text that is not all digits (NOCASE folds ASCII letters only), in one query
    for an import that names thousands of records."""
    k = KINDS[kind]
    return {
        code.lower(): id_
        for id_, code in conn.execute(f"SELECT id, code FROM {k.table}")
        if code.isascii()
    }


def check_free(
    conn: sqlite3.Connection, kind: str, code: str, *, own_id: int | None = None
) -> None:
    """Refuse a code another record of the kind already has, in any letter case."""
    k = KINDS[kind]
    taken = conn.execute(
        f"SELECT id FROM {k.table} WHERE code = ? AND id IS NOT ?", (code, own_id)
    ).fetchone()
    if taken is None and not code.isascii():
        taken = next((r for r in _folded_match(conn, k, "code", code) if r["id"] != own_id), None)
    if taken is not None:
        raise Refused(msg("err.code_taken", what=msg(f"kind.{kind}")))


def code_number(kind: str, code: str) -> int | None:
    """The number of a code that looks generated for the kind (12 for P12 or p12), else None."""
    return _number(KINDS[kind].prefix, code)


def _number(prefix: str, code: str) -> int | None:
    m = re.fullmatch(re.escape(prefix) + r"([0-9]{1,15})", code, re.IGNORECASE)
    return int(m[1]) if m else None


def _counter(conn: sqlite3.Connection, k: Kind) -> int:
    """The kind's next number; the first time, one past every code the table or the journal
    has ever held (so a removed record's code is never handed out again)."""
    row = conn.execute("SELECT next FROM code_counter WHERE kind = ?", (k.name,)).fetchone()
    if row is not None:
        return int(row[0])
    n = len(k.prefix)
    highest = 0
    for sql in (
        f"SELECT max(CAST(substr(code, {n + 1}) AS INTEGER)) FROM {k.table} "
        f"WHERE upper(substr(code, 1, {n})) = ? AND substr(code, {n + 1}) GLOB '[0-9]*' "
        f"AND substr(code, {n + 1}) NOT GLOB '*[^0-9]*'",
        f"SELECT max(CAST(substr(code, {n + 1}) AS INTEGER)) FROM journal "
        f"WHERE entity = '{k.table}' AND upper(substr(code, 1, {n})) = ? "
        f"AND substr(code, {n + 1}) GLOB '[0-9]*' AND substr(code, {n + 1}) NOT GLOB '*[^0-9]*'",
    ):
        highest = max(highest, conn.execute(sql, (k.prefix,)).fetchone()[0] or 0)
    return highest + 1


def allocate_codes(conn: sqlite3.Connection, kind: str, count: int = 1) -> list[str]:
    """`count` new generated codes (P7, P8 …) from the kind's counter, in O(1) of the table's
    size. Must run inside a write transaction: the counter moves on with it."""
    k = KINDS[kind]
    n = _counter(conn, k)
    codes: list[str] = []
    while len(codes) < count:
        code = f"{k.prefix}{n}"
        n += 1
        # a code typed by hand may already hold the number: skip it
        if conn.execute(f"SELECT 1 FROM {k.table} WHERE code = ?", (code,)).fetchone() is None:
            codes.append(code)
    _store_counter(conn, k, n)
    return codes


def next_code(conn: sqlite3.Connection, kind: str) -> str:
    return allocate_codes(conn, kind, 1)[0]


def claim_code(conn: sqlite3.Connection, kind: str, code: str) -> None:
    """A code given by hand that looks generated (P12) moves the counter past it, so it is never
    generated again, even after the record is removed."""
    claim_codes(conn, kind, [code])


def claim_codes(conn: sqlite3.Connection, kind: str, codes: Iterable[str]) -> None:
    """`claim_code` for many codes at once (a bulk insert): one read and at most one write."""
    k = KINDS[kind]
    number = re.compile(re.escape(k.prefix) + r"([0-9]{1,15})", re.IGNORECASE).fullmatch
    numbers = [int(m[1]) for m in map(number, codes) if m]  # _number of each, compiled once
    if numbers and max(numbers) >= _counter(conn, k):
        _store_counter(conn, k, max(numbers) + 1)


def _store_counter(conn: sqlite3.Connection, k: Kind, n: int) -> None:
    conn.execute(
        "INSERT INTO code_counter (kind, next) VALUES (?, ?) "
        "ON CONFLICT (kind) DO UPDATE SET next = excluded.next",
        (k.name, n),
    )
