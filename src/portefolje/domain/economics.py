"""The economics rules: distribution keys, price conversion, expanding figures over years, and
payback time. Pure functions on integers (kroner) and exact fractions; no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from portefolje.domain.errors import InvalidValue
from portefolje.i18n import decimal as decimal_text
from portefolje.i18n import msg, number

AREAS = ("service", "overforsler", "indsats", "anlaeg")
AREA_ALIASES = {
    "overførsler": "overforsler",
    "overforsler": "overforsler",
    "efterspørgselsstyret": "indsats",
    "efterspørgselsstyret indsats": "indsats",
    "efterspoergselsstyret": "indsats",
    "indsats": "indsats",
    "anlæg": "anlaeg",
    "anlaeg": "anlaeg",
    "service": "service",
    "serviceudgifter": "service",
}
STAGES = ("estimated", "documented", "budgeted")


def area(value: str | None) -> str | None:
    if value is None:
        return None
    found = AREA_ALIASES.get(value.strip().lower())
    if found is None:
        raise InvalidValue(msg("err.invalid_area", value=value))
    return found


def parse_share(text: str) -> Fraction:
    """'1/3', '50%', '33,5 %', '0,25' -> an exact fraction in (0, 1]."""
    s = text.strip().replace(" ", "")
    try:
        if m := re.fullmatch(r"([0-9]+)/([0-9]+)", s, re.ASCII):
            share = Fraction(int(m[1]), int(m[2]))
        elif m := re.fullmatch(r"([0-9]+(?:[,.][0-9]+)?)%", s, re.ASCII):
            share = Fraction(Decimal(m[1].replace(",", "."))) / 100
        elif re.fullmatch(r"[0-9]+(?:[,.][0-9]+)?", s, re.ASCII):
            share = Fraction(Decimal(s.replace(",", ".")))
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        raise InvalidValue(msg("err.invalid_share", text=text)) from None
    if not 0 < share <= 1:
        raise InvalidValue(msg("err.share_range", text=text))
    return share


def parse_key(items: Iterable[str]) -> list[tuple[str, Fraction]]:
    """['SF=1/3', 'BA=1/3', 'SPO=1/3'] -> [(department, share)], refused unless they sum to 1."""
    key: list[tuple[str, Fraction]] = []
    for item in items:
        department, sep, share = item.partition("=")
        if not sep or not department.strip():
            raise InvalidValue(msg("err.invalid_key", item=item))
        key.append((department.strip(), parse_share(share)))
    if key:
        names = [d.lower() for d, _ in key]
        if len(set(names)) != len(names):
            raise InvalidValue(msg("err.key_twice"))
        total = sum((s for _, s in key), Fraction(0))
        if total != 1:
            raise InvalidValue(msg("err.key_sum", total=_show(total)))
    return key


def _show(share: Fraction) -> str:
    return decimal_text(float(share * 100), 2) + " %"


def split(amount: int, shares: list[Fraction]) -> list[int]:
    """Split whole kroner by shares so that the parts sum exactly to `amount` (largest remainder;
    ties go to the earlier share)."""
    exact = [amount * s for s in shares]
    parts = [int(x // 1) for x in exact]  # floor, also for negative amounts
    left = amount - sum(parts)
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def convert(
    amount: int, from_level: int | None, to_level: int | None, index: Mapping[int, float], what: str
) -> int:
    """An amount moved from one price level to another with the price and wage index."""
    if to_level is None or from_level == to_level:
        return amount
    if from_level is None:
        raise InvalidValue(msg("err.no_price_level", what=what, level=to_level))
    missing = [y for y in (from_level, to_level) if y not in index]
    if missing:
        raise InvalidValue(
            msg("err.no_index", years=", ".join(map(str, missing)), first=missing[0])
        )
    value = Decimal(amount) * Decimal(repr(index[to_level])) / Decimal(repr(index[from_level]))
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def applies(year: int, single: int | None, from_year: int | None) -> bool:
    """Does a figure for `single` year, or recurring `from_year` onwards, count in `year`?"""
    return year == single if single is not None else from_year is not None and year >= from_year


def payback_years(
    investments: Mapping[int, int],
    effects: Mapping[int, int],
    horizon: int = 20,
    start: int | None = None,
) -> float | None:
    """Years until the cumulative net (effects minus investments) turns non-negative for good,
    one decimal.

    Year 1 is the first year with an investment or an effect (`start` fixes it, so variants are
    counted from the same year); flows are spread evenly over each year, so the moment the
    cumulative net crosses zero for the last time is interpolated within that year. Effects that
    come before the investment do not count as payback while the net dips below zero later.
    None when there is no investment, or the net is still negative after `horizon` years.
    """
    years = [y for y, v in investments.items() if v] + [y for y, v in effects.items() if v]
    if not years or not any(investments.values()):
        return None
    first = start if start is not None else min(years)
    cumulative = [0]
    for n in range(horizon):
        year = first + n
        cumulative.append(cumulative[-1] + effects.get(year, 0) - investments.get(year, 0))
    negative = [n for n in range(1, horizon + 1) if cumulative[n] < 0]
    if not negative:
        return 0.0
    last = negative[-1]  # the last year that ends below zero
    if last == horizon:
        return None
    net = cumulative[last + 1] - cumulative[last]
    exact = last + Fraction(-cumulative[last], net)
    tenths = (exact * 10 + Fraction(1, 2)) // 1  # round half up, exactly
    return float(Fraction(tenths, 10))


def effects_by_year(
    lines: Iterable[tuple[int | None, int | None, int]], first: int, last: int
) -> dict[int, int]:
    """Sum (year, from_year, amount) lines into each year first..last; recurring lines repeat.

    Recurring amounts are added as a running sum (each starts in its from-year and stays), so
    the cost is the number of lines plus the number of years, not their product.
    """
    single: dict[int, int] = {}
    starts: dict[int, int] = {}
    for year, from_year, amount in lines:
        if year is not None:
            single[year] = single.get(year, 0) + amount
        elif from_year is not None:
            key = max(from_year, first)
            starts[key] = starts.get(key, 0) + amount
    out = {}
    running = 0
    for y in range(first, last + 1):
        running += starts.get(y, 0)
        out[y] = running + single.get(y, 0)
    return out


def check_saving(values: Mapping[str, object]) -> None:
    """The rules of one saving line, wherever it comes from (command, sheet, document)."""
    if (values.get("year") is None) == (values.get("from_year") is None):
        raise InvalidValue(msg("err.year_xor_from_year"))
    stage = values.get("stage") or "estimated"
    if stage == "estimated" and values.get("realised") is not None:
        raise InvalidValue(msg("err.realised_needs_stage"))
    attribution = values.get("attribution")
    if attribution is not None:
        if not isinstance(attribution, int) or not 0 <= attribution <= 100:
            raise InvalidValue(msg("err.attribution_range"))
        if attribution < 100 and not str(values.get("note") or "").strip():
            raise InvalidValue(msg("err.attribution_note"))


def check_coverage(values: Mapping[str, object]) -> None:
    if (values.get("year") is None) == (values.get("from_year") is None):
        raise InvalidValue(msg("err.year_xor_from_year"))
    if values.get("kind") == "one-off" and values.get("year") is None:
        raise InvalidValue(msg("err.one_off_year"))


def parse_fte(text: str | None) -> float | None:
    """Staff years (årsværk): '5', '5,5', '17.5' — at most one decimal, not negative."""
    if text is None or not str(text).strip():
        return None
    s = str(text).strip().replace(",", ".")
    if not re.fullmatch(r"[0-9]{1,6}(\.[0-9])?", s, re.ASCII):
        raise InvalidValue(msg("err.invalid_fte", text=text))
    return float(s)


INDEX_LIMIT = 10_000  # KL's price and wage indexes run in the hundreds (2019 = 100)


def check_index(value: float) -> float:
    """A price and wage index value: positive and below 10.000, as any source gives it."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < INDEX_LIMIT:
        raise InvalidValue(msg("err.index_range", value=value, limit=number(INDEX_LIMIT)))
    return float(value)


