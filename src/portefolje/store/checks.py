"""Checks of a database file: SQLite integrity, foreign keys, the journal's hash chain."""

from __future__ import annotations

import sqlite3
from typing import Any

from portefolje.store.write import GENESIS, JOURNAL_FIELDS, journal_hash


def verify_journal(conn: sqlite3.Connection) -> dict[str, Any]:
    """Recompute the chain; report the first row whose hash or link does not match."""
    prev = GENESIS
    count = 0
    cols = ", ".join(JOURNAL_FIELDS)
    for row in conn.execute(f"SELECT id, {cols}, prev_hash, hash FROM journal ORDER BY id"):
        count += 1
        fields = list(row)[1 : 1 + len(JOURNAL_FIELDS)]
        expected = journal_hash(prev, fields)
        if row["prev_hash"] != prev or row["hash"] != expected:
            return {"ok": False, "rows": count, "first_bad": row["id"]}
        prev = row["hash"]
    return {"ok": True, "rows": count, "first_bad": None}


def check(conn: sqlite3.Connection) -> dict[str, Any]:
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    fk = [
        dict(zip(("table", "rowid", "parent", "fkid"), r, strict=False))
        for r in conn.execute("PRAGMA foreign_key_check")
    ]
    chain = verify_journal(conn)
    import sqlite_utils  # lazy: a table inventory is all db check needs from it

    inventory = sqlite_utils.Database(conn, execute_plugins=False)
    counts = {name: inventory.table(name).count for name in sorted(inventory.table_names())}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return {
        "ok": integrity == ["ok"] and not fk and chain["ok"],
        "schema_version": version,
        "integrity": integrity,
        "foreign_key_violations": fk,
        "journal": chain,
        "rows": counts,
    }
