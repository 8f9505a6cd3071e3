"""Start-up stays light: the hot commands import none of the heavy libraries.

Not a timing test (timings live in bench/): it checks the structure that makes start-up fast, in
a fresh interpreter, so an eager import added anywhere on the path fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli
from portefolje import __version__
from statements import statements, traced

HEAVY = (
    "pydantic",
    "pendulum",
    "tabulate",
    "jinja2",
    "openpyxl",
    "xlsxwriter",
    "rich",
    "sqlite_utils",
    "platformdirs",
)

PROBE = """
import json, sys
args, watched = json.loads(sys.argv[1]), json.loads(sys.argv[2])
from portefolje.entry import main  # the console script's entry point
sys.argv = ["portefolje", *args]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in watched if m in sys.modules)), file=sys.stderr)
"""


def _loaded(args: list[str], watched: tuple[str, ...] = HEAVY) -> list[str]:
    """Which of `watched` a fresh interpreter has imported after running the command."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(watched)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_version_imports_nothing_heavy() -> None:
    assert _loaded(["--version"]) == []


def test_version_alone_is_answered_before_the_command_line_loads() -> None:
    assert _loaded(["--version"], ("typer", "click", "portefolje.cli")) == []
    alone = subprocess.run(
        [sys.executable, "-m", "portefolje", "--version"], capture_output=True, text=True
    )
    through_the_cli = Cli(Path("unused.db"))("--version")  # typer's eager option
    assert alone.stdout == through_the_cli.stdout == f"portefolje {__version__}\n"


@pytest.mark.parametrize(
    "args",
    [
        ["project", "list", "--json"],
        ["project", "show", "P1", "--json"],
        ["portfolio", "list", "--json"],
    ],
)
def test_reading_as_json_imports_nothing_heavy(register: Cli, args: list[str]) -> None:
    assert _loaded(["--db", str(register.db), *args]) == []


def test_only_the_invoked_noun_is_loaded(register: Cli) -> None:
    others = ("portefolje.cli.entities", "portefolje.cli.transfer", "portefolje.cli.demo")
    assert _loaded(["--db", str(register.db), "project", "list", "--json"], others) == []


@pytest.mark.parametrize("report", ["status", "savings", "status-portfolio"])
def test_reports_run_a_bounded_number_of_queries(s_and_m: dict[str, Path], report: str) -> None:
    """The same number of SQL statements at S (50 projects) and M (500): no query per record."""
    from datetime import date

    from portefolje.reports import savings, status

    builders = {
        "status": lambda c: status.build(
            c, portfolio=None, as_of=date(2021, 6, 1), since=None, lang="da"
        ),
        "savings": lambda c: savings.build(
            c,
            portfolio=None,
            from_year=2021,
            years=4,
            price_level=None,
            horizon=20,
            lang="da",
            as_of=date(2021, 6, 1),
        ),
        # one portfolio, with the generated rows' changes inside the window: they are read
        # with a fixed number of statements and summarised, never one query per change
        "status-portfolio": lambda c: status.build(
            c, portfolio="PF1", as_of=date(2021, 6, 1), since=date(2016, 1, 1), lang="da"
        ),
    }
    counts = [statements(s_and_m[scale], builders[report]) for scale in ("S", "M")]
    assert counts[0] == counts[1], f"{report}: {counts[0]} statements at S, {counts[1]} at M"
    assert 0 < counts[0] < 90


