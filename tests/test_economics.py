"""Savings, investments, targets, price levels and the savings report, with figures computed by
hand in the comments."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli


def report(cli: Cli, *args: str) -> dict[str, Any]:
    return json.loads(
        cli("report", "savings", "--portfolio", "FOM", *args, "--format", "json").stdout
    )


@pytest.fixture
def fom(register: Cli) -> Cli:
    """Albertslund's target (2 mio 2017, 3 mio 2018, 4 mio from 2019) split equally in three."""
    key = ["--key", "SF=1/3", "--key", "BA=1/3", "--key", "SPO=1/3"]
    register("target", "set", "--portfolio", "FOM", "--amount", "2 mio", "--year", "2017", *key)
    register("target", "set", "--portfolio", "FOM", "--amount", "3 mio", "--year", "2018", *key)
    register(
        "target", "set", "--portfolio", "FOM", "--amount", "4 mio", "--from-year", "2019", *key
    )
    return register


def test_target_split_by_key_sums_exactly(fom: Cli) -> None:
    data = report(fom, "--from-year", "2017")
    assert [r["target"] for r in data["totals"]] == [2_000_000, 3_000_000, 4_000_000, 4_000_000]
    by = {(r["department"], r["year"]): r["target"] for r in data["departments"]}
    # 2.000.000 / 3 = 666.666,67: the first two shares in the key (SF, BA) take the remainder.
    assert (by["SF", 2017], by["BA", 2017], by["SPO", 2017]) == (666_667, 666_667, 666_666)
    # 4.000.000 / 3 = 1.333.333,33: only the first (SF) takes one krone more.
    assert (by["SF", 2019], by["BA", 2019], by["SPO", 2019]) == (1_333_334, 1_333_333, 1_333_333)
    for year in (2017, 2018, 2019, 2020):
        assert (
            by["SF", year] + by["BA", year] + by["SPO", year]
            == data["totals"][year - 2017]["target"]
        )


def test_documented_in_one_department_meets_the_target_there(fom: Cli) -> None:
    fom(
        "saving",
        "add",
        "--project",
        "P2",
        "--amount",
        "978 t.kr.",
        "--year",
        "2018",
        "--department",
        "SF",
        "--stage",
        "documented",
        "--note",
        "Fald for 29 borgere",
    )
    fom(
        "saving",
        "add",
        "--project",
        "P1",
        "--amount",
        "1,5 mio",
        "--from-year",
        "2019",
        "--department",
        "BA",
        "--stage",
        "estimated",
    )
    data = report(fom, "--from-year", "2017")
    y2018 = data["totals"][1]
    # target 3.000.000 - documented 978.000 = 2.022.000; nothing estimated that year
    assert (y2018["documented"], y2018["gap"], y2018["gap_with_estimated"]) == (
        978_000,
        2_022_000,
        2_022_000,
    )
    y2020 = data["totals"][3]
    # recurring 1.500.000 from 2019 counts in 2020 too: 4.000.000 - 0 - 1.500.000 = 2.500.000
    assert (y2020["estimated"], y2020["gap"], y2020["gap_with_estimated"]) == (
        1_500_000,
        4_000_000,
        2_500_000,
    )
    by = {(r["department"], r["year"]): r for r in data["departments"]}
    assert by["SF", 2018]["gap"] == 1_000_000 - 978_000  # SF's third is met but for 22.000
    assert by["BA", 2019]["gap_with_estimated"] == 1_333_333 - 1_500_000  # over-fulfilled: negative
    assert by["SPO", 2018]["gap"] == 1_000_000


