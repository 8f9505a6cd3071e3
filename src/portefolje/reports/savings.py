"""`report savings`: the economics view for the budget period.

Per year, per department and per budget area: target, estimated, documented, budgeted and the two
gaps; per project: investments, effects, net and cumulative net per year, and payback time on
service effects only and on the total economy. Sums are grouped in SQL (by department, area,
stage, year, recurrence and price level) and only the groups are expanded over the years, so the
cost grows with the number of groups, not with the number of saving lines.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from portefolje.domain.economics import applies, convert, effects_by_year, payback_years, split
from portefolje.reports.i18n import labels
from portefolje.reports.model import BarChart, Column, Report, Section, Table
from portefolje.store.economics import price_index
from portefolje.store.queries import in_clause
from portefolje.store.registry import resolve

MEASURES = ("target", "estimated", "documented", "budgeted")


@dataclass
class Scope:
    """Where figures are summed and converted: portfolio filter, period, price level."""

    conn: sqlite3.Connection
    portfolio_id: int | None
    years: list[int]
    price_level: int | None
    index: dict[int, float] = field(default_factory=dict)

    def where(self, alias: str) -> tuple[str, list[Any]]:
        if self.portfolio_id is None:
            return "", []
        return (
            f"JOIN project p ON p.id = {alias}.project_id JOIN segment seg ON "
            "seg.id = p.segment_id WHERE seg.portfolio_id = ?",
            [self.portfolio_id],
        )

    def kr(self, amount: int, level: int | None, what: str) -> int:
        return convert(amount, level, self.price_level, self.index, what)


def _blank() -> dict[str, int]:
    return {m: 0 for m in MEASURES}


def _gaps(row: dict[str, Any], has_target: bool) -> dict[str, Any]:
    secured = row["documented"] + row["budgeted"]
    row["gap"] = row["target"] - secured if has_target else None
    row["gap_with_estimated"] = row["target"] - secured - row["estimated"] if has_target else None
    if not has_target:
        row["target"] = None
    return row


def target_by_year(
    scope: Scope,
) -> tuple[dict[int, int], dict[tuple[int | None, int], int], set[int]]:
    """Total target per year, each department's share per year, and the years with a target.

    The most specific target applies: a single-year target overrides a recurring one, and of
    recurring targets the one with the latest start before the year.
    """
    where = "WHERE t.portfolio_id = ?" if scope.portfolio_id is not None else ""
    params = [scope.portfolio_id] if scope.portfolio_id is not None else []
    targets = scope.conn.execute(
        f"SELECT t.id, t.portfolio_id, t.year, t.from_year, t.amount, t.price_level, t.code "
        f"FROM target t {where}",
        params,
    ).fetchall()
    shares: dict[int, list[tuple[int, Fraction]]] = defaultdict(list)
    for target_id, dept, num, den in scope.conn.execute(
        "SELECT target_id, department_id, numerator, denominator FROM target_share ORDER BY id"
    ):
        shares[target_id].append((dept, Fraction(num, den)))
    by_portfolio: dict[int, list[Any]] = defaultdict(list)
    for t in targets:
        by_portfolio[t[1]].append(t)
    total: dict[int, int] = defaultdict(int)
    per_dept: dict[tuple[int | None, int], int] = defaultdict(int)
    covered: set[int] = set()
    for items in by_portfolio.values():
        for year in scope.years:
            single = [t for t in items if t[2] == year]
            recurring = sorted(
                (t for t in items if t[3] is not None and t[3] <= year), key=lambda t: t[3]
            )
            chosen = single[0] if single else (recurring[-1] if recurring else None)
            if chosen is None:
                continue
            amount = scope.kr(chosen[4], chosen[5], f"target {chosen[6]}")
            total[year] += amount
            covered.add(year)
            key = shares.get(chosen[0], [])
            for (dept, _), part in zip(key, split(amount, [s for _, s in key]), strict=True):
                per_dept[(dept, year)] += part
    return total, per_dept, covered


def saving_groups(scope: Scope) -> list[tuple[Any, ...]]:
    """(department_id, area, stage, year, from_year, price_level, amount, code) groups."""
    join, params = scope.where("s")
    period = "(s.year BETWEEN ? AND ? OR s.from_year <= ?)"
    where = f"{join} AND {period}" if join else f"WHERE {period}"
    return scope.conn.execute(
        "SELECT s.department_id, s.area, s.stage, s.year, s.from_year, s.price_level, "
        f"sum(s.amount), min(s.code) FROM saving s {where} "
        "GROUP BY s.department_id, s.area, s.stage, s.year, s.from_year, s.price_level",
        [*params, scope.years[0], scope.years[-1], scope.years[-1]],
    ).fetchall()


def project_flows(scope: Scope, project_ids: list[int] | None = None) -> dict[int, dict[str, Any]]:
    """Per project: investment lines and effect lines (service and total), price-converted."""
    join, params = scope.where("x")
    extra = ""
    if project_ids is not None:
        extra = f" x.project_id IN ({','.join('?' * len(project_ids))})"
        params = [*params, *project_ids]
        join = f"{join} AND{extra}" if join else f"WHERE{extra}"
    flows: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"investments": defaultdict(int), "service": [], "total": []}
    )
    for pid, year, level, amount, code in scope.conn.execute(
        "SELECT x.project_id, x.year, x.price_level, sum(x.amount), min(x.code) "
        f"FROM investment x {join} GROUP BY x.project_id, x.year, x.price_level",
        params,
    ):
        flows[pid]["investments"][year] += scope.kr(amount, level, f"investment {code}")
    # Without a price conversion the level and the codes are not needed, and grouping without
    # them gives SQLite fewer groups to hand back.
    convert = scope.price_level is not None
    extra_cols = ", x.price_level, min(x.code)" if convert else ", NULL, NULL"
    extra_group = ", x.price_level" if convert else ""
    for pid, is_service, year, from_year, amount, level, code in scope.conn.execute(
        f"SELECT x.project_id, x.area = 'service', x.year, x.from_year, sum(x.amount){extra_cols} "
        f"FROM saving x {join} "
        f"GROUP BY x.project_id, x.area = 'service', x.year, x.from_year{extra_group}",
        params,
    ):
        line = (year, from_year, scope.kr(amount, level, f"saving {code}") if convert else amount)
        flow = flows[pid]
        flow["total"].append(line)
        if is_service:
            flow["service"].append(line)
    return flows


def project_rows(
    flows: dict[str, Any], years: list[int], horizon: int
) -> tuple[list[dict[str, Any]], float | None, float | None]:
    """Per-year investment/effect/net/cumulative over `years`, and both payback times."""
    starts = [y for y, v in flows["investments"].items() if v]
    starts += [y if y is not None else f for y, f, _ in flows["total"]]
    first = min(starts) if starts else years[0]
    last = first + horizon - 1
    # one expansion covers both the payback horizon and the years shown
    low, high = min(first, years[0]), max(last, years[-1])
    service = effects_by_year(flows["service"], low, high)
    total = effects_by_year(flows["total"], low, high)
    invest = dict(flows["investments"])
    shown, shown_service = total, service
    rows, cumulative = [], 0
    for year in years:
        inv = invest.get(year, 0)
        net = shown[year] - inv
        cumulative += net
        rows.append(
            {
                "year": year,
                "investment": inv,
                "effect_service": shown_service[year],
                "effect_total": shown[year],
                "net": net,
                "cumulative_net": cumulative,
            }
        )
    return (
        rows,
        payback_years(invest, service, horizon, start=first),
        payback_years(invest, total, horizon, start=first),
    )


def payback_text(value: float | None, has_investment: bool, horizon: int, t: Any, lang: str) -> str:
    if not has_investment:
        return t("no_investment")
    if value is None:
        return t("no_payback").format(n=horizon)
    number = f"{value:.1f}"
    return f"{number if lang == 'en' else number.replace('.', ',')} {t('years_unit')}"


def year_totals(
    conn: sqlite3.Connection, *, portfolio: str | None, years: list[int]
) -> list[dict[str, Any]]:
    """Target, estimated, documented, budgeted and both gaps per year, as registered (no price
    conversion): the savings picture the status report's overview shows."""
    pf = resolve(conn, "portfolio", portfolio) if portfolio else None
    scope = Scope(conn, pf["id"] if pf else None, years, None)
    total_target, _, covered = target_by_year(scope)
    totals = {y: _blank() for y in years}
    for _dept, _area, stage, single, from_y, level, amount, code in saving_groups(scope):
        kr = scope.kr(amount, level, f"saving {code}")
        for year in years:
            if applies(year, single, from_y):
                totals[year][stage] += kr
    for year in years:
        totals[year]["target"] = total_target.get(year, 0)
    return [_gaps({"year": y, **totals[y]}, y in covered) for y in years]


