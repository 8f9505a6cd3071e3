"""The one date parser, the one amount parser and the CPR guard, on every documented form."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portefolje.domain.amounts import format_kr, format_mio, parse_amount
from portefolje.domain.cpr import contains_cpr
from portefolje.domain.dates import (
    MONTHS_DA,
    format_long,
    parse_date,
    parse_day,
    parse_deadline,
    parse_start,
)
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


@pytest.mark.parametrize(
    "text, start, deadline",
    [
        ("juni 2020", date(2020, 6, 1), date(2020, 6, 30)),
        ("feb 2020", date(2020, 2, 1), date(2020, 2, 29)),
        ("Q4 2019", date(2019, 10, 1), date(2019, 12, 31)),
        ("1. halvår 2019", date(2019, 1, 1), date(2019, 6, 30)),
        ("2. halvår 2019", date(2019, 7, 1), date(2019, 12, 31)),
        ("2 halvår 2019", date(2019, 7, 1), date(2019, 12, 31)),
        ("H1 2020", date(2020, 1, 1), date(2020, 6, 30)),
        ("primo juni 2020", date(2020, 6, 1), date(2020, 6, 1)),
        ("medio juni 2020", date(2020, 6, 15), date(2020, 6, 15)),
        ("ultimo juni 2020", date(2020, 6, 30), date(2020, 6, 30)),
        ("Ultimo februar 2020", date(2020, 2, 29), date(2020, 2, 29)),
        ("ult. feb. 2019", date(2019, 2, 28), date(2019, 2, 28)),
        ("primo 2021", date(2021, 1, 1), date(2021, 1, 1)),
        ("medio 2019", date(2019, 7, 1), date(2019, 6, 30)),
        ("ultimo 2020", date(2020, 12, 31), date(2020, 12, 31)),
        ("16/1 2019", date(2019, 1, 16), date(2019, 1, 16)),
    ],
)
def test_periods_as_start_and_as_deadline(text: str, start: date, deadline: date) -> None:
    assert parse_start(text) == start
    assert parse_deadline(text) == deadline
    assert parse_date(text) == start and parse_date(text, end=True) == deadline


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("juni 2020", "is a month, not a day"),
        ("Q2 2019", "is a quarter, not a day"),
        ("1. halvår 2019", "is a half-year, not a day"),
        ("ultimo juni 2020", "not a day"),
        ("medio 2019", "is mid-year, not a day"),
    ],
)
def test_a_meeting_is_on_a_day(text: str, fragment: str) -> None:
    with pytest.raises(InvalidValue, match=fragment):
        parse_day(text)
    assert parse_day("19/6 2019") == date(2019, 6, 19)
    assert parse_day("+7d", base=BASE) == date(2019, 6, 12)


@pytest.mark.parametrize(
    "text",
    [
        "+9999y",
        "-9999y",
        "+999999d",
        "+99999w",
        "+120000m",
        "9999-12-31",
        "1/1 1899",
        "3. halvår 2019",
    ],
)
def test_out_of_range_dates_are_one_clear_refusal(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_date(text, base=BASE)


DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))


@given(DAYS)
def test_every_day_reads_back_in_every_written_form(day: date) -> None:
    forms = [
        day.isoformat(),
        f"{day.day}/{day.month} {day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}",
        f"{day.day}. {MONTHS_DA[day.month - 1].upper()} {day.year}",
    ]
    for text in forms:
        assert parse_day(text) == parse_start(text) == parse_deadline(text) == day, text


@given(st.integers(1900, 2999), st.integers(1, 12))
def test_a_month_starts_on_its_first_and_ends_on_its_last_day(year: int, month: int) -> None:
    text = f"{MONTHS_DA[month - 1]} {year}"
    first, last = parse_start(text), parse_deadline(text)
    assert first == date(year, month, 1)
    assert last.month == month and (last + timedelta(days=1)).month != month
    assert last.day == calendar.monthrange(year, month)[1]
    assert parse_date(f"primo {text}") == first and parse_date(f"ultimo {text}") == last
    assert first < parse_date(f"medio {text}") < last


@given(st.integers(1900, 2999))
def test_the_halves_and_quarters_tile_the_year(year: int) -> None:
    pieces = [
        (f"1. halvår {year}", f"2. halvår {year}"),
        tuple(f"Q{q} {year}" for q in range(1, 5)),
    ]
    for parts in pieces:
        assert parse_start(parts[0]) == parse_date(f"primo {year}") == date(year, 1, 1)
        assert parse_deadline(parts[-1]) == parse_date(f"ultimo {year}") == date(year, 12, 31)
        for before, after in zip(parts, parts[1:], strict=False):
            assert parse_deadline(before) + timedelta(days=1) == parse_start(after)
    assert parse_deadline(f"medio {year}") == parse_deadline(f"1. halvår {year}")
    assert parse_start(f"medio {year}") == parse_start(f"2. halvår {year}")


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_one_refusal(text: str) -> None:
    for parse in (parse_start, parse_deadline, parse_day):
        try:
            parse(text, base=BASE)
        except InvalidValue as exc:
            assert "\n" not in str(exc)


@given(st.sampled_from("+-"), st.integers(0, 999_999), st.sampled_from("dwmy"))
def test_relative_dates_never_crash(sign: str, n: int, unit: str) -> None:
    try:
        moved = parse_date(f"{sign}{n}{unit}", base=BASE)
    except InvalidValue as exc:
        assert "dates run from 1900 to 2999" in str(exc)
    else:
        assert 1900 <= moved.year <= 2999


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
