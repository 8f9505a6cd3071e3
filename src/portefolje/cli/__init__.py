"""The CLI room: one Typer sub-app per noun. Commands parse options, call the store, and hand the
result to the output helpers. No SQL and no formatting decisions live here.

Errors: the domain and store raise PortefoljeError subclasses; `RootGroup.invoke` is the one place
that turns them into a single line on stderr and exit code 1 (usage errors stay exit 2).
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer._click.exceptions import ClickException, UsageError
from typer.core import TyperGroup

from portefolje import __version__
from portefolje.cli.context import State, info
from portefolje.domain.errors import PortefoljeError

# Every command below the root, as "module:attribute" of a Typer app, imported only when it is
# invoked (or listed by --help): a command pays start-up time for its own module alone.
COMMANDS = {
    "init": "portefolje.cli.db:init_app",
    "demo": "portefolje.cli.demo:demo_app",
    "db": "portefolje.cli.db:app",
    "portfolio": "portefolje.cli.entities:portfolio",
    "department": "portefolje.cli.entities:department",
    "committee": "portefolje.cli.entities:committee",
    "segment": "portefolje.cli.entities:segment",
    "project": "portefolje.cli.project:app",
    "solution": "portefolje.cli.solution:app",
    "milestone": "portefolje.cli.milestone:app",
    "deliverable": "portefolje.cli.deliverable:app",
    "indicator": "portefolje.cli.indicator:app",
    "saving": "portefolje.cli.economics:saving",
    "investment": "portefolje.cli.economics:investment",
    "target": "portefolje.cli.economics:target",
    "index": "portefolje.cli.economics:index",
    "coverage": "portefolje.cli.economics:coverage",
    "risk": "portefolje.cli.risk:app",
    "meeting": "portefolje.cli.meeting:meeting",
    "decision": "portefolje.cli.meeting:decision",
    "action": "portefolje.cli.meeting:action",
    "criterion": "portefolje.cli.criterion:app",
    "report": "portefolje.cli.report:app",
    "history": "portefolje.cli.history:app",
    "export": "portefolje.cli.transfer:export_app",
    "import": "portefolje.cli.transfer:import_app",
    "schema": "portefolje.cli.transfer:schema_app",
    "serve": "portefolje.cli.serve:serve_app",
}


class RootGroup(TyperGroup):
    """The root command group: loads sub-apps lazily, and is the single error boundary for every
    command below it."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        target = COMMANDS.get(name)
        if target is None:
            return None
        import importlib

        import typer.main

        module, _, attribute = target.partition(":")
        command = typer.main.get_command(getattr(importlib.import_module(module), attribute))
        command.name = name
        return command

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        argv = list(args)  # the command line as given, for the journal (parsing consumes args)
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except UsageError as exc:
            _usage_error(exc)
        ctx.meta["portefolje.argv"] = argv
        return ctx

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            _usage_error(exc)
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
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except Exception as exc:  # a bug, not the user's fault: still one line, and the way on
            if _debug(ctx):
                raise
            info(
                f"internal error: {type(exc).__name__}: {exc} "
                "(nothing was written; rerun with --debug and report it)"
            )
            raise typer.Exit(1) from None


def _usage_error(exc: UsageError) -> NoReturn:
    """A usage error as one line with the way to the right help, exit 2."""
    where = exc.ctx.command_path if exc.ctx is not None else "portefolje"
    info(f"error: {exc.format_message()} (see `{where} --help`)")
    raise typer.Exit(2) from None


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
    argv = ctx.meta.get("portefolje.argv", [])
    st = State(
        db=db,
        actor=by,
        busy_timeout=busy_timeout,
        debug=debug,
        command=shlex.join(["portefolje", *argv]),
    )
    ctx.obj = st
    ctx.call_on_close(st.close)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="portefolje")


if __name__ == "__main__":  # pragma: no cover
    main()
