"""Published reports (sendte rapporter): what the directors actually received.

A published report is stored with its model (the report's JSON data) and every rendered file,
with its as-of date, when and by whom it was made, and the journal's head at that moment. It
never changes (a trigger refuses updates); `archive show` reprints its bytes. Only a published
status report moves the next report's "changes since".

Publishing builds and renders the report outside the write lock, from one read transaction (a
snapshot), and takes the lock only to store it (`publish_current`): twenty cron jobs publishing at
once no longer queue behind each other's builds. The journal head is the anchor the report
carries, so it is stored only if the head is still the one the snapshot had; otherwise the report
is built again, and the last try is built inside the lock, where nothing can move the head. One
move needs no second build: when the only change since the snapshot is another process
publishing this very report (same bytes) from this very state, it is that publication.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from portefolje.domain.errors import NotFound
from portefolje.i18n import msg
from portefolje.store.backup import journal_head
from portefolje.store.queries import marks
from portefolje.store.registry import allocate_codes
from portefolje.store.write import Writer

COLUMNS = (
    "r.id, r.code, r.report, pf.code AS portfolio, r.subject, r.as_of, r.since, r.lang, "
    "r.made_at, r.made_by, r.journal_rows, r.journal_head, r.digest"
)


def last_published_as_of(
    conn: sqlite3.Connection, report: str, portfolio_id: int | None, before: date
) -> date | None:
    """The as-of date of the latest published report of this kind and selection before `before`."""
    row = conn.execute(
        "SELECT max(as_of) FROM published_report WHERE report = ? AND portfolio_id IS ? "
        "AND subject IS NULL AND as_of < ?",
        (report, portfolio_id, before.isoformat()),
    ).fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def digest(files: Mapping[str, bytes]) -> str:
    """One hash over every rendered file: two publications with the same digest are the same."""
    h = hashlib.sha256()
    for fmt in sorted(files):
        h.update(fmt.encode() + b"\0" + hashlib.sha256(files[fmt]).digest())
    return h.hexdigest()


def publish(
    w: Writer,
    *,
    report: str,
    portfolio_id: int | None,
    subject: str | None,
    as_of: str,
    since: str | None,
    lang: str,
    model: dict[str, Any],
    files: dict[str, bytes],
) -> tuple[dict[str, Any], bool]:
    """Store the report as sent. Publishing the same bytes again for the same report, selection
    and date records nothing new: returns (the report, False)."""
    fingerprint = digest(files)
    same = w.conn.execute(
        "SELECT id FROM published_report WHERE report = ? AND portfolio_id IS ? AND subject IS ? "
        "AND as_of = ? AND lang = ? AND digest = ? ORDER BY id DESC LIMIT 1",
        (report, portfolio_id, subject, as_of, lang, fingerprint),
    ).fetchone()
    if same is not None:
        return archived(w.conn, str(same[0])), False
    rows, head = journal_head(w.conn)  # the anchor the published report carries
    record = {
        "code": allocate_codes(w.conn, "published_report")[0],
        "report": report,
        "portfolio_id": portfolio_id,
        "subject": subject,
        "as_of": as_of,
        "since": since,
        "lang": lang,
        "made_at": w.at,
        "made_by": w.actor,
        "journal_rows": rows,
        "journal_head": head,
        "digest": fingerprint,
    }
    # the journal row names the report and its digest; the model and the files (which the digest
    # covers) are stored once, in the report's own tables
    report_id = w.insert(
        "published_report",
        {**record, "model": json.dumps(model, ensure_ascii=False, separators=(",", ":"))},
        journal=False,
    )
    for fmt in sorted(files):
        w.execute(
            "INSERT INTO published_file (report_id, format, content) VALUES (?, ?, ?)",
            (report_id, fmt, files[fmt]),
        )
    w.journal("published_report", report_id, "publish", None, {"id": report_id, **record})
    return archived(w.conn, str(report_id)), True


@dataclass(frozen=True)
class Draft:
    """A report built and rendered from one state of the database, not yet stored."""

    portfolio_id: int | None
    since: str | None
    lang: str
    model: dict[str, Any]
    files: dict[str, bytes]


# builds from a snapshot, outside the write lock, before the one built inside it
OUTSIDE_THE_LOCK = 2


class _Moved(Exception):
    """The journal head moved between the snapshot and the write lock (rolls the lock back)."""


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[tuple[int, str]]:
    """A read transaction: every read inside it sees the same committed state, whatever other
    processes commit meanwhile. Yields that state's journal head (read first: in WAL mode the
    snapshot is taken at the first read). Holds no write lock; in rollback-journal mode its
    shared lock only delays another writer's COMMIT until the block ends."""
    conn.execute("BEGIN")
    try:
        yield journal_head(conn)
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")  # nothing was written: ends the read transaction


