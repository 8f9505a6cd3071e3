"""What every command shares: where the database is, who is acting, and one lazy connection.

The root callback builds a `State` into ctx.obj; the connection is opened on first use (so
`db path` and `--help` never touch the file) and closed when the command ends.
"""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from portefolje.store.write import Writer

from portefolje.store.connection import DEFAULT_BUSY_TIMEOUT, default_path, open_db


def info(message: str) -> None:
    """A message for the person at the terminal: always stderr, never mixed into results. Many
    messages quote what the user typed or a file held (a reference, a cell): every digit run the
    CPR guard would refuse is masked first."""
    from portefolje.domain.cpr import mask  # lazy: --version and --help print no message

    print(mask(message), file=sys.stderr)


@dataclass
class State:
    db: Path | None = None
    actor: str | None = None
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    debug: bool = False
    quiet: bool = False
    command: str = "portefolje"
    _conn: sqlite3.Connection | None = None

    @property
    def path(self) -> Path:
        if self.db is None:
            self.db = default_path()
        return self.db

    def conn(self, *, create: bool = False, dry_run: bool = False) -> sqlite3.Connection:
        """The database connection, opened on first use. `create` makes a missing database
        (init, demo, an import); with `dry_run` a missing database is never created: the
        command works on a fresh one in memory that vanishes with it."""
        if self._conn is None:
            if dry_run and create and self.absent():
                from portefolje.store.connection import scratch_db

                self._conn = scratch_db()
            else:
                self._conn = open_db(
                    self.path, create=create, busy_timeout=self.busy_timeout, notify=info
                )
        return self._conn

    @property
    def read_only(self) -> bool:
        """Whether the database was opened read-only (the file or its folder cannot be
        written): a command that would only record something on the side (a report's as-of
        date) can skip that and say so."""
        return bool(getattr(self.conn(), "read_only", False))

    def absent(self) -> bool:
        """Whether there is no database yet (no file, or an empty one): a command that must
        not leave a new file behind when it is refused checks its input first."""
        from portefolje.store.connection import inspect_file

        return inspect_file(self.path, self.busy_timeout).kind in ("missing", "empty")

    def writer(self, *, create: bool = False, dry_run: bool = False) -> Writer:
        """A Writer on the database; refused at once when the file is read-only here."""
        from portefolje.domain.errors import DatabaseError
        from portefolje.store.write import Writer

        conn = self.conn(create=create, dry_run=dry_run)
        if getattr(conn, "read_only", False):
            from portefolje.i18n import msg

            raise DatabaseError(msg("err.read_only_here", path=self.path))
        return Writer(conn, actor=self.actor, command=self.command)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def state(ctx: typer.Context) -> State:
    """The shared State, found on the root context whatever the nesting depth."""
    obj = ctx.find_root().obj
    if not isinstance(obj, State):  # a sub-app invoked on its own, as in some tests
        obj = State()
        ctx.find_root().obj = obj
    return obj
