"""The archive of consolidated reports: a small SQLite file of its own, never a source.

A consolidated report reads several secretariats' files and belongs to none of them, so
`report consolidated --publish --archive FILE` stores it in FILE: the report's model, every
rendered file, and the sources it was read from (path, schema version, journal anchor). The
archive carries its own `PRAGMA application_id`, so it is never taken for a portefolje database
(and a portefolje database is never taken for an archive); rows never change (triggers refuse
updates and deletes). `report archive list|show --archive FILE` reads it back byte for byte.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portefolje.domain.cpr import guard
from portefolje.domain.errors import DatabaseError, NotFound
from portefolje.i18n import msg

APPLICATION_ID = 0x506F4B6F  # "PoKo": portefolje, konsoliderede rapporter
VERSION = 1
SCHEMA = """
CREATE TABLE consolidated_report (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    as_of     TEXT NOT NULL CHECK (date(as_of) = as_of),
    lang      TEXT NOT NULL CHECK (lang IN ('da', 'en')),
    made_at   TEXT NOT NULL,
    made_by   TEXT NOT NULL,
    command   TEXT NOT NULL,
    digest    TEXT NOT NULL,
    model     TEXT NOT NULL CHECK (json_valid(model))
) STRICT;
CREATE TABLE consolidated_source (
    id             INTEGER PRIMARY KEY,
    report_id      INTEGER NOT NULL REFERENCES consolidated_report(id),
    position       INTEGER NOT NULL,
    path           TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    journal_rows   INTEGER NOT NULL,
    journal_head   TEXT NOT NULL,
    UNIQUE (report_id, position)
) STRICT;
CREATE TABLE consolidated_file (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES consolidated_report(id),
    format    TEXT NOT NULL CHECK (format IN ('text', 'md', 'html', 'json', 'csv', 'xlsx')),
    content   BLOB NOT NULL,
    UNIQUE (report_id, format)
) STRICT;
"""
FROZEN = ("consolidated_report", "consolidated_source", "consolidated_file")


def _create(conn: sqlite3.Connection) -> None:
    """The tables, the triggers that freeze them and the file's marks, all in one transaction."""
    triggers = "".join(
        f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'a published report does not change'); END;\n"
        for table in FROZEN
        for event in ("UPDATE", "DELETE")
    )
    conn.executescript(
        f"BEGIN IMMEDIATE;\n{SCHEMA}\n{triggers}PRAGMA application_id = {APPLICATION_ID};\n"
        f"PRAGMA user_version = {VERSION};\nCOMMIT;"
    )


def open_archive(path: Path, *, create: bool) -> sqlite3.Connection:
    """Open the archive at `path` (with `create`, make it when missing). Anything else at the
    path, a portefolje database included, is refused untouched."""
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise DatabaseError(msg("err.no_archive", path=path))
    if exists:
        _check(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    if not exists:
        _create(conn)
    return conn


def _check(path: Path) -> None:
    from portefolje.store.readonly import uri

    try:
        conn = sqlite3.connect(uri(path, immutable=True), uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        app_id, tables = None, set()
    if app_id == APPLICATION_ID:
        return
    what = msg("err.archive_is_db") if "journal" in tables else msg("err.archive_other")
    raise DatabaseError(msg("err.archive_wrong", path=path, what=what))


def digest(files: Mapping[str, bytes]) -> str:
    from portefolje.store.published import digest as files_digest

    return files_digest(files)


def publish(
    conn: sqlite3.Connection,
    *,
    as_of: str,
    lang: str,
    made_by: str,
    command: str,
    model: dict[str, Any],
    files: Mapping[str, bytes],
) -> tuple[dict[str, Any], bool]:
    """Store a consolidated report as sent. The same bytes for the same day and language again
    record nothing new: returns (the report, False)."""
    guard("--by", made_by)
    guard(msg("what.command_line"), command)
    fingerprint = digest(files)
    conn.execute("BEGIN IMMEDIATE")
    try:
        same = conn.execute(
            "SELECT code FROM consolidated_report WHERE as_of = ? AND lang = ? AND digest = ?",
            (as_of, lang, fingerprint),
        ).fetchone()
        if same is None:
            _insert(conn, as_of, lang, made_by, command, fingerprint, model, files)
            code = _last_code(conn)
        else:
            code = same[0]
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return archived(conn, code), same is None


def _last_code(conn: sqlite3.Connection) -> str:
    return str(
        conn.execute("SELECT code FROM consolidated_report ORDER BY id DESC LIMIT 1").fetchone()[0]
    )


def _insert(
    conn: sqlite3.Connection,
    as_of: str,
    lang: str,
    made_by: str,
    command: str,
    fingerprint: str,
    model: dict[str, Any],
    files: Mapping[str, bytes],
) -> None:
    number = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM consolidated_report").fetchone()[0]
    made_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    report_id = conn.execute(
        "INSERT INTO consolidated_report (code, as_of, lang, made_at, made_by, command, digest, "
        "model) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            f"R{number}",
            as_of,
            lang,
            made_at,
            made_by,
            command,
            fingerprint,
            json.dumps(model, ensure_ascii=False, separators=(",", ":")),
        ),
    ).lastrowid
    conn.executemany(
        "INSERT INTO consolidated_source (report_id, position, path, schema_version, "
        "journal_rows, journal_head) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (report_id, i, s["path"], s["schema_version"], s["journal_rows"], s["journal_head"])
            for i, s in enumerate(model["sources"], start=1)
        ],
    )
    for fmt in sorted(files):  # one file in memory at a time
        conn.execute(
            "INSERT INTO consolidated_file (report_id, format, content) VALUES (?, ?, ?)",
            (report_id, fmt, files[fmt]),
        )


def archive(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every stored consolidated report, oldest first, with its sources and formats."""
    rows = [
        dict(r)
        for r in conn.execute(
            "SELECT id, code, as_of, lang, made_at, made_by, digest FROM consolidated_report "
            "ORDER BY id"
        )
    ]
    sources: dict[int, list[dict[str, Any]]] = {}
    for report_id, *values in conn.execute(
        "SELECT report_id, path, schema_version, journal_rows, journal_head "
        "FROM consolidated_source ORDER BY report_id, position"
    ):
        keys = ("path", "schema_version", "journal_rows", "journal_head")
        sources.setdefault(report_id, []).append(dict(zip(keys, values, strict=True)))
    formats: dict[int, list[str]] = {}
    for report_id, fmt in conn.execute(
        "SELECT report_id, format FROM consolidated_file ORDER BY report_id, format"
    ):
        formats.setdefault(report_id, []).append(fmt)
    for r in rows:
        r["sources"] = sources.get(r["id"], [])
        r["formats"] = formats.get(r["id"], [])
    return rows


def archived(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    for r in archive(conn):
        if r["code"].lower() == ref.lower() or str(r["id"]) == ref:
            return r
    raise NotFound(msg("err.no_consolidated", ref=ref))


def file(conn: sqlite3.Connection, ref: str, fmt: str) -> bytes:
    record = archived(conn, ref)
    found = conn.execute(
        "SELECT content FROM consolidated_file WHERE report_id = ? AND format = ?",
        (record["id"], fmt),
    ).fetchone()
    if found is None:
        raise NotFound(msg("err.consolidated_no_file", code=record["code"], format=fmt))
    return bytes(found[0])
