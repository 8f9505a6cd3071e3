"""serve: the read-only site for readers, Datasette over the database (optional extra `web`).

Datasette is imported only inside the command, so no other command (nor `--version`) pays for
it, and a missing extra is one line that says how to install it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from portefolje.cli.base import sub_app
from portefolje.cli.context import info, state
from portefolje.domain.errors import Refused
from portefolje.i18n import msg

serve_app = sub_app("The read-only site for readers (Datasette).", no_args_is_help=False)


@serve_app.command("serve")
def serve(
    ctx: typer.Context,
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8001,
    host: Annotated[
        str,
        typer.Option("--host", help="Address to bind (default: this machine only)."),
    ] = "127.0.0.1",
    immutable: Annotated[
        bool,
        typer.Option(
            "--immutable",
            help="The file is a copy nobody writes while it is served (no locking; see README).",
        ),
    ] = False,
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url", help="Path prefix when served behind a proxy, e.g. /portefolje/."
        ),
    ] = "/",
) -> None:
    """Serve the database read-only as a web site for directors and other readers: tables with
    Danish titles and column labels, canned queries (overdue milestones, the gap per department
    and year, the committee calendar, paused projects and why, projects with status and health),
    and pages with the status report (/-/rapport) and each project sheet (/-/projekt/CODE),
    built as the CLI builds them. The journal is not shown, nothing can be written, and
    arbitrary SQL is off. Binds to 127.0.0.1 unless --host says otherwise. Needs the web extra:
    pip install "portefolje[web]".

    \b
    Example:
      portefolje --db portefolje.db serve --port 8001
    """
    try:
        import datasette  # noqa: F401
    except ImportError:
        raise Refused(msg("err.serve_extra")) from None
    from portefolje.web import site

    if not base_url.startswith("/") or not base_url.endswith("/"):
        raise Refused(msg("err.base_url", value=base_url))
    path = state(ctx).path
    ds = site.make(path, immutable=True if immutable else None, base_url=base_url)
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    mode = msg("msg.immutable") if ds.immutables else msg("msg.read_only")
    info(msg("msg.serving", path=path, mode=mode, url=f"http://{shown}:{port}{base_url}"))
    site.run(ds, host=host, port=port)
