"""Danish by default on the command line (issue 15, item 1): refusals, confirmations, table
headers, plurals, decimal commas and the journal in Danish when nothing asks for English, and
everything English again with `--lang en` or PORTEFOLJE_LANG=en.

The rest of the suite pins PORTEFOLJE_LANG=en (tests/conftest.py); every test here removes it,
so these run as a Danish user's shell would. Each goes through the real CLI on a real file.
"""

from __future__ import annotations

import ast
import re
import string
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import Cli

SRC = Path(__file__).resolve().parents[1] / "src" / "portefolje"


@pytest.fixture(autouse=True)
def _danish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTEFOLJE_LANG", raising=False)


@pytest.fixture
def da(tmp_path: Path) -> Cli:
    c = Cli(tmp_path / "portefolje.db")
    c("init")
    c("portfolio", "add", "Fælles om målet", "--code", "FOM")
    c("department", "add", "Social & Familie", "--code", "SF")
    c("segment", "add", "Borgere der modtager hjemløseindsats", "--portfolio", "FOM")
    c("project", "add", "Fra forsorgshjem til egen bolig", "--segment", "S1", "--start", "1/5 2017")
    return c


def one_line(stderr: str) -> str:
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr and "intern fejl" not in stderr
    return stderr.strip()


# -- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["project", "show", "P9"], "fejl: projekt 'P9' findes ikke: brug et id, en kode"),
        (["project", "health", "P1", "blå"], "fejl: ukendt farve 'blå': vælg en af green (grøn)"),
        (
            ["milestone", "add", "X", "--project", "P1", "--due", "30. februar 2019"],
            "fejl: ugyldig dato '30. februar 2019': februar 2019 har 28 dage",
        ),
        (
            ["saving", "add", "--project", "P1", "--amount", "1.5", "--year", "2019"],
            "fejl: tvetydigt beløb '1.5': punktum adskiller tusinder på dansk",
        ),
        (
            ["project", "resume", "P1"],
            "fejl: projekt P1 er aktiv; kun et projekt på pause kan genoptages",
        ),
        (
            ["project", "pause", "P1"],
            "fejl: angiv en begrundelse (--reason) for at sætte et projekt på pause",
        ),
        (
            ["project", "add", "X", "--segment", "S1", "--purpose", "cpr 010203-1234"],
            "fejl: afvist: formål (projekt) indeholder noget, der ligner et CPR-nummer",
        ),
        (
            [
                "target",
                "set",
                "--portfolio",
                "FOM",
                "--amount",
                "4 mio",
                "--year",
                "2019",
                "--key",
                "SF=1/2",
            ],
            "fejl: fordelingsnøglen summer til 50,00 %, ikke det hele",
        ),
    ],
)
def test_refusals_are_one_danish_line(da: Cli, args: list[str], expected: str) -> None:
    before = da.snapshot()
    assert one_line(da.fails(*args)).startswith(expected)
    assert da.snapshot() == before


def test_usage_errors_are_danish_too(da: Cli) -> None:
    assert one_line(da.fails("project", "add", "X", code=2)) == (
        "fejl: mangler tilvalget '--segment'. (se `portefolje project add --help`)"
    )
    assert one_line(da.fails("project", "list", "--nope", code=2)).startswith(
        "fejl: ukendt tilvalg: --nope"
    )
    assert one_line(da.fails("projekt", code=2)).startswith("fejl: ukendt kommando 'projekt'")
    assert "er ikke et helt tal" in da.fails("history", "--limit", "mange", code=2)


def test_a_refusal_from_the_store_names_the_field_in_danish(da: Cli) -> None:
    da("milestone", "add", "Procedure implementeret", "--project", "P1", "--due", "2018-06-30")
    err = one_line(da.fails("project", "remove", "P1", "--reason", "Oprettet to gange"))
    assert err == (
        "fejl: projekt P1 kan ikke fjernes, fordi 1 milepæl (M1) henviser til posten "
        "(fjern eller flyt dem først)"
    )


# -- confirmations, headers, values -----------------------------------------------------------


