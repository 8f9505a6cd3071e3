"""The savings picture both the status report and the savings report show: per year of the
budget period, the target and what covers it, as the figures stood on the as-of day, in one
price level.

How a figure counts (the README's economics section says the same):
- estimated: the estimate of lines still estimated;
- documented / budgeted: the realised amount of such lines times the share attributable to the
  project; the rest is shown as not attributable and never counts toward the target;
- coverage: frame cuts, one-off money and budget transfers (no project's saving);
- gap = target − (documented + budgeted + coverage); gap incl. estimated also subtracts estimated;
- realisation rate = realised ÷ estimate over the documented and budgeted lines;
- investments: granted ones are costs; applications are shown apart; rejected ones not at all.
Figures of several price levels are converted with the index, or refused naming the missing year.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from portefolje.domain.economics import applies, convert, split
from portefolje.i18n import msg
from portefolje.store import economics as store

MEASURES = (
    "target",
    "estimated",
    "documented",
    "budgeted",
    "coverage",
    "not_attributable",
    "realised",
    "realised_estimate",
)


@dataclass
class Scope:
    """Where figures are summed and converted: portfolio, period, as-of day, price level."""

    conn: sqlite3.Connection
    portfolio_id: int | None
    years: list[int]
    day: str
    price_level: int | None = None
    index: dict[int, float] = field(default_factory=dict)
    codes: dict[tuple[str, int], str] = field(default_factory=dict)
    levels: list[Any] | None = None  # the price levels of the figures, once read

    def kr(self, amount: int, level: int | None, kind: str, ident: int) -> int:
        if self.price_level is None or level == self.price_level:
            return amount
        what = msg("what.record", kind=msg(f"kind.{kind}"), code=self.code(kind, ident))
        return convert(amount, level, self.price_level, self.index, what)

    def code(self, kind: str, ident: int) -> str:
        key = (kind, ident)
        if key not in self.codes:
            self.codes[key] = store.codes(self.conn, kind, [ident]).get(ident, str(ident))
        return self.codes[key]


def scope(
    conn: sqlite3.Connection,
    portfolio_id: int | None,
    years: list[int],
    day: str,
    price_level: int | None,
) -> Scope:
    """A scope in one price level: the one asked for; else, when the figures in force carry
    several levels, the budget year's (converted with the index); else as registered."""
    levels = store.price_levels(conn, portfolio_id, day, years[0], years[-1])
    stated = [y for y in levels if y is not None]
    if price_level is None and (len(stated) > 1 or (stated and None in levels)):
        # figures of several price levels meet: converted to the budget year's, never added as
        # they are (a figure without a level, or a missing index year, is refused by name)
        price_level = years[0]
    index = store.price_index(conn) if price_level is not None else {}
    return Scope(conn, portfolio_id, years, day, price_level, index, levels=levels)


def level_of(s: Scope) -> int | None:
    """The price level the figures are shown in (None: as registered, no level stated)."""
    if s.price_level is not None:
        return s.price_level
    if s.levels is None:
        s.levels = store.price_levels(s.conn, s.portfolio_id, s.day, s.years[0], s.years[-1])
    found = [y for y in s.levels if y is not None]
    return found[0] if found else None


def blank() -> dict[str, int]:
    return dict.fromkeys(MEASURES, 0)


def targets(s: Scope) -> tuple[dict[int, int], dict[tuple[int | None, int], int], set[int]]:
    """Total target per year, each department's share per year, and the years with a target.
    A single-year target overrides a recurring one; of recurring ones the latest start counts."""
    by_portfolio: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for t in store.target_rows(s.conn, s.portfolio_id, s.day):
        by_portfolio[t["portfolio_id"]].append(t)
    total: dict[int, int] = defaultdict(int)
    per_dept: dict[tuple[int | None, int], int] = defaultdict(int)
    covered: set[int] = set()
    for items in by_portfolio.values():
        for year in s.years:
            chosen = _target_for(items, year)
            if chosen is None:
                continue
            amount = s.kr(chosen["amount"], chosen["price_level"], "target", chosen["id"])
            total[year] += amount
            covered.add(year)
            key = chosen["key"]
            for (dept, _), part in zip(key, split(amount, [sh for _, sh in key]), strict=True):
                per_dept[(dept, year)] += part
    return total, per_dept, covered


