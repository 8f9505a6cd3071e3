"""Danish office dates through the command line: periods as starts and ends, and dates out of
range refused with one line (never an internal error)."""

from __future__ import annotations

import json

import pytest

from conftest import Cli


def test_report_period_from_primo_to_ultimo(cli: Cli) -> None:
    out = cli(
        "report", "deliverables", "--from", "primo juni 2019", "--to", "ultimo juni 2019",
        "--format", "json",
    )  # fmt: skip
    data = json.loads(out.stdout)
    assert (data["from"], data["to"]) == ("2019-06-01", "2019-06-30")
    half = json.loads(
        cli("report", "deliverables", "--from", "2. halvår 2019", "--to", "2. halvår 2019",
            "--format", "json").stdout
    )  # fmt: skip
    assert (half["from"], half["to"]) == ("2019-07-01", "2019-12-31")


@pytest.mark.parametrize(
    "args",
    [
        ("report", "status", "--as-of", "+9999y"),
        ("report", "status", "--as-of", "9999-12-31"),
        ("report", "deliverables", "--to", "+999999d"),
        ("milestone", "list", "--as-of", "-9999y"),
        ("milestone", "add", "X", "--project", "P1", "--due", "+9999y"),
    ],
)
def test_dates_out_of_range_are_one_clear_line(register: Cli, args: tuple[str, ...]) -> None:
    message = register.fails(*args)
    assert message.startswith("error: invalid date") and "1900 to 2999" in message
    assert message.count("\n") == 1
