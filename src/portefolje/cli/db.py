"""`portefolje init` and `portefolje db path | backup | check`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.cli.output import emit_json

app = sub_app("Where the database is, online backups, and integrity checks.")


init_app = sub_app("Create or upgrade the database.", no_args_is_help=False)


@init_app.command("init")
def init(ctx: typer.Context) -> None:
    """Create the database, or upgrade it to this version's schema (backed up first). Safe to re-run.

    \b
    Example:
      portefolje --db ~/portefolje.db init
    """
    from portefolje.store.connection import latest_version, schema_version

    st = state(ctx)
    existed = st.path.exists()
    conn = st.conn(create=True)
    version = schema_version(conn)
    verb = "database ready" if existed else "created database"
    info(f"{verb}: {st.path} (schema version {version} of {latest_version()})")


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the database file in use (--db, else PORTEFOLJE_DB, else the user data folder).

    \b
    Example:
      portefolje db path
    """
    print(state(ctx).path)


@app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="Target file (default: beside the database).")
    ] = None,
) -> None:
    """Copy the database with SQLite's online backup, safe while others write.

    \b
    Example:
      portefolje db backup /mnt/backup/portefolje-2019-06-05.db
    """
    from portefolje.store.connection import backup as online_backup

    st = state(ctx)
    conn = st.conn()
    if file is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        file = st.path.with_name(f"{st.path.stem}.backup-{stamp}{st.path.suffix}")
    if file.exists():
        from portefolje.domain.errors import Refused

        raise Refused(f"{file} already exists; choose another name (backups never overwrite)")
    online_backup(conn, file)
    info(f"backed up to {file}")
    print(file)


@app.command("check")
def check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check integrity, foreign keys and the journal's hash chain; exit 1 on any problem.

    \b
    Example:
      portefolje db check
    """
    from portefolje.store.checks import check as run_check

    result = run_check(state(ctx).conn())
    if as_json:
        emit_json(result)
    else:
        j = result["journal"]
        print(f"schema version   {result['schema_version']}")
        print(f"integrity        {', '.join(result['integrity'])}")
        print(f"foreign keys     {len(result['foreign_key_violations'])} violation(s)")
        chain = "intact" if j["ok"] else f"BROKEN at journal row {j['first_bad']}"
        print(f"journal          {j['rows']} rows, chain {chain}")
        print(
            "records          "
            + ", ".join(f"{n} {t}" for t, n in result["rows"].items() if t != "journal" and n)
        )
    if not result["ok"]:
        info("error: the database failed its check")
        raise typer.Exit(1)
