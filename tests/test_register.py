"""portfolio, department, committee, segment and project: add, list, show, edit through the CLI."""

from __future__ import annotations

import pytest

from conftest import Cli


def test_add_list_show_edit_portfolio(cli: Cli) -> None:
    added = cli.json(
        "portfolio", "add", "Fælles om målet", "--code", "FOM", "--owner", "Direktørforum"
    )
    assert added == {
        "id": 1,
        "code": "FOM",
        "name": "Fælles om målet",
        "owner": "Direktørforum",
        "description": None,
    }
    assert cli.json("portfolio", "list") == [added]
    assert cli.json("portfolio", "show", "fom") == added  # codes are case-insensitive
    edited = cli.json("portfolio", "edit", "FOM", "--description", "Helhedsorienteret arbejde")
    assert edited["description"] == "Helhedsorienteret arbejde"
    assert cli.json("portfolio", "edit", "1", "--description", "")["description"] is None


def test_codes_are_generated_in_sequence_and_unique_per_kind(cli: Cli) -> None:
    assert cli.json("portfolio", "add", "A")["code"] == "PF1"
    assert cli.json("portfolio", "add", "B")["code"] == "PF2"
    assert cli.json("department", "add", "Social & Familie")["code"] == "D1"
    err = cli.fails("portfolio", "add", "C", "--code", "pf1")
    assert "already used" in err
    assert cli.fails("portfolio", "add", "D", "--code", "123").startswith("error: invalid code")


def test_references_by_id_code_or_name(register: Cli) -> None:
    by_id = register.json("project", "show", "1")
    assert register.json("project", "show", "P1") == by_id
    assert register.json("project", "show", "rusmidler og job") == by_id
    err = register.fails("project", "show", "P99")
    assert (
        err == "error: no project 'P99': use an id, a code or the exact name "
        "(see `portefolje project list`)\n"
    )


def test_segment_fields_and_filter(register: Cli) -> None:
    seg = register.json(
        "segment",
        "add",
        "Familier med sygedagpenge",
        "--portfolio",
        "Fælles om målet",
        "--category",
        "familie",
        "--population",
        "6",
        "--annual-cost",
        "2,5 mio",
        "--track",
        "familier",
    )
    assert seg["annual_cost"] == 2_500_000 and seg["portfolio"] == "FOM"
    assert [s["code"] for s in register.json("segment", "list", "--portfolio", "FOM")] == [
        "S1",
        "S2",
        "S3",
    ]
    assert "invalid category" in register.fails(
        "segment", "add", "X", "--portfolio", "FOM", "--category", "børn"
    )


def test_project_fields_list_filters_and_edit(register: Cli) -> None:
    p = register.json("project", "show", "P1")
    assert p["departments"] == ["SF", "BA"]
    assert p["start_date"] == "2017-05-01" and p["status"] == "active" and p["phase"] == "udvikling"
    edited = register.json(
        "project",
        "edit",
        "P1",
        "--department",
        "SPO",
        "--case-number",
        "00.01.10-P20-1-17",
        "--success-criteria",
        "Borgeren er selvforsørgende",
        "--risks",
        "Data kan ikke isoleres",
        "--end",
        "jun 2019",
        "--leader",
        "Projektleder, Rusmiddelcentret",
    )
    assert edited["departments"] == ["SPO"]
    assert edited["end_date"] == "2019-06-30"  # a month as an end date means its last day
    assert edited["case_number"] == "00.01.10-P20-1-17"
    assert [x["code"] for x in register.json("project", "list", "--segment", "S2")] == ["P2"]
    assert [x["code"] for x in register.json("project", "list", "--portfolio", "FOM")] == [
        "P1",
        "P2",
    ]


def test_table_output_for_people(register: Cli) -> None:
    out = register("project", "list").stdout
    assert "Rusmidler og job" in out and "Code" in out.splitlines()[0]
    assert register("project", "list").stderr == ""


def test_end_before_start_is_refused(register: Cli) -> None:
    err = register.fails(
        "project", "add", "X", "--segment", "S1", "--start", "2019-05-01", "--end", "2019-01-01"
    )
    assert "before the start date" in err


@pytest.mark.parametrize("kind", ["portfolio", "department", "committee", "segment"])
def test_show_unknown_is_one_line_exit_1(register: Cli, kind: str) -> None:
    err = register.fails(kind, "show", "NOPE")
    assert err.count("\n") == 1 and f"no {kind} 'NOPE'" in err


@pytest.mark.parametrize(
    "args",
    [
        ["project", "add"],
        ["project", "add", "X", "--segment"],
        ["nope"],
        ["--nope"],
        ["project", "list", "--bogus"],
    ],
)
def test_usage_errors_are_one_line_exit_2(cli: Cli, args: list[str]) -> None:
    err = cli.fails(*args, code=2)
    assert err.startswith("error: ") and err.count("\n") == 1 and "--help" in err
