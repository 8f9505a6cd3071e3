"""`portefolje export`, `import` and `schema`: the whole database as one JSON document."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from portefolje import CollectorPaused
from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.domain.errors import InvalidValue, Refused
from portefolje.i18n import count as counted
from portefolje.i18n import label, msg

export_app = sub_app("Export the database as JSON, XLSX or CSV.", no_args_is_help=False)
import_app = sub_app("Import a JSON document or a CSV/XLSX sheet.")
schema_app = sub_app("JSON Schemas.", no_args_is_help=False)


@export_app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="File (json, xlsx) or folder (csv); default: stdout."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json | xlsx | csv")] = "json",
) -> None:
    """Write the whole database (without the journal): one JSON document, one Excel workbook with
    a sheet per kind of record, or one CSV file per kind in a folder.

    \b
    Example:
      portefolje export --format xlsx --out portefolje-2019-06-05.xlsx
    """
    import sys

    from portefolje.reports.files import atomic_file, atomic_text
    from portefolje.sheets import export as sheets
    from portefolje.store.stream import write_json

    if fmt not in ("json", "xlsx", "csv"):
        raise InvalidValue(msg("err.unknown_format", format=fmt, choices="json, xlsx, csv"))
    conn = state(ctx).conn()
    to_stdout = out is None or str(out) == "-"
    if fmt == "json" and to_stdout:
        from portefolje.cli.output import quiet_pipe

        with quiet_pipe():
            write_json(conn, sys.stdout)
        return
    if to_stdout:
        raise InvalidValue(msg("err.export_needs_out", format=fmt))
    assert out is not None
    if fmt == "json":
        with atomic_text(out) as text:
            write_json(conn, text)
    elif fmt == "xlsx":
        with atomic_file(out) as handle:
            sheets.write_xlsx(conn, handle)
    else:
        from portefolje.cells import write_csv

        for name, headers, rows in sheets.tables(conn):
            with atomic_text(out / f"{name}.csv") as text:
                write_csv(text, headers, rows)
        info(msg("msg.exported_csv", path=f"{out}/"))
        return
    info(msg("msg.exported", path=out))


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run (or a failed sheet import) back."""


