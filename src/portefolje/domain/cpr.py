"""The CPR guard: portefolje must never hold a Danish personal identity number.

A CPR number is DDMMYY-SSSS: a birth date, and a serial whose first digit fixes the century. People
write it in many ways, so the guard first folds the text (`_fold`): Unicode NFKC (full-width and
other compatibility digits become 0-9), every decimal digit of any script becomes its ASCII digit,
every dash (U+2010-U+2015, U+2212, the non-breaking hyphen U+2011, '-') becomes '-', every space
(no-break U+00A0, figure U+2007, narrow U+202F, thin …) becomes ' ', and invisible format
characters (zero-width space, soft hyphen, bidi marks) are dropped. On the folded text:

1. **Separated forms** are refused when the six digits are a real calendar date: the date part
   as DDMMYY, DD.MM.YY, DD-MM-YY, DD/MM/YY or DD MM YY (one separator, used twice), then '-'
   (with or without a space either side), '.' or a space, then four digits. `010190-1009`,
   `010190 1009`, `01.01.90-1009`, `010190.1009`, `01-01-90 - 1009` …
2. **Date and time.** When the separator before the four digits is a space and those digits are
   a valid time of day (HHMM, 0000-2359), the text reads as well as a date and a time
   ("050619 1030"): then it is refused only when modulus 11 holds or a CPR word stands near it.
   So a date-and-time whose ten digits happen to pass modulus 11 (about 1 in 11) is refused: the
   guard errs on the side of personal data.
3. **Ten digits in a row** are refused when the date is real and either modulus 11 holds
   (numbers given before 2007) or a CPR word ("cpr", "personnummer", "personnr") stands within
   40 characters, so account and reference numbers pass.

Digits that continue with '-' or '.' and more digits on either side (a case number such as
27.03.08-1234-19, a reference 1551-0101901009) are part of a longer number, not a CPR number.
Amounts with thousands dots, phone numbers, dates and case numbers never form these patterns.

Messages never echo the digits: `guard` names the field only, and `mask` blanks every digit of
what the guard would refuse, for the CLI to apply to any message that quotes user input.
"""

from __future__ import annotations

import calendar
import re
import unicodedata

from portefolje.domain.errors import PersonalData

_DATE = r"(?P<d>[0-9]{2})(?P<s1>[-./ ]?)(?P<m>[0-9]{2})(?P=s1)(?P<y>[0-9]{2})"
# digits continuing with '-'/'.' and more digits belong to a longer number (a case number)
_BEFORE = r"(?<![0-9])(?<![0-9][-.])"
_AFTER = r"(?![0-9])(?![-.][0-9])"
_SEPARATED = re.compile(
    rf"{_BEFORE}{_DATE}(?P<s2> ?- ?|[. ])(?P<serial>[0-9]{{4}}){_AFTER}", re.ASCII
)
_BARE = re.compile(rf"{_BEFORE}(?P<six>[0-9]{{6}})(?P<serial>[0-9]{{4}}){_AFTER}", re.ASCII)
_KEYWORD = re.compile(r"cpr|personnummer|personnr|person-nr", re.IGNORECASE)
_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
# ten digits with at most a few characters between each: every form above, in any script. Most
# text fails this one search in C, and never reaches the slower fold below.
_TEN_DIGITS = re.compile(r"\d(?:\D{0,4}\d){9}")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d")


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


def _is_time(serial: str) -> bool:
    return int(serial[:2]) <= 23 and int(serial[2:]) <= 59


_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")


def _fold(text: str, *, origins: bool = False, escapes: bool = False) -> tuple[str, list[int]]:
    """The text as the patterns read it, and (with `origins`) for each of its characters the
    index of the original character it came from, so that a match can be masked. With
    `escapes`, a Python escape (\\xa0, \\u2011, as repr() writes a no-break space or a
    hyphen in a message) is read as the character it stands for."""
    if text.isascii() and not (escapes and "\\" in text):
        return text, list(range(len(text))) if origins else []
    out: list[str] = []
    origin: list[int] = []
    index = 0
    while index < len(text):
        ch = text[index]
        start = index
        index += 1
        if escapes and ch == "\\":
            found = _ESCAPE.match(text, start)
            if found:
                code = int(found[1] or found[2] or found[3], 16)
                if code <= 0x10FFFF:
                    ch = chr(code)
                    index = found.end()
        if ch < "\x80":
            out.append(ch)
            origin.append(start)
            continue
        category = unicodedata.category(ch)
        if category == "Cf":  # zero-width space, soft hyphen, word joiner, bidi marks
            continue
        if category == "Nd":  # a decimal digit of any script
            out.append(str(unicodedata.decimal(ch)))
            origin.append(start)
            continue
        for folded in unicodedata.normalize("NFKC", ch):
            if folded in _DASHES:
                folded = "-"
            elif folded.isspace():
                folded = " "
            elif unicodedata.category(folded) == "Nd":
                folded = str(unicodedata.decimal(folded))
            out.append(folded)
            origin.append(start)
    return "".join(out), origin


def _near_keyword(text: str, start: int, end: int) -> bool:
    return _KEYWORD.search(text, max(0, start - 40), end + 40) is not None


def _spans(folded: str) -> list[tuple[int, int]]:
    """Where in the folded text the guard finds CPR numbers."""
    found = []
    for m in _SEPARATED.finditer(folded):
        six, serial = m["d"] + m["m"] + m["y"], m["serial"]
        if not is_cpr_date(six, serial):
            continue
        # as well a date and a time ("050619 1030"): only with modulus 11 or a CPR word
        as_time = m["s2"] == " " and _is_time(serial)
        if as_time and not (modulus11(six + serial) or _near_keyword(folded, m.start(), m.end())):
            continue
        found.append(m.span())
    for m in _BARE.finditer(folded):
        if not is_cpr_date(m["six"], m["serial"]):
            continue
        if modulus11(m["six"] + m["serial"]) or _near_keyword(folded, m.start(), m.end()):
            found.append(m.span())
    return found


def contains_cpr(text: str) -> bool:
    """True when `text` holds something that must be treated as a CPR number."""
    if not _TEN_DIGITS.search(text):
        return False
    return bool(_spans(_fold(text)[0]))


def mask(text: str) -> str:
    """`text` with every digit of what the guard would refuse replaced by 'X', for messages
    that quote user input (an unknown reference, a bad date, a file name)."""
    if not _TEN_DIGITS.search(text) and "\\" not in text:
        return text
    folded, origin = _fold(text, origins=True, escapes=True)
    spans = _spans(folded)
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        first, last = origin[start], origin[end - 1]
        for index in range(first, last + 1):
            if chars[index].isdecimal() and not _inside_escape(text, index):
                chars[index] = "X"
    return "".join(chars)


def _inside_escape(text: str, index: int) -> bool:
    """Whether the digit at `index` is part of an escape such as \\xa0 (kept as it is)."""
    for back in range(1, 10):
        start = index - back
        if start < 0:
            return False
        if text[start] == "\\":
            found = _ESCAPE.match(text, start)
            return found is not None and found.end() > index
    return False


def guard(field: str, value: object) -> None:
    """Refuse a text value that holds a CPR number, naming the field but not the digits."""
    if isinstance(value, str) and contains_cpr(value):
        from portefolje.i18n import msg

        raise PersonalData(msg("err.cpr", field=field))