def test_budgeted_counts_as_secured_and_nothing_twice(fom: Cli) -> None:
    fom(
        "saving",
        "add",
        "--project",
        "P1",
        "--amount",
        "1 mio",
        "--from-year",
        "2019",
        "--department",
        "SF",
        "--stage",
        "budgeted",
    )
    fom(
        "saving",
        "add",
        "--project",
        "P1",
        "--amount",
        "250.000",
        "--year",
        "2019",
        "--department",
        "SF",
        "--stage",
        "documented",
    )
    y2019 = report(fom, "--from-year", "2019")["totals"][0]
    assert (y2019["budgeted"], y2019["documented"], y2019["estimated"]) == (1_000_000, 250_000, 0)
    assert y2019["gap"] == 4_000_000 - 1_250_000


def test_single_year_target_overrides_a_recurring_one(fom: Cli) -> None:
    fom("target", "set", "--portfolio", "FOM", "--amount", "5 mio", "--year", "2021")
    totals = report(fom, "--from-year", "2020")["totals"]
    assert [r["target"] for r in totals] == [4_000_000, 5_000_000, 4_000_000, 4_000_000]


def test_key_must_sum_to_the_whole(register: Cli) -> None:
    before = register.snapshot()
    err = register.fails(
        "target",
        "set",
        "--portfolio",
        "FOM",
        "--amount",
        "4 mio",
        "--year",
        "2019",
        "--key",
        "SF=33%",
        "--key",
        "BA=33%",
        "--key",
        "SPO=33%",
    )
    assert "sums to 99.00 %" in err
    assert "DEPARTMENT=SHARE" in register.fails(
        "target", "set", "--portfolio", "FOM", "--amount", "1", "--year", "2019", "--key", "SF"
    )
    assert "appears twice" in register.fails(
        "target",
        "set",
        "--portfolio",
        "FOM",
        "--amount",
        "1",
        "--year",
        "2019",
        "--key",
        "SF=1/2",
        "--key",
        "SF=1/2",
    )
    assert register.snapshot() == before
    t = register.json(
        "target",
        "set",
        "--portfolio",
        "FOM",
        "--amount",
        "1 mio",
        "--year",
        "2019",
        "--key",
        "SF=50%",
        "--key",
        "BA=0,25",
        "--key",
        "SPO=1/4",
    )
    assert [k["share"] for k in t["key"]] == ["1/2", "1/4", "1/4"]


def test_target_without_key_is_not_split(register: Cli) -> None:
    register("target", "set", "--portfolio", "FOM", "--amount", "4 mio", "--year", "2019")
    register(
        "saving",
        "add",
        "--project",
        "P1",
        "--amount",
        "1 mio",
        "--year",
        "2019",
        "--department",
        "SF",
        "--stage",
        "documented",
    )
    data = report(register, "--from-year", "2019", "--years", "1")
    assert data["totals"][0]["gap"] == 3_000_000
    sf = [r for r in data["departments"] if r["department"] == "SF"][0]
    assert sf["target"] is None and sf["gap"] is None and sf["documented"] == 1_000_000


