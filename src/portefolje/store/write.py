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
import re
import signal
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from types import TracebackType
from typing import Any, ClassVar, NoReturn

from portefolje import __version__
from portefolje.domain.cpr import contains_cpr, guard
from portefolje.domain.errors import InvalidValue, PortefoljeError, Refused
from portefolje.i18n import column_name, msg, table_name
from portefolje.store.connection import translate_operational

GENESIS = "0" * 64

# Control characters other than tab, newline and carriage return (a line break from Windows),
# and lone surrogates: bytes that were not valid UTF-8, carried in as surrogate escapes.
_BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def os_user() -> str:
    """The operating-system account running the command, for the journal: the passwd entry of
    the uid (not only $USER, which anyone can set), else the login name the environment gives
    (Windows, or a uid without a passwd entry), else `uid:<n>`. A name that the CPR guard would
    refuse, or that holds control characters, is not stored: the journal gets `uid:<n>`."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    name: str | None = None
    if uid is not None:
        try:
            import pwd

            name = pwd.getpwuid(uid).pw_name
        except (ImportError, KeyError):  # a uid without a passwd entry (containers, NSS down)
            name = None
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError, ImportError):  # nothing names the account (3.11: KeyError)
            name = None
    fallback = f"uid:{uid}" if uid is not None else "unknown"
    if not name or _BAD_TEXT.search(name) or contains_cpr(name):
        return fallback
    return name


def check_text(field: str, value: object) -> None:
    """Refuse text that must not be stored: control characters (tab and newline are fine), bytes
    that were not valid UTF-8, and CPR numbers. The message names the field, never the text."""
    if not isinstance(value, str):
        return
    bad = _BAD_TEXT.search(value)
    if bad is not None:
        code = ord(bad.group())
        if 0xD800 <= code <= 0xDFFF:
            raise InvalidValue(msg("err.not_utf8", field=field, position=bad.start() + 1))
        raise InvalidValue(
            msg(
                "err.control_character", field=field, code=f"U+{code:04X}", position=bad.start() + 1
            )
        )
    guard(field, value)


def _escaped(text: str) -> str:
    """The command line as stored in the journal: control characters and undecodable bytes
    written as \\xNN / \\uNNNN escapes (each value itself is checked where it is stored)."""
    return _BAD_TEXT.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def _encoded(fields: list[Any]) -> str:
    """Fields each prefixed with its length (None marked apart from ''): unambiguous."""
    parts = []
    for field in fields:
        text = "\x00" if field is None else str(field)
        parts.append(f"{len(text)}:{text}")
    return "|".join(parts)


def journal_hash(prev_hash: str, fields: list[Any], batch: int | None = None) -> str:
    """sha256 over the previous hash and this row's fields, so no two different rows give the
    same input and an edited or removed row breaks every hash after it. A batch row's count is
    hashed after the fields (a single row's input is what it was before batches existed)."""
    encoded = _encoded(fields if batch is None else [*fields, batch])
    return hashlib.sha256(f"{prev_hash}|{encoded}".encode()).hexdigest()


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


# The most records one batch row holds: a record inside a batch is found by the journal's
# (entity, entity_id) index between its id minus this and its id (store/batches.py).
MAX_BATCH = 1000

# Indexes that only the reports read (migrations 6, 9 and 10: wide, covering, in report order).
# A bulk insert that adds more rows than the table holds drops them and builds them again before
# COMMIT (Writer._set_indexes_aside); the import's own reads use none of them.
REPORT_INDEXES = {
    "saving_version": (
        "saving_version_totals",
        "saving_version_project",
        "saving_version_level",
        "saving_version_recorded",
    ),
}
BULK_ROWS = 1000  # below this many rows in one insert, updating the indexes costs little

# One encoder for all rows: json.dumps with options builds a new encoder on every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # rows come in column order


def _dumps(row: dict[str, Any] | None) -> str | None:
    if row is None:
        return None
    return _ENCODER.encode(row)


class Writer:
    """One atomic, journaled change set. Use as a context manager."""

    # change sets committed by this process (the CLI's Ctrl-C message says whether any was)
    committed: ClassVar[int] = 0

    def __init__(self, conn: sqlite3.Connection, *, actor: str | None = None, command: str = ""):
        self._conn = conn
        self.os_user = os_user()
        self.actor = actor or self.os_user
        self.command = _escaped(command)
        self._columns: dict[str, list[str]] = {}
        self.at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.changes = 0
        self._last_hash: str | None = None  # the chain's head, read once inside the write lock
        self._step: str | None = None  # a savepoint() step: None, "pending" or "open"
        self._bulk_tables: set[str] = set()  # tables whose report indexes were decided on
        self._set_aside: dict[str, str] = {}  # report indexes dropped for a bulk insert: SQL
        self._column_defaults: dict[tuple[str, tuple[str, ...]], tuple[list[str], tuple[Any, ...]]]
        self._column_defaults = {}
        self._queue: _Behind | None = None  # a behind() block being written: inserts wait here
        self._job: _Behind | None = None  # its inserts, running in a thread until settle()

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection, once the inserts of a behind() block have run: every statement of
        this Writer and of the code it is passed to goes through here, so none overtakes them."""
        if self._job is not None:
            self._job.wait()
        return self._conn

    def __enter__(self) -> Writer:
        # the journal stores who and the command line itself, so they pass the same guard (the
        # command line at the first journal row: a field that holds the number is named first)
        check_text("--by", self.actor)
        self._last_hash = None
        self._bulk_tables.clear()
        self._set_aside.clear()
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
                self.settle()
                self._restore_indexes()
            except BaseException:
                self._stop()
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            with _ctrl_c_deferred():  # COMMIT and the count that says so, never one alone
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.OperationalError as error:
                    if self.conn.in_transaction:  # SQLite may have rolled back (disk full)
                        self.conn.execute("ROLLBACK")
                    raise translate_operational(error) from error
                Writer.committed += 1
            return
        self._stop()
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _stop(self) -> None:
        """Ctrl-C or an error while inserts run behind: stop them before anything is undone."""
        if self._job is not None:
            self._conn.interrupt()
            self._job.wait()
            self._job = None

    def savepoint(self) -> _Step:
        """A nested all-or-nothing step (one sheet row): on error its writes and journal rows are
        undone and the exception goes on; the transaction around it stays open. The SAVEPOINT is
        only opened at the step's first write, so a step that writes nothing costs nothing."""
        return _Step(self)

    def behind(self) -> _Block:
        """A block of bulk inserts (`insert_rows`, `insert_many`) that runs in a thread when
        the block ends, while the caller goes on with work that needs no database: an import
        checks its next rows while SQLite writes the last ones, on a second core. Their ids,
        journal rows and CPR guard are settled in the block as always; only the INSERTs wait.
        Every later use of `conn` waits for them, so no statement overtakes them. Whether they
        went in is known at `settle()`: kept, or the whole block undone and the error raised.
        Code in the block must not read back what it inserts, nor write in any other way."""
        return _Block(self)

    def settle(self) -> None:
        """Wait for the inserts of the last behind() block and end its savepoint: kept, or
        undone (journal rows too) and their error raised as a write's would be."""
        job = self._job
        if job is None:
            return
        job.wait()  # (the job stays the Writer's until it has ended: a Ctrl-C here stops it)
        self._job = None
        if job.error is None:
            if self._conn.in_transaction:
                self._conn.execute("RELEASE portefolje_behind")
            return
        self._undo(job)
        table, error = job.error
        if isinstance(error, sqlite3.IntegrityError):
            raise Refused(
                _integrity_message(str(error), table, self._table_columns(table))
            ) from error
        if isinstance(error, sqlite3.OperationalError):
            _raise_operational(error)
        raise error

    def _undo(self, job: _Behind) -> None:
        # after a disk-full or I/O error SQLite may have rolled everything back already
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK TO portefolje_behind")
            self._conn.execute("RELEASE portefolje_behind")
        self._last_hash, self.changes = job.saved

    def _not_behind(self) -> None:
        """Only bulk inserts wait in a behind() block: any other write would run before them."""
        if self._queue is not None:
            raise RuntimeError("a write in a behind() block that is not a bulk insert")

    def _before_write(self) -> None:
        # After a disk-full or I/O error SQLite may roll the whole transaction back by itself.
        # A write then would run on its own, in autocommit: never let it (all or nothing).
        if not self.conn.in_transaction:
            raise TransactionLost(msg("err.transaction_lost"))
        if self._step == "pending":
            self.conn.execute("SAVEPOINT portefolje_step")
            self._step = "open"

    # -- reading inside the lock -------------------------------------------------------------

    def row(self, table: str, id_: int) -> dict[str, Any]:
        found = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (id_,)).fetchone()
        if found is None:
            raise Refused(msg("err.row_missing", table=table_name(table), id=id_))
        return dict(found)

    # -- writing ------------------------------------------------------------------------------

    def insert(
        self, table: str, values: dict[str, Any], *, journal: bool = True, action: str = "add"
    ) -> int:
        """Insert a row after the CPR guard; journal it as `action` ('add', or the verb that
        made an event: 'pause', 'move' …). Returns the new id."""
        _guard_all(table, values)
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self._execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values()), table
        )
        new_id = int(cur.lastrowid or 0)
        if journal:
            after = self.row(table, new_id)
            self.journal(table, new_id, action, None, after)
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
            check_text(msg("what.a_value"), value)
        return self._execute(sql, params, "")

    def execute_many(self, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """`execute` for many rows of a link table at once (the caller journals the parents)."""
        for params in rows:
            for value in params:
                check_text(msg("what.a_value"), value)
        self._not_behind()
        self._before_write()
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise Refused(_integrity_message(str(exc), "", [])) from exc
        except sqlite3.OperationalError as exc:
            _raise_operational(exc)

    def journal(
        self,
        entity: str,
        entity_id: int,
        action: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        """Append one journal row, chained to the previous row's hash."""
        self._append_journal([(entity, entity_id, action, before, after)])

    def journal_many(
        self,
        entries: list[tuple[str, int, str, dict[str, Any] | None, dict[str, Any] | None]],
    ) -> None:
        """Append several journal rows (entity, id, action, before, after) in one chain."""
        if entries:
            self._append_journal(entries)

    def _head(self) -> str:
        if self._last_hash is None:
            last = self.conn.execute("SELECT hash FROM journal ORDER BY id DESC LIMIT 1").fetchone()
            self._last_hash = last[0] if last else GENESIS
        return self._last_hash

    def _append_journal(
        self, entries: list[tuple[str, int, str, dict[str, Any] | None, dict[str, Any] | None]]
    ) -> None:
        """Chain and insert journal rows; BEGIN IMMEDIATE guarantees no one appends in between."""
        self._chain(
            (
                entity,
                entity_id,
                (after or before or {}).get("code"),
                action,
                _dumps(before),
                _dumps(after),
                None,
            )
            for entity, entity_id, action, before, after in entries
        )

    def _chain(
        self,
        rows: Iterable[tuple[str, int, str | None, str, str | None, str | None, int | None]],
    ) -> None:
        """Hash and insert journal rows given as (entity, entity_id, code, action, before JSON,
        after JSON, batch), each chained to the one before it."""
        self._before_write()
        if not self.changes:
            guard(msg("what.command_line"), self.command)
        prev = self._head()
        # who, when, version and command are the same for every row of this change set
        constant = [self.at, self.actor, self.os_user, __version__, self.command]
        head = _encoded(constant)
        out = []
        sha256 = hashlib.sha256
        for entity, entity_id, code, action, old, new, batch in rows:
            # _encoded of the varying fields, spelled out: this runs once per journal row
            e, i, act = str(entity), str(entity_id), str(action)
            c = "\x00" if code is None else str(code)
            b = "\x00" if old is None else old
            a = "\x00" if new is None else new
            varying = (
                f"{len(e)}:{e}|{len(i)}:{i}|{len(c)}:{c}|{len(act)}:{act}|{len(b)}:{b}|{len(a)}:{a}"
            )
            if batch is not None:
                n = str(batch)
                varying = f"{varying}|{len(n)}:{n}"
            digest = sha256(f"{prev}|{head}|{varying}".encode()).hexdigest()
            out.append((*constant, entity, entity_id, code, action, old, new, batch, prev, digest))
            prev = digest
        try:
            self.conn.executemany(
                f"INSERT INTO journal ({', '.join(JOURNAL_FIELDS)}, batch, prev_hash, hash) "
                f"VALUES ({', '.join('?' for _ in JOURNAL_FIELDS)}, ?, ?, ?)",
                out,
            )
        except sqlite3.OperationalError as exc:
            _raise_operational(exc)
        self._last_hash = prev
        self.changes += len(out)

    def insert_many(self, table: str, rows: list[dict[str, Any]], *, key: str = "id") -> list[int]:
        """The bulk path: many rows of one table (dicts with the same columns) through
        `insert_rows`. For a link table without an id of its own, the rows are journaled one by
        one under the values of `key`, which are returned; otherwise the new ids in order."""
        if not rows:
            return []
        columns = list(rows[0])
        as_tuple = itemgetter(*columns) if len(columns) > 1 else (lambda r: (r[columns[0]],))
        tuples = list(map(as_tuple, rows))
        if key == "id":
            return self.insert_rows(table, columns, tuples)
        _guard_many(table, columns, tuples)
        self._insert(table, columns, tuples)
        self._append_journal([(table, r[key], "add", None, r) for r in rows])
        return [r[key] for r in rows]

    def insert_rows(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> list[int]:
        """The bulk path: many rows of one table as tuples in `columns`' order, CPR-guarded and
        journaled in batch rows (store/batches.py), all inside this transaction. SQLite inserts
        the batch rows' own text (json_each), so the journal holds exactly what was written;
        in a behind() block that INSERT runs in a thread. Returns the new ids in order."""
        if not rows:
            return []
        _guard_many(table, columns, rows)
        self._before_write()
        # every column written, the left-out ones with their defaults: the journal holds the
        # whole record, as a single add's row does, so a change to any column is found later
        missing, defaults = self._defaults(table, columns)
        if missing:
            columns = [*columns, *missing]
            rows = [row + defaults for row in rows]
        if table in REPORT_INDEXES and table not in self._bulk_tables:
            self._set_indexes_aside(table, len(rows))
        queue = self._queue
        start = queue.last_id.get(table) if queue is not None else None
        if start is None:
            start = self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        # Without AUTOINCREMENT each new rowid is max(rowid) + 1, and the write lock is ours:
        # the ids run on from `start` without a gap, so a batch row names them by its first id
        # and its count. Its `after` holds the records as columns and rows (each record's
        # state is {"id": …, **row}, as a single row's would be; store/batches.py reads them).
        ids = list(range(start + 1, start + 1 + len(rows)))
        if queue is not None:
            queue.last_id[table] = ids[-1]
        names = ["id", *columns]
        encode = _ENCODER.encode
        if len(rows) == 1:
            if queue is None:
                self._insert(table, columns, rows)
            else:
                self._insert_json(table, names, [encode({"rows": [[ids[0], *rows[0]]]})])
            only = {"id": ids[0], **dict(zip(columns, rows[0], strict=True))}
            self._append_journal([(table, ids[0], "add", None, only)])
            return ids
        # each row as (id, *row), joined in C: this runs for every record of a large import
        numbered = list(map(tuple.__add__, zip(ids), rows))
        texts = [
            encode({"columns": names, "rows": numbered[offset : offset + MAX_BATCH]})
            for offset in range(0, len(rows), MAX_BATCH)
        ]
        self._insert_json(table, names, texts)
        self._chain(
            (table, ids[n], None, "add", None, text, min(MAX_BATCH, len(rows) - n))
            for n, text in zip(range(0, len(rows), MAX_BATCH), texts, strict=True)
        )
        return ids

    def _insert_json(self, table: str, names: list[str], texts: list[str]) -> None:
        """Insert the rows that texts of the form {"rows": [[id, …], …]} hold, in `names`'
        order: now, or in a behind() block when it ends."""
        columns = ", ".join(names)
        values = ", ".join(f"json_extract(r.value, '$[{k}]')" for k in range(len(names)))
        sql = (
            f"INSERT INTO {table} ({columns}) SELECT {values} "
            "FROM json_each(?) AS b, json_each(b.value, '$.rows') AS r"
        )
        text = f"[{','.join(texts)}]"
        if self._queue is not None:
            self._queue.statements.append((table, sql, text))
            return
        self._before_write()
        try:
            self.conn.execute(sql, (text,))
        except sqlite3.IntegrityError as exc:
            raise Refused(_integrity_message(str(exc), table, self._table_columns(table))) from exc
        except sqlite3.OperationalError as exc:
            _raise_operational(exc)

    def _defaults(self, table: str, columns: list[str]) -> tuple[list[str], tuple[Any, ...]]:
        """The table's columns (but its id) that `columns` leaves out, and their defaults (the
        schema's are literals: 'service', 100, 0 …, else NULL), read once per table and set of
        columns in a change set (an import inserts hundreds of chunks)."""
        key = (table, tuple(columns))
        if key in self._column_defaults:
            return self._column_defaults[key]
        missing, values = [], []
        for _, name, _, _, default, _ in self.conn.execute(f"PRAGMA table_info({table})"):
            if name == "id" or name in columns:
                continue
            missing.append(name)
            value = None
            if default is not None:
                value = self.conn.execute(f"SELECT {default}").fetchone()[0]
            values.append(value)
        self._column_defaults[key] = (missing, tuple(values))
        return self._column_defaults[key]

    def _insert(self, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
        self._not_behind()
        self._before_write()
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        )
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise Refused(_integrity_message(str(exc), table, self._table_columns(table))) from exc
        except sqlite3.OperationalError as exc:
            _raise_operational(exc)

    def _set_indexes_aside(self, table: str, adding: int) -> None:
        """Before the first bulk insert into `table` in this change set: when it adds more rows
        than the table holds (an import into a new or small register), drop the indexes only
        the reports read; `_restore_indexes` builds them again before COMMIT, sorting each once
        instead of updating it at random for every row (at L, 200,000 savings lines: 13 s of
        index updates against 2 s to build them). All inside the transaction: a failure or an
        interruption rolls the drop back with everything else, and readers never see it."""
        self._bulk_tables.add(table)  # decided once per table and change set
        held = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if adding < max(held, BULK_ROWS):
            return
        names = REPORT_INDEXES[table]
        found = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            f"AND name IN ({', '.join('?' for _ in names)})",
            (table, *names),
        ).fetchall()
        for name, sql in found:
            self._set_aside[name] = sql
            self.conn.execute(f"DROP INDEX {name}")

    def _restore_indexes(self) -> None:
        """Build the indexes a bulk insert set aside (in this transaction, before COMMIT)."""
        while self._set_aside:
            name, sql = self._set_aside.popitem()
            present = self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
            ).fetchone()
            if present is None:  # (a rolled-back savepoint may have brought it back)
                self.conn.execute(sql)

    def _execute(self, sql: str, params: tuple[Any, ...], table: str) -> sqlite3.Cursor:
        self._not_behind()
        self._before_write()
        try:
            return self.conn.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise Refused(_integrity_message(str(exc), table, self._table_columns(table))) from exc
        except sqlite3.OperationalError as exc:
            _raise_operational(exc)

    def _table_columns(self, table: str) -> list[str]:
        """The table's column names (read only when a refusal needs to name one)."""
        if not table:
            return []
        if table not in self._columns:
            try:
                rows = self.conn.execute(f"PRAGMA table_info({table})").fetchall()
            except sqlite3.Error:
                rows = []
            self._columns[table] = [r[1] for r in rows]
        return self._columns[table]


class TransactionLost(sqlite3.OperationalError):
    """A write after SQLite rolled the transaction back on its own (disk full, I/O error)."""


def _raise_operational(exc: sqlite3.OperationalError) -> NoReturn:
    """A lock error as our one-line refusal; anything else (a full disk, an I/O error, a
    read-only file) stays an sqlite3 error: it ends the whole command, so that no per-row
    handler (a sheet import lists bad rows and goes on) carries on after the transaction is
    gone. The CLI boundary turns it into one line."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        raise translate_operational(exc) from exc
    raise exc


class _Block:
    """The context manager behind Writer.behind (a class, not a generator: a Ctrl-C between
    its start and the block would leave a generator to be closed later, by the garbage
    collector, when the connection may be gone; a class's exit runs then or never, and the
    Writer's own exit rolls everything back)."""

    def __init__(self, writer: Writer):
        self.w = writer

    def __enter__(self) -> None:
        w = self.w
        if w._step is not None:
            raise RuntimeError("behind() inside a savepoint step")
        w.settle()
        w._before_write()
        w._conn.execute("SAVEPOINT portefolje_behind")
        self.job = w._queue = _Behind(w._last_hash, w.changes)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        w = self.w
        w._queue = None
        if exc_type is not None:
            w._undo(self.job)
            return
        w._job = self.job
        self.job.start(w._conn)


class _Behind:
    """The INSERTs of one Writer.behind() block and the thread that runs them in order. In the
    thread SQLite holds no Python lock: one statement per table inserts every row its JSON text
    holds, so the caller's Python work and SQLite's run side by side."""

    def __init__(self, last_hash: str | None, changes: int):
        self.saved = (last_hash, changes)  # the Writer's journal head before the block
        self.statements: list[tuple[str, str, str]] = []  # (table, INSERT … json_each, text)
        self.last_id: dict[str, int] = {}  # per table, the last id the block has handed out
        self.error: tuple[str, BaseException] | None = None  # the table and what went wrong
        self.thread: threading.Thread | None = None
        # set by the thread when its last statement has returned: waited on instead of join(),
        # which a Ctrl-C can leave believing a running thread has ended (Python 3.11)
        self.done = threading.Event()

    def start(self, conn: sqlite3.Connection) -> None:
        if not self.statements:
            return
        if sqlite3.threadsafety != 3:  # SQLite without its own lock per connection: run here
            self._run(conn)
        else:
            self.thread = threading.Thread(
                target=self._run, args=(conn,), name="portefolje-insert", daemon=True
            )
            self.thread.start()

    def _run(self, conn: sqlite3.Connection) -> None:
        try:
            for table, sql, text in self.statements:
                try:
                    conn.execute(sql, (text,))
                except BaseException as exc:  # handed to the Writer's thread by settle()
                    self.error = (table, exc)
                    return
        finally:
            self.done.set()

    def wait(self) -> None:
        if self.thread is not None:
            self.done.wait()


class _Step:
    """The context manager behind Writer.savepoint (a class: cheaper than a generator per row)."""

    def __init__(self, writer: Writer):
        self.w = writer

    def __enter__(self) -> None:
        self.saved = (self.w._last_hash, self.w.changes)
        self.w._step = "pending"

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        w = self.w
        try:
            # after some errors (disk full) SQLite has already rolled the whole transaction
            # back, savepoint included: then there is nothing to undo here, and trying would
            # hide the real error behind "no such savepoint"
            if w._step == "open" and w.conn.in_transaction:
                if exc_type is None:
                    w.conn.execute("RELEASE portefolje_step")
                else:
                    w.conn.execute("ROLLBACK TO portefolje_step")
                    w.conn.execute("RELEASE portefolje_step")
                    w._last_hash, w.changes = self.saved
        finally:
            w._step = None


# sha256 digests the tool makes itself: hex text in which ten decimal digits in a row are
# common (roughly one publish in a few dozen), so the CPR guard would refuse them at random
_DIGESTS = {("published_report", "journal_head"), ("published_report", "digest")}


def _guard_all(table: str, values: dict[str, Any]) -> None:
    for field, value in values.items():
        if isinstance(value, str) and (table, field) not in _DIGESTS:
            check_text(msg("what.table_field", table=table_name(table), field=_field(field)), value)


@contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold a Ctrl-C that arrives inside the block until it ends (in the main thread; elsewhere
    Python delivers no signal anyway), so the Ctrl-C message can tell whether a change set was
    committed: between COMMIT returning and the count, an interruption would say "nothing was
    written" about a committed import."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held:
            signal.raise_signal(signal.SIGINT)  # delivered now, to the handler it was meant for


def _guard_many(table: str, columns: list[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """`_guard_all` for a bulk insert, checking each distinct text of a column once (a status,
    a date or a note repeats on thousands of rows): column by column, and only when some text
    is refused, row by row again, so the refusal names the first one as rows are read."""
    try:
        for i, field in enumerate(columns):
            if (table, field) in _DIGESTS:
                continue
            texts = {v for v in map(itemgetter(i), rows) if v.__class__ is str}
            if texts:
                name = msg("what.table_field", table=table_name(table), field=_field(field))
                for value in texts:
                    check_text(name, value)
    except PortefoljeError:
        checked: set[tuple[str, str]] = set()
        for row in rows:
            for field, value in zip(columns, row, strict=True):
                if isinstance(value, str) and (field, value) not in checked:
                    checked.add((field, value))
                    _guard_all(table, {field: value})
        raise


_TYPES = {"INTEGER": "type.integer", "REAL": "type.real", "TEXT": "type.text", "BLOB": "type.blob"}


def _integrity_message(text: str, table: str, columns: Sequence[str] = ()) -> str:
    """SQLite's constraint message as a line for people: the field by name, the rule in words,
    never the SQL of the constraint."""
    what = table_name(table) if table else msg("what.a_record")
    if "UNIQUE" in text and ".code" in text:
        return msg("err.code_taken", what=what)
    if "UNIQUE" in text:
        return msg("err.exists", what=what)
    if "FOREIGN KEY" in text:
        return msg("err.referenced", what=what)
    if text.startswith("NOT NULL"):
        return msg("err.field_required", what=what, field=_field(text.rsplit(".", 1)[-1]))
    datatype = re.match(r"cannot store (\w+) value in (\w+) column [\w.]*?(\w+)$", text)
    if datatype:
        wanted = _TYPES.get(datatype[2].upper())
        return msg(
            "err.field_type",
            what=what,
            field=_field(datatype[3]),
            wanted=msg(wanted) if wanted else datatype[2].lower(),
        )
    if "CHECK" in text:
        expression = text.split(":", 1)[-1]
        found = {
            c: m.start()
            for c in columns
            if (m := re.search(rf"\b{re.escape(c)}\b", expression)) is not None
        }
        named = sorted(found, key=found.__getitem__)  # in the order the rule names them
        if len(named) > 1:
            fields = msg(
                "err.and",
                first=", ".join(_field(c) for c in named[:-1]),
                last=_field(named[-1]),
            )
            return msg("err.fields_misfit", what=what, fields=fields)
        field = _field(named[0]) if named else msg("what.value")
        return msg("err.field_rule", what=what, field=field, rule=_rule(expression))
    return msg("err.db_refused", what=what, text=text.split(":", 1)[0])


def _field(column: str) -> str:
    return column_name(column)


def _rule(expression: str) -> str:
    """A CHECK expression's rule in words (the common shapes in migrations/)."""
    lowered = expression.lower()
    if " in (" in lowered or " in(" in lowered:
        allowed = re.findall(r"'([^']*)'", expression)
        return (
            msg("rule.one_of", allowed=", ".join(allowed)) if allowed else msg("rule.not_allowed")
        )
    if "length(trim(" in lowered:
        return msg("rule.not_empty")
    if "date(" in lowered:
        return msg("rule.date")
    if "glob" in lowered:
        return msg("rule.letter")
    if "json_valid" in lowered:
        return msg("rule.json")
    between = re.search(r"between\s+(-?[\d.]+)\s+and\s+(-?[\d.]+)", lowered)
    if between:
        return msg("rule.between", low=between[1], high=between[2])
    if re.search(r">=\s*0\b", lowered):
        return msg("rule.not_negative")
    if re.search(r">\s*0\b", lowered):
        return msg("rule.positive")
    return msg("rule.other")