def _target_for(items: list[dict[str, Any]], year: int) -> dict[str, Any] | None:
    single = [t for t in items if t["year"] == year]
    if single:
        return single[0]
    recurring = [t for t in items if t["from_year"] is not None and t["from_year"] <= year]
    return max(recurring, key=lambda t: t["from_year"]) if recurring else None


Sink = dict[Any, dict[str, int]]


def add_savings(
    s: Scope, totals: Sink, by_dept: Sink | None = None, by_area: Sink | None = None
) -> None:
    """Add the saving lines in force to per-year totals (and per department/area and year)."""
    first, last = s.years[0], s.years[-1]
    for (
        dept,
        area,
        stage,
        single,
        from_y,
        level,
        estimate,
        realised,
        attributed,
        ident,
    ) in store.saving_groups(s.conn, s.portfolio_id, first, last, s.day):
        figures = _saving_figures(s, stage, level, estimate, realised, attributed, ident)
        for year in s.years:
            if not applies(year, single, from_y):
                continue
            for sink, key in ((totals, year), (by_dept, (dept, year)), (by_area, (area, year))):
                if sink is not None:
                    row = sink.setdefault(key, blank())
                    for measure, value in figures.items():
                        row[measure] += value


def _saving_figures(
    s: Scope,
    stage: str,
    level: int | None,
    estimate: int,
    realised: int,
    attributed: int,
    ident: int,
) -> dict[str, int]:
    kr = lambda amount: s.kr(int(amount), level, "saving", ident)  # noqa: E731
    if stage == "estimated":
        return {"estimated": kr(estimate)}
    return {
        stage: kr(attributed),
        "not_attributable": kr(realised) - kr(attributed),
        "realised": kr(realised),
        "realised_estimate": kr(estimate),
    }


def add_coverage(s: Scope, totals: Sink, by_dept: Sink | None = None) -> list[dict[str, Any]]:
    """Add frame cuts, one-off money and budget transfers; returns the lines per kind and year."""
    lines = []
    for row in store.coverage_rows(s.conn, s.portfolio_id, s.day):
        amount = s.kr(row["amount"], row["price_level"], "coverage", row["id"])
        for year in s.years:
            if not applies(year, row["year"], row["from_year"]):
                continue
            totals.setdefault(year, blank())["coverage"] += amount
            if by_dept is not None:
                by_dept.setdefault((row["department_id"], year), blank())["coverage"] += amount
            lines.append({"kind": row["kind"], "year": year, "amount": amount})
    return lines


def investments(s: Scope) -> tuple[dict[int, int], dict[int, int], dict[int, float]]:
    """Granted investments per year (costs), applied ones per year (not yet money), and staff
    years of the granted ones per year."""
    granted: dict[int, int] = defaultdict(int)
    applied: dict[int, int] = defaultdict(int)
    fte: dict[int, float] = defaultdict(float)
    for _pid, _dept, _area, year, status, level, amount, staff, ident in store.investment_groups(
        s.conn, s.portfolio_id, s.day
    ):
        kr = s.kr(int(amount), level, "investment", ident)
        if status == "granted":
            granted[year] += kr
            fte[year] += staff or 0
        elif status == "applied":
            applied[year] += kr
    return granted, applied, fte


def gaps(row: dict[str, Any], has_target: bool) -> dict[str, Any]:
    secured = row["documented"] + row["budgeted"] + row["coverage"]
    row["secured"] = secured
    row["gap"] = row["target"] - secured if has_target else None
    row["gap_with_estimated"] = row["target"] - secured - row["estimated"] if has_target else None
    if not has_target:
        row["target"] = None
    return row


def year_rows(s: Scope) -> list[dict[str, Any]]:
    """The picture per year: target, estimated, documented, budgeted, coverage, not
    attributable, both gaps, granted and applied investments and the net effect."""
    total_target, _, covered = targets(s)
    totals: Sink = {y: blank() for y in s.years}
    add_savings(s, totals)
    add_coverage(s, totals)
    granted, applied, _ = investments(s)
    out = []
    for year in s.years:
        row = {"year": year, **totals[year], "target": total_target.get(year, 0)}
        row = gaps(row, year in covered)
        row["investment"] = granted.get(year, 0)
        row["applied"] = applied.get(year, 0)
        row["net"] = row["documented"] + row["budgeted"] - row["investment"]
        out.append(row)
    return out


def realisation_rate(realised: int, estimate: int) -> float | None:
    """Realised ÷ estimate in per cent (one decimal), None without an estimate."""
    if not estimate:
        return None
    return round(realised / estimate * 100, 1)
