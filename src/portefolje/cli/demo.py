"""`portefolje demo`: a fresh database with the Albertslund example, ready to look at."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import State, info, state

EXAMPLE = "albertslund.json"


demo_app = sub_app("The demo.", no_args_is_help=False)


@demo_app.command("demo")
def demo(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the demo database (default: a temporary one)."),
    ] = None,
) -> None:
    """Create a fresh database with the example portfolio "Fælles om målet" and show it.

    \b
    Example:
      portefolje demo --out demo-output
    """
    from portefolje.cli.output import emit_table
    from portefolje.cli.project import COLUMNS
    from portefolje.domain.document import Document
    from portefolje.domain.errors import Refused
    from portefolje.store.connection import shipped
    from portefolje.store.queries import projects
    from portefolje.store.transfer import import_document

    folder = out or Path(tempfile.mkdtemp(prefix="portefolje-demo-"))
    db = folder / "demo.db"
    if db.exists():
        raise Refused(f"{db} already exists; choose an empty --out folder")
    parent = state(ctx)
    st = State(db=db, actor=parent.actor, busy_timeout=parent.busy_timeout)
    try:
        document = Document.model_validate_json(
            (shipped("examples") / EXAMPLE).read_text(encoding="utf-8")
        )
        with st.writer(create=True) as w:
            import_document(w, document)
        rows = projects(st.conn())
        for row in rows:
            row["health_overall"] = (row["health"].get("overall") or {}).get("color")
        emit_table(rows, COLUMNS)
    finally:
        st.close()
    info(f"demo database: {db}")
    info(f"try: portefolje --db {db} project show FOM2")