def test_confirmations_and_table_headers_are_danish(da: Cli) -> None:
    added = da(
        "project", "add", "Jobrettet misbrugsbehandling", "--segment", "S1", "--start", "1/5 2017"
    )
    assert added.stderr == "oprettede projekt P2 (id 2): Jobrettet misbrugsbehandling\n"
    health = da("project", "health", "P2", "yellow", "--comment", "Forsinket")
    assert health.stderr == "projekt P2: sundhed (samlet) er nu gul\n"
    paused = da("project", "pause", "P2", "--reason", "Afventer", "--date", "2019-03-01")
    assert paused.stderr == "projekt P2 er nu sat på pause (fra 2019-03-01)\n"
    table = da("project", "list").stdout.splitlines()
    assert table[0].split() == [
        "Kode",
        "Titel",
        "Segment",
        "Status",
        "Fase",
        "Sundhed",
        "Projektleder",
    ]
    assert re.search(r"^P2 .* sat på pause .* gul\b", table[3])
    assert da.fails("project", "list", "--status", "pause").startswith("fejl: ukendt status")
    # the Danish word a table shows is accepted back as input
    assert da("project", "health", "P2", "rød").stderr == "projekt P2: sundhed (samlet) er nu rød\n"
    shown = da("project", "show", "P2").stdout
    assert "statusdato" in shown and "status_date" not in shown and "sat på pause" in shown


def test_json_keeps_the_stored_english_words(da: Cli) -> None:
    da("project", "health", "P1", "grøn")
    (project,) = da.json("project", "list")
    assert project["status"] == "active" and project["health"]["overall"]["color"] == "green"


@pytest.mark.parametrize(("moves", "expected"), [(1, "flyttet 1 gang"), (2, "flyttet 2 gange")])
def test_plurals_follow_the_count(da: Cli, moves: int, expected: str) -> None:
    da("milestone", "add", "Procedure implementeret", "--project", "P1", "--due", "2018-06-30")
    for n in range(moves):
        result = da("milestone", "move", "M1", "--due", f"2018-0{7 + n}-30", "--reason", "Senere")
    assert result.stderr.rstrip().endswith(f"({expected})")


def test_plural_nouns_in_a_refusal(da: Cli) -> None:
    da("project", "add", "Jobrettet misbrugsbehandling", "--segment", "S1")
    for title in ("Første", "Anden"):
        da("milestone", "add", title, "--project", "P2", "--due", "2018-06-30")
    err = da.fails("segment", "remove", "S1", "--reason", "Fejl")
    assert "2 projekter (P1, P2)" in err
    assert "2 milepæle (M1, M2)" in da.fails("project", "remove", "P2", "--reason", "Fejl")


def test_decimal_comma_in_terminal_numbers(da: Cli) -> None:
    assert da("index", "set", "2019", "102,4").stderr == "indeks 2019 = 102,4\n"
    assert "102,4" in da("index", "list").stdout
    assert "positivt tal under 10.000, fx 102,4" in da.fails("index", "set", "2020", "99999")
    da("indicator", "add", "Borgere videre", "--project", "P1", "--baseline", "0", "--target", "29")
    measured = da("indicator", "measure", "I1", "18", "--date", "2018-12-31")
    assert measured.stderr == "effektmål I1: 18,0 den 2018-12-31 (62,1 % af målet)\n"
    da("saving", "add", "--project", "P1", "--amount", "978 t.kr.", "--year", "2018")
    assert "978.000" in da("saving", "list").stdout
    assert "978,000" in da("--lang", "en", "saving", "list").stdout
    assert "978,000 kr." in da("--lang", "en", "saving", "show", "SV1").stdout


# -- the journal --------------------------------------------------------------------------------


def test_history_in_copenhagen_time_with_danish_record_names(da: Cli) -> None:
    da("project", "pause", "P1", "--reason", "Afventer", "--date", "2018-03-01")
    da("milestone", "add", "Procedure implementeret", "--project", "P1", "--due", "2018-06-30")
    da("saving", "add", "--project", "P1", "--amount", "978 t.kr.", "--year", "2018")
    rows = da.json("history")
    table = da("history").stdout
    header = table.splitlines()[0].split()
    assert header == ["#", "Tidspunkt", "Hvem", "Handling", "Post", "Ændring"]
    copenhagen = ZoneInfo("Europe/Copenhagen")
    for row in rows:
        utc = datetime.fromisoformat(row["at"].replace("Z", "+00:00"))
        local = utc.astimezone(copenhagen).strftime("%Y-%m-%d %H:%M:%S")
        assert local != utc.strftime("%Y-%m-%d %H:%M:%S")  # Copenhagen is never at UTC
        assert re.search(rf"^{row['id']} +{local} ", table, re.M), (row, table)
    for name in ("projekt P1 (status)", "milepæl M1", "besparelse SV1", "portefølje FOM"):
        assert name in table
    for internal in ("project_event", "saving_version", "milestone ", "When (UTC)"):
        assert internal not in table
    assert re.search(r"projekt P1 \(status\) +aktiv → sat på pause; Afventer", table)
    assert "oprettet" in table and "created" not in table


