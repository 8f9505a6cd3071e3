"""The one write path: every change to the register passes through a `Writer`.

    with Writer(conn, actor=…, command=…) as w:
        row = w.resolve("segment", "S1")          # reads happen inside the write lock
        w.insert("project", {...})                 # CPR guard, constraints, journal row

`BEGIN IMMEDIATE` takes the write lock before the first read, so two processes doing
read-modify-write cannot both read the old value. Each insert/update/delete appends a journal
row (who, when, what, before and after as JSON) in the same transaction, chained by hash to the
previous row. Any error rolls the whole command back: a refused command writes nothing.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sqlite3
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from portefolje import __version__
from portefolje.domain.cpr import guard
from portefolje.domain.errors import Refused
from portefolje.store.connection import translate_operational

GENESIS = "0" * 64


def os_user() -> str:
    """The operating-system account running the command (not only $USER, which anyone can set)."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # Windows, or a uid without a passwd entry
        return getpass.getuser()


def journal_hash(prev_hash: str, fields: list[Any]) -> str:
    """sha256 over the previous hash and this row's fields, unambiguously separated."""
    payload = json.dumps([prev_hash, *fields], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


JOURNAL_FIELDS = (
    "at",
    "actor",
    "os_user",
    "app_version",
    "command",
    "entity",
    "entity_id",
    "code",
    "action",
    "before",
    "after",
)


def _dumps(row: dict[str, Any] | None) -> str | None:
    if row is None:
        return None
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Writer:
    """One atomic, journaled change set. Use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, *, actor: str | None = None, command: str = ""):
        self.conn = conn
        self.os_user = os_user()
        self.actor = actor or self.os_user
        self.command = command
        self.at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.changes = 0

    def __enter__(self) -> Writer:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise translate_operational(exc) from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as error:
                self.conn.execute("ROLLBACK")
                raise translate_operational(error) from error
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    # -- reading inside the lock -------------------------------------------------------------

    def row(self, table: str, id_: int) -> dict[str, Any]:
        found = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (id_,)).fetchone()
        if found is None:
            raise Refused(f"{table} {id_} does not exist")
        return dict(found)

    # -- writing ------------------------------------------------------------------------------

    def insert(self, table: str, values: dict[str, Any], *, journal: bool = True) -> int:
        """Insert a row after the CPR guard; journal it as 'add'. Returns the new id."""
        _guard_all(table, values)
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self._execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values()), table
        )
        new_id = int(cur.lastrowid or 0)
        if journal:
            after = self.row(table, new_id)
            self.journal(table, new_id, "add", None, after)
        return new_id

    def update(
        self, table: str, id_: int, changes: dict[str, Any], *, action: str = "edit"
    ) -> dict[str, Any]:
        """Update columns of one row; journal before/after. A no-op change writes nothing."""
        before = self.row(table, id_)
        changed = {k: v for k, v in changes.items() if before.get(k) != v}
        if not changed:
            return before
        _guard_all(table, changed)
        assignments = ", ".join(f"{k} = ?" for k in changed)
        self._execute(
            f"UPDATE {table} SET {assignments} WHERE id = ?", (*changed.values(), id_), table
        )
        after = self.row(table, id_)
        self.journal(table, id_, action, before, after)
        return after

    def delete(self, table: str, id_: int, *, action: str = "remove") -> dict[str, Any]:
        before = self.row(table, id_)
        self._execute(f"DELETE FROM {table} WHERE id = ?", (id_,), table)
        self.journal(table, id_, action, before, None)
        return before

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """A statement for link tables (no own journal row: the caller journals the parent)."""
        for value in params:
            if isinstance(value, str):
                guard("a value", value)
        return self._execute(sql, params, "")

    def journal(
        self,
        entity: str,
        entity_id: int,
        action: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        """Append one journal row, chained to the previous row's hash."""
        last = self.conn.execute("SELECT hash FROM journal ORDER BY id DESC LIMIT 1").fetchone()
        prev = last[0] if last else GENESIS
        code = (after or before or {}).get("code")
        fields = [
            self.at,
            self.actor,
            self.os_user,
            __version__,
            self.command,
            entity,
            entity_id,
            code,
            action,
            _dumps(before),
            _dumps(after),
        ]
        digest = journal_hash(prev, fields)
        self.conn.execute(
            f"INSERT INTO journal ({', '.join(JOURNAL_FIELDS)}, prev_hash, hash) "
            f"VALUES ({', '.join('?' for _ in JOURNAL_FIELDS)}, ?, ?)",
            (*fields, prev, digest),
        )
        self.changes += 1

    def _execute(self, sql: str, params: tuple[Any, ...], table: str) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise Refused(_integrity_message(str(exc), table, params)) from exc
        except sqlite3.OperationalError as exc:
            raise translate_operational(exc) from exc


def _guard_all(table: str, values: dict[str, Any]) -> None:
    for field, value in values.items():
        guard(f"the {table} {field.replace('_', ' ')}", value)


def _integrity_message(text: str, table: str, params: tuple[Any, ...]) -> str:
    if "UNIQUE" in text and ".code" in text:
        return f"that code is already used by another {table}; choose another --code"
    if "UNIQUE" in text:
        return f"that {table} already exists"
    if "FOREIGN KEY" in text:
        return f"the {table} is still referenced by other records, or refers to one that is gone"
    if "CHECK" in text:
        return f"invalid value for {table}: {text.split(':', 1)[-1].strip()}"
    return f"refused by the database: {text}"
