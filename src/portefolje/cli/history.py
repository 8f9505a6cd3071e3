"""`portefolje history`: the change journal, and `history verify` for its hash chain."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.cli.options import Json
from portefolje.cli.output import emit_json, emit_table

app = sub_app(
    "The change journal: every change, who made it and when.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@app.callback()
def history(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Only changes on or after this date.")] = None,
    project: Annotated[str | None, typer.Option(help="Only this project and its records.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many rows.", min=1)] = None,
    as_json: Json = False,
) -> None:
    """Show the change journal, oldest first.

    \b
    Example:
      portefolje history --since "1. maj 2019" --project P2
    """
    if ctx.invoked_subcommand is not None:
        return
    from portefolje.domain.dates import parse_date
    from portefolje.store.queries import journal
    from portefolje.store.registry import resolve

    conn = state(ctx).conn()
    rows = journal(
        conn,
        since=parse_date(since).isoformat() if since else None,
        project_id=resolve(conn, "project", project)["id"] if project else None,
        limit=limit,
    )
    for row in rows:
        row["before"] = json.loads(row["before"]) if row["before"] else None
        row["after"] = json.loads(row["after"]) if row["after"] else None
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        row["when"] = row["at"][:19].replace("T", " ")
        row["what"] = f"{row['entity']} {row['code'] or row['entity_id']}"
        row["change"] = _summary(row["before"], row["after"])
    emit_table(
        rows,
        [
            ("id", "#"),
            ("when", "When (UTC)"),
            ("actor", "Who"),
            ("action", "Action"),
            ("what", "Record"),
            ("change", "Change"),
        ],
    )


def _summary(before: dict | None, after: dict | None) -> str:
    if before and after:
        changed = [
            f"{k}: {before.get(k)} → {after.get(k)}" for k in after if before.get(k) != after.get(k)
        ]
        return "; ".join(changed)
    row = after or before or {}
    for key in ("title", "name", "note", "new_value"):
        if row.get(key):
            return str(row[key])
    return ""


@app.command("verify")
def verify(
    ctx: typer.Context,
    anchor: Annotated[
        str | None,
        typer.Option(
            "--anchor",
            help="An anchor kept from `history anchor` (ROWS:HASH): also prove that none of "
            "those rows was removed or rewritten.",
        ),
    ] = None,
) -> None:
    """Recompute the journal's hash chain; name the first tampered row and exit 1 if broken.
    With --anchor, also detect rows removed from the end and a chain recomputed after an edit.

    \b
    Example:
      portefolje history verify --anchor 57:3f5a…
    """
    from portefolje.store.checks import parse_anchor, verify_journal

    parsed = parse_anchor(anchor) if anchor is not None else None
    result = verify_journal(state(ctx).conn(), parsed)
    if result["ok"]:
        held = f"; the anchor {parsed[0]}:{parsed[1][:12]}… holds" if parsed else ""
        print(f"journal intact: {result['rows']} rows{held}")
    else:
        info(f"error: {result['problem']}")
        raise typer.Exit(1)


@app.command("anchor")
def anchor(ctx: typer.Context, as_json: Json = False) -> None:
    """Print the journal's head (row count and last hash) as ROWS:HASH, to keep elsewhere: in a
    report, a mail, the meeting case. `history verify --anchor ROWS:HASH` later proves that none
    of those rows was removed or rewritten.

    \b
    Example:
      portefolje history anchor >> anchors.txt
    """
    from portefolje.store.checks import journal_anchor

    head = journal_anchor(state(ctx).conn())
    if as_json:
        emit_json(head)
    else:
        print(head["anchor"])