def publish_current(
    writer: Callable[[], Writer],
    make: Callable[[sqlite3.Connection], Draft],
    *,
    report: str,
    subject: str | None,
    as_of: str,
) -> tuple[Draft, dict[str, Any], bool]:
    """Build the report with `make` outside the write lock and store it (`publish`) under the
    lock if the journal head is still the one it was built on; if a change was committed in
    between, build it again, the last time inside the lock. The stored report is always the one
    its recorded anchor gives. Returns (what was built, the published report, whether new)."""

    def store(w: Writer, draft: Draft) -> tuple[Draft, dict[str, Any], bool]:
        record, new = publish(
            w,
            report=report,
            portfolio_id=draft.portfolio_id,
            subject=subject,
            as_of=as_of,
            since=draft.since,
            lang=draft.lang,
            model=draft.model,
            files=draft.files,
        )
        return draft, record, new

    for _ in range(OUTSIDE_THE_LOCK):
        w = writer()  # refuses a read-only database before any work
        with snapshot(w.conn) as built_on:
            draft = make(w.conn)
        try:
            with w:
                if journal_head(w.conn) == built_on:
                    return store(w, draft)
                same = _published_since(w.conn, built_on, report, subject, as_of, draft)
                if same is None:
                    raise _Moved
                return draft, same, False
        except _Moved:
            continue
    with writer() as w:
        return store(w, make(w.conn))


def _published_since(
    conn: sqlite3.Connection,
    built_on: tuple[int, str],
    report: str,
    subject: str | None,
    as_of: str,
    draft: Draft,
) -> dict[str, Any] | None:
    """The published report, if the one journal row after the state `built_on` is the
    publication of exactly this draft (same report, selection, day, language and bytes): twenty
    cron jobs building the same report at once then build it once each, not twice. Had this
    process taken the lock first, it would have stored the same bytes over the same anchor."""
    last = conn.execute(
        "SELECT entity, entity_id, action, prev_hash FROM journal ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if last is None or (last[0], last[2], last[3]) != ("published_report", "publish", built_on[1]):
        return None
    found = conn.execute(
        "SELECT id FROM published_report WHERE id = ? AND report = ? AND portfolio_id IS ? "
        "AND subject IS ? AND as_of = ? AND lang = ? AND digest = ? AND journal_rows = ? "
        "AND journal_head = ?",
        (
            last[1],
            report,
            draft.portfolio_id,
            subject,
            as_of,
            draft.lang,
            digest(draft.files),
            *built_on,
        ),
    ).fetchone()
    return archived(conn, str(found[0])) if found else None


def archive(
    conn: sqlite3.Connection, *, report: str | None = None, portfolio_id: int | None = None
) -> list[dict[str, Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if report is not None:
        clauses.append("r.report = ?")
        params.append(report)
    if portfolio_id is not None:
        clauses.append("r.portfolio_id = ?")
        params.append(portfolio_id)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = [
        dict(r)
        for r in conn.execute(
            f"SELECT {COLUMNS} FROM published_report r "
            f"LEFT JOIN portfolio pf ON pf.id = r.portfolio_id {where} ORDER BY r.id",
            params,
        )
    ]
    formats = _formats(conn, [r["id"] for r in rows])
    for r in rows:
        r["formats"] = formats.get(r["id"], [])
    return rows


def _formats(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if not ids:
        return out
    for report_id, fmt in conn.execute(
        f"SELECT report_id, format FROM published_file WHERE report_id IN "
        f"({marks(ids)}) ORDER BY report_id, format",
        ids,
    ):
        out.setdefault(report_id, []).append(fmt)
    return out


def archived(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    from portefolje.store.registry import resolve

    row = resolve(conn, "published_report", ref)
    return next(r for r in archive(conn) if r["id"] == row["id"])


def file(conn: sqlite3.Connection, ref: str, fmt: str) -> bytes:
    from portefolje.store.registry import resolve

    row = resolve(conn, "published_report", ref)
    found = conn.execute(
        "SELECT content FROM published_file WHERE report_id = ? AND format = ?", (row["id"], fmt)
    ).fetchone()
    if found is None:
        raise NotFound(msg("err.no_format_file", code=row["code"], format=fmt))
    return bytes(found[0])


def models(
    conn: sqlite3.Connection, report: str, portfolio_id: int | None, up_to: date
) -> list[dict[str, Any]]:
    """The stored models of the published reports of a kind and selection with as-of on or
    before `up_to`, oldest first (the latest publication per as-of date): the trend's data."""
    rows = conn.execute(
        "SELECT as_of, model FROM published_report WHERE id IN (SELECT max(id) FROM "
        "published_report WHERE report = ? AND portfolio_id IS ? AND subject IS NULL "
        "AND as_of <= ? GROUP BY as_of) ORDER BY as_of",
        (report, portfolio_id, up_to.isoformat()),
    ).fetchall()
    return [json.loads(r[1]) for r in rows]