def test_history_since_counts_copenhagen_days(da: Cli) -> None:
    """--since DATE starts at Copenhagen's midnight: it keeps what was made the same day, seen
    on a Copenhagen clock, whatever the UTC date of the row."""
    rows = da.json("history")
    local_day = (
        datetime.fromisoformat(rows[-1]["at"].replace("Z", "+00:00"))
        .astimezone(ZoneInfo("Europe/Copenhagen"))
        .date()
    )
    assert len(da.json("history", "--since", local_day.isoformat())) == len(rows)
    later = local_day.replace(year=local_day.year + 1).isoformat()
    assert da.json("history", "--since", later) == []


# -- English on request -------------------------------------------------------------------------


def test_lang_en_and_the_environment_switch_everything_back(
    da: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = da("--lang", "en", "project", "add", "Jobrettet misbrugsbehandling", "--segment", "S1")
    assert result.stderr == "added project P2 (id 2): Jobrettet misbrugsbehandling\n"
    assert da("--lang", "en", "project", "list").stdout.split()[:2] == ["Code", "Title"]
    assert da.fails("--lang", "en", "project", "show", "P9").startswith("error: no project 'P9'")
    assert "When" in da("--lang", "en", "history").stdout.splitlines()[0]
    monkeypatch.setenv("PORTEFOLJE_LANG", "en")
    assert da("index", "set", "2019", "102,4").stderr == "index 2019 = 102.4\n"
    assert da.fails("project", "health", "P1", "blue") == (
        "error: invalid colour 'blue': choose one of green, yellow, red\n"
    )
    # the option wins over the environment
    assert da("--lang", "da", "project", "list").stdout.split()[:2] == ["Kode", "Titel"]


def test_an_unknown_language_is_a_usage_error(da: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    err = da.fails("--lang", "fr", "project", "list", code=2)
    assert err.startswith("fejl: ugyldig værdi for '--lang': ukendt sprog 'fr': vælg da eller en")
    monkeypatch.setenv("PORTEFOLJE_LANG", "de")
    assert "ukendt sprog 'de'" in da.fails("project", "list", code=2)


def test_a_report_keeps_its_own_language(da: Cli) -> None:
    """A report is a document for its readers: Danish unless its own --lang says otherwise,
    whatever language the person at the terminal uses (a cron job's environment does not change
    what the directors receive)."""
    danish = da("--lang", "en", "report", "status", "--as-of", "2019-06-05").stdout
    assert danish.startswith("Statusrapport til Direktørforum")
    english = da("report", "status", "--as-of", "2019-06-05", "--lang", "en").stdout
    assert english.startswith("Status report for the directors' forum")


# -- no English in Danish output, no Danish in English output ------------------------------------

LISTS = [
    "portfolio list",
    "department list",
    "committee list",
    "segment list",
    "project list",
    "solution list",
    "milestone list",
    "deliverable list",
    "indicator list",
    "saving list",
    "investment list",
    "target list",
    "coverage list",
    "index list",
    "risk list",
    "meeting list",
    "decision list",
    "action list",
    "criterion list",
    "report archive list",
    "history",
    "project history FOM5",
    "project show FOM3",
    "segment show FOM-S5",
    "solution show FOM-L2",
    "milestone show FOM-M7",
    "deliverable show FOM-LV3",
    "saving show FOM-SV1",
    "risk show FOM-RS1",
    "meeting show FOM-MØ1",
    "action show FOM-HA1",
    "db check",
]
ENGLISH = re.compile(
    r"\b(added|updated|removed|created|project|projects|error|code|title|when|who|record|change|"
    r"active|paused|closed|green|yellow|red|milestone|saving|deliverable|none|yes|done|open|"
    r"planned|delivered|estimated|documented|owner|due|rows?|records?|intact)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    mp = pytest.MonkeyPatch()
    mp.delenv("PORTEFOLJE_LANG", raising=False)
    try:
        Cli(out / "unused.db")("demo", "--out", str(out / "demo"))
    finally:
        mp.undo()
    return out / "demo" / "demo.db"


def _run(demo: Path, command: str, *lang: str) -> str:
    result = Cli(demo)(*lang, "--db", str(demo), *command.split())
    return result.stdout + result.stderr


@pytest.mark.parametrize("command", LISTS)
def test_no_english_words_in_the_danish_output_of_the_demo(demo: Path, command: str) -> None:
    text = _run(demo, command)
    assert text.strip()
    leaked = sorted({m.group(0) for m in ENGLISH.finditer(text)})
    assert leaked == [], f"{command}: {leaked}\n{text}"
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text.replace("FOM-", "")), text  # no raw keys


@pytest.mark.parametrize("command", LISTS)
def test_no_danish_words_in_the_english_output_of_the_demo(demo: Path, command: str) -> None:
    """The demo's data is Danish; the words the tool itself adds are not."""
    from portefolje.i18n import catalogue

    own = {
        da_text
        for key, (da_text, en_text) in catalogue().items()
        if key.startswith(("col.", "val.", "field.", "kind."))
        and da_text != en_text
        and len(da_text) > 3
        and not key.startswith(("val.report.", "kind."))
    }
    text = _run(demo, command, "--lang", "en")
    header = text.splitlines()[0]
    found = sorted(w for w in own if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", header))
    assert found == [], f"{command}: {found}\n{header}"
    for word in ("oprettede", "fejl:", "Tidspunkt"):
        assert word not in text, (command, word)
    # a stored value the tool words itself: a cell of its own, or a side of "from → to" (the
    # demo's titles say "afsluttet" too: "Udviklingsforløbet afsluttet")
    for word in ("sat på pause", "afsluttet", "grøn"):
        cell = rf"(^|  |→ ){word}(  | →|$)"
        assert not re.search(cell, text, re.M), (command, word)


# -- the catalogue itself --------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return {f[1] for f in string.Formatter().parse(text) if f[1] is not None}


def test_every_catalogue_entry_has_both_languages_with_the_same_placeholders() -> None:
    from portefolje.i18n import catalogue, cli_messages, cli_tables, refusals, reports

    parts = (reports.LABELS, cli_tables.TABLES, cli_messages.MESSAGES, refusals.REFUSALS)
    assert sum(len(p) for p in parts) == len(catalogue()), "a key is defined twice"
    for key, pair in catalogue().items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        danish, english = pair
        assert danish.strip() and english.strip(), key
        assert _fields(danish) == _fields(english), key
    for key, ((da_one, da_many), (en_one, en_many)) in reports.NOUNS.items():
        assert all((da_one, da_many, en_one, en_many)), key


# English texts that name a Danish term on purpose: the accepted input word, or a place name
DANISH_ON_PURPOSE = (
    "err.invalid_coverage_kind",
    "err.invalid_investment_status",
    "err.one_off_year",
    "err.cell_formula",
    "err.date_hint",
    "err.not_a_day",
    "err.amount_ore",
    "err.amount_hint",
    "err.owner_role",
    "what.owner_role",
    "status_title",
)


def test_english_texts_hold_no_danish_letters() -> None:
    from portefolje.i18n import catalogue

    found = [
        key
        for key, (_, english) in catalogue().items()
        if re.search("[æøåÆØÅ]", english) and key not in DANISH_ON_PURPOSE
    ]
    assert found == []


def _keys_in_source() -> set[str]:
    """Every literal key passed to msg() in the source."""
    keys = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "msg"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                keys.add(node.args[0].value)
    return keys


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    from portefolje.i18n import catalogue

    used = _keys_in_source()
    assert len(used) > 400
    assert sorted(used - catalogue().keys()) == []


def test_keys_built_at_run_time_are_in_the_catalogue() -> None:
    """Keys made from a word: the kinds of record, the verbs that need a reason, the states."""
    from portefolje.domain import rules
    from portefolje.i18n import catalogue
    from portefolje.store.registry import KINDS

    keys = catalogue().keys()
    wanted = {f"kind.{k}" for k in KINDS}
    wanted |= {f"what.reason_{verb}_project" for verb in rules.NEEDS_REASON}
    wanted |= {f"err.only_{verb}" for verb in rules.TRANSITIONS}
    wanted |= {f"state.milestone.{s}" for s in ("open", "done", "cancelled")}
    wanted |= {f"state.deliverable.{s}" for s in ("open", "delivered", "cancelled")}
    wanted |= {f"val.{w}" for w in (*rules.ALL_STATUSES, *rules.COLORS, *rules.DIMENSIONS)}
    wanted |= {f"val.{w}" for w in (*rules.SOLUTION_STATUSES, *rules.SOLUTION_KINDS)}
    migrations = SRC.parents[1] / "migrations"
    wanted |= {f"migration.{p.stem.split('_', 1)[1]}" for p in migrations.glob("0*.sql")}
    assert sorted(wanted - keys) == []


def test_help_and_version_do_not_load_the_catalogue() -> None:
    from test_startup import _loaded

    catalogue = (
        "portefolje.i18n.reports",
        "portefolje.i18n.cli_messages",
        "portefolje.i18n.cli_tables",
        "portefolje.i18n.refusals",
    )
    assert _loaded(["--version"], catalogue) == []
    assert _loaded(["--help"], catalogue) == []
