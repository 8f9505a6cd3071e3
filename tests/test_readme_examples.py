"""The README's example sessions work exactly as written, in order, on a fresh database.

Lines that name the reader's own files (a sheet to import) or the example portfolios are
skipped; everything else is run through the real CLI.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from conftest import Cli

README = Path(__file__).resolve().parents[1] / "README.md"


def example_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text.split("## A first session", 1)[1], re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if not line.startswith("portefolje ") or "examples/" in line:
                continue
            args = shlex.split(line)[1:]
            if args[0] == "import" and not any(a.startswith("--template") for a in args):
                continue  # the reader's own sheet
            commands.append(args)
    return commands


def test_readme_examples_run_in_order(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    cli = Cli(tmp_path / "portefolje.db")
    commands = example_commands()
    assert len(commands) > 30
    for args in commands:
        cli(*args)
