"""Dates as secretariat staff type them, and as Danish reports print them.

One parser for the whole tool: CLI options, spreadsheet cells and import documents all go
through `parse_date`. Accepted forms (product.md):

    2019-01-16   16/1 2019   16/1/2019   16-01-2019   16.01.2019   16. januar 2019   16 jan. 2019
    jan 2019 / januar 2019          (a month: its first day, or its last with end=True)
    Q2 2019 / 2. kvartal 2019       (a quarter: first day, or last with end=True)
    today / i dag   +30d  -2w  +3m  +1y   (relative to today in Europe/Copenhagen)

Two-digit years and US order are refused rather than guessed.
"""

from __future__ import annotations

import calendar
import os
import re
from datetime import date, datetime, timedelta

from portefolje.domain.errors import InvalidValue

MONTHS_DA = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]

# Every spelling a month may have, mapped to its number: full Danish and English names and the
# three-letter abbreviations with or without a dot ("jan", "jan.", "okt", "oct").
_MONTH_NAMES: dict[str, int] = {}
for _i, (_da, _en) in enumerate(zip(MONTHS_DA, MONTHS_EN, strict=True), start=1):
    for _name in (_da, _en, _da[:3], _en[:3]):
        _MONTH_NAMES[_name] = _i
_MONTH_NAMES["sept"] = 9

HINT = "use 2019-01-16, 16/1 2019, 16.01.2019, 16. januar 2019, jan 2019, Q2 2019, today or +30d"

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*(?:[./-]|\s)\s*(\d{2,4})")
_NAMED_DAY = re.compile(r"(\d{1,2})\.?\s*([a-zæøå]+)\.?\s+(\d{2,4})")
_NAMED_MONTH = re.compile(r"([a-zæøå]+)\.?\s+(\d{4})")
_QUARTER = re.compile(r"(?:q([1-4])|([1-4])\.?\s*kvartal)\s+(\d{4})")
_RELATIVE = re.compile(r"([+-])\s*(\d{1,4})\s*([dwmy])")


def today() -> date:
    """Today's date in Copenhagen (cron often runs in UTC); PORTEFOLJE_TODAY overrides it."""
    fixed = os.environ.get("PORTEFOLJE_TODAY")
    if fixed:
        return date.fromisoformat(fixed)
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Copenhagen")).date()


def _make(year: int, month: int, day: int, text: str) -> date:
    if year < 100:
        raise InvalidValue(f"invalid date {text!r}: write the year with four digits ({HINT})")
    if not 1 <= month <= 12:
        raise InvalidValue(f"invalid date {text!r}: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise InvalidValue(
            f"invalid date {text!r}: {MONTHS_EN[month - 1].capitalize()} {year} has {last} days"
        )
    return date(year, month, day)


def _month_number(name: str, text: str) -> int:
    number = _MONTH_NAMES.get(name)
    if number is None:
        raise InvalidValue(f"unrecognised month {name!r} in {text!r} ({HINT})")
    return number


def add_months(start: date, months: int) -> date:
    """`start` moved by whole months, clamped to the month's last day (31/1 + 1 month = 28/2)."""
    import pendulum  # lazy: only relative dates and follow-ups need calendar arithmetic

    moved = pendulum.date(start.year, start.month, start.day).add(months=months)
    return date(moved.year, moved.month, moved.day)


def parse_date(value: str | date, *, end: bool = False, base: date | None = None) -> date:
    """Parse a date typed the Danish or ISO way.

    A month or quarter stands for its first day, or its last when `end` is true (for --to).
    Relative forms count from `base`, default today.
    """
    if isinstance(value, date):
        return value
    text = str(value)
    s = " ".join(text.strip().lower().split())
    if not s:
        raise InvalidValue(f"empty date ({HINT})")
    if s in ("today", "i dag", "idag"):
        return base or today()
    if m := _RELATIVE.fullmatch(s):
        sign = 1 if m[1] == "+" else -1
        n = sign * int(m[2])
        start = base or today()
        if m[3] == "d":
            return start + timedelta(days=n)
        if m[3] == "w":
            return start + timedelta(weeks=n)
        return add_months(start, n if m[3] == "m" else 12 * n)
    if m := _ISO.fullmatch(s):
        return _make(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _NUMERIC.fullmatch(s):
        return _make(int(m[3]), int(m[2]), int(m[1]), text)
    if m := _QUARTER.fullmatch(s):
        quarter = int(m[1] or m[2])
        year = int(m[3])
        first_month = 3 * quarter - 2
        if end:
            return _make(year, first_month + 2, calendar.monthrange(year, first_month + 2)[1], text)
        return _make(year, first_month, 1, text)
    if m := _NAMED_DAY.fullmatch(s):
        return _make(int(m[3]), _month_number(m[2], text), int(m[1]), text)
    if m := _NAMED_MONTH.fullmatch(s):
        month = _month_number(m[1], text)
        year = int(m[2])
        return _make(year, month, calendar.monthrange(year, month)[1] if end else 1, text)
    raise InvalidValue(f"unrecognised date {text!r}: {HINT}")


def parse_optional_date(value: str | None, **kwargs: object) -> date | None:
    """`parse_date` for an option that may be left out."""
    if value is None or str(value).strip() == "":
        return None
    return parse_date(value, **kwargs)  # type: ignore[arg-type]


def parse_year(value: str | int) -> int:
    """A budget year: four digits, 1990-2100."""
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{4}", text) or not 1990 <= int(text) <= 2100:
        raise InvalidValue(f"invalid year {text!r}: write a four-digit year such as 2019")
    return int(text)


def format_long(d: date | str | None, lang: str = "da") -> str:
    """'16. januar 2019' (da) or '16 January 2019' (en); '' for no date."""
    if d is None or d == "":
        return ""
    import pendulum  # lazy: only reports print long dates

    if isinstance(d, str):
        d = date.fromisoformat(d)
    day = pendulum.date(d.year, d.month, d.day)
    return (
        day.format("D MMMM YYYY", locale="en")
        if lang == "en"
        else day.format("D. MMMM YYYY", locale="da")
    )
