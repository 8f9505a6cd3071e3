"""The CPR guard: portefolje must never hold a Danish personal identity number.

A CPR number is DDMMYY-SSSS. Written with a dash or a space it is refused whenever the first six
digits are a real calendar date (the seventh digit fixes the century). A bare run of ten digits is
refused only when the date is real and either modulus 11 holds (numbers before 2007) or the words
"cpr"/"personnummer" stand near it, so that account and reference numbers pass. Amounts with
thousands dots, phone numbers, dates and case numbers never form such runs.

Messages never echo the digits: the point is not to spread them into terminals, logs or journals.
"""

from __future__ import annotations

import calendar
import re

from portefolje.domain.errors import PersonalData

_SEPARATED = re.compile(r"(?<![0-9])([0-9]{6})[-\u2013 ]([0-9]{4})(?![0-9])", re.ASCII)
_BARE = re.compile(r"(?<![0-9])([0-9]{6})([0-9]{4})(?![0-9])", re.ASCII)
_KEYWORD = re.compile(r"cpr|personnummer|personnr|person-nr", re.IGNORECASE)
_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def _century(yy: int, seventh: int) -> int:
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def is_cpr_date(six: str, serial: str) -> bool:
    """True when DDMMYY with the serial's century digit is a real calendar date."""
    day, month, yy = int(six[:2]), int(six[2:4]), int(six[4:6])
    if not 1 <= month <= 12 or day < 1:
        return False
    year = _century(yy, int(serial[0])) + yy
    return day <= calendar.monthrange(year, month)[1]


def modulus11(digits: str) -> bool:
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0


def contains_cpr(text: str) -> bool:
    """True when `text` holds something that must be treated as a CPR number."""
    for m in _SEPARATED.finditer(text):
        if is_cpr_date(m[1], m[2]):
            return True
    for m in _BARE.finditer(text):
        if not is_cpr_date(m[1], m[2]):
            continue
        if modulus11(m[1] + m[2]):
            return True
        nearby = text[max(0, m.start() - 40) : m.end() + 40]
        if _KEYWORD.search(nearby):
            return True
    return False


_SIX_DIGITS = re.compile(r"[0-9]{6}", re.ASCII)


def guard(field: str, value: object) -> None:
    """Refuse a text value that holds a CPR number, naming the field but not the digits."""
    # every CPR form starts with six digits in a row: most text is cleared by this one search
    if isinstance(value, str) and _SIX_DIGITS.search(value) and contains_cpr(value):
        raise PersonalData(
            f"refused: {field} contains what looks like a CPR number; portefolje must not hold "
            "personal data, so remove it and describe the citizen without identifying them"
        )
