"""Dates as secretariat staff type them, and as Danish reports print them.

One parser for the whole tool: CLI options, spreadsheet cells and import documents all go
through here. Accepted forms (product.md, and what the seeds write):

    2019-01-16   16/1 2019   16/1/2019   16-01-2019   16.01.2019   16. januar 2019   16 jan. 2019
    today / i dag   +30d  -2w  +3m  +1y           relative to today in Europe/Copenhagen
    juni 2020 / jun 2020                          a month
    Q2 2019 / 2. kvartal 2019                     a quarter
    1. halvår 2019 / 2. halvår 2019 / H1 2019     a half-year
    primo / medio / ultimo juni 2020              the 1st / the 15th / the last day of the month
    primo / medio / ultimo 2021                   1 January / mid-year (below) / 31 December

**A period means its first day as a start and its last day as a deadline or end.** "juni 2020"
typed as a milestone's due date means 30 June (the milestone is not overdue all June), typed as
a project's start or a report's --from it means 1 June. Callers say which they mean:

- `parse_start(text)`: periods give their first day (starts, --from, --since, as-of dates);
- `parse_deadline(text)`: periods give their last day (due dates, ends, --to);
- `parse_day(text)`: only a day; a period (month, quarter, half-year, primo/medio/ultimo) is
  refused with one line (a committee meeting is on a day);
- `parse_date(text, end=...)` is the general form behind all three.

primo/medio/ultimo name a day, not a period: "primo juni 2020" is 1 June and "ultimo juni 2020"
30 June whether it is a start or a deadline, "medio juni 2020" the 15th. "primo 2021" is
1 January and "ultimo 2020" 31 December. "medio 2019" is the turn of the half-years: 1 July as
a start, 30 June as a deadline (so a deadline "medio 2019" never falls in the second half-year).
The half-years are 1 January–30 June and 1 July–31 December.

Dates run from 1900 to 2999; anything else (two-digit years, US order, `+9999y`) is refused
rather than guessed, always as one InvalidValue line.
"""

from __future__ import annotations

import calendar
import functools
import os
import re
from datetime import UTC, date, datetime, timedelta

from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg

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

FIRST_YEAR, LAST_YEAR = 1900, 2999

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*(?:[./-]|\s)\s*(\d{2,4})")
_NAMED_DAY = re.compile(r"(\d{1,2})\.?\s*([a-zæøå]+)\.?\s+(\d{2,4})")
_NAMED_MONTH = re.compile(r"([a-zæøå]+)\.?\s+(\d{4})")
_QUARTER = re.compile(r"(?:q([1-4])|([1-4])\.?\s*kvartal)\s+(\d{4})")
_HALF = re.compile(r"(?:h([12])|([12])\.?\s*halvår)\s+(\d{4})")
_POSITION = re.compile(r"(primo|medio|ultimo|ult\.?)\s+(?:([a-zæøå]+)\.?\s+)?(\d{4})")
_RELATIVE = re.compile(r"([+-])\s*(\d{1,6})\s*([dwmy])")


def today() -> date:
    """Today's date in Copenhagen (cron often runs in UTC); PORTEFOLJE_TODAY overrides it."""
    fixed = os.environ.get("PORTEFOLJE_TODAY")
    if fixed:
        return date.fromisoformat(fixed)
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Copenhagen")).date()


ZONE = "Europe/Copenhagen"


def local_time(stamp: str) -> str:
    """A stored UTC time ('2019-06-05T08:30:00.123456Z') as Copenhagen's wall-clock time,
    '2019-06-05 10:30:00': the journal stores UTC, people read the time on their own clock."""
    from zoneinfo import ZoneInfo

    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M:%S")


def local_midnight_utc(day: date) -> str:
    """The UTC time at which `day` begins in Copenhagen, as the journal writes times
    ('2019-06-04T22:00:00'): `history --since` counts Copenhagen days."""
    from zoneinfo import ZoneInfo

    start = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(ZONE))
    return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _out_of_range(text: str) -> InvalidValue:
    return InvalidValue(msg("err.date_range", text=text, first=FIRST_YEAR, last=LAST_YEAR))


def _make(year: int, month: int, day: int, text: str) -> date:
    if year < 100:
        raise InvalidValue(msg("err.date_two_digit_year", text=text, hint=msg("err.date_hint")))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _out_of_range(text)
    if not 1 <= month <= 12:
        raise InvalidValue(msg("err.date_no_month", text=text, month=month))
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise InvalidValue(
            msg("err.date_no_day", text=text, month=msg(f"month.{month}"), year=year, last=last)
        )
    return date(year, month, day)


def _month_number(name: str, text: str) -> int:
    number = _MONTH_NAMES.get(name)
    if number is None:
        raise InvalidValue(
            msg("err.date_month_name", name=name, text=text, hint=msg("err.date_hint"))
        )
    return number