def test_single_writes_run_a_bounded_number_of_statements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s_and_m: dict[str, Path]
) -> None:
    """Each single write the benchmark times runs the same number of SQL statements at S and M
    (through the real CLI, counted on the real connection): no statement per stored record."""
    import shutil

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import BASE  # type: ignore[import-not-found]
    from run import single_writes, targets  # type: ignore[import-not-found]

    monkeypatch.setenv("PORTEFOLJE_TODAY", BASE.isoformat())
    counts: dict[str, list[int]] = {}
    for db in s_and_m.values():
        for label, args in single_writes(targets(db, BASE), BASE).items():
            copy = tmp_path / "write.db"
            shutil.copyfile(db, copy)
            with traced(monkeypatch) as seen:
                Cli(copy)("--db", str(copy), *args)
            counts.setdefault(label, []).append(len(seen))
    assert len(counts) >= 8
    for label, (at_s, at_m) in counts.items():
        assert at_s == at_m, f"{label}: {at_s} statements at S, {at_m} at M"
        assert 5 < at_s < 400, f"{label}: {at_s} statements"


# -- --help and shell completion without importing any command module ------------------------------

COMMAND_MODULES = tuple(
    sorted(
        {
            target.partition(":")[0]
            for target, _ in __import__("portefolje.cli").cli.COMMANDS.values()
        }
    )
)


@pytest.mark.parametrize("args", [["--help"], [], ["--version"]])
def test_help_and_version_import_no_command_module(args: list[str]) -> None:
    assert _loaded(args, COMMAND_MODULES + HEAVY) == []


def test_the_static_command_table_matches_each_command_s_own_help() -> None:
    """The root lists commands from a table (so --help imports none of them); this keeps each
    line equal to the first paragraph of the command's own help."""
    import importlib

    import typer.main
    from typer._click.utils import make_default_short_help

    from portefolje.cli import COMMANDS

    for name, (target, text) in COMMANDS.items():
        module, _, attribute = target.partition(":")
        command = typer.main.get_command(getattr(importlib.import_module(module), attribute))
        for limit in (45, 80, 10_000):
            assert make_default_short_help(text, limit) == command.get_short_help_str(limit), name


def test_help_reads_exactly_as_click_would_print_it_from_the_commands() -> None:
    import typer.main
    from typer.core import TyperGroup

    from portefolje.cli import RootGroup, app

    root = typer.main.get_command(app)
    assert isinstance(root, RootGroup)
    ctx = root.make_context("portefolje", ["--help"], resilient_parsing=True)
    ours = root.get_help(ctx)
    original = RootGroup.format_commands
    try:
        RootGroup.format_commands = TyperGroup.format_commands  # type: ignore[method-assign]
        theirs = root.get_help(ctx)  # loads every command module to read its help
    finally:
        RootGroup.format_commands = original  # type: ignore[method-assign]
    assert ours == theirs


COMPLETE = """
import json, os, sys
watched = json.loads(sys.argv[1])
from portefolje.cli import main
sys.argv = ["portefolje"]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in watched if m in sys.modules)), file=sys.stderr)
"""


def _complete(words: str, cword: int) -> tuple[list[str], list[str]]:
    env = {
        **__import__("os").environ,
        "_PORTEFOLJE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    done = subprocess.run(
        [sys.executable, "-c", COMPLETE, json.dumps(COMMAND_MODULES)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout.split(), json.loads(done.stderr.strip().splitlines()[-1])


def test_completing_the_command_word_imports_no_command_module() -> None:
    words, loaded = _complete("portefolje pro", 1)
    assert words == ["project"] and loaded == []
    words, loaded = _complete("portefolje ", 1)
    assert "report" in words and "import" in words and loaded == []
    words, loaded = _complete("portefolje project p", 2)
    assert "pause" in words and loaded == ["portefolje.cli.project"]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F"),
        ("zsh", "compdef"),
        ("powershell", "Register-ArgumentCompleter"),
    ],
)
def test_completion_scripts_for_bash_zsh_and_powershell(shell: str, marker: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "portefolje", "--show-completion", shell],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert marker in done.stdout and "_PORTEFOLJE_COMPLETE" in done.stdout
    assert (
        "--install-completion"
        in subprocess.run(
            [sys.executable, "-m", "portefolje", "--help"], capture_output=True, text=True
        ).stdout
    )
