"""The CLI room: one Typer sub-app per noun. Commands parse options, call the store, and hand the
result to the output helpers. No SQL and no formatting decisions live here.

Errors: the domain and store raise PortefoljeError subclasses; `RootGroup.invoke` is the one place
that turns them into a single line on stderr and exit code 1 (usage errors stay exit 2).
"""

from __future__ import annotations

import contextlib
import re
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
from portefolje.i18n import LANGUAGES, msg, set_language

# Every command below the root: "module:attribute" of its Typer app, imported only when it is
# invoked (a command pays start-up time for its own module alone), and its one-line help, so that
# `portefolje --help` and shell completion list the commands without importing any of them.
# tests/test_startup.py keeps each help text equal to the command's own first paragraph.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "portefolje.cli.db:init_app",
        "Create the database, or upgrade it to this version's schema (backed up first). "
        "Safe to re-run.",
    ),
    "demo": (
        "portefolje.cli.demo:demo_app",
        'Load the example portfolio "Fælles om målet" into a fresh database and write its '
        "status report for the directors' forum as Markdown and HTML (as of 5 June 2019).",
    ),
    "db": (
        "portefolje.cli.db:app",
        "Where the database is, online backups, and integrity checks.",
    ),
    "portfolio": (
        "portefolje.cli.entities:portfolio",
        "Programmes (udviklingsprogrammer) with one savings target each.",
    ),
    "department": (
        "portefolje.cli.entities:department",
        "Departments (forvaltninger/afdelinger) that budgets belong to.",
    ),
    "committee": (
        "portefolje.cli.entities:committee",
        "Political committees (udvalg) that receive deliverables.",
    ),
    "segment": (
        "portefolje.cli.entities:segment",
        "Citizen segments (målgrupper); each project serves one.",
    ),
    "project": (
        "portefolje.cli.project:app",
        "Development projects, one per segment, and their lifecycle.",
    ),
    "solution": (
        "portefolje.cli.solution:app",
        "Solutions (løsninger) a project produces, from idea to operation.",
    ),
    "milestone": (
        "portefolje.cli.milestone:app",
        "Milestones (milepæle): due, met, or moved with a reason.",
    ),
    "deliverable": (
        "portefolje.cli.deliverable:app",
        "Deliverables (leverancer) to committee meetings, with prior handling.",
    ),
    "indicator": (
        "portefolje.cli.indicator:app",
        "Effect indicators (effektmål): baseline, target and measurements.",
    ),
    "saving": (
        "portefolje.cli.economics:saving",
        "Savings claims (provenu): estimated, documented, budgeted.",
    ),
    "investment": (
        "portefolje.cli.economics:investment",
        "Investments (implementeringsomkostninger) per project and year.",
    ),
    "target": (
        "portefolje.cli.economics:target",
        "Savings targets (sparemål) with distribution keys (fordelingsnøgler).",
    ),
    "index": (
        "portefolje.cli.economics:index",
        "The price and wage index (pris- og lønindeks) for --price-level.",
    ),
    "coverage": (
        "portefolje.cli.economics:coverage",
        "Coverage of the target that is no project's saving: frame cuts, one-off money, transfers.",
    ),
    "risk": (
        "portefolje.cli.risk:app",
        "The risk register (risici): probability × consequence, re-assessed over time.",
    ),
    "meeting": (
        "portefolje.cli.meeting:meeting",
        "Meetings of a steering body (Direktørforum, a steering group) or a committee.",
    ),
    "decision": (
        "portefolje.cli.meeting:decision",
        "Decisions (beslutninger) taken at a meeting.",
    ),
    "action": (
        "portefolje.cli.meeting:action",
        "Actions (handlinger) asked for, owned by a role, with a due date.",
    ),
    "criterion": (
        "portefolje.cli.criterion:app",
        "Scoring criteria for proposals (kriterier), each with a weight.",
    ),
    "report": (
        "portefolje.cli.report:app",
        "Reports: status (Direktørforum), savings, deliverables, project sheet.",
    ),
    "history": (
        "portefolje.cli.history:app",
        "The change journal: every change, who made it and when.",
    ),
    "export": (
        "portefolje.cli.transfer:export_app",
        "Write the whole database (without the journal): one JSON document, one Excel workbook "
        "with a sheet per kind of record, or one CSV file per kind in a folder.",
    ),
    "import": (
        "portefolje.cli.transfer:import_app",
        "Load a JSON document, or a CSV/XLSX sheet of one kind: all or nothing, matched by code "
        "or natural key, so importing the same file twice changes nothing.",
    ),
    "schema": (
        "portefolje.cli.transfer:schema_app",
        "Print the JSON Schema of a document that portefolje reads or writes.",
    ),
    "serve": (
        "portefolje.cli.serve:serve_app",
        "Serve the database read-only as a web site for directors and other readers: tables "
        "with Danish titles and column labels, canned queries (overdue milestones, the gap per "
        "department and year, the committee calendar, paused projects and why, projects with "
        "status and health), and pages with the status report (/-/rapport) and each project "
        "sheet (/-/projekt/CODE), built as the CLI builds them. The journal is not shown, "
        "nothing can be written, and arbitrary SQL is off. Binds to 127.0.0.1 unless --host "
        'says otherwise. Needs the web extra: pip install "portefolje[web]".',
    ),
}

