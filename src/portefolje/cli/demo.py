"""`portefolje demo`: a fresh database with the Albertslund example and its status report."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import State, info, state
from portefolje.i18n import msg

demo_app = sub_app("The demo.", no_args_is_help=False)

EXAMPLE = "albertslund.json"
PORTFOLIO = "FOM"
AS_OF = date(2019, 6, 5)  # the date of the programme's closing memo to the finance committee


@demo_app.command("demo")
def demo(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the demo (default: a new temporary one)."),
    ] = None,
) -> None:
    """Load the example portfolio "Fælles om målet" into a fresh database and write its status
    report for the directors' forum as Markdown and HTML (as of 5 June 2019).

    \b
    Example:
      portefolje demo --out demo-output
    """
    from portefolje.domain.document import Document
    from portefolje.domain.errors import Refused
    from portefolje.reports import status
    from portefolje.reports.files import write_atomic
    from portefolje.reports.output import render_all
    from portefolje.store import published
    from portefolje.store.connection import shipped
    from portefolje.store.importing import Importer
    from portefolje.store.registry import resolve

    folder = out or Path(tempfile.mkdtemp(prefix="portefolje-demo-"))
    db = folder / "demo.db"
    if db.exists():
        raise Refused(msg("err.demo_exists", path=db))
    parent = state(ctx)
    st = State(db=db, actor=parent.actor, busy_timeout=parent.busy_timeout, command=parent.command)
    try:
        document = Document.model_validate_json(
            (shipped("examples") / EXAMPLE).read_text(encoding="utf-8")
        )
        with st.writer(create=True) as w:
            outcome = Importer(w, EXAMPLE).run(document)
            if outcome.problems:  # the shipped example is checked by the tests
                first = outcome.problems[0]
                raise Refused(msg("err.demo_load", path=first.path, reason=first.reason))
        # the memo's report, published: what the directors received on 5 June 2019
        with st.writer() as w:
            report = status.build(w.conn, portfolio=PORTFOLIO, as_of=AS_OF, since=None, lang="da")
            files = render_all(report)
            published.publish(
                w,
                report="status",
                portfolio_id=resolve(w.conn, "portfolio", PORTFOLIO)["id"],
                subject=None,
                as_of=AS_OF.isoformat(),
                since=report.data["since"],
                lang="da",
                model=report.data,
                files=files,
            )
        paths = []
        for fmt in ("md", "html"):
            path = folder / f"status-{PORTFOLIO}-{AS_OF.isoformat()}.{fmt}"
            write_atomic(path, files[fmt])
            paths.append(path)
    finally:
        st.close()
    print(msg("msg.demo_database", path=db))
    for path in paths:
        print(msg("msg.demo_report", path=path))
    info(msg("msg.demo_next", html=paths[1], db=db, portfolio=PORTFOLIO))
