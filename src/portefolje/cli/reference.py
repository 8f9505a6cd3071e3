"""The README's command reference, generated from the app itself so it cannot drift.

    python -m portefolje.cli.reference README.md     # rewrite the section between the markers

It also writes `help.txt`, the top-level help that `portefolje --help` prints without importing
the command line (portefolje.entry). A test fails when either differs from the app.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

START = "<!-- reference:start -->"
END = "<!-- reference:end -->"
COLUMNS_START = "<!-- columns:start -->"
COLUMNS_END = "<!-- columns:end -->"


def commands() -> Iterator[tuple[str, Any]]:
    """(full name, click command) for every leaf command and group, depth first, sorted."""
    import typer.main

    from portefolje.cli import app

    root = typer.main.get_command(app)
    ctx = root.context_class(root)

    def walk(prefix: str, cmd: Any) -> Iterator[tuple[str, Any]]:
        yield prefix, cmd
        if hasattr(cmd, "list_commands"):
            for name in sorted(cmd.list_commands(ctx)):
                yield from walk(f"{prefix} {name}", cmd.get_command(ctx, name))

    yield from walk("portefolje", root)


def _summary_and_example(help_text: str) -> tuple[str, str]:
    text = help_text or ""
    summary = text.strip().split("\n\n")[0].replace("\n", " ").strip()
    match = re.search(r"Example:\n\s+(.+)", text)
    return summary, match[1].strip() if match else ""


def render() -> str:
    lines = []
    for name, cmd in commands():
        if hasattr(cmd, "list_commands") and not getattr(cmd, "invoke_without_command", False):
            continue  # a group: its commands are listed
        summary, example = _summary_and_example(cmd.help or "")
        lines.append(f"- `{name}`: {summary}")
        if example:
            lines.append(f"  `{example}`")
    return "\n".join(lines) + "\n"


def render_columns() -> str:
    """The sheet columns each import kind understands, with their accepted headers."""
    from portefolje.sheets.columns import KINDS

    lines = []
    for kind, fields in KINDS.items():
        lines.append(
            f"- `--kind {kind}`: "
            + "; ".join(
                ("**" + f.name + "**" if f.required else f.name)
                + (f" ({', '.join(f.headers[1:])})" if f.headers[1:] else "")
                for f in fields
            )
        )
    return "\n".join(lines) + "\n"


def _replace(text: str, start: str, end: str, body: str) -> str:
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{body}{end}{tail}"


HELP_FILE = Path(__file__).resolve().parents[1] / "help.txt"


def render_help() -> str:
    """`portefolje --help` as the command line prints it on a terminal of 80 columns or more."""
    from typer.testing import CliRunner

    from portefolje.cli import app

    # click wraps at min(columns, 80) - 2
    result = CliRunner().invoke(app, ["--help"], prog_name="portefolje", terminal_width=78)
    return str(result.stdout)


def update(readme: Path) -> bool:
    """Rewrite the generated sections and help.txt; True when something changed."""
    text = readme.read_text(encoding="utf-8")
    new = _replace(text, START, END, render())
    new = _replace(new, COLUMNS_START, COLUMNS_END, render_columns())
    changed = False
    if new != text:
        readme.write_text(new, encoding="utf-8")
        changed = True
    helped = render_help()
    if not HELP_FILE.exists() or HELP_FILE.read_text(encoding="utf-8") != helped:
        HELP_FILE.write_text(helped, encoding="utf-8")
        changed = True
    return changed


if __name__ == "__main__":  # pragma: no cover
    print(
        "updated" if update(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")) else "current"
    )
