"""Start-up stays light: the hot commands import none of the heavy libraries.

Not a timing test (timings live in bench/): it checks the structure that makes start-up fast, in
a fresh interpreter, so an eager import added anywhere on the path fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import Cli

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
from portefolje.cli import main
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
