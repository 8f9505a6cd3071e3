"""The one date parser, the one amount parser and the CPR guard, on every documented form."""

from __future__ import annotations

from datetime import date

import pytest

from portefolje.domain.amounts import format_kr, format_mio, parse_amount
from portefolje.domain.cpr import contains_cpr
from portefolje.domain.dates import format_long, parse_date
from portefolje.domain.errors import InvalidValue

BASE = date(2019, 6, 5)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2019-01-16", date(2019, 1, 16)),
        ("16/1 2019", date(2019, 1, 16)),
        ("16/1/2019", date(2019, 1, 16)),
        ("16.01.2019", date(2019, 1, 16)),
        ("16-01-2019", date(2019, 1, 16)),
        ("16. januar 2019", date(2019, 1, 16)),
        ("16 jan. 2019", date(2019, 1, 16)),
        ("3. april 2019", date(2019, 4, 3)),
        ("jan 2019", date(2019, 1, 1)),
        ("maj 2019", date(2019, 5, 1)),
        ("Q2 2019", date(2019, 4, 1)),
        ("2. kvartal 2019", date(2019, 4, 1)),
        ("today", BASE),
        ("i dag", BASE),
        ("+30d", date(2019, 7, 5)),
        ("-1w", date(2019, 5, 29)),
        ("+1m", date(2019, 7, 5)),
    ],
)
def test_dates_in_every_documented_form(text: str, expected: date) -> None:
    assert parse_date(text, base=BASE) == expected


def test_periods_end_on_their_last_day_when_asked() -> None:
    assert parse_date("Q2 2019", end=True) == date(2019, 6, 30)
    assert parse_date("feb 2020", end=True) == date(2020, 2, 29)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("30. februar 2019", "February 2019 has 28 days"),
        ("29/2 2023", "February 2023 has 28 days"),
        ("16/1 19", "four digits"),
        ("13/13 2019", "no month 13"),
        ("16. brumaire 2019", "unrecognised month"),
        ("next tuesday", "unrecognised date"),
        ("", "empty date"),
    ],
)
def test_impossible_or_unknown_dates_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(InvalidValue, match=fragment):
        parse_date(text)


def test_long_danish_and_english_dates() -> None:
    assert format_long(date(2019, 1, 16)) == "16. januar 2019"
    assert format_long("2019-05-29", "en") == "29 May 2019"


@pytest.mark.parametrize(
    "text, kroner",
    [
        ("4000000", 4_000_000),
        ("4.000.000", 4_000_000),
        ("4 000 000", 4_000_000),
        ("4 mio", 4_000_000),
        ("4,5 mio. kr.", 4_500_000),
        ("42,6 mio. kr.", 42_600_000),
        ("978 t.kr.", 978_000),
        ("978 t. kr.", 978_000),
        ("978 tkr", 978_000),
        ("-333", -333),
        ("\u2212333", -333),
        ("1.482", 1482),
        ("1.482,00 kr", 1482),
        ("500,-", 500),
        ("2 mio kr", 2_000_000),
        ("17,5 mio.", 17_500_000),
    ],
)
def test_amounts_in_every_documented_form(text: str, kroner: int) -> None:
    assert parse_amount(text) == kroner
    assert isinstance(parse_amount(text), int)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("1.5", "ambiguous"),
        ("1.5 mio", "ambiguous"),
        ("12,50", "whole kroner"),
        ("NaN", "invalid amount"),
        ("1e400000", "invalid amount"),
        ("72.1E22.2", "invalid amount"),
        ("1_000", "invalid amount"),
        ("\u0661\u0662\u0663", "invalid amount"),
        ("4,000,000", "invalid amount"),
        ("mio", "invalid amount"),
    ],
)
def test_bad_amounts_are_refused_with_a_hint(text: str, fragment: str) -> None:
    with pytest.raises(InvalidValue, match=fragment):
        parse_amount(text)


def test_amount_formats() -> None:
    assert format_kr(4_000_000) == "4.000.000 kr."
    assert format_kr(-333_000) == "-333.000 kr."
    assert format_mio(42_600_000) == "42,6 mio. kr."
    assert format_mio(43_000_000, "en") == "DKK 43.0m"


@pytest.mark.parametrize(
    "text",
    [
        "Borgeren (010203-1234) er i behandling",
        "cpr 0102031234 fremgår af sagen",
        "personnummer: 0102031234",
        "cpr 311299 1234",  # with a space, 1234 reads as a time too: the CPR word decides
        "0707614285",  # bare ten digits that pass modulus 11
    ],
)
def test_cpr_numbers_are_detected(text: str) -> None:
    assert contains_cpr(text)


@pytest.mark.parametrize(
    "text",
    [
        "1.234.567.890 kr.",
        "Ring på +45 12 34 56 78",
        "Mødet er 16-01-2019",
        "Sagsnr. 00.01.10-P20-1-17",
        "CVR 29189668",
        "EAN 5798000000001",
        "Kontonummer 1234567890",
        "300299-1234",  # 30 February is no date
    ],
)
def test_look_alikes_are_not_refused(text: str) -> None:
    assert not contains_cpr(text)
