"""report consolidated: one report over several secretariats' database files, read-only; and the
archive of consolidated reports that `--publish --archive FILE` writes and `report archive
list|show --archive FILE` reads."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from portefolje.cli.context import info, state
from portefolje.domain.dates import parse_date, today
from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg

FORMATS = ("text", "md", "html", "json", "csv", "xlsx")
Archive = Annotated[
    Path | None,
    typer.Option(
        "--archive",
        help="The archive file of consolidated reports (created when missing; never a source).",
    ),
]


def consolidated(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="The portefolje database files to read."),
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Report date (default today).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Changes since (default per portfolio: its last published report, else 30 days).",
        ),
    ] = None,
    price_level: Annotated[
        str | None,
        typer.Option("--price-level", help="Show every amount in this year's price level."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text | md | html | json | csv | xlsx")
    ] = "text",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file; {date} and {format} are filled in."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="da | en")] = "da",
    publish: Annotated[
        bool,
        typer.Option("--publish", help="Store it as the report that was sent, in --archive FILE."),
    ] = False,
    archive: Archive = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No message on success.")] = False,
) -> None:
    """The organisation's status report over several secretariats' files (one per
    administration), each opened read-only: never written to, upgraded or switched to WAL.

    First the sources (path, schema version, journal anchor: rows and head hash), then the
    headline figures per file and portfolio with totals, the committee calendar across all
    files, then each portfolio's own status report, built exactly as `report status` builds it.
    A file of another schema version is refused by name. With --publish the report and every
    rendered format go into --archive FILE, a small file of its own (never one of the sources);
    `report archive list|show --archive FILE` reads them back. The global --db is not used.

    \b
    Example:
      portefolje report consolidated social.db beskaeftigelse.db sundhed.db --as-of 2019-06-05 --format html --out koncern-{date}.html
    """
    from portefolje.domain.dates import parse_year
    from portefolje.reports.consolidated import consolidate

    _check(fmt, lang, publish, archive, files)
    day = parse_date(as_of) if as_of else today()
    start = parse_date(since) if since else None
    if start is not None and start > day:
        raise InvalidValue(msg("err.since_after_as_of", start=start, day=day))
    level = parse_year(price_level) if price_level else None
    report = consolidate(files, as_of=day, since=start, lang=lang, price_level=level)
    if publish and archive is not None:
        _publish(ctx, report, archive, fmt=fmt, out=out, day=day, quiet=quiet)
        return
    from portefolje.cli.report import emit
    from portefolje.reports.output import render

    emit(render(report, fmt), out=out, as_of=day, portfolio=None, fmt=fmt, quiet=quiet)


def _check(fmt: str, lang: str, publish: bool, archive: Path | None, files: list[Path]) -> None:
    if fmt not in FORMATS:
        raise InvalidValue(msg("err.unknown_format", format=fmt, choices=", ".join(FORMATS)))
    if lang not in ("da", "en"):
        raise InvalidValue(msg("err.language", value=lang))
    if publish and archive is None:
        raise InvalidValue(msg("err.publish_needs_archive"))
    if archive is not None and not publish:
        raise InvalidValue(msg("err.archive_needs_publish"))
    seen: dict[Path, Path] = {}
    for f in files:
        key = f.resolve()
        if key in seen:
            raise InvalidValue(msg("err.file_twice", file=f, other=seen[key]))
        seen[key] = f
    if archive is not None and archive.resolve() in seen:
        raise InvalidValue(msg("err.archive_is_source", path=archive))


class _Spooled(Mapping[str, bytes]):
    """Rendered files kept on disk until they are stored: one in memory at a time, so the
    twenty-file report publishes within the memory bar."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.names: list[str] = []

    def add(self, fmt: str, data: bytes) -> None:
        (self.folder / fmt).write_bytes(data)
        self.names.append(fmt)

    def __getitem__(self, fmt: str) -> bytes:
        if fmt not in self.names:
            raise KeyError(fmt)
        return (self.folder / fmt).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _publish(
    ctx: typer.Context,
    report: Any,
    archive: Path,
    *,
    fmt: str,
    out: Path | None,
    day: date,
    quiet: bool,
) -> None:
    import tempfile

    from portefolje.cli.report import emit
    from portefolje.reports.output import render
    from portefolje.store import consolidated as store
    from portefolje.store.write import os_user

    st = state(ctx)
    with tempfile.TemporaryDirectory(prefix="portefolje-") as folder:
        files = _Spooled(Path(folder))
        for each in FORMATS:
            files.add(each, render(report, each))
        conn = store.open_archive(archive, create=True)
        try:
            record, new = store.publish(
                conn,
                as_of=day.isoformat(),
                lang=report.lang,
                made_by=st.actor or os_user(),
                command=st.command,
                model=report.data,
                files=files,
            )
        finally:
            conn.close()
        emit(files[fmt], out=out, as_of=day, portfolio=None, fmt=fmt, quiet=quiet)
    if not quiet:
        info(
            msg("msg.published_in", code=record["code"], path=archive)
            if new
            else msg("msg.already_published_in", code=record["code"], path=archive)
        )


def archive_list(archive: Path, as_json: bool) -> None:
    """`report archive list --archive FILE`: the consolidated reports stored there."""
    from portefolje.cli.output import emit_json, emit_table
    from portefolje.store import consolidated as store

    conn = store.open_archive(archive, create=False)
    try:
        rows = store.archive(conn)
    finally:
        conn.close()
    if as_json:
        emit_json(rows)
        return
    from portefolje.domain.dates import local_time

    for r in rows:
        r["made"] = local_time(r["made_at"])[:16]
        r["files"] = len(r["sources"])
    emit_table(
        rows,
        [
            ("code", "col.code"),
            ("as_of", "col.as_of"),
            ("lang", "col.lang"),
            ("files", "col.files"),
            ("made", "col.made"),
            ("made_by", "col.by"),
        ],
    )


def archive_show(archive: Path, ref: str, fmt: str, out: Path | None, quiet: bool) -> None:
    """`report archive show ID --archive FILE`: a consolidated report reprinted as sent."""
    from portefolje.cli.report import emit
    from portefolje.store import consolidated as store

    conn = store.open_archive(archive, create=False)
    try:
        record = store.archived(conn, ref)
        data = store.file(conn, ref, fmt)
    finally:
        conn.close()
    emit(
        data,
        out=out,
        as_of=date.fromisoformat(record["as_of"]),
        portfolio=None,
        fmt=fmt,
        quiet=quiet,
    )
