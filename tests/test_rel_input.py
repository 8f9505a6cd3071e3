"""Bad input gets one clear line, never "internal error", and writes nothing: personal data in
every written form, odd option values, bytes that are not UTF-8, Ctrl-C, a closed pipe, control
characters, and sheets that are not what they claim to be."""

from __future__ import annotations

import csv
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from conftest import Cli
from rel_helpers import ROOT, cli_args, one_line_error, run

# -- personal data ---------------------------------------------------------------------------------

# 010190-1009 passes modulus 11; 050607-4011 (born 2007) does not, as numbers given since 2007
CPR_FORMS = [
    "010190-1009",
    "010190 1009",
    "010190\u00a01009",  # no-break space
    "010190\u20071009",  # figure space
    "010190\u202f1009",  # narrow no-break space
    "010190\u20101009",  # hyphen
    "010190\u20111009",  # non-breaking hyphen (Word)
    "010190\u20121009",  # figure dash
    "010190\u20131009",  # en dash
    "010190\u20141009",  # em dash
    "010190\u20151009",  # horizontal bar
    "010190\u22121009",  # minus sign
    "010190 - 1009",
    "010190.1009",
    "01.01.90-1009",
    "01.01.90 1009",
    "01-01-90-1009",
    "01/01/90-1009",
    "01 01 90 1009",
    "\uff10\uff11\uff10\uff11\uff19\uff10\uff0d\uff11\uff10\uff10\uff19",  # full-width
    "\uff10\uff11\uff10\uff11\uff19\uff10-1009",
    "010190\u200b-\u200b1009",  # zero-width spaces
    "010190\u00ad1009",  # soft hyphen (invisible)
    "0101901009",  # bare, modulus 11
    "cpr 0506074011",  # bare, a CPR word near
    "CPR-nr.: 050607-4011",
    "050607-4011",
    "\u0660\u0661\u0660\u0661\u0669\u0660-\u0661\u0660\u0660\u0669",  # Arabic-Indic digits
]


def _digits(text: str) -> str:
    import unicodedata

    return "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())


def test_every_written_form_is_refused_and_never_echoed(register: Cli, record) -> None:
    from portefolje.domain.cpr import contains_cpr

    before = register.snapshot()
    for form in CPR_FORMS:
        assert contains_cpr(form), repr(form)
        err = register.fails("project", "edit", "P1", "--purpose", f"Borger {form} deltager")
        assert "CPR" in err and _digits(form)[:6] not in _digits(err), (form, err)
        err = register.fails(
            "--by", f"sagsbehandler {form}", "project", "pause", "P1", "--reason", "Afventer"
        )
        assert "--by" in err
    assert register.snapshot() == before
    record(
        "personal data",
        f"CPR numbers in {len(CPR_FORMS)} written forms (dashes, no-break spaces, dots, "
        "full-width and Arabic-Indic digits, invisible characters) typed into a project and "
        "into --by",
        tried=2 * len(CPR_FORMS),
        refused=2 * len(CPR_FORMS),
        digits_echoed=0,
        written=0,
    )


ECHO_PATHS = [
    ["project", "show", "{cpr}"],
    ["project", "edit", "{cpr}", "--leader", "x"],
    ["milestone", "show", "{cpr}"],
    ["project", "add", "X", "--segment", "{cpr}"],
    ["project", "add", "X", "--segment", "S1", "--start", "{cpr}"],
    ["saving", "add", "--project", "P1", "--amount", "{cpr}", "--year", "2019"],
    ["saving", "add", "--project", "P1", "--amount", "1000", "--year", "{cpr}"],
    ["history", "--project", "{cpr}"],
    ["history", "--since", "{cpr}"],
    ["report", "status", "--as-of", "{cpr}"],
    ["report", "status", "--portfolio", "{cpr}"],
    ["report", "project", "{cpr}"],
    ["import", "{tmp}/{cpr}.csv", "--kind", "savings"],
    ["import", "{tmp}/{cpr}.json"],
    ["{cpr}"],  # no such command
    ["project", "{cpr}"],
    ["project", "list", "--status", "{cpr}"],
    ["--busy-timeout", "{cpr}", "project", "list"],
    ["history", "verify", "--anchor", "{cpr}"],
]


