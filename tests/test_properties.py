"""Property tests (hypothesis): parsers, the CPR guard, output escaping, and random command
sequences that must journal every accepted change and write nothing when refused."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.numbers import format_decimal
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import Cli
from portefolje.domain.amounts import parse_amount
from portefolje.domain.cpr import contains_cpr, mask, modulus11
from portefolje.domain.dates import MONTHS_DA, parse_date
from portefolje.domain.errors import InvalidValue

EXAMPLES = int(os.environ.get("PORTEFOLJE_PROPERTY_EXAMPLES", "2000"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None)


# -- amounts and dates -----------------------------------------------------------------------------


@PROPERTY
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_amounts_formatted_the_danish_way_parse_back(n: int) -> None:
    text = format_decimal(n, locale="da_DK")  # an independent formatter: 1.234.567
    assert parse_amount(text) == n
    assert parse_amount(text + " kr.") == n


@PROPERTY
@given(st.integers(min_value=0, max_value=999_999))
def test_mio_and_tkr_forms_parse_back(tenths: int) -> None:
    mio = format_decimal(tenths / 10, locale="da_DK", format="#,##0.0")  # 42,6
    assert parse_amount(f"{mio} mio. kr.") == tenths * 100_000
    assert parse_amount(f"{format_decimal(tenths, locale='da_DK')} t.kr.") == tenths * 1000


def _forms(d: date) -> list[str]:
    return [
        d.isoformat(),
        f"{d.day}/{d.month} {d.year}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        f"{d.day:02d}-{d.month:02d}-{d.year}",
        f"{d.day}. {MONTHS_DA[d.month - 1]} {d.year}",
        f"{d.day} {MONTHS_DA[d.month - 1][:3]}. {d.year}",
    ]


@PROPERTY
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
def test_dates_in_every_accepted_pattern_round_trip(d: date) -> None:
    for text in _forms(d):
        assert parse_date(text) == d, text


@pytest.mark.parametrize(
    "text",
    [
        "30. februar 2019",
        "29/2 2023",
        "31/4 2019",
        "31.06.2020",
        "0/1 2019",
        "32. januar 2019",
        "29-02-2100",
    ],
)
def test_impossible_dates_give_our_error(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_date(text)


@PROPERTY
@given(st.text(max_size=40))
@example("72.1E22.2")
@example("NaN")
@example("1_000")
@example("\u0661\u0662\u0663")
@example("1e400000")
@example("Infinity")
@example("--5")
@example("5 mio mio")
def test_arbitrary_text_raises_only_our_error(text: str) -> None:
    for parse in (parse_amount, parse_date):
        with contextlib.suppress(InvalidValue):  # any other exception fails the test
            parse(text)


# -- the CPR guard ---------------------------------------------------------------------------------


def _cpr(d: date, serial: int) -> tuple[str, str]:
    """A CPR number for a birth date: the seventh digit gives the century as the CPR office does."""
    yy = d.year % 100
    if d.year < 2000:
        first = serial % 4  # 0-3: 1900s
    elif yy <= 36:
        first = 4 + (serial % 2) * 5  # 4 or 9
    else:
        first = 5 + serial % 4  # 5-8 for 2037-2057
    return f"{d.day:02d}{d.month:02d}{yy:02d}", f"{first}{serial % 1000:03d}"


SENTENCES = [
    "Borgeren med CPR {cpr} har været i forløb siden maj.",
    "Familien ({cpr}) deltog i testen på 5-6 familier.",
    "Sagen vedrører {cpr}, se journalen.",
    "Personnummer {bare} fremgår af bilaget.",
]


@PROPERTY
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    st.integers(min_value=0, max_value=9999),
    st.sampled_from(SENTENCES),
    st.booleans(),
)
def test_generated_cpr_numbers_in_danish_sentences_are_refused(
    d: date, serial: int, sentence: str, mod11: bool
) -> None:
    six, four = _cpr(d, serial)
    if mod11:  # half of them made to pass modulus 11 (numbers before 2007), half not
        for last in range(10):
            if modulus11(six + four[:3] + str(last)):
                four = four[:3] + str(last)
                break
    text = sentence.format(cpr=f"{six}-{four}", bare=f"{six}{four}")
    assert contains_cpr(text), text


LOOK_ALIKES = [
    "Budget 1.234.567.890 kr. i alt",
    "Ring til sekretariatet på +45 12 34 56 78",
    "Tlf. 43 68 68 68",
    "CVR-nr. 29189668",
    "EAN 5798000000001",
    "EAN-nr. 5798009 812345",
    "Mødet er 16-01-2019 kl. 10",
    "Sagsnr. 00.01.10-P20-1-17",
    "Sag 00.01.00-G01-538-18",
    "Kontonummer 1234567890",
    "Beløbet 4.000.000 kr. fra 2019",
    "Dato 2019-06-05",
    "Afregnet 978.000 kr. for 29 borgere",
    "Postnr. 2620 Albertslund",
    "Reg.nr. 1551 konto 1234567",
    "311299 er ikke en dato med serienummer",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_never_refused(text: str) -> None:
    assert not contains_cpr(text)


# The written forms of a CPR number (issue 16): separators between date and serial, date styles,
# digits of other scripts. Space-like separators and the bare form are refused only with
# modulus 11 or a CPR word (a date and a time, or an account number, look the same).
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", " - ", "."]
SPACES = [" ", "\u00a0", "\u2007", "\u202f"]
DATE_STYLES = ["{d}{m}{y}", "{d}.{m}.{y}", "{d}-{m}-{y}", "{d}/{m}/{y}", "{d} {m} {y}"]
DIGIT_SETS = {"ascii": 0x30, "full-width": 0xFF10, "arabic-indic": 0x660, "devanagari": 0x966}
CONTEXTS = [
    "{cpr}",
    "Borgeren {cpr} deltog i afprøvningen.",
    "({cpr})",
    "Familie: {cpr}; se notatet",
    "Sagen vedrører {cpr}.",
]
CPR_FORMS = Counter()


def _in_digits(text: str, base: int) -> str:
    return "".join(chr(base + int(ch)) if ch.isdigit() else ch for ch in text)


def _mod11_serial(six: str, four: str) -> str | None:
    for last in range(10):
        if modulus11(six + four[:3] + str(last)):
            return four[:3] + str(last)
    return None


@PROPERTY
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    st.integers(min_value=0, max_value=9999),
    st.sampled_from(DASHES + SPACES + [""]),
    st.sampled_from(DATE_STYLES),
    st.sampled_from(sorted(DIGIT_SETS)),
    st.sampled_from(CONTEXTS),
    st.booleans(),
)
def test_every_written_form_of_a_cpr_number_is_found(
    d: date, serial: int, sep: str, style: str, digits: str, context: str, keyword: bool
) -> None:
    six, four = _cpr(d, serial)
    if sep in SPACES or sep == "":  # needs modulus 11 or a CPR word
        four = _mod11_serial(six, four) or four
        keyword = keyword or not modulus11(six + four)
    written = style.format(d=six[:2], m=six[2:4], y=six[4:]) + sep + four
    if sep == "" and style != "{d}{m}{y}":
        written = six + four
    text = context.format(cpr=_in_digits(written, DIGIT_SETS[digits]))
    if keyword:
        text = "CPR: " + text
    assert contains_cpr(text), repr(text)
    masked = mask(text)
    assert not re.search(r"\d", masked.replace("CPR", "")), repr(masked)
    CPR_FORMS[f"{digits}/{'space' if sep in SPACES else sep or 'bare'}"] += 1


def _phone(rng: st.DataObject) -> str:
    n = rng.draw(st.integers(min_value=20_000_000, max_value=99_999_999))
    t = str(n)
    return rng.draw(
        st.sampled_from(
            [
                t,
                f"+45 {t}",
                f"+45{t}",
                f"0045 {t}",
                f"{t[:2]} {t[2:4]} {t[4:6]} {t[6:]}",
                f"+45 {t[:2]} {t[2:4]} {t[4:6]} {t[6:]}",
                f"{t[:4]} {t[4:]}",
                f"tlf. {t[:2]}-{t[2:4]}-{t[4:6]}-{t[6:]}",
            ]
        )
    )


def _case_number(rng: st.DataObject) -> str:
    a, b, c = (rng.draw(st.integers(min_value=0, max_value=99)) for _ in range(3))
    letter = rng.draw(st.sampled_from("ABCDEGHIKPS"))
    group = rng.draw(st.integers(min_value=0, max_value=99))
    seq = rng.draw(st.integers(min_value=1, max_value=99999))
    yy = rng.draw(st.integers(min_value=0, max_value=99))
    return f"Sagsnr. {a:02d}.{b:02d}.{c:02d}-{letter}{group:02d}-{seq}-{yy:02d}"


def _amount(rng: st.DataObject) -> str:
    n = rng.draw(st.integers(min_value=-(10**12), max_value=10**12))
    return rng.draw(
        st.sampled_from(
            [
                f"{format_decimal(n, locale='da_DK')} kr.",
                f"Beløb: {format_decimal(n, locale='da_DK')}",
                f"{format_decimal(n / 1000, locale='da_DK', format='#,##0.0')} t.kr.",
            ]
        )
    )


def _date_and_time(rng: st.DataObject) -> str:
    d = rng.draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
    hh = rng.draw(st.integers(min_value=0, max_value=23))
    mm = rng.draw(st.integers(min_value=0, max_value=59))
    compact = f"{d.day:02d}{d.month:02d}{d.year % 100:02d} {hh:02d}{mm:02d}"
    forms = [f"{f} kl. {hh:02d}.{mm:02d}" for f in _forms(d)]
    forms += [f"{d.isoformat()} {hh:02d}:{mm:02d}", f"{d.isoformat()} {hh:02d}{mm:02d}"]
    if not modulus11(compact.replace(" ", "")):  # "050619 1030": a date and a time
        forms.append(f"Mødet {compact}")
    return rng.draw(st.sampled_from(forms))


def _other_numbers(rng: st.DataObject) -> str:
    cvr = rng.draw(st.integers(min_value=10_000_000, max_value=99_999_999))
    ean = rng.draw(st.integers(min_value=10**12, max_value=10**13 - 1))
    reg = rng.draw(st.integers(min_value=1000, max_value=9999))
    konto = rng.draw(st.integers(min_value=0, max_value=10**10 - 1))
    post = rng.draw(st.integers(min_value=1000, max_value=9990))
    return rng.draw(
        st.sampled_from(
            [
                f"CVR-nr. {cvr}",
                f"EAN {ean}",
                f"Reg.nr. {reg}-{konto:010d}",
                f"{reg}-{konto:010d}",
                f"Postnr. {post} Albertslund",
                f"{post}-{post}",
                f"Projekt P{cvr % 1000} og P{reg}",
            ]
        )
    )


LOOK_ALIKE_KINDS = {
    "phone": _phone,
    "case number": _case_number,
    "amount": _amount,
    "date and time": _date_and_time,
    "other number": _other_numbers,
}
LOOK_ALIKES_SEEN = Counter()


@PROPERTY
@given(st.sampled_from(sorted(LOOK_ALIKE_KINDS)), st.data())
def test_numbers_that_only_look_alike_are_never_refused(kind: str, data: st.DataObject) -> None:
    text = LOOK_ALIKE_KINDS[kind](data)
    assert not contains_cpr(text), (kind, text)
    assert mask(text) == text
    LOOK_ALIKES_SEEN[kind] += 1


def test_cpr_property_figures(record) -> None:
    """Runs after the two properties above (file order) and records what they tried."""
    if CPR_FORMS:
        record(
            "personal data",
            f"generated CPR numbers in every written form ({len(DASHES)} dashes and dots, "
            f"{len(SPACES)} spaces, bare; {len(DATE_STYLES)} date styles; {len(DIGIT_SETS)} digit "
            "scripts: ASCII, full-width, Arabic-Indic, Devanagari) in sentences",
            tried=sum(CPR_FORMS.values()),
            forms=len(CPR_FORMS),
            found=sum(CPR_FORMS.values()),
            digits_left_after_mask=0,
        )
    if LOOK_ALIKES_SEEN:
        record(
            "personal data",
            "generated look-alikes: phone numbers, case numbers, amounts, dates and times "
            '("050619 1030"), CVR, EAN, account and postal numbers',
            tried=sum(LOOK_ALIKES_SEEN.values()),
            **{k.replace(" ", "_"): v for k, v in sorted(LOOK_ALIKES_SEEN.items())},
            refused=0,
        )


def test_a_refused_cpr_never_reaches_stderr_or_the_journal(register: Cli, record) -> None:
    tried = 0
    for serial in range(40):
        six, four = _cpr(date(1961 + serial, (serial % 12) + 1, (serial % 28) + 1), serial * 37)
        number = f"{six}-{four}"
        before = register.snapshot()
        err = register.fails("project", "edit", "P1", "--purpose", f"Borger {number} deltager")
        assert six not in err and four not in err and "CPR" in err
        assert register.snapshot() == before
        tried += 1
    journal = str(register.json("history"))
    assert not re.search(r"[0-9]{6}-[0-9]{4}", journal)
    record(
        "personal data",
        "CPR numbers typed into a project's purpose",
        tried=tried,
        refused=tried,
        digits_echoed=0,
        written=0,
    )


# -- escaping --------------------------------------------------------------------------------------

ATTACKS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='x",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "</td></tr></table><h1>x</h1>",
    "{{ 7*7 }}",
    "&lt;script&gt;",
    "[klik](http://ond.example)",
    "a | b | c\nny linje",
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.lower().startswith("on")]
        if tag == "td":
            self._in_cell, self.cells = True, [*self.cells, ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1] += data


def _html_for(text: str) -> str:
    from portefolje.reports.html import render_html
    from portefolje.reports.model import Column, Report, Section, Table

    report = Report(
        "t",
        "Rapport",
        "da",
        [("Portefølje", text)],
        [Section("s", "Afsnit", [Table([Column("title", "Titel")], [{"title": text}])])],
        {},
    )
    return render_html(report)


TEMPLATE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "h1",
    "div",
    "span",
    "b",
    "section",
    "h2",
    "table",
    "colgroup",
    "col",
    "thead",
    "tr",
    "th",
    "tbody",
    "td",
    "footer",
}


@settings(max_examples=max(EXAMPLES // 4, 50), deadline=None)
@given(st.one_of(st.sampled_from(ATTACKS), st.text(min_size=1, max_size=60)))
def test_html_output_never_carries_injected_markup(text: str) -> None:
    page = _html_for(text)
    parsed = _Collector()
    parsed.feed(page)
    assert set(parsed.tags) <= TEMPLATE_TAGS, set(parsed.tags) - TEMPLATE_TAGS
    assert parsed.handlers == []
    assert parsed.cells == [text]  # what the reader sees is exactly what was typed


@pytest.mark.parametrize("text", ATTACKS)
def test_markdown_escapes_tables_links_and_lines(text: str) -> None:
    from portefolje.reports.text import md_escape

    escaped = md_escape(text)
    assert "\n" not in escaped
    assert not re.search(r"(?<!\\)[|\[\]<>]", escaped)


# -- random command sequences ----------------------------------------------------------------------

COMMANDS: list[list[str]] = [
    ["project", "add", "Nyt projekt", "--segment", "S1"],
    ["project", "add", "Forkert segment", "--segment", "S404"],
    ["project", "pause", "P1", "--reason", "Afventer"],
    ["project", "pause", "P2"],
    ["project", "resume", "P1"],
    ["project", "close", "P2", "--date", "2019-06-05"],
    ["project", "reopen", "P2", "--reason", "Genoptaget", "--date", "2019-06-05"],
    ["project", "edit", "P1", "--purpose", "cpr 0102031234 fremgår"],
    ["project", "edit", "P1", "--leader", "Projektleder"],
    ["project", "health", "P1", "red", "--dimension", "cost", "--comment", "Over budget"],
    ["project", "health", "P1", "blå"],
    ["saving", "add", "--project", "P1", "--amount", "1.5", "--year", "2019"],
    ["saving", "add", "--project", "P1", "--amount", "1.500", "--year", "2019"],
    ["milestone", "add", "Plan", "--project", "P1", "--due", "30/2 2019"],
    ["milestone", "add", "Plan", "--project", "P1", "--due", "28/2 2019"],
    ["milestone", "move", "M1", "--due", "2019-04-01", "--reason", "Forsinket"],
    ["milestone", "done", "M1", "--date", "2019-05-01"],
    ["solution", "add", "Samarbejde", "--project", "P2", "--kind", "app"],
    ["solution", "add", "Samarbejde", "--project", "P2"],
    ["solution", "status", "L1", "trial"],
    [
        "target",
        "set",
        "--portfolio",
        "FOM",
        "--amount",
        "4 mio",
        "--year",
        "2020",
        "--key",
        "SF=1/3",
    ],
    [
        "target",
        "set",
        "--portfolio",
        "FOM",
        "--amount",
        "4 mio",
        "--year",
        "2020",
        "--key",
        "SF=1/2",
        "--key",
        "BA=1/2",
    ],
    ["department", "add", "Sundhed", "--code", "SF"],
    ["index", "set", "2019", "102,4"],
]


SEQUENCES: Counter[str] = Counter()


def _state(db: Path) -> tuple[int, list[Any]]:
    with sqlite3.connect(db) as conn:
        journal = conn.execute("SELECT count(*) FROM journal").fetchone()[0]
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('journal') "
                "ORDER BY name"
            )
        ]
        data = [sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables]
    return journal, data


@settings(
    max_examples=int(os.environ.get("PORTEFOLJE_SEQUENCE_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(range(len(COMMANDS))), min_size=20, max_size=20))
def test_accepted_changes_are_journaled_and_refusals_write_nothing(
    tmp_path_factory: pytest.TempPathFactory, sequence: list[int]
) -> None:
    base = tmp_path_factory.getbasetemp() / "sequence-base.db"
    if not base.exists():  # one register for every example, copied afresh each time
        setup = Cli(base)
        for args in (
            ["init"],
            ["portfolio", "add", "Fælles om målet", "--code", "FOM"],
            ["department", "add", "Social & Familie", "--code", "SF"],
            ["department", "add", "Borger & Arbejdsmarked", "--code", "BA"],
            ["segment", "add", "Borgere", "--portfolio", "FOM"],
            ["project", "add", "Et", "--segment", "S1"],
            ["project", "add", "To", "--segment", "S1"],
        ):
            setup("--db", str(base), *args)
        with sqlite3.connect(base) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = tmp_path_factory.mktemp("seq") / "p.db"
    db.write_bytes(base.read_bytes())
    c = Cli(db)
    SEQUENCES["sequences"] += 1
    from portefolje.cli import app

    for index in sequence:
        before = _state(db)
        result = c.runner.invoke(app, ["--db", str(db), *COMMANDS[index]], prog_name="portefolje")
        after = _state(db)
        assert "Traceback" not in result.stderr
        SEQUENCES["accepted" if result.exit_code == 0 else "refused"] += 1
        if result.exit_code == 0:
            assert after[0] > before[0] or after[1] == before[1], COMMANDS[index]
            assert (after[1] != before[1]) == (after[0] > before[0]), COMMANDS[index]
        else:
            assert result.exit_code in (1, 2) and after == before, (COMMANDS[index], result.stderr)


def test_sequence_figures(record) -> None:
    """Runs after the sequence test (file order) and records what it tried."""
    if SEQUENCES["sequences"]:
        record(
            "journal",
            "random sequences of 20 commands, accepted and refused",
            sequences=SEQUENCES["sequences"],
            commands=SEQUENCES["accepted"] + SEQUENCES["refused"],
            accepted_with_journal_rows=SEQUENCES["accepted"],
            refused_without_writes=SEQUENCES["refused"],
        )