def build(
    conn: sqlite3.Connection,
    *,
    portfolio: str | None,
    from_year: int,
    years: int,
    price_level: int | None,
    horizon: int,
    lang: str,
) -> Report:
    t = labels(lang)
    pf = resolve(conn, "portfolio", portfolio) if portfolio else None
    scope = Scope(
        conn,
        pf["id"] if pf else None,
        list(range(from_year, from_year + years)),
        price_level,
        price_index(conn) if price_level else {},
    )
    total_target, dept_target, covered = target_by_year(scope)
    totals = {y: _blank() for y in scope.years}
    by_dept: dict[tuple[int | None, int], dict[str, int]] = defaultdict(_blank)
    by_area: dict[tuple[str, int], dict[str, int]] = defaultdict(_blank)
    for dept, area, stage, single, from_y, level, amount, code in saving_groups(scope):
        kr = scope.kr(amount, level, f"saving {code}")
        for year in scope.years:
            if applies(year, single, from_y):
                totals[year][stage] += kr
                by_dept[(dept, year)][stage] += kr
                by_area[(area, year)][stage] += kr
    for year in scope.years:
        totals[year]["target"] = total_target.get(year, 0)
    dept_names = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, code, name FROM department")}
    dept_ids = sorted(
        {d for d, _ in by_dept} | {d for d, _ in dept_target},
        key=lambda d: (d is None, dept_names.get(d, ("", ""))[1] if d else ""),
    )
    year_rows = [_gaps({"year": y, **totals[y]}, y in covered) for y in scope.years]
    dept_rows = []
    for dept in dept_ids:
        keyed = any((dept, y) in dept_target for y in scope.years)
        for year in scope.years:
            row = {
                "department": dept_names[dept][0] if dept else t("unallocated"),
                "department_name": dept_names[dept][1] if dept else t("unallocated"),
                "year": year,
                **by_dept.get((dept, year), _blank()),
            }
            row["target"] = dept_target.get((dept, year), 0)
            dept_rows.append(_gaps(row, keyed and year in covered))
    area_rows = [
        {"area": t(a), "area_code": a, "year": y, **by_area[(a, y)]}
        for a in ("service", "overforsler", "indsats", "anlaeg")
        for y in scope.years
        if any(by_area.get((a, yy)) for yy in scope.years)
    ]
    projects_out = []
    flows = project_flows(scope)
    if flows:
        clause, params = in_clause("id", list(flows))
        where = f"WHERE {clause}" if clause else ""
        info = {
            r[0]: (r[1], r[2])
            for r in conn.execute(f"SELECT id, code, title FROM project {where}", params)
        }
        for pid in sorted(flows, key=lambda p: info[p][0]):
            rows, pb_service, pb_total = project_rows(flows[pid], scope.years, horizon)
            has_inv = any(flows[pid]["investments"].values())
            projects_out.append(
                {
                    "code": info[pid][0],
                    "title": info[pid][1],
                    "years": rows,
                    "payback_service_years": pb_service,
                    "payback_total_years": pb_total,
                    "has_investment": has_inv,
                    "payback_service": payback_text(pb_service, has_inv, horizon, t, lang),
                    "payback_total": payback_text(pb_total, has_inv, horizon, t, lang),
                }
            )
    return _report(t, lang, pf, scope, horizon, year_rows, dept_rows, area_rows, projects_out)