def parse_index(text: str) -> float:
    """An index value as typed: '100', '102,4' or '102.4' (at most four decimals)."""
    s = str(text).strip().replace(",", ".")
    if (
        not re.fullmatch(r"[0-9]{1,5}(\.[0-9]{1,4})?", s, re.ASCII)
        or not 0 < float(s) < INDEX_LIMIT
    ):
        raise InvalidValue(msg("err.invalid_index", value=text, limit=number(INDEX_LIMIT)))
    return float(s)


def parse_percent(text: str | None) -> int | None:
    """A whole percentage 0-100: '60', '60 %', '60%'."""
    if text is None or not str(text).strip():
        return None
    s = str(text).strip().rstrip("%").strip()
    if not re.fullmatch(r"[0-9]{1,3}", s, re.ASCII) or int(s) > 100:
        raise InvalidValue(msg("err.invalid_percent", text=text))
    return int(s)


INVESTMENT_STATUSES = ("applied", "granted", "rejected")
COVERAGE_KINDS = ("frame-cut", "one-off", "budget-transfer")
COVERAGE_ALIASES = {
    "rammebesparelse": "frame-cut",
    "frame-cut": "frame-cut",
    "engangsmidler": "one-off",
    "one-off": "one-off",
    "budgetomplacering": "budget-transfer",
    "budget-transfer": "budget-transfer",
}
INVESTMENT_ALIASES = {
    "ansøgt": "applied",
    "applied": "applied",
    "bevilget": "granted",
    "granted": "granted",
    "afslået": "rejected",
    "afvist": "rejected",
    "rejected": "rejected",
}


def coverage_kind(value: str | None) -> str | None:
    if value is None:
        return None
    found = COVERAGE_ALIASES.get(value.strip().lower())
    if found is None:
        raise InvalidValue(msg("err.invalid_coverage_kind", value=value))
    return found


def investment_status(value: str | None) -> str | None:
    if value is None:
        return None
    found = INVESTMENT_ALIASES.get(value.strip().lower())
    if found is None:
        raise InvalidValue(msg("err.invalid_investment_status", value=value))
    return found