SIGPIPE_EXIT = 141  # 128 + SIGPIPE: how a Unix tool ends when its reader goes away (… | head)


class RootGroup(TyperGroup):
    """The root command group: loads sub-apps lazily, and is the single error boundary for every
    command below it."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        entry = COMMANDS.get(name)
        if entry is None:
            return None
        import importlib

        import typer.main

        module, _, attribute = entry[0].partition(":")
        command = typer.main.get_command(getattr(importlib.import_module(module), attribute))
        command.name = name
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from the static table (as click would print it from the commands
        themselves, without importing them)."""
        from typer._click.utils import make_default_short_help

        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, make_default_short_help(text, limit)) for name, (_, text) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Tab completion of the command word from the static table (no command imported)."""
        from typer._click.core import Command
        from typer._click.shell_completion import CompletionItem
        from typer._click.utils import make_default_short_help

        items = [
            CompletionItem(name, help=make_default_short_help(text))
            for name, (_, text) in COMMANDS.items()
            if name.startswith(incomplete)
        ]
        items.extend(Command.shell_complete(self, ctx, incomplete))
        return items

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        argv = list(args)  # the command line as given, for the journal (parsing consumes args)
        # the language first: a usage error in the parsing below is already in it
        set_language(_language_in(argv))
        for position, arg in enumerate(argv, start=1):
            if isinstance(arg, str) and _UNDECODABLE.search(arg):
                info(msg("err.prefix", message=msg("err.argument_not_text", position=position)))
                raise typer.Exit(2)
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
        except KeyboardInterrupt:
            _interrupted()
        except BrokenPipeError:
            _pipe_closed()
        except PortefoljeError as exc:
            if _debug(ctx):
                raise
            _error(msg("err.prefix", message=exc))
        except sqlite3.Error as exc:
            if _debug(ctx):
                raise
            from portefolje.store.connection import translate_operational

            _error(msg("err.prefix", message=translate_operational(exc)))
        except OSError as exc:
            if _debug(ctx):
                raise
            if exc.errno == 28:  # ENOSPC outside SQLite (a report or export file)
                _error(msg("err.prefix", message=msg("err.disk_full_file")))
            _error(msg("err.prefix", message=os_error(exc)))
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except Exception as exc:  # a bug, not the user's fault: still one line, and the way on
            if _debug(ctx):
                raise
            _error(msg("err.internal", name=type(exc).__name__, message=exc))


# lone surrogates: how Python carries bytes of an argument that were not valid UTF-8
_UNDECODABLE = re.compile("[\ud800-\udfff]")
# the root options that take a value, skipped when looking for --lang before the command word
_VALUED = ("--db", "--by", "--busy-timeout", "--lang")


def _language_in(argv: list[Any]) -> str | None:
    """--lang as given before the command word, if any (else the environment decides)."""
    position = 0
    while position < len(argv):
        arg = argv[position]
        if not isinstance(arg, str) or not arg.startswith("-"):
            return None
        if arg.startswith("--lang="):
            return arg.partition("=")[2].strip().lower()
        if arg in _VALUED:
            if arg == "--lang" and position + 1 < len(argv):
                return str(argv[position + 1]).strip().lower()
            position += 1
        position += 1
    return None


def os_error(exc: OSError) -> str:
    """An operating-system error as one line in the person's language: the common ones from the
    catalogue, others with the system's own words."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    from portefolje.i18n import catalogue

    reason = msg(f"os.{name}") if f"os.{name}" in catalogue() else (exc.strerror or str(exc))
    return f"{reason}: {exc.filename}" if exc.filename else reason


