"""The console script and `python -m portefolje`. `portefolje --version` alone is answered here,
before the command line (typer, click) is imported: a scheduled job or a shell prompt that asks
for the version pays for the interpreter and nothing more. Everything else goes to the CLI."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from portefolje import __version__

        print(f"portefolje {__version__}")  # the same line as the CLI's --version option
        return
    from portefolje.cli import main as cli

    cli()
