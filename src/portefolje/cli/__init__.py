"""The CLI room: one Typer sub-app per noun. Commands parse options, call the store, and hand the
result to the output helpers. No SQL and no formatting decisions live here.

Errors: the domain and store raise PortefoljeError subclasses; `RootGroup.invoke` is the one place
that turns them into a single line on stderr and exit code 1 (usage errors stay exit 2).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from portefolje import __version__
from portefolje.cli.context import State, info
from portefolje.domain.errors import PortefoljeError


class RootGroup(TyperGroup):
    """The root command group: the single error boundary for every command below it."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PortefoljeError as exc:
            if _debug(ctx):
                raise
            info(f"error: {exc}")
            raise typer.Exit(1) from None
        except sqlite3.Error as exc:
            if _debug(ctx):
                raise
            from portefolje.store.connection import translate_operational

            message = (
                translate_operational(exc) if isinstance(exc, sqlite3.OperationalError) else exc
            )
            info(f"error: {message}")
            raise typer.Exit(1) from None
        except OSError as exc:
            if _debug(ctx):
                raise
            info(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
            raise typer.Exit(1) from None


def _debug(ctx: Any) -> bool:
    obj = ctx.find_root().obj
    return bool(getattr(obj, "debug", False))


app = typer.Typer(
    cls=RootGroup,
    name="portefolje",
    help=(
        "Steer a portfolio of cross-cutting welfare projects and write the status report for "
        "the directors' forum (Direktørforum).\n\n"
        "Example: portefolje project list --portfolio FOM --status active"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help and one-line errors; no rich import on the hot path
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"portefolje {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="PORTEFOLJE_DB",
            help="Database file (default: user data folder).",
            show_envvar=True,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            envvar="PORTEFOLJE_BY",
            help="Who makes the change, for the journal (default: the OS user).",
        ),
    ] = None,
    busy_timeout: Annotated[
        float, typer.Option("--busy-timeout", help="Seconds to wait for another writer.", min=0)
    ] = 30.0,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (for developers).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Portfolio steering for a municipal programme secretariat."""
    st = State(db=db, actor=by, busy_timeout=busy_timeout, debug=debug)
    ctx.obj = st
    ctx.call_on_close(st.close)


def _register() -> None:
    from portefolje.cli import db, demo, entities, history, project, transfer

    app.add_typer(db.app, name="db")
    for sub in entities.apps():
        app.add_typer(sub, name=sub.info.name)
    app.add_typer(project.app, name="project")
    app.add_typer(history.app, name="history")
    transfer.register(app)
    db.register(app)
    demo.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="portefolje")


if __name__ == "__main__":  # pragma: no cover
    main()