@pytest.mark.parametrize("form", ["010190-1009", "010190\u00a01009", "01.01.90-1009"])
@pytest.mark.parametrize("args", ECHO_PATHS, ids=lambda a: " ".join(a[:3]))
def test_messages_that_quote_input_mask_the_digits(
    register: Cli, tmp_path: Path, args: list[str], form: str
) -> None:
    filled = [a.replace("{cpr}", form).replace("{tmp}", str(tmp_path)) for a in args]
    result = register.runner.invoke(
        __import__("portefolje.cli", fromlist=["app"]).app, filled, prog_name="portefolje"
    )
    assert result.exit_code in (1, 2), (filled, result.stdout, result.stderr)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "0101" not in result.stderr and "1009" not in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    ECHOED[form] += 1


ECHOED: Counter[str] = Counter()


def test_masking_figures(record) -> None:
    """Runs after the masking test above (file order) and records what it tried."""
    if ECHOED:
        record(
            "personal data",
            "error paths that quote what was typed (unknown references, bad dates and amounts, "
            "file names, unknown commands and choices, option values), given a CPR number",
            paths=len(ECHO_PATHS),
            forms=len(ECHOED),
            tried=sum(ECHOED.values()),
            digits_echoed=0,
            one_line=sum(ECHOED.values()),
        )


