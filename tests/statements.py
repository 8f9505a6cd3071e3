"""Counting SQL statements, for the tests that hold a command to a number of statements that does
not grow with the data (no query per record): on one connection the test opens, or on every
connection the real CLI opens while a block runs."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


def statements(db: Path, build: Callable[[sqlite3.Connection], object]) -> int:
    """The statements `build` runs on a connection to `db` opened as the tool opens it."""
    from portefolje.store.connection import open_db

    seen: list[str] = []
    conn = open_db(db)
    conn.set_trace_callback(seen.append)
    try:
        build(conn)
    finally:
        conn.close()
    return len(seen)


@contextmanager
def _tracing(monkeypatch: pytest.MonkeyPatch, callback: Callable[[str], None]) -> Iterator[None]:
    """Every connection opened inside the block calls `callback` with each statement it runs."""
    connect = sqlite3.connect

    def counted(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(callback)
        return conn

    monkeypatch.setattr(sqlite3, "connect", counted)
    try:
        yield
    finally:
        monkeypatch.setattr(sqlite3, "connect", connect)


@contextmanager
def traced(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement run on any connection opened inside the block, in order (clear the list
    between commands to count each on its own)."""
    seen: list[str] = []
    with _tracing(monkeypatch, seen.append):
        yield seen


@contextmanager
def traced_by_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """`traced`, each statement with the name of the thread that ran it."""
    import threading

    seen: list[tuple[str, str]] = []
    with _tracing(monkeypatch, lambda s: seen.append((threading.current_thread().name, s))):
        yield seen
