"""The console script and `python -m portefolje`. `portefolje --version` and `portefolje --help`
alone are answered here, before the command line (typer, click) is imported: a scheduled job or
a shell prompt that asks for either pays for the interpreter and little more. The help is the
text the command line prints (`help.txt`, written by `python -m portefolje.cli.reference`; a
test compares the two). Everything else goes to the CLI."""

from __future__ import annotations

import os
import sys

# click wraps help at min(terminal width, 80) - 2 columns: from 80 on, the text is always the same
HELP_COLUMNS = 80


def _columns() -> int:
    """The terminal width as click reads it (shutil.get_terminal_size, without importing it)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from portefolje import __version__

        print(f"portefolje {__version__}")  # the same line as the CLI's --version option
        return
    if sys.argv[1:] in (["--help"], ["-h"]) and _columns() >= HELP_COLUMNS:
        with open(os.path.join(os.path.dirname(__file__), "help.txt"), encoding="utf-8") as text:
            sys.stdout.write(text.read())
        return
    from portefolje.cli import main as cli

    cli()
