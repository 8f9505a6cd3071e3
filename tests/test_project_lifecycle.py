"""Project status transitions (allowed and refused), health per dimension, and history."""

from __future__ import annotations

import pytest

from conftest import Cli


def test_pause_requires_a_reason_and_writes_nothing_without(register: Cli) -> None:
    before = register.snapshot()
    err = register.fails("project", "pause", "P1")
    assert (
        err == "error: a reason (--reason) to pause a project is required and must not be empty\n"
    )
    assert register.snapshot() == before


def test_full_lifecycle_with_dates_and_reasons(register: Cli) -> None:
    p = register.json(
        "project", "pause", "P1", "--reason", "Afventer ungestrategien", "--date", "1. marts 2018"
    )
    assert (p["status"], p["status_date"]) == ("paused", "2018-03-01")
    assert register.json("project", "resume", "P1", "--date", "2018-09-01")["status"] == "active"
    assert register.json("project", "close", "P1", "--date", "5/6 2019")["status"] == "closed"
    p = register.json(
        "project", "reopen", "P1", "--reason", "Ny prøvehandling", "--date", "2019-06-05"
    )
    assert p["status"] == "active"
    history = register.json("project", "history", "P1")
    assert [(h["date"], h["from"], h["to"], h["note"]) for h in history] == [
        ("2017-05-01", None, "active", "created"),
        ("2017-05-01", None, "udvikling", None),  # the phase it was added in, dated like status
        ("2018-03-01", "active", "paused", "Afventer ungestrategien"),
        ("2018-09-01", "paused", "active", None),
        ("2019-06-05", "active", "closed", None),
        ("2019-06-05", "closed", "active", "Ny prøvehandling"),
    ]


@pytest.mark.parametrize(
    "setup, verb, extra, fragment",
    [
        ([], "resume", [], "only a paused project can be resumed"),
        ([], "reopen", ["--reason", "x"], "only a closed project can be reopened"),
        ([("close", [])], "pause", ["--reason", "x"], "only an active project can be paused"),
        ([("close", [])], "close", [], "it is already closed"),
        ([("close", [])], "resume", [], "only a paused project can be resumed"),
        (
            [("pause", ["--reason", "x"])],
            "pause",
            ["--reason", "y"],
            "only an active project can be paused",
        ),
    ],
)
def test_invalid_transitions_are_refused(
    register: Cli, setup: list, verb: str, extra: list, fragment: str
) -> None:
    for step, args in setup:
        register("project", step, "P1", *args)
    before = register.snapshot()
    err = register.fails("project", verb, "P1", *extra)
    assert fragment in err
    assert register.snapshot() == before


def test_closed_project_cannot_be_paused_and_hints_reopen(register: Cli) -> None:
    register("project", "close", "P1")
    err = register.fails("project", "pause", "P1", "--reason", "x")
    assert "is closed" in err and "portefolje project reopen P1" in err


def test_status_dates_cannot_run_backwards(register: Cli) -> None:
    register("project", "pause", "P1", "--reason", "x", "--date", "2018-03-01")
    assert "cannot run backwards" in register.fails(
        "project", "resume", "P1", "--date", "2018-01-01"
    )


def test_health_overall_and_per_dimension(register: Cli) -> None:
    register(
        "project", "health", "P1", "yellow", "--comment", "Data mangler", "--date", "2019-05-01"
    )
    p = register.json(
        "project",
        "health",
        "P1",
        "red",
        "--dimension",
        "schedule",
        "--comment",
        "Datamodul forsinket",
    )
    assert p["health"] == {
        "overall": {"color": "yellow", "comment": "Data mangler", "date": "2019-05-01"},
        "schedule": {"color": "red", "comment": "Datamodul forsinket", "date": "2019-06-05"},
    }
    register("project", "health", "P1", "green", "--date", "2019-06-05")
    assert register.json("project", "show", "P1")["health"]["overall"]["color"] == "green"
    kinds = [
        (h["kind"], h["dimension"], h["from"], h["to"])
        for h in register.json("project", "history", "P1")
    ]
    assert ("health", "overall", "yellow", "green") in kinds
    assert "invalid colour" in register.fails("project", "health", "P1", "blue")
    assert "invalid dimension" in register.fails(
        "project", "health", "P1", "red", "--dimension", "mood"
    )