def _error(message: str) -> NoReturn:
    """The one way out for a refusal: one line on stderr, exit 1. Every message passes the CPR
    mask first, since many quote what the user typed (an unknown reference, a bad date)."""
    info(_printable(mask(message)))
    raise typer.Exit(1) from None


def mask(message: str) -> str:
    from portefolje.domain.cpr import mask as cpr_mask  # lazy: only a failing command needs it

    return cpr_mask(message)


def _printable(message: str) -> str:
    """One line whatever the message quotes: line breaks and undecodable bytes escaped."""
    return (
        message.replace("\r", "\\r")
        .replace("\n", " ")
        .encode("utf-8", "backslashreplace")
        .decode("utf-8")
    )


def _interrupted() -> NoReturn:
    """Ctrl-C: the open transaction (if any) is rolled back by the Writer; say whether an earlier
    change set of this command had already been committed."""
    _say_interrupted()
    raise typer.Exit(130) from None


def _say_interrupted() -> None:
    import sys as _sys

    write = _sys.modules.get("portefolje.store.write")
    committed = getattr(getattr(write, "Writer", None), "committed", 0)
    if committed:
        info(msg("msg.interrupted_saved"))
    else:
        info(msg("msg.interrupted"))


def _pipe_closed() -> NoReturn:
    """The reader of our output went away (… | head -1): end quietly, as Unix tools do. Later
    writes (and Python's flush at exit) go to /dev/null instead of raising again."""
    _quiet_stdout()
    raise typer.Exit(SIGPIPE_EXIT) from None


def _usage_error(exc: UsageError) -> NoReturn:
    """A usage error as one line with the way to the right help, exit 2."""
    from portefolje.cli.usage import message

    where = exc.ctx.command_path if exc.ctx is not None else "portefolje"
    info(_printable(mask(msg("err.usage", message=message(exc), where=where))))
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
    # --install-completion / --show-completion for bash, zsh, fish and PowerShell; completing
    # the command word reads the static table above, so it imports no command module
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _busy_timeout(value: float) -> float:
    import math

    if not math.isfinite(value) or not 0 <= value <= 86400:
        raise typer.BadParameter(msg("err.busy_timeout"))
    return value


def _lang(value: str | None) -> str | None:
    if value is None:
        return None
    chosen = value.strip().lower()
    if chosen not in LANGUAGES:
        raise typer.BadParameter(msg("err.language", value=value))
    return set_language(chosen)


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
        float,
        typer.Option(
            "--busy-timeout",
            help="Seconds to wait for another writer (0 to 86400).",
            callback=_busy_timeout,
        ),
    ] = 30.0,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="PORTEFOLJE_LANG",
            help="Language of messages, tables and the journal: da (default) or en. "
            "Help texts are English; a report's language is its own --lang.",
            show_envvar=True,
            callback=_lang,
            is_eager=True,
        ),
    ] = None,
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
    try:
        app(prog_name="portefolje")
    except KeyboardInterrupt:  # before or after a command's own boundary (start-up, exit)
        _say_interrupted()  # after the command, its change set may be committed already
        raise SystemExit(130) from None
    except BrokenPipeError:
        _quiet_stdout()
        raise SystemExit(SIGPIPE_EXIT) from None
    finally:
        _flush_quietly()


def _quiet_stdout() -> None:
    import os
    import sys

    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _flush_quietly() -> None:
    """Flush stdout now, so that a reader that has gone away (… | head) does not make Python
    print "Exception ignored … BrokenPipeError" at exit."""
    import sys

    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        raise SystemExit(SIGPIPE_EXIT) from None
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    main()