def _report(
    t: Any,
    lang: str,
    pf: dict[str, Any] | None,
    scope: Scope,
    horizon: int,
    year_rows: list[dict[str, Any]],
    dept_rows: list[dict[str, Any]],
    area_rows: list[dict[str, Any]],
    projects: list[dict[str, Any]],
) -> Report:
    money = lambda key, label: Column(key, t(label), "money")  # noqa: E731
    measures = [
        money("target", "target_amount"),
        money("estimated", "estimated"),
        money("documented", "documented"),
        money("budgeted", "budgeted"),
        money("gap", "gap"),
        money("gap_with_estimated", "gap_est"),
    ]
    year_col = Column("year", t("year"))
    chart = BarChart(
        t("chart_savings"),
        [str(y) for y in scope.years],
        [
            (t("target_amount"), [r["target"] or 0 for r in year_rows]),
            (t("estimated"), [r["estimated"] for r in year_rows]),
            (t("documented"), [r["documented"] + r["budgeted"] for r in year_rows]),
        ],
    )
    project_summary = Table(
        [
            Column("code", t("code")),
            Column("title", t("title")),
            Column("payback_service", t("payback_service")),
            Column("payback_total", t("payback_total")),
        ],
        projects,
        t("no_economy"),
    )
    project_years = Table(
        [
            Column("code", t("project")),
            year_col,
            money("investment", "investment"),
            money("effect_service", "effect_service"),
            money("effect_total", "effect_total"),
            money("net", "net"),
            money("cumulative_net", "cumulative"),
        ],
        [{"code": p["code"], **r} for p in projects for r in p["years"]],
        t("no_economy"),
    )
    sections = [
        Section("overview", t("overview"), [Table([year_col, *measures], year_rows), chart]),
        Section(
            "departments",
            t("per_department"),
            [
                Table(
                    [Column("department", t("department")), year_col, *measures],
                    dept_rows,
                    t("no_economy"),
                )
            ],
        ),
        Section(
            "areas",
            t("per_area"),
            [
                Table(
                    [Column("area", t("area")), year_col, *measures[1:4]],
                    area_rows,
                    t("no_economy"),
                )
            ],
        ),
        Section("projects", t("per_project"), [project_summary, project_years]),
    ]
    level = str(scope.price_level) if scope.price_level else t("as_registered")
    facts = [
        (t("portfolio"), pf["name"] if pf else t("all_portfolios")),
        (t("budget_period"), f"{scope.years[0]}–{scope.years[-1]}"),
        (t("price_level"), level if not scope.price_level else f"{level} p/l"),
    ]
    data = {
        "report": "savings",
        "portfolio": pf["code"] if pf else None,
        "from_year": scope.years[0],
        "years": len(scope.years),
        "price_level": scope.price_level,
        "payback_horizon_years": horizon,
        "totals": year_rows,
        "departments": [{k: v for k, v in r.items() if k != "department_name"} for r in dept_rows],
        "areas": [
            {
                "area": r["area_code"],
                **{k: r[k] for k in ("year", "estimated", "documented", "budgeted")},
            }
            for r in area_rows
        ],
        "projects": [
            {
                k: p[k]
                for k in ("code", "title", "years", "payback_service_years", "payback_total_years")
            }
            for p in projects
        ],
    }
    flat_cols = [
        "level",
        "key",
        "year",
        "target",
        "estimated",
        "documented",
        "budgeted",
        "gap",
        "gap_with_estimated",
        "investment",
        "effect_service",
        "effect_total",
        "net",
        "cumulative_net",
    ]
    flat = [{"level": "total", "key": "", **r} for r in year_rows]
    flat += [{"level": "department", "key": r["department"], **r} for r in dept_rows]
    flat += [{"level": "area", "key": r["area_code"], **r} for r in area_rows]
    flat += [{"level": "project", "key": p["code"], **r} for p in projects for r in p["years"]]
    return Report(
        "savings",
        t("savings_title"),
        lang,
        facts,
        sections,
        data,
        Table([Column(c, c) for c in flat_cols], flat),
    )