@import_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="A JSON document, or a .csv/.xlsx sheet with --kind.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="projects | solutions | milestones | deliverables | savings | investments",
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="XLSX: the sheet to read (default: the first).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything and count, write nothing.")
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="CSV: override the detected encoding (e.g. cp1252)."),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option("--delimiter", help="CSV: override the detected separator (';', ',' or tab)."),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="Write an empty .xlsx/.csv sheet with the headers and an example row.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Load a JSON document, or a CSV/XLSX sheet of one kind: all or nothing, matched by code or
    natural key, so importing the same file twice changes nothing.

    Headers may be Danish or English ("Projekt", "År", "Beløb", "Afdeling", "Styringsområde", …).
    Any bad row stops the whole import; every bad row is listed with its row number as the
    spreadsheet shows it, its column and the reason.

    \b
    Example:
      portefolje import besparelser.csv --kind savings --dry-run
    """
    if template is not None:
        _write_template(template, kind, as_json)
        return
    if file is None:
        raise InvalidValue(msg("err.import_needs_file"))
    if file.suffix.lower() == ".json":
        _import_document(ctx, file, dry_run, as_json)
    else:
        _import_sheet(ctx, file, kind, sheet, dry_run, encoding, delimiter, as_json)


def _write_template(path: Path, kind: str | None, as_json: bool) -> None:
    from portefolje.reports.files import write_atomic
    from portefolje.sheets import template as templates

    chosen = templates.kind_from(path, kind)
    write_atomic(path, templates.write(path, chosen))
    if as_json:
        print(json.dumps({"template": str(path), "kind": chosen}))
    else:
        info(msg("msg.template_written", kind=msg(f"section.{chosen}"), path=path))


def _import_document(ctx: typer.Context, file: Path, dry_run: bool, as_json: bool) -> None:
    """Read the document a record at a time (see domain/jsonstream.py), validating and
    importing as it goes, all in one transaction; a file not in the plain shape is read whole,
    as before, so its refusal is worded as before."""
    from portefolje.domain import document as doc
    from portefolje.domain.jsonstream import Unusual
    from portefolje.store.importing import Importer, Outcome

    streamed = True
    if not dry_run and state(ctx).absent():
        # a refused document must not leave a new database behind: check it all first
        _check_only(file)
    while True:
        invalid = doc.Invalid()
        outcome = Outcome()
        try:
            with (
                CollectorPaused(),
                _entries(file, streamed, invalid) as kinds,
                state(ctx).writer(create=True, dry_run=dry_run) as w,
            ):
                outcome = Importer(w, file.name).run_entries(kinds, invalid)
                if dry_run or outcome.problems or invalid.count:
                    raise _DryRun
        except _DryRun:
            pass
        except Unusual:
            streamed = False  # rolled back; read whole
            continue
        break
    if invalid.count:
        raise InvalidValue(f"{file}: {invalid.describe()}")
    if outcome.problems:
        _refuse_document(file, outcome, as_json)
    result = {k: dict(v) for k, v in outcome.summary.items()}
    if as_json:
        print(json.dumps({"dry_run": dry_run, "file": str(file), "summary": result}, indent=2))
        return
    lines = []
    for key, counts in result.items():
        if counts.get("created") or counts.get("updated"):
            lines.append(
                f"{label(f'section.{key}')}: "
                + ", ".join(msg(f"count.{what}", n=n) for what, n in sorted(counts.items()) if n)
            )
    prefix = msg("msg.would_import" if dry_run else "msg.imported", path=file)
    unchanged = sum(c.get("unchanged", 0) for c in result.values())
    nothing = msg("count.updated", n=0) + ", " + msg("count.unchanged", n=unchanged)
    info(f"{prefix}: " + ("; ".join(lines) if lines else nothing))


@contextmanager
def _entries(
    file: Path, streamed: bool, invalid: Any
) -> Iterator[Iterator[tuple[str, Iterator[Any]]]]:
    """The document's kinds with their records validated (errors counted in `invalid`):
    streamed, by a helper process for a large file (cli/reader.py) or here, else read whole."""
    from portefolje.cli import reader
    from portefolje.domain import document as doc

    if streamed and reader.worth_it(file):
        with reader.validated(file, invalid) as kinds:
            yield kinds
        return
    with _kinds(file, streamed) as raw:
        yield doc.validated(raw, invalid)


@contextmanager
def _kinds(file: Path, streamed: bool) -> Iterator[Iterator[tuple[str, Iterator[Any]]]]:
    """The document's kinds: streamed from the open file, or read whole (json.loads, with
    the refusals it always gave for a file that is not JSON)."""
    from portefolje.domain import document as doc
    from portefolje.domain import jsonstream
    from portefolje.domain.jsonstream import Unusual

    if streamed:
        try:
            opened = file.open(encoding="utf-8-sig")
        except FileNotFoundError:
            raise Refused(msg("err.no_file", path=file)) from None
        with opened as handle:
            try:
                kinds = doc.stream(iter(lambda: handle.read(jsonstream.BUFFER), ""))
            except (Unusual, UnicodeDecodeError):
                pass
            else:
                yield kinds
                return
    try:
        raw = json.loads(file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise Refused(msg("err.no_file", path=file)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidValue(msg("err.not_json", path=file, error=exc)) from None
    except RecursionError:
        raise InvalidValue(msg("err.too_deep", path=file)) from None
    from pydantic import ValidationError

    try:
        kinds = doc.whole(raw)
    except ValidationError as exc:
        raise InvalidValue(f"{file}: {doc.describe_errors(exc)}") from None
    yield kinds


def _check_only(file: Path) -> None:
    """Validate the whole document without a database (refusing it as the import would)."""
    from portefolje.domain import document as doc
    from portefolje.domain.jsonstream import Unusual

    streamed = True
    while True:
        invalid = doc.Invalid()
        try:
            with _entries(file, streamed, invalid) as kinds:
                for _, entries in kinds:
                    for _ in entries:
                        pass
        except Unusual:
            streamed = False
            continue
        break
    if invalid.count:
        raise InvalidValue(f"{file}: {invalid.describe()}")


PROBLEMS_SHOWN = 20


def mask(reason: str) -> str:
    """A problem quotes what the file held: the CPR guard's digits are masked on stdout too."""
    from portefolje.domain.cpr import mask as cpr_mask

    return cpr_mask(reason)


def _refuse_document(file: Path, outcome: Any, as_json: bool) -> None:
    """Every refused record by its JSON path (the first few, and how many more); nothing kept."""
    problems = outcome.problems
    if as_json:
        print(
            json.dumps(
                {
                    "file": str(file),
                    "written": False,
                    "problems": [{"path": p.path, "reason": mask(p.reason)} for p in problems],
                },
                ensure_ascii=False,
            )
        )
        raise typer.Exit(1)
    if len(problems) == 1:
        raise Refused(
            msg(
                "err.nothing_imported_one",
                name=file.name,
                path=problems[0].path,
                reason=problems[0].reason,
            )
        )
    info(
        msg(
            "err.prefix",
            message=msg(
                "err.nothing_imported", name=file.name, n=counted(len(problems), "problem")
            ),
        )
    )
    for p in problems[:PROBLEMS_SHOWN]:
        info(f"  {p.path}: {p.reason}")
    if len(problems) > PROBLEMS_SHOWN:
        info(msg("msg.and_n_more", n=len(problems) - PROBLEMS_SHOWN))
    raise typer.Exit(1)


