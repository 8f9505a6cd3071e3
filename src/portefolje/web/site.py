"""The Datasette app over one portefolje database, read-only, and running it.

`make` is what `portefolje serve` runs and what the tests drive through Datasette's own client:
the file is checked (a portefolje database of this schema version), its metadata built in Danish,
and Datasette started on it immutable (`--immutable`, or a file this process cannot write) or
`mode=ro` (a file the secretariat may write while the site serves it: readers see each commit).

Why not immutable by default: Datasette's `-i`/`--immutable` opens the file with SQLite's
`immutable=1`, which takes no locks, ignores the -wal file and assumes the bytes never change,
and Datasette counts each table's rows once at start-up and keeps the counts. On the live file
that a secretariat writes to, that shows stale counts, misses every commit still in the -wal file
and can read a page while a checkpoint rewrites it. So immutable is for a copy nobody writes
(`--immutable`, e.g. a nightly backup) and, as a fallback, for a file this process cannot write:
there `mode=ro` cannot read a WAL file at all while no writer has its -shm file open ("attempt
to write a readonly database"). On a live file that fallback shows the last checkpoint's
state (the start-up line says "immutable"): serve a copy, or let the site's account write the
file and its folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"
SETTINGS: dict[str, Any] = {
    "default_allow_sql": False,  # the canned queries are the only SQL a reader runs
    "allow_download": False,  # the whole file would include the journal
    "suggest_facets": False,  # costly on large tables, and English
    "default_page_size": 50,
    "sql_time_limit_ms": 5000,  # the gap query reads every saving line at scale L
}


def writable(path: Path) -> bool:
    """Whether this process could write the file (so someone like it may, while we serve)."""
    return os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)


def make(path: Path, *, immutable: bool | None = None, base_url: str = "/") -> Any:
    """The Datasette app for `path`. `immutable` None: immutable only when the file cannot be
    written here."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from portefolje.store import queries, readonly, site_queries
    from portefolje.web import metadata, plugin

    f = readonly.open_readonly(path)
    try:
        columns = site_queries.table_columns(f.conn)
        portfolios = queries.portfolios(f.conn)
    finally:
        f.close()
    if not pm.is_registered(plugin):
        pm.register(plugin, name="portefolje")
    frozen = not writable(path) if immutable is None else immutable
    name = path.stem
    meta = metadata.build(name, columns, portfolios, base_url)
    return Datasette(
        files=[] if frozen else [str(path)],
        immutables=[str(path)] if frozen else [],
        metadata=meta,
        settings={**SETTINGS, "base_url": base_url},
        template_dir=str(TEMPLATES),
    )


def run(ds: Any, *, host: str, port: int) -> None:
    """Start Datasette's start-up hooks and serve it with uvicorn until Ctrl-C."""
    import asyncio

    import uvicorn

    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
