"""Every command has help with an example, and the README's reference is generated from the app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli
from portefolje.cli.reference import (
    COLUMNS_END,
    COLUMNS_START,
    END,
    HELP_FILE,
    START,
    commands,
    render,
    render_columns,
    render_help,
)

ALL = [name for name, _ in commands()]
LEAVES = [name for name, cmd in commands() if not hasattr(cmd, "list_commands")]


@pytest.mark.parametrize("name", ALL)
def test_every_level_has_help(cli: Cli, name: str) -> None:
    args = name.split()[1:]
    out = cli(*args, "--help").stdout
    assert out.startswith("Usage: portefolje")


@pytest.mark.parametrize("name", LEAVES)
def test_every_command_documents_an_example(name: str) -> None:
    cmd = dict(commands())[name]
    assert cmd.help and "Example:" in cmd.help, f"{name} has no example in its docstring"


def test_readme_reference_is_current() -> None:
    readme = Path(__file__).resolve().parents[1] / "README.md"
    text = readme.read_text(encoding="utf-8")
    section = text.split(START, 1)[1].split(END, 1)[0].lstrip("\n")
    assert section == render(), "run: python -m portefolje.cli.reference README.md"
    columns = text.split(COLUMNS_START, 1)[1].split(COLUMNS_END, 1)[0].lstrip("\n")
    assert columns == render_columns(), "run: python -m portefolje.cli.reference README.md"


def test_the_help_answered_before_the_command_line_loads_is_its_own() -> None:
    """`portefolje --help` prints help.txt without importing typer; it must be what the
    command line itself prints on a terminal of 80 columns or more."""
    assert HELP_FILE.read_text(encoding="utf-8") == render_help(), (
        "run: python -m portefolje.cli.reference README.md"
    )


@pytest.mark.parametrize("columns", ["80", "120"])
def test_help_on_a_wide_terminal_is_the_stored_text_without_loading_typer(columns: str) -> None:
    code = (
        "import sys; sys.argv = ['portefolje', '--help']\n"
        "from portefolje.entry import main; main()\n"
        "assert 'typer' not in sys.modules and 'click' not in sys.modules, 'loaded'"
    )
    env = {**os.environ, "COLUMNS": columns}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout == HELP_FILE.read_text(encoding="utf-8")


def test_help_on_a_narrow_terminal_is_wrapped_by_the_command_line() -> None:
    env = {**os.environ, "COLUMNS": "60"}
    out = subprocess.run(
        [sys.executable, "-m", "portefolje", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.startswith("Usage: portefolje")
    assert max(map(len, out.stdout.splitlines())) <= 58 < max(map(len, render_help().splitlines()))


def test_version(cli: Cli) -> None:
    from portefolje import __version__

    assert cli("--version").stdout == f"portefolje {__version__}\n"


def _quick_start_blocks() -> list[str]:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [b.split("\n", 1)[1].strip() for b in section.split("```")[1::2]]


def test_quick_start_has_two_commands_and_ci_runs_the_test_one() -> None:
    blocks = _quick_start_blocks()
    assert len(blocks) == 2 and "portefolje demo" in blocks[0] and "pytest" in blocks[1]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci.splitlines()


def test_installed_package_ships_migrations_and_examples() -> None:
    import portefolje
    from portefolje.store.connection import migrations_dir, shipped

    package = Path(portefolje.__file__).resolve().parent
    repo_src = Path(__file__).resolve().parents[1] / "src"
    if repo_src not in package.parents:  # a real (non-editable) install, as in CI
        assert (package / "migrations" / "0001_foundation.sql").is_file()
        assert (package / "examples" / "albertslund.json").is_file()
    assert migrations_dir().is_dir() and (shipped("examples") / "albertslund.json").is_file()