def project_economy_section(conn: sqlite3.Connection, project_id: int, lang: str) -> Section | None:
    """The project sheet's economy: its savings and investments, and both payback times."""
    from portefolje.store.economics import investments, savings

    t = labels(lang)
    code = resolve(conn, "project", project_id)["code"]
    saving_rows = savings(conn, project=code)
    investment_rows = investments(conn, project=code)
    if not saving_rows and not investment_rows:
        return None
    for s in saving_rows:
        s["when"] = str(s["year"]) if s["year"] else t("recurring").format(y=s["from_year"])
        s["stage_label"] = t(f"stage_{s['stage']}")
        s["area_label"] = t(s["area"])
    scope = Scope(conn, None, [0], None)
    flows = project_flows(scope, [project_id]).get(project_id)
    blocks: list[Any] = [
        Table(
            [
                Column("code", t("code")),
                Column("when", t("year")),
                Column("department", t("department")),
                Column("area_label", t("area")),
                Column("stage_label", t("stage")),
                Column("amount", t("amount"), "money"),
                Column("note", t("note")),
            ],
            saving_rows,
            t("no_economy"),
        ),
        Table(
            [
                Column("code", t("code")),
                Column("year", t("year")),
                Column("department", t("department")),
                Column("amount", t("amount"), "money"),
                Column("funding", t("funding")),
            ],
            investment_rows,
            t("no_economy"),
        ),
    ]
    if flows:
        starts = sorted({*flows["investments"], *[y or f for y, f, _ in flows["total"]]})
        _, pb_service, pb_total = project_rows(flows, [starts[0]], 20)
        has_inv = any(flows["investments"].values())
        from portefolje.reports.model import Fields

        blocks.append(
            Fields(
                [
                    (t("payback_service"), payback_text(pb_service, has_inv, 20, t, lang), "text"),
                    (t("payback_total"), payback_text(pb_total, has_inv, 20, t, lang), "text"),
                ]
            )
        )
    return Section("economy", t("economy"), blocks)
