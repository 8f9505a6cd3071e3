"""`portefolje export`, `import` and `schema`: the whole database as one JSON document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.domain.errors import InvalidValue, Refused

export_app = sub_app("Export the database as JSON.", no_args_is_help=False)
import_app = sub_app("Import a JSON document.")
schema_app = sub_app("JSON Schemas.", no_args_is_help=False)


@export_app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file (default: stdout).")
    ] = None,
) -> None:
    """Write the whole database (without the journal) as one JSON document.

    \b
    Example:
      portefolje export --out portefolje-2019-06-05.json
    """
    from portefolje.reports.files import write_atomic
    from portefolje.store.transfer import export_document

    text = json.dumps(export_document(state(ctx).conn()), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(out, text.encode("utf-8"))
        info(f"exported to {out}")


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@import_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A document written by `portefolje export`.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count, write nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Load a JSON document into the database: all or nothing, records matched by code.

    Importing the same file twice changes nothing the second time.

    \b
    Example:
      portefolje import examples/albertslund.json
    """
    from pydantic import ValidationError

    from portefolje.domain.document import Document, describe_errors
    from portefolje.store.transfer import import_document

    try:
        raw = json.loads(file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise Refused(f"no file {file}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidValue(f"{file} is not a JSON document: {exc}") from None
    try:
        document = Document.model_validate(raw)
    except ValidationError as exc:
        raise InvalidValue(f"{file}: {describe_errors(exc)}") from None
    st = state(ctx)
    summary = {}
    try:
        with st.writer(create=True) as w:
            summary = import_document(w, document)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    result = {k: dict(v) for k, v in summary.items()}
    if as_json:
        print(json.dumps({"dry_run": dry_run, "file": str(file), "summary": result}, indent=2))
        return
    lines = []
    for key, counts in result.items():
        if counts:
            lines.append(
                f"{key}: " + ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
            )
    prefix = "would import (dry run, nothing written)" if dry_run else f"imported {file}"
    info(f"{prefix}: " + ("; ".join(lines) if lines else "nothing"))


SCHEMAS = ("export", "report-status")


@schema_app.command("schema")
def schema(
    name: Annotated[str, typer.Argument(help="Which document: export | report-status.")] = "export",
) -> None:
    """Print the JSON Schema of a document that portefolje reads or writes.

    \b
    Example:
      portefolje schema export > portefolje-export.schema.json
    """
    if name not in SCHEMAS:
        raise InvalidValue(f"unknown schema {name!r}: choose one of {', '.join(SCHEMAS)}")
    if name == "export":
        from portefolje.domain.document import Document as model
    else:
        from portefolje.reports.schema import StatusReport as model  # type: ignore[assignment]
    print(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2))
