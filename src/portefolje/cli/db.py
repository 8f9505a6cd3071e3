"""`portefolje init` and `portefolje db path | backup | check`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

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
    """Copy the database with SQLite's online backup, safe while others write. The copy is
    written under a temporary name, checked (integrity, portefolje's id, schema version) and
    flushed to disk before it gets its name; an existing file is never overwritten.

    \b
    Example:
      portefolje db backup /mnt/backup/portefolje-2019-06-05.db
    """
    from portefolje.store.backup import backup as online_backup

    st = state(ctx)
    conn = st.conn()
    if file is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        file = st.path.with_name(f"{st.path.stem}.backup-{stamp}{st.path.suffix}")
    online_backup(conn, file)
    info(f"backed up to {file}")
    print(file)


@app.command("check")
def check(
    ctx: typer.Context,
    anchor: Annotated[
        str | None,
        typer.Option("--anchor", help="Also verify the journal against this anchor (ROWS:HASH)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check integrity, foreign keys, the schema, the journal's hash chain, and that the data
    tables hold what the journal says they should; print the migration runs. Exit 1 on any
    problem, naming the first.

    \b
    Example:
      portefolje db check
    """
    from portefolje.store.checks import check as run_check
    from portefolje.store.checks import parse_anchor

    result = run_check(state(ctx).conn(), parse_anchor(anchor) if anchor else None)
    if as_json:
        emit_json(result)
    else:
        _print_check(result)
    if not result["ok"]:
        info(f"error: the database failed its check: {_first_problem(result)}")
        raise typer.Exit(1)


def _print_check(result: dict[str, Any]) -> None:
    j = result["journal"]
    data = result["data_vs_journal"]
    kind = "portefolje database" if result["portefolje_file"] else "NOT a portefolje database"
    print(f"schema version   {result['schema_version']} ({kind})")
    print(f"schema           {'complete' if not result['schema'] else '; '.join(result['schema'])}")
    print(f"integrity        {', '.join(result['integrity'])}")
    print(f"foreign keys     {len(result['foreign_key_violations'])} violation(s)")
    chain = "intact" if j["first_bad"] is None else f"BROKEN at journal row {j['first_bad']}"
    print(f"journal          {j['rows']} rows, chain {chain}")
    if "anchor" in j:
        print(f"anchor           {'holds' if j['ok'] else j['problem']}")
    print(f"journal head     {result['anchor']['anchor']}")
    if data["ok"]:
        verdict = f"agree ({len(data['compared'])} tables compared"
    else:
        verdict = (
            f"{data['difference_count']} difference(s), first: {data['differences'][0]['problem']}"
        )
        verdict += f" ({len(data['compared'])} tables compared"
    excluded = ", ".join(data["excluded"])
    print(
        f"data vs journal  {verdict}; not compared: {excluded or 'none'}, journaled on their parent)"
    )
    runs = result["migrations"]
    label = "migrations"
    recorded = {r["version"] for r in runs}
    unknown = [v for v in range(1, result["schema_version"] + 1) if v not in recorded]
    if unknown:
        span = f"{unknown[0]}-{unknown[-1]}" if len(unknown) > 1 else str(unknown[0])
        print(f"{label:<17}{span}: run by portefolje 0.1, which kept no record")
        label = ""
    width = max((len(f"{r['version']} {r['name']}") for r in runs), default=0)
    for r in runs:
        step = f"{r['version']} {r['name']}"
        print(f"{label:<17}{step:<{width}}  {r['applied_at']}  portefolje {r['app_version']}")
        label = ""
    print(
        "records          "
        + ", ".join(
            f"{n} {t}"
            for t, n in result["rows"].items()
            if t not in ("journal", "schema_migration") and n
        )
    )


def _first_problem(result: dict[str, Any]) -> str:
    if not result["portefolje_file"]:
        return "the file does not carry portefolje's application id"
    if result["integrity"] != ["ok"]:
        return f"integrity: {result['integrity'][0]}"
    if result["schema"]:
        return f"schema: {result['schema'][0]} (not a complete portefolje database)"
    if result["foreign_key_violations"]:
        v = result["foreign_key_violations"][0]
        return f"table {v['table']} row {v['rowid']} refers to a missing {v['parent']}"
    if not result["journal"]["ok"]:
        return str(result["journal"]["problem"])
    return str(result["data_vs_journal"]["differences"][0]["problem"])
