"""Money as Danish documents write it, stored as whole kroner (int), never floats.

Accepted (product.md): 4000000, 4.000.000, 4 000 000, 4 mio, 4,5 mio. kr., 42,6 mio. kr., 978 t.kr.,
978 tkr, -333, 1.482,00 kr, 500,- . A dot groups thousands (exactly three digits after it) and a
comma is the decimal mark, so "1.5" is ambiguous and refused with a hint. Øre are refused: the
register counts whole kroner.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from portefolje.domain.errors import InvalidValue
from portefolje.i18n import msg

# number, optional unit, optional currency: "4,5 mio. kr.", "978 t. kr.", "978 tkr", "500 kr"
_SHAPE = re.compile(
    r"(?P<number>.*?)\s*"
    r"(?P<unit>mia\.?|milliard(?:er)?|mio\.?|million(?:er)?|t\.\s*kr\.?|tkr\.?|tusind)?\s*"
    r"(?:kr\.?|dkk)?",
)
_FACTORS = {"mia": 10**9, "mil": 10**6, "mio": 10**6, "t": 1000, "tkr": 1000, "tus": 1000}
_NUMBER = re.compile(r"[0-9]+(?:[. ][0-9]+)*(?:,[0-9]*)?", re.ASCII)
_PLAIN = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{3})+|-?[0-9]+", re.ASCII)
_MINUS = "-\u2212\u2013"  # hyphen-minus, the minus sign and an en dash, as Word/Excel write them


LIMIT = 10**12  # a million million kroner: above any budget; sums of millions of lines stay
# within SQLite's 64-bit integers


def parse_amount(value: str | int | float) -> int:
    """Parse an amount into whole kroner; raise InvalidValue with a hint when it is not one.
    Every source goes through here (options, sheet cells, JSON numbers): the cap holds for all."""
    if isinstance(value, bool):
        raise InvalidValue(msg("err.amount_invalid", value=value, hint=msg("err.amount_hint")))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
            raise InvalidValue(msg("err.amount_not_whole", value=value))
        value = int(value)
    if isinstance(value, int):
        if abs(value) > LIMIT:
            raise InvalidValue(msg("err.amount_too_large", value=repr(value)))
        return value
    text = str(value)
    if _PLAIN.fullmatch(text) and len(text) < 20:  # fast path: 4000000, -333, 1.234.000
        fast = int(text.replace(".", ""))
        if abs(fast) <= LIMIT:
            return fast
    s = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").strip().lower().split())
    if not s:
        raise InvalidValue(msg("err.amount_empty", hint=msg("err.amount_hint")))
    sign = 1
    if s[0] in _MINUS or s[0] == "+":
        sign = -1 if s[0] in _MINUS else 1
        s = s[1:].lstrip()
    for suffix in (",-", ",–"):
        if s.endswith(suffix):
            s = s[: -len(suffix)].rstrip()
    shape = _SHAPE.fullmatch(s)
    assert shape is not None  # every string matches: all parts are optional
    s = shape["number"]
    unit = shape["unit"] or ""
    multiplier = 1
    if unit:
        key = "tkr" if unit.startswith("tkr") else unit[:3].rstrip(".")
        multiplier = _FACTORS[key if key in _FACTORS else unit[0]]
    if not _NUMBER.fullmatch(s):
        raise InvalidValue(
            msg("err.amount_invalid", value=text.strip(), hint=msg("err.amount_hint"))
        )
    whole, _, decimals = s.partition(",")
    groups = re.split(r"[. ]", whole)
    if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
        raise InvalidValue(msg("err.amount_ambiguous", value=text.strip()))
    try:
        number = Decimal("".join(groups) + ("." + decimals if decimals else ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise InvalidValue(
            msg("err.amount_invalid", value=text.strip(), hint=msg("err.amount_hint"))
        ) from exc
    kroner = number * multiplier
    if kroner != kroner.to_integral_value():
        raise InvalidValue(msg("err.amount_ore", value=text.strip()))
    result = sign * int(kroner)
    if abs(result) > LIMIT:
        raise InvalidValue(msg("err.amount_too_large", value=repr(text.strip())))
    return result


def format_kr(amount: int | None, lang: str = "da") -> str:
    """'4.000.000 kr.' (da) or 'DKK 4,000,000' (en); '' for none."""
    if amount is None:
        return ""
    grouped = f"{abs(amount):,}"
    sign = "-" if amount < 0 else ""
    if lang == "en":
        return f"{sign}DKK {grouped}"
    return f"{sign}{grouped.replace(',', '.')} kr."


def format_number(amount: int | None, lang: str = "da") -> str:
    """'4.000.000' (da) or '4,000,000' (en), for table columns headed with the unit."""
    if amount is None:
        return ""
    grouped = f"{abs(amount):,}"
    sign = "-" if amount < 0 else ""
    return sign + (grouped if lang == "en" else grouped.replace(",", "."))


def format_mio(amount: int | None, lang: str = "da") -> str:
    """'4,0 mio. kr.' (da) or 'DKK 4.0m' (en): one decimal, rounded half away from zero."""
    if amount is None:
        return ""
    tenths = (abs(amount) + 50_000) // 100_000
    sign = "-" if amount < 0 and tenths else ""
    whole = format_number(tenths // 10, lang)
    if lang == "en":
        return f"{sign}DKK {whole}.{tenths % 10}m"
    return f"{sign}{whole},{tenths % 10} mio. kr."


def format_short(amount: int | None, lang: str = "da") -> str:
    """An amount in a unit that shows it: below a million in kroner ('777 kr.', '978.000 kr.'),
    from a million in millions with one decimal ('4,5 mio. kr.')."""
    if amount is None:
        return ""
    if abs(amount) < 1_000_000:
        return format_kr(amount, lang)
    return format_mio(amount, lang)