def add_months(start: date, months: int) -> date:
    """`start` moved by whole months, clamped to the month's last day (31/1 + 1 month = 28/2)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise InvalidValue(msg("err.date_moved_out", date=start.isoformat(), months=months))
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _period(text: str, s: str, end: bool) -> tuple[date, str] | None:
    """A period (or a day named by its place in a period): its date for `end`, and its kind."""
    if m := _QUARTER.fullmatch(s):
        quarter, year = int(m[1] or m[2]), int(m[3])
        first = 3 * quarter - 2
        if end:
            return _make(year, first + 2, _last_day(year, first + 2), text), "period.quarter"
        return _make(year, first, 1, text), "period.quarter"
    if m := _HALF.fullmatch(s):
        half, year = int(m[1] or m[2]), int(m[3])
        if end:
            return _make(year, 6 * half, 30 if half == 1 else 31, text), "period.half_year"
        return _make(year, 6 * half - 5, 1, text), "period.half_year"
    if m := _POSITION.fullmatch(s):
        where, year = m[1].rstrip("."), int(m[3])
        if m[2] is not None:
            month = _month_number(m[2], text)
            day = {"primo": 1, "medio": 15}.get(where, 0) or _last_day(year, month)
            named = "ultimo" if where == "ult" else where
            return _make(year, month, day, text), f"period.{named}_month"
        if where == "primo":
            return _make(year, 1, 1, text), "period.primo_year"
        if where == "medio":
            return _make(year, 6, 30, text) if end else _make(year, 7, 1, text), "period.medio_year"
        return _make(year, 12, 31, text), "period.ultimo_year"
    if m := _NAMED_MONTH.fullmatch(s):
        month, year = _month_number(m[1], text), int(m[2])
        return _make(year, month, _last_day(year, month) if end else 1, text), "period.month"
    return None


def _relative(m: re.Match[str], text: str, base: date | None) -> date:
    n = (1 if m[1] == "+" else -1) * int(m[2])
    start = base or today()
    try:
        if m[3] == "d":
            moved = start + timedelta(days=n)
        elif m[3] == "w":
            moved = start + timedelta(weeks=n)
        else:
            moved = add_months(start, n if m[3] == "m" else 12 * n)
    except (OverflowError, InvalidValue):
        raise _out_of_range(text) from None
    if not FIRST_YEAR <= moved.year <= LAST_YEAR:
        raise _out_of_range(text)
    return moved


def _parse(value: str | date, end: bool, base: date | None) -> tuple[date, str | None]:
    """The date, and what kind of period it came from (a catalogue key; None for a day)."""
    if isinstance(value, date):
        return value, None
    text = str(value)
    s = " ".join(text.strip().lower().split())
    if not s:
        raise InvalidValue(msg("err.date_empty", hint=msg("err.date_hint")))
    if s in ("today", "i dag", "idag"):
        return base or today(), None
    if m := _RELATIVE.fullmatch(s):
        return _relative(m, text, base), None
    if m := _ISO.fullmatch(s):
        return _make(int(m[1]), int(m[2]), int(m[3]), text), None
    if m := _NUMERIC.fullmatch(s):
        return _make(int(m[3]), int(m[2]), int(m[1]), text), None
    found = _period(text, s, end)  # before named days: "2. kvartal 2019" is no 2nd of a month
    if found is not None:
        return found
    if m := _NAMED_DAY.fullmatch(s):
        return _make(int(m[3]), _month_number(m[2], text), int(m[1]), text), None
    raise InvalidValue(msg("err.date_unrecognised", text=text, hint=msg("err.date_hint")))


def parse_date(value: str | date, *, end: bool = False, base: date | None = None) -> date:
    """Parse a date typed the Danish or ISO way (see the module docstring).

    A period stands for its first day, or its last when `end` is true. Relative forms count
    from `base`, default today.
    """
    return _parse(value, end, base)[0]


def parse_start(value: str | date, *, base: date | None = None) -> date:
    """A start (project start, --from, --since): a period means its first day."""
    return _parse(value, False, base)[0]


def parse_deadline(value: str | date, *, base: date | None = None) -> date:
    """A deadline or end (due date, project end, --to): a period means its last day, so
    "juni 2020" is 30 June 2020."""
    return _parse(value, True, base)[0]


def parse_day(value: str | date, *, base: date | None = None) -> date:
    """A day and nothing vaguer (a committee meeting): a month, quarter, half-year or
    primo/medio/ultimo is refused with one line."""
    day, period = _parse(value, False, base)
    if period is not None:
        raise InvalidValue(msg("err.not_a_day", text=str(value).strip(), period=msg(period)))
    return day


def parse_optional_date(value: str | None, **kwargs: object) -> date | None:
    """`parse_date` for an option that may be left out."""
    if value is None or str(value).strip() == "":
        return None
    return parse_date(value, **kwargs)  # type: ignore[arg-type]


def parse_year(value: str | int) -> int:
    """A budget year: four digits, 1990-2100."""
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{4}", text) or not 1990 <= int(text) <= 2100:
        raise InvalidValue(msg("err.invalid_year", text=text))
    return int(text)


def format_long(d: date | str | None, lang: str = "da") -> str:
    """'16. januar 2019' (da) or '16 January 2019' (en); '' for no date."""
    if d is None or d == "":
        return ""
    return _format_long(d if isinstance(d, str) else d.isoformat(), lang)


@functools.lru_cache(maxsize=8192)
def _format_long(iso: str, lang: str) -> str:
    """Memoised: a large report prints the same few thousand dates tens of thousands of times."""
    import pendulum  # lazy: only reports print long dates

    d = date.fromisoformat(iso)
    day = pendulum.date(d.year, d.month, d.day)
    return (
        day.format("D MMMM YYYY", locale="en")
        if lang == "en"
        else day.format("D. MMMM YYYY", locale="da")
    )