def test_business_case_payback_service_and_total(register: Cli) -> None:
    """Investments over three years, effects ramping up in two budget areas:

    year        2020   2021   2022   2023   2024 …
    investment  1.000  1.000    500
    service        -    200    400    600    600 …
    transfers      -    300    600    900    900 …
    Total economy: net -1.000, -500, +500, +1.500 -> cumulative -1.000, -1.500, -1.000, +500,
    crossing in the fourth year (2023): 3 + 1.000/1.500 = 3,67 -> 3,7 years.
    Service only: -1.000, -1.800, -1.900, -1.300, -700, -100, +500 (2026) -> 6 + 100/600 = 6,2.
    """
    for year, amount in (("2020", "1 mio"), ("2021", "1 mio"), ("2022", "500 t.kr.")):
        register("investment", "add", "--project", "P1", "--amount", amount, "--year", year)
    for year, service, transfer in (("2021", "200", "300"), ("2022", "400", "600")):
        register("saving", "add", "--project", "P1", "--amount", f"{service} t.kr.", "--year", year)
        register(
            "saving",
            "add",
            "--project",
            "P1",
            "--amount",
            f"{transfer} t.kr.",
            "--year",
            year,
            "--area",
            "overførsler",
        )
    register("saving", "add", "--project", "P1", "--amount", "600 t.kr.", "--from-year", "2023")
    register(
        "saving",
        "add",
        "--project",
        "P1",
        "--amount",
        "900 t.kr.",
        "--from-year",
        "2023",
        "--area",
        "overforsler",
    )
    data = report(register, "--from-year", "2020")
    p1 = [p for p in data["projects"] if p["code"] == "P1"][0]
    assert (p1["payback_service_years"], p1["payback_total_years"]) == (6.2, 3.7)
    assert [y["net"] for y in p1["years"]] == [-1_000_000, -500_000, 500_000, 1_500_000]
    assert [y["cumulative_net"] for y in p1["years"]] == [
        -1_000_000,
        -1_500_000,
        -1_000_000,
        500_000,
    ]
    assert [y["effect_service"] for y in p1["years"]] == [0, 200_000, 400_000, 600_000]
    text = register("report", "savings", "--portfolio", "FOM", "--from-year", "2020").stdout
    assert "6,2 år" in text and "3,7 år" in text
    short = report(register, "--from-year", "2020", "--horizon", "5")
    p1 = [p for p in short["projects"] if p["code"] == "P1"][0]
    assert p1["payback_service_years"] is None
    assert (
        "ingen tilbagebetaling inden for 5 år"
        in register(
            "report", "savings", "--portfolio", "FOM", "--from-year", "2020", "--horizon", "5"
        ).stdout
    )


def test_price_level_conversion_and_refusals(fom: Cli, tmp_path: Path) -> None:
    fom(
        "saving",
        "add",
        "--project",
        "P1",
        "--amount",
        "1.000.000",
        "--year",
        "2019",
        "--price-level",
        "2018",
        "--stage",
        "documented",
    )
    err = fom.fails(
        "report", "savings", "--portfolio", "FOM", "--from-year", "2019", "--price-level", "2019"
    )
    assert "no price level" in err  # the targets carry no price level: never mixed silently
    fom("index", "set", "2018", "100")
    fom(
        "target",
        "set",
        "--portfolio",
        "FOM",
        "--amount",
        "4 mio",
        "--from-year",
        "2019",
        "--price-level",
        "2019",
        "--key",
        "SF=1/3",
        "--key",
        "BA=1/3",
        "--key",
        "SPO=1/3",
    )
    err = fom.fails(
        "report", "savings", "--portfolio", "FOM", "--from-year", "2019", "--price-level", "2019"
    )
    assert "no price index for 2019" in err and "portefolje index set 2019" in err
    fom("index", "set", "2019", "102,4")
    y2019 = report(fom, "--from-year", "2019", "--price-level", "2019")["totals"][0]
    # 1.000.000 (2018 p/l) * 102,4 / 100 = 1.024.000 (2019 p/l); the target is already in 2019 p/l
    assert (y2019["documented"], y2019["target"]) == (1_024_000, 4_000_000)
    assert "invalid index value" in fom.fails("index", "set", "2020", "0")
    # an index of 10**20 would turn every converted figure into nonsense: refused from any source
    assert "below 10,000" in fom.fails("index", "set", "2020", "99999999999999999999")
    doc = json.loads(fom("export").stdout)
    doc["price_index"].append({"code": "PL2021", "year": 2021, "value": 1e20})
    path = tmp_path / "index.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert "below 10,000" in fom.fails("import", str(path))


