"""Helpers for the reliability tests: the real CLI in a subprocess, file fingerprints, and Linux
namespaces that give a test a real full disk (a small tmpfs), a real read-only mount, or a process
without root's power to ignore file permissions, all without privileges.

Tests that need a namespace skip (saying why) where `unshare` is not allowed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SIDECARS = ("-wal", "-shm", "-journal")


def cli_args() -> list[str]:
    return [sys.executable, "-m", "portefolje"]


def run(
    *args: str | bytes | Path,
    env: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
    timeout: float = 120,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`portefolje ARGS` in a fresh process, as a user runs it."""
    return subprocess.run(
        [*prefix, *cli_args(), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        input=input,
    )


def one_line_error(done: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The refusal's stderr, after checking it is one line, no traceback, nothing on stdout."""
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stdout == "", done.stdout
    return done.stderr


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[str]:
    return [s for s in SIDECARS if Path(f"{path}{s}").exists()]


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read straight from the file (read-only, no portefolje code)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith("sqlite")
        ]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


@functools.cache
def _unshare_works(*flags: str) -> bool:
    if not shutil.which("unshare") or sys.platform != "linux":
        return False
    try:
        done = subprocess.run(["unshare", *flags, "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def unprivileged() -> tuple[str, ...]:
    """A command prefix that runs a process bound by file permissions: as root, a new user
    namespace without a mapping (the process keeps uid 0 on disk, so it can read the venv, but
    loses the capability to override permissions); as anyone else, nothing."""
    if os.geteuid() != 0:
        return ()
    if not _unshare_works("--user"):
        pytest.skip("needs `unshare --user` to drop root's override of file permissions")
    return ("unshare", "--user")


def namespace_python(script: str, *args: str, timeout: float = 300) -> dict[str, Any]:
    """Run a Python script as root of a new user and mount namespace (unshare -rm), where it may
    mount a small tmpfs (a disk that really fills up) or a read-only bind mount; the script
    (after NAMESPACE_PRELUDE's helpers) prints one JSON object as its last line of stdout, which
    is returned."""
    if not _unshare_works("-rm"):
        pytest.skip("needs `unshare -rm` (user and mount namespaces) for a real full disk")
    done = subprocess.run(
        [
            "unshare",
            "-rm",
            sys.executable,
            "-c",
            NAMESPACE_PRELUDE + textwrap.dedent(script),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# Shared by the namespace scripts: mount a tmpfs, fill it to leave `free` bytes, run the CLI.
NAMESPACE_PRELUDE = """
import hashlib, json, os, sqlite3, subprocess, sys
from pathlib import Path

def mount_tmpfs(where, size):
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)

def fill(where, leave):
    st = os.statvfs(where)
    free = st.f_bavail * st.f_frsize
    filler = where / "filler"
    with open(filler, "wb") as f:
        f.write(b"\\0" * max(0, free - leave))
    return filler

def cli(*args):
    done = subprocess.run([sys.executable, "-m", "portefolje", *map(str, args)],
                          capture_output=True, text=True)
    return {"code": done.returncode, "out": done.stdout, "err": done.stderr}

def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()

def table_rows(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    data = {n: sorted(map(repr, conn.execute(f"SELECT * FROM {n}").fetchall())) for n in names
            if not n.startswith("sqlite")}
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    return {"digest": hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest(),
            "integrity": integrity, "version": version}
"""
