"""`portefolje history`: the change journal, and `history verify` for its hash chain."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.cli.options import Json
from portefolje.cli.output import emit_json, emit_table_chunks, word
from portefolje.i18n import column_name, count, label, msg, number, plain_decimal, record_name
from portefolje.store.journal_names import VERSIONS

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
    from portefolje.domain.dates import local_midnight_utc, local_time, parse_date
    from portefolje.store.journal_names import records
    from portefolje.store.queries import journal
    from portefolje.store.registry import resolve

    conn = state(ctx).conn()
    rows = journal(
        conn,
        since=local_midnight_utc(parse_date(since)) if since else None,
        project_id=resolve(conn, "project", project)["id"] if project else None,
        limit=limit,
    )
    if as_json:
        emit_json(rows)  # streamed: one row in memory at a time
        return

    def described(chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for row, named in zip(chunk, records(conn, chunk), strict=True):
            row["when"] = local_time(row["at"])
            row["what"] = _record(named)
            row["doing"] = word(row["action"], "journal")
            row["change"] = _summary(row["entity"], row["before"], row["after"])
        return chunk

    emit_table_chunks(
        (described(chunk) for chunk in _chunks(rows, TABLE_CHUNK)),
        [
            ("id", "col.number"),
            ("when", "col.when"),
            ("actor", "col.who"),
            ("doing", "col.action_done"),
            ("what", "col.record"),
            ("change", "col.change"),
        ],
    )


TABLE_CHUNK = 5000  # journal rows named and printed at a time: memory stays bounded at any size


def _chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _record(named: dict[str, Any]) -> str:
    """'milepæl M3', 'projekt FOM1 (status)', 'besparelse FOM-SV1' (a version is the record)."""
    name = record_name(named["kind"], named["code"] or f"#{named['id']}")
    part = named["part"]
    if part is None or part in VERSIONS:
        return name
    if named["event"]:
        detail = word(named["event"], named["kind"])
    else:
        detail = label(f"part.{part}").removeprefix("part.")
    return f"{name} ({detail})"


# what a journal row about a part of a record says, by the part's table: the fields shown as
# "from → to", and the field shown after it
_STEPS = {
    "project_event": ("old_value", "new_value", "note"),
    "solution_event": ("old_status", "new_status", "note"),
    "segment_event": ("old_value", "new_value", "note"),
    "milestone_move": ("old_due", "new_due", "reason"),
    "deliverable_postponement": ("old_date", "new_date", "reason"),
}
_SKIPPED = frozenset({"recorded_at", "id"})


def _summary(entity: str, before: dict | None, after: dict | None) -> str:
    """The change in one line: the fields that changed, or what a new or removed row says."""
    if before and after:
        return "; ".join(
            f"{column_name(k)}: {_value(before.get(k))} → {_value(after.get(k))}"
            for k in after
            if k not in _SKIPPED and before.get(k) != after.get(k)
        )
    row = after or before or {}
    if entity in _STEPS:
        old, new, note = _STEPS[entity]
        step = (
            _value(row.get(new))
            if row.get(old) is None
            else (f"{_value(row.get(old))} → {_value(row.get(new))}")
        )
        if row.get("dimension"):
            step = f"{word(row['dimension'])}: {step}"
        return "; ".join(p for p in (step, _note(row.get(note))) if p)
    if "amount" in row and row.get("amount") is not None:
        return "; ".join(p for p in (f"{number(row['amount'])} kr.", _note(row.get("note"))) if p)
    if "numerator" in row:
        return f"{row['numerator']}/{row['denominator']}"
    if "probability" in row:
        return f"{row['probability']} × {row['consequence']}"
    if "value" in row and "date" in row:
        return f"{row['date']}: {_value(row['value'])}"
    for key in ("title", "name", "text", "reason", "note"):
        if row.get(key):
            return _note(row[key])
    return ""


def _value(item: Any) -> str:
    if item is None:
        return "–"
    if isinstance(item, list):
        return ", ".join(_value(v) for v in item) or "–"
    if isinstance(item, float):
        return plain_decimal(item)
    return word(item) if isinstance(item, str) else str(item)


def _note(text: Any) -> str:
    """A stored note; the word "created" that the tool itself stores on a creation step is
    shown in the person's language."""
    if not text:
        return ""
    return msg("msg.created") if text == "created" else str(text)


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
        held = msg("msg.anchor_holds", anchor=f"{parsed[0]}:{parsed[1][:12]}") if parsed else ""
        print(msg("msg.journal_intact", rows=count(result["rows"], "row"), held=held))
    else:
        info(msg("err.prefix", message=result["problem"]))
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