def test_a_cpr_number_in_a_sheet_cell_or_header_is_masked(register: Cli, tmp_path: Path) -> None:
    sheet = tmp_path / "savings.csv"
    sheet.write_text(
        "Projekt;År;Beløb;Note 010190-1009\n010190-1009;2019;1000;x\nP1;2019;010190-1009;y\n",
        encoding="utf-8",
    )
    result = register.runner.invoke(
        __import__("portefolje.cli", fromlist=["app"]).app,
        ["import", str(sheet), "--kind", "savings"],
        prog_name="portefolje",
    )
    assert result.exit_code == 1
    assert "1009" not in result.stderr and "XXXXXX-XXXX" in result.stderr, result.stderr
    # --json prints the same problems on stdout, masked the same way
    out = register("import", str(sheet), "--kind", "savings", "--json", code=1).stdout
    reasons = " ".join(p["reason"] for p in json.loads(out)["problems"])
    assert "1009" not in reasons and "XXXXXX-XXXX" in reasons, reasons
    doc = tmp_path / "doc.json"
    doc.write_text(
        json.dumps(
            {
                "format": "portefolje",
                "version": 3,
                "projects": [
                    {
                        "code": "P9",
                        "title": "x",
                        "segment": "010190-1009",
                        "start_date": "2019-01-01",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    out = register("import", str(doc), "--json", code=1).stdout
    reasons = " ".join(p["reason"] for p in json.loads(out)["problems"])
    assert "1009" not in reasons, reasons


def test_the_os_account_without_a_passwd_entry_is_uid_n(tmp_path: Path) -> None:
    """As a uid with no passwd entry and no $USER (a container): writes work, and the journal
    names the account uid:<n>. (A user namespace maps uid 12345 without privileges.)"""
    if (
        not shutil.which("unshare")
        or subprocess.run(["unshare", "--map-user=12345", "true"], capture_output=True).returncode
    ):
        pytest.skip("needs `unshare --map-user` to run as a uid without a passwd entry")
    db = tmp_path / "p.db"
    env = {k: v for k, v in os.environ.items() if k not in ("USER", "LOGNAME", "LNAME", "USERNAME")}
    for args in (["init"], ["portfolio", "add", "Fælles om målet", "--code", "FOM"]):
        done = subprocess.run(
            [
                "unshare",
                "--map-user=12345",
                "--map-group=12345",
                *cli_args(),
                "--db",
                str(db),
                *args,
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        actor, os_user = conn.execute("SELECT actor, os_user FROM journal").fetchone()
    assert actor == os_user == "uid:12345"


def test_os_user_falls_back_and_passes_the_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    from portefolje.store import write

    def no_entry(uid: int) -> None:
        raise KeyError(uid)

    import pwd

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    for name in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    assert write.os_user() == f"uid:{os.getuid()}"
    monkeypatch.setattr(getpass, "getuser", lambda: "010190-1009")  # an account named by CPR
    assert write.os_user() == f"uid:{os.getuid()}"
    monkeypatch.setattr(getpass, "getuser", lambda: "sekr\x1b[31m")
    assert write.os_user() == f"uid:{os.getuid()}"


# -- odd option values, bytes, signals, pipes ------------------------------------------------------


BUSY_TIMEOUTS = ["inf", "-inf", "nan", "1e309", "1e12", "-1", "86401", "abc"]


def test_busy_timeout_must_be_a_sane_number(cli: Cli, record) -> None:
    for value in BUSY_TIMEOUTS:
        err = cli.fails("--busy-timeout", value, "project", "list", code=2)
        assert "--busy-timeout" in err
    record(
        "bad input",
        "--busy-timeout " + ", ".join(BUSY_TIMEOUTS),
        tried=len(BUSY_TIMEOUTS),
        usage_error_in_one_line=len(BUSY_TIMEOUTS),
    )


def test_arguments_that_are_not_utf8_are_one_line(cli: Cli, record) -> None:
    raws = (b"\xff\xfe", b"F\xe6lles om m\xe5let", b"P1\x80")
    for raw in raws:
        done = subprocess.run(
            [*cli_args(), "--db", str(cli.db), "project", "show", raw],
            capture_output=True,
        )
        assert done.returncode == 2 and b"Traceback" not in done.stderr, done.stderr
        assert done.stderr.count(b"\n") == 1 and b"not valid text" in done.stderr
    # and in --by through the environment, where typer does not see bytes
    done = run(
        "--db",
        cli.db,
        "portfolio",
        "add",
        "X",
        "--code",
        "XX",
        env={"PORTEFOLJE_BY": "sekret\udcff"},
    )
    assert "not valid text" in one_line_error(done)
    record(
        "bad input",
        "arguments and --by (from the environment) with bytes that are not UTF-8",
        tried=len(raws) + 1,
        one_line=len(raws) + 1,
    )


def _savings_sheet(tmp_path: Path, n: int) -> tuple[Path, Path]:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import SCALES, generate, savings_rows, write_csv  # type: ignore[import-not-found]

    base = tmp_path / "base.db"
    generate(base, "S", seed=3, with_savings=False)
    sheet = tmp_path / "savings.csv"
    write_csv(sheet, savings_rows(random.Random(4), {**SCALES["S"], "savings": n}))
    return base, sheet


SAVED = "interrupted; the changes made before the interruption were saved (see history)\n"


def test_ctrl_c_says_nothing_was_written_and_exits_130(tmp_path: Path, record) -> None:
    from rel_helpers import rows

    base, sheet = _savings_sheet(tmp_path, 20_000)
    timed = tmp_path / "timed.db"
    shutil.copy(base, timed)
    start = time.perf_counter()
    assert run("--db", timed, "import", sheet, "--kind", "savings").returncode == 0
    whole = time.perf_counter() - start
    before = rows(base)
    outcomes = []
    for fraction in (0.35, 0.5, 0.65, 0.8):
        db = tmp_path / f"run-{fraction}.db"
        shutil.copy(base, db)
        proc = subprocess.Popen(
            [*cli_args(), "--db", str(db), "import", str(sheet), "--kind", "savings"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(whole * fraction)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        if proc.returncode == 0:  # finished before the signal: nothing to test this time
            continue
        assert proc.returncode == 130, err
        if "were saved" in err:  # Ctrl-C after the commit: the whole import, and it says so
            assert err == SAVED, err
            assert len(rows(db)["saving"]) == 20_000
            continue
        assert err == "interrupted; nothing was written\n", err
        assert rows(db) == before
        outcomes.append(fraction)
    assert outcomes, "every run finished before Ctrl-C"
    record(
        "bad input",
        "Ctrl-C (SIGINT) during a 20,000-line import",
        tried=4,
        interrupted=len(outcomes),
        exit_130_one_line=len(outcomes),
        written=0,
    )


PIPED = [["project", "list"], ["history", "--json"], ["export"], ["db", "path"]]


def test_a_closed_pipe_ends_quietly(register: Cli, record) -> None:
    """`portefolje … | head -1`: here the reader is gone before the first write, so the write
    always meets the closed pipe."""
    for args in PIPED:
        proc = subprocess.Popen(
            [*cli_args(), "--db", str(register.db), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 141, args  # 128 + SIGPIPE, as a Unix tool killed by it
        assert err == b"", err
    record(
        "bad input",
        "output into a closed pipe (`… | head -1`): " + ", ".join(" ".join(a) for a in PIPED),
        tried=len(PIPED),
        quiet=len(PIPED),
        exit_code=141,
    )


# -- what the Writer refuses -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["a\x00b", "a\x01b", "rød\x1b[31m", "x\x7f", "\x9b31m"])
def test_control_characters_are_refused_in_stored_text(register: Cli, text: str) -> None:
    from portefolje.domain.errors import InvalidValue
    from portefolje.store.connection import open_db
    from portefolje.store.write import Writer

    conn = open_db(register.db)
    try:
        refused = "the project purpose holds a control character"
        with pytest.raises(InvalidValue, match=refused), Writer(conn, command="test") as w:
            w.update("project", 1, {"purpose": text})
        assert conn.execute("SELECT purpose FROM project WHERE id = 1").fetchone()[0] is None
        with Writer(conn, command="test") as w:  # tab and line breaks are text
            w.update("project", 1, {"purpose": "tab\tand\nline\r\nbreaks"})
    finally:
        conn.close()


def test_control_characters_through_the_cli_and_a_document(register: Cli, tmp_path: Path) -> None:
    before = register.snapshot()
    err = register.fails("project", "edit", "P1", "--leader", "Projekt\x1bleder")
    assert "project leader holds a control character (U+001B" in err
    doc = json.loads(register("export").stdout)
    doc["projects"][0]["purpose"] = "skjult\u0000tekst"
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    err = register.fails("import", str(path))
    assert "control character (U+0000" in err
    assert register.snapshot() == before


def test_constraint_refusals_name_the_field_in_words(register: Cli, record) -> None:
    from portefolje.domain.errors import Refused
    from portefolje.store.connection import open_db
    from portefolje.store.write import Writer

    cases = {
        ("segment", "category", "bogus"): (
            "the segment category must be one of: familie, flere-indsatser, overgang"
        ),
        ("project", "title", "  "): "the project title must not be empty",
        ("project", "start_date", "2019-06-05 10:30"): "the project start date must be a date",
        # SQLite's date() passes 30 February through; the schema's checks normalise first
        ("project_event", "date", "2019-02-30"): "the project event date must be a date",
        ("segment", "population", -5): "the segment population must not be negative",
        ("segment", "population", "mange"): "the segment population must be a whole number",
        ("project", "end_date", "2000-01-01"): "the project end date and start date do not fit",
        ("project", "title", None): "the project title is required",
    }
    conn = open_db(register.db)
    try:
        for (table, column, value), expected in cases.items():
            with pytest.raises(Refused) as caught, Writer(conn, command="test") as w:
                w.update(table, 1, {column: value})
            message = str(caught.value)
            assert expected in message, message
            assert "CHECK" not in message and "constraint" not in message.lower()
            assert not re.search(r"\b(IN|IS NULL|trim|length|GLOB)\b", message), message
    finally:
        conn.close()
    record(
        "bad input",
        "values the schema's constraints refuse (CHECK, NOT NULL, STRICT types)",
        tried=len(cases),
        named_field_in_words=len(cases),
        sql_shown=0,
    )


# -- sheets ----------------------------------------------------------------------------------------

HEADER = "Projekt;Afdeling;År;Beløb\n"


def _import(c: Cli, path: Path, *extra: str, code: int = 0) -> str:
    result = c("import", str(path), "--kind", "savings", "--dry-run", *extra, code=code)
    return result.stderr


def test_utf16_csv_is_read(register: Cli, tmp_path: Path) -> None:
    for encoding in ("utf-16", "utf-16-be"):
        path = tmp_path / f"{encoding}.csv"
        text = HEADER + "P1;SF;2019;1.000.000\nP1;SF;2020;2.000.000\n"
        data = text.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        path.write_bytes(data)
        assert "2 created" in _import(register, path)


def test_bytes_that_are_no_text_name_their_position(register: Cli, tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes((HEADER + "P1;SF;2019;1000\n").encode("cp1252") + b"P1;S\x81F;2020;1\n")
    err = register.fails("import", str(path), "--kind", "savings")
    assert "byte 0x81 at byte position" in err and "(line 3)" in err
    path.write_bytes(HEADER.encode() + b"P1;SF;2019;1\x00000\n" * 3)
    err = register.fails("import", str(path), "--kind", "savings")
    assert "NUL" in err or "line 2" in err


def test_a_cell_over_the_csv_limit_is_one_line(register: Cli, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(
        HEADER + "P1;SF;2019;1000\n" + f'P1;"{"x" * 140_000}";2019;1\n', encoding="utf-8"
    )
    err = register.fails("import", str(path), "--kind", "savings")
    assert "line 3" in err and "longer than 131,072 characters" in err


def test_the_row_limit_is_one_line(register: Cli, tmp_path: Path) -> None:
    from portefolje.sheets.read import MAX_ROWS

    path = tmp_path / "long.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "P1;SF;2019;1000\n")
        f.write("\n" * MAX_ROWS)
    start = time.perf_counter()
    err = register.fails("import", str(path), "--kind", "savings")
    assert "more than 1,048,576 rows" in err
    assert time.perf_counter() - start < 30


def test_the_cell_limit_is_one_line(
    register: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portefolje.sheets import read

    monkeypatch.setattr(read, "MAX_CELLS", 400)
    path = tmp_path / "wide.csv"
    path.write_text(HEADER + ";;;;;;;;;;;;;;;;;;;\n" * 30, encoding="utf-8")
    assert "more than 400 cells" in register.fails("import", str(path), "--kind", "savings")


def _xlsx(
    path: Path,
    rows: list[list[object]],
    *,
    formulas: dict[tuple[int, int], tuple[str, object]] | None = None,
    dimension: str | None = None,
) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Besparelser")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    for (r, c), (formula, cached) in (formulas or {}).items():
        sheet.write_formula(r, c, formula, None, cached)
    book.close()
    if dimension:
        with zipfile.ZipFile(path) as z:
            parts = {i.filename: z.read(i.filename) for i in z.infolist()}
        xml = parts["xl/worksheets/sheet1.xml"].decode()
        parts["xl/worksheets/sheet1.xml"] = re.sub(
            r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', xml
        ).encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)


def test_an_xlsx_claiming_the_whole_sheet_is_read_in_seconds(
    register: Cli, tmp_path: Path, record
) -> None:
    path = tmp_path / "claims.xlsx"
    _xlsx(
        path,
        [["Projekt", "Afdeling", "År", "Beløb"], ["P1", "SF", 2019, 1000]],
        dimension="A1:XFD1048576",
    )
    start = time.perf_counter()
    assert "1 created" in _import(register, path)
    seconds = time.perf_counter() - start
    assert seconds < 10
    record(
        "bad input",
        f"an XLSX file of {path.stat().st_size} bytes declaring the dimension A1:XFD1048576",
        tried=1,
        seconds=round(seconds, 2),
        imported_rows=1,
    )


def test_formula_and_error_cells_are_refused_by_row(register: Cli, tmp_path: Path, record) -> None:
    path = tmp_path / "formulas.xlsx"
    _xlsx(
        path,
        [
            ["Projekt", "Afdeling", "År", "Beløb"],
            ["P1", "SF", 2019, 1000],
            [None, "SF", 2020, None],
            ["P1", "SF", 2021, 3000],
        ],
        formulas={
            (2, 0): ('="P"&"1"', "P1"),
            (2, 3): ("=1000*2", 2000),
            (3, 2): ("=1/0", "#DIV/0!"),
        },
    )
    err = register.fails("import", str(path), "--kind", "savings")
    lines = err.splitlines()
    assert "nothing was imported" in lines[0]
    assert any("row 3, column 'Projekt'" in x and "formula" in x for x in lines), err
    assert any("row 3, column 'Beløb'" in x and "formula (=1000*2)" in x for x in lines), err
    assert any("row 4, column 'År'" in x for x in lines), err
    assert not any("row 2" in x for x in lines)
    record(
        "bad input",
        "an XLSX sheet with formula cells (their cached results) and an Excel error",
        tried=3,
        refused_by_row_and_column=3,
        imported=0,
    )


def test_rows_of_blanks_and_spaces_are_skipped(register: Cli, tmp_path: Path) -> None:
    path = tmp_path / "blanks.xlsx"
    _xlsx(
        path,
        [
            ["Projekt", "Afdeling", "År", "Beløb"],
            ["P1", "SF", 2019, 1000],
            [None, " ", None, "  "],
            [" ", None, "\t", None],
            ["P1", "SF", 2020, 0],
        ],
    )
    assert "2 created" in _import(register, path)
    csv_path = tmp_path / "blanks.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerows([["Projekt", "Afdeling", "År", "Beløb"], ["P1", "SF", "2019", "1000"]])
        writer.writerows([[" ", "", "  ", ""]] * 10_000)
    out = _import(register, csv_path)
    assert "1 created" in out and out.count("\n") == 1