def _import_sheet(
    ctx: typer.Context,
    file: Path,
    kind: str | None,
    sheet: str | None,
    dry_run: bool,
    encoding: str | None,
    delimiter: str | None,
    as_json: bool,
) -> None:
    from portefolje.sheets import read as reader
    from portefolje.sheets.apply import Outcome, import_rows
    from portefolje.sheets.template import kind_from

    chosen = kind_from(file, kind)
    header, rows, count, read_as = reader.read(
        file, sheet=sheet, encoding=encoding, delimiter=delimiter
    )
    outcome = Outcome()
    try:
        with CollectorPaused(), state(ctx).writer() as w, Progress(count, as_json) as tick:
            outcome = import_rows(w, chosen, header, rows, source=file.name, progress=tick)
            if outcome.problems or dry_run:
                raise _DryRun
    except _DryRun:
        pass
    result = {
        "file": str(file),
        "kind": chosen,
        "read_as": read_as,
        "rows": sum(outcome.counts.values()) + len({p.row for p in outcome.problems}),
        "dry_run": dry_run,
        "written": not outcome.problems and not dry_run,
        "created": outcome.counts["created"],
        "updated": outcome.counts["updated"],
        "unchanged": outcome.counts["unchanged"],
        "ignored_columns": outcome.ignored_columns,
        "problems": [
            {"row": p.row, "column": p.column, "reason": mask(p.reason)} for p in outcome.problems
        ],
    }
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif outcome.ignored_columns:
        info(msg("msg.ignored_columns", columns=", ".join(outcome.ignored_columns)))
    if outcome.problems:
        if not as_json:
            n = len(outcome.problems)
            info(
                msg(
                    "err.prefix",
                    message=msg("err.nothing_imported", name=file.name, n=counted(n, "problem")),
                )
            )
            for p in outcome.problems[:PROBLEMS_SHOWN]:
                where = msg("msg.row", row=p.row) + (
                    msg("msg.column", column=p.column) if p.column else ""
                )
                info(f"  {where}: {p.reason}")
            if n > PROBLEMS_SHOWN:
                info(msg("msg.and_n_more", n=n - PROBLEMS_SHOWN))
        raise typer.Exit(1)
    if not as_json:
        verb = msg("msg.would_import" if dry_run else "msg.imported", path=file.name)
        counts = ", ".join(
            msg(f"count.{what}", n=result[what]) for what in ("created", "updated", "unchanged")
        )
        info(f"{verb} ({read_as}): {counts}")


class Progress:
    """A progress bar on stderr for long imports, shown only when stderr is a terminal."""

    def __init__(self, total: int, quiet: bool):
        import sys

        self.total = total
        self.show = total >= 500 and not quiet and sys.stderr.isatty()
        self.bar: Any = None

    def __enter__(self) -> Callable[[int], None] | None:
        if not self.show:
            return None
        from rich.console import Console
        from rich.progress import Progress as Bar

        self.bar = Bar(console=Console(stderr=True), transient=True)
        self.bar.__enter__()
        task = self.bar.add_task("importing", total=self.total)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


SCHEMAS = ("export", "report-status", "report-savings", "report-consolidated")


@schema_app.command("schema")
def schema(
    name: Annotated[
        str,
        typer.Argument(
            help="Which document: export | report-status | report-savings | report-consolidated."
        ),
    ] = "export",
) -> None:
    """Print the JSON Schema of a document that portefolje reads or writes.

    \b
    Example:
      portefolje schema export > portefolje-export.schema.json
    """
    if name not in SCHEMAS:
        raise InvalidValue(msg("err.unknown_schema", name=name, choices=", ".join(SCHEMAS)))
    if name == "export":
        from portefolje.domain.document import Document as model
    elif name == "report-status":
        from portefolje.reports.schema import StatusReport as model  # type: ignore[assignment]
    elif name == "report-savings":
        from portefolje.reports.schema import SavingsReport as model  # type: ignore[assignment]
    else:
        from portefolje.reports.schema import (  # type: ignore[assignment]
            ConsolidatedReport as model,
        )
    print(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2))