def test_saving_commands_and_refusals(register: Cli) -> None:
    s = register.json(
        "saving",
        "add",
        "--project",
        "P2",
        "--amount",
        "978 t.kr.",
        "--year",
        "2018",
        "--department",
        "SF",
        "--stage",
        "documented",
        "--note",
        "Faldet kan ikke isoleres",
    )
    assert (s["amount"], s["area"], s["stage"], s["from_year"]) == (
        978_000,
        "service",
        "documented",
        None,
    )
    assert "say why it changes with --note" in register.fails(
        "saving", "edit", "SV1", "--amount", "900 t.kr."
    )
    edited = register.json(
        "saving", "edit", "SV1", "--amount", "900 t.kr.", "--note", "Korrigeret efter regnskab"
    )
    assert edited["amount"] == 900_000
    assert "not both" in register.fails(
        "saving", "add", "--project", "P1", "--amount", "1", "--year", "2019", "--from-year", "2020"
    )
    assert "--year YEAR" in register.fails("saving", "add", "--project", "P1", "--amount", "1")
    assert "ambiguous" in register.fails(
        "saving", "add", "--project", "P1", "--amount", "1.5", "--year", "2019"
    )
    assert "invalid budget area" in register.fails(
        "saving", "add", "--project", "P1", "--amount", "1", "--year", "2019", "--area", "drift"
    )
    assert "invalid year" in register.fails(
        "saving", "add", "--project", "P1", "--amount", "1", "--year", "19"
    )
    assert "--reason" in register.fails("saving", "remove", "SV1")
    removed = register.json("saving", "remove", "SV1", "--reason", "Dobbeltregistreret")
    assert register.json("saving", "list") == []
    # registered and removed the same day: the line was never in force, so it goes entirely
    gone = [r for r in register.json("history") if r["entity"] == "saving_version"][-1]
    assert (gone["action"], gone["before"]["amount"], gone["after"]) == ("remove", 900_000, None)
    assert removed["code"] == "SV1"


def test_investment_commands(register: Cli) -> None:
    inv = register.json(
        "investment",
        "add",
        "--project",
        "P1",
        "--amount",
        "2 mio",
        "--year",
        "2019",
        "--funding",
        "Innovationspulje",
    )
    assert (inv["amount"], inv["funding"]) == (2_000_000, "Innovationspulje")
    assert [i["code"] for i in register.json("investment", "list", "--project", "P1")] == ["INV1"]
    register("investment", "remove", "INV1", "--reason", "Dobbeltregistreret")
    assert register.json("investment", "list") == []


def test_closing_with_estimated_savings_adds_a_follow_up(register: Cli) -> None:
    register("saving", "add", "--project", "P1", "--amount", "300 t.kr.", "--from-year", "2020")
    register("project", "close", "P1", "--date", "2019-12-31")
    follow = register.json("milestone", "list", "--project", "P1")
    assert follow[0]["due_date"] == "2020-12-31" and "saving SV1 (estimated)" in follow[0]["note"]


def test_savings_report_formats_and_project_sheet(fom: Cli) -> None:
    fom(
        "saving",
        "add",
        "--project",
        "P2",
        "--amount",
        "978 t.kr.",
        "--year",
        "2018",
        "--department",
        "SF",
        "--stage",
        "documented",
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                fom(
                    "report",
                    "savings",
                    "--portfolio",
                    "FOM",
                    "--from-year",
                    "2017",
                    "--format",
                    "csv",
                    "--lang",
                    "en",
                ).stdout.removeprefix("\ufeff")
            ),
            delimiter=";",
        )
    )
    total_2018 = [r for r in rows if r["level"] == "total" and r["year"] == "2018"][0]
    assert (total_2018["target"], total_2018["documented"], total_2018["gap"]) == (
        "3000000",
        "978000",
        "2022000",
    )
    md = fom(
        "report", "savings", "--portfolio", "FOM", "--from-year", "2017", "--format", "md"
    ).stdout
    assert "| 2018 | 3.000.000 kr. | 0 kr. | 978.000 kr. |" in md
    html = fom(
        "report", "savings", "--portfolio", "FOM", "--from-year", "2017", "--format", "html"
    ).stdout
    assert "<svg" in html and "Sparemål" in html
    sheet = fom("report", "project", "P2").stdout
    assert "## Økonomi" in sheet and "978.000 kr." in sheet
