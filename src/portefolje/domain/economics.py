"""The economics rules: distribution keys, price conversion, expanding figures over years, and
payback time. Pure functions on integers (kroner) and exact fractions; no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from portefolje.domain.errors import InvalidValue

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
        raise InvalidValue(
            f"invalid budget area {value!r}: choose service, overforsler, indsats or anlaeg"
        )
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
        raise InvalidValue(
            f"invalid share {text!r}: write a fraction (1/3), a percentage (50%) or a decimal (0,5)"
        ) from None
    if not 0 < share <= 1:
        raise InvalidValue(f"invalid share {text!r}: a share is more than 0 and at most the whole")
    return share


def parse_key(items: Iterable[str]) -> list[tuple[str, Fraction]]:
    """['SF=1/3', 'BA=1/3', 'SPO=1/3'] -> [(department, share)], refused unless they sum to 1."""
    key: list[tuple[str, Fraction]] = []
    for item in items:
        department, sep, share = item.partition("=")
        if not sep or not department.strip():
            raise InvalidValue(f"invalid --key {item!r}: write DEPARTMENT=SHARE, e.g. SF=1/3")
        key.append((department.strip(), parse_share(share)))
    if key:
        names = [d.lower() for d, _ in key]
        if len(set(names)) != len(names):
            raise InvalidValue("a department appears twice in the distribution key")
        total = sum((s for _, s in key), Fraction(0))
        if total != 1:
            raise InvalidValue(
                f"the distribution key sums to {_show(total)}, not the whole; "
                "shares must add up to exactly 1 (e.g. SF=1/3 BA=1/3 SPO=1/3)"
            )
    return key


def _show(share: Fraction) -> str:
    percent = share * 100
    return f"{float(percent):.2f} %".replace(".", ",")


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
        raise InvalidValue(
            f"{what} has no price level, so it cannot be shown in {to_level} p/l; "
            "set its --price-level, or report without --price-level"
        )
    missing = [y for y in (from_level, to_level) if y not in index]
    if missing:
        raise InvalidValue(
            f"no price index for {', '.join(map(str, missing))}: add it with "
            f"`portefolje index set {missing[0]} VALUE` (figures are never mixed across levels)"
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
        raise InvalidValue("give a year (a single year) or a from-year (recurring), not both")
    stage = values.get("stage") or "estimated"
    if stage == "estimated" and values.get("realised") is not None:
        raise InvalidValue(
            "a realised amount belongs to a documented or budgeted saving; "
            "set the stage (--stage documented) with it"
        )
    attribution = values.get("attribution")
    if attribution is not None:
        if not isinstance(attribution, int) or not 0 <= attribution <= 100:
            raise InvalidValue("the attributable share is a whole percentage from 0 to 100")
        if attribution < 100 and not str(values.get("note") or "").strip():
            raise InvalidValue(
                "a saving only partly attributable to the project needs a --note saying why "
                "(what else explains the change)"
            )


def check_coverage(values: Mapping[str, object]) -> None:
    if (values.get("year") is None) == (values.get("from_year") is None):
        raise InvalidValue("give a year (a single year) or a from-year (recurring), not both")
    if values.get("kind") == "one-off" and values.get("year") is None:
        raise InvalidValue(
            "one-off money (engangsmidler) covers one year: give --year, not --from-year"
        )


def parse_fte(text: str | None) -> float | None:
    """Staff years (årsværk): '5', '5,5', '17.5' — at most one decimal, not negative."""
    if text is None or not str(text).strip():
        return None
    s = str(text).strip().replace(",", ".")
    if not re.fullmatch(r"[0-9]{1,6}(\.[0-9])?", s, re.ASCII):
        raise InvalidValue(
            f"invalid staff years {text!r}: write a number with at most one decimal, e.g. 5 or 17,5"
        )
    return float(s)


INDEX_LIMIT = 10_000  # KL's price and wage indexes run in the hundreds (2019 = 100)


def check_index(value: float) -> float:
    """A price and wage index value: positive and below 10.000, as any source gives it."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < INDEX_LIMIT:
        raise InvalidValue(
            f"invalid index value {value!r}: a positive number below {INDEX_LIMIT:,}".replace(
                ",", "."
            )
        )
    return float(value)


def parse_index(text: str) -> float:
    """An index value as typed: '100', '102,4' or '102.4' (at most four decimals)."""
    s = str(text).strip().replace(",", ".")
    if (
        not re.fullmatch(r"[0-9]{1,5}(\.[0-9]{1,4})?", s, re.ASCII)
        or not 0 < float(s) < INDEX_LIMIT
    ):
        raise InvalidValue(
            f"invalid index value {text!r}: write a positive number below 10.000 such as 102,4"
        )
    return float(s)


def parse_percent(text: str | None) -> int | None:
    """A whole percentage 0-100: '60', '60 %', '60%'."""
    if text is None or not str(text).strip():
        return None
    s = str(text).strip().rstrip("%").strip()
    if not re.fullmatch(r"[0-9]{1,3}", s, re.ASCII) or int(s) > 100:
        raise InvalidValue(f"invalid percentage {text!r}: write a whole number from 0 to 100")
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
        raise InvalidValue(
            f"invalid coverage kind {value!r}: choose frame-cut (rammebesparelse), one-off "
            "(engangsmidler) or budget-transfer (budgetomplacering)"
        )
    return found


def investment_status(value: str | None) -> str | None:
    if value is None:
        return None
    found = INVESTMENT_ALIASES.get(value.strip().lower())
    if found is None:
        raise InvalidValue(
            f"invalid investment status {value!r}: choose applied (ansøgt), granted (bevilget) "
            "or rejected (afslået)"
        )
    return found
