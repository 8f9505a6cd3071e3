"""`portefolje init` and `portefolje db path | backup | check`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.cli.output import emit_json
from portefolje.i18n import count, label, msg, number, table_name

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
    key = "msg.database_ready" if existed else "msg.database_created"
    info(msg(key, path=st.path, version=version, latest=latest_version()))


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
    info(msg("msg.backed_up", path=file))
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
        info(msg("err.prefix", message=msg("err.check_failed", problem=_first_problem(result))))
        raise typer.Exit(1)


def _print_check(result: dict[str, Any]) -> None:
    j = result["journal"]
    data = result["data_vs_journal"]
    kind = msg("check.ours" if result["portefolje_file"] else "check.not_ours")
    _line("check.l_version", f"{result['schema_version']} ({kind})")
    _line("check.l_schema", "; ".join(result["schema"]) or msg("check.complete"))
    _line("check.l_integrity", ", ".join(result["integrity"]))
    _line("check.l_foreign_keys", count(len(result["foreign_key_violations"]), "violation"))
    chain = (
        msg("check.intact") if j["first_bad"] is None else msg("check.broken", row=j["first_bad"])
    )
    _line("check.l_journal", msg("check.rows_chain", rows=count(j["rows"], "row"), chain=chain))
    if "anchor" in j:
        _line("check.l_anchor", msg("check.holds") if j["ok"] else j["problem"])
    _line("check.l_head", result["anchor"]["anchor"])
    compared = count(len(data["compared"]), "table")
    if data["ok"]:
        verdict = msg("check.agree", compared=compared)
    else:
        verdict = msg(
            "check.differences",
            n=count(data["difference_count"], "difference"),
            first=data["differences"][0]["problem"],
            compared=compared,
        )
    excluded = ", ".join(table_name(t) for t in data["excluded"]) or msg("check.none")
    _line("check.l_data", msg("check.not_compared", verdict=verdict, excluded=excluded))
    runs = result["migrations"]
    label = "check.l_migrations"
    recorded = {r["version"] for r in runs}
    unknown = [v for v in range(1, result["schema_version"] + 1) if v not in recorded]
    if unknown:
        span = f"{unknown[0]}-{unknown[-1]}" if len(unknown) > 1 else str(unknown[0])
        _line(label, msg("check.no_record", span=span))
        label = ""
    steps = [f"{r['version']} {_migration_name(r['name'])}" for r in runs]
    width = max(map(len, steps), default=0)
    from portefolje.domain.dates import local_time

    for r, step in zip(runs, steps, strict=True):
        when = local_time(r["applied_at"])
        _line(label, f"{step:<{width}}  {when}  portefolje {r['app_version']}")
        label = ""
    # "kind: n" rather than "n kind": the table words are singular nouns
    _line(
        "check.l_records",
        ", ".join(
            f"{table_name(t)}: {number(n)}"
            for t, n in result["rows"].items()
            if t not in ("journal", "schema_migration") and n
        ),
    )


def _migration_name(name: str) -> str:
    """A migration step by what it brought ('projektindhold'); its file name's words in
    English, and for a step the catalogue does not know."""
    return label(f"migration.{name}").removeprefix("migration.").replace("_", " ")


def _line(label: str, text: str) -> None:
    """One line of the check: the label (a catalogue key, or '' under the one above) in a
    column of 17 characters, then the text."""
    print(f"{msg(label) if label else '':<17}{text}")


def _first_problem(result: dict[str, Any]) -> str:
    if not result["portefolje_file"]:
        return msg("check.no_application_id")
    if result["integrity"] != ["ok"]:
        return msg("check.integrity_problem", problem=result["integrity"][0])
    if result["schema"]:
        return msg("check.schema_problem", problem=result["schema"][0])
    if result["foreign_key_violations"]:
        v = result["foreign_key_violations"][0]
        return msg(
            "check.foreign_key_problem",
            table=table_name(v["table"]),
            row=v["rowid"],
            parent=table_name(v["parent"]),
        )
    if not result["journal"]["ok"]:
        return str(result["journal"]["problem"])
    return str(result["data_vs_journal"]["differences"][0]["problem"])
